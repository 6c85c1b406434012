"""Images: decoded and re-encoded by Pillow, stored by content hash, served in light sizes."""

import base64
import hashlib
import html
import io
import os
import re
import tempfile
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, send_file
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from models import Article, Attachment, Media, db

bp = Blueprint("media", __name__)

# Widths readers may ask for; anything else is refused so nobody can fill the disk.
RENDITION_WIDTHS = (160, 480, 960, 1600)
FORMATS = {
    "webp": ("WEBP", "image/webp", {"quality": 70, "method": 6}),
    "jpg": ("JPEG", "image/jpeg", {"quality": 72, "optimize": True, "progressive": True}),
}
# Formats we keep as the stored original, by what Pillow decoded (never by the file name).
ORIGINAL_FORMATS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),
}
ONE_YEAR = 365 * 24 * 3600


class ImageRejected(ValueError):
    """An upload that is not an image we accept; the message is for the editor."""


@dataclass
class CleanImage:
    data: bytes
    mime_type: str
    extension: str
    width: int
    height: int


def max_pixels() -> int:
    return current_app.config.get("MEDIA_MAX_PIXELS", 40_000_000)


def decode(data: bytes) -> Image.Image:
    """Open an upload as an image, refusing what Pillow cannot decode or what is too large."""
    if not data:
        raise ImageRejected("Tệp tải lên rỗng.")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ORIGINAL_FORMATS:
            raise ImageRejected("Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF.")
        width, height = image.size
        if width * height > max_pixels():
            raise ImageRejected("Ảnh quá lớn (quá nhiều điểm ảnh). Hãy thu nhỏ ảnh rồi tải lại.")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ImageRejected("Tệp này không phải là ảnh hợp lệ hoặc đã bị hỏng.") from err
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
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    fresh.save(buffer, fmt, **options)
    return CleanImage(buffer.getvalue(), mime_type, extension, *fresh.size)


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


def store_image(data: bytes, original_name: str = "", uploader_id: int | None = None) -> Media:
    """Decode, clean and store an uploaded image once; the same photo again reuses the row."""
    cleaned = clean(decode(data))
    digest = hashlib.sha256(cleaned.data).hexdigest()
    existing = db.session.scalar(select(Media).where(Media.sha256 == digest))
    if existing:
        return existing
    stored_name = f"{digest}.{cleaned.extension}"
    write_atomically(storage_path(stored_name), cleaned.data)
    media = Media(
        sha256=digest,
        kind="image",
        stored_name=stored_name,
        original_name=os.path.basename(original_name.replace("\\", "/"))[:255],
        mime_type=cleaned.mime_type,
        bytes=len(cleaned.data),
        width=cleaned.width,
        height=cleaned.height,
        uploaded_by=uploader_id,
    )
    db.session.add(media)
    db.session.flush()
    return media


def rendition_width(media: Media, width: int) -> int:
    """Never upscale: a small image's renditions are its own width."""
    return min(width, media.width or width)


def rendition_height(media: Media, width: int) -> int:
    actual = rendition_width(media, width)
    return max(1, round((media.height or actual) * actual / (media.width or actual)))


def rendition_path(media: Media, width: int, fmt: str) -> str:
    """Return the path of a derived size, making it the first time it is asked for."""
    path = storage_path(f"{media.sha256}-{width}.{fmt}", folder="renditions")
    if not os.path.exists(path):
        write_atomically(path, render(media, width, fmt))
    return path


def render(media: Media, width: int, fmt: str) -> bytes:
    """Resize the stored original to `width` and encode it for the web."""
    pil_format, _, options = FORMATS[fmt]
    with Image.open(storage_path(media.stored_name)) as original:
        image = original.convert("RGB")
    size = (rendition_width(media, width), rendition_height(media, width))
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, pil_format, **options)
    return buffer.getvalue()


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


def data_uri(media: Media, width: int = 480) -> str:
    """Return a JPEG rendition inline, for pages saved to read offline."""
    with open(rendition_path(media, width, "jpg"), "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:image/jpeg;base64,{encoded}"


OUR_IMAGE_SRC = re.compile(r'src="/media/(\d+)-\d+\.(?:webp|jpg)"')
RESPONSIVE_ATTRIBUTES = re.compile(r'\s(?:srcset|sizes)="[^"]*"')


def embed_images(fragment: str) -> str:
    """Replace our image URLs in a body with inline data, so the HTML stands alone."""

    def inline(match: re.Match) -> str:
        found = db.session.get(Media, int(match[1]))
        return f'src="{data_uri(found)}"' if found and found.is_image else match[0]

    return OUR_IMAGE_SRC.sub(inline, RESPONSIVE_ATTRIBUTES.sub("", fragment))


FILE_KINDS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/zip": "ZIP",
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


@bp.get("/tep/<int:attachment_id>")
def attachment(attachment_id: int):
    """Download an attachment under its original (Vietnamese) name and stored type."""
    item = db.get_or_404(Attachment, attachment_id)
    if not attachment_is_public(item):
        abort(404)
    folder = "originals"
    response = send_file(
        storage_path(item.media.stored_name, folder),
        mimetype=item.media.mime_type,
        as_attachment=True,
        download_name=item.media.original_name or item.media.stored_name,
        etag=True,
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def figure_html(media: Media, caption: str, alt: str = "") -> str:
    """Return the markup of an image placed inside an article body, with light renditions."""
    widths = (480, 960) if media.width > 480 else (480,)
    srcset = ", ".join(
        f"/media/{media.id}-{w}.jpg {rendition_width(media, w)}w" for w in widths
    )
    width = rendition_width(media, widths[-1])
    alt_text = html.escape(alt or caption, quote=True)
    return (
        f'<figure><img src="/media/{media.id}-480.jpg" srcset="{srcset}" '
        f'sizes="(min-width: 760px) 720px, 100vw" width="{width}" '
        f'height="{rendition_height(media, widths[-1])}" alt="{alt_text}" loading="lazy">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )
