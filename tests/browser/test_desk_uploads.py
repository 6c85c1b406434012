"""Files and photos from the desk in a real browser: a PDF attached before the first save,
which survives an ended session like the text; a phone photo shrunk in the browser before
it is sent, with progress and a retry that loses nothing; and the plain form without
JavaScript, which the server checks as ever."""

import io
import re
import time

import pytest
from desk import sign_in_as_admin
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser



def a_pdf() -> bytes:
    """A PDF as a scanner or Pillow writes it: nothing in it acts on its own."""
    buffer = io.BytesIO()
    Image.new("L", (300, 400), 255).save(buffer, "PDF")
    return buffer.getvalue()


PDF = a_pdf()


def camera_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A camera-sized JPEG with a camera's detail (and noise), about 5 MB at 4,000 × 3,000."""
    base = Image.effect_mandelbrot((width, height), (-2.2, -1.2, 1.0, 1.2), 80).convert("RGB")
    noise = Image.effect_noise((width, height), 60).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.35).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# What the page's scripts hand to the network: the size of each file they upload.
RECORD_SENT_FILES = """
window.sentFiles = [];
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  if (body instanceof FormData && body.get('file')) window.sentFiles.push(body.get('file').size);
  return send.call(this, body);
};
"""


@pytest.fixture(scope="module")
def big_photo() -> bytes:
    return camera_photo()


@pytest.fixture
def title(live_server):
    """A title of its own; the article is removed afterwards so the shared demo site stays."""
    text = f"Lịch tiêm chủng tháng 12 {time.monotonic_ns() % 1_000_000}"
    yield text
    from models import Article, db

    with live_server.app_context():
        for article in db.session.scalars(db.select(Article).where(Article.title == text)):
            db.session.delete(article)
        db.session.commit()


def saved_article(live_server, title: str):
    from models import Article, db

    with live_server.app_context():
        article = db.session.scalars(db.select(Article).where(Article.title == title)).one()
        return {
            "status": article.status,
            "files": [item.label for item in article.attachments],
            "image": article.image and (article.image.width, article.image.height),
        }


def end_every_session(live_server) -> None:
    """As an idle timeout or a new password elsewhere would: the browser's cookie stops working."""
    from models import User, db

    with live_server.app_context():
        db.session.scalars(db.select(User).where(User.username == "admin")).one().end_sign_ins()
        db.session.commit()


def write(page, title: str) -> None:
    page.fill("#title", title)
    page.fill("#summary", "Trạm Y tế xã thông báo lịch tiêm chủng mở rộng.")
    page.locator(".rte-area").click()
    page.keyboard.type("Các gia đình đưa trẻ đến trạm đúng lịch.")
    page.get_by_role("radio", name="Giáo dục – Y tế").check()


def test_a_pdf_attached_before_the_first_save_survives_an_ended_session(
        live_server, desktop, title, screenshot):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    write(page, title)
    page.locator("#attachment_file").set_input_files(
        {"name": "Lịch tiêm chủng.pdf", "mimeType": "application/pdf", "buffer": PDF})
    pending = page.get_by_role("checkbox", name=re.compile("Lịch tiêm chủng.pdf"))
    expect(pending).to_be_checked()
    expect(page.locator(".files-progress")).to_contain_text("Tệp được đính kèm khi lưu bài")
    screenshot(page, "article-form-pending-file-1280")

    end_every_session(live_server)
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.locator("#relogin_password")).to_be_visible()
    expect(page.locator("#title")).to_have_value(title)
    expect(pending).to_be_checked()
    page.fill("#relogin_username", "admin")
    page.fill("#relogin_password", live_server.admin_password)
    page.get_by_role("button", name="Đăng", exact=True).click()
    expect(page.locator(".flash-error, [role=alert]").first).to_be_visible()
    expect(pending).to_be_checked()
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    assert saved_article(live_server, title) == {
        "status": "published", "files": ["Lịch tiêm chủng.pdf"], "image": None}


def test_the_local_copy_keeps_the_files_chosen_before_a_reload(live_server, desktop, title):
    page = desktop
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    write(page, title)
    page.locator("#attachment_file").set_input_files(
        {"name": "Danh sách.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(page.get_by_role("checkbox", name=re.compile("Danh sách.pdf"))).to_be_checked()
    page.wait_for_timeout(600)  # the copy is written 400 ms after the last change
    page.reload()
    page.get_by_role("button", name="Khôi phục bản trên máy").click()
    expect(page.get_by_role("checkbox", name=re.compile("Danh sách.pdf"))).to_be_checked()
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    assert saved_article(live_server, title)["files"] == ["Danh sách.pdf"]


def test_a_phone_photo_is_shrunk_before_it_is_sent_and_a_failed_send_is_retried(
        live_server, browser, title, big_photo, screenshot):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True, locale="vi-VN")
    page = context.new_page()
    page.add_init_script(RECORD_SENT_FILES)
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    write(page, title)
    page.route("**/admin/media/upload", lambda route: route.abort("internetdisconnected"))
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "IMG_20261207_0815.jpg", "mimeType": "image/jpeg", "buffer": big_photo})
    status = page.locator(".lead-progress")
    expect(status).to_contain_text("Mất kết nối")
    expect(page.locator("#title")).to_have_value(title)
    screenshot(page, "lead-photo-retry-360")

    page.unroute("**/admin/media/upload")
    status.get_by_role("button", name="Thử lại").tap()
    expect(status).to_contain_text("Đã tải ảnh lên")
    expect(page.locator(".lead-preview img")).to_be_visible()
    sent = page.evaluate("window.sentFiles")
    page.get_by_role("button", name="Đăng", exact=True).tap()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    saved = saved_article(live_server, title)
    # 4,000 × 3,000 shrunk to 2,400 × 1,800 in the browser (the server alone would keep a
    # whole fraction of it: 2,000 × 1,500).
    assert saved["status"] == "published" and saved["image"] == (2400, 1800)
    print(f"\nphoto chosen: {len(big_photo):,} bytes; sent: {sent}")
    assert len(sent) == 2 and sent[0] == sent[1] and sent[1] < len(big_photo) / 3
    context.close()


def test_a_photo_cut_off_by_the_servers_body_deadline_says_the_link_is_slow_and_retries(
        live_server, desktop, title):
    """The server ends a body that comes too slowly with a 408 (web.bodies): the editor reads
    why, keeps the article, and sends the photo again."""
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    write(page, title)
    page.route("**/admin/media/upload", lambda route: route.fulfill(
        status=408, content_type="text/html; charset=utf-8", body="<h1>408</h1>"))
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "anh-cho.jpg", "mimeType": "image/jpeg", "buffer": camera_photo(800, 600)})
    status = page.locator(".lead-progress")
    expect(status).to_contain_text("Mạng quá chậm")
    expect(page.locator("#title")).to_have_value(title)
    page.unroute("**/admin/media/upload")
    status.get_by_role("button", name="Thử lại").click()
    expect(status).to_contain_text("Đã tải ảnh lên")


def test_a_save_pressed_during_the_upload_waits_for_it(live_server, desktop, title, big_photo):
    page = desktop
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    write(page, title)
    uploads: list[str] = []
    page.on("request", lambda request: uploads.append(request.url)
            if request.method == "POST" else None)
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": big_photo})
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    assert saved_article(live_server, title)["image"] is not None
    assert [url.rsplit("/admin/", 1)[1] for url in uploads] == ["media/upload", "articles/new"]


def test_without_javascript_the_photo_and_the_pdf_go_with_the_form(
        live_server, browser, title, big_photo):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360,
                                                                         "height": 740})
    page = context.new_page()
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    page.fill("#title", title)
    page.fill("#body", "<p>Không có JavaScript vẫn đăng được.</p>")
    page.get_by_role("radio", name="Thông báo").check()
    page.locator("input[name=image_upload]").set_input_files(
        {"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": big_photo})
    page.locator("#attachment_file").set_input_files(
        {"name": "Thông báo.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    saved = saved_article(live_server, title)
    assert saved["files"] == ["Thông báo.pdf"] and saved["image"] is not None
    context.close()
