"""The province's IT officer in a real browser: adds a commune from the desk, then disables
another one, typing the password again for each, on a phone and on a desktop."""

import urllib.error
import urllib.request

import pytest
from conftest import OFFICER_PASSWORD, sign_in_officer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def status_of(url: str, host: str) -> int:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code


def test_an_officer_adds_a_commune_on_a_phone(province_server, phone, screenshot):
    page = phone
    sign_in_officer(page, province_server)
    page.get_by_role("link", name="Thêm xã, phường").click()
    page.get_by_label("Tên xã, phường").fill("Xã Tây Giang")
    page.get_by_label("Tên ngắn").fill("tay-giang")
    page.get_by_label("Tên miền, mỗi dòng một tên").fill("taygiang.test")
    page.get_by_label("Mật khẩu của bạn").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Thêm trang").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm trang “Xã Tây Giang”")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Tây Giang")
    screenshot(page, "province-site-360")
    assert status_of(province_server.url + "/", "taygiang.test") == 200


def test_an_officer_disables_a_site_on_a_desktop(province_server, desktop, screenshot):
    page = desktop
    sign_in_officer(page, province_server)
    page.get_by_role("link", name="Xã hoa-son").click()
    panel = page.locator("section.panel", has=page.get_by_role("heading", name="Tạm ngừng trang"))
    panel.get_by_label("Mật khẩu của bạn").fill("mat-khau-sai")
    panel.get_by_role("button", name="Tạm ngừng trang này").click()
    expect(page.get_by_role("alert").first).to_have_text("Mật khẩu không đúng.")
    assert status_of(province_server.url + "/", "hoason.test") == 200
    panel = page.locator("section.panel", has=page.get_by_role("heading", name="Tạm ngừng trang"))
    panel.get_by_label("Mật khẩu của bạn").fill(OFFICER_PASSWORD)
    panel.get_by_role("button", name="Tạm ngừng trang này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tạm ngừng trang")
    assert status_of(province_server.url + "/", "hoason.test") == 503
    screenshot(page, "province-site-1280")
    page.get_by_role("link", name="‹ Các trang xã, phường").click()
    expect(page.locator(".log")).to_contain_text("tạm ngừng trang")
