"""Attachments: recognised by content, offered under their Vietnamese names, hidden with drafts."""

import io
import os
import zipfile
import zlib
from urllib.parse import quote

import pytest
from flask import render_template_string
from flask_login import login_user
from PIL import Image

from media import sniff, store, uploads
from models import Attachment, AuditLog, Document, Media, db

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*streams: str) -> bytes:
    """An OLE2 compound file header followed by directory names, as Office 97-2003 writes."""
    names = b"".join(name.encode("utf-16-le") + b"\x00" * 8 for name in streams)
    return OLE_MAGIC + b"\x00" * 504 + names + b"\x00" * 512


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/x" ContentType="application/vnd.{main}"/></Types>'
    ).encode()


def docx(main="openxmlformats-officedocument.wordprocessingml.document.main+xml") -> bytes:
    return archive({"[Content_Types].xml": content_types(main), "word/document.xml": b"<w/>"})


def xlsx() -> bytes:
    main = "openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return archive({"[Content_Types].xml": content_types(main), "xl/workbook.xml": b"<w/>"})


def odf(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return archive({"mimetype": mimetype, "content.xml": b"<office/>"})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACCEPTED = {
    "pdf": (PDF, "application/pdf", "PDF"),
    "doc": (ole("Root Entry", "WordDocument"), "application/msword", "Word"),
    "xls": (ole("Root Entry", "Workbook"), "application/vnd.ms-excel", "Excel"),
    "docx": (docx(), sniff.DOCX, "Word"),
    "xlsx": (xlsx(), sniff.XLSX, "Excel"),
    "odt": (odf("text"), "application/vnd.oasis.opendocument.text", "ODT"),
    "ods": (odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    "zip": (archive({"bao-cao.txt": b"so lieu"}), "application/zip", "ZIP"),
}
REFUSED = {
    "a program renamed .pdf": (b"MZ\x90\x00" + b"\x00" * 200, "Chỉ nhận tệp PDF"),
    "html renamed .docx": (b"<html><script>alert(1)</script></html>", "Chỉ nhận tệp PDF"),
    "a macro-enabled docx": (docx("ms-word.document.macroEnabled.main+xml"), "macro"),
    "an old Word file with macros": (ole("WordDocument", "Macros"), "macro"),
    "a zip carrying a program": (archive({"cai-dat.exe": b"MZ"}), "chạy được"),
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


# --- The attachment allow-list (media/sniff.py's docstring) -----------------------------------


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, obj) for n, obj in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def flate_stream(content: bytes, dictionary: bytes = b"/Type/ObjStm") -> bytes:
    packed = zlib.compress(content)
    return b"<<%s/Filter/FlateDecode/Length %d>>stream\n%s\nendstream" % (
        dictionary, len(packed), packed
    )


def nested(levels: int, inner: dict[str, bytes]) -> bytes:
    data = archive(inner)
    for _ in range(levels):
        data = archive({"ben-trong.zip": data})
    return data


def encrypted_member() -> bytes:
    """A zip whose member says it is encrypted (Python cannot write one, so set the flag)."""
    data = bytearray(archive({"bao-cao.txt": b"so lieu"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x1
    return bytes(data)


def docx_with(members: dict[str, bytes]) -> bytes:
    main = "openxmlformats-officedocument.wordprocessingml.document.main+xml"
    base = {"[Content_Types].xml": content_types(main), "word/document.xml": b"<w/>"}
    return archive(base | members)


JS_ON_OPEN = b"<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert('xa'))>>>>"
BYPASSES = {
    "a PDF that runs JavaScript on open": (pdf(JS_ON_OPEN), "JavaScript"),
    "a PDF hiding /JavaScript behind #xx escapes": (
        pdf(b"<</OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>"), "JavaScript"),
    "a PDF hiding its script in a compressed object stream": (
        pdf(b"<</Type/Catalog>>", flate_stream(b"<</S/JavaScript/JS(this.print())>>")),
        "JavaScript"),
    "a PDF that launches a program": (
        pdf(b"<</OpenAction<</S/Launch/F(cmd.exe)>>>>"), "chương trình"),
    "a PDF carrying another file": (pdf(b"<</Names<</EmbeddedFiles 2 0 R>>>>"), "đính kèm"),
    "a zip inside a zip carrying a program": (nested(1, {"cai-dat.exe": b"MZ"}), "chạy được"),
    "a program behind a trailing dot": (archive({"evil.exe.": b"MZ"}), "chạy được"),
    "a program behind trailing spaces": (archive({"evil.exe  ": b"MZ"}), "chạy được"),
    "a disc image": (archive({"bo-cai.iso": b"CD001"}), "bo-cai.iso"),
    "an internet shortcut": (archive({"tai-lieu.url": b"[InternetShortcut]"}), "tai-lieu.url"),
    "a macro-enabled Word file by name": (archive({"bien-ban.docm": docx()}), "bien-ban.docm"),
    "a macro docx renamed inside a zip": (
        archive({"bien-ban.docx": docx("ms-word.document.macroEnabled.main+xml")}), "macro"),
    "a scripted PDF inside a zip": (archive({"thong-bao.pdf": pdf(JS_ON_OPEN)}), "JavaScript"),
    "a program named like a PDF inside a zip": (archive({"thong-bao.pdf": b"MZ\x90"}), "Chỉ nhận"),
    "a file without an extension": (archive({"README": b"x"}), "README"),
    "a right-to-left override in a name": (archive({"bao\u202efdp.exe.txt": b"x"}), "bất thường"),
    "an NTFS stream name": (archive({"a.txt:evil.exe": b"MZ"}), "bất thường"),
    "zips nested past the depth limit": (nested(sniff.MAX_DEPTH + 1, {"a.txt": b"x"}), "lồng"),
    "an encrypted member": (encrypted_member(), "mật khẩu"),
    "ActiveX controls in a docx": (docx_with({"word/activeX/activeX1.bin": ole("x")}), "macro"),
    "a packaged program embedded in a docx": (
        docx_with({"word/embeddings/oleObject1.bin": ole("Ole10Native")}), "đối tượng nhúng"),
    "Basic macros in an ODT": (
        archive({"mimetype": sniff.ODT.encode(), "Basic/Standard/Module1.xml": b"<s/>"}), "macro"),
}


@pytest.mark.parametrize("case", BYPASSES)
def test_attack_attachment_policy_bypass_is_refused(app, case):
    data, reason = BYPASSES[case]
    with pytest.raises(uploads.FileRejected, match=reason):
        uploads.store_file(data, "tai-lieu.zip")
    assert db.session.scalars(db.select(Media)).all() == []


HARMLESS = {
    "a PDF opening at page one": (pdf(b"<</Type/Catalog/OpenAction[3 0 R/Fit]>>"), sniff.PDF),
    "a PDF whose text speaks of JS": (
        pdf(flate_stream(b"BT (JS la viet tat) Tj ET", b"")), sniff.PDF),
    "a zip of everything a commune offers": (
        archive({"a.pdf": PDF, "b.docx": docx(), "c.xlsx": xlsx(), "d.odt": odf("text"),
                 "e.doc": ole("WordDocument"), "f.csv": b"1,2", "g.jpg": b"\xff\xd8",
                 "thu-muc/": b"", "h.zip": archive({"i.txt": b"x"})}), sniff.ZIP),
    "zips nested up to the limit": (nested(sniff.MAX_DEPTH - 1, {"a.txt": b"x"}), sniff.ZIP),
    "a docx with an embedded spreadsheet": (
        docx_with({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx()}), sniff.DOCX),
}  # fmt: skip


@pytest.mark.parametrize("case", HARMLESS)
def test_the_allow_list_keeps_what_communes_offer(app, case):
    data, mime_type = HARMLESS[case]
    assert uploads.store_file(data, "tai-lieu").mime_type == mime_type


def test_a_refused_pdf_is_explained_on_the_desk(client, editor, make_article):
    attach(client, make_article(), pdf(JS_ON_OPEN), "thong-bao.pdf", next_url="/admin/media")
    assert "JavaScript" in client.get("/admin/media").get_data(as_text=True)
    assert db.session.scalars(db.select(Attachment)).all() == []
