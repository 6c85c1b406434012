"""Work waiting for someone shows on the phone's menu button, and the sign-ins list names the
phone as people do, on a page that fits a 360 px screen."""

import pytest
from desk import sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")  # fmt: skip


def test_a_phone_shows_waiting_work_and_names_itself_in_the_sign_ins(
    browser, live_server, screenshot
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  user_agent=ANDROID_CHROME)  # fmt: skip
    page = context.new_page()
    try:
        sign_in_as_admin(page, live_server)
        # The demo holds one article awaiting review: the folded menu says so.
        expect(page.locator(".desk-menu-button .badge")).to_contain_text("1")
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("link", name="Tổng quan 1 việc chờ bạn")).to_be_visible()
        page.get_by_role("link", name="Tài khoản của tôi").click()
        expect(page.get_by_role("cell", name="Chrome trên Android")).to_be_visible()
        expect(page.get_by_text("Mozilla/5.0")).to_have_count(0)
        screenshot(page, "sign-ins-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
