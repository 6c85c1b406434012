"""Files attached in a new article's form, before its first save (admin/attachments.py):
stored at once, carried by the form as signed tokens, attached when the article is saved,
kept through a rejected form and through an expired session or token."""

import io
import re

import pytest
from desk import PASSWORD, article_data, token_from
from PIL import Image
from sqlalchemy import func, select

from models import Article, Attachment, Media, db


def a_pdf() -> bytes:
    """A PDF as a scanner or Pillow writes it: nothing in it acts on its own."""
    buffer = io.BytesIO()
    Image.new("L", (300, 400), 255).save(buffer, "PDF")
    return buffer.getvalue()


PDF = a_pdf()
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
PENDING = re.compile(r'name="attachment_pending" value="([^"]+)" checked')


@pytest.fixture
def category(make_category):
    return make_category(name="Thông báo", slug="thong-bao")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def pdf_file(name="Kế hoạch tiêm chủng.pdf", data=PDF):
    return (io.BytesIO(data), name)


def form(category_id: int, files=None, pending=None, **fields) -> dict:
    """The article form's data with files sent along and pending tokens (article_data makes
    every value a string)."""
    data = article_data(category_id, **fields)
    if files is not None:
        data["attachment_file"] = files
    if pending is not None:
        data["attachment_pending"] = pending
    return data


def tokens_in(html: str) -> list[str]:
    return PENDING.findall(html)


def test_the_new_article_form_takes_files(client, auth, category):
    auth.login("author")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert 'name="attachment_file"' in html and "Hãy lưu trước" not in html


def test_a_pdf_sent_with_the_first_save_is_attached_and_published(client, auth, category):
    auth.login("editor")
    data = form(category.id, files=pdf_file(), action="publish")
    response = client.post("/admin/articles/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    article = db.session.scalars(select(Article)).one()
    assert [item.label for item in article.attachments] == ["Kế hoạch tiêm chủng.pdf"]
    page = client.get(f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
    assert "Kế hoạch tiêm chủng.pdf" in page


def test_a_rejected_form_keeps_the_file_and_the_next_save_attaches_it(client, auth, category):
    auth.login("editor")
    data = form(category.id, files=pdf_file(), title="")
    refused = client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Kế hoạch tiêm chủng.pdf" in html
    [token] = tokens_in(html)
    assert count(Media) == 1 and count(Attachment) == 0
    again = form(category.id, pending=token)  # no file sent again
    assert client.post("/admin/articles/new", data=again).status_code == 302
    assert db.session.scalars(select(Attachment)).one().media.original_name.startswith("Kế")


def test_an_unticked_file_is_left_out(client, auth, category):
    auth.login("editor")
    staged = client.post("/admin/attachments/stage", data={"file": pdf_file()},
                         content_type="multipart/form-data")
    assert staged.status_code == 201 and staged.get_json()["name"] == "Kế hoạch tiêm chủng.pdf"
    assert client.post("/admin/articles/new", data=article_data(category.id)).status_code == 302
    assert count(Attachment) == 0 and count(Article) == 1


def test_files_staged_by_the_script_are_attached_once_each(client, auth, category):
    auth.login("author")
    token = client.post("/admin/attachments/stage", data={"file": pdf_file()},
                        content_type="multipart/form-data").get_json()["token"]
    data = form(category.id, pending=[token, token], action="submit")
    assert client.post("/admin/articles/new", data=data).status_code == 302
    assert count(Attachment) == 1


def test_a_file_that_is_not_a_document_is_refused_in_vietnamese_and_the_text_stays(
        client, auth, category):
    auth.login("editor")
    data = form(category.id, files=pdf_file("virus.pdf", b"MZ\x90\x00 not a pdf"),
                title="Giữ nguyên tiêu đề")
    response = client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "virus.pdf:" in html
    assert "Giữ nguyên tiêu đề" in html and count(Article) == 0
    staged = client.post("/admin/attachments/stage",
                         data={"file": pdf_file("virus.pdf", b"MZ\x90\x00 not a pdf")},
                         content_type="multipart/form-data")
    assert 400 <= staged.status_code < 500 and "virus.pdf:" in staged.get_json()["error"]


def test_attack_a_forged_or_borrowed_token_attaches_nothing(client, auth, category, make_user):
    auth.login("author", username="mai")
    token = client.post("/admin/attachments/stage", data={"file": pdf_file()},
                        content_type="multipart/form-data").get_json()["token"]
    auth.logout()
    auth.login("author", username="son")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    data = form(category.id, pending=[token, forged, "1"], action="submit")
    assert client.post("/admin/articles/new", data=data).status_code == 302
    assert count(Attachment) == 0


def test_staging_without_a_session_answers_json(client):
    response = client.post("/admin/attachments/stage", data={"file": pdf_file()},
                           content_type="multipart/form-data")
    assert response.status_code == 401 and "đăng nhập" in response.get_json()["error"]


def test_an_ended_session_keeps_the_files_like_the_text(client, make_user, category, clock):
    make_user("bientap", "editor", password=PASSWORD)
    client.post("/admin/login", data={"username": "bientap", "password": PASSWORD})
    token = client.post("/admin/attachments/stage", data={"file": pdf_file()},
                        content_type="multipart/form-data").get_json()["token"]
    clock.advance(hours=3)
    data = form(category.id, files=pdf_file("Phụ lục.pdf"), pending=token, title="Viết lâu",
                action="publish")
    rescued = client.post("/admin/articles/new", data=data, headers=SAME_ORIGIN,
                          content_type="multipart/form-data")
    html = rescued.get_data(as_text=True)
    assert rescued.status_code == 401 and 'name="relogin_password"' in html
    assert tokens_in(html) == [token] and "Kế hoạch tiêm chủng.pdf" in html
    assert "Tệp đính kèm bạn chọn chưa được gửi đi" in html
    signed_in = client.post("/admin/articles/new", headers=SAME_ORIGIN, data={
        **data, "attachment_file": [], "relogin_username": "bientap",
        "relogin_password": PASSWORD})
    assert tokens_in(signed_in.get_data(as_text=True)) == [token] and count(Article) == 0
    del data["attachment_file"]
    assert client.post("/admin/articles/new", data=data).status_code == 302
    assert [item.media.original_name for item in db.session.scalars(select(Attachment))] == [
        "Kế hoạch tiêm chủng.pdf"]


def test_an_expired_token_keeps_the_files_like_the_text(csrf_editor, category):
    client, token = csrf_editor
    staged = client.post("/admin/attachments/stage", data={"file": pdf_file(),
                                                            "csrf_token": token},
                         content_type="multipart/form-data").get_json()["token"]
    data = form(category.id, pending=staged, title="Token hết hạn", csrf_token="het-han")
    refused = client.post("/admin/articles/new", data=data, headers=SAME_ORIGIN)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and tokens_in(html) == [staged]
    data["csrf_token"] = token_from(html)
    assert client.post("/admin/articles/new", data=data, headers=SAME_ORIGIN).status_code == 302
    assert count(Attachment) == 1


def test_the_same_file_under_another_name_keeps_the_name_it_was_sent_with(
        client, auth, category):
    auth.login("editor")
    client.post("/admin/attachments/stage", data={"file": pdf_file("Cũ.pdf")},
                content_type="multipart/form-data")
    staged = client.post("/admin/attachments/stage", data={"file": pdf_file("Mới.pdf")},
                         content_type="multipart/form-data").get_json()
    assert staged["name"] == "Mới.pdf"
    data = form(category.id, pending=staged["token"], action="publish")
    assert client.post("/admin/articles/new", data=data).status_code == 302
    assert [item.label for item in db.session.scalars(select(Attachment))] == ["Mới.pdf"]


def test_files_attached_at_the_first_save_are_in_the_audit_log(client, auth, category):
    auth.login("editor")
    data = form(category.id, files=pdf_file(), action="publish")
    client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    from models import AuditLog

    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "attach")).all()
    assert [(row.object_type, row.detail) for row in rows] == [
        ("article", "Đính kèm “Kế hoạch tiêm chủng.pdf”")]
