"""The reader's first screen on a 360 × 740 phone: a short header, a menu behind one button
that works without JavaScript, the first headline, document or result visible without
scrolling, and links and buttons big enough for a thumb (WCAG 2.5.8 at the very least).

Each test prints what it measured (run with -s to see the figures)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREEN = {"width": 360, "height": 740}
HEADER_BUDGET = 180
TOUCH_TARGET = 44
MINIMUM_TARGET = 24

# The first thing a reader came for, on each kind of list page.
FIRST_ITEM = {
    "/": ".lead-story h3, .items .item h3",
    "/van-ban": ".docs .item h3",
    "/tim-kiem?q=xa": "ol.hits li h2",
}

# Every link, button and form control a reader may tap, with its height. Links inside running
# text (article bodies, summaries) are exempt, as WCAG 2.5.8 exempts inline targets.
TARGETS_JS = """() => {
  const inText = '.body, .sum, .lede, .notice, .no-results p, .empty, figcaption';
  const seen = [];
  for (const el of document.querySelectorAll(
      'a[href], button, summary, label.menu-button, input:not([type=hidden]), select')) {
    if (el.closest(inText) || el.classList.contains('skip')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    // The menu's checkbox is hidden from sight: its label, the menu button, is what is tapped.
    if (el.classList.contains('menu-toggle')) continue;
    seen.push({text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
               tag: el.tagName, height: Math.round(box.height * 10) / 10});
  }
  return seen;
}"""


@pytest.fixture
def touch_phone(browser):
    """A touch-screen phone: 360 × 740, coarse pointer."""
    context = browser.new_context(
        viewport=SCREEN, locale="vi-VN", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    yield context.new_page()
    context.close()


def header_bottom(page) -> float:
    """Where the header and the closed menu end, from the top of the page."""
    return page.evaluate("document.querySelector('nav.menu').getBoundingClientRect().bottom")


def article_path(live_server) -> str:
    from models import Article, db

    with live_server.app_context():
        article = db.session.scalars(Article.visible().limit(1)).one()
        return f"/tin/{article.slug}-{article.id}"


@pytest.mark.parametrize("path", ["/", "/van-ban", "/tim-kiem?q=xa", "article"])
def test_header_and_closed_menu_take_at_most_180_px(live_server, touch_phone, path):
    path = article_path(live_server) if path == "article" else path
    touch_phone.goto(live_server.url + path)
    height = header_bottom(touch_phone)
    print(f"\nheader + closed menu at 360 px on {path}: {height:.0f} px")
    assert height <= HEADER_BUDGET
    assert touch_phone.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]


@pytest.mark.parametrize("path", list(FIRST_ITEM))
def test_first_item_is_visible_without_scrolling(live_server, touch_phone, path):
    touch_phone.goto(live_server.url + path)
    first = touch_phone.locator(FIRST_ITEM[path]).first
    box = first.bounding_box()
    print(f"\nfirst item on {path} at 360 px: y = {box['y']:.0f}–{box['y'] + box['height']:.0f}")
    assert box["y"] + box["height"] <= SCREEN["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_menu_opens_behind_one_button(live_server, browser, javascript):
    context = browser.new_context(
        viewport=SCREEN, java_script_enabled=javascript, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    documents = page.locator("nav.menu").get_by_role("link", name="Văn bản")
    expect(documents).to_be_hidden()
    page.locator(".menu-button").click()
    expect(documents).to_be_visible()
    # Open, the menu is a list of big targets; the first screen still starts with the header.
    box = documents.bounding_box()
    assert box["height"] >= TOUCH_TARGET
    documents.click()
    page.wait_for_url(re.compile(r"/van-ban$"))
    context.close()


def pages_to_measure(live_server) -> list[str]:
    from models import Document, Page, db

    with live_server.app_context():
        document = db.session.scalars(db.select(Document).limit(1)).one()
        page = db.session.scalars(db.select(Page).order_by(Page.position)).first()
        number = document.number
    return [
        "/",
        article_path(live_server),
        "/van-ban",
        f"/tim-kiem?q={number}",
        "/tim-kiem?q=xa",
        f"/trang/{page.slug}",
    ]


def test_every_link_and_button_is_big_enough_for_a_thumb(live_server, touch_phone):
    smallest = []
    for path in pages_to_measure(live_server):
        touch_phone.goto(live_server.url + path)
        # Open the menu too, so its links are measured.
        touch_phone.locator(".menu-button").click()
        targets = touch_phone.evaluate(TARGETS_JS)
        small = [t for t in targets if t["height"] < TOUCH_TARGET]
        low = min(targets, key=lambda t: t["height"])
        print(f"\n{path}: {len(targets)} targets, smallest {low['height']} px ({low['text']!r})")
        smallest += [(path, t["text"], t["height"]) for t in small]
    assert smallest == []


def test_targets_are_at_least_24_px_with_a_mouse_too(live_server, desktop):
    for path in pages_to_measure(live_server):
        desktop.goto(live_server.url + path)
        targets = desktop.evaluate(TARGETS_JS)
        low = min(targets, key=lambda t: t["height"])
        print(f"\n{path} at 1280 px: smallest target {low['height']} px ({low['text']!r})")
        assert low["height"] >= MINIMUM_TARGET, low


def test_phone_numbers_are_tel_links_that_never_wrap(live_server, touch_phone):
    touch_phone.goto(live_server.url + "/")
    phone = touch_phone.locator("footer a[href^='tel:']").first
    expect(phone).to_be_visible()
    assert phone.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"
    box = phone.bounding_box()
    assert box["height"] < 2 * 24 + TOUCH_TARGET  # one line, however narrow the screen


@pytest.fixture
def agency_line(live_server):
    """Put "Ủy ban nhân dân xã …" above the site's name, as real portals do, for one test."""
    from models import Setting, db

    with live_server.app_context():
        before = Setting.values()["agency"]
        Setting.put("agency", "Ủy ban nhân dân xã Hòa Sơn")
        db.session.commit()
    yield
    with live_server.app_context():
        Setting.put("agency", before)
        db.session.commit()


def test_header_with_the_agency_line_still_fits(live_server, touch_phone, agency_line, screenshot):
    touch_phone.goto(live_server.url + "/")
    expect(touch_phone.locator(".agency")).to_have_text("Ủy ban nhân dân xã Hòa Sơn")
    height = header_bottom(touch_phone)
    print(f"\nheader + closed menu at 360 px with the agency line: {height:.0f} px")
    assert height <= HEADER_BUDGET
    whole = screenshot(touch_phone, "home-agency-360-full")
    touch_phone.screenshot(path=str(whole.with_name("home-agency-360.png")))
