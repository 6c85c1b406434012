"""Revisions: every save keeps who, when and what; the history reads as a diff; "Khôi phục"
brings old content back as a new save without touching publication."""

from datetime import UTC, datetime

from desk import article_data
from sqlalchemy import select

import revisions
from models import Article, AuditLog, Media, Revision, db


def save(client, article, **fields):
    data = article_data(article.category_id, version=article.version, action="update", **fields)
    response = client.post(f"/admin/articles/{article.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(article)
    return response


def history(article) -> list[Revision]:
    return db.session.scalars(
        select(Revision).where(Revision.article_id == article.id).order_by(Revision.id)
    ).all()


# --- Pure functions -----------------------------------------------------------------------


def test_word_diff_marks_only_the_changed_words():
    parts = revisions.word_diff("Họp dân tại nhà văn hóa thôn", "Họp dân tại hội trường thôn")
    assert parts == [
        ("equal", "Họp dân tại "),
        ("delete", "nhà văn hóa "),
        ("insert", "hội trường "),
        ("equal", "thôn"),
    ]


def test_a_word_gaining_a_sentence_after_it_is_not_a_change_of_that_word():
    parts = revisions.word_diff("ở thôn Bản Mòng.", "ở thôn Bản Mòng. Thêm một câu.")
    assert parts == [("equal", "ở thôn Bản Mòng. "), ("insert", "Thêm một câu.")]


def test_text_diff_folds_long_unchanged_stretches():
    old = "\n".join(f"Đoạn {n}" for n in range(10))
    new = old.replace("Đoạn 5", "Đoạn năm")
    blocks = revisions.text_diff(old, new)
    kinds = [block.kind for block in blocks]
    assert kinds == ["same", "folded", "same", "changed", "same", "folded", "same"]
    assert blocks[1].count == 3
    assert ("insert", "năm") in blocks[3].parts


def test_changes_speak_the_forms_language(make_article, make_category):
    sport = make_category(name="Thể thao", slug="the-thao")
    article = make_article(title="Giải bóng đá", publish_at=datetime(2026, 5, 1, 1, tzinfo=UTC))
    old = revisions.snapshot(article)
    new = dict(old, category_id=sport.id, featured=True, status="draft", body="<p>Mới</p>")
    found = {change.label: change for change in revisions.changes(old, new)}
    assert set(found) == {"Chuyên mục", "Tin nổi bật", "Trạng thái", "Nội dung"}
    assert (found["Chuyên mục"].old, found["Chuyên mục"].new) == ("Tin tức", "Thể thao")
    assert (found["Tin nổi bật"].old, found["Tin nổi bật"].new) == ("Không", "Có")
    assert (found["Trạng thái"].old, found["Trạng thái"].new) == ("Đã đăng", "Bản nháp")
    assert revisions.readable("publish_at", old["publish_at"]) == "01/05/2026 08:00"


def test_a_markup_only_change_says_so():
    found = revisions.changes({"body": "<p>Chữ</p>"}, {"body": "<p><strong>Chữ</strong></p>"})
    assert found[0].blocks[0].text == "Chỉ thay đổi định dạng, chữ giữ nguyên."


# --- Through the desk ----------------------------------------------------------------------


def test_every_save_keeps_a_revision_with_who_when_and_what(client, auth, make_article, clock):
    auth.login("editor")
    article = make_article(title="Bản một", status="draft")
    save(client, article, title="Bản hai")
    clock.advance(minutes=5)
    save(client, article, title="Bản ba")
    kept = history(article)
    assert [r.data["title"] for r in kept] == ["Bản hai", "Bản ba"]
    assert [r.note for r in kept] == ["Cập nhật", "Cập nhật"]
    assert kept[1].created_at == clock.now and kept[1].user.username == "editor"
    html = client.get(f"/admin/articles/{article.id}/history").get_data(as_text=True)
    assert "Lịch sử bài viết" in html and html.count("Xem thay đổi") == 2
    assert "14/05/2026 10:05" in html and "editor" in html


def test_a_revision_page_shows_a_readable_diff(client, auth, make_article):
    auth.login("editor")
    article = make_article(status="draft")
    save(client, article, body="<p>Họp dân tại nhà văn hóa thôn.</p><p>Đoạn hai.</p>")
    save(client, article, body="<p>Họp dân tại hội trường thôn.</p><p>Đoạn hai.</p>")
    latest = history(article)[-1]
    html = client.get(f"/admin/articles/{article.id}/history/{latest.id}").get_data(as_text=True)
    assert "<del>nhà văn hóa </del>" in html and "<ins>hội trường </ins>" in html
    assert "Nội dung" in html and "Khôi phục bản này" in html
    first = history(article)[0]
    html = client.get(f"/admin/articles/{article.id}/history/{first.id}?so-voi=hien-tai").get_data(
        as_text=True
    )
    assert "bản hiện tại" in html and "<del>nhà văn hóa </del>" in html


def test_restore_brings_content_back_as_a_new_revision_and_keeps_publication(
    client, auth, make_article
):
    auth.login("editor")
    article = make_article(title="Tiêu đề cũ", body="<p>Nội dung cũ.</p>")
    save(client, article, title="Tiêu đề cũ", body="<p>Nội dung cũ.</p>")
    save(client, article, title="Tiêu đề mới", body="<p>Nội dung mới.</p>")
    old = history(article)[0]
    response = client.post(f"/admin/articles/{article.id}/history/{old.id}/restore")
    assert response.location == f"/admin/articles/{article.id}/edit"
    db.session.refresh(article)
    assert (article.title, article.body) == ("Tiêu đề cũ", "<p>Nội dung cũ.</p>")
    assert article.body_text == "Nội dung cũ."
    assert article.status == "published"
    kept = history(article)
    assert len(kept) == 3 and kept[-1].note.startswith("Khôi phục bản lưu lúc")
    assert kept[1].data["title"] == "Tiêu đề mới"  # nothing is lost by restoring
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "restore")).one()
    assert entry.object_id == article.id


def test_restore_skips_a_deleted_category_and_a_deleted_image(
    client, auth, make_article, make_category
):
    auth.login("editor")
    gone = make_category(name="Sẽ xóa", slug="se-xoa")
    image = Media(sha256="a" * 64, stored_name="a.jpg", mime_type="image/jpeg", bytes=1)
    db.session.add(image)
    db.session.commit()
    article = make_article(category=gone, image_id=image.id, status="draft")
    old = revisions.record(article, "Lưu nháp", None)
    db.session.commit()
    keep = make_category(name="Còn lại", slug="con-lai")
    article.category_id = keep.id
    db.session.delete(image)
    db.session.commit()
    db.session.delete(gone)
    db.session.commit()
    client.post(f"/admin/articles/{article.id}/history/{old.id}/restore")
    db.session.refresh(article)
    assert article.category_id == keep.id and article.image_id is None


def test_an_author_cannot_restore_a_published_article(client, auth, make_article, make_user):
    auth.login("author")
    article = make_article(status="published")
    old = revisions.record(article, "Đăng", None)
    db.session.commit()
    response = client.post(f"/admin/articles/{article.id}/history/{old.id}/restore")
    assert response.status_code == 403


def test_a_revision_of_another_article_is_not_found(client, auth, make_article):
    auth.login("editor")
    first, second = make_article(), make_article()
    revision = revisions.record(second, "Lưu", None)
    db.session.commit()
    assert client.get(f"/admin/articles/{first.id}/history/{revision.id}").status_code == 404


def test_history_of_an_article_without_revisions_explains_why(client, auth, make_article):
    auth.login("editor")
    article = make_article()
    html = client.get(f"/admin/articles/{article.id}/history").get_data(as_text=True)
    assert "trước khi trang ghi lịch sử" in html


def test_deleting_an_article_deletes_its_revisions(client, auth, make_article):
    auth.login("editor")
    article = make_article(status="draft")
    save(client, article, title="Một lần lưu")
    client.post(f"/admin/articles/{article.id}/delete")
    assert db.session.scalars(select(Revision)).all() == []
    assert db.session.get(Article, article.id) is None


def test_an_unchanged_time_is_not_shown_as_a_change(make_article):
    # Saved with seconds by "Đăng", shown and sent back by the form to the minute.
    article = make_article(publish_at=datetime(2026, 5, 1, 1, 0, 42, 5000, tzinfo=UTC))
    old = revisions.snapshot(article)
    new = dict(old, publish_at=datetime(2026, 5, 1, 1, 0, tzinfo=UTC).isoformat(), title="Mới")
    assert [change.name for change in revisions.changes(old, new)] == ["title"]
    later = dict(old, publish_at=datetime(2026, 5, 1, 1, 1, tzinfo=UTC).isoformat())
    assert [change.name for change in revisions.changes(old, later)] == ["publish_at"]

