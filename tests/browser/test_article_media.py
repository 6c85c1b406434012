"""The whole way through, with the real server: an editor adds a lead image, an inline image
and an attachment from the article form, publishes, and a reader on a phone gets light images."""

import io
import re
import time

import pytest
from desk import sign_in_as_admin
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def photo(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A phone-like JPEG: big enough that the site must shrink it."""
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 40):
        image.paste((x % 255, 120, 200 - x % 200), (x, 0, x + 20, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (300, 400), 255).save(buffer, "PDF")
    return buffer.getvalue()


@pytest.fixture
def title(live_server):
    """A title of its own; the article is removed afterwards so the shared demo site stays."""
    text = f"Khánh thành cầu treo Nà Khoang {time.monotonic_ns() % 1_000_000}"
    yield text
    from models import Article, db

    with live_server.app_context():
        for article in db.session.scalars(db.select(Article).where(Article.title == text)):
            db.session.delete(article)
        db.session.commit()


def insert_inline_image(page) -> None:
    page.locator(".rte-area").click()
    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog = page.locator("dialog.rte-dialog")
    dialog.locator("input[type=file]").set_input_files(
        {
            "name": "cau-treo.jpg",
            "mimeType": "image/jpeg",
            "buffer": photo(2000, 1500, (90, 140, 60)),
        }
    )
    dialog.get_by_label("Chú thích").fill("Cầu treo mới bắc qua suối Nà Khoang")
    dialog.get_by_role("button", name="Tải lên và chèn").click()
    expect(page.locator(".rte-area figure figcaption")).to_have_text(
        "Cầu treo mới bắc qua suối Nà Khoang"
    )


def write_and_publish(page, live_server, title: str) -> str:
    page.goto(live_server.url + "/admin/articles/new")
    page.fill("#title", title)
    page.fill("#summary", "Cây cầu giúp hơn 200 hộ đi lại an toàn mùa mưa lũ.")
    page.get_by_role("radio", name="Tin hoạt động").check()
    page.locator(".rte-area").click()
    page.keyboard.type("Sáng nay, bà con thôn Nà Khoang vui mừng đón cây cầu mới.")
    insert_inline_image(page)
    page.locator("input[name=image_upload]").set_input_files(
        {
            "name": "anh-dai-dien.jpg",
            "mimeType": "image/jpeg",
            "buffer": photo(3000, 2000, (200, 80, 40)),
        }
    )
    page.fill("#image_caption", "Lễ cắt băng khánh thành cầu treo")
    page.fill("#author", "Ma Thị Lan")
    page.get_by_role("button", name="Đăng", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    expect(page.locator(".flash-success")).to_contain_text("Bạn đọc đã thấy bài")
    return re.search(r"/admin/articles/(\d+)/edit", page.url)[1]


def attach_pdf(page) -> None:
    section = page.locator("form.attachments-upload, .attachments-admin form").last
    section.locator("input[type=file]").set_input_files(
        {"name": "Kế hoạch khánh thành.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    section.get_by_role("button", name="Tải tệp lên").click()
    expect(page.get_by_text("Kế hoạch khánh thành.pdf").first).to_be_visible()


def test_editor_publishes_with_images_and_a_file_and_a_phone_reads_it_light(
    live_server, browser, title, screenshot
):
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in_as_admin(page, live_server)
    article_id = write_and_publish(page, live_server, title)
    attach_pdf(page)
    screenshot(page, "article-form-with-media-1280")
    desk.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740})
    reader = phone.new_page()
    fetched: list[str] = []
    reader.on("request", lambda request: fetched.append(request.url))
    reader.goto(f"{live_server.url}/tin/{article_id}")
    expect(reader.locator("article.detail h1")).to_have_text(title)
    expect(reader.locator("figure.lead-image figcaption")).to_have_text(
        "Lễ cắt băng khánh thành cầu treo"
    )
    expect(reader.locator(".body figcaption")).to_have_text("Cầu treo mới bắc qua suối Nà Khoang")
    expect(reader.get_by_role("link", name="Kế hoạch khánh thành.pdf")).to_be_visible()
    expect(reader.get_by_text("Tác giả:")).to_contain_text("Ma Thị Lan")
    reader.mouse.wheel(0, 3000)
    reader.wait_for_load_state("networkidle")
    screenshot(reader, "article-with-media-360")

    images = [url for url in fetched if "/media/" in url]
    assert len(images) == 2, images
    assert all(url.endswith("-480.webp") for url in images), images
    phone.close()
