"""Citizens in a real browser: a reader asks on a 360 px phone (and keeps their text through a
dropped connection), staff answer in the desk's editor, and the reader reads the answer."""

import itertools
import re

import pytest
from desk import sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NUMBERS = itertools.count(1)


@pytest.fixture
def quick_forms(live_server):
    """A person types faster in a test than CITIZENS_MIN_FILL_SECONDS allows."""
    config = live_server.app.config
    before = config["CITIZENS_MIN_FILL_SECONDS"]
    config["CITIZENS_MIN_FILL_SECONDS"] = 1
    yield
    config["CITIZENS_MIN_FILL_SECONDS"] = before


def fill_question(page, title: str) -> None:
    page.get_by_label("Họ và tên").fill("Hoàng Văn Tú")
    page.get_by_label("Số điện thoại (không bắt buộc)").fill("0987 654 321")
    page.get_by_label("Lĩnh vực").select_option("ho-tich")
    page.get_by_label("Tiêu đề câu hỏi").fill(title)
    page.get_by_label("Nội dung câu hỏi").fill(
        "Tôi ở thôn Nà Mò, muốn trích lục bản sao giấy khai sinh cho con thì làm thế nào?"
    )


def test_a_reader_asks_on_a_phone_and_staff_answer_in_the_desk(
    live_server, phone, desktop, screenshot, quick_forms
):
    title = f"Trích lục khai sinh cho con số {next(NUMBERS)}"
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.goto(live_server.url + "/")
    phone.locator(".menu-button").click()
    phone.get_by_role("link", name="Hỏi đáp").click()
    expect(phone.get_by_role("heading", name="Hỏi đáp", level=1)).to_be_visible()
    phone.get_by_role("link", name="Đặt câu hỏi").click()
    fill_question(phone, title)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "citizens-ask-360")

    # The connection drops; the text is still in the browser when the reader comes back.
    phone.wait_for_timeout(600)
    phone.reload()
    offer = phone.locator(".draft-offer")
    offer.get_by_role("button", name="Khôi phục bản trên máy").click()
    expect(phone.get_by_label("Tiêu đề câu hỏi")).to_have_value(title)

    phone.get_by_label(re.compile("Tôi đồng ý")).check()
    phone.wait_for_timeout(1100)
    phone.get_by_role("button", name="Gửi câu hỏi").click()
    expect(phone.locator(".flash-success")).to_contain_text("Câu hỏi của bạn đã được gửi")
    expect(phone.get_by_label("Tiêu đề câu hỏi")).to_have_value("")
    expect(phone.locator(".draft-offer")).to_have_count(0)

    page = desktop
    sign_in_as_admin(page, live_server)
    expect(page.locator(".waiting", has_text="Hỏi đáp chờ trả lời")).to_be_visible()
    page.get_by_role("link", name="Hỏi đáp", exact=True).first.click()
    page.get_by_role("link", name=title).click()
    expect(page.locator(".private-box")).to_contain_text("0987 654 321")
    page.locator(".rte-area").click()
    page.keyboard.type("Ông mang căn cước đến Trung tâm Phục vụ hành chính công xã.")
    screenshot(page, "citizens-answer-1280")
    page.get_by_role("button", name="Đăng câu hỏi và trả lời").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã đăng câu hỏi cùng câu trả lời")

    phone.goto(live_server.url + "/hoi-dap?linh-vuc=ho-tich")
    phone.get_by_role("link", name=title).click()
    expect(phone.locator(".qa-answer")).to_contain_text("Trung tâm Phục vụ hành chính công")
    expect(phone.locator("body")).not_to_contain_text("0987 654 321")
    expect(phone.locator("body")).not_to_contain_text("Hoàng Văn Tú")
    screenshot(phone, "citizens-question-360")


def test_an_editor_publishes_the_week_and_a_reader_prints_it(
    live_server, phone, desktop, screenshot
):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/schedule")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lịch công tác tuần")
    blank = page.locator("tr", has=page.locator("textarea:text-is('')")).first
    blank.locator("select").select_option(index=5)
    blank.locator("input[name^=time]").fill("09h00")
    blank.locator("textarea[name^=what]").fill("Gặp mặt người cao tuổi thôn Cốc Lùng")
    blank.locator("input[name^=place]").fill("Nhà văn hóa thôn Cốc Lùng")
    screenshot(page, "citizens-schedule-desk-1280")
    page.get_by_role("button", name="Lưu lịch tuần").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu lịch tuần")

    phone.goto(live_server.url + "/")
    phone.locator(".menu-button").click()
    phone.get_by_role("link", name="Lịch công tác", exact=True).click()
    expect(phone.locator("table.schedule")).to_contain_text("Gặp mặt người cao tuổi thôn Cốc Lùng")
    expect(phone.get_by_role("button", name="In lịch")).to_be_visible()
    screenshot(phone, "citizens-schedule-360")
    phone.emulate_media(media="print")
    expect(phone.locator(".masthead")).to_be_hidden()
    expect(phone.locator("table.schedule")).to_be_visible()


def test_a_reader_votes_on_a_phone_and_sees_the_results(live_server, phone, screenshot):
    config = live_server.app.config
    before, config["CITIZENS_MIN_FILL_SECONDS"] = config["CITIZENS_MIN_FILL_SECONDS"], 0
    try:
        phone.goto(live_server.url + "/")
        phone.locator(".menu-button").click()
        phone.get_by_role("link", name="Thăm dò ý kiến").click()
        phone.get_by_role("link", name=re.compile("Bà con mong xã ưu tiên")).click()
        phone.get_by_label("Kéo điện lưới về thôn Cốc Lùng").check()
        screenshot(phone, "citizens-poll-360")
        phone.get_by_role("button", name="Bình chọn").click()
        expect(phone.locator(".flash-success")).to_contain_text("Cảm ơn bạn đã bình chọn")
        expect(phone.locator(".poll-results")).to_contain_text("(28)")
        expect(phone.get_by_role("button", name="Bình chọn")).to_have_count(0)
        screenshot(phone, "citizens-poll-results-360")
    finally:
        config["CITIZENS_MIN_FILL_SECONDS"] = before
