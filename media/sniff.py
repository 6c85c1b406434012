"""Recognise uploaded files by their content, never by their name or the browser's word.

Pure functions on bytes: media.py decides what to store, this module says what a file is.

What a commune may offer for download is an allow-list, judged by content:

- **PDF**, unless it can act on its own when opened: `/JavaScript` or `/JS` (also as the
  target of `/OpenAction` or `/AA`), `/Launch` (runs a program), `/EmbeddedFile(s)` (carries
  another file), `/RichMedia` (Flash). Names are read after undoing `#xx` escapes, and
  Flate-compressed object and content streams are inflated (within a budget) and read too,
  since that is where such objects hide.
- **Word and Excel 97-2003** (`.doc`, `.xls`), unless they carry a VBA project (macros).
- **Office Open XML** Word and Excel (`.docx`, `.xlsx`), unless macro-enabled (`.docm`,
  `.xlsm`: a `macroEnabled` content type or a `vbaProject` part) or carrying ActiveX
  controls; embedded objects must themselves be files of this list.
- **OpenDocument** text and spreadsheets (`.odt`, `.ods`), unless they hold Basic macros
  or scripts.
- **ZIP**, when every member is, by its name *and* its content, one of: the documents above,
  plain text (`.txt`, `.csv`), pictures (`.jpg`, `.jpeg`, `.png`, `.gif`, `.webp`), or a ZIP
  checked the same way, at most `MAX_DEPTH` archives deep. Names are taken as Windows would
  save them (trailing dots and spaces dropped: `evil.exe.` is `evil.exe`); names with
  invisible or stream characters (`:`), encrypted members, and archives that inflate past
  `MAX_INFLATED` or hold more than `MAX_MEMBERS` entries are refused. Anything else inside
  (`.exe`, `.iso`, `.url`, `.lnk`, `.docm`, `.js`, no extension at all...) refuses the ZIP.

Everything else is refused, with a Vietnamese message saying why.
"""

import io
import re
import unicodedata
import zipfile
import zlib

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

# How deep archives inside archives are opened, how many entries and how many inflated bytes
# one upload may cost to check; past these the file is refused, never half-checked.
MAX_DEPTH = 3
MAX_MEMBERS = 1000
MAX_INFLATED = 64 * 1024 * 1024
MAX_PDF_INFLATED = 32 * 1024 * 1024
# What a ZIP may carry, by the name a reader's computer will see (checked against content).
ZIP_DOCUMENTS = {"pdf", "doc", "xls", "docx", "xlsx", "odt", "ods", "zip"}
ZIP_PLAIN = {"txt", "csv", "jpg", "jpeg", "png", "gif", "webp"}
PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_IMAGE = re.compile(rb"/Subtype\s*/Image|/DCTDecode|/JPXDecode|/CCITTFaxDecode")
PDF_REFUSED = (
    "Tệp PDF có chứa mã chạy tự động (JavaScript), lệnh mở chương trình hoặc tệp khác đính "
    "kèm bên trong nên không được đăng. Hãy in lại thành PDF thường rồi tải lên."
)
ZIP_ALLOWED = "Trong tệp ZIP chỉ nhận PDF, Word, Excel, ODT, ODS, TXT, CSV, ảnh và ZIP."
STRANGE = "Tệp nén có cấu trúc bất thường."
ENCRYPTED = "Tệp ZIP có mật khẩu nên không kiểm tra được; hãy nén lại không đặt mật khẩu."
EMBEDDED = "Tệp Word/Excel có đối tượng nhúng không được nhận ({reason})"


class NotRecognised(ValueError):
    """The content is not a type we accept; the message is for the editor."""


def pdf_names(text: bytes) -> bytes:
    """Undo the #xx escapes of PDF names, so /J#53 reads as the /JS it is."""
    return PDF_ESCAPE.sub(lambda found: bytes([int(found[1], 16)]), text)


def pdf_streams(data: bytes):
    """Yield the inflated content of each Flate stream that is not a picture, within budget."""
    budget = MAX_PDF_INFLATED
    for found in PDF_STREAM.finditer(data):
        if PDF_IMAGE.search(data, max(0, found.start() - 400), found.start()):
            continue
        end = data.find(b"endstream", found.end())
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(data[found.end() : end if end > 0 else None], budget + 1)
        except zlib.error:
            continue  # not Flate (or not compressed): the raw bytes are read anyway
        budget -= len(text)
        if budget < 0:
            raise NotRecognised("Tệp PDF có cấu trúc bất thường.")
        yield text


def check_pdf(data: bytes) -> str:
    """Accept a PDF that cannot act on its own when opened."""
    for text in (data, *pdf_streams(data)):
        if PDF_ACTIVE.search(pdf_names(text)):
            raise NotRecognised(PDF_REFUSED)
    return PDF


def sniff_ole(data: bytes) -> str:
    """Tell a Word 97-2003 file from an Excel one by the streams its directory names."""
    if any(name.encode("utf-16-le") in data for name in OLE_MACROS):
        raise NotRecognised(MACROS)
    for name, mime_type in OLE_STREAMS.items():
        if name.encode("utf-16-le") in data:
            return mime_type
    raise NotRecognised("Tệp Office này không phải Word hay Excel.")


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_MANIFEST) -> bytes:
    """Read a member of an archive, refusing one that would inflate past `limit`."""
    info = archive.getinfo(name)
    if info.file_size > limit or info.flag_bits & 0x1:
        raise NotRecognised(STRANGE)
    return archive.read(info)


def embedded_parts(archive: zipfile.ZipFile, names: set[str], depth: int) -> None:
    """Objects embedded in a Word or Excel file must be files we accept themselves."""
    for name in sorted(names):
        if "/embeddings/" in name and not name.endswith("/"):
            try:
                sniff_document(read_member(archive, name, MAX_INFLATED), depth + 1)
            except NotRecognised as err:
                raise NotRecognised(EMBEDDED.format(reason=err)) from err


def sniff_ooxml(archive: zipfile.ZipFile, names: set[str], depth: int) -> str | None:
    manifest = read_member(archive, "[Content_Types].xml")
    macro_parts = ("vbaProject", "/activeX/")
    if b"macroEnabled" in manifest or any(part in name for name in names for part in macro_parts):
        raise NotRecognised(MACROS)
    for member, (mime_type, main_type) in OOXML_MAIN.items():
        if member in names and main_type.encode() in manifest:
            embedded_parts(archive, names, depth)
            return mime_type
    return None


def sniff_zip_members(archive: zipfile.ZipFile, depth: int = 0) -> str:
    """Tell DOCX, XLSX, ODT, ODS and plain ZIP apart by what the archive holds."""
    names = set(archive.namelist())
    if len(names) > MAX_MEMBERS or sum(i.file_size for i in archive.infolist()) > MAX_INFLATED:
        raise NotRecognised(STRANGE)
    if "mimetype" in names:
        declared = read_member(archive, "mimetype").strip()
        if declared in ODF_TYPES:
            if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                raise NotRecognised(MACROS)
            return ODF_TYPES[declared]
    if "[Content_Types].xml" in names:
        found = sniff_ooxml(archive, names, depth)
        if found:
            return found
    for info in archive.infolist():
        check_zip_member(archive, info, depth)
    return ZIP


def windows_name(name: str) -> str:
    """The name Windows saves a member under: the last part, trailing dots and spaces gone."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].rstrip(". ")


def check_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> None:
    """Refuse a member that is not, by name and content, a file of the allow-list."""
    if info.is_dir():
        return
    if info.flag_bits & 0x1:
        raise NotRecognised(ENCRYPTED)
    name = windows_name(info.filename)
    if ":" in name or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise NotRecognised(f"Tệp ZIP có tên tệp bất thường. {ZIP_ALLOWED}")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if RUNNABLE.search(name):
        raise NotRecognised("Tệp ZIP chứa chương trình chạy được (.exe, .js…) nên không được đăng.")
    if extension not in ZIP_DOCUMENTS | ZIP_PLAIN:
        raise NotRecognised(f"Tệp ZIP chứa “{name[:80]}”, loại tệp không được nhận. {ZIP_ALLOWED}")
    if extension in ZIP_DOCUMENTS:
        found = sniff_document(read_member(archive, info.filename, MAX_INFLATED), depth + 1)
        if EXTENSIONS[found] != extension:
            raise NotRecognised(f"Tệp “{name[:80]}” trong ZIP không đúng loại như tên gọi.")


def sniff_zip(data: bytes, depth: int = 0) -> str:
    if depth > MAX_DEPTH:
        raise NotRecognised(f"Tệp ZIP lồng nhau quá {MAX_DEPTH} lớp nên không kiểm tra được.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sniff_zip_members(archive, depth)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError) as err:
        raise NotRecognised("Tệp nén bị hỏng hoặc không đọc được.") from err
    except RuntimeError as err:  # zipfile's word for an encrypted member
        raise NotRecognised(ENCRYPTED) from err


def sniff_document(data: bytes, depth: int = 0) -> str:
    """Return the MIME type of a document we accept, judged by its content alone."""
    if data.startswith(b"%PDF-"):
        return check_pdf(data)
    if data.startswith(OLE_MAGIC):
        return sniff_ole(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return sniff_zip(data, depth)
    raise NotRecognised(
        "Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX), ODT, ODS hoặc ZIP."
    )
