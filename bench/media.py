"""Images benchmark: what an uploaded phone photo costs the server, and readers.

Run: .venv/bin/python bench/media.py  (about a minute; writes nothing outside a temp dir)

For three 4000x3000 phone photos (drawn with Pillow: a landscape with texture at every scale
and EXIF with GPS, so the encoders get honest work), it prints the upload processing time,
the bytes of each rendition, and the bytes a 360 px phone downloads for an article that shows
all three, normally and with Save-Data.

Then the memory of one upload (Linux): the peak resident memory above the level before it
(VmHWM reset through /proc/self/clear_refs) and the peak of Python-level allocations
(tracemalloc, which sees byte copies such as `tobytes()`, not Pillow's own pixel buffers),
for a phone photo, the 131 KB PNG of 6,300 x 6,300 px that cost 450 MB, and a JPEG of the
same size; and the peak of four editors uploading phone photos at once, in threads, with
MEDIA_MAX_CONCURRENT at its default.
"""

import gc
import io
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc

from PIL import Image, ImageChops

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from media import markup, renditions, uploads  # noqa: E402
from models import Article, Category, db, utcnow  # noqa: E402
from ops import seed  # noqa: E402
from sanitize import clean_html, html_to_text  # noqa: E402

PHOTO_SIZE = (4000, 3000)
# (scale, strength): fine sensor grain up to blotches the size of bushes, mostly in brightness.
TEXTURE = ((1, 4), (3, 9), (9, 14), (27, 18))
GPS_TAG = 0x8825
PHONES = {"360 px, DPR 1": (360, 1), "360 px, DPR 2": (360, 2), "desktop 1280 px": (1280, 1)}


def texture(scale: int, strength: int) -> Image.Image:
    width, height = PHOTO_SIZE
    grain = Image.effect_noise((width // scale, height // scale), strength)
    tint = Image.effect_noise((width // scale, height // scale), strength // 3)
    layer = Image.merge("RGB", (grain, ImageChops.add(grain, tint, 2.0, 0), grain))
    return layer.resize(PHOTO_SIZE, Image.Resampling.BICUBIC) if scale > 1 else layer


def phone_photo(number: int) -> bytes:
    """A 4000x3000 JPEG as a phone writes it: quality 92, EXIF with GPS and orientation."""
    image = Image.open(io.BytesIO(seed.landscape(number, PHOTO_SIZE)))
    for scale, strength in TEXTURE:
        image = ImageChops.add(image, texture(scale, strength), 1.0, -128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "Model X", 1
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 7.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def kb(size: int) -> str:
    return f"{size / 1024:7.1f} KB"


def build_app(folder: str):
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": os.path.join(folder, "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "MEDIA_ROOT": os.path.join(folder, "media"),
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def upload_all(photos: list[bytes]) -> list:
    print("Upload processing (decode, upright, strip metadata, store, 10 renditions):")
    stored, times = [], []
    for number, data in enumerate(photos, 1):
        start = time.perf_counter()
        stored.append(uploads.store_image(data, f"IMG_{number:04d}.jpg"))
        times.append(time.perf_counter() - start)
        print(f"  photo {number}: {kb(len(data))} in, {times[-1]:.2f} s")
    print(f"  median: {statistics.median(times):.2f} s per photo")
    return stored


def print_renditions(item) -> None:
    print(f"Renditions of photo 1 (stored original {kb(item.bytes)}, GPS and EXIF removed):")
    for width in renditions.RENDITION_WIDTHS:
        webp = renditions.rendition_bytes(item, width, "webp")
        jpeg = renditions.rendition_bytes(item, width, "jpg")
        print(f"  {width:5d} px   WebP {kb(webp)}   JPEG {kb(jpeg)}")


def make_article(images) -> Article:
    lead, *inline = images
    body = "".join(
        f"<p>Đoạn {n} của bài viết, kể việc xã làm trong tuần.</p>"
        + markup.figure_html(item, f"Chú thích ảnh {n}")
        for n, item in enumerate(inline, 1)
    )
    category = Category(name="Tin tức", slug="tin-tuc")
    article = Article(
        title="Bài có ba ảnh chụp bằng điện thoại",
        slug="bai-co-ba-anh",
        summary="Một bài viết thường gặp: ảnh đầu bài và hai ảnh trong bài.",
        body=clean_html(body),
        category=category,
        image=lead,
        image_caption="Ảnh đầu bài",
        status="published",
        publish_at=utcnow(),
    )
    article.body_text = html_to_text(article.body)
    db.session.add(article)
    db.session.commit()
    return article


def slot_width(sizes: str, viewport: int) -> int:
    """Evaluate a sizes attribute of the form '(min-width: Npx) Xpx, 100vw'."""
    for entry in sizes.split(","):
        found = re.match(r"\s*\(min-width:\s*(\d+)px\)\s*(\d+)px", entry)
        if found and viewport >= int(found[1]):
            return int(found[2])
        if entry.strip().endswith("vw"):
            return viewport * int(entry.strip()[:-2]) // 100
    return viewport


WEBP_SOURCE = re.compile(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)"')


def chosen_webp(html: str, viewport: int, ratio: int) -> list[str]:
    """Pick from each WebP srcset what a browser picks: the smallest width that covers the slot."""
    chosen = []
    for srcset, sizes in WEBP_SOURCE.findall(html):
        needed = slot_width(sizes, viewport) * ratio
        candidates = sorted(
            (int(width[:-1]), url) for url, width in (c.split() for c in srcset.split(", "))
        )
        fits = [url for width, url in candidates if width >= needed]
        chosen.append(fits[0] if fits else candidates[-1][1])
    return chosen


def page_weight(client, url: str, headers: dict) -> tuple[int, str]:
    response = client.get(url, headers={"Accept-Encoding": "br", **headers})
    html = client.get(url, headers=headers).get_data(as_text=True)
    css = re.search(r'rel="stylesheet" href="([^"]+)"', html)[1]
    css_bytes = len(client.get(css, headers={"Accept-Encoding": "br"}).data)
    return len(response.data) + css_bytes, html


def print_reader_bytes(client, article) -> None:
    url = f"/tin/{article.slug}-{article.id}"
    first_visit, html = page_weight(client, url, {})
    print(f"Article page with three images: HTML + CSS (brotli) {kb(first_visit)}, 2 requests")
    for label, (viewport, ratio) in PHONES.items():
        urls = chosen_webp(html, viewport, ratio)
        total = sum(len(client.get(u).data) for u in urls)
        widths = ", ".join(u.rsplit("-", 1)[1] for u in urls)
        print(f"  {label:16s} images {kb(total)}  ({widths})")
    saving, saving_html = page_weight(client, url, {"Save-Data": "on"})
    links = re.findall(r"Xem ảnh \(([^)]+)\)", saving_html)
    print(f"  with Save-Data   images {kb(0)}  (no <img>: {saving_html.count('<img')}; "
          f"links: {', '.join(links)}); HTML + CSS {kb(saving)}")  # fmt: skip


def status_kb(field: str) -> int:
    """Read a memory figure of this process (VmRSS, VmHWM) from /proc, in kB."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def measure(work) -> tuple[float, int, int]:
    """Run `work`; return seconds, peak RSS above the level before (MB), tracemalloc peak (MB)."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the high-water mark to the current RSS
    before = status_kb("VmRSS")
    tracemalloc.start()
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, (status_kb("VmHWM") - before) // 1024, traced // (1024 * 1024)


def blank(size, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 250, 245)).save(buffer, fmt, optimize=True)
    return buffer.getvalue()


def upload_in_threads(app, photos: list[bytes]) -> None:
    def one(number: int, data: bytes) -> None:
        with app.app_context():
            uploads.store_image(data, f"song-song-{number}.jpg")
            db.session.commit()

    threads = [threading.Thread(target=one, args=pair) for pair in enumerate(photos)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def print_memory(app, photo: bytes) -> None:
    print("Memory of one upload (peak RSS above the level before; Python allocations):")
    cases = {
        "phone photo 4000x3000 JPEG": photo,
        "PNG 6300x6300, nearly blank": blank((6300, 6300), "PNG"),
        "JPEG 6300x6300, nearly blank": blank((6300, 6300), "JPEG"),
    }
    for label, data in cases.items():
        with app.app_context():
            elapsed, rss, traced = measure(lambda d=data: uploads.store_image(d, "m.bin"))
            db.session.rollback()
        print(f"  {label:30s} {kb(len(data))} in: {elapsed:5.2f} s, RSS +{rss} MB, "
              f"Python peak {traced} MB")  # fmt: skip
    concurrent = app.config["MEDIA_MAX_CONCURRENT"]
    four = [phone_photo(number) for number in range(4, 8)]
    elapsed, rss, traced = measure(lambda: upload_in_threads(app, four))
    print(f"  four phone photos at once (MEDIA_MAX_CONCURRENT={concurrent}): {elapsed:.2f} s, "
          f"RSS +{rss} MB, Python peak {traced} MB")  # fmt: skip


def main() -> None:
    photos = [phone_photo(number) for number in range(1, 4)]
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(folder)
        with app.app_context():
            images = upload_all(photos)
            db.session.commit()
            print_renditions(images[0])
            article = make_article(images)
            print_reader_bytes(app.test_client(), article)
        if os.path.exists("/proc/self/clear_refs"):
            print_memory(app, phone_photo(9))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
