"""Old addresses answer 301 from the Redirect table, only where nothing else answered, and
only ever to a path of this site."""

import pytest

from models import Redirect, db
from web import redirects


def add(old_path: str, target: str, host: str | None = None) -> Redirect:
    row = Redirect(old_path=old_path, target=target, host=host, source="test")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/2019/05/14/le-hoi/", (None, "/2019/05/14/le-hoi")),
        ("https://Xa-Cu.example/2019/05/le-hoi/?utm_source=zalo&fbclid=1",
         ("xa-cu.example", "/2019/05/le-hoi")),
        ("/?p=21", (None, "/?p=21")),
        ("/index.php?nv=news&op=tin-15", (None, "/index.php?nv=news&op=tin-15")),
        ("/index.php?op=tin-15&nv=news", (None, "/index.php?nv=news&op=tin-15")),
        ("/tin/th%c3%b4ng-b%C3%A1o", (None, "/tin/th%C3%B4ng-b%C3%A1o")),
        ("/tin/thông-báo", (None, "/tin/th%C3%B4ng-b%C3%A1o")),
        ("tin-cu.html", (None, "/tin-cu.html")),
    ],
)
def test_addresses_are_compared_normalised(app, address, expected):
    assert redirects.normalise(address) == expected


def test_an_old_address_answers_301_with_its_new_one(client, make_article):
    article = make_article(title="Khánh thành trường mầm non")
    add("/2019/05/14/khanh-thanh-truong", f"/tin/{article.slug}-{article.id}")
    answer = client.get("/2019/05/14/khanh-thanh-truong/?utm_campaign=x")
    assert answer.status_code == 301 and answer.location == f"/tin/{article.slug}-{article.id}"
    assert "max-age=86400" in answer.headers["Cache-Control"]


def test_a_vietnamese_old_address_matches_however_it_is_encoded(client):
    add(redirects.normalise("/tin-tức/đường-mới/")[1], "/trang/gioi-thieu")
    for spelling in ("/tin-t%E1%BB%A9c/%C4%91%C6%B0%E1%BB%9Dng-m%E1%BB%9Bi", "/tin-tức/đường-mới/"):
        assert client.get(spelling).location == "/trang/gioi-thieu"


def test_a_host_row_wins_and_applies_only_to_its_host(client):
    add("/lien-he", "/trang/lien-he-chung")
    add("/lien-he", "/trang/lien-he-tra-leng", host="localhost")
    assert client.get("/lien-he").location == "/trang/lien-he-tra-leng"
    db.session.delete(db.session.scalar(db.select(Redirect).where(Redirect.host.is_(None))))
    add("/gop-y", "/trang/gop-y", host="xa-khac.example")
    db.session.commit()
    assert client.get("/gop-y").status_code == 404


def test_a_target_with_vietnamese_letters_is_sent_as_ascii(client):
    add("/tim-cu", redirects.local_target("/tim-kiem?q=lễ hội".replace(" ", "+")))
    answer = client.get("/tim-cu")
    assert answer.headers["Location"] == "/tim-kiem?q=l%E1%BB%85+h%E1%BB%99i"


def test_wordpress_query_links_on_the_home_page(client):
    add("/?p=12", "/trang/gioi-thieu")
    assert client.get("/?p=12").location == "/trang/gioi-thieu"
    assert client.get("/?p=13").status_code == 200  # unknown: the home page, as before


def test_pages_that_exist_never_read_the_table(client, make_article):
    article = make_article()
    add(f"/tin/{article.slug}-{article.id}", "/trang/khac")
    assert client.get(f"/tin/{article.slug}-{article.id}").status_code == 200


def test_a_post_to_an_old_address_is_not_redirected(client):
    add("/cu", "/trang/moi")
    assert client.post("/cu").status_code in (404, 405)


@pytest.mark.parametrize(
    "target",
    ["https://lua-dao.example/", "//lua-dao.example/", "/\\lua-dao.example", "/\t/lua-dao.example",
     "javascript:alert(1)", " //lua-dao.example"],
)
def test_attack_a_row_written_past_the_desk_cannot_send_readers_away(client, target):
    add("/bai-cu", target)
    answer = client.get("/bai-cu")
    assert answer.status_code == 404
    assert "lua-dao" not in answer.headers.get("Location", "")


def test_attack_a_loop_in_the_table_is_not_followed_forever(client):
    add("/a", "/b")
    add("/b", "/a")
    add("/c", "/d")
    assert redirects.loops(None, "/e", "/c") is False  # a chain that ends is fine
    assert redirects.loops(None, "/d", "/c") is True
    assert redirects.loops(None, "/e", "/a") is True  # leads into a loop
    answer = client.get("/a")  # one hop at a time: the browser stops a loop it sees
    assert answer.status_code == 301 and answer.location == "/b"
