"""The reader stylesheet: inlined for a browser arriving from elsewhere, so the text paints
after one request; the cached file on the pages that follow; allowed by its CSP hash and kept
apart in every cache."""

import base64
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_CSS = (ROOT / "static/css/site.css").read_text()
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
HREF = r'<link rel="stylesheet" href="(/static/css/site\.\w+\.css)"'
BLOCKING_LINK = re.compile(HREF + ">")
PRINT_LINK = re.compile(HREF + ' media="print">')
# What a browser sends when the reader follows a link on one of our pages.
FROM_OUR_PAGE = {"Sec-Fetch-Site": "same-origin"}


def get(client, path="/", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response


def test_a_first_visit_carries_the_stylesheet_inside_the_page(client, make_article):
    article = make_article(title="Khai giảng năm học mới")
    html = get(client, f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
    assert STYLE.search(html)[1] == SITE_CSS
    # Nothing blocks the paint: the file itself is asked for as a print stylesheet only.
    assert not BLOCKING_LINK.search(html) and PRINT_LINK.search(html)
    assert "Khai giảng năm học mới" in html


def test_arriving_from_another_site_or_a_bookmark_inlines_it_too(client):
    for where in ("cross-site", "same-site", "none"):
        html = get(client, **{"Sec-Fetch-Site": where}).get_data(as_text=True)
        assert STYLE.search(html) and not BLOCKING_LINK.search(html)


def test_the_inline_style_is_allowed_by_its_hash_and_nothing_looser(client):
    response = get(client)
    text = STYLE.search(response.get_data(as_text=True))[1]
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    style_src = next(p for p in policy.split(";") if p.strip().startswith("style-src"))
    assert style_src.split() == ["style-src", "'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in policy


def test_the_next_page_links_the_file_the_first_page_fetched(client):
    first = get(client)
    url = PRINT_LINK.search(first.get_data(as_text=True))[1]
    following = get(client, **FROM_OUR_PAGE)
    html = following.get_data(as_text=True)
    assert "<style>" not in html and BLOCKING_LINK.search(html)[1] == url
    assert len(following.get_data()) < len(first.get_data())
    assert following.headers["ETag"] != first.headers["ETag"]
    for response in (first, following):
        assert "Sec-Fetch-Site" in response.headers["Vary"]
    # No reader gets a cookie for any of this.
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in following.headers
    assert "Set-Cookie" not in client.get(url).headers


def test_the_page_cache_keeps_the_two_variants_apart(client):
    assert "<style>" in get(client).get_data(as_text=True)
    assert "<style>" not in get(client, **FROM_OUR_PAGE).get_data(as_text=True)
    assert "<style>" in get(client).get_data(as_text=True)
    assert "<style>" not in get(client, **FROM_OUR_PAGE).get_data(as_text=True)


def test_a_revalidation_of_the_inlined_page_from_our_own_page_gets_the_link(client):
    inline = get(client)
    response = client.get("/", headers={"If-None-Match": inline.headers["ETag"], **FROM_OUR_PAGE})
    assert response.status_code == 200
    assert BLOCKING_LINK.search(response.get_data(as_text=True))
    again = client.get("/", headers={"If-None-Match": inline.headers["ETag"]})
    assert again.status_code == 304


def test_the_desk_links_its_own_stylesheet_without_inlining(client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert "<style>" not in html and "/static/css/admin." in html
