"""Accepting uploads: images decoded and re-encoded by Pillow (EXIF and GPS stay behind),
documents recognised by their content, both refused with a clear Vietnamese message.

An image costs memory in proportion to its pixels, so processing is bounded three ways:
at most MEDIA_MAX_CONCURRENT images per process at once (`renditions.processing`); a JPEG
is decoded straight at the smallest 1/2, 1/4 or 1/8 scale that still gives the largest web
width (draft mode); and the original kept is at most ORIGINAL_MAX_WIDTH wide, shrunk in
place, with no copy of the full-size pixels (other formats must decode fully once).

Pillow is imported by the functions that decode an upload: a worker serving readers imports
this module (the templates show the upload limit) but never decodes one.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from media import inspection, renditions, sniff
from media.store import (
    delete_files,
    find_by_hash,
    safe_name,
    storage_path,
    stored_files,
    write_atomically,
)
from models import Media, db
from vietnamese import file_size

if TYPE_CHECKING:
    from PIL import Image

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
# Web sizes go up to KEEP_WIDTH; the original kept is at most twice that, enough to crop
# or make a new size later, and a quarter of a 6,300 px original's memory.
KEEP_WIDTH = max(renditions.CONTENT_WIDTHS)
ORIGINAL_MAX_WIDTH = 2 * KEEP_WIDTH
ORIENTATION_TAG = 0x0112
TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
BUSY = "Máy chủ đang bận xử lý các ảnh khác. Hãy thử tải lại sau ít phút."


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
    fmt: str

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def too_many_pixels() -> str:
    millions = limit("MEDIA_MAX_PIXELS") // 1_000_000
    return f"Ảnh có quá nhiều điểm ảnh. Hãy thu nhỏ ảnh (dưới {millions} triệu điểm) rồi tải lại."


NOT_AN_IMAGE = "Tệp này không phải là ảnh hợp lệ hoặc đã bị hỏng. Chỉ nhận JPEG, PNG, WebP, GIF."


def open_image(data: bytes) -> Image.Image:
    """Let Pillow identify the content among our formats; refuse a pixel bomb undecoded."""
    from PIL import Image  # lazy: see the module's docstring

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


def turned(image: Image.Image) -> bool:
    """Tell whether the photo stands on its side until its EXIF orientation is applied."""
    return image.getexif().get(ORIENTATION_TAG) in TURNED


def draft_size(image: Image.Image) -> tuple[int, int]:
    """Return the smallest raw size that still gives KEEP_WIDTH upright (or the full size)."""
    width, height = image.size
    upright_width = height if turned(image) else width
    if upright_width <= KEEP_WIDTH:
        return width, height
    scale = KEEP_WIDTH / upright_width
    return math.ceil(width * scale), math.ceil(height * scale)


def decode(data: bytes) -> Image.Image:
    """Open an upload as an image, refusing markup, broken files and what is too large."""
    from PIL import UnidentifiedImageError  # lazy: see the module's docstring

    check_size(data, "MEDIA_MAX_IMAGE_BYTES", ImageRejected)
    if sniff.looks_like_markup(data):
        raise ImageRejected("Không nhận ảnh SVG hay trang HTML. Chỉ nhận JPEG, PNG, WebP, GIF.")
    try:
        image = open_image(data)
        if image.format in ("JPEG", "MPO"):
            # Decode at 1/2, 1/4 or 1/8 scale in the JPEG decoder itself: a 24 MP photo
            # costs the memory of 6 MP, or of 1.5 MP, and never exists at full size.
            image.draft(image.mode, draft_size(image))
        image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise ImageRejected(NOT_AN_IMAGE) from err
    if sniff.hidden_markup(data, image.format, image.info):
        raise ImageRejected("Ảnh có chứa mã HTML hoặc script ẩn bên trong nên không được nhận.")
    return image


def shrink(image: Image.Image) -> Image.Image:
    """Bring the original to at most ORIGINAL_MAX_WIDTH wide upright, by a whole factor.

    `reduce` averages blocks of pixels in one pass, so a 6,300 px image costs its decoded
    size plus the result, never the intermediate rows of a two-pass resize; since the factor
    is the smallest that fits, the result stays wider than the largest web size.
    """
    upright_width = image.height if turned(image) else image.width
    factor = math.ceil(upright_width / ORIGINAL_MAX_WIDTH)
    return image.reduce(factor) if factor > 1 else image


def clean(image: Image.Image) -> CleanImage:
    """Turn the photo upright and re-encode only its pixels: EXIF, GPS and comments stay behind.

    Pillow writes metadata only from what it is given at save time and from `info`, so an
    emptied `info` is enough: no copy of the pixels is needed to leave the metadata behind.
    The caller passes the decoded image without keeping it, so the full size is freed as
    soon as the smaller one exists.
    """
    from PIL import ImageOps  # lazy: see the module's docstring

    fmt, mime_type, extension = ORIGINAL_FORMATS[image.format]
    image = shrink(image)
    ImageOps.exif_transpose(image, in_place=True)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and fmt != "JPEG" else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **ORIGINAL_OPTIONS[fmt])
    return CleanImage(image, buffer.getvalue(), mime_type, extension, fmt)


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check_web_sizes(cleaned: CleanImage) -> None:
    """Refuse an image whose web sizes WebP cannot encode (too tall for its width)."""
    width, height = cleaned.size
    tallest = renditions.tallest_rendition(width, height)
    if cleaned.fmt == "WEBP":
        tallest = max(tallest, width, height)
    if tallest > renditions.WEBP_MAX_SIDE:
        raise ImageRejected(
            f"Ảnh quá dài: ở khổ hiển thị trên web ảnh cao {thousands(tallest)} điểm ảnh, "
            f"vượt giới hạn {thousands(renditions.WEBP_MAX_SIDE)} điểm. "
            "Hãy cắt ảnh thành vài phần rồi tải lên từng phần."
        )


def write_image(media: Media, cleaned: CleanImage, web_sizes: bool = True) -> None:
    """Write the original and every web size; on any failure leave no file behind.

    Without `web_sizes` only the original is written: each size is then made the first time
    it is asked for (renditions.rendition_path), which is how an import of thousands of
    images stays quick.
    """
    try:
        write_atomically(storage_path(media.stored_name), cleaned.data)
        if web_sizes:
            renditions.make_renditions(media, cleaned.image)
    except (OSError, ValueError) as err:
        delete_files(stored_files(media))
        raise ImageRejected(NOT_AN_IMAGE) from err
    except BaseException:
        delete_files(stored_files(media))
        raise


def new_image(
    cleaned: CleanImage, digest: str, original_name: str, uploader_id, web_sizes: bool = True
) -> Media:
    """Write a cleaned image's files and add its row; nothing stays on disk if either fails."""
    media = Media(
        sha256=digest,
        kind="image",
        stored_name=f"{digest}.{cleaned.extension}",
        original_name=safe_name(original_name),
        mime_type=cleaned.mime_type,
        bytes=len(cleaned.data),
        width=cleaned.size[0],
        height=cleaned.size[1],
        uploaded_by=uploader_id,
    )
    write_image(media, cleaned, web_sizes)
    db.session.add(media)
    try:
        db.session.flush()
    except BaseException:
        delete_files(stored_files(media))
        raise
    return media


def store_image(
    data: bytes, original_name: str = "", uploader_id: int | None = None, web_sizes: bool = True
) -> Media:
    """Decode, clean and store an uploaded image once, with its web sizes made up front
    (or, without `web_sizes`, each made when first asked for).

    The same photo uploaded again returns the row already stored. The work holds one of
    the MEDIA_MAX_CONCURRENT image slots from decoding to the last web size. Raises
    ImageRejected (status 503 when every slot stayed taken).
    """
    try:
        with renditions.processing():
            cleaned = clean(decode(data))
            check_web_sizes(cleaned)
            digest = hashlib.sha256(cleaned.data).hexdigest()
            existing = find_by_hash(digest)
            if existing:
                return existing
            return new_image(cleaned, digest, original_name, uploader_id, web_sizes)
    except renditions.Busy as err:
        raise ImageRejected(BUSY, status=503) from err


def store_file(data: bytes, original_name: str, uploader_id: int | None = None) -> Media:
    """Store a document for download (PDF, Word, Excel, PowerPoint, ODF, ZIP) that passes
    `media.inspection`'s policy, recognised by its content.

    The bytes are kept as sent, since readers need the very file; raises FileRejected.
    """
    check_size(data, "MEDIA_MAX_FILE_BYTES", FileRejected)
    try:
        mime_type = inspection.inspect_document(data)
    except inspection.NotRecognised as err:
        raise FileRejected(str(err)) from err
    digest = hashlib.sha256(data).hexdigest()
    existing = find_by_hash(digest)
    if existing:
        return existing
    stored_name = f"{digest}.{inspection.EXTENSIONS[mime_type]}"
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
