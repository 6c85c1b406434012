"""The province's own pages in the page cache (sites/front.py): kept in the process's one page
store by the rules and with the variants of every commune's pages, answered without their view
until what they show changes (each test with a province of its own, since each writes)."""

import gzip

from officers import add_article, text
from two_sites import MARKS


def renders_of(province, endpoint: str) -> list:
    """Note each time the view runs from now on (a kept page's answer never runs it)."""
    renders = []
    view = province.app.view_functions[endpoint]

    def counted(*args, **kwargs):
        renders.append(endpoint)
        return view(*args, **kwargs)

    province.app.view_functions[endpoint] = counted
    return renders


def test_a_kept_front_page_is_served_compressed_without_rendering_again(fresh):
    client = fresh.client()
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    renders = renders_of(fresh, "province.home")
    again = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert again.status_code == 200 and again.data == first.data
    assert MARKS["hoa-son"] in gzip.decompress(again.data).decode()
    revalidated = client.get("/", headers={"Accept-Encoding": "gzip",
                                           "If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert renders == []


def test_each_encoding_of_the_feed_is_kept_apart(fresh):
    client = fresh.client()
    plain = client.get("/rss.xml")
    packed = client.get("/rss.xml", headers={"Accept-Encoding": "gzip"})
    renders = renders_of(fresh, "province.rss")
    assert client.get("/rss.xml").data == plain.data
    assert client.get("/rss.xml", headers={"Accept-Encoding": "gzip"}).data == packed.data
    assert gzip.decompress(packed.data) == plain.data
    assert plain.headers["ETag"] == packed.headers["ETag"]
    assert renders == []


def test_a_kept_search_is_answered_until_a_commune_publishes(fresh):
    client = fresh.client()
    assert "Không tìm thấy kết quả nào" in text(client.get("/tim-kiem?q=caphe"))
    renders = renders_of(fresh, "province.search_page")
    assert "Không tìm thấy kết quả nào" in text(client.get("/tim-kiem?q=caphe"))
    assert renders == []
    add_article(fresh, "hoa-son", "Hội chợ caphe cuối tuần")
    assert "Hội chợ" in text(client.get("/tim-kiem?q=caphe"))
    assert renders == ["province.search_page"]


def test_a_visitor_with_a_session_gets_a_fresh_render(fresh):
    client = fresh.client()
    client.get("/")
    renders = renders_of(fresh, "province.home")
    client.client.set_cookie("session", "anything", domain="localhost")
    assert client.get("/").status_code == 200
    assert renders == ["province.home"]
