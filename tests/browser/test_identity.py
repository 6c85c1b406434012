"""A branded site as every reader gets it: the emblem, banner and share picture the desk
uploaded are served to people who are not signed in, on every kind of public page."""

import io
import math
import re
from urllib.parse import urljoin

import pytest
from conftest import LiveServer, start_server
from desk import sign_in_as_admin
from PIL import Image, ImageDraw

from app import create_app

pytestmark = pytest.mark.browser

# What the page names, read in the browser: pictures, sources, icons, share tags and CSS.
IMAGE_ADDRESSES = """() => {
  const found = [];
  const add = (value) => { if (value) found.push(value); };
  const srcset = (value) => (value || '').split(',').map((part) => part.trim().split(/\\s+/)[0]);
  const all = (selector) => [...document.querySelectorAll(selector)];
  all('img').forEach((img) => add(img.getAttribute('src')));
  all('[srcset]').forEach((el) => srcset(el.getAttribute('srcset')).forEach(add));
  all('link[rel~="icon"], link[rel="apple-touch-icon"]').forEach((l) => add(l.href));
  all('meta[property="og:image"], meta[name="twitter:image"]').forEach(
    (meta) => add(meta.getAttribute('content')));
  const css = all('[style]').map((element) => element.getAttribute('style'));
  for (const sheet of document.styleSheets) {
    try { for (const rule of sheet.cssRules) css.push(rule.cssText); } catch (e) { }
  }
  for (const text of css) {
    for (const match of text.matchAll(/url\\(["']?([^"')]+)["']?\\)/g)) add(match[1]);
  }
  return found;
}"""


def picture(size, colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def branded_server(tmp_path_factory, demo_template):
    """The demo site on its own server, so that its new identity changes no other test."""
    folder = tmp_path_factory.mktemp("branded")
    app = create_app({
        "SECRET_KEY": "browser-tests", "INSTANCE_PATH": str(folder / "instance"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
        "MEDIA_ROOT": str(folder / "media"), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    })  # fmt: skip
    password = demo_template.restore(app)
    server, thread = start_server(app)
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", password)
    server.shutdown()
    thread.join(timeout=5)


def emblem() -> bytes:
    """A round red emblem with a yellow star, on a transparent square (PNG)."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), fill=(200, 30, 30, 255), outline=(240, 190, 40, 255),
                 width=14)  # fmt: skip
    points = [(200 + (150 if i % 2 == 0 else 60) * math.sin(i * math.pi / 5),
               210 - (150 if i % 2 == 0 else 60) * math.cos(i * math.pi / 5))
              for i in range(10)]  # fmt: skip
    draw.polygon(points, fill=(250, 215, 40, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def landscape(size, sky, ground) -> bytes:
    """A sky fading into rice fields under two hills (JPEG), for the banner and share picture."""
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = tuple(round(a + (255 - a) * y / height) for a in sky)
        draw.line((0, y, width, y), fill=shade)
    draw.polygon([(0, height), (width * 0.3, height * 0.35), (width * 0.6, height)],
                 fill=(40, 110, 70))  # fmt: skip
    draw.polygon([(width * 0.4, height), (width * 0.75, height * 0.45), (width, height)],
                 fill=(30, 90, 60))  # fmt: skip
    draw.rectangle((0, height * 0.8, width, height), fill=ground)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def upload_identity(page, server, folder) -> None:
    """Upload the emblem, the banner and the default share picture in the desk's form, and
    show the Quốc hiệu."""
    files = {"logo": ("png", emblem()),
             "banner": ("jpg", landscape((1600, 170), (120, 180, 230), (150, 190, 60))),
             "share_image": ("jpg", landscape((1200, 630), (90, 150, 210), (170, 200, 70)))}
    sign_in_as_admin(page, server)
    page.goto(server.url + "/admin/settings")
    for key, (extension, data) in files.items():
        path = folder / f"{key}.{extension}"
        path.write_bytes(data)
        page.locator(f'input[name="{key}"]').set_input_files(str(path))
    page.locator('select[name="national_motto"]').select_option("1")
    page.get_by_role("button", name="Lưu thông tin").click()
    page.get_by_text("Đã lưu thông tin trang.").wait_for()


def public_pages(server) -> list[str]:
    """One address of every kind of public page, found through the demo's own links."""
    from models import Article, Category, Page, db

    with server.app_context():
        article = db.session.scalars(
            Article.visible().where(Article.image_id.is_not(None)).limit(1)
        ).one()
        no_picture = db.session.scalars(
            Article.visible().where(Article.image_id.is_(None)).limit(1)
        ).first()
        category = db.session.scalars(Category.menu().limit(1)).one()
        page = db.session.scalars(db.select(Page).limit(1)).one()
        paths = [
            "/", "/?trang=2", f"/chuyen-muc/{category.slug}",
            f"/tin/{article.slug}-{article.id}", f"/tin/{article.slug}-{article.id}/ban-in",
            f"/trang/{page.slug}", "/van-ban", "/tim-kiem?q=x%C3%A3", "/khong-co-trang-nay",
        ]  # fmt: skip
        if no_picture is not None:
            paths.append(f"/tin/{no_picture.slug}-{no_picture.id}")
    return [server.url + path for path in paths]


def test_every_image_a_readers_page_names_is_served_after_branding(
    branded_server, browser, tmp_path, screenshot
):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    upload_identity(desk.new_page(), branded_server, tmp_path)
    desk.close()

    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = reader.new_page()
    urls = public_pages(branded_server)
    page.goto(branded_server.url + "/van-ban")
    urls.append(urljoin(branded_server.url, page.locator("main a[href^='/van-ban/']").first
                        .get_attribute("href")))  # fmt: skip
    failures, checked = [], set()
    for url in urls:
        page.goto(url)
        for address in page.evaluate(IMAGE_ADDRESSES):
            absolute = urljoin(url, address)
            if absolute in checked or absolute.startswith("data:"):
                continue
            checked.add(absolute)
            status = reader.request.get(absolute).status
            if status != 200:
                failures.append(f"{url} names {address}: {status}")
    assert not failures, failures
    names = " ".join(sorted(checked))
    assert re.search(r"/media/\d+-\d+\.webp", names)  # the banner's sources were among them
    assert "/icon-" in names and "-960.jpg" in names  # the emblem and the share picture
    page.goto(branded_server.url + "/")
    page.locator(".banner img").evaluate("img => img.decode()")
    assert page.locator(".banner img").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "identity-home-1280")
    reader.close()


def publish_with_body_picture(server) -> str:
    """As an editor writes: no lead picture, a photo inside the body."""
    from media import markup, uploads
    from models import Article, Category, db, utcnow
    from sanitize import clean_html

    with server.app_context():
        photo = uploads.store_image(picture((1200, 800), (200, 140, 40)), "hien-truong.jpg")
        category = db.session.scalars(Category.menu().limit(1)).one()
        body = clean_html("<p>Bà con góp công.</p>" + markup.figure_html(photo, "Hiện trường"))
        article = Article(title="Tin có ảnh trong bài", slug="tin-co-anh-trong-bai", body=body,
                          category=category, status="published", publish_at=utcnow())  # fmt: skip
        db.session.add(article)
        db.session.commit()
        return f"/tin/tin-co-anh-trong-bai-{article.id}"


def test_the_demo_lists_show_real_pictures_and_no_empty_boxes(
    branded_server, desktop, screenshot
):
    """Each item of "Tin mới nhất" shows its list picture (lead, else the body's first),
    loaded; an item without one has no box."""
    from models import Article, db

    address = publish_with_body_picture(branded_server)
    desktop.goto(branded_server.url + "/")
    items = desktop.locator("main ul.items > li.item")
    assert items.count() >= 5
    with branded_server.app_context():
        pictured = {article.id: bool(article.list_image_id)
                    for article in db.session.scalars(Article.visible())}  # fmt: skip
    shown = []
    for index in range(items.count()):
        item = items.nth(index)
        href = item.locator("h2 a, h3 a").first.get_attribute("href")
        shown.append(href)
        item.scroll_into_view_if_needed()
        thumbs = item.locator(".thumb img")
        assert thumbs.count() == int(pictured[int(href.rsplit("-", 1)[1])]), href
        if thumbs.count():
            thumbs.first.evaluate("img => img.decode()")
            assert thumbs.first.evaluate("img => img.naturalWidth") > 0, href
    assert address in shown
    assert desktop.locator(f'li.item.has-thumb a[href="{address}"]').count() >= 1
    desktop.evaluate("window.scrollTo(0, 0)")
    screenshot(desktop, "lists-home-1280")


# --- The province's front page ----------------------------------------------------------------


@pytest.fixture(scope="module")
def province_front(tmp_path_factory):
    """A province of two communes (tests/sites/two_sites.py), served on a free port."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent.parent / "sites" / "two_sites.py"
    spec = importlib.util.spec_from_file_location("two_sites", path)
    two_sites = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(two_sites)
    province = two_sites.Province(tmp_path_factory.mktemp("province-front"))
    server, thread = start_server(province.app)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    two_sites.close_province(province.app)


# Text that does not fit its box: clipped, or ended with an ellipsis.
CUT_TEXT = """() => [...document.querySelectorAll('main h2, main .newest, main .meta, .brand')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent.trim())"""


@pytest.mark.parametrize("width", [360, 1280])
def test_the_province_front_shows_pictures_emblem_and_whole_headlines(
    province_front, browser, screenshot, width
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(province_front + "/")
    pictures = page.locator("main .item .thumb img")
    assert pictures.count() == 2  # each commune's article, with its lead picture
    for index in range(pictures.count()):
        pictures.nth(index).scroll_into_view_if_needed()
        pictures.nth(index).evaluate("img => img.decode()")
        assert pictures.nth(index).evaluate("img => img.naturalWidth") > 0
    emblem = page.locator("header .brand img.emblem")
    assert emblem.evaluate("img => img.decode().then(() => img.naturalWidth)") == 96
    assert page.evaluate(CUT_TEXT) == []
    # A commune's real headlines are long: the newest one beside its name wraps, its date whole.
    long_title = ("Hội nghị tổng kết công tác cải cách hành chính và chuyển đổi số năm 2026, "
                  "triển khai nhiệm vụ trọng tâm năm 2027 của xã")  # fmt: skip
    page.locator(".sites .newest a").first.evaluate("(a, t) => { a.textContent = t; }", long_title)
    assert page.evaluate(CUT_TEXT) == []
    newest = page.locator(".sites .newest").first
    assert newest.evaluate("el => el.getClientRects().length") >= 1
    assert re.search(r"\(\d\d/\d\d/\d{4}\)$", newest.inner_text().strip())
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"province-front-{width}")
    context.close()
