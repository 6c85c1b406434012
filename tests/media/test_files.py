"""Attachments: recognised by content, offered under their Vietnamese names, hidden with drafts."""

import io
import os
from urllib.parse import quote

import pytest
from crafted_files import excel_97, odf, office, one_page, word_97, zip_of
from flask import render_template_string
from flask_login import login_user
from PIL import Image

from media import inspection, store, uploads
from models import Attachment, AuditLog, Document, Media, db

PDF = one_page()
ACCEPTED = {
    "pdf": (PDF, "application/pdf", "PDF"),
    "doc": (word_97(), "application/msword", "Word"),
    "xls": (excel_97(), "application/vnd.ms-excel", "Excel"),
    "docx": (office("docx"), inspection.DOCX, "Word"),
    "xlsx": (office("xlsx"), inspection.XLSX, "Excel"),
    "pptx": (office("pptx"), inspection.PPTX, "PowerPoint"),
    "odt": (odf("text"), "application/vnd.oasis.opendocument.text", "ODT"),
    "ods": (odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    "zip": (zip_of({"bao-cao.txt": b"so lieu"}), "application/zip", "ZIP"),
}
REFUSED = {
    "a program renamed .pdf": (b"MZ\x90\x00" + b"\x00" * 200, "Chỉ nhận tệp PDF"),
    "html renamed .docx": (b"<html><script>alert(1)</script></html>", "Chỉ nhận tệp PDF"),
    "a macro-enabled docx": (
        office(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), "macro"),
    "an old Word file with macros": (word_97(extra={"Macros/VBA/dir": b"x"}), "macro"),
    "a zip carrying a program": (zip_of({"cai-dat.exe": b"MZ"}), "chạy được"),
    "a broken zip": (b"PK\x03\x04" + b"\x00" * 40, "bị hỏng"),
    "an empty file": (b"", "rỗng"),
    "an image": (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "Chỉ nhận tệp PDF"),
}


@pytest.fixture
def editor(auth):
    auth.login(role="editor")
    return auth


def attach(client, owner, data: bytes, name: str, title: str = "", next_url: str = "/admin/"):
    owner_type = "document" if isinstance(owner, Document) else "article"
    form = {
        "owner_type": owner_type,
        "owner_id": str(owner.id),
        "title": title,
        "next": next_url,
        "file": (io.BytesIO(data), name),
    }
    return client.post("/admin/attachments/upload", data=form, content_type="multipart/form-data")


def download(client, url: str, **headers):
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("kind", ACCEPTED)
def test_each_accepted_type_is_attached_and_listed(client, editor, make_article, kind):
    data, mime_type, label = ACCEPTED[kind]
    article = make_article()
    response = attach(client, article, data, f"Tài liệu họp dân.{kind}")
    assert response.status_code == 302
    item = db.session.scalars(db.select(Attachment)).one()
    assert item.media.mime_type == mime_type and item.media.kind == "file"
    page = client.get(f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
    assert "Tài liệu họp dân" in page and f"({label}, " in page


@pytest.mark.parametrize("case", REFUSED)
def test_refused_files_are_explained_and_not_stored(client, editor, make_article, case):
    data, reason = REFUSED[case]
    article = make_article()
    response = attach(client, article, data, "quyet-dinh.pdf", next_url="/admin/media")
    assert response.status_code == 302 and response.location.endswith("/admin/media")
    page = client.get("/admin/media").get_data(as_text=True)
    assert reason in page
    assert db.session.scalars(db.select(Attachment)).all() == []
    assert db.session.scalars(db.select(Media)).all() == []


def test_store_file_is_the_contract_for_other_modules(app):
    stored = uploads.store_file(PDF, "../../Quyết định.pdf", None)
    assert stored.original_name == "Quyết định.pdf" and stored.stored_name.endswith(".pdf")
    assert uploads.store_file(PDF, "khac.pdf").id == stored.id  # stored once
    with pytest.raises(uploads.FileRejected, match="Chỉ nhận"):
        uploads.store_file(b"plain text", "ghi-chu.pdf")


def test_a_file_over_the_limit_is_refused_with_a_message(app, client, editor, make_article):
    app.config["MEDIA_MAX_FILE_BYTES"] = 100
    attach(client, make_article(), PDF + b" " * 200, "lon.pdf", next_url="/admin/media")
    assert "Tệp quá lớn" in client.get("/admin/media").get_data(as_text=True)


def test_download_headers_carry_type_name_and_nosniff(client, editor, make_article):
    article = make_article()
    attach(client, article, PDF, "../x/Quyết định số 12.exe")
    item = db.session.scalars(db.select(Attachment)).one()
    response = download(client, f"/tep/{item.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    # The content is a PDF, so the download is named .pdf whatever the upload was called.
    assert disposition.startswith('attachment; filename="quyet-dinh-so-12.pdf"')
    assert f"filename*=UTF-8''{quote('Quyết định số 12.pdf')}" in disposition
    assert response.data == PDF


def test_the_title_names_the_download(client, editor, make_article):
    attach(client, make_article(), PDF, "scan0001.pdf", title="Kế hoạch tiêm phòng")
    item = db.session.scalars(db.select(Attachment)).one()
    disposition = download(client, f"/tep/{item.id}").headers["Content-Disposition"]
    assert quote("Kế hoạch tiêm phòng.pdf") in disposition


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_attachments_of_unpublished_articles_are_not_found(client, auth, make_article, status):
    article = make_article(status=status)
    auth.login(role="editor")
    attach(client, article, PDF, "nhap.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    auth.logout()
    assert download(client, f"/tep/{item.id}").status_code == 404
    auth.login(role="editor")
    assert download(client, f"/admin/attachments/{item.id}").status_code == 200


def test_attachments_of_expired_articles_are_not_found(client, editor, clock, make_article):
    from datetime import timedelta

    article = make_article(expire_at=clock.now + timedelta(hours=1))
    attach(client, article, PDF, "het-han.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    assert download(client, f"/tep/{item.id}").status_code == 200
    clock.advance(hours=2)
    assert download(client, f"/tep/{item.id}").status_code == 404


def test_documents_take_attachments_from_editors_only(client, auth):
    document = Document(number="12/QĐ-UBND", title="Quyết định về tiêm phòng")
    db.session.add(document)
    db.session.commit()
    auth.login(role="author", username="ctv")
    assert attach(client, document, PDF, "qd.pdf").status_code == 403
    auth.logout()
    auth.login(role="editor")
    attach(client, document, PDF, "qd.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    assert item.document_id == document.id
    auth.logout()
    assert download(client, f"/tep/{item.id}").status_code == 200


def test_authors_attach_only_to_articles_they_may_edit(client, auth, make_article, make_user):
    author = make_user("ctv", "author")
    own = make_article(status="draft", created_by=author.id)
    other = make_article(status="draft")
    auth.login(role="author", username="ctv")
    assert attach(client, other, PDF, "a.pdf").status_code == 403
    assert attach(client, own, PDF, "a.pdf").status_code == 302
    assert len(own.attachments) == 1


def test_upload_returns_only_to_local_pages(client, editor, make_article):
    article = make_article()
    assert attach(client, article, PDF, "a.pdf", next_url="https://evil.example/").location in (
        "/admin/",
        "http://localhost/admin/",
    )


def test_deleting_an_attachment_removes_an_unshared_file(app, client, editor, make_article):
    article = make_article()
    attach(client, article, PDF, "a.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    path = store.storage_path(item.media.stored_name)
    response = client.post(f"/admin/attachments/{item.id}/delete", data={"next": "/admin/"})
    assert response.status_code == 302
    assert db.session.scalars(db.select(Attachment)).all() == []
    assert db.session.scalars(db.select(Media)).all() == []
    assert not os.path.exists(path)


def test_attaching_and_removing_files_is_in_the_audit_log(client, auth, make_article):
    auth.login("admin")
    article = make_article(title="Lịch tiếp dân tháng 5")
    attach(client, article, PDF, "lich-tiep-dan.pdf", title="Lịch tiếp dân")
    attach(client, article, ACCEPTED["docx"][0], "phu-luc.docx")
    item = db.session.scalars(db.select(Attachment).order_by(Attachment.id)).first()
    client.post(f"/admin/attachments/{item.id}/delete", data={"next": "/admin/"})
    rows = db.session.execute(
        db.select(AuditLog.action, AuditLog.object_type, AuditLog.object_id, AuditLog.detail)
        .where(AuditLog.action.in_(("attach", "detach"))).order_by(AuditLog.id)
    ).all()  # fmt: skip
    assert rows == [
        ("attach", "article", article.id, "Đính kèm “Lịch tiếp dân” (lich-tiep-dan.pdf)"),
        ("attach", "article", article.id, "Đính kèm “phu-luc.docx”"),
        ("detach", "article", article.id, "Gỡ tệp “Lịch tiếp dân” (lich-tiep-dan.pdf)"),
    ]
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Đính kèm tệp" in page and "Gỡ tệp đính kèm" in page
    assert "Lịch tiếp dân tháng 5" in page  # which article, by its title


def test_a_file_shared_by_two_owners_survives_one_removal(client, editor, make_article):
    first, second = make_article(), make_article()
    attach(client, first, PDF, "a.pdf")
    attach(client, second, PDF, "a.pdf")
    item = db.session.scalars(db.select(Attachment).where(Attachment.article_id == first.id)).one()
    client.post(f"/admin/attachments/{item.id}/delete", data={"next": "/admin/"})
    assert len(db.session.scalars(db.select(Media)).all()) == 1


@pytest.mark.parametrize(
    "url", ["/admin/attachments/upload", "/admin/attachments/1/delete", "/admin/media/1/delete"]
)
def test_posts_without_a_csrf_token_are_refused(csrf_editor, url):
    client, _token = csrf_editor
    assert client.post(url, data={"next": "/admin/"}).status_code == 400


def render_partial(app, owner, user):
    with app.test_request_context("/admin/articles/1/edit"):
        login_user(user)
        return render_template_string(
            '{% with owner=owner %}{% include "admin/_attachments.html" ignore missing %}'
            "{% endwith %}",
            owner=owner,
        )


def test_the_partial_lists_files_with_a_form_of_its_own(app, client, editor, make_article):
    article = make_article()
    attach(client, article, PDF, "Biên bản.pdf")
    from models import User

    user = db.session.scalars(db.select(User).where(User.username == "editor")).one()
    html = render_partial(app, article, user)
    assert "Biên bản.pdf" in html and "PDF" in html
    assert 'enctype="multipart/form-data"' in html
    assert f'name="owner_id" type="hidden" value="{article.id}"' in html
    assert 'name="next" type="hidden" value="/admin/articles/1/edit"' in html
    assert "data-max-bytes" in html and "Gỡ tệp" in html


def test_the_partial_asks_to_save_a_new_article_first(app, make_user):
    from models import Article

    html = render_partial(app, Article(title="Mới"), make_user("bt", "editor"))
    assert "Hãy lưu trước" in html and "<form" not in html


# --- Authors see only what belongs to articles they may open -------------------------------


@pytest.fixture
def others_draft(client, auth, make_article, make_user):
    """A colleague's embargoed draft with a file and a captioned lead image, and an author."""
    image = uploads.store_image(png_image(), "anh-bao-mat.png")
    draft = make_article(
        title="Kỷ luật cán bộ địa chính xã", status="draft", image=image,
        image_caption="Biên bản họp kín",
    )  # fmt: skip
    auth.login(role="editor")
    attach(client, draft, PDF, "bien-ban-mat.pdf")
    auth.logout()
    author = make_user("ctv", "author")
    auth.login(role="author", username="ctv")
    return draft, author


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 90, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_attack_author_downloads_a_colleagues_draft_attachment(client, others_draft):
    item = db.session.scalars(db.select(Attachment)).one()
    assert download(client, f"/admin/attachments/{item.id}").status_code == 403


def test_authors_still_download_their_own_and_public_files(client, auth, make_article, make_user):
    author = make_user("ctv", "author")
    own = make_article(status="draft", created_by=author.id)
    published = make_article()
    auth.login(role="editor")
    attach(client, published, PDF + b"%1", "cong-khai.pdf")
    auth.logout()
    auth.login(role="author", username="ctv")
    attach(client, own, PDF, "cua-toi.pdf")
    for item in db.session.scalars(db.select(Attachment)):
        assert download(client, f"/admin/attachments/{item.id}").status_code == 200


def test_attack_author_reads_draft_titles_in_the_media_usage_list(client, others_draft):
    draft, _author = others_draft
    html = client.get(f"/admin/media/{draft.image_id}").get_data(as_text=True)
    assert "Kỷ luật cán bộ" not in html
    assert "một bài viết chưa đăng của người khác" in html  # the image is still in use
    file_id = db.session.scalars(db.select(Attachment)).one().media_id
    assert "Kỷ luật cán bộ" not in client.get(f"/admin/media/{file_id}").get_data(as_text=True)


def test_attack_author_probes_draft_titles_through_the_library_search(client, others_draft):
    for query in ("Kỷ luật cán bộ", "Biên bản họp kín"):
        for url in (f"/admin/media?q={query}", f"/admin/media/chon.json?q={query}"):
            assert "anh-bao-mat.png" not in client.get(url).get_data(as_text=True), url
    assert "anh-bao-mat.png" in client.get("/admin/media").get_data(as_text=True)


def test_editors_still_see_every_title_in_usage_and_search(client, auth, others_draft):
    draft, _author = others_draft
    auth.logout()
    auth.login(role="editor")
    assert draft.title in client.get(f"/admin/media/{draft.image_id}").get_data(as_text=True)
    found = client.get("/admin/media?q=Kỷ luật cán bộ").get_data(as_text=True)
    assert "anh-bao-mat.png" in found


def test_refused_delete_does_not_name_hidden_drafts(client, auth, others_draft):
    draft, author = others_draft
    item = db.session.get(Media, draft.image_id)
    item.uploaded_by = author.id
    db.session.commit()
    html = client.post(f"/admin/media/{item.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Không xóa được" in html and "Kỷ luật cán bộ" not in html


def test_attack_file_downloads_send_one_consistent_cache_policy(client, auth, make_article):
    auth.login(role="editor")
    attach(client, make_article(), PDF, "thong-bao.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    desk = download(client, f"/admin/attachments/{item.id}")
    assert {"private", "no-cache"} <= set(desk.headers["Cache-Control"].split(", "))
    auth.logout()
    public = download(client, f"/tep/{item.id}")
    # Once "no-cache, public, max-age=300": a round trip on every download.
    assert set(public.headers["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    again = download(client, f"/tep/{item.id}", **{"If-None-Match": public.headers["ETag"]})
    assert again.status_code == 304


# --- The attachment policy itself: tests/media/test_inspection.py -------------------------------

JS_ON_OPEN = b"/OpenAction<</S/JavaScript/JS(app.alert('xa'))>>"


def test_a_refused_pdf_is_explained_on_the_desk(client, editor, make_article):
    attach(client, make_article(), one_page(JS_ON_OPEN), "thong-bao.pdf", next_url="/admin/media")
    assert "JavaScript" in client.get("/admin/media").get_data(as_text=True)
    assert db.session.scalars(db.select(Attachment)).all() == []
