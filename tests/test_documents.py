"""The documents registry, the organisation pages and their officials, and the demo seed."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

import documents
from models import Attachment, AuditLog, Document, Media, Official, Page, db
from ops import seed


def add(**fields) -> Document:
    fields.setdefault("number", "45/QĐ-UBND")
    fields.setdefault("title", "Quyết định ban hành kế hoạch cải cách hành chính")
    fields.setdefault("doc_type", "Quyết định")
    fields.setdefault("issuer", "UBND xã Hòa Sơn")
    fields.setdefault("field", "Cải cách hành chính")
    fields.setdefault("issued_on", date(2026, 3, 2))
    document = Document(**fields)
    db.session.add(document)
    db.session.commit()
    return document


# --- In force or not -------------------------------------------------------------------------

STATUS_CASES = [
    # issued, effective, expires, on, status
    (date(2026, 1, 1), None, None, date(2026, 5, 14), "Còn hiệu lực"),
    (date(2026, 1, 1), date(2026, 6, 1), None, date(2026, 5, 14), "Chưa có hiệu lực"),
    (date(2026, 1, 1), date(2026, 5, 14), None, date(2026, 5, 14), "Còn hiệu lực"),
    (date(2026, 1, 1), None, date(2026, 5, 15), date(2026, 5, 14), "Còn hiệu lực"),
    (date(2026, 1, 1), None, date(2026, 5, 14), date(2026, 5, 14), "Hết hiệu lực"),
    (date(2025, 1, 1), None, date(2025, 12, 31), date(2026, 5, 14), "Hết hiệu lực"),
    (None, None, None, date(2026, 5, 14), "Còn hiệu lực"),
]


@pytest.mark.parametrize(("issued", "effective", "expires", "on", "expected"), STATUS_CASES)
def test_status_follows_the_dates(issued, effective, expires, on, expected):
    document = Document(issued_on=issued, effective_on=effective, expires_on=expires)
    assert documents.status(document, on) == expected


def test_status_uses_the_date_in_vietnam(app, clock):
    # 18:00 UTC on 13 May is already 14 May in Vietnam, the day the document expires.
    clock.now = datetime(2026, 5, 13, 18, 0, tzinfo=UTC)
    document = add(expires_on=date(2026, 5, 14))
    assert documents.status(document) == "Hết hiệu lực"
    clock.now = datetime(2026, 5, 13, 16, 0, tzinfo=UTC)
    assert documents.status(document) == "Còn hiệu lực"


# --- The public list and page ------------------------------------------------------------------


@pytest.fixture
def registry(app, clock):
    add()
    add(
        number="12/2025/NQ-HĐND",
        title="Nghị quyết về dự toán ngân sách xã năm 2025",
        doc_type="Nghị quyết",
        issuer="HĐND xã Hòa Sơn",
        field="Tài chính – Ngân sách",
        issued_on=date(2025, 12, 20),
        expires_on=date(2026, 1, 1),
    )
    add(
        number="1520/QĐ-UBND",
        title="Quyết định công bố danh mục thủ tục hành chính cấp xã",
        issuer="UBND huyện Núi Xanh",
        issued_on=date(2025, 7, 1),
    )
    add(
        number="27/CV-UBND",
        title="Công văn đôn đốc tiêm phòng cho gia súc",
        doc_type="Công văn",
        field="Nông nghiệp",
        issued_on=date(2026, 4, 10),
    )


def listed(client, **args) -> list[str]:
    response = client.get("/van-ban", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="/van-ban/[^"]+">([^<]+)</a></h3>', html)


FILTERS = [
    ({}, ["45/QĐ-UBND", "12/2025/NQ-HĐND", "1520/QĐ-UBND", "27/CV-UBND"]),
    ({"loai": "Quyết định"}, ["45/QĐ-UBND", "1520/QĐ-UBND"]),
    ({"co-quan": "UBND huyện Núi Xanh"}, ["1520/QĐ-UBND"]),
    ({"linh-vuc": "Nông nghiệp"}, ["27/CV-UBND"]),
    ({"nam": "2025"}, ["12/2025/NQ-HĐND", "1520/QĐ-UBND"]),
    ({"nam": "2026", "loai": "Quyết định"}, ["45/QĐ-UBND"]),
    ({"so": "1520"}, ["1520/QĐ-UBND"]),
    ({"so": "qd-ubnd"}, ["45/QĐ-UBND", "1520/QĐ-UBND"]),
    ({"so": "QĐ-UBND"}, ["45/QĐ-UBND", "1520/QĐ-UBND"]),
    ({"so": " 12/2025 "}, ["12/2025/NQ-HĐND"]),
    ({"hieu-luc": "het"}, ["12/2025/NQ-HĐND"]),
    ({"hieu-luc": "con"}, ["45/QĐ-UBND", "1520/QĐ-UBND", "27/CV-UBND"]),
    ({"nam": "abc", "hieu-luc": "gi-do"}, ["45/QĐ-UBND", "12/2025/NQ-HĐND", "1520/QĐ-UBND",
                                          "27/CV-UBND"]),
    ({"loai": "Chỉ thị"}, []),
]  # fmt: skip


@pytest.mark.parametrize(("args", "expected"), FILTERS)
def test_list_filters(client, registry, args, expected):
    newest_first = ["27/CV-UBND", "45/QĐ-UBND", "12/2025/NQ-HĐND", "1520/QĐ-UBND"]
    assert listed(client, **args) == sorted(expected, key=newest_first.index)


def test_list_offers_the_values_in_use(client, registry):
    html = client.get("/van-ban").get_data(as_text=True)
    for value in ("<option>Nghị quyết</option>", "<option>UBND huyện Núi Xanh</option>",
                  "<option>Nông nghiệp</option>", "<option>2025</option>"):  # fmt: skip
        assert value in html
    html = client.get("/van-ban?loai=Chỉ thị").get_data(as_text=True)
    assert "Không có văn bản nào phù hợp với bộ lọc" in html


def test_list_is_paginated_keeping_filters(client, app):
    for number in range(12):
        add(number=f"{number + 1}/TB-UBND", doc_type="Thông báo")
    html = client.get("/van-ban?loai=Thông+báo").get_data(as_text=True)
    assert "12 văn bản phù hợp" in html
    assert 'href="/van-ban?loai=Th%C3%B4ng+b%C3%A1o&amp;trang=2"' in html
    assert client.get("/van-ban?trang=3").status_code == 404


def test_detail_page_shows_every_field_and_the_files(client, registry):
    document = add(
        number="52/2026/QĐ-UBND",
        title="Quyết định ban hành Quy chế làm việc",
        signer="Nông Văn Quyết",
        field="Tổ chức – Nội vụ",
        issued_on=date(2026, 5, 1),
        effective_on=date(2026, 6, 1),
        expires_on=date(2031, 6, 1),
    )
    media = Media(
        sha256="a" * 64,
        kind="file",
        stored_name="qc.pdf",
        original_name="Quy chế làm việc.pdf",
        mime_type="application/pdf",
        bytes=48_000,
    )
    db.session.add(Attachment(media=media, document_id=document.id))
    db.session.commit()
    response = client.get(f"/van-ban/52-2026-qd-ubnd-{document.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Quyết định số 52/2026/QĐ-UBND", "Quyết định ban hành Quy chế làm việc",
                 "UBND xã Hòa Sơn", "Nông Văn Quyết", "Tổ chức – Nội vụ", "01/05/2026",
                 "01/06/2026", "01/06/2031", "Chưa có hiệu lực", "Quy chế làm việc.pdf",
                 "47 KB"):  # fmt: skip
        assert text in html
    assert f'href="/tep/{document.attachments[0].id}"' in html
    assert 'rel="canonical" href="http://localhost/van-ban/52-2026-qd-ubnd-' in html


def test_detail_address_is_canonical(client, registry):
    document = db.session.scalar(select(Document).where(Document.number == "45/QĐ-UBND"))
    response = client.get(f"/van-ban/sai-{document.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/van-ban/45-qd-ubnd-{document.id}")
    assert client.get("/van-ban/45-qd-ubnd-999").status_code == 404


# --- The desk: documents ------------------------------------------------------------------------

DESK_URLS = ["/admin/documents", "/admin/documents/new", "/admin/officials",
             "/admin/officials/new"]  # fmt: skip


@pytest.mark.parametrize("url", DESK_URLS)
def test_desk_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize(("role", "url", "status"), [
    ("author", "/admin/documents", 403), ("author", "/admin/documents/new", 403),
    ("editor", "/admin/documents", 200), ("admin", "/admin/documents/new", 200),
    ("editor", "/admin/officials", 403), ("author", "/admin/officials/new", 403),
    ("admin", "/admin/officials", 200),
])  # fmt: skip
def test_roles(client, auth, role, url, status):
    auth.login(role)
    assert client.get(url).status_code == status


FORM = {
    "number": "15/2026/QĐ-UBND",
    "title": "Quyết định về quản lý đường giao thông nông thôn",
    "doc_type": "Quyết định",
    "issuer": "UBND xã Hòa Sơn",
    "signer": "Nông Văn Quyết",
    "field": "Giao thông – Xây dựng",
    "issued_on": "2026-05-02",
    "effective_on": "15/05/2026",
    "expires_on": "",
}


def test_editor_adds_edits_and_deletes_a_document(client, auth):
    auth.login("editor")
    response = client.post("/admin/documents/new", data=FORM)
    document = db.session.scalar(select(Document))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/documents/{document.id}/edit")
    assert document.effective_on == date(2026, 5, 15) and document.expires_on is None
    # The new document is on the public list and in search at once.
    assert "15/2026/QĐ-UBND" in client.get("/van-ban").get_data(as_text=True)
    assert "15/2026/QĐ-UBND" in client.get("/tim-kiem?q=duong+giao+thong").get_data(as_text=True)
    edit_page = client.get(f"/admin/documents/{document.id}/edit").get_data(as_text=True)
    assert 'value="15/2026/QĐ-UBND"' in edit_page and 'value="2026-05-15"' in edit_page
    client.post(f"/admin/documents/{document.id}/edit", data=FORM | {"expires_on": "2027-01-01"})
    assert db.session.get(Document, document.id).expires_on == date(2027, 1, 1)
    response = client.post(f"/admin/documents/{document.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert "15/2026/QĐ-UBND" not in client.get("/tim-kiem?q=duong+giao+thong").get_data(
        as_text=True
    )
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "document").order_by(AuditLog.id)
    ).all()
    assert actions == ["document_create", "document_update", "document_delete"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"number": ""}, "Hãy nhập số ký hiệu."),
    ({"title": ""}, "Hãy nhập trích yếu."),
    ({"issued_on": "30/02/2026"}, "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm"),
    ({"effective_on": "2026-04-01"}, "Ngày hiệu lực không được trước ngày ban hành."),
    ({"expires_on": "2026-05-10"}, "Ngày hết hiệu lực phải sau ngày bắt đầu có hiệu lực."),
])  # fmt: skip
def test_rejected_document_form_keeps_what_was_typed(client, auth, changes, message):
    auth.login("editor")
    response = client.post("/admin/documents/new", data=FORM | changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422  # a rejected desk form always answers 422
    assert message in html
    assert "Quyết định về quản lý đường giao thông nông thôn" in html or "title" in changes
    assert 'value="Nông Văn Quyết"' in html
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_document_delete_needs_csrf(csrf_app, make_user):
    from tests.conftest import PASSWORD

    client = csrf_app.test_client()
    make_user("bientap", role="editor")
    login_page = client.get("/admin/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/admin/login", data={"username": "bientap", "password": PASSWORD,
                                      "csrf_token": token})  # fmt: skip
    document = add()
    assert client.post(f"/admin/documents/{document.id}/delete").status_code == 400
    assert db.session.get(Document, document.id) is not None


# --- The organisation pages and their officials ----------------------------------------------


def test_admin_manages_the_officials_shown_on_the_organisation_page(client, auth):
    db.session.add(Page(title="Cơ cấu tổ chức", slug="co-cau-to-chuc", show_officials=True,
                        body="<p>Bộ máy của xã.</p>"))  # fmt: skip
    db.session.commit()
    auth.login("admin")
    person = {
        "name": "Nông Văn Quyết",
        "title": "Chủ tịch UBND xã",
        "title_en": "Chairman",
        "phone": "0209 3 812 300",
        "email": "chutich@hoason.example",
        "position": "1",
    }
    assert client.post("/admin/officials/new", data=person).status_code == 302
    client.post("/admin/officials/new", data=person | {"name": "Lục Văn Thành",
                                                       "title": "Phó Chủ tịch", "position": "2"})
    html = client.get("/trang/co-cau-to-chuc").get_data(as_text=True)
    assert "Bộ máy của xã." in html
    assert html.index("Nông Văn Quyết") < html.index("Lục Văn Thành")
    assert '<a href="tel:02093812300">0209 3 812 300</a>' in html
    assert "mailto:chutich@hoason.example" in html
    first = db.session.scalar(select(Official).where(Official.name == "Nông Văn Quyết"))
    client.post(f"/admin/officials/{first.id}/edit", data=person | {"position": "3"})
    html = client.get("/trang/co-cau-to-chuc").get_data(as_text=True)
    assert html.index("Lục Văn Thành") < html.index("Nông Văn Quyết")
    client.post(f"/admin/officials/{first.id}/delete")
    assert "Nông Văn Quyết" not in client.get("/trang/co-cau-to-chuc").get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Hãy nhập họ và tên."),
    ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ."),
    ({"position": "đầu tiên"}, "Hãy nhập một số nguyên"),
])  # fmt: skip
def test_rejected_official_form_keeps_what_was_typed(client, auth, changes, message):
    auth.login("admin")
    data = {"name": "Hà Thị Ngọc", "title": "Công chức Văn phòng", "position": "1"} | changes
    html = client.post("/admin/officials/new", data=data).get_data(as_text=True)
    assert message in html and 'value="Công chức Văn phòng"' in html
    assert db.session.scalar(select(func.count()).select_from(Official)) == 0


def test_english_page_lists_officials_in_english(client):
    db.session.add(Page(title="Contact (English)", slug="contact", lang="en", show_officials=True))
    db.session.add(Page(title="Liên hệ", slug="lien-he"))
    db.session.add(Official(name="Nông Văn Quyết", title="Chủ tịch UBND xã",
                            title_en="Chairman of the People's Committee"))  # fmt: skip
    db.session.commit()
    html = client.get("/trang/contact").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Leadership and contacts" in html and "Chairman of the People&#39;s Committee" in html
    assert "Chủ tịch UBND xã" not in html
    assert "Nông Văn Quyết" not in client.get("/trang/lien-he").get_data(as_text=True)


# --- The demo site ---------------------------------------------------------------------------


def test_demo_seed_has_documents_officials_and_government_pages(client, demo_site):
    assert demo_site is not None  # seed_demo() filled the empty site and gave a password
    count = db.session.scalar(select(func.count()).select_from(Document))
    assert count >= 12
    states = {documents.status(d) for d in db.session.scalars(select(Document))}
    assert states == {"Còn hiệu lực", "Hết hiệu lực", "Chưa có hiệu lực"}
    html = client.get("/trang/co-cau-to-chuc").get_data(as_text=True)
    assert "Nông Văn Quyết" in html and "Chủ tịch UBND xã" in html
    html = client.get("/trang/contact").get_data(as_text=True)
    assert "People's Committee of Hoa Son Commune" in html and "Chairman" in html
    assert "Chức năng, nhiệm vụ" in client.get("/trang/gioi-thieu").get_data(as_text=True)
    assert "Đường dây nóng" in client.get("/trang/lien-he").get_data(as_text=True)
    footer = client.get("/").get_data(as_text=True)
    for link in ("https://dichvucong.lamvan.example", "https://dichvucong.gov.vn"):
        assert f'href="{link}"' in footer
    found = client.get("/tim-kiem?q=cai+cach+hanh+chinh").get_data(as_text=True)
    assert "<mark>cải</mark> <mark>cách</mark> <mark>hành</mark> <mark>chính</mark>" in found
    # Seeding again changes nothing.
    assert seed.seed_demo() is None
    assert db.session.scalar(select(func.count()).select_from(Document)) == count
