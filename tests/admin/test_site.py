"""Site administration: categories (order, renames that keep old links), static pages,
settings, users, the audit log, each behind the right role."""

import io
import re

import pytest
from desk import PASSWORD, switch_browser
from PIL import Image
from sqlalchemy import select

from models import (
    IMAGE_SETTINGS,
    SETTINGS,
    AuditLog,
    Category,
    CategoryAlias,
    Official,
    Page,
    Setting,
    User,
    db,
)


@pytest.fixture
def editor(client, auth):
    auth.login("editor")
    return client


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return client


# --- Categories -----------------------------------------------------------------------------


def test_create_a_category_with_a_slug_from_its_name(editor):
    response = editor.post("/admin/categories/new", data={"name": "Đời sống – Xã hội"})
    assert response.location == "/admin/categories"
    category = db.session.scalars(select(Category)).one()
    assert (category.name, category.slug) == ("Đời sống – Xã hội", "doi-song-xa-hoi")
    assert "Đời sống – Xã hội" in editor.get("/admin/categories").get_data(as_text=True)


def test_renaming_a_category_keeps_its_old_address_working(editor, client, make_category):
    category = make_category(name="Tin tức", slug="tin-tuc")
    editor.post(
        f"/admin/categories/{category.id}/edit",
        data={"name": "Tin tức – Sự kiện", "slug": "tin-tuc-su-kien", "parent_id": "0"},
    )
    db.session.refresh(category)
    assert category.slug == "tin-tuc-su-kien"
    response = client.get("/chuyen-muc/tin-tuc?trang=2")
    assert response.status_code == 301
    assert response.location.endswith("/chuyen-muc/tin-tuc-su-kien?trang=2")
    html = editor.get("/admin/categories").get_data(as_text=True)
    assert "Địa chỉ cũ vẫn chạy: tin-tuc" in html


def test_going_back_to_an_old_slug_drops_the_alias(editor, make_category):
    category = make_category(name="Tin tức", slug="tin-tuc")
    url = f"/admin/categories/{category.id}/edit"
    editor.post(url, data={"name": "Tin", "slug": "tin-moi", "parent_id": "0"})
    editor.post(url, data={"name": "Tin", "slug": "tin-tuc", "parent_id": "0"})
    db.session.refresh(category)
    assert category.slug == "tin-tuc"
    assert db.session.scalars(select(CategoryAlias.slug)).all() == ["tin-moi"]


@pytest.mark.parametrize(
    ("slug", "message"),
    [("the-thao", "Chuyên mục “Thể thao” đã dùng đường dẫn này."),
     ("bong-da", "Đường dẫn này đang chuyển tới chuyên mục “Thể thao”.")],
)  # fmt: skip
def test_a_slug_in_use_or_redirecting_is_refused_with_the_name_kept(
    editor, make_category, slug, message
):
    sport = make_category(name="Thể thao", slug="the-thao")
    db.session.add(CategoryAlias(slug="bong-da", category=sport))
    db.session.commit()
    response = editor.post(
        "/admin/categories/new", data={"name": "Chuyên mục mới gõ", "slug": slug, "parent_id": "0"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Chuyên mục mới gõ" in html


def test_categories_move_up_and_down_the_menu(editor, client, make_category):
    first = make_category(name="Một", slug="mot")
    second = make_category(name="Hai", slug="hai")
    third = make_category(name="Ba", slug="ba")
    editor.post(f"/admin/categories/{third.id}/move/up")
    order = db.session.scalars(Category.menu()).all()
    assert [c.name for c in order] == ["Một", "Ba", "Hai"]
    editor.post(f"/admin/categories/{first.id}/move/down")
    assert [c.name for c in db.session.scalars(Category.menu())] == ["Ba", "Một", "Hai"]
    menu = client.get("/").get_data(as_text=True)
    assert menu.index(">Ba<") < menu.index(">Một<") < menu.index(">Hai<")
    assert second.position == 2


def test_a_category_cannot_be_its_own_grandparent(editor, make_category):
    parent = make_category(name="Cha", slug="cha")
    child = make_category(name="Con", slug="con", parent_id=parent.id)
    other = make_category(name="Khác", slug="khac")
    response = editor.post(
        f"/admin/categories/{parent.id}/edit",
        data={"name": "Cha", "slug": "cha", "parent_id": str(other.id)},
    )
    assert response.status_code == 422
    assert "đang có chuyên mục con" in response.get_data(as_text=True)
    html = editor.get(f"/admin/categories/{child.id}/edit").get_data(as_text=True)
    assert f'<option value="{child.id}"' not in html


def test_a_category_with_articles_is_not_deleted(editor, make_article, make_category):
    used = make_category(name="Có bài", slug="co-bai")
    make_article(category=used)
    response = editor.post(f"/admin/categories/{used.id}/delete", follow_redirects=True)
    assert "chuyên mục còn 1 bài" in response.get_data(as_text=True)
    assert db.session.get(Category, used.id) is not None


def test_an_empty_category_is_deleted_after_asking(editor, make_category):
    empty = make_category(name="Trống", slug="trong")
    assert "Xóa chuyên mục “Trống”?" in editor.get(f"/admin/categories/{empty.id}/delete").get_data(
        as_text=True
    )
    editor.post(f"/admin/categories/{empty.id}/delete")
    assert db.session.get(Category, empty.id) is None


# --- Static pages ---------------------------------------------------------------------------


def test_a_static_page_is_created_with_a_clean_body(editor, client):
    response = editor.post(
        "/admin/pages/new",
        data={
            "title": "Liên hệ",
            "body": '<p onclick="x()">Điện thoại: 0203 3 888 999</p><script>x()</script>',
            "position": "3",
            "in_menu": "y",
            "lang": "vi",
        },
    )
    page = db.session.scalars(select(Page)).one()
    assert response.location == f"/admin/pages/{page.id}/edit"
    assert (page.slug, page.body) == ("lien-he", "<p>Điện thoại: 0203 3 888 999</p>")
    saved_page = editor.get(response.location).get_data(as_text=True)
    assert 'data-clear-drafts="/admin/pages/new"' in saved_page
    switch_browser()
    html = client.get("/trang/lien-he").get_data(as_text=True)
    assert 'Điện thoại: <a class="tel" href="tel:02033888999">0203 3 888 999</a>' in html


def test_a_page_can_show_the_officials_table(editor, client):
    db.session.add(Official(name="Nông Văn Quyết", title="Chủ tịch UBND xã", position=1))
    db.session.commit()
    data = {"title": "Bộ máy", "body": "<p>Lãnh đạo xã</p>", "lang": "vi", "in_menu": "y"}
    editor.post("/admin/pages/new", data={**data, "show_officials": "y"})
    page = db.session.scalars(select(Page)).one()
    assert page.show_officials
    switch_browser()
    assert "Nông Văn Quyết" in client.get("/trang/bo-may").get_data(as_text=True)
    editor.post(f"/admin/pages/{page.id}/edit", data=data)
    db.session.refresh(page)
    assert not page.show_officials


def test_a_page_slug_must_be_unique(editor):
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu"))
    db.session.commit()
    response = editor.post(
        "/admin/pages/new", data={"title": "Giới thiệu", "body": "<p>Bản thứ hai</p>", "lang": "vi"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Trang “Giới thiệu” đã dùng đường dẫn này." in html and "Bản thứ hai" in html


def test_a_page_is_deleted_after_asking(editor):
    page = Page(title="Cũ", slug="cu")
    db.session.add(page)
    db.session.commit()
    editor.post(f"/admin/pages/{page.id}/delete")
    assert db.session.get(Page, page.id) is None


# --- Settings --------------------------------------------------------------------------------


def test_settings_edit_every_identity_field_and_the_footer_shows_them(admin, client):
    html = admin.get("/admin/settings").get_data(as_text=True)
    for key in SETTINGS:
        assert f'name="{key}"' in html, key
    data = {key: f"Giá trị {key}" for key in SETTINGS if key not in IMAGE_SETTINGS}
    data.update(
        theme="xanh-luc",
        national_motto="1",
        show_views="1",
        comments_moderated="0",
        rss_full_text="0",
        email="ubnd@hoason.gov.vn",
        portal_district="https://huyen.gov.vn",
        portal_province="https://dichvucong.tinh.gov.vn",
        portal_national="https://dichvucong.gov.vn",
    )
    response = admin.post("/admin/settings", data=data)
    assert response.status_code == 302
    assert Setting.values() == data | dict.fromkeys(IMAGE_SETTINGS, "")
    switch_browser()
    footer = client.get("/").get_data(as_text=True)
    assert "Giá trị address" in footer and "Giá trị responsible" in footer
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "settings")).one()
    assert "Địa chỉ: (trống) → Giá trị address" in entry.detail
    assert "Màu giao diện: Đỏ → Xanh lục" in entry.detail
    assert "address" not in entry.detail.split("→")[0]  # the desk's words, not the keys


def png(colour) -> tuple:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(buffer, "PNG")
    return (io.BytesIO(buffer.getvalue()), "bieu-trung.png")


def test_the_audit_log_says_in_vietnamese_what_a_settings_change_changed(admin):
    def save(**changes):
        data = {k: v for k, v in Setting.values().items() if k not in IMAGE_SETTINGS}
        response = admin.post("/admin/settings", data={**data, **changes},
                              content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)
        return db.session.scalars(
            select(AuditLog.detail).where(AuditLog.action == "settings").order_by(AuditLog.id)
        ).all()[-1]

    save(site_name="UBND xã Hòa Sơn")
    detail = save(site_name="UBND xã Hòa Sơn Mới", logo=png((200, 20, 20)))
    assert detail == "Tên cơ quan: UBND xã Hòa Sơn → UBND xã Hòa Sơn Mới; Biểu trưng: thêm ảnh"
    assert save(logo=png((20, 20, 200))) == "Biểu trưng: đổi ảnh"
    assert save(logo_remove="y") == "Biểu trưng: bỏ ảnh"
    detail = save(address="Thôn Trung Tâm, " * 12)
    assert detail.startswith("Địa chỉ: (trống) → Thôn Trung Tâm") and detail.endswith("…")
    assert len(detail) < 120
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Biểu trưng: bỏ ảnh" in page


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("portal_district", "huyen.gov.vn", "bắt đầu bằng https://"),
        ("email", "khong-phai-email", "Địa chỉ thư điện tử không hợp lệ."),
        ("site_name", "", "Hãy nhập tên cơ quan."),
    ],
)
def test_bad_settings_are_refused_with_everything_kept(admin, key, value, message):
    data = {"site_name": "UBND xã Hòa Sơn", "address": "Thôn Trung Tâm", key: value}
    response = admin.post("/admin/settings", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Thôn Trung Tâm" in html


# --- Users ----------------------------------------------------------------------------------


def test_an_admin_creates_an_account_that_can_sign_in(admin, app):
    response = admin.post(
        "/admin/users/new",
        data={
            "username": "phongvh",
            "display_name": "Phòng Văn hóa",
            "role": "author",
            "active": "y",
            "password": "mat-khau-dai-123",
            "confirm": "mat-khau-dai-123",
        },
    )
    assert response.location == "/admin/users"
    user = db.session.scalars(select(User).where(User.username == "phongvh")).one()
    assert (user.role, user.display_name, user.active) == ("author", "Phòng Văn hóa", True)
    switch_browser()
    other = app.test_client()
    login = {"username": "phongvh", "password": "mat-khau-dai-123"}
    assert other.post("/admin/login", data=login).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "Admin"}, "Tên đăng nhập này đã có người dùng."),
        ({"username": "tên có dấu"}, "Chỉ dùng chữ không dấu"),
        ({"password": "ngan", "confirm": "ngan"}, "Mật khẩu cần từ 8 ký tự trở lên."),
        ({"confirm": "khac-han-nhau"}, "Hai lần nhập mật khẩu không khớp."),
    ],
)
def test_a_new_account_is_checked(admin, fields, message):
    data = {"username": "moi", "display_name": "Người mới", "role": "editor",
            "password": "mat-khau-dai-123", "confirm": "mat-khau-dai-123", **fields}  # fmt: skip
    response = admin.post("/admin/users/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Người mới" in html


def test_changing_a_role_and_deactivating_are_audited(admin, make_user):
    user = make_user("ctv", "author")
    admin.post(f"/admin/users/{user.id}/edit", data={"display_name": "CTV", "role": "editor"})
    db.session.refresh(user)
    assert (user.role, user.active) == ("editor", False)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "user_update")).one()
    assert "vai trò author → editor" in entry.detail and "khóa tài khoản" in entry.detail


def test_an_admin_cannot_lock_themselves_out(admin):
    me = db.session.scalars(select(User).where(User.username == "admin")).one()
    response = admin.post(
        f"/admin/users/{me.id}/edit", data={"display_name": "Tôi", "role": "editor", "active": "y"}
    )
    assert response.status_code == 422
    assert "Bạn không thể tự bỏ quyền quản trị" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "admin"


def test_an_admin_may_demote_another_admin(admin, make_user):
    other_admin = make_user("quantri2", "admin")
    response = admin.post(
        f"/admin/users/{other_admin.id}/edit", data={"display_name": "x", "role": "editor"}
    )
    assert response.status_code == 302
    db.session.refresh(other_admin)
    assert (other_admin.role, other_admin.active) == ("editor", False)


def test_reset_password_signs_the_user_out_and_unlocks_them(admin, app, make_user):
    user = make_user("ctv", "author", password=PASSWORD)
    switch_browser()
    their_browser = app.test_client()
    their_browser.post("/admin/login", data={"username": "ctv", "password": PASSWORD})
    switch_browser()
    response = admin.post(
        f"/admin/users/{user.id}/password",
        data={"password": "mat-khau-moi-123", "confirm": "mat-khau-moi-123"},
    )
    assert response.location == "/admin/users"
    switch_browser()
    assert their_browser.get("/admin/").status_code == 302
    login = {"username": "ctv", "password": "mat-khau-moi-123"}
    assert their_browser.post("/admin/login", data=login).status_code == 302
    assert "password_reset" in db.session.scalars(select(AuditLog.action)).all()


def test_an_admin_changing_their_own_password_stays_signed_in(admin):
    me = db.session.scalars(select(User).where(User.username == "admin")).one()
    admin.post(
        f"/admin/users/{me.id}/password",
        data={"password": "mat-khau-moi-123", "confirm": "mat-khau-moi-123"},
    )
    assert admin.get("/admin/users").status_code == 200


# --- The audit log ----------------------------------------------------------------------------


def test_the_audit_log_shows_logins_and_publications_to_admins(admin, make_article):
    article = make_article(status="draft")
    data = {
        "title": article.title, "category_id": str(article.category_id),
        "version": str(article.version), "action": "publish", "body": "<p>x</p>",
    }  # fmt: skip
    admin.post(f"/admin/articles/{article.id}/edit", data=data)
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert "Đăng nhập" in html and "Đăng bài" in html and f"“{article.title}”" in html
    html = admin.get("/admin/audit?action=publish").get_data(as_text=True)
    assert "Đăng bài" in html and "<td>Đăng nhập</td>" not in html


# --- Roles -------------------------------------------------------------------------------------

SITE_PAGES = [
    ("/admin/categories", {"editor", "admin"}),
    ("/admin/categories/new", {"editor", "admin"}),
    ("/admin/pages", {"editor", "admin"}),
    ("/admin/pages/new", {"editor", "admin"}),
    ("/admin/settings", {"admin"}),
    ("/admin/users", {"admin"}),
    ("/admin/users/new", {"admin"}),
    ("/admin/audit", {"admin"}),
]


@pytest.mark.parametrize("role", ["author", "editor", "admin"])
@pytest.mark.parametrize(("url", "roles"), SITE_PAGES)
def test_role_and_site_page(client, auth, role, url, roles):
    auth.login(role)
    assert client.get(url).status_code == (200 if role in roles else 403)


@pytest.mark.parametrize(
    ("role", "url", "data"),
    [
        ("author", "/admin/categories/new", {"name": "Chuyên mục lạ"}),
        ("author", "/admin/pages/new", {"title": "Trang lạ", "lang": "vi"}),
        ("editor", "/admin/users/new", {"username": "la", "role": "admin", "password": "x" * 9,
                                        "confirm": "x" * 9}),
        ("editor", "/admin/settings", {"site_name": "Tên lạ"}),
    ],
)  # fmt: skip
def test_role_and_site_action_is_refused_and_changes_nothing(client, auth, role, url, data):
    auth.login(role)
    response = client.post(url, data=data)
    assert response.status_code == 403
    assert db.session.scalars(select(Category)).all() == []
    assert db.session.scalars(select(Page)).all() == []
    assert db.session.scalars(select(User.username)).all() == [role]
    assert Setting.values()["site_name"] == SETTINGS["site_name"][1]


def test_the_menu_shows_only_what_the_role_may_use(client, auth):
    auth.login("author")
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/articles"' in html and 'href="/admin/categories"' not in html
    assert 'href="/admin/users"' not in html
    auth.logout()
    switch_browser()
    auth.login("editor")
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/categories"' in html and 'href="/admin/pages"' in html
    assert 'href="/admin/audit"' not in html and 'href="/admin/settings"' not in html


# --- The face of an official portal: Quốc hiệu, the main menu, phone links, RSS ---------------


def main_menu_labels(client) -> list[str]:
    switch_browser()  # the menu is read once per request
    html = client.get("/").get_data(as_text=True)
    start = html.index('<nav class="menu"')
    nav = html[start : html.index("</nav>", start)]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def test_the_desk_arranges_a_main_menu_of_categories_and_pages(editor, make_category):
    from models import Page

    news, farming = make_category(name="Tin tức"), make_category(name="Nông nghiệp")
    about = Page(title="Giới thiệu", slug="gioi-thieu", body="<p>Xã</p>")
    db.session.add(about)
    db.session.commit()
    assert main_menu_labels(editor) == ["Trang chủ", "Tin tức", "Nông nghiệp", "Văn bản",
                                        "Hỏi đáp", "Lịch công tác", "Thăm dò ý kiến"]  # fmt: skip
    html = editor.get("/admin/menu").get_data(as_text=True)
    assert "Trang: Giới thiệu" in html and "Thêm vào cuối menu" in html
    page_entry = f"page:{about.id}"
    assert editor.post(f"/admin/menu/add?muc={page_entry}").status_code == 302
    for _ in range(9):  # past the top: stays first
        editor.post(f"/admin/menu/up?muc={page_entry}")
    editor.post(f"/admin/menu/remove?muc=category:{farming.id}")
    editor.post("/admin/menu/remove?muc=questions")
    editor.post("/admin/menu/remove?muc=schedule")
    editor.post("/admin/menu/remove?muc=polls")
    assert main_menu_labels(editor) == ["Trang chủ", "Giới thiệu", "Tin tức", "Văn bản"]
    # A category made later joins at the end; the one taken out stays out.
    make_category(name="Thông báo")
    assert main_menu_labels(editor) == ["Trang chủ", "Giới thiệu", "Tin tức", "Văn bản",
                                        "Thông báo"]  # fmt: skip
    switch_browser()
    page = editor.get("/trang/gioi-thieu").get_data(as_text=True)
    assert '<a href="/trang/gioi-thieu" aria-current="page">Giới thiệu</a>' in page
    assert news.id  # still in the menu, in its place
    assert editor.post("/admin/menu/up?muc=category:99999").status_code == 404
    assert editor.post("/admin/menu/fly?muc=documents").status_code == 404


def test_the_national_motto_heads_every_page_when_the_admin_sets_it(admin):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in admin.get("/").get_data(as_text=True)
    data = {k: v for k, v in Setting.values().items() if k not in IMAGE_SETTINGS}
    assert admin.post("/admin/settings", data=data | {"national_motto": "1"}).status_code == 302
    switch_browser()
    html = admin.get("/van-ban").get_data(as_text=True)
    assert "<strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong>" in html
    assert "<span>Độc lập – Tự do – Hạnh phúc</span>" in html


def test_phone_numbers_in_a_page_become_tel_links_and_links_stay_as_they_are(editor):
    body = (
        "<p>Đường dây nóng: 0209 3 812 345; Công an xã: 0912.345.678; tổng đài 1900 1234."
        '</p><p>Văn phòng: <a href="tel:0209111">0209 3 800 800</a>. Dân số 3.000.000 người,'
        " ngày 25/10/2026, mã hồ sơ 012345678912.</p>"
    )
    data = {"title": "Liên hệ", "slug": "lien-he", "body": body, "position": "0", "lang": "vi"}
    assert editor.post("/admin/pages/new", data=data).status_code == 302
    html = editor.get("/trang/lien-he").get_data(as_text=True)
    assert '<a class="tel" href="tel:02093812345">0209 3 812 345</a>' in html
    assert '<a class="tel" href="tel:0912345678">0912.345.678</a>' in html
    assert '<a class="tel" href="tel:19001234">1900 1234</a>' in html
    assert '<a href="tel:0209111">0209 3 800 800</a>' in html  # the editor's own link, as is
    assert "tel:3000000" not in html and "tel:012345678912" not in html
    # The stored body is what the editor wrote.
    from models import Page

    assert 'class="tel"' not in db.session.scalars(db.select(Page)).one().body


def test_every_page_shows_a_visible_rss_link(client):
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/rss.xml">Nhận tin mới qua RSS</a>' in html
