"""Light pages: compression, validators, 304s and long-lived assets."""

import gzip
from datetime import timedelta

import brotli
import pytest


@pytest.fixture
def article(make_article):
    return make_article(body="<p>" + "Nội dung dài để nén. " * 200 + "</p>")


def article_url(article):
    return f"/tin/{article.slug}-{article.id}"


def test_pages_are_compressed_with_brotli_or_gzip(client, article):
    plain = client.get(article_url(article)).get_data()
    br = client.get(article_url(article), headers={"Accept-Encoding": "gzip, br"})
    gz = client.get(article_url(article), headers={"Accept-Encoding": "gzip"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.get_data()) == plain
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.get_data()) == plain
    assert len(br.get_data()) < len(plain) / 3
    assert "Accept-Encoding" in br.headers["Vary"]


def test_public_page_revalidates_with_304(client, article):
    first = client.get(article_url(article))
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get(article_url(article), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_the_etag_is_the_same_whatever_the_encoding(client, article):
    br = client.get(article_url(article), headers={"Accept-Encoding": "br"})
    again = client.get(
        article_url(article),
        headers={"Accept-Encoding": "gzip", "If-None-Match": br.headers["ETag"]},
    )
    assert again.status_code == 304


def test_an_edit_changes_the_etag(client, app, article):
    from models import db

    etag = client.get(article_url(article)).headers["ETag"]
    article.title = "Tiêu đề đã sửa"
    db.session.commit()
    response = client.get(article_url(article), headers={"If-None-Match": etag})
    assert response.status_code == 200


def test_freshness_never_outlives_the_header_date(client, clock, article):
    clock.now = clock.now.replace(hour=16, minute=59)  # 23:59 in Vietnam
    response = client.get("/")
    assert response.cache_control.max_age == 60


def test_pages_stay_the_same_all_day(client, clock, article):
    # The header shows the day, not the time, so the page (and its ETag) lasts the day.
    morning = client.get(article_url(article)).headers["ETag"]
    clock.advance(hours=5)
    assert client.get(article_url(article)).headers["ETag"] == morning
    clock.advance(days=1)
    assert client.get(article_url(article)).headers["ETag"] != morning


def test_last_modified_reflects_the_article(client, clock, make_article):
    article = make_article(publish_at=clock.now - timedelta(days=10))
    article.updated_at = clock.now - timedelta(days=10)
    response = client.get(article_url(article))
    # Never earlier than the start of today, since the header date changed then.
    assert response.last_modified.date() == (clock.now - timedelta(hours=10)).date()


def test_stylesheet_has_a_hashed_name_and_a_year_of_cache(client):
    html = client.get("/").get_data(as_text=True)
    href = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/static/css/site.") and href.count(".") == 2
    response = client.get(href, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable
    again = client.get(
        href, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_unhashed_asset_names_get_a_short_cache(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.cache_control.max_age == 3600


def test_unknown_asset_and_path_tricks_are_not_found(client):
    assert client.get("/static/css/nope.css").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/instance/bantin.db").status_code == 404


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_editor_desk_may_not_be_framed_or_cached(client):
    response = client.get("/admin/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
