"""Accepting uploads: images decoded and re-encoded by Pillow (EXIF and GPS stay behind),
documents recognised by their content, both refused with a clear Vietnamese message."""

import hashlib
import io
import warnings
from dataclasses import dataclass

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from media import sniff
from media.renditions import make_renditions
from media.store import find_by_hash, safe_name, storage_path, write_atomically
from models import Media, db
from vietnamese import file_size

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


class Rejected(ValueError):
    """An upload we refuse; the message is for the editor, the status for JSON answers."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class ImageRejected(Rejected):
    """An upload that is not an image we accept."""


class FileRejected(Rejected):
    """An upload that is not a document we accept as an attachment."""


def limit(name: str) -> int:
    """Return a per-file limit (MEDIA_MAX_IMAGE_BYTES, ...) from the config."""
    return current_app.config[name]


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
