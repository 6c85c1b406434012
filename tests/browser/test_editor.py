"""An editor in a real browser: the rich editor, a Word paste, publishing, an upload, a dropped
connection, and the same form without JavaScript."""

import json
import re
import time
from pathlib import Path

import pytest
from desk import sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WORD_PASTE = (Path(__file__).parent.parent / "data" / "word_paste.html").read_text("utf-8")
# A 1×1 PNG: the upload endpoint is answered by the test, only the request matters.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5e1a0a70000000049454e44ae426082"
)


@pytest.fixture
def published(live_server):
    """Titles this test publishes; removed afterwards so the shared demo site stays as seeded
    for the other browser tests."""
    titles: list[str] = []
    yield titles
    from models import Article, db

    with live_server.app_context():
        for article in db.session.scalars(db.select(Article).where(Article.title.in_(titles))):
            db.session.delete(article)
        db.session.commit()


def unique(text: str) -> str:
    """Titles of their own, since the live site is shared by every browser test."""
    return f"{text} {time.monotonic_ns() % 1_000_000}"


def put_caret_at_end(page) -> None:
    page.evaluate(
        """() => {
            const area = document.querySelector('.rte-area');
            area.focus();
            const range = document.createRange();
            range.selectNodeContents(area);
            range.collapse(false);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )


def paste_html(page, html: str) -> None:
    """Paste as Word does: a paste event carrying text/html on its clipboard."""
    put_caret_at_end(page)
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'bản chữ thuần');
            const event = new ClipboardEvent('paste',
                {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector('.rte-area').dispatchEvent(event);
        }""",
        html,
    )


def test_write_paste_from_word_publish_and_find_it_on_the_site(
    live_server, desktop, phone, screenshot, published
):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    title = unique("Thôn Đồng Tâm đón Tết Trung thu")
    published.append(title)
    page.fill("#title", title)
    expect(page.locator("#slug")).to_have_value(re.compile(r"^thon-dong-tam-don-tet-trung-thu-"))
    page.fill("#summary", "Các cháu thiếu nhi vui Tết Trung thu.")

    editor = page.locator(".rte-area")
    expect(page.locator("textarea#body")).to_be_hidden()
    editor.click()
    page.keyboard.type("Đoạn mở đầu do biên tập viên gõ.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Đề mục lớn").click()
    page.keyboard.type("Chương trình vui chơi")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Chữ đậm (Ctrl+B)").click()
    page.keyboard.type("Lời cảm ơn")
    expect(page.get_by_role("button", name="Chữ đậm (Ctrl+B)")).to_have_attribute(
        "aria-pressed", "true"
    )

    paste_html(page, WORD_PASTE)
    expect(editor.locator("li", has_text="Tạo sân chơi lành mạnh cho thiếu nhi")).to_be_visible()
    expect(editor.locator("ul ul li", has_text="Các cháu ở thôn xa")).to_be_visible()
    expect(editor.locator("ol li", has_text="Phân công nhiệm vụ")).to_be_visible()
    expect(editor.locator("table td", has_text="Đồng Tâm")).to_be_visible()
    expect(page.locator(".rte-status")).to_contain_text("ảnh dán kèm không giữ được")
    assert "mso-" not in editor.inner_html() and "<o:p>" not in editor.inner_html()
    page.select_option("#category_id", label="Tin hoạt động")
    page.fill("#author", "Ban văn hóa xã")
    page.fill("#source", "Đài truyền thanh xã")
    screenshot(page, "editor-form-1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    expect(page.locator(".flash-success")).to_contain_text("Đã đăng bài")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=title).first.click()
    article = page.locator("article.detail")
    expect(article.locator("h1")).to_have_text(title)
    expect(article.locator(".body h2", has_text="Chương trình vui chơi")).to_be_visible()
    expect(article.locator(".body strong", has_text="Lời cảm ơn")).to_be_visible()
    expect(article.locator(".body h2", has_text="Kế hoạch tổ chức Tết Trung thu")).to_be_visible()
    expect(article.locator(".body ul li", has_text="Tiết kiệm, an toàn")).to_be_visible()
    expect(article.locator(".body table td", has_text="125")).to_be_visible()
    expect(article.get_by_text("Tác giả:")).to_contain_text("Ban văn hóa xã")
    screenshot(page, "editor-published-1280")

    sign_in_as_admin(phone, live_server)
    phone.goto(live_server.url + "/admin/articles/new")
    expect(phone.locator(".rte-toolbar")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "editor-form-360")


def test_offline_submit_keeps_the_text_which_comes_back_after_reload(
    live_server, phone, screenshot
):
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" before reloading
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    title = unique("Mất mạng giữa chừng")
    page.fill("#title", title)
    page.locator(".rte-area").click()
    page.keyboard.type("Bài viết dài gõ trên đường dây chập chờn.")

    page.context.set_offline(True)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".draft-offline")).to_contain_text("Mất kết nối mạng")
    screenshot(page, "editor-offline-360")

    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#title")).to_have_value("")
    offer = page.locator(".draft-offer")
    expect(offer).to_contain_text("chưa được lưu lên trang")
    offer.get_by_role("button", name="Khôi phục bản trên máy").click()
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator(".rte-area")).to_contain_text("Bài viết dài gõ trên đường dây chập chờn.")

    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu bản nháp.")
    kept = page.evaluate("localStorage.getItem('bantin:draft:/admin/articles/new')")
    assert kept is None, "the saved page must clear the local copy"
    page.goto(live_server.url + "/admin/articles/new")
    expect(page.locator(".draft-offer")).to_have_count(0)


def test_a_validation_error_keeps_the_local_copy_until_a_save_succeeds(live_server, desktop):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    page.locator(".rte-area").click()
    page.keyboard.type("Quên gõ tiêu đề.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#title + p.error, .field-title .error")).to_have_text("Hãy nhập tiêu đề.")
    expect(page.locator(".rte-area")).to_contain_text("Quên gõ tiêu đề.")
    stored = json.loads(page.evaluate("localStorage.getItem('bantin:draft:/admin/articles/new')"))
    assert "Quên gõ tiêu đề." in stored["values"]["body"]
    expect(page.locator(".draft-offer")).to_have_count(0)  # the page already shows that text


def test_inserting_an_image_with_a_caption_and_a_refused_upload(live_server, desktop):
    page = desktop
    sign_in_as_admin(page, live_server)
    sent = {}

    def accept(route):
        sent["body"] = route.request.post_data_buffer
        figure = (
            '<figure><img src="/media/1-480.jpg" width="480" height="270" alt="Cầu mới" '
            'loading="lazy"><figcaption>Cầu mới bắc qua suối</figcaption></figure>'
        )
        route.fulfill(status=201, content_type="application/json", body=json.dumps(
            {"id": 1, "html": figure}))  # fmt: skip

    page.route("**/admin/media/upload", accept)
    page.goto(live_server.url + "/admin/articles/new")
    page.locator(".rte-area").click()
    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog = page.locator("dialog.rte-dialog")
    dialog.locator("input[type=file]").set_input_files(
        {"name": "cau.png", "mimeType": "image/png", "buffer": PNG}
    )
    dialog.get_by_label("Chú thích").fill("Cầu mới bắc qua suối")
    dialog.get_by_role("button", name="Tải lên và chèn").click()
    expect(page.locator(".rte-area figure figcaption")).to_have_text("Cầu mới bắc qua suối")
    assert b'name="caption"' in sent["body"] and b'name="csrf_token"' in sent["body"]
    assert "Cầu mới bắc qua suối" in page.locator("textarea#body").input_value()

    page.unroute("**/admin/media/upload")
    page.route(
        "**/admin/media/upload",
        lambda route: route.fulfill(status=413, content_type="text/html", body="<h1>413</h1>"),
    )
    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog.locator("input[type=file]").set_input_files(
        {"name": "lon.png", "mimeType": "image/png", "buffer": PNG}
    )
    dialog.get_by_role("button", name="Tải lên và chèn").click()
    expect(dialog.locator(".rte-dialog-error")).to_contain_text("Ảnh quá lớn")


def test_without_javascript_the_form_is_a_plain_textarea_that_publishes(
    live_server, browser, published
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    title = unique("Bài viết không cần JavaScript")
    published.append(title)
    page.fill("#title", title)
    page.fill("#summary", "Biểu mẫu vẫn dùng được khi trình duyệt tắt JavaScript.")
    body = page.locator("textarea#body")
    expect(body).to_be_visible()
    body.fill("Đoạn thứ nhất.\n\nĐoạn thứ hai, gõ tay.")
    page.select_option("#category_id", index=1)
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=title).first.click()
    paragraphs = page.locator("article.detail .body p")
    expect(paragraphs).to_have_text(["Đoạn thứ nhất.", "Đoạn thứ hai, gõ tay."])
    context.close()
