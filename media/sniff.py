"""Recognise what an uploaded picture hides, by its content, never its name or the browser's word.

Pure functions on bytes: `uploads` decides what to store, this module says whether an image
is markup in disguise or carries HTML in its comments, metadata or after its end. Documents
(PDF, Office, ZIP) are judged by `media.inspection`, the one document policy.
"""

import re

# Markup that a browser would run if the bytes were ever taken for a web page.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|head|iframe|svg|object|embed|img|meta|style|link|form|a"
    rb"|!doctype|\?php)[\s/>]|javascript:",
    re.IGNORECASE,
)


def looks_like_markup(data: bytes) -> bool:
    """Tell whether text at the start says SVG/HTML/XML, whatever the file is called."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\x00\xff\xfe")
    return head.startswith(b"<")


def contains_markup(data: bytes | str) -> bool:
    """Tell whether bytes hold HTML or script that a browser might run."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    return MARKUP.search(data) is not None


# --- Images: what lies outside the pixels ------------------------------------------

JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def jpeg_end(data: bytes, start: int = 0) -> int:
    """Return the offset just past the end of the JPEG that starts at `start`.

    Walks the segments, then the compressed scans, so that bytes hidden after the image
    (an appended HTML page, say) are found; returns len(data) when the file is broken.
    """
    pos = start + 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return len(data)
        marker = data[pos + 1]
        if marker == 0xD9:
            return pos + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 1 if marker == 0xFF else 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:
            found = JPEG_MARKER.search(data, pos)
            pos = found.start() if found else len(data)
    return len(data)


def png_end(data: bytes) -> int:
    """Return the offset just past a PNG's IEND chunk."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return pos
    return len(data)


def trailing_bytes(data: bytes, image_format: str) -> bytes:
    """Return what follows the image itself, skipping the extra pictures phones append."""
    if image_format in ("JPEG", "MPO"):
        end = jpeg_end(data)
        # Multi-picture files (depth maps, previews) append further whole JPEGs.
        while data[end : end + 2] == b"\xff\xd8":
            end = jpeg_end(data, end)
        return data[end:]
    if image_format == "PNG":
        return data[png_end(data) :]
    if image_format == "WEBP" and data[:4] == b"RIFF":
        return data[8 + int.from_bytes(data[4:8], "little") :]
    return b""


def hidden_markup(data: bytes, image_format: str, info: dict) -> bool:
    """Tell whether an image hides HTML in its comments, metadata or after its end."""
    texts = [value for value in info.values() if isinstance(value, bytes | str)]
    texts.append(trailing_bytes(data, image_format))
    return any(contains_markup(text) for text in texts)
