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
    expect(article.get_by_role("link", name="[Trở về]")).to_be_visible()
    expect(article.get_by_role("link", name="Bản in")).to_be_visible()
    expect(article.get_by_role("link", name="Lưu bài viết")).to_be_visible()
    assert phone.get_by_text("Các tin cũ hơn:").count() + phone.get_by_text(
        "Các tin mới hơn:"
    ).count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "article-360")

    phone.get_by_role("link", name="[Trở về]").click()
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
    page.locator(".menu a").nth(1).click()
    page.wait_for_url(re.compile(r"/chuyen-muc/"))
    page.locator(".items .item h3 a").first.click()
    expect(page.locator("article.detail h1")).not_to_be_empty()
    context.close()
