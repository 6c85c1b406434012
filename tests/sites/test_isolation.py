"""Two communes on one install: nothing of one site ever shows through the other's host."""

import pytest
from desk import app_rules
from two_sites import HOSTS, MARKS

from models import Article, db

OTHER = {"tra-leng": "hoa-son", "hoa-son": "tra-leng"}
PAIRS = sorted(OTHER.items())
# Every GET route of the reader site, the sign-in pages and the desk, with sample ids (1: both
# sites have a row 1 of each kind, so the route finds the visiting site's own row).
READER_ROUTES = [r for r in app_rules(("public.", "health.", "assets.")) if r[0] == "GET"]
DESK_ROUTES = [r for r in app_rules(("admin.", "auth.")) if r[0] == "GET"]


def text_of(response) -> str:
    data = response.get_data()
    response.close()  # downloads are files: close them
    return data.decode("utf-8", "replace")


def shows(response, name: str) -> bool:
    """Whether a response carries anything of that site's content (its mark, in any form)."""
    body = text_of(response)
    mark = MARKS[name]
    return mark in body or mark.encode("ascii", "xmlcharrefreplace").decode() in body


def test_each_site_answers_its_own_host_with_its_own_content(province):
    for name in HOSTS:
        home = province.client(name).get("/")
        assert home.status_code == 200
        assert shows(home, name) and not shows(home, OTHER[name])


def test_attack_unknown_host_is_refused(province):
    client = province.app.test_client()
    for host in ("evil.test", "traleng.test.evil.test", "hoason", "127.0.0.2"):
        response = client.get("/", base_url=f"http://{host}")
        assert response.status_code == 400, host
        assert "Trà" not in text_of(response) and "Hòa" not in text_of(response)


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
@pytest.mark.parametrize(("method", "url", "endpoint"), READER_ROUTES)
def test_attack_reader_route_never_shows_the_other_site(province, visitor, owner, method,
                                                        url, endpoint):
    response = province.client(visitor).get(url)
    assert response.status_code < 500, (endpoint, response.status_code)
    assert not shows(response, owner), endpoint


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
def test_attack_the_other_sites_article_image_and_file_urls(province, visitor, owner):
    """The owner's own addresses answer on its host; on the visitor's host they show nothing
    of the owner's (same ids reach the visitor's own rows, or nothing)."""
    ids = province.ids[owner]
    own, foreign = province.client(owner), province.client(visitor)
    article = f"/tin/tin-ve-duong-thon-{ids['article']}"
    assert shows(own.get(article), owner)
    assert not shows(foreign.get(article), owner)
    for url in (f"/media/{ids['lead']}-480.jpg", f"/media/{ids['inline']}-960.webp"):
        mine, theirs = own.get(url), foreign.get(url)
        text_of(mine), text_of(theirs)
        assert mine.status_code == 200
        assert theirs.status_code != 200 or theirs.data != mine.data, url
    document = f"/van-ban/{ids['document']}"
    assert shows(own.get(document), owner) and not shows(foreign.get(document), owner)


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
def test_attack_search_feeds_and_sitemap_hold_only_the_sites_own(province, visitor, owner):
    client = province.client(visitor)
    word = MARKS[owner].split("-")[0]
    for url in ("/tim-kiem?q=" + word, "/tim-kiem?q=riêng", "/rss.xml",
                "/chuyen-muc/tin-tuc/rss.xml", "/sitemap.xml", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not shows(response, owner), url
        assert HOSTS[owner] not in text_of(response), url
    assert HOSTS[visitor] in text_of(client.get("/rss.xml")), "links use the site's own address"


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
def test_attack_a_user_of_one_site_cannot_sign_in_to_another(province, visitor, owner):
    client = province.client(visitor)
    refused = client.login(province.ids[owner]["user"])
    assert refused.status_code == 200 and "/admin/" not in refused.headers.get("Location", "")
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
def test_attack_an_admins_session_cookie_does_not_open_another_desk(province, visitor, owner):
    own = province.client(owner)
    assert own.login(province.ids[owner]["user"]).status_code == 302
    assert own.get("/admin/").status_code == 200
    cookie = own.client.get_cookie("session", domain=HOSTS[owner])
    thief = province.client(visitor)
    thief.client.set_cookie("session", cookie.value, domain=HOSTS[visitor])
    response = thief.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize(("visitor", "owner"), PAIRS)
@pytest.mark.parametrize(("method", "url", "endpoint"), DESK_ROUTES)
def test_attack_desk_route_of_a_signed_in_admin_never_shows_the_other_site(
    province, visitor, owner, method, url, endpoint
):
    client = province.client(visitor)
    assert client.login(province.ids[visitor]["user"]).status_code == 302
    response = client.get(url)
    assert response.status_code < 500, (endpoint, response.status_code)
    assert not shows(response, owner), endpoint


def test_a_save_on_one_site_changes_only_that_sites_pages(province):
    """Each site has its own page-cache stamp: an edit on one leaves the other's cache warm."""
    trl, hs = province.client("tra-leng"), province.client("hoa-son")
    before = {name: province.client(name).get("/").data for name in HOSTS}
    app = province.app.extensions["province"].app_for(province.registry.require("tra-leng"))
    with app.app_context():
        article = db.session.get(Article, province.ids["tra-leng"]["article"])
        article.title = f"Tin {MARKS['tra-leng']} đã sửa"
        db.session.commit()
    assert "đã sửa" in text_of(trl.get("/"))
    assert hs.get("/").data == before["hoa-son"]
