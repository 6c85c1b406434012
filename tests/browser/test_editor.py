"""An editor in a real browser: the rich editor, a Word paste, publishing, an upload, a dropped
connection, and the same form without JavaScript."""

import io
import json
import re
import time
from pathlib import Path

import pypdf
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


def blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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
    page.get_by_role("radio", name="Tin hoạt động").check()
    page.fill("#author", "Ban văn hóa xã")
    page.fill("#source", "Đài truyền thanh xã")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky toolbar sits where it belongs
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
    page.get_by_role("radio", name="Thông báo").check()

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
    expect(page.get_by_role("radio", name="Thông báo")).to_be_checked()
    expect(page.locator("input[name=category_id]:checked")).to_have_count(1)

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
    expect(page.get_by_label("Mã ảnh đại diện")).to_be_visible()  # the picker's fallback
    body.fill("Đoạn thứ nhất.\n\nĐoạn thứ hai, gõ tay.")
    page.locator("input[name=category_id]").nth(1).check()
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=title).first.click()
    paragraphs = page.locator("article.detail .body p")
    expect(paragraphs).to_have_text(["Đoạn thứ nhất.", "Đoạn thứ hai, gõ tay."])
    context.close()


# --- The desk for a non-technical official ----------------------------------------------------

AUTHOR_PASSWORD = "cong-tac-vien-thu-nghiem"


@pytest.fixture
def author(live_server):
    """A contributor account ("Cộng tác viên") on the live site, created once."""
    from models import User, db

    with live_server.app_context():
        if db.session.scalar(db.select(User).where(User.username == "ctv")) is None:
            user = User(username="ctv", display_name="Lò Văn Páo", role="author")
            user.set_password(AUTHOR_PASSWORD)
            db.session.add(user)
            db.session.commit()
    return "ctv"


def sign_in(page, live_server, username, password) -> None:
    page.goto(live_server.url + "/admin/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_an_author_submits_the_editor_returns_with_a_reason_then_approves(
    live_server, browser, desktop, author, published, screenshot
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    writer = context.new_page()
    sign_in(writer, live_server, author, AUTHOR_PASSWORD)
    writer.goto(live_server.url + "/admin/articles/new")
    main = writer.locator(".panel-actions .main-action")
    expect(main).to_have_text("Gửi duyệt")
    expect(writer.get_by_role("button", name="Đăng", exact=True)).to_have_count(0)
    title = unique("Thôn Nà Pồng họp bàn làm đường")
    published.append(title)
    writer.fill("#title", title)
    writer.locator(".rte-area").click()
    writer.keyboard.type("Bà con thống nhất góp công làm đường liên thôn.")
    writer.locator("input[name=category_id]").nth(1).check()
    screenshot(writer, "desk-form-author-360")
    main.click()
    expect(writer.locator(".flash-success")).to_contain_text("Đã gửi bài")

    editor = desktop
    sign_in_as_admin(editor, live_server)
    waiting = editor.locator(".waiting", has_text="Chờ bạn duyệt")
    expect(waiting.get_by_role("link", name=title)).to_be_visible()
    screenshot(editor, "desk-dashboard-1280")
    waiting.get_by_role("link", name=title).click()
    expect(editor.locator(".panel-actions .main-action")).to_have_text("Duyệt và đăng")
    expect(editor.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    screenshot(editor, "desk-review-1280")
    reason = "Cần ghi rõ thời gian khởi công và số hộ tham gia."
    editor.get_by_label("Lý do trả lại").fill(reason)
    editor.get_by_role("button", name="Trả lại", exact=True).click()
    expect(editor.locator(".flash-success")).to_contain_text("Đã trả bài lại")

    writer.goto(live_server.url + "/admin/")
    returned = writer.locator(".waiting-returned")
    expect(returned).to_contain_text(reason)
    screenshot(writer, "desk-dashboard-author-360")
    returned.get_by_role("link", name=title).click()
    expect(writer.locator(".review-returned")).to_contain_text(reason)
    writer.locator(".rte-area").click()
    writer.keyboard.press("End")
    writer.keyboard.type(" Khởi công ngày 20/12, 46 hộ tham gia.")
    writer.locator(".panel-actions .main-action").click()
    expect(writer.locator(".flash-success")).to_contain_text("Đã gửi bài")
    context.close()

    editor.goto(live_server.url + "/admin/")
    editor.locator(".waiting").get_by_role("link", name=title).click()
    editor.locator(".panel-actions .main-action").click()
    expect(editor.locator(".flash-success")).to_contain_text("Đã duyệt và đăng bài")
    editor.goto(live_server.url + "/")
    editor.get_by_role("link", name=title).first.click()
    expect(editor.locator("article.detail .body")).to_contain_text("46 hộ tham gia")

    editor.goto(live_server.url + "/admin/audit")
    for action in ("Gửi duyệt", "Trả lại", "Duyệt và đăng"):
        row = editor.locator("tr", has_text=action).first
        expect(row.get_by_role("link", name=f"“{title}”")).to_be_visible()
    expect(editor.locator("tr", has_text="Trả lại").first).to_contain_text(reason)
    screenshot(editor, "desk-audit-1280")


def test_the_lead_image_is_picked_from_thumbnails_and_searched(
    live_server, desktop, published, screenshot
):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    expect(page.locator("#image_id")).to_be_hidden()  # no number to type with JavaScript on
    page.get_by_role("button", name="Chọn ảnh có sẵn…").click()
    picker = page.locator("dialog.picker")
    expect(picker.locator(".picker-item img").first).to_be_visible()
    assert picker.locator(".picker-item").count() > 1
    screenshot(page, "desk-picker-1280")
    wanted = picker.locator(".picker-name").nth(1).inner_text()  # a demo picture's file name
    picker.get_by_label("Tìm theo tên tệp").fill(wanted.removesuffix(".jpg"))
    picker.get_by_role("button", name="Tìm", exact=True).click()
    expect(picker.locator(".picker-item")).to_have_count(1)
    expect(picker.locator(".picker-name")).to_have_text(wanted)
    picker.get_by_label("Tìm theo tên tệp").fill("không có ảnh này")
    picker.get_by_role("button", name="Tìm", exact=True).click()
    expect(picker.locator(".picker-status")).to_contain_text("Không thấy ảnh nào")
    picker.get_by_label("Tìm theo tên tệp").fill(wanted.removesuffix(".jpg"))
    picker.get_by_role("button", name="Tìm", exact=True).click()
    picker.locator(".picker-item").click()
    expect(picker).to_be_hidden()
    expect(page.locator("[data-lead-preview] img")).to_be_visible()
    chosen = page.locator("#image_id").input_value()
    assert chosen.isdigit()

    title = unique("Ảnh đại diện chọn từ thư viện")
    published.append(title)
    page.fill("#title", title)
    page.locator("input[name=category_id]").nth(1).check()
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    expect(page.locator("[data-lead-preview] img")).to_have_attribute(
        "src", re.compile(rf"/media/{chosen}-160")
    )


def test_an_inline_picture_is_a_figure_of_its_own_with_its_caption(live_server, desktop):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    page.locator(".rte-area").click()
    page.keyboard.type("Đoạn thứ nhất.")
    page.keyboard.press("Enter")
    page.keyboard.type("Đầu đoạn hai. Cuối đoạn hai.")
    page.locator(".rte-area p").first.click()
    page.keyboard.press("End")  # the caret at the end of the first paragraph

    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog = page.locator("dialog.rte-dialog")
    dialog.get_by_role("button", name="Hoặc chọn ảnh có sẵn…").click()
    page.locator("dialog.picker .picker-item").first.click()
    expect(dialog.locator(".rte-picked-name")).to_contain_text("Đã chọn")
    dialog.get_by_label("Chú thích").fill("Cầu treo bản Nà Pồng")
    dialog.get_by_role("button", name="Chèn ảnh đã chọn").click()

    children = page.evaluate(
        "() => [...document.querySelector('.rte-area').children].map(n => n.tagName)"
    )
    assert children[:3] == ["P", "FIGURE", "P"], children
    figure = page.locator(".rte-area > figure")
    expect(figure).to_have_count(1)
    expect(figure.locator("img")).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text("Cầu treo bản Nà Pồng")
    expect(page.locator(".rte-area > p").first).to_have_text("Đoạn thứ nhất.")
    expect(page.locator(".rte-area p img")).to_have_count(0)

    # In the middle of a paragraph the picture splits it in two.
    page.locator(".rte-area p", has_text="Đầu đoạn hai.").click()
    page.keyboard.press("End")
    for _ in range(len("Cuối đoạn hai.")):
        page.keyboard.press("ArrowLeft")
    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog.get_by_role("button", name="Hoặc chọn ảnh có sẵn…").click()
    page.locator("dialog.picker .picker-item").first.click()
    dialog.get_by_role("button", name="Chèn ảnh đã chọn").click()
    texts = page.evaluate(
        "() => [...document.querySelector('.rte-area').children]"
        ".map(n => n.tagName + ':' + n.textContent.trim())"
    )
    assert texts[2:5] == ["P:Đầu đoạn hai.", "FIGURE:", "P:Cuối đoạn hai."], texts
    body = page.locator("textarea#body").input_value()
    assert body.count("<figure>") == 2 and "<figcaption>Cầu treo bản Nà Pồng</figcaption>" in body


def test_an_attachment_uploads_without_leaving_or_losing_the_form(live_server, phone):
    page = phone
    sign_in_as_admin(page, live_server)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(live_server.url + "/admin/articles?status=draft")
    page.locator(".grid.articles td a").first.click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    address = page.url
    page.fill("#summary", "Sapo đang sửa dở, chưa lưu.")
    section = page.locator(".attachments-admin")
    section.locator("input[type=file]").set_input_files(
        {"name": "ke-hoach.pdf", "mimeType": "application/pdf",
         "buffer": blank_pdf()}  # fmt: skip
    )
    section.get_by_label("Tên hiển thị").fill("Kế hoạch làm đường")
    section.get_by_role("button", name="Tải tệp lên").click()
    expect(section.get_by_role("link", name="Kế hoạch làm đường")).to_be_visible()
    expect(section.locator(".attachment-status")).to_contain_text("Đã đính kèm")
    assert page.url == address and asked == []
    expect(page.locator("#summary")).to_have_value("Sapo đang sửa dở, chưa lưu.")

    section.get_by_role("button", name="Gỡ tệp").last.click()  # asks first, then removes
    expect(section.get_by_role("link", name="Kế hoạch làm đường")).to_have_count(0)
    assert asked == ["confirm"] and page.url == address
    expect(page.locator("#summary")).to_have_value("Sapo đang sửa dở, chưa lưu.")


def test_the_desk_menu_fits_a_phone_and_one_desktop_row(live_server, phone, desktop, screenshot):
    sign_in_as_admin(desktop, live_server)
    desktop.goto(live_server.url + "/admin/articles")
    nav = desktop.locator(".desk-nav").bounding_box()
    head = desktop.locator(".desk-head").bounding_box()
    assert nav["height"] <= 48, nav  # one row at 1,280 px
    assert head["height"] + nav["height"] <= 100
    desktop.get_by_text("Quản trị", exact=True).click()
    desktop.get_by_role("link", name="Nhật ký").click()
    desktop.wait_for_url(re.compile(r"/admin/audit$"))
    expect(desktop.get_by_role("heading", name="Nhật ký hoạt động")).to_be_visible()
    desktop.goto(live_server.url + "/admin/articles")
    screenshot(desktop, "desk-list-1280")
    statuses = desktop.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.status')].map(
            n => [n.className, getComputedStyle(n).color + getComputedStyle(n).backgroundColor]))"""
    )
    assert len(set(statuses.values())) == len(statuses), statuses  # no two states alike

    page = phone
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles")
    top = page.locator("main.desk-main").bounding_box()["y"]
    assert top <= 60, top  # only the header row above the content
    expect(page.locator(".desk-nav")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "desk-list-360")
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="Thư viện ảnh")).to_be_visible()
    for link in page.locator(".desk-menu > li > a").all():
        assert link.bounding_box()["height"] >= 44
    screenshot(page, "desk-menu-360")
    page.get_by_role("link", name="Tin bài").click()
    expect(page.locator(".desk-nav")).to_be_hidden()
