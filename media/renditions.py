"""Web sizes of stored images: WebP and JPEG at fixed widths, made once and reused, and the
slots that bound how many images a server process decodes and resizes at once.

Pillow is imported by the functions that decode or encode pixels: a worker serving readers
finds every size already made (uploads make them) and so never loads it (2 MB a worker;
BENCHMARKS.md, "Lighter processes")."""

from __future__ import annotations

import functools
import io
import os
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import current_app

from media.store import storage_path, write_atomically
from models import Media

if TYPE_CHECKING:
    from PIL import Image

THUMB_WIDTHS = (160, 320)
CONTENT_WIDTHS = (480, 960, 1600)
# Widths readers may ask for; anything else is refused so nobody can fill the disk.
RENDITION_WIDTHS = THUMB_WIDTHS + CONTENT_WIDTHS
FORMATS = {
    "webp": ("WEBP", "image/webp", {"method": 6}),
    "jpg": ("JPEG", "image/jpeg", {"optimize": True, "progressive": True}),
}
# Thumbnails show every artefact and cost little; large sizes go to dense screens, where
# artefacts shrink, so they take a lower quality. JPEG needs a few points more than WebP.
QUALITY = {160: 75, 320: 72, 480: 64, 960: 60, 1600: 56}
JPEG_EXTRA_QUALITY = 4
# The size stored bodies point at: good for feeds and print; readers get srcset at render time.
STORED_WIDTH = 960
# WebP cannot encode a side longer than this; JPEG's limit (65,500) is further.
WEBP_MAX_SIDE = 16383
# How long an upload waits for a free slot before the editor is asked to try again.
SLOT_WAIT_SECONDS = 120
SLOTS_LOCK = threading.Lock()


class Busy(RuntimeError):
    """Every image slot stayed taken for SLOT_WAIT_SECONDS."""


def slots() -> threading.BoundedSemaphore:
    """Return this app's semaphore of MEDIA_MAX_CONCURRENT image slots (one per process)."""
    with SLOTS_LOCK:
        found = current_app.extensions.get("bantin.image_slots")
        if found is None:
            found = threading.BoundedSemaphore(current_app.config["MEDIA_MAX_CONCURRENT"])
            current_app.extensions["bantin.image_slots"] = found
        return found


@contextmanager
def processing():
    """Hold an image slot while decoding or resizing, so that memory stays bounded: each
    image in work costs tens of megabytes, and a small server has few hundred to spare."""
    slot = slots()
    if not slot.acquire(timeout=SLOT_WAIT_SECONDS):
        raise Busy("every image slot is taken")
    try:
        yield
    finally:
        slot.release()


def rendition_width(media: Media, width: int) -> int:
    """Never upscale: a small image's larger renditions are its own width."""
    return min(width, media.width or width)


def rendition_height(media: Media, width: int) -> int:
    actual = rendition_width(media, width)
    return max(1, round((media.height or actual) * actual / (media.width or actual)))


def tallest_rendition(width: int, height: int) -> int:
    """Return the height of an image's tallest web size (at the largest width it gets)."""
    real = min(max(CONTENT_WIDTHS), width)
    return max(1, round(height * real / width))


def rendition_file(media: Media, width: int, fmt: str) -> str:
    """Name renditions by their real width, so sizes an image is too small for share a file."""
    return storage_path(f"{media.sha256}-{rendition_width(media, width)}.{fmt}", "renditions")


def quality(real_width: int, fmt: str) -> int:
    """Pick the quality of the nearest standard width at or above the real one."""
    standard = next((w for w in sorted(QUALITY) if w >= real_width), max(QUALITY))
    return QUALITY[standard] + (JPEG_EXTRA_QUALITY if fmt == "jpg" else 0)


def encode(image: Image.Image, fmt: str) -> bytes:
    pil_format, _, options = FORMATS[fmt]
    buffer = io.BytesIO()
    image.save(buffer, pil_format, quality=quality(image.width, fmt), **options)
    return buffer.getvalue()


def resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    from PIL import Image  # lazy: see the module's docstring

    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def flatten(image: Image.Image) -> Image.Image:
    """Put transparent pixels on white, as the page behind them is, for JPEG and WebP alike."""
    from PIL import Image  # lazy: see the module's docstring

    if image.mode == "RGB":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.convert("RGBA").getchannel("A"))
    return background


def make_renditions(media: Media, image: Image.Image) -> None:
    """Write every web size of a new image, each from the next larger one, which is quick."""
    current = flatten(image)
    for width in sorted(RENDITION_WIDTHS, reverse=True):
        current = resized(current, (rendition_width(media, width), rendition_height(media, width)))
        for fmt in FORMATS:
            path = rendition_file(media, width, fmt)
            if not os.path.exists(path):
                write_atomically(path, encode(current, fmt))


def render(media: Media, width: int, fmt: str) -> bytes:
    """Resize the stored original to `width` and encode it for the web."""
    from PIL import Image  # lazy: see the module's docstring

    size = (rendition_width(media, width), rendition_height(media, width))
    with processing(), Image.open(storage_path(media.stored_name)) as original:
        original.draft("RGB", size)  # JPEG decodes straight at 1/2, 1/4 or 1/8 scale.
        image = flatten(original.convert("RGBA") if original.mode != "RGB" else original)
        return encode(resized(image, size), fmt)


def rendition_path(media: Media, width: int, fmt: str) -> str:
    """Return the path of a derived size, making it the first time it is asked for."""
    path = rendition_file(media, width, fmt)
    if not os.path.exists(path):
        write_atomically(path, render(media, width, fmt))
    return path


def rendition_url(media: Media, width: int, fmt: str) -> str:
    """Return the path of a rendition; a plain format, so bodies can be built outside requests."""
    return f"/media/{media.id}-{width}.{fmt}"


def rendition_bytes(media: Media, width: int, fmt: str) -> int:
    return os.path.getsize(rendition_path(media, width, fmt))


def srcset_widths(media: Media, widths=CONTENT_WIDTHS) -> list[tuple[int, int]]:
    """Return (asked, real) widths, dropping sizes that would repeat a smaller one's file."""
    seen, found = set(), []
    for width in widths:
        real = rendition_width(media, width)
        if real not in seen:
            seen.add(real)
            found.append((width, real))
    return found


# Square PNG icons of the site's logo (favicon, home-screen icon, the header's emblem): PNG
# because a logo's transparent edges must stay transparent on a coloured header.
ICON_SIZES = (32, 96, 180)


def render_icon(media: Media, size: int) -> bytes:
    """Fit the original into a transparent square of `size` pixels and encode it as PNG."""
    from PIL import Image  # lazy: see the module's docstring

    with Image.open(storage_path(media.stored_name)) as original:
        image = original.convert("RGBA")
    return square(image, size)


@functools.lru_cache(maxsize=4)
def square_png(data: bytes, size: int) -> bytes:
    """Fit an image file's bytes into a transparent square PNG (the province's emblem)."""
    from PIL import Image  # lazy: see the module's docstring

    with Image.open(io.BytesIO(data)) as original:
        return square(original.convert("RGBA"), size)


def square(image: Image.Image, size: int) -> bytes:
    from PIL import Image  # lazy: see the module's docstring

    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas.paste(image, ((size - image.width) // 2, (size - image.height) // 2))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def icon_path(media: Media, size: int) -> str:
    """Return the path of a square PNG icon of an image, making it the first time."""
    path = storage_path(f"{media.sha256}-icon{size}.png", "renditions")
    if not os.path.exists(path):
        write_atomically(path, render_icon(media, size))
    return path
