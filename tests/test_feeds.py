"""Feeds and discovery: RSS read by feedparser, sitemaps read by ElementTree, robots.txt,
and the metadata on article pages (Open Graph, schema.org NewsArticle)."""

import calendar
import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest

from models import Document, Page, Setting, db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_feed(client, path: str = "/rss.xml"):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/rss+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


def test_site_feed_lists_only_visible_articles_newest_first(client, make_article, clock):
    make_article(title="Tin thứ nhất", publish_at=clock.now - timedelta(days=2))
    make_article(title="Tin thứ hai", publish_at=clock.now - timedelta(days=1))
    make_article(title="Bản nháp", status="draft")
    make_article(title="Hẹn giờ", publish_at=clock.now + timedelta(hours=1))
    make_article(
        title="Hết hạn",
        publish_at=clock.now - timedelta(days=5),
        expire_at=clock.now - timedelta(minutes=1),
    )
    feed = parse_feed(client)
    assert [entry.title for entry in feed.entries] == ["Tin thứ hai", "Tin thứ nhất"]
    assert feed.feed.title == "Cổng thông tin điện tử xã"
    assert feed.feed.language == "vi"


def test_feed_dates_are_rfc822_in_vietnam_time(client, make_article):
    moment = datetime(2026, 5, 13, 1, 30, tzinfo=UTC)
    article = make_article(title="Họp giao ban", publish_at=moment)
    feed = parse_feed(client)
    entry = feed.entries[0]
    assert "Wed, 13 May 2026 08:30:00 +0700" in client.get("/rss.xml").get_data(as_text=True)
    assert calendar.timegm(entry.published_parsed) == int(moment.timestamp())
    assert entry.link == f"http://localhost/tin/{article.slug}-{article.id}"
    assert entry.id == entry.link


def test_full_text_setting_chooses_body_or_summary(client, make_article):
    make_article(
        title="Tin có ảnh",
        summary="Tóm tắt ngắn.",
        body='<p>Toàn văn.</p><figure><img src="/media/3-480.jpg" '
        'srcset="/media/3-480.jpg 480w, /media/3-960.jpg 960w" alt=""></figure>'
        '<p><a href="/trang/lien-he">Liên hệ</a></p>',
    )
    entry = parse_feed(client).entries[0]
    assert entry.summary == "Tóm tắt ngắn."
    body = entry.content[0].value
    assert "Toàn văn." in body
    assert 'src="http://localhost/media/3-480.jpg"' in body
    raw = client.get("/rss.xml").get_data(as_text=True)  # feedparser drops srcset
    assert "http://localhost/media/3-480.jpg 480w, http://localhost/media/3-960.jpg 960w" in raw
    assert 'href="http://localhost/trang/lien-he"' in body

    Setting.put("rss_full_text", "0")
    db.session.commit()
    entry = parse_feed(client).entries[0]
    assert entry.summary == "Tóm tắt ngắn."
    assert "content" not in entry
    assert "Toàn văn." not in client.get("/rss.xml").get_data(as_text=True)


def test_category_feed_holds_its_own_articles(client, make_article, make_category):
    news = make_category(name="Thông báo", slug="thong-bao", description="Thông báo của xã.")
    child = make_category(name="Lịch tiếp dân", slug="lich-tiep-dan", parent_id=news.id)
    make_article(title="Thông báo A", category=news)
    make_article(title="Lịch tiếp dân tháng 5", category=child)
    make_article(title="Tin khác")
    feed = parse_feed(client, "/chuyen-muc/thong-bao/rss.xml")
    assert {entry.title for entry in feed.entries} == {"Thông báo A", "Lịch tiếp dân tháng 5"}
    assert feed.feed.title.startswith("Thông báo – ")
    assert feed.feed.link == "http://localhost/chuyen-muc/thong-bao"
    assert feed.entries[0].tags[0].term in ("Thông báo", "Lịch tiếp dân")
    assert client.get("/chuyen-muc/khong-co/rss.xml").status_code == 404


def test_feed_survives_control_characters_pasted_from_word(client, make_article):
    make_article(title="Tiêu đề\x0b có ký tự lạ\x1f", summary="Sapo\x08.")
    entry = parse_feed(client).entries[0]
    assert entry.title == "Tiêu đề có ký tự lạ"


def test_feed_revalidates_with_etag(client, make_article):
    make_article(title="Tin mới")
    first = client.get("/rss.xml")
    etag = first.headers["ETag"]
    assert client.get("/rss.xml", headers={"If-None-Match": etag}).status_code == 304
    make_article(title="Tin mới hơn")
    assert client.get("/rss.xml", headers={"If-None-Match": etag}).status_code == 200


def test_pages_advertise_their_feeds(client, make_article):
    article = make_article()
    home = client.get("/").get_data(as_text=True)
    assert '<link rel="alternate" type="application/rss+xml"' in home and 'href="/rss.xml"' in home
    category = client.get(f"/chuyen-muc/{article.category.slug}").get_data(as_text=True)
    assert f'href="/chuyen-muc/{article.category.slug}/rss.xml"' in category


# --- Sitemaps and robots.txt -----------------------------------------------------------------


def sitemap_urls(client, path: str = "/sitemap.xml") -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    return {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_public_addresses_with_lastmod(client, make_article, clock):
    shown = make_article(title="Tin công khai", publish_at=clock.now - timedelta(hours=5))
    make_article(title="Bản nháp", status="draft")
    hidden = make_article(title="Hẹn giờ", publish_at=clock.now + timedelta(days=1))
    db.session.add(Page(title="Liên hệ", slug="lien-he"))
    db.session.add(
        Document(number="12/2026/NQ-HĐND", title="Nghị quyết", issued_on=date(2026, 1, 5))
    )
    db.session.commit()
    urls = sitemap_urls(client)
    assert "http://localhost/" in urls
    assert f"http://localhost/chuyen-muc/{shown.category.slug}" in urls
    assert "http://localhost/trang/lien-he" in urls
    assert "http://localhost/van-ban" in urls
    assert "http://localhost/van-ban/12-2026-nq-hdnd-1" in urls
    article_url = f"http://localhost/tin/{shown.slug}-{shown.id}"
    assert article_url in urls
    assert not any(f"-{hidden.id}" in url and "/tin/" in url for url in urls)
    assert len(urls) == 6
    for lastmod in urls.values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", lastmod)
    assert urls["http://localhost/"] == (shown.publish_at + timedelta(hours=7)).strftime(
        "%Y-%m-%dT%H:%M:%S+07:00"
    )


@pytest.fixture
def small_sitemaps(app):
    app.config["SITEMAP_MAX_URLS"] = 4


def test_sitemap_splits_into_an_index_past_the_limit(client, make_article, small_sitemaps):
    articles = [make_article(title=f"Tin {n}") for n in range(7)]  # + home + category = 9
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = [node.find(f"{SITEMAP}loc").text for node in root.findall(f"{SITEMAP}sitemap")]
    assert parts == [f"http://localhost/sitemap-{n}.xml" for n in (1, 2, 3)]
    every = {}
    for part in parts:
        urls = sitemap_urls(client, part.removeprefix("http://localhost"))
        assert 1 <= len(urls) <= 4
        every |= urls
    assert len(every) == 9
    assert all(f"http://localhost/tin/{a.slug}-{a.id}" in every for a in articles)
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_sitemap_files_list_exactly_the_visible_articles(
    client, make_article, small_sitemaps, clock
):
    articles = [make_article(title=f"Tin {n}") for n in range(10)]
    db.session.delete(articles[4])
    articles[6].status = "draft"
    articles[7].publish_at = clock.now + timedelta(days=1)
    articles[8].expire_at = clock.now - timedelta(hours=1)
    db.session.commit()
    root = ET.fromstring(client.get("/sitemap.xml").data)
    parts = [node.find(f"{SITEMAP}loc").text for node in root.findall(f"{SITEMAP}sitemap")]
    every = {}
    for part in parts:
        urls = sitemap_urls(client, part.removeprefix("http://localhost"))
        assert len(urls) <= 4
        every |= urls
    shown = [a for n, a in enumerate(articles) if n not in (4, 6, 7, 8)]
    listed = {url for url in every if "/tin/" in url}
    assert listed == {f"http://localhost/tin/{a.slug}-{a.id}" for a in shown}


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /tim-kiem" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


# --- Article metadata --------------------------------------------------------------------------


def json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_article_page_carries_open_graph_and_news_article_data(client, make_article):
    article = make_article(
        title='Họp dân "bàn" việc </script><script>alert(1)</script>',
        summary="Bà con bàn việc làm đường & kênh mương.",
        author="Lý Thị Hà",
        publish_at=datetime(2026, 5, 13, 1, 30, tzinfo=UTC),
    )
    html = client.get(f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
    url = f"http://localhost/tin/{article.slug}-{article.id}"
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert "og:title" in html and "&lt;/script&gt;" in html
    assert '<meta property="article:published_time" content="2026-05-13T08:30:00+07:00">' in html
    # The title did not open another script: the data block and the listen file are all.
    assert html.count("<script") == 2 and html.count("<script src=") == 1
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.summary
    assert data["datePublished"] == "2026-05-13T08:30:00+07:00"
    assert data["dateModified"].endswith("+07:00")
    assert data["author"] == {"@type": "Person", "name": "Lý Thị Hà"}
    assert data["publisher"]["name"] == "Cổng thông tin điện tử xã"
    assert data["mainEntityOfPage"] == url


def test_previews_carry_no_metadata_for_sharing(app, make_article):
    from public import render_article

    article = make_article(status="draft")
    with app.test_request_context():
        html = render_article(article, preview="Bản xem trước")
    assert "og:title" not in html and "ld+json" not in html


# Every C0 and C1 control, DEL, the XML non-characters, and bidi/zero-width marks.
CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)])) + "\ufffe\uffff\u202e\u200b"


def test_attack_control_characters_in_every_text_keep_the_feeds_well_formed(
    client, make_article, make_category, monkeypatch
):
    if db.engine.dialect.name != "sqlite":
        # PostgreSQL refuses NUL in text outright, so no NUL can ever reach its feeds.
        monkeypatch.setattr(sys.modules[__name__], "CONTROLS", CONTROLS.replace("\x00", ""))
    Setting.put("site_name", f"Xã{CONTROLS}Hòa Sơn")
    Setting.put("welcome", f"Chào{CONTROLS}mừng")
    category = make_category(
        name=f"Nông{CONTROLS}nghiệp", slug="nong-nghiep", description=f"Mô{CONTROLS}tả"
    )
    make_article(
        title=f"Tin{CONTROLS}mới", summary=f"Tóm{CONTROLS}tắt", author=f"Tác{CONTROLS}giả",
        body=f"<p>Nội{CONTROLS}dung</p>", category=category,
    )  # fmt: skip
    db.session.add(Page(title=f"Trang{CONTROLS}", slug="trang"))
    db.session.commit()
    for path in ("/rss.xml", "/chuyen-muc/nong-nghiep/rss.xml", "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        ET.fromstring(response.data)  # raises on ill-formed XML
    feed = parse_feed(client, "/chuyen-muc/nong-nghiep/rss.xml")
    assert feed.feed.title.startswith("Nông")
    assert "Hòa Sơn" in feed.feed.title
    assert feed.feed.subtitle.startswith("Mô")
    assert feed.entries[0].title.startswith("Tin")
