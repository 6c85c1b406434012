"""The province's own pages: the front page, combined feed and search across communes, and the
admin page of the province's IT officers (accounts of the province, never of a commune)."""

import re
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import pytest
from conftest import PASSWORD
from two_sites import HOSTS, MARKS, Province, province_fixture  # noqa: F401 - `province`

import models
from app import create_app
from models import Article, Category, db
from ops import backup, sites
from sites import operators
from vietnamese import VN_TZ

OFFICER, OFFICER_PASSWORD = "can-bo-tinh", "mat-khau-cua-tinh"


def text(response) -> str:
    return response.get_data(as_text=True)


def site_app(province, name):
    return province.app.extensions["province"].app_for(province.registry.require(name))


def add_article(province, name, title, **fields):
    """Write an article on one site, inside that site's own app, and return its id."""
    with site_app(province, name).app_context():
        category = db.session.scalar(db.select(Category))
        fields.setdefault("status", "published")
        fields.setdefault("publish_at", models.utcnow() - timedelta(minutes=5))
        article = Article(title=title, slug="them", summary="", body="<p>x</p>", body_text="x",
                          category=category, **fields)
        db.session.add(article)
        db.session.commit()
        return article.id


def run(app, *args, **kwargs):
    with app.app_context():  # as `flask` pushes it
        return app.test_cli_runner().invoke(args=list(args), **kwargs)


def make_officer(province, name=OFFICER, password=OFFICER_PASSWORD):
    result = run(province.app, "site", "operator", name, "--password", password)
    assert result.exit_code == 0, result.output
    return result


def sign_in(province, name=OFFICER, password=OFFICER_PASSWORD, address="10.1.1.1"):
    client = province.app.test_client()
    response = client.post("/admin/login", data={"username": name, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return client, response


@pytest.fixture(name="fresh")
def fresh_province(tmp_path):
    """A province of its own for tests that write."""
    made = Province(tmp_path)
    yield made
    made.close()


# --- The front page ---------------------------------------------------------------------------


def test_front_page_lists_each_communes_news_linking_to_its_own_site(province):
    page = text(province.client().get("/"))
    for name, host in HOSTS.items():
        article = province.ids[name]["article"]
        assert f"Tin {MARKS[name]} về đường thôn" in page
        assert f'href="https://{host}/tin/tin-ve-duong-thon-{article}"' in page
        assert f'href="https://{host}/"' in page
        assert f"Xã {name}" in page
        assert f"Nháp {MARKS[name]}" not in page


def test_front_page_is_cacheable_and_revalidates_with_304(province):
    client = province.client()
    first = client.get("/")
    assert first.status_code == 200 and "public" in first.headers["Cache-Control"]
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_front_page_feed_and_search_hide_drafts_scheduled_expired_and_disabled_sites(fresh):
    now = models.utcnow()
    add_article(fresh, "tra-leng", "Tin hẹn giờ vuonchuoi", publish_at=now + timedelta(days=1))
    add_article(fresh, "tra-leng", "Tin hết hạn vuonchuoi", publish_at=now - timedelta(days=2),
                expire_at=now - timedelta(days=1))
    add_article(fresh, "tra-leng", "Bản nháp vuonchuoi", status="draft")
    add_article(fresh, "tra-leng", "Chờ duyệt vuonchuoi", status="pending")
    client = fresh.client()
    for url in ("/", "/rss.xml", "/tim-kiem?q=vuonchuoi", "/tim-kiem?q=Nháp"):
        body = text(client.get(url))
        assert "vuonchuoi</a>" not in body and "vuonchuoi</title>" not in body, url
        assert "Nháp Trà" not in body and "Nháp Hòa" not in body, url
    assert "Không tìm thấy kết quả nào" in text(client.get("/tim-kiem?q=vuonchuoi"))

    fresh.registry.set_enabled("hoa-son", False)
    sites.registry_changed(fresh.registry, fresh.config["INSTANCE_PATH"])
    for url in ("/", "/rss.xml", "/tim-kiem?q=duong+thon"):
        body = text(client.get(url))
        assert MARKS["hoa-son"] not in body and "hoason.test" not in body, url
        assert MARKS["tra-leng"] in body, url


def test_an_edit_on_one_site_shows_on_the_front_page_at_once(fresh):
    client = fresh.client()
    before = client.get("/")
    assert "Đường mới làm xong" not in text(before)
    with site_app(fresh, "hoa-son").app_context():
        article = db.session.get(Article, fresh.ids["hoa-son"]["article"])
        article.title = "Đường mới làm xong"
        db.session.commit()
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Đường mới làm xong" in text(after)
    assert "Đường mới làm xong" in text(client.get("/rss.xml"))
    found = text(client.get("/tim-kiem?q=duong+moi+lam+xong"))
    assert "<mark>Đường</mark> <mark>mới</mark>" in found and "hoason.test/tin/" in found
    with site_app(fresh, "hoa-son").app_context():
        db.session.get(Article, fresh.ids["hoa-son"]["article"]).status = "draft"
        db.session.commit()
    assert "Đường mới làm xong" not in text(client.get("/"))


def test_a_scheduled_article_appears_on_the_front_page_when_its_time_comes(fresh, monkeypatch):
    start = models.utcnow()
    add_article(fresh, "tra-leng", "Lịch tiêm phòng tháng sau", publish_at=start
                + timedelta(hours=1))
    client = fresh.client()
    assert "Lịch tiêm phòng" not in text(client.get("/"))
    monkeypatch.setattr(models, "utcnow", lambda: start + timedelta(hours=2))
    assert "Lịch tiêm phòng" in text(client.get("/"))


def test_a_renamed_commune_shows_its_new_name_at_once(fresh):
    client = fresh.client()
    assert "Xã Trà Leng mới" not in text(client.get("/"))
    with site_app(fresh, "tra-leng").app_context():
        models.Setting.put("site_name", "Xã Trà Leng mới")
        db.session.commit()
    assert "Xã Trà Leng mới" in text(client.get("/"))


def test_combined_feed_is_rss_with_every_communes_articles(province):
    response = province.client().get("/rss.xml")
    assert response.mimetype == "application/rss+xml"
    channel = ElementTree.fromstring(response.data).find("channel")
    links = {item.findtext("link") for item in channel.iter("item")}
    for name, host in HOSTS.items():
        assert f"https://{host}/tin/tin-ve-duong-thon-{province.ids[name]['article']}" in links
    sources = {item.findtext("source") for item in channel.iter("item")}
    assert sources == {"Xã tra-leng", "Xã hoa-son"}


# --- Combined search --------------------------------------------------------------------------


def test_combined_search_finds_every_communes_articles_without_marks(province):
    response = province.client().get("/tim-kiem?q=duong thon")
    page = text(response)
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in page
    for name, host in HOSTS.items():
        assert f'href="https://{host}/tin/tin-ve-duong-thon-{province.ids[name]["article"]}"' \
            in page
        assert f'href="https://{host}/tim-kiem?q=duong+thon"' in page
    assert "<mark>đường</mark>" in page


def test_combined_search_finds_only_that_communes_words(province):
    page = text(province.client().get("/tim-kiem?q=Tra-Leng-rieng"))
    assert "traleng.test/tin/" in page and "hoason.test/tin/" not in page


@pytest.mark.parametrize("query", ["", "x", "%00", "a%00b", "đ" * 5000, "\"'<script>", "*", "-"])
def test_attack_odd_searches_get_a_vietnamese_page_not_an_error(province, query):
    response = province.client().get(f"/tim-kiem?q={query}")
    assert response.status_code in (200, 400)
    assert "<script>" not in text(response)
    assert 'lang="vi"' in text(response)


def test_the_province_has_vietnamese_error_pages(province):
    response = province.client().get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response) and 'lang="vi"' in text(response)
    assert province.client().post("/").status_code == 405


# --- The admin page ---------------------------------------------------------------------------


def test_admin_page_sends_anonymous_visitors_to_sign_in(province):
    response = province.client().get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
    login = province.client().get("/admin/login")
    assert "Đăng nhập quản trị tỉnh" in text(login)
    assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
    assert login.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in login.headers["Cache-Control"]


def test_admin_page_shows_every_site_with_its_figures(fresh):
    make_officer(fresh)
    fresh.registry.set_enabled("hoa-son", False)
    sites.registry_changed(fresh.registry, fresh.config["INSTANCE_PATH"])
    with site_app(fresh, "tra-leng").app_context():
        backup.create_backup(backup.new_archive_path(backup.backup_folder()))
    client, response = sign_in(fresh)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = text(client.get("/admin/"))
    assert "traleng.test" in page and "hoason.test" in page
    assert "Đang chạy" in page and "Tạm ngừng" in page
    rows = {name: row for name in HOSTS for row in page.split("<tr") if f">{name}<" in row}
    published = models.utcnow().astimezone(VN_TZ).strftime("%d/%m/%Y")
    for row in rows.values():
        assert re.search(rf'data-label="Tin mới nhất">{published} \d\d:\d\d<', row)
    assert " KB" in rows["tra-leng"] or " MB" in rows["tra-leng"]
    on_sqlite = fresh.config["SITES_DATABASE_URI"].startswith("sqlite")
    if on_sqlite:
        assert 'class="trouble"' not in rows["tra-leng"] and "Tốt" in rows["tra-leng"]
        assert "Chưa sao lưu" in rows["hoa-son"] and 'class="trouble"' in rows["hoa-son"]
    assert "Cơ sở dữ liệu" not in rows["tra-leng"]


def test_admin_page_marks_a_site_not_at_the_newest_schema(fresh):
    make_officer(fresh)
    with site_app(fresh, "hoa-son").app_context():
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '44ea13cbcc70'"))
        db.session.commit()
    client, _ = sign_in(fresh)
    page = text(client.get("/admin/"))
    row = next(row for row in page.split("<tr") if ">hoa-son<" in row)
    assert 'class="trouble"' in row and "đang ở 44ea13cbcc70" in row


def test_attack_a_communes_admin_is_not_a_province_officer(province):
    make_officer(province)
    commune_admin = province.ids["tra-leng"]["user"]
    own = province.client("tra-leng")
    assert own.login(commune_admin).status_code == 302  # they may sign in to their own desk
    client, response = sign_in(province, commune_admin, PASSWORD, address="10.2.2.2")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in text(response)
    assert client.get("/admin/").status_code == 302
    # Nor does the commune's session cookie mean anything on the province's host.
    cookie = own.client.get_cookie("session", domain="traleng.test")
    assert cookie is not None
    stranger = province.app.test_client()
    stranger.set_cookie("session", cookie.value, domain="localhost")
    assert stranger.get("/admin/").status_code == 302


def test_attack_unknown_name_and_bad_password_get_the_same_answer(province):
    make_officer(province)
    _, unknown = sign_in(province, "khong-co-ai", "sai", address="10.3.3.3")
    _, wrong = sign_in(province, OFFICER, "sai", address="10.3.3.4")
    assert unknown.status_code == wrong.status_code == 401
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in text(unknown) and message in text(wrong)
    assert text(unknown).replace("khong-co-ai", "") == text(wrong).replace(OFFICER, "")


def test_attack_guessing_is_throttled_per_address_without_locking_the_owner_out(fresh):
    make_officer(fresh)
    limit = fresh.app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(fresh, OFFICER, "doan-mo", address="10.6.6.6")
    _, blocked = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.6.6.6")
    assert blocked.status_code == 401 and "Đăng nhập sai quá nhiều lần" in text(blocked)
    client, owner = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.7.7.7")
    assert owner.status_code == 302 and client.get("/admin/").status_code == 200


def test_attack_many_names_from_one_address_are_throttled_too(fresh):
    make_officer(fresh)
    fresh.app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    for number in range(4):
        sign_in(fresh, f"ten-{number}", "doan-mo", address="10.8.8.8")
    _, blocked = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.8.8.8")
    assert "Đăng nhập sai quá nhiều lần" in text(blocked)


def test_attack_a_copied_cookie_dies_at_logout(fresh):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    copied = client.get_cookie("session", domain="localhost").value
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/logout").status_code == 405  # logout is a POST only
    response = client.post("/admin/logout")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert "Bạn đã đăng xuất." in text(client.get(response.headers["Location"]))
    thief = fresh.app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    assert thief.get("/admin/").status_code == 302


def test_attack_a_new_password_ends_every_sign_in(fresh):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    assert client.get("/admin/").status_code == 200
    result = make_officer(fresh, password="mat-khau-moi")
    assert "Đã đặt mật khẩu mới" in result.output
    assert client.get("/admin/").status_code == 302
    assert sign_in(fresh, password=OFFICER_PASSWORD)[1].status_code == 401
    assert sign_in(fresh, password="mat-khau-moi")[1].status_code == 302


def test_attack_an_idle_sign_in_ends(fresh, monkeypatch):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    later = models.utcnow() + timedelta(minutes=fresh.app.config["SESSION_IDLE_MINUTES"] + 1)
    monkeypatch.setattr(models, "utcnow", lambda: later)
    assert client.get("/admin/").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite(fresh):
    make_officer(fresh)
    _, response = sign_in(fresh)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture(name="guarded")
def csrf_province(province):
    """The same province's entry app with CSRF checks on, as in production."""
    app = create_app({**province.config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["registry"].dispose()


def csrf_token_of(client) -> str:
    page = text(client.get("/admin/login"))
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_attack_sign_in_and_logout_need_the_forms_token(province, guarded):
    make_officer(province)
    client = guarded.test_client()
    forged = client.post("/admin/login", data={"username": OFFICER,
                                               "password": OFFICER_PASSWORD})
    assert forged.status_code == 400 and "Biểu mẫu đã hết hạn" in text(forged)
    token = csrf_token_of(client)
    signed = client.post("/admin/login", data={"username": OFFICER, "password": OFFICER_PASSWORD,
                                               "csrf_token": token})
    assert signed.status_code == 302
    assert client.post("/admin/logout").status_code == 400  # no token: still signed in
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("name", ["", " ", "a\x00b", "đ" * 300, "<script>", "' OR 1=1 --"])
@pytest.mark.parametrize("password", ["", "x", "\x00", "p" * 5000])
def test_attack_odd_sign_in_input_gets_a_form_again_not_an_error(province, name, password):
    _, response = sign_in(province, name, password, address="10.9.9.9")
    assert response.status_code in (401, 422)
    assert "<script>" not in text(response) and "Đăng nhập quản trị tỉnh" in text(response)


# --- The command --------------------------------------------------------------------------------


def test_operator_command_prompts_for_the_password_and_refuses_bad_names(fresh):
    result = run(fresh.app, "site", "operator", "Can-Bo", input="bi-mat\nbi-mat\n")
    assert result.exit_code == 0 and "Đã tạo tài khoản quản trị tỉnh “can-bo”" in result.output
    assert operators.names(fresh.registry) == ["can-bo"]
    assert sign_in(fresh, "can-bo", "bi-mat")[1].status_code == 302
    bad = run(fresh.app, "site", "operator", "cán bộ", "--password", "x")
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output
    gone = run(fresh.app, "site", "operator", "can-bo", "--remove")
    assert gone.exit_code == 0 and operators.names(fresh.registry) == []
    assert sign_in(fresh, "can-bo", "bi-mat")[1].status_code == 401


def test_operator_command_is_refused_on_a_single_communes_install(app, runner):
    result = runner.invoke(args=["site", "operator", "can-bo", "--password", "x"])
    assert result.exit_code != 0 and "nhiều trang" in result.output
