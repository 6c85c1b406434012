"""A reader on a phone: home page, an article, its neighbours, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_reader_opens_an_article_from_the_home_page_on_a_phone(live_server, phone, screenshot):
    phone.goto(live_server.url + "/")
    expect(phone.locator(".today")).to_have_text(
        re.compile(r"^(Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật), \d\d/\d\d/\d{4}$")
    )
    expect(phone.locator(".welcome")).to_contain_text("Chào mừng")
    screenshot(phone, "home-360")
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.locator(".items .item h3 a").first.click()
    phone.wait_for_url(re.compile(r"/tin/[a-z0-9-]+-\d+$"))
    article = phone.locator("article.detail")
    expect(article.locator("h1")).not_to_be_empty()
    expect(article.locator(".meta")).to_contain_text("/")
    expect(article.locator(".summary")).not_to_be_empty()
    expect(article.get_by_text("Tác giả:")).to_be_visible()
    expect(article.get_by_text("Nguồn tin:")).to_be_visible()
    expect(article.get_by_role("link", name="Trở về", exact=True)).to_be_visible()
    expect(article.get_by_role("link", name="Bản in")).to_be_visible()
    expect(article.get_by_role("link", name="Lưu bài viết")).to_be_visible()
    assert phone.get_by_text("Các tin cũ hơn:").count() + phone.get_by_text(
        "Các tin mới hơn:"
    ).count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "article-360")

    phone.get_by_role("link", name="Trở về", exact=True).click()
    phone.wait_for_url(re.compile(r"/chuyen-muc/[a-z0-9-]+$"))
    expect(phone.locator("h1.page-title")).not_to_be_empty()


def illustrated_article_path(live_server) -> str:
    from models import Article, db

    with live_server.app_context():
        statement = Article.visible().where(Article.image_id.is_not(None)).limit(1)
        article = db.session.scalars(statement).one()
        return f"/tin/{article.slug}-{article.id}"


def test_lead_image_has_a_caption_and_reserved_space(live_server, desktop, screenshot):
    desktop.goto(live_server.url + illustrated_article_path(live_server))
    figure = desktop.locator("figure.lead-image")
    image = figure.locator("img")
    assert int(image.get_attribute("width")) > 0 and int(image.get_attribute("height")) > 0
    expect(figure.locator("figcaption")).not_to_be_empty()
    # The image really arrived: it has pixels.
    assert image.evaluate("img => img.naturalWidth") > 0
    screenshot(desktop, "article-1280")


def test_site_reads_and_navigates_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(".menu-button").click()  # the menu opens without JavaScript
    page.locator(".menu a").nth(1).click()
    page.wait_for_url(re.compile(r"/chuyen-muc/"))
    page.locator(".items .item h2 a").first.click()
    expect(page.locator("article.detail h1")).not_to_be_empty()
    context.close()


def page_types(live_server) -> dict[str, str]:
    """One address of each kind of reader page on the demo site."""
    from models import Category, Document, Page, db

    with live_server.app_context():
        category = db.session.scalars(Category.menu()).first()
        page = db.session.scalars(db.select(Page).order_by(Page.position)).first()
        document = db.session.scalars(db.select(Document).limit(1)).one()
        document_path = f"/van-ban/{documents_slug(document)}-{document.id}"
    article = illustrated_article_path(live_server)
    return {
        "home": "/",
        "latest": "/?trang=2",
        "category": f"/chuyen-muc/{category.slug}",
        "article": article,
        "print": article + "/ban-in",
        "page": f"/trang/{page.slug}",
        "documents": "/van-ban",
        "document": document_path,
        "search": "/tim-kiem?q=xa",
        "not-found": "/khong-co-trang-nay",
    }


def documents_slug(document) -> str:
    import documents

    return documents.document_slug(document.number)


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_every_page_type(live_server, browser, screenshot, width):
    context = browser.new_context(
        viewport={"width": width, "height": 740 if width == 360 else 900},
        locale="vi-VN",
        has_touch=width == 360,
        is_mobile=width == 360,
    )
    page = context.new_page()
    for name, path in page_types(live_server).items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        # Lazy pictures below the fold load as a reader scrolls: scroll, so they show.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        # The first screen as the reader sees it, then the whole page. (A full-page capture
        # resizes the emulated screen, which drops the touch emulation on the way.)
        whole = screenshot(page, f"{name}-{width}-full")
        page.screenshot(path=str(whole.with_name(f"{name}-{width}.png")))
    context.close()


def test_home_page_shows_each_story_once(live_server, desktop):
    desktop.goto(live_server.url + "/")
    links = desktop.evaluate(
        """[...document.querySelectorAll('.layout a[href^="/tin/"]')]
           .filter(a => !a.closest('.thumb, .lead-picture')).map(a => a.getAttribute('href'))"""
    )
    assert len(links) > 20
    assert len(links) == len(set(links))


@pytest.mark.parametrize("touch", [True, False], ids=["phone", "desktop"])
def test_print_view_has_a_print_button_and_keyboard_advice_only_for_keyboards(
    live_server, browser, touch
):
    context = browser.new_context(
        viewport={"width": 360 if touch else 1280, "height": 740}, has_touch=touch, is_mobile=touch
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    page.goto(live_server.url + illustrated_article_path(live_server) + "/ban-in")
    expect(page.get_by_role("button", name="In bài này")).to_be_visible()
    keys = page.locator(".print-keys")
    expect(keys).to_be_hidden() if touch else expect(keys).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()


def test_print_view_without_javascript_offers_no_dead_button(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + illustrated_article_path(live_server) + "/ban-in")
    expect(page.locator(".print-button")).to_be_hidden()
    expect(page.locator(".print-keys")).to_be_visible()
    context.close()


def test_save_data_lists_start_every_title_at_the_same_edge(live_server, browser, screenshot):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, extra_http_headers={"Save-Data": "on"}
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("main img, main picture, .thumb").count() == 0
    edges = page.evaluate(
        "[...document.querySelectorAll('.items .item h3, .items .item .date')]"
        ".map(el => Math.round(el.getBoundingClientRect().left))"
    )
    assert len(edges) > 4 and len(set(edges)) == 1
    screenshot(page, "home-save-data-360")
    context.close()
