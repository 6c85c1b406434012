"""What a document offered for download may be and carry: the one policy, judged by content.

A commune's attachments reach every reader's computer with the commune's name on them, so a
file is accepted only when it is, by its content (never its name or the browser's word), one
of the types below and carries nothing that acts on its own when opened. Everything else is
refused with a Vietnamese message saying why; a file that cannot be fully checked (damaged,
encrypted, past a bound) is refused too, never half-checked.

Type by type, what is refused and why:

| type | refused | why |
| --- | --- | --- |
| PDF, read by pypdf | JavaScript anywhere: `/JS`, `/S /JavaScript`, the | runs when the file |
| (object streams, xref | `/JavaScript` name tree, as `/OpenAction` or `/AA` | opens |
| streams and filter | XFA forms (`/XFA`) | carry scripts |
| chains resolved) | `/Launch`, `/GoToR`, `/GoToE`, `/SubmitForm`, | run programs, open or |
| | `/ImportData`, `/Rendition`, `/RichMediaExecute` | send files elsewhere |
| | `/URI` links other than http(s) and mailto | `file:`/UNC leak logins |
| | `/EmbeddedFiles`, `/EF`, file attachments, rich | carry other files or |
| | media, 3D | their own scripts |
| | encrypted, or not readable by pypdf | cannot be checked |
| | more than `MAX_PDF_OBJECTS` objects | too costly to check |
| Word, Excel 97-2003 | VBA (`Macros`, `_VBA_PROJECT_CUR`, `VBA`), Excel | macros run code |
| (`.doc`, `.xls`), | 4.0 macro sheets | |
| read by olefile | `ObjectPool`, `MBD…` storages | embedded objects, the |
| | | usual exploit carrier |
| | DDE/DDEAUTO fields in `.doc` text | run commands |
| | `EncryptedPackage`, an encrypted `.doc` (FIB) or | cannot be checked |
| | `.xls` (FILEPASS), a broken compound file | |
| | PowerPoint 97-2003 and other OLE files | not on the list |
| Word, Excel, | `macroEnabled` content types, `vbaProject.bin`, | run code |
| PowerPoint (`.docx`, | Excel 4.0 macro sheets, ActiveX (`activeX/`, | |
| `.xlsx`, `.pptx`) | control relationships) | |
| | `oleObject` parts and relationships; embeddings | run other programs |
| | that are not Office Open XML themselves | |
| | external relationships but http(s)/mailto | fetched on opening: |
| | hyperlinks (remote `attachedTemplate`, linked | remote templates, |
| | pictures, frames, subdocuments, OLE links) | leaked logins |
| | `altChunk` imports | bring RTF/HTML unchecked |
| | DDE/DDEAUTO fields (`w:instrText`, `w:fldSimple`) | run commands |
| | Excel external links (`xl/externalLinks/`: DDE, | fetch and run outside |
| | other workbooks) and data connections | data |
| ODF (`.odt`, `.ods`) | `Basic/`, `Scripts/`, script event listeners | macros run code |
| | members that are OLE compound files | embedded objects |
| ZIP | members that are not, by name *and* content, a | programs and shortcuts |
| | document above, `.txt`, `.csv` or a picture | would reach readers |
| | (`.jpg`, `.jpeg`, `.png`, `.gif`, `.webp`); names | under the commune's |
| | taken as Windows saves them (`evil.exe.` is | name |
| | `evil.exe`); invisible characters, `:` streams | |
| | encrypted members | cannot be checked |
| | a member inflating to another size than it | a crafted archive |
| | declares; two members of one name | |

Every archive an upload holds (the upload itself, a ZIP or document inside it, a spreadsheet
embedded in a Word file) shares one `Budget`: at most `MAX_INFLATED` bytes actually inflated
(ZIP members read in chunks; PDF object and cross-reference streams decoded through pypdf's
own limits, each stream at most `MAX_PDF_STREAM`), at most
`MAX_UNPACKED` bytes declared by all the members together (what a reader's computer would
unpack), at most `MAX_MEMBERS` members, and at most `MAX_DEPTH` level of archives inside the
upload. Each bound is checked before the work it limits, so a file past one is refused
within a fraction of a second. Pictures inside Office files are not inflated: nothing in
them acts.

olefile and defusedxml (with the standard library's XML parser) are imported by the
functions that read an upload: a worker serving readers imports this module for its type
names only (`media.files`) and never inspects one.
"""

import copy
import io
import re
import unicodedata
import zipfile
import zlib
from posixpath import basename
from urllib.parse import urlsplit

PDF = "application/pdf"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ZIP = "application/zip"

# The extension a download gets, by the type we recognised.
EXTENSIONS = {PDF: "pdf", DOC: "doc", XLS: "xls", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx",
              ODT: "odt", ODS: "ods", ZIP: "zip"}  # fmt: skip

# --- Bounds: what checking one upload may cost ---------------------------------------------

MEGABYTE = 1024 * 1024
MAX_INFLATED = 128 * MEGABYTE
MAX_UNPACKED = 512 * MEGABYTE
# A document inside an archive is held in memory to be checked; one this large is no
# commune's download (a single upload is at most MEDIA_MAX_FILE_BYTES, 20 MB by default).
MAX_DOCUMENT = 32 * MEGABYTE
MAX_MEMBERS = 2000
MAX_DEPTH = 1
# pypdf parses about 70,000 objects a CPU second on the target machine, so this bound costs
# 0.7 s (BENCHMARKS.md, "Attachment checks"); a text report of 1,000 pages has 3,000, and
# tagged, table-heavy exports a few tens of thousands.
MAX_PDF_OBJECTS = 50_000
# The PDF streams decoded (object and cross-reference streams) hold objects' dictionaries,
# a few hundred kilobytes each in real files.
MAX_PDF_STREAM = 16 * MEGABYTE
CHUNK = 64 * 1024

UNCHECKABLE = "Hãy chia nhỏ hoặc tải từng tệp lên riêng."
TOO_INFLATED = f"Tệp nén giải ra quá {MAX_INFLATED // MEGABYTE} MB nên không kiểm tra được. "
TOO_UNPACKED = f"Tệp nén giải ra quá {MAX_UNPACKED // MEGABYTE} MB nên không được nhận. "
TOO_MANY = f"Tệp nén chứa quá {MAX_MEMBERS:,} tệp bên trong nên không kiểm tra được. ".replace(
    ",", "."
)
TOO_DEEP = (
    "Tệp nén lồng nhau quá một lớp (tệp nén hoặc tài liệu có nhúng tệp khác, nằm trong một "
    "tệp nén) nên không kiểm tra được. Hãy giải nén lớp bên trong rồi nén lại."
)
TOO_BIG_INSIDE = f"Một tài liệu trong tệp nén lớn quá {MAX_DOCUMENT // MEGABYTE} MB. "


class NotRecognised(ValueError):
    """The content is not a type we accept; the message is for the editor."""


class Budget:
    """What checking one upload may still cost: shared by every archive and PDF inside it."""

    def __init__(self):
        self.inflated = MAX_INFLATED
        self.unpacked = MAX_UNPACKED
        self.members = MAX_MEMBERS

    def inflate(self, size: int) -> None:
        """Count bytes actually inflated or decoded; refuse past the bound."""
        self.inflated -= size
        if self.inflated < 0:
            raise NotRecognised(TOO_INFLATED + UNCHECKABLE)

    def open_archive(self, infos: list[zipfile.ZipInfo]) -> None:
        """Count an archive's members and the sizes they declare, before inflating any."""
        self.members -= len(infos)
        if self.members < 0:
            raise NotRecognised(TOO_MANY + UNCHECKABLE)
        self.unpacked -= sum(info.file_size for info in infos)
        if self.unpacked < 0:
            raise NotRecognised(TOO_UNPACKED + UNCHECKABLE)


# --- PDF -------------------------------------------------------------------------------

PDF_REFUSED = (
    "Tệp PDF có chứa mã chạy tự động (JavaScript), biểu mẫu XFA, lệnh mở chương trình, "
    "gửi dữ liệu hoặc mở tệp khác, hay tệp khác đính kèm bên trong nên không được đăng. "
    "Hãy in lại thành PDF thường rồi tải lên."
)
PDF_BROKEN = "Tệp PDF bị hỏng hoặc không đọc được nên không kiểm tra được."
PDF_LOCKED = (
    "Tệp PDF có mật khẩu hoặc bị khóa (mã hóa) nên không kiểm tra được; "
    "hãy lưu lại bản không khóa rồi tải lên."
)
PDF_TOO_COMPLEX = (
    f"Tệp PDF có quá {MAX_PDF_OBJECTS:,} đối tượng nên không kiểm tra được. ".replace(",", ".")
    + UNCHECKABLE
)
PDF_TOO_BIG = (
    "Tệp PDF có dữ liệu nén giải ra quá lớn hoặc quá nhiều nên không kiểm tra được. "
    + UNCHECKABLE
)
SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_link(target) -> bool:
    """A link a reader follows only by clicking, to the web or an e-mail address."""
    return urlsplit(str(target).strip()).scheme.lower() in SAFE_SCHEMES


def inspect_pdf(data: bytes, budget: Budget) -> str:
    """Accept a PDF that pypdf reads whole and that cannot act on its own when opened."""
    # Imported here, when a PDF is offered: pypdf costs every serving process about 7 MB
    # that a reader's request never needs (BENCHMARKS.md, "Lighter processes").
    from media import pdf

    try:
        active = pdf.read_pdf(data, budget, pdf.Limits(MAX_PDF_OBJECTS, MAX_PDF_STREAM, safe_link))
    except pdf.Locked as err:
        raise NotRecognised(PDF_LOCKED) from err
    except pdf.TooComplex as err:
        raise NotRecognised(PDF_TOO_COMPLEX) from err
    except NotRecognised:
        raise
    # pypdf raises many kinds of errors on hostile input (PdfReadError, LimitReachedError,
    # but also ValueError, KeyError, AssertionError, RecursionError...): whatever it cannot
    # read, we cannot check, and refuse.
    except Exception as err:  # noqa: BLE001
        raise NotRecognised(PDF_TOO_BIG if pdf.limit_reached(err) else PDF_BROKEN) from err
    if active:
        raise NotRecognised(PDF_REFUSED)
    return PDF


# --- Word and Excel 97-2003 ------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_TYPES = {"worddocument": DOC, "workbook": XLS, "book": XLS}
OLE_MACROS = {"macros", "_vba_project_cur", "vba", "_vba_project"}
MACROS = "Tệp Word/Excel có chứa macro (mã chạy tự động) nên không được đăng."
OLE_OBJECTS = (
    "Tệp Word/Excel có đối tượng nhúng từ chương trình khác (OLE) nên không được đăng. "
    "Hãy dán nội dung đó dưới dạng ảnh hoặc bảng rồi lưu lại."
)
OLE_BROKEN = "Tệp Office bị hỏng hoặc không đọc được nên không kiểm tra được."
OFFICE_LOCKED = (
    "Tệp Office có mật khẩu (mã hóa) nên không kiểm tra được; hãy lưu lại bản không đặt mật "
    "khẩu rồi tải lên."
)
DDE = (
    "Tệp Word có trường DDE (lệnh chạy chương trình khác khi mở tệp) nên không được đăng."
)
# A field code in Word 97-2003 text: the field-begin character, then DDE or DDEAUTO.
DOC_DDE = re.compile(
    rb"\x13[ \t]*DDE(?:AUTO)?\b|\x13\x00(?:[ \t]\x00)*D\x00D\x00E\x00", re.IGNORECASE
)
BOUNDSHEET = 0x0085
FILEPASS = 0x002F
BIFF_EOF = 0x000A
FIB_ENCRYPTED = 0x0100
MACRO_SHEETS = {1, 6}  # Excel 4.0 macro sheet, VBA module


def biff_records(workbook: bytes):
    """Yield (kind, data) for the records of an .xls workbook's first substream (globals)."""
    pos = 0
    while pos + 4 <= len(workbook):
        kind = int.from_bytes(workbook[pos : pos + 2], "little")
        length = int.from_bytes(workbook[pos + 2 : pos + 4], "little")
        if kind == BIFF_EOF:
            return
        yield kind, workbook[pos + 4 : pos + 4 + length]
        pos += 4 + length


def check_workbook(workbook: bytes) -> None:
    """Refuse an .xls that is encrypted or names an Excel 4.0 macro sheet or VBA module.

    olefile reads the container, not Excel's records; oletools, which does, brings a dozen
    packages for the two record kinds (FILEPASS, BOUNDSHEET's sheet kind) read here.
    """
    for kind, data in biff_records(workbook):
        if kind == FILEPASS:
            raise NotRecognised(OFFICE_LOCKED)
        if kind == BOUNDSHEET and len(data) >= 6 and data[5] in MACRO_SHEETS:
            raise NotRecognised(MACROS)


def check_word_document(document: bytes) -> None:
    """Refuse a .doc whose text is encrypted (its FIB says so) or holds a DDE field."""
    if int.from_bytes(document[10:12], "little") & FIB_ENCRYPTED:
        raise NotRecognised(OFFICE_LOCKED)
    if DOC_DDE.search(document):
        raise NotRecognised(DDE)


def ole_kind(names: set[str]) -> str:
    """Refuse what a compound file must not carry, then tell Word from Excel."""
    if names & {"encryptedpackage", "encryptioninfo"}:
        raise NotRecognised(OFFICE_LOCKED)
    if names & OLE_MACROS:
        raise NotRecognised(MACROS)
    if "objectpool" in names or any(name.startswith("mbd") for name in names):
        raise NotRecognised(OLE_OBJECTS)
    for stream in OLE_TYPES:
        if stream in names:
            return stream
    raise NotRecognised("Tệp Office này không phải Word hay Excel.")


def inspect_ole(data: bytes) -> str:
    """Accept a Word or Excel 97-2003 file without macros, embedded objects or DDE fields."""
    import olefile  # lazy: see the module's docstring

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            paths = ole.listdir(streams=True, storages=True)
            names = {part.lower() for path in paths for part in path}
            stream = ole_kind(names)
            content = ole.openstream(stream).read()  # olefile finds names in any case
    except NotRecognised:
        raise
    # olefile's words for a damaged file; RecursionError: a directory that loops on itself.
    except (OSError, ValueError, IndexError, KeyError, TypeError, RecursionError) as err:
        raise NotRecognised(OLE_BROKEN) from err
    mime_type = OLE_TYPES[stream]
    if mime_type == DOC:
        check_word_document(content)
    else:
        check_workbook(content)
    return mime_type


# --- Archives: ZIP, Office Open XML, OpenDocument --------------------------------------

ZIP_BROKEN = "Tệp nén bị hỏng hoặc không đọc được."
STRANGE = "Tệp nén có cấu trúc bất thường."
ENCRYPTED = "Tệp ZIP có mật khẩu nên không kiểm tra được; hãy nén lại không đặt mật khẩu."
CENTRAL_ENTRY = b"PK\x01\x02"


class Counted(io.RawIOBase):
    """A member being read, each chunk counted against the budget (for XML parsers)."""

    def __init__(self, member, budget: Budget):
        self.member, self.budget = member, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.member.read(min(len(buffer), CHUNK))
        self.budget.inflate(len(chunk))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class Archive:
    """One opened ZIP (an upload, a ZIP inside it, an Office file) and the budget it draws on."""

    def __init__(self, zipped: zipfile.ZipFile, budget: Budget, depth: int):
        self.zip, self.budget, self.depth = zipped, budget, depth
        if not all(info.filename for info in zipped.infolist()):
            raise NotRecognised(STRANGE)  # a member without a name
        self.infos = [info for info in zipped.infolist() if not info.is_dir()]
        self.names = {info.filename for info in self.infos}
        if len(self.names) != len(self.infos):
            raise NotRecognised(STRANGE)  # two members of one name: which one is checked?

    def open(self, info: zipfile.ZipInfo):
        """Open a member to be inflated until its data ends, not until the size it declares.

        zipfile stops at the declared size, so a member saying 100 bytes that inflates to
        gigabytes would look fine here and unpack whole on a reader's computer; read on (the
        budget bounds it), and the true size and the CRC of the whole tell the lie.
        """
        if info.flag_bits & 0x1:
            raise NotRecognised(ENCRYPTED)
        probe = copy.copy(info)
        # Past what the budget allows (by more than a chunk, so the budget speaks first).
        probe.file_size = max(self.budget.inflated, 0) + 2 * CHUNK
        return self.zip.open(probe)

    def stream(self, info: zipfile.ZipInfo, keep: bool):
        """Inflate a member in chunks within the budget; return its bytes if `keep`."""
        if keep and info.file_size > MAX_DOCUMENT:
            raise NotRecognised(TOO_BIG_INSIDE + UNCHECKABLE)
        chunks, size = [], 0
        with self.open(info) as member:
            while chunk := member.read(CHUNK):
                self.budget.inflate(len(chunk))
                size += len(chunk)
                if keep and size > MAX_DOCUMENT:
                    raise NotRecognised(TOO_BIG_INSIDE + UNCHECKABLE)
                if keep:
                    chunks.append(chunk)
        if size != info.file_size:
            raise NotRecognised(STRANGE)
        return b"".join(chunks)

    def head(self, name: str, size: int) -> bytes:
        """Inflate only the first bytes of a member."""
        with self.open(self.zip.getinfo(name)) as member:
            start = member.read(size)
        self.budget.inflate(len(start))
        return start

    def xml(self, name: str):
        """Yield the elements of an XML member as they end, parsed as a counted stream."""
        from defusedxml.ElementTree import iterparse  # lazy: see the module's docstring

        with self.open(self.zip.getinfo(name)) as member:
            for _event, element in iterparse(io.BufferedReader(Counted(member, self.budget))):
                yield element
                element.clear()

    def nested(self, info: zipfile.ZipInfo) -> str:
        """Check a document inside this archive, one level deeper."""
        if self.depth + 1 > MAX_DEPTH and is_archive_name(info.filename):
            raise NotRecognised(TOO_DEEP)  # refused before a byte of it is inflated
        return identify(self.stream(info, keep=True), self.budget, self.depth + 1)


def is_archive_name(name: str) -> bool:
    return name.rpartition(".")[2].lower() in {"zip", "docx", "xlsx", "pptx", "odt", "ods"}


def local(tag: str) -> str:
    """An XML tag or attribute name without its namespace."""
    return tag.rpartition("}")[2]


def attribute(element, name: str) -> str:
    return next((v for k, v in element.attrib.items() if local(k) == name), "")


# Office Open XML ---

OOXML_MAIN = {
    "wordprocessingml.document.main+xml": DOCX,
    "spreadsheetml.sheet.main+xml": XLSX,
    "presentationml.presentation.main+xml": PPTX,
}
OOXML_PACKAGES = {"docx", "xlsx", "pptx"}
EXTERNAL = (
    "Tệp Office có liên kết tự tải nội dung từ bên ngoài khi mở ({target}) nên không được "
    "đăng. Hãy bỏ liên kết đó (hoặc lưu lại thành tệp mới) rồi tải lên."
)
REMOTE_TEMPLATE = (
    "Tệp Word dùng mẫu (template) tải từ bên ngoài khi mở nên không được đăng. "
    "Hãy lưu lại thành tệp mới không gắn mẫu rồi tải lên."
)
EXTERNAL_DATA = (
    "Tệp Excel có liên kết tới dữ liệu bên ngoài (DDE, sổ tính khác hoặc kết nối dữ liệu) nên "
    "không được đăng."
)
IMPORTED = "Tệp Word nhập nội dung từ tệp khác (altChunk) nên không được đăng."
EMBEDDED = "Tệp Word/Excel có đối tượng nhúng không được nhận ({reason})"
OOXML_OTHER = "Tệp Office này không phải Word, Excel hay PowerPoint được nhận."
DDE_CODE = re.compile(r"\s*DDE(?:AUTO)?\b", re.IGNORECASE)


def content_types(archive: Archive) -> set[str]:
    """Every content type `[Content_Types].xml` declares, by default or per part."""
    return {
        attribute(element, "ContentType")
        for element in archive.xml("[Content_Types].xml")
        if local(element.tag) in ("Default", "Override")
    }


def check_relationship(element) -> None:
    """Refuse a relationship that fetches from elsewhere, or imports content unchecked."""
    kind = attribute(element, "Type").rstrip("/").rpartition("/")[2]
    if kind == "aFChunk":
        raise NotRecognised(IMPORTED)
    if kind in ("oleObject", "control", "vbaProject", "activeXControlBinary"):
        raise NotRecognised(OLE_OBJECTS if kind == "oleObject" else MACROS)
    if attribute(element, "TargetMode").lower() != "external":
        return
    target = attribute(element, "Target")
    if kind == "hyperlink" and safe_link(target):
        return
    if kind == "attachedTemplate":
        raise NotRecognised(REMOTE_TEMPLATE)
    raise NotRecognised(EXTERNAL.format(target=target[:80]))


def field_codes(archive: Archive, name: str):
    """Yield each field instruction of a WordprocessingML part (complex and simple fields)."""
    stack: list[list[str]] = []
    for element in archive.xml(name):
        tag = local(element.tag)
        if tag == "instrText" and stack:
            stack[-1].append(element.text or "")
        elif tag == "fldSimple":
            yield attribute(element, "instr")
        elif tag == "fldChar":
            kind = attribute(element, "fldCharType")
            if kind == "begin":
                stack.append([])
            elif kind in ("separate", "end") and stack:
                yield "".join(stack[-1])
                if kind == "end":
                    stack.pop()
                else:
                    stack[-1] = []
    yield from ("".join(parts) for parts in stack)


def check_ooxml_parts(archive: Archive) -> None:
    """Refuse macros, ActiveX, OLE and foreign embeddings, external links and DDE fields."""
    for name in sorted(archive.names):
        lowered = name.lower()
        if lowered.endswith("vbaproject.bin") or "/activex/" in lowered or "macrosheet" in lowered:
            raise NotRecognised(MACROS)
        if lowered.startswith("xl/externallinks/") or lowered == "xl/connections.xml":
            raise NotRecognised(EXTERNAL_DATA)
        if lowered.endswith(".rels"):
            for element in archive.xml(name):
                if local(element.tag) == "Relationship":
                    check_relationship(element)
        elif "/embeddings/" in lowered:
            check_embedding(archive, name)
        elif re.fullmatch(r"word/(?:[^/]+/)?[^/]+\.xml", lowered):
            if any(DDE_CODE.match(code) for code in field_codes(archive, name)):
                raise NotRecognised(DDE)


def check_embedding(archive: Archive, name: str) -> None:
    """An object embedded in an Office file must be an Office Open XML file we accept."""
    if name.rpartition(".")[2].lower() not in OOXML_PACKAGES:
        raise NotRecognised(OLE_OBJECTS)
    try:
        archive.nested(archive.zip.getinfo(name))
    except NotRecognised as err:
        raise NotRecognised(EMBEDDED.format(reason=err)) from err


def inspect_ooxml(archive: Archive) -> str:
    """Accept a Word, Excel or PowerPoint file that cannot act or fetch on its own."""
    declared = content_types(archive)
    macro_types = ("macroenabled", "vbaproject", "macrosheet")
    if any(word in kind.lower() for kind in declared for word in macro_types):
        raise NotRecognised(MACROS)
    found = {mime for kind in declared for main, mime in OOXML_MAIN.items() if kind.endswith(main)}
    if len(found) != 1:
        raise NotRecognised(OOXML_OTHER)
    check_ooxml_parts(archive)
    return found.pop()


# OpenDocument ---

ODF_TYPES = {ODT: ODT, ODS: ODS}
ODF_XML = ("content.xml", "styles.xml")


def inspect_odf(archive: Archive) -> str:
    """Accept an ODT or ODS file without macros, script events or embedded OLE objects."""
    declared = archive.head("mimetype", 100).decode("ascii", "replace").strip()
    if declared not in ODF_TYPES:
        raise NotRecognised("Tệp OpenDocument này không phải ODT hay ODS.")
    if any(name.startswith(("Basic/", "Scripts/")) for name in archive.names):
        raise NotRecognised(MACROS)
    for name in sorted(archive.names):
        if basename(name) in ODF_XML:
            if any(local(element.tag) == "event-listener" for element in archive.xml(name)):
                raise NotRecognised(MACROS)
        elif not name.endswith(".xml") and archive.head(name, 8) == OLE_MAGIC:
            raise NotRecognised(OLE_OBJECTS)
    return ODF_TYPES[declared]


# Plain ZIP ---

ZIP_DOCUMENTS = {"pdf", "doc", "xls", "docx", "xlsx", "pptx", "odt", "ods", "zip"}
ZIP_PLAIN = {"txt", "csv", "jpg", "jpeg", "png", "gif", "webp"}
ZIP_ALLOWED = "Trong tệp ZIP chỉ nhận PDF, Word, Excel, PowerPoint, ODT, ODS, TXT, CSV, ảnh và ZIP."
# Programs inside a ZIP would reach readers' computers with the commune's name on them.
RUNNABLE = re.compile(
    r"\.(exe|com|bat|cmd|scr|pif|msi|vbs|vbe|js|jse|wsf|wsh|ps1|hta|lnk|jar|apk|dll|reg)$",
    re.IGNORECASE,
)


def windows_name(name: str) -> str:
    """The name Windows saves a member under: the last part, trailing dots and spaces gone."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].rstrip(". ")


def member_extension(info: zipfile.ZipInfo) -> str:
    """Refuse a member not on the list by its name; return its extension."""
    name = windows_name(info.filename)
    if ":" in name or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise NotRecognised(f"Tệp ZIP có tên tệp bất thường. {ZIP_ALLOWED}")
    if RUNNABLE.search(name):
        raise NotRecognised("Tệp ZIP chứa chương trình chạy được (.exe, .js…) nên không được đăng.")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ZIP_DOCUMENTS | ZIP_PLAIN:
        raise NotRecognised(f"Tệp ZIP chứa “{name[:80]}”, loại tệp không được nhận. {ZIP_ALLOWED}")
    return extension


def inspect_zip(archive: Archive) -> str:
    """Accept a ZIP whose every member is, by name and content, a file of the list."""
    extensions = {info.filename: member_extension(info) for info in archive.infos}
    for info in archive.infos:
        extension = extensions[info.filename]
        if extension not in ZIP_DOCUMENTS:
            archive.stream(info, keep=False)  # inflated all the same: a lying size shows
            continue
        found = archive.nested(info)
        if EXTENSIONS[found] != extension:
            name = windows_name(info.filename)[:80]
            raise NotRecognised(f"Tệp “{name}” trong ZIP không đúng loại như tên gọi.")
    return ZIP


def inspect_archive(data: bytes, budget: Budget, depth: int) -> str:
    """Tell ODT, ODS, DOCX, XLSX, PPTX and plain ZIP apart, and check each by its rules."""
    from defusedxml import DefusedXmlException  # lazy: see the module's docstring
    from defusedxml.ElementTree import ParseError

    if depth > MAX_DEPTH:
        raise NotRecognised(TOO_DEEP)
    # zipfile reads the whole central directory on opening; a directory of a million
    # entries costs seconds and hundreds of MB before any count could stop it.
    if data.count(CENTRAL_ENTRY) > budget.members:
        raise NotRecognised(TOO_MANY + UNCHECKABLE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            archive = Archive(zipped, budget, depth)
            budget.open_archive(zipped.infolist())
            if "mimetype" in archive.names:
                return inspect_odf(archive)
            if "[Content_Types].xml" in archive.names:
                return inspect_ooxml(archive)
            return inspect_zip(archive)
    except NotRecognised:
        raise
    except (ParseError, DefusedXmlException) as err:
        raise NotRecognised(STRANGE) from err
    # zipfile's words for a damaged archive; ValueError: a header offset before the start.
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError) as err:
        raise NotRecognised(ZIP_BROKEN) from err
    except NotImplementedError as err:  # a compression method zipfile does not know
        raise NotRecognised(ZIP_BROKEN) from err
    except RuntimeError as err:  # zipfile's word for an encrypted member
        raise NotRecognised(ENCRYPTED) from err


# --- Entry point -----------------------------------------------------------------------


def identify(data: bytes, budget: Budget, depth: int) -> str:
    """Return the MIME type of a document we accept, drawing on the upload's budget."""
    if data.startswith(b"%PDF-"):
        return inspect_pdf(data, budget)
    if data.startswith(OLE_MAGIC):
        return inspect_ole(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return inspect_archive(data, budget, depth)
    raise NotRecognised(
        "Chỉ nhận tệp PDF, Word (DOC, DOCX), Excel (XLS, XLSX), PowerPoint (PPTX), ODT, ODS "
        "hoặc ZIP."
    )


def inspect_document(data: bytes) -> str:
    """Return the MIME type of an uploaded document we accept, judged by its content alone."""
    return identify(data, Budget(), depth=0)
