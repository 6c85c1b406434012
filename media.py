"""Images and attachments: decoded and re-encoded by Pillow (images) or recognised by content
(documents), stored once by content hash, and served in light sizes, or not at all to a reader
who saves data."""

import base64
import glob
import hashlib
import html
import io
import itertools
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    has_request_context,
    jsonify,
    make_response,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select
from werkzeug.exceptions import RequestEntityTooLarge

import sniff
from models import Article, Attachment, Document, Media, Page, db
from security import is_safe_next
from vietnamese import file_size, slugify

bp = Blueprint("media", __name__)

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
# Formats we keep as the stored original, by what Pillow decoded (never by the file name).
ORIGINAL_FORMATS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    # Many phones write multi-picture JPEGs (depth maps, previews); we keep the first picture.
    "MPO": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),
}
# Pillow opens MPO files through its JPEG plugin.
OPENED_AS = ("JPEG", "PNG", "WEBP", "GIF")
ORIGINAL_OPTIONS = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {"compress_level": 6}}
# The size stored bodies point at: good for feeds and print; readers get srcset at render time.
STORED_WIDTH = 960
BODY_SIZES = "(min-width: 760px) 720px, 100vw"
# The size a data-saving reader opens by tapping "Xem ảnh": JPEG, which every phone shows.
LINK_WIDTH, LINK_FORMAT = 480, "jpg"
ONE_YEAR = 365 * 24 * 3600
MEGABYTE = 1024 * 1024
DEFAULT_LIMITS = {
    "MEDIA_MAX_PIXELS": 40_000_000,
    "MEDIA_MAX_IMAGE_BYTES": 15 * MEGABYTE,
    "MEDIA_MAX_FILE_BYTES": 20 * MEGABYTE,
}
SAVE_DATA_COOKIE = "tiet_kiem_du_lieu"


class Rejected(ValueError):
    """An upload we refuse; the message is for the editor, the status for JSON answers."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class ImageRejected(Rejected):
    """An upload that is not an image we accept."""


class FileRejected(Rejected):
    """An upload that is not a document we accept as an attachment."""


@bp.app_template_global("upload_limit")
def limit(name: str) -> int:
    """Return a per-file limit (MEDIA_MAX_IMAGE_BYTES, ...) from the config or its default."""
    return current_app.config.get(name, DEFAULT_LIMITS[name])


def check_size(data: bytes, limit_name: str, error: type[Rejected]) -> None:
    """Refuse an empty upload or one over its per-file limit, saying both sizes."""
    if not data:
        raise error("Tệp tải lên rỗng.")
    allowed = limit(limit_name)
    if len(data) > allowed:
        raise error(
            f"Tệp quá lớn ({file_size(len(data))}); tối đa {file_size(allowed)}. "
            "Hãy thu nhỏ hoặc nén tệp rồi tải lại.",
            status=413,
        )


def safe_name(original_name: str) -> str:
    """Keep only the last part of a name the browser sent, without control characters."""
    name = os.path.basename((original_name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:255]


# --- Reading an image upload ------------------------------------------------------------------


@dataclass
class CleanImage:
    image: Image.Image
    data: bytes
    mime_type: str
    extension: str

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def too_many_pixels() -> str:
    millions = limit("MEDIA_MAX_PIXELS") // 1_000_000
    return f"Ảnh có quá nhiều điểm ảnh. Hãy thu nhỏ ảnh (dưới {millions} triệu điểm) rồi tải lại."


NOT_AN_IMAGE = "Tệp này không phải là ảnh hợp lệ hoặc đã bị hỏng. Chỉ nhận JPEG, PNG, WebP, GIF."


def open_image(data: bytes) -> Image.Image:
    """Let Pillow identify the content among our formats; refuse a pixel bomb undecoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=OPENED_AS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise ImageRejected(too_many_pixels()) from err
    width, height = image.size
    if width * height > limit("MEDIA_MAX_PIXELS"):
        raise ImageRejected(too_many_pixels())
    return image


def decode(data: bytes) -> Image.Image:
    """Open an upload as an image, refusing markup, broken files and what is too large."""
    check_size(data, "MEDIA_MAX_IMAGE_BYTES", ImageRejected)
    if sniff.looks_like_markup(data):
        raise ImageRejected("Không nhận ảnh SVG hay trang HTML. Chỉ nhận JPEG, PNG, WebP, GIF.")
    try:
        image = open_image(data)
        image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ImageRejected(NOT_AN_IMAGE) from err
    if sniff.hidden_markup(data, image.format, image.info):
        raise ImageRejected("Ảnh có chứa mã HTML hoặc script ẩn bên trong nên không được nhận.")
    return image


def clean(image: Image.Image) -> CleanImage:
    """Turn the photo upright and copy only its pixels: EXIF, GPS and comments stay behind."""
    fmt, mime_type, extension = ORIGINAL_FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha and fmt != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    buffer = io.BytesIO()
    fresh.save(buffer, fmt, **ORIGINAL_OPTIONS[fmt])
    return CleanImage(fresh, buffer.getvalue(), mime_type, extension)


# --- Storage ----------------------------------------------------------------------------------


def storage_path(name: str, folder: str = "originals") -> str:
    """Return where a stored file lives, fanned out by its first two hex digits."""
    return os.path.join(current_app.config["MEDIA_ROOT"], folder, name[:2], name)


def write_atomically(path: str, data: bytes) -> None:
    """Write a file so that a reader in another worker never sees half of it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)


def find_by_hash(digest: str) -> Media | None:
    return db.session.scalar(select(Media).where(Media.sha256 == digest))


def store_image(data: bytes, original_name: str = "", uploader_id: int | None = None) -> Media:
    """Decode, clean and store an uploaded image once, with its web sizes made up front.

    The same photo uploaded again returns the row already stored. Raises ImageRejected.
    """
    cleaned = clean(decode(data))
    digest = hashlib.sha256(cleaned.data).hexdigest()
    existing = find_by_hash(digest)
    if existing:
        return existing
    stored_name = f"{digest}.{cleaned.extension}"
    write_atomically(storage_path(stored_name), cleaned.data)
    media = Media(
        sha256=digest,
        kind="image",
        stored_name=stored_name,
        original_name=safe_name(original_name),
        mime_type=cleaned.mime_type,
        bytes=len(cleaned.data),
        width=cleaned.size[0],
        height=cleaned.size[1],
        uploaded_by=uploader_id,
    )
    make_renditions(media, cleaned.image)
    db.session.add(media)
    db.session.flush()
    return media


def store_file(data: bytes, original_name: str, uploader_id: int | None = None) -> Media:
    """Store a document for download (PDF, Word, Excel, ODF, ZIP), recognised by its content.

    The bytes are kept as sent, since readers need the very file; raises FileRejected.
    """
    check_size(data, "MEDIA_MAX_FILE_BYTES", FileRejected)
    try:
        mime_type = sniff.sniff_document(data)
    except sniff.NotRecognised as err:
        raise FileRejected(str(err)) from err
    digest = hashlib.sha256(data).hexdigest()
    existing = find_by_hash(digest)
    if existing:
        return existing
    stored_name = f"{digest}.{sniff.EXTENSIONS[mime_type]}"
    write_atomically(storage_path(stored_name), data)
    media = Media(
        sha256=digest,
        kind="file",
        stored_name=stored_name,
        original_name=safe_name(original_name) or stored_name,
        mime_type=mime_type,
        bytes=len(data),
        uploaded_by=uploader_id,
    )
    db.session.add(media)
    db.session.flush()
    return media


def stored_files(media: Media) -> list[str]:
    """Return the paths of a media's original and every rendition on disk."""
    renditions = glob.glob(storage_path(f"{media.sha256}-*", folder="renditions"))
    return [storage_path(media.stored_name), *renditions]


def delete_files(paths: list[str]) -> None:
    """Remove a deleted media's files (from `stored_files`), once its deletion is committed."""
    for path in paths:
        if os.path.exists(path):
            os.remove(path)


# --- Renditions -------------------------------------------------------------------------------


def rendition_width(media: Media, width: int) -> int:
    """Never upscale: a small image's larger renditions are its own width."""
    return min(width, media.width or width)


def rendition_height(media: Media, width: int) -> int:
    actual = rendition_width(media, width)
    return max(1, round((media.height or actual) * actual / (media.width or actual)))


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
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def flatten(image: Image.Image) -> Image.Image:
    """Put transparent pixels on white, as the page behind them is, for JPEG and WebP alike."""
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
    size = (rendition_width(media, width), rendition_height(media, width))
    with Image.open(storage_path(media.stored_name)) as original:
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


@bp.get("/media/<int:media_id>-<int:width>.<fmt>")
def rendition(media_id: int, width: int, fmt: str):
    """Serve a web-sized copy of an image; its URL never changes content, so cache it a year."""
    if width not in RENDITION_WIDTHS or fmt not in FORMATS:
        abort(404)
    media = db.session.get(Media, media_id)
    if media is None or not media.is_image:
        abort(404)
    response = send_file(rendition_path(media, width, fmt), mimetype=FORMATS[fmt][1], etag=True)
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    return response


# --- Save-Data --------------------------------------------------------------------------------


@bp.app_template_global()
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


@bp.after_app_request
def vary_on_save_data(response):
    """A page that looked at the reader's choice differs by it: caches must keep both."""
    if g.get("varies_on_save_data"):
        response.vary.update(("Save-Data", "Cookie"))
    return response


@bp.get("/tiet-kiem-du-lieu")
def save_data_switch():
    """Turn the reader's data saver on (`?bat=1`) or off (`?bat=0`), then go back.

    A plain GET link, on purpose: it works without JavaScript and needs no session, while a
    POST form would need a CSRF token and so a session cookie on every reader, which would
    make every public page uncacheable. The worst a forged link can do is switch pictures on
    or off in one browser, which the reader sees and undoes with one tap. The answer is never
    cached, and the link carries rel=nofollow so crawlers leave it alone.
    """
    target = request.args.get("next", "")
    response = redirect(target if is_safe_next(target) else url_for("public.home"))
    response.set_cookie(
        SAVE_DATA_COOKIE,
        "1" if request.args.get("bat") == "1" else "0",
        max_age=ONE_YEAR,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    response.cache_control.no_store = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.app_template_global()
def save_data_switch_url(on: bool) -> str:
    """Return the switch link that comes back to the page being shown."""
    here = request.full_path.rstrip("?")
    return url_for("media.save_data_switch", bat="1" if on else "0", next=here)


# --- Markup for readers -----------------------------------------------------------------------


def image_link(media: Media, absolute: bool = False) -> Markup:
    """Offer an image as a link saying what it costs, for readers who save data."""
    url = rendition_url(media, LINK_WIDTH, LINK_FORMAT)
    if absolute:
        url = url_for("public.home", _external=True).rstrip("/") + url
    size = file_size(rendition_bytes(media, LINK_WIDTH, LINK_FORMAT))
    return Markup('<a class="img-link" href="{}">Xem ảnh ({})</a>').format(url, size)


def srcset(media: Media, widths, fmt: str) -> str:
    pairs = srcset_widths(media, widths)
    return ", ".join(f"{rendition_url(media, asked, fmt)} {real}w" for asked, real in pairs)


@bp.app_template_global()
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
    media = db.session.get(Media, int(found[1])) if found else None
    return media if media is not None and media.is_image else None


def tag_alt(tag: str) -> str:
    found = ALT.search(tag)
    return html.unescape(found[1]) if found else ""


def each_image(body: str, show, absolute: bool = False) -> str:
    """Apply `show(media, tag)` to every <img> of ours in a body; data savers get links."""
    saving = save_data()

    def replace(match: re.Match) -> str:
        media = body_media(match[0])
        if media is None:
            return "" if saving else match[0]
        return image_link(media, absolute) if saving else show(media, match[0])

    return IMG_TAG.sub(replace, body or "")


@bp.app_template_filter("responsive_images")
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


def embed_images(fragment: str) -> str:
    """Make a body stand alone: images inline as data, or absolute links when saving data."""
    return each_image(fragment, inline_image, absolute=True)


@bp.app_template_global()
def lead_image_link(media: Media) -> Markup:
    """The data-saving stand-in for a lead image, usable in saved copies too."""
    return image_link(media, absolute=True)


# --- Attachments ------------------------------------------------------------------------------

FILE_KINDS = {
    sniff.PDF: "PDF",
    sniff.DOC: "Word",
    sniff.DOCX: "Word",
    sniff.XLS: "Excel",
    sniff.XLSX: "Excel",
    sniff.ODT: "ODT",
    sniff.ODS: "ODS",
    sniff.ZIP: "ZIP",
    "image/jpeg": "Ảnh JPEG",
    "image/png": "Ảnh PNG",
    "image/webp": "Ảnh WebP",
}


def file_kind(mime_type: str) -> str:
    """Name a file type the way readers know it: "PDF", "Word", "Excel"."""
    return FILE_KINDS.get(mime_type, "Tệp")


def attachment_is_public(attachment: Attachment) -> bool:
    """An article's files are public only while the article is; documents are public records."""
    if attachment.article_id is not None:
        article = db.session.get(Article, attachment.article_id)
        return article is not None and article.is_visible()
    return True


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the label, with the extension its content has."""
    media = attachment.media
    stem = attachment.title or os.path.splitext(media.original_name)[0] or "tep-dinh-kem"
    extension = sniff.EXTENSIONS.get(media.mime_type) or media.stored_name.rsplit(".", 1)[-1]
    return f"{stem}.{extension}"


def content_disposition(name: str) -> str:
    """Carry a Vietnamese file name by RFC 6266/5987, with an ASCII fallback for old browsers."""
    stem, _, extension = name.rpartition(".")
    fallback = f"{slugify(stem)}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_attachment(item: Attachment, max_age: int):
    """Send a stored file as a download with its stored type, never to be sniffed or run."""
    response = send_file(
        storage_path(item.media.stored_name),
        mimetype=item.media.mime_type,
        etag=item.media.sha256,
        conditional=True,
    )
    response.headers["Content-Disposition"] = content_disposition(download_name(item))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.max_age = max_age
    return response


@bp.get("/tep/<int:attachment_id>")
def attachment(attachment_id: int):
    """Download an attachment under its original (Vietnamese) name and stored type."""
    item = db.get_or_404(Attachment, attachment_id)
    if not attachment_is_public(item):
        abort(404)
    response = send_attachment(item, current_app.config["PUBLIC_MAX_AGE"])
    response.cache_control.public = True
    return response


# --- Where media is used ----------------------------------------------------------------------


@dataclass
class Usage:
    kind: str
    title: str
    url: str | None = None


def body_mentions(column, media: Media):
    # "/media/12-" never matches inside "/media/112-": the id follows the slash directly.
    return column.contains(f"/media/{media.id}-", autoescape=True)


def media_usage(media: Media) -> list[Usage]:
    """List the articles, pages and documents that show or offer this media."""
    articles = db.session.scalars(
        select(Article)
        .where(or_(Article.image_id == media.id, body_mentions(Article.body, media)))
        .order_by(Article.id.desc())
    ).all()
    pages = db.session.scalars(select(Page).where(body_mentions(Page.body, media))).all()
    attached = db.session.scalars(select(Attachment).where(Attachment.media_id == media.id)).all()
    found = [Usage("Bài viết", a.title, f"/admin/articles/{a.id}/edit") for a in articles]
    found += [Usage("Trang", p.title) for p in pages]
    for item in attached:
        if item.article_id is not None:
            owner = db.session.get(Article, item.article_id)
            found.append(Usage("Tệp của bài", owner.title, f"/admin/articles/{owner.id}/edit"))
        else:
            owner = db.session.get(Document, item.document_id)
            found.append(Usage("Tệp của văn bản", f"{owner.number} – {owner.title}"))
    return found


# --- The editor's upload endpoint -------------------------------------------------------------


def json_error(message: str, status: int):
    return jsonify(error=message), status


@bp.errorhandler(CSRFError)
def csrf_error_as_json(_error):
    # The only POST on this blueprint is the editor's upload, which expects JSON.
    return json_error("Phiên làm việc đã hết hạn. Hãy tải lại trang rồi thử lại.", 400)


@bp.errorhandler(RequestEntityTooLarge)
def too_large_as_json(_error):
    allowed = file_size(current_app.config["MAX_CONTENT_LENGTH"] or 0)
    return json_error(f"Tệp quá lớn; tối đa {allowed}. Hãy thu nhỏ ảnh rồi tải lại.", 413)


@bp.post("/admin/media/upload")
def upload():
    """Take an image from the article editor and answer with the <figure> to insert.

    JSON in and out, so it lives outside the desk blueprint, whose login check would answer
    an expired session with a redirect to an HTML page the editor's script cannot read.
    """
    if not current_user.is_authenticated:
        return json_error("Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi tải ảnh lên.", 401)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return json_error("Hãy chọn một ảnh để tải lên.", 400)
    try:
        media = store_image(upload.read(), upload.filename, current_user.id)
    except ImageRejected as err:
        return json_error(str(err), err.status)
    db.session.commit()
    caption = request.form.get("caption", "").strip()[:500]
    alt = request.form.get("alt", "").strip()[:250]
    body = {"id": media.id, "html": figure_html(media, caption, alt),
            "url": rendition_url(media, STORED_WIDTH, "jpg")}  # fmt: skip
    return make_response(jsonify(body), 201)


# --- Checking the store -----------------------------------------------------------------------


@dataclass
class StoreReport:
    missing: list[Media]
    regenerated: int
    orphans: list[str]
    corrupt: list[Media]


def check_media(media: Media, verify: bool, report: StoreReport) -> None:
    path = storage_path(media.stored_name)
    if not os.path.exists(path):
        report.missing.append(media)
        return
    if verify:
        with open(path, "rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != media.sha256:
                report.corrupt.append(media)
    if media.is_image:
        for width, fmt in itertools.product(RENDITION_WIDTHS, FORMATS):
            if not os.path.exists(rendition_file(media, width, fmt)):
                rendition_path(media, width, fmt)
                report.regenerated += 1


def find_orphans(known: set[str]) -> list[str]:
    """Return files under the media folder that no row accounts for (half-written ones too)."""
    root = current_app.config["MEDIA_ROOT"]
    orphans = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.split(".")[0].split("-")[0] not in known or name.endswith(".part"):
                orphans.append(os.path.join(folder, name))
    return sorted(orphans)


def check_store(verify: bool = False) -> StoreReport:
    """Compare the media rows with the files: missing, corrupt, orphans; remake renditions."""
    report = StoreReport([], 0, [], [])
    known = set()
    for media in db.session.scalars(select(Media).order_by(Media.id)):
        known.add(media.sha256)
        check_media(media, verify, report)
    report.orphans = find_orphans(known)
    return report
