"""An admin takes a backup home from the editor desk, on a phone and on a desktop."""

import json
import re
import zipfile

import pytest
from desk import sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("size", "width"), [("phone", 360), ("desktop", 1280)])
def test_admin_downloads_a_backup_from_the_desk(
    live_server, request, screenshot, tmp_path, size, width
):
    page = request.getfixturevalue(size)
    sign_in_as_admin(page, live_server)
    if size == "phone":
        page.get_by_text("Menu", exact=True).click()
    page.get_by_text("Quản trị", exact=True).click()  # the desk menu groups admin pages
    # The desk menu's link, not the first-day checklist's step of the same name.
    page.locator(".desk-menu").get_by_role("link", name="Sao lưu").click()
    expect(page.get_by_role("heading", name="Sao lưu dữ liệu")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tạo và tải bản sao lưu mới").click()
    download = download_info.value
    assert re.fullmatch(r"bantin-backup-\d{8}-\d{6}(-\d+)?\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["database"]["counts"]["article"] >= 45

    page.reload()
    expect(page.get_by_role("link", name=download.suggested_filename)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"admin-backups-{width}")
