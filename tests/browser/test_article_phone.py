"""The article form on a 360 px touch phone: the fields follow the work (title, summary, body,
category, picture) and the buttons stay in a bar at the bottom, so that one article with one
photo, category and picture included, goes out in at most 8 taps. The count is printed (run
with -s) and recorded in BENCHMARKS.md."""

import io
import re
import time
from pathlib import Path

import pytest
from desk import sign_in_as_admin
from PIL import Image
from playwright.sync_api import expect

from ops.seed_pictures import draw_scene

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TAP_BUDGET = 8
ARTIFACTS = Path(__file__).parent / "artifacts"


def phone_photo() -> bytes:
    """A camera-sized photo of a village road (the demo's drawing, enlarged)."""
    scene = Image.open(io.BytesIO(draw_scene("duong-thon", 3)))
    buffer = io.BytesIO()
    scene.resize((scene.width * 3, scene.height * 3)).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


class Taps:
    """Every tap of the flow goes through here, so the count is the flow's real count."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, locator) -> None:
        locator.tap()
        self.count += 1

    def type_into(self, locator, text: str) -> None:
        self.tap(locator)
        self.page.keyboard.type(text)

    def pick_photo(self, locator, name: str, data: bytes) -> None:
        """Tap the picture field, then the photo in the phone's picker: two taps."""
        with self.page.expect_file_chooser() as chooser:
            self.tap(locator)
        chooser.value.set_files({"name": name, "mimeType": "image/jpeg", "buffer": data})
        self.count += 1


@pytest.fixture
def touch_phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def title(live_server):
    """A title of its own; the article is removed afterwards so the shared demo site stays."""
    text = f"Ra quân dọn vệ sinh môi trường {time.monotonic_ns() % 1_000_000}"
    yield text
    from models import Article, db

    with live_server.app_context():
        for article in db.session.scalars(db.select(Article).where(Article.title == text)):
            db.session.delete(article)
        db.session.commit()


def test_one_article_with_a_photo_goes_out_in_at_most_8_taps(live_server, touch_phone, title,
                                                            screenshot):
    page = touch_phone
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    taps = Taps(page)
    taps.type_into(page.locator("#title"), title)
    taps.type_into(page.locator("#summary"), "Hơn 300 đoàn viên, thanh niên ra quân.")
    taps.type_into(page.locator(".rte-area"), "Sáng Chủ nhật, các thôn cùng dọn rác ven suối.")
    taps.tap(page.get_by_role("radio", name="Văn hóa – Xã hội"))
    taps.pick_photo(page.locator("input[name=image_upload]"), "IMG_2041.jpg", phone_photo())
    bar = page.locator(".panel-actions")
    expect(bar).to_be_in_viewport()
    expect(page.locator(".lead-progress")).to_contain_text("Đã tải ảnh lên")
    page.evaluate("scrollBy(0, document.querySelector('.panel-category')"
                  ".getBoundingClientRect().top - 8)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-form-phone-360.png"))  # the README's picture
    taps.tap(bar.get_by_role("button", name="Đăng", exact=True))
    page.wait_for_url(re.compile(r"/admin/articles/\d+/edit$"))
    expect(page.locator(".flash-success")).to_contain_text("Bạn đọc đã thấy bài")
    print(f"\none article with one photo, category and picture, on a 360 px phone: "
          f"{taps.count} taps")

    from models import Article, db

    with live_server.app_context():
        article = db.session.scalars(db.select(Article).where(Article.title == title)).one()
        assert article.status == "published"
        assert article.category.name == "Văn hóa – Xã hội"
        assert article.image is not None and article.image.is_image
    assert taps.count <= TAP_BUDGET


def field_tops(page) -> dict[str, float]:
    return page.evaluate("""() => Object.fromEntries(
        ['#title', '#summary', '.field-body', '.panel-category', '.lead-image']
        .map(s => [s, document.querySelector(s).getBoundingClientRect().top + scrollY]))""")


def test_on_a_phone_the_form_follows_the_work_and_the_buttons_stay_in_reach(
        live_server, touch_phone, screenshot):
    page = touch_phone
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    expect(page.locator(".rte-area")).to_be_visible()
    tops = field_tops(page)
    assert list(tops) == sorted(tops, key=tops.get), tops
    bar = page.locator(".panel-actions")
    expect(bar.get_by_role("button", name="Đăng", exact=True)).to_be_in_viewport()
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1 and box["height"] <= 80, box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "article-form-360")
    page.mouse.wheel(0, 900)
    expect(bar.get_by_role("button", name="Đăng", exact=True)).to_be_in_viewport()


def test_on_a_desktop_the_buttons_head_the_side_column(live_server, desktop, screenshot):
    sign_in_as_admin(desktop, live_server)
    desktop.goto(live_server.url + "/admin/articles/new")
    expect(desktop.locator(".rte-area")).to_be_visible()
    main = desktop.locator(".article-main").bounding_box()
    bar = desktop.locator(".panel-actions").bounding_box()
    category = desktop.locator(".panel-category").bounding_box()
    assert bar["x"] > main["x"] + main["width"] - 1 and bar["y"] < category["y"]
    assert abs(bar["y"] - main["y"]) < 40
    screenshot(desktop, "article-form-1280")
