"""Images in reader pages: responsive <picture> markup, the stored <figure> of an inserted
image, standalone copies with images inline, and links instead of images for data savers."""

import base64
import html
import re

from flask import g, has_request_context, request
from markupsafe import Markup

from media.renditions import (
    CONTENT_WIDTHS,
    STORED_WIDTH,
    rendition_bytes,
    rendition_height,
    rendition_path,
    rendition_url,
    rendition_width,
    srcset_widths,
)
from models import Media, db, id_or_none
from vietnamese import file_size

BODY_SIZES = "(min-width: 760px) 720px, 100vw"
# The size a data-saving reader opens by tapping "Xem ảnh": JPEG, which every phone shows.
LINK_WIDTH, LINK_FORMAT = 480, "jpg"
SAVE_DATA_COOKIE = "tiet_kiem_du_lieu"


# --- Save-Data --------------------------------------------------------------------------------


def save_data() -> bool:
    """Tell whether this reader wants pages without images.

    The reader's own switch (a cookie) wins over the browser's `Save-Data: on` header, so
    someone whose phone always asks to save data can still choose to see pictures.
    """
    if not has_request_context():
        return False
    g.varies_on_save_data = True
    choice = request.cookies.get(SAVE_DATA_COOKIE)
    if choice in ("1", "0"):
        return choice == "1"
    return request.headers.get("Save-Data", "").strip().lower() == "on"


# --- Markup for readers -----------------------------------------------------------------------


def image_link(media: Media, base: str = "") -> Markup:
    """Offer an image as a link saying what it costs, for readers who save data.

    `base` (the site's public address) makes the link work in a copy saved to read offline.
    """
    url = base + rendition_url(media, LINK_WIDTH, LINK_FORMAT)
    size = file_size(rendition_bytes(media, LINK_WIDTH, LINK_FORMAT))
    return Markup('<a class="img-link" href="{}">Xem ảnh ({})</a>').format(url, size)


def srcset(media: Media, widths, fmt: str) -> str:
    pairs = srcset_widths(media, widths)
    return ", ".join(f"{rendition_url(media, asked, fmt)} {real}w" for asked, real in pairs)


def picture_html(
    image: Media,
    alt: str,
    sizes: str,
    widths=None,
    lazy: bool = True,
    class_: str = "",
    decorative: bool | None = None,
) -> Markup:
    """Render an image as <picture>: WebP with a JPEG fallback, srcset, sizes, reserved space.

    A reader saving data gets a link instead, or nothing for a decorative picture (one
    without alt text, such as a list thumbnail beside its title).
    """
    widths = widths or CONTENT_WIDTHS
    if save_data():
        decorative = (not alt) if decorative is None else decorative
        return Markup("") if decorative else image_link(image)
    largest = srcset_widths(image, widths)[-1][0]
    loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
    return Markup(
        '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} decoding="async">'
        "</picture>"
    ).format(
        Markup(' class="{}"').format(class_) if class_ else "",
        srcset(image, widths, "webp"),
        sizes,
        rendition_url(image, widths[0], "jpg"),
        srcset(image, widths, "jpg"),
        sizes,
        rendition_width(image, largest),
        rendition_height(image, largest),
        alt,
        Markup(loading),
    )


IMG_TAG = re.compile(r"<img\b[^>]*>")
OUR_IMAGE_SRC = re.compile(r'\ssrc="/media/(\d+)-\d+\.(?:webp|jpg)"')
ALT = re.compile(r'\salt="([^"]*)"')


def body_media(tag: str) -> Media | None:
    """Return the image of ours an <img> tag of a stored body points at."""
    found = OUR_IMAGE_SRC.search(tag)
    media_id = id_or_none(found[1]) if found else None
    media = db.session.get(Media, media_id) if media_id else None
    return media if media is not None and media.is_image else None


def tag_alt(tag: str) -> str:
    found = ALT.search(tag)
    return html.unescape(found[1]) if found else ""


def each_image(body: str, show, base: str = "") -> str:
    """Apply `show(media, tag)` to every <img> of ours in a body; data savers get links."""
    saving = save_data()

    def replace(match: re.Match) -> str:
        media = body_media(match[0])
        if media is None:
            return "" if saving else match[0]
        return image_link(media, base) if saving else show(media, match[0])

    return IMG_TAG.sub(replace, body or "")


def responsive_images(body: str, plain: bool = False) -> Markup:
    """Turn a stored body's plain <img> tags into responsive pictures, or links to save data.

    Bodies keep simple markup (one src under /media/); the sizes a reader needs are decided
    here, at render time. `plain` keeps the stored tags (print view) unless saving data.
    """

    def show(media: Media, tag: str) -> str:
        if plain:
            return tag
        return picture_html(media, tag_alt(tag), BODY_SIZES, decorative=False)

    return Markup(each_image(body, show))


def figure_html(media: Media, caption: str, alt: str = "") -> str:
    """Return the markup stored in an article body for an inserted image.

    Plain on purpose: <figure><img src width height alt><figcaption>; readers get responsive
    sizes from `responsive_images` at render time, feeds and print get a sensible default.
    """
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="{rendition_url(media, STORED_WIDTH, "jpg")}" '
        f'alt="{html.escape(alt or caption, quote=True)}" '
        f'width="{rendition_width(media, STORED_WIDTH)}" '
        f'height="{rendition_height(media, STORED_WIDTH)}">{caption_html}</figure>'
    )


def data_uri(media: Media, width: int = 480) -> str:
    """Return a JPEG rendition inline, for pages saved to read offline."""
    with open(rendition_path(media, width, "jpg"), "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:image/jpeg;base64,{encoded}"


def inline_image(media: Media, tag: str) -> str:
    alt = html.escape(tag_alt(tag), quote=True)
    width, height = rendition_width(media, 480), rendition_height(media, 480)
    return f'<img src="{data_uri(media)}" alt="{alt}" width="{width}" height="{height}">'


def embed_images(fragment: str, base: str) -> str:
    """Make a body stand alone: images inline as data, or links under `base` to save data."""
    return each_image(fragment, inline_image, base)
