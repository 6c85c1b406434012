"""Recognise uploaded files by their content, never by their name or the browser's word.

Pure functions on bytes: media.py decides what to store, this module says what a file is.
"""

import io
import re
import zipfile

PDF = "application/pdf"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ZIP = "application/zip"

# The extension a download gets, by the type we recognised.
EXTENSIONS = {PDF: "pdf", DOC: "doc", XLS: "xls", DOCX: "docx", XLSX: "xlsx", ODT: "odt",
              ODS: "ods", ZIP: "zip"}  # fmt: skip

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE2 directory entries name their streams in UTF-16LE.
OLE_STREAMS = {"WordDocument": DOC, "Workbook": XLS, "Book": XLS}
OLE_MACROS = ("Macros", "_VBA_PROJECT")
OOXML_MAIN = {
    "word/document.xml": (DOCX, "wordprocessingml.document.main+xml"),
    "xl/workbook.xml": (XLSX, "spreadsheetml.sheet.main+xml"),
}
ODF_TYPES = {ODT.encode(): ODT, ODS.encode(): ODS}
# Programs inside a ZIP would reach readers' computers with the commune's name on them.
RUNNABLE = re.compile(
    r"\.(exe|com|bat|cmd|scr|pif|msi|vbs|vbe|js|jse|wsf|wsh|ps1|hta|lnk|jar|apk|dll|reg)$",
    re.IGNORECASE,
)
# Markup that a browser would run if the bytes were ever taken for a web page.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|head|iframe|svg|object|embed|img|meta|style|link|form|a"
    rb"|!doctype|\?php)[\s/>]|javascript:",
    re.IGNORECASE,
)
MAX_MANIFEST = 1024 * 1024
MACROS = "Tệp Word/Excel có chứa macro (mã chạy tự động) nên không được đăng."


class NotRecognised(ValueError):
    """The content is not a type we accept; the message is for the editor."""


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


# --- Documents -----------------------------------------------------------------------


def sniff_ole(data: bytes) -> str:
    """Tell a Word 97-2003 file from an Excel one by the streams its directory names."""
    if any(name.encode("utf-16-le") in data for name in OLE_MACROS):
        raise NotRecognised(MACROS)
    for name, mime_type in OLE_STREAMS.items():
        if name.encode("utf-16-le") in data:
            return mime_type
    raise NotRecognised("Tệp Office này không phải Word hay Excel.")


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read a small member of an archive, refusing a manifest that would inflate hugely."""
    info = archive.getinfo(name)
    if info.file_size > MAX_MANIFEST:
        raise NotRecognised("Tệp nén có cấu trúc bất thường.")
    return archive.read(info)


def sniff_zip_members(archive: zipfile.ZipFile) -> str:
    """Tell DOCX, XLSX, ODT, ODS and plain ZIP apart by what the archive holds."""
    names = set(archive.namelist())
    if "mimetype" in names:
        declared = read_member(archive, "mimetype").strip()
        if declared in ODF_TYPES:
            return ODF_TYPES[declared]
    if "[Content_Types].xml" in names:
        manifest = read_member(archive, "[Content_Types].xml")
        if b"macroEnabled" in manifest or any("vbaProject" in name for name in names):
            raise NotRecognised(MACROS)
        for member, (mime_type, main_type) in OOXML_MAIN.items():
            if member in names and main_type.encode() in manifest:
                return mime_type
    if any(RUNNABLE.search(name) for name in names):
        raise NotRecognised("Tệp ZIP chứa chương trình chạy được (.exe, .js…) nên không được đăng.")
    return ZIP


def sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sniff_zip_members(archive)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as err:
        raise NotRecognised("Tệp nén bị hỏng hoặc không đọc được.") from err


def sniff_document(data: bytes) -> str:
    """Return the MIME type of a document we accept, judged by its content alone."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(OLE_MAGIC):
        return sniff_ole(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return sniff_zip(data)
    raise NotRecognised(
        "Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX), ODT, ODS hoặc ZIP."
    )
