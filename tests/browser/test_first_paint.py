"""A first visit paints styled text from the page alone; the next page uses the cached file."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STYLESHEET = re.compile(r"/static/css/site\.\w+\.css$")


def article_paths(live_server, count: int) -> list[str]:
    from models import Article, db

    with live_server.app_context():
        articles = db.session.scalars(Article.visible().limit(count)).all()
        return [f"/tin/{article.slug}-{article.id}" for article in articles]


def brand_colour(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor")


def test_a_first_visit_needs_only_the_page_to_show_styled_text(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    # The stylesheet file never arrives: the page must still look like the site.
    page.route(STYLESHEET, lambda route: route.abort())
    requests = []
    page.on("request", lambda request: requests.append(request))
    path = article_paths(live_server, 1)[0]
    page.goto(live_server.url + path)
    expect(page.locator("article.detail h1")).to_be_visible()
    assert brand_colour(page) not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    # Nothing the page asked for held back its first paint, the file least of all.
    blocking = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name)"
    )
    assert blocking == []
    assert [r.resource_type for r in requests if STYLESHEET.search(r.url)] == ["stylesheet"]
    context.close()


def test_the_next_page_links_the_stylesheet_the_browser_already_holds(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    first = article_paths(live_server, 1)[0]
    with page.expect_response(STYLESHEET) as fetched:
        page.goto(live_server.url + first)
    assert fetched.value.ok
    page.wait_for_load_state("networkidle")
    colour = brand_colour(page)

    # The reader follows a link to a neighbouring article.
    with page.expect_navigation():
        page.locator(f"main a[href^='/tin/']:not([href^='{first}'])").first.click()
    assert page.url != live_server.url + first
    assert page.locator("style").count() == 0
    assert page.locator("link[rel=stylesheet]:not([media])").count() == 1
    # The file came from the HTTP cache: no byte of it crossed the network again.
    sizes = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/static/css/site.')).map(e => e.transferSize)"
    )
    assert sizes == [0]
    assert brand_colour(page) == colour
    context.close()


def test_a_first_visit_without_javascript_reads_the_same(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.route(STYLESHEET, lambda route: route.abort())
    page.goto(live_server.url + article_paths(live_server, 1)[0])
    expect(page.locator("article.detail h1")).to_be_visible()
    # The menu still folds behind its button: the inlined rules apply without any script.
    expect(page.locator(".menu ul")).to_be_hidden()
    page.locator(".menu-button").click()
    expect(page.locator(".menu ul")).to_be_visible()
    context.close()
