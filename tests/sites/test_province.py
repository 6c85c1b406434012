"""The province's own pages, read-only: the front page, combined feed and search across
communes, and the doors of the IT officers' admin page (accounts of the province, never of a
commune). Tests that change a site or the registry are in test_province_changes.py: on
PostgreSQL a province is one set of schemas per worker, so a file uses one kind of fixture."""

import xml.etree.ElementTree as ElementTree

import pytest
from officers import (
    OFFICER,
    OFFICER_PASSWORD,
    PASSWORD,
    csrf_token_of,
    make_officer,
    sign_in,
    text,
)
from two_sites import HOSTS, MARKS

from app import create_app


@pytest.fixture(name="guarded")
def csrf_province(province):
    """The same province's entry app with CSRF checks on, as in production."""
    app = create_app({**province.config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["registry"].dispose()


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


def test_combined_feed_is_rss_with_every_communes_articles(province):
    response = province.client().get("/rss.xml")
    assert response.mimetype == "application/rss+xml"
    channel = ElementTree.fromstring(response.data).find("channel")
    links = {item.findtext("link") for item in channel.iter("item")}
    for name, host in HOSTS.items():
        assert f"https://{host}/tin/tin-ve-duong-thon-{province.ids[name]['article']}" in links
    sources = {item.findtext("source") for item in channel.iter("item")}
    assert sources == {"Xã tra-leng", "Xã hoa-son"}


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


def test_a_province_server_error_is_the_sites_page_in_the_provinces_layout(province,
                                                                          monkeypatch):
    """One renderer: the same words and request id as a commune's 500, the province's own
    layout, never kept, no stack trace."""
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(province.app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr("province.render_template", explode)
    response = province.client().get("/tim-kiem")
    page = text(response)
    assert response.status_code == 500 and "no-store" in response.headers["Cache-Control"]
    assert "Máy chủ gặp sự cố" in page and response.headers["X-Request-ID"] in page
    assert 'class="emblem"' in page and "secret internals" not in page


def test_the_province_adds_only_its_own_template_filter_to_the_shared_ones(province):
    env = province.app.jinja_env
    assert {"now", "asset_url", "request_id"} <= set(env.globals)
    assert "rfc822" in env.filters and "article_url" not in env.globals


def test_admin_page_sends_anonymous_visitors_to_sign_in(province):
    response = province.client().get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
    login = province.client().get("/admin/login")
    assert "Đăng nhập quản trị tỉnh" in text(login)
    assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
    assert login.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in login.headers["Cache-Control"]


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


@pytest.mark.parametrize("host", ["localhost", "tinh.test:8443", "TINH.TEST.", "127.0.0.1:5000"])
def test_attack_a_chosen_host_does_not_poison_the_kept_feed(province, host):
    """The combined feed is kept once for every reader: its links come from the configured
    address, whatever Host the first request (an attacker's) named."""
    app = create_app({**province.config, "PROVINCE_HOSTS": ["tinh.test"]})
    try:
        client = app.test_client()
        first = client.get("/rss.xml", headers={"Host": host})
        assert first.status_code in (200, 400)  # a host no rule trusts is refused outright
        reader = client.get("/rss.xml", headers={"Host": "tinh.test"})
        for response in (first, reader) if first.status_code == 200 else (reader,):
            channel = ElementTree.fromstring(response.data).find("channel")
            assert channel.findtext("link") == "https://tinh.test/"
            self_link = channel.find("{http://www.w3.org/2005/Atom}link").get("href")
            assert self_link == "https://tinh.test/rss.xml"
            assert b"localhost" not in response.data and b"8443" not in response.data
    finally:
        app.extensions["registry"].dispose()


def test_the_feed_links_follow_province_url_when_set(province):
    app = create_app({**province.config, "PROVINCE_HOSTS": ["tinh.test"],
                      "PROVINCE_URL": "https://tintuc.tinh.test/"})  # fmt: skip
    try:
        channel = ElementTree.fromstring(app.test_client().get(
            "/rss.xml", headers={"Host": "tinh.test"}).data).find("channel")  # fmt: skip
        assert channel.findtext("link") == "https://tintuc.tinh.test/"
    finally:
        app.extensions["registry"].dispose()


def fetched(client, address: str, headers: dict | None = None):
    response = client.get(address, headers=headers or {})
    response.get_data()
    response.close()  # a picture is a file the response holds open
    return response


def test_the_front_page_shows_each_storys_picture_from_the_provinces_own_host(province):
    client = province.client()
    page = text(client.get("/"))
    for name in HOSTS:
        lead = province.ids[name]["lead"]
        address = f"/anh/{name}/{lead}-160.jpg"
        assert f'<img src="{address}" srcset="/anh/{name}/{lead}-320.jpg 2x"' in page
        picture = fetched(client, address)
        assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
        assert "public" in picture.headers["Cache-Control"]
        again = fetched(client, address, {"If-None-Match": picture.headers["ETag"]})
        assert again.status_code == 304


def test_attack_the_picture_door_serves_only_what_a_site_shows_readers(province):
    client = province.client()
    other = province.ids["hoa-son"]
    # The PDF is a file, not an image; an unknown site and unknown sizes are not found.
    for address in (f"/anh/tra-leng/{other['pdf']}-160.jpg", "/anh/khong-co/1-160.jpg",
                    "/anh/tra-leng/1-123.jpg", "/anh/tra-leng/99999999999-160.jpg"):
        assert fetched(client, address).status_code == 404, address


def test_the_front_page_carries_the_provinces_name_and_emblem(province):
    page = text(province.client().get("/"))
    assert '<img class="emblem" src="/bieu-trung.png" width="48" height="48" alt="">' in page
    assert "<span>Tin tức các xã, phường</span>" in page
    emblem = province.client().get("/bieu-trung.png")
    assert emblem.status_code == 200 and emblem.mimetype == "image/png"
    assert emblem.data.startswith(b"\x89PNG")
