"""What a phone really downloads: the 480 px WebP, or no image at all for a data saver."""

import re

import pytest
from desk import sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IMAGE_URL = re.compile(r"/media/\d+-\d+\.(webp|jpg)$")


def article_with_body_images(live_server) -> str:
    """Find a demo article with a lead image and a picture inside its body."""
    from models import Article, db

    with live_server.app_context():
        statement = (
            Article.visible()
            .where(Article.image_id.is_not(None), Article.body.contains("<figure>"))
            .limit(1)
        )
        article = db.session.scalars(statement).one()
        return f"{live_server.url}/tin/{article.slug}-{article.id}"


def image_requests(page) -> list[str]:
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    return fetched


def read_to_the_end(page) -> None:
    """Scroll like a reader, so lazy images below the fold load too."""
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")


def test_a_360px_phone_fetches_only_480px_webp(live_server, phone, screenshot):
    fetched = image_requests(phone)
    phone.goto(article_with_body_images(live_server))
    read_to_the_end(phone)
    images = [url for url in fetched if IMAGE_URL.search(url)]
    assert len(images) >= 2, fetched  # the lead image and the one in the body
    assert all(url.endswith("-480.webp") for url in images), images
    for picture in phone.locator("article.detail picture img").all():
        assert picture.evaluate("img => img.complete && img.currentSrc").endswith("-480.webp")
    phone.evaluate("window.scrollTo(0, 0)")
    screenshot(phone, "images-article-360")


def test_save_data_header_fetches_no_image(live_server, browser, screenshot):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, extra_http_headers={"Save-Data": "on"}
    )
    page = context.new_page()
    fetched = image_requests(page)
    page.goto(article_with_body_images(live_server))
    read_to_the_end(page)
    assert [url for url in fetched if "/media/" in url] == []
    assert page.locator("img").count() == 0
    links = page.get_by_role("link", name=re.compile(r"^Xem ảnh \(\d+ KB\)$"))
    assert links.count() >= 2
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "images-article-save-data-360")
    context.close()


def test_the_switch_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    url = article_with_body_images(live_server)
    page.goto(url)
    page.get_by_role("link", name="Tiết kiệm dữ liệu (không tải ảnh)").click()
    page.wait_for_url(url)
    expect(page.get_by_text("Đang tiết kiệm dữ liệu")).to_be_visible()
    assert page.locator("img").count() == 0
    page.get_by_role("link", name="Hiện ảnh").click()
    page.wait_for_url(url)
    assert page.locator("article.detail img").count() >= 2
    context.close()


def test_the_library_shows_images_and_refuses_deleting_one_in_use(
    live_server, desktop, screenshot
):
    sign_in_as_admin(desktop, live_server)
    desktop.goto(live_server.url + "/admin/media")
    expect(desktop.get_by_role("heading", name="Thư viện ảnh và tệp")).to_be_visible()
    assert desktop.locator(".media-grid li").count() >= 10
    screenshot(desktop, "images-library-1280")
    desktop.locator(".media-grid li:has(img) a").first.click()
    expect(desktop.get_by_text("Các cỡ ảnh gửi cho bạn đọc")).to_be_visible()
    screenshot(desktop, "images-detail-1280")
