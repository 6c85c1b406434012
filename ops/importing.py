"""Rules every archive import shares (WordPress exports, RSS and Atom feeds, NukeViet dumps).

- **Hostile XML is refused** before it costs anything: defusedxml forbids entity
  declarations and external references (billion laughs, XXE), a file is at most
  MAX_FILE_BYTES, and one item at most MAX_ITEM_BYTES of the file, so memory stays bounded.
- **Any encoding, a little sloppiness**: `Utf8Reader` hands the parser UTF-8 whatever the file
  declares (big5, euc-kr, windows-1258... are decoded as it streams; a name Python does not
  know is refused in Vietnamese), skips a BOM or blank lines before `<?xml`, the stray
  newline a WordPress plugin often prints, and reads HTML's named entities (`&nbsp;`), which
  feeds use without declaring them, as the characters they name. A public DOCTYPE (RSS
  0.91's) is harmless and read; an internal subset declaring entities is still refused.
- **Streaming**: `xml_items` hands out elements as the file is read, and the importers drop
  each item once used, so a 2 GB export needs the memory of one item.
- **Repeatable**: each item made is remembered (`ImportedItem`, keyed by the archive and the
  item's id), so a second run adds nothing; old addresses become `Redirect` rows.
- **A dry run writes nothing**: no row, no file; it reads and checks everything a real run
  would, and reports the same counts and problems.
- **One skeleton**: every importer is an `ArchiveImporter`: items already made are skipped,
  new rows wait for the batch's one flush, then are remembered and their old addresses
  redirected; `run` holds the whole import in one transaction.
- **Images** come from a local copy of the old site's uploads, and from the internet only
  when the operator says `--fetch`; they go through the upload pipeline (Pillow re-encodes
  them), with web sizes made when first asked for, and bodies point at our own media.
"""

from __future__ import annotations

import codecs
import html
import html.entities
import os
import re
import tempfile
import unicodedata
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

import defusedxml
import nh3
from defusedxml.ElementTree import iterparse
from flask import current_app
from sqlalchemy import func, insert, select

import sanitize
from media import uploads
from media.renditions import STORED_WIDTH, rendition_height, rendition_url, rendition_width
from models import AuditLog, Category, ImportedItem, Media, Redirect, db, utcnow
from vietnamese import first_sentences, slugify
from web import redirects

MAX_FILE_BYTES = 2 * 1024**3
MAX_ITEM_BYTES = 64 * 1024**2
FETCH_TIMEOUT = 20
# Rows are flushed and forgotten by the session in batches, so memory stays flat.
BATCH = 200
SUMMARY_MAX = 500
DEFAULT_CATEGORY = "Tin lưu trữ"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
# Namespaces by what we call them; any WordPress export version is "wp".
# RSS 1.0, 0.90 and namespaced RSS 2.0 are named like plain RSS ("item", "title"); Atom 0.3
# like Atom 1.0.
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/atom/ns#": "atom",
    "http://search.yahoo.com/mrss/": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",  # also spelt "DTDs/Podcast"
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://backend.userland.com/rss2": "",
    "http://backend.userland.com/rss": "",
}
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
HOSTILE = (
    "Tệp XML bị từ chối vì có khai báo DTD, thực thể (entity) hoặc tham chiếu ra ngoài: "
    "đó là cách tấn công làm tràn bộ nhớ hay đọc trộm tệp của máy chủ. Tệp xuất thật từ "
    "WordPress hay một nguồn tin không cần những thứ đó; hãy xuất lại tệp từ trang gốc."
)


class ImportRefused(Exception):
    """The whole import cannot go ahead; the message tells the operator why, in Vietnamese.
    `report`, when given, is what the run found before it stopped (its problems explain)."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class Options:
    """How an import runs: where its pictures are, whether it may fetch them, a dry run, and
    the zone the source's local dates are in."""

    uploads: str | None = None
    fetch: bool = False
    dry_run: bool = False
    timezone: str = "Asia/Ho_Chi_Minh"


@dataclass
class Report:
    """What an import did (or, in a dry run, would do), and what it could not import."""

    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, number: int = 1) -> None:
        self.counts[name] += number

    def problem(self, what: str, why: str) -> None:
        self.problems.append((what, why))


# --- Reading XML safely ---------------------------------------------------------------------


class GuardedReader:
    """A file as iterparse reads it, refusing a file or a single item that is too large."""

    def __init__(self, handle, on_progress: Callable[[int], None] | None = None):
        self.handle = handle
        self.position = 0
        self.item_start = 0
        self.on_progress = on_progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size if size and size > 0 else 64 * 1024)
        self.position += len(data)
        if self.position > MAX_FILE_BYTES:
            raise ImportRefused(f"Tệp quá lớn: tối đa {MAX_FILE_BYTES // 1024**3} GB.")
        if self.position - self.item_start > MAX_ITEM_BYTES:
            raise ImportRefused(
                f"Một mục trong tệp dài hơn {MAX_ITEM_BYTES // 1024**2} MB: tệp hỏng hoặc "
                "cố ý làm tràn bộ nhớ, nên không nhập."
            )
        if self.on_progress and data:
            self.on_progress(len(data))
        return data

    def item_done(self) -> None:
        self.item_start = self.position


XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# Encodings expat reads itself; any other is decoded to UTF-8 on the way in.
NATIVE = {"utf-8", "ascii"}
LEADING_JUNK = b"\xef\xbb\xbf \t\r\n"


NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
PARTIAL_ENTITY = re.compile(rb"&[A-Za-z0-9]{0,31}$")
XML_ENTITIES = {b"lt", b"gt", b"amp", b"quot", b"apos"}


def entity_number(match: re.Match) -> bytes:
    name = match[1]
    code = html.entities.name2codepoint.get(name.decode("ascii"))
    if name in XML_ENTITIES or code is None:
        return match[0]  # XML's own, or unknown: expat says which, and where
    return b"&#%d;" % code


class Utf8Reader:
    """A file as the XML parser reads it: UTF-8, starting at its first "<".

    expat refuses multi-byte encodings other than UTF-8/UTF-16 and anything before the XML
    declaration; WordPress's own importer is not so strict, and neither are the files it
    exports. The declaration is rewritten to say UTF-8 when the bytes are transcoded."""

    def __init__(self, raw: GuardedReader):
        self.raw = raw
        self.decoder = None
        self.encoding = "utf-8"
        self.carry = ""
        self.entity_carry = b""
        self.started = False

    def read(self, size: int = -1) -> bytes:
        if not self.started:
            self.started = True
            return self.html_entities(self.start(), final=False)
        data = self.raw.read(size)
        final = not data
        return self.html_entities(self.decode(data, final) if self.decoder else data, final)

    def html_entities(self, data: bytes, final: bool) -> bytes:
        """Write HTML's named entities (`&nbsp;`, `&eacute;`), which feeds use without the DTD
        that would declare them, as the numbers XML knows; an entity cut by the end of a
        chunk waits for the next one."""
        data = self.entity_carry + data
        self.entity_carry = b""
        if not final:
            cut = PARTIAL_ENTITY.search(data)
            if cut:
                data, self.entity_carry = data[: cut.start()], data[cut.start():]
        return NAMED_ENTITY.sub(entity_number, data)

    def start(self) -> bytes:
        head = b""
        while len(head) < 1024:
            chunk = self.raw.read(64 * 1024)
            if not chunk:
                break
            head += chunk
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2] in (
            b"<\x00", b"\x00<"):  # fmt: skip
            return self.start_utf16(head)
        head = head.lstrip(LEADING_JUNK)
        declared = XML_DECLARATION.match(head)
        # "UTF-16" on bytes that are not is a mislabelled UTF-8 file: read it as UTF-8.
        if declared and not declared[1].lower().startswith((b"utf-16", b"utf-32")):
            self.use(declared[1].decode("ascii"))
        if not self.decoder:
            return head
        head = XML_DECLARATION.sub(b'<?xml version="1.0" encoding="UTF-8"', head, count=1)
        return self.decode(head, final=False)

    def start_utf16(self, head: bytes) -> bytes:
        """UTF-16 (a BOM, or "<" with a zero byte): decoded like any other encoding."""
        big = head.startswith(codecs.BOM_UTF16_BE) or head.startswith(b"\x00<")
        self.use("utf-16-be" if big else "utf-16-le")
        text = self.decode(head, final=False).decode("utf-8").lstrip("\ufeff \t\r\n")
        text = re.sub(r"^<\?xml[^>]*?encoding\s*=\s*[\"'][^\"']*[\"']",
                      '<?xml version="1.0" encoding="UTF-8"', text, count=1)  # fmt: skip
        return text.encode("utf-8")

    def use(self, declared: str) -> None:
        try:
            name = codecs.lookup(declared).name
        except LookupError as err:
            raise ImportRefused(
                f"Tệp khai báo bảng mã “{declared}” mà chương trình không biết, nên không đọc "
                "được chữ trong đó. Hãy lưu lại tệp ở dạng UTF-8 rồi nhập lại."
            ) from err
        if name not in NATIVE:
            self.encoding = name
            self.decoder = codecs.getincrementaldecoder(name)()

    def decode(self, data: bytes, final: bool) -> bytes:
        """Decode a chunk, composing letters and their accents (windows-1258 keeps Vietnamese
        tones as separate marks) but holding back a letter whose marks may come next."""
        try:
            text = self.carry + self.decoder.decode(data, final)
        except UnicodeDecodeError as err:
            raise ImportRefused(
                f"Tệp có byte không đúng bảng mã {self.encoding} đã khai báo (khoảng byte "
                f"{self.raw.position}). Hãy lưu lại tệp ở dạng UTF-8 rồi nhập lại."
            ) from err
        cut = len(text)
        if not final:
            while cut > 0 and unicodedata.combining(text[cut - 1]):
                cut -= 1
            cut = max(cut - 1, 0)
        self.carry = text[cut:]
        return unicodedata.normalize("NFC", text[:cut]).encode("utf-8")


WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/(excerpt/?)?$")


def tag_name(tag: str) -> str:
    """Name an element as the importers match it: "wp:post_id", "content:encoded", "item"."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    wordpress = WXR_NAMESPACE.match(uri)
    if wordpress:  # every export version, over http or https
        prefix = "excerpt" if wordpress[1] else "wp"
    else:
        prefix = NAMESPACES.get(uri, NAMESPACES.get(uri.lower(), "x"))
    return f"{prefix}:{local}" if prefix else local


def parse_events(reader: GuardedReader, events: tuple[str, ...]):
    """Yield iterparse's (event, element) pairs, refusing hostile or broken XML with
    ImportRefused. A DOCTYPE alone is read (RSS 0.91 has one); entity declarations and
    external references are refused before anything is expanded."""
    try:
        yield from iterparse(Utf8Reader(reader), events=events, forbid_dtd=False,
                             forbid_entities=True, forbid_external=True)  # fmt: skip
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden,
            defusedxml.ExternalReferenceForbidden) as err:  # fmt: skip
        raise ImportRefused(HOSTILE) from err
    except ParseError as err:
        raise ImportRefused(f"Tệp không phải XML hợp lệ ({err}).") from err


def xml_items(path: str, names: set[str], on_progress=None) -> Iterator[tuple[str, Element]]:
    """Yield (name, element) for each finished element named in `names`, dropping it from the
    tree afterwards so memory stays flat; refuse hostile or broken XML with ImportRefused."""
    with open(path, "rb") as handle:
        reader = GuardedReader(handle, on_progress)
        stack: list[Element] = []
        for event, element in parse_events(reader, ("start", "end")):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            name = tag_name(element.tag)
            if name in names:
                yield name, element
                reader.item_done()
                if stack:
                    stack[-1].remove(element)


def root_element(path: str) -> Element:
    """Return the document's root element as it starts: its name and attributes, no children."""
    with open(path, "rb") as handle:
        for _, element in parse_events(GuardedReader(handle), ("start",)):
            return element
    raise ImportRefused("Tệp rỗng.")


def root_name(path: str) -> str:
    """Return the name of the document's root element (rss, atom:feed, ...)."""
    return tag_name(root_element(path).tag)


def child_text(element: Element, name: str) -> str:
    """Return the text of the first child named `name` ("wp:post_id"), or ""."""
    for child in element:
        if tag_name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if tag_name(child.tag) == name]


# --- Sources: a file, or a URL the operator gave ---------------------------------------------


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def download(url: str, limit: int) -> bytes:
    """Fetch a URL (http or https only), refusing more than `limit` bytes."""
    if not is_url(url):
        raise OSError("chỉ tải được địa chỉ http(s)")
    request = urllib.request.Request(url, headers={"User-Agent": "Bantin-import/1"})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as answer:  # noqa: S310
        data = answer.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"lớn hơn {limit // 1024**2} MB")
    return data


def local_copy(source: str) -> tuple[str, bool]:
    """Return a path to read: the file itself, or a temporary copy of a URL (and True)."""
    if not is_url(source):
        if not os.path.isfile(source):
            raise ImportRefused(f"Không tìm thấy tệp {source}.")
        if os.path.getsize(source) > MAX_FILE_BYTES:
            raise ImportRefused(f"Tệp quá lớn: tối đa {MAX_FILE_BYTES // 1024**3} GB.")
        return source, False
    try:
        data = download(source, MAX_FILE_BYTES)
    except OSError as err:
        raise ImportRefused(f"Không tải được {source}: {err}.") from err
    handle, path = tempfile.mkstemp(suffix=".xml")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return path, True


# --- Dates ------------------------------------------------------------------------------------


def aware(moment: datetime, zone) -> datetime:
    """Read a time without a zone as the old site's local time; return it in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


# --- Images -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """An image stored (or, in a dry run, found): what a body's <img> needs."""

    id: int
    width: int | None
    height: int | None


RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z]+$)")


class Images:
    """Find the images an archive refers to, store each once, and remember them."""

    def __init__(self, report: Report, ledger: Ledger, uploads_dir: str | None, fetch: bool,
                 marker: str | None = None):  # fmt: skip
        self.report = report
        self.ledger = ledger
        self.root = os.path.realpath(uploads_dir) if uploads_dir else None
        self.fetch = fetch
        self.marker = marker
        self.found: dict[str, Picture | None] = {}

    def relative(self, url: str) -> str | None:
        """Return where under the uploads folder a URL's file would be."""
        path = unquote(urlsplit(url).path)
        if self.marker and self.marker in path:
            return path.split(self.marker, 1)[1]
        return path.lstrip("/") if path else None

    def local_file(self, relative: str | None) -> str | None:
        """Return the file under the uploads folder, never outside it (no "../")."""
        if not self.root or not relative:
            return None
        candidates = [RESIZED.sub("", relative), relative]  # the original before "-300x200"
        for candidate in candidates:
            path = os.path.realpath(os.path.join(self.root, candidate.lstrip("/")))
            if os.path.commonpath([self.root, path]) != self.root:
                return None
            if os.path.isfile(path):
                return path
        return None

    def read(self, url: str, relative: str | None) -> bytes | None:
        path = self.local_file(relative)
        if path:
            with open(path, "rb") as handle:
                return handle.read(uploads.limit("MEDIA_MAX_IMAGE_BYTES") + 1)
        if self.fetch and is_url(url):
            try:
                return download(url, uploads.limit("MEDIA_MAX_IMAGE_BYTES"))
            except OSError as err:
                self.report.problem(url, f"Không tải được ảnh: {err}.")
                return b""
        return None

    def picture(self, url: str, relative: str | None = None, name: str = "") -> Picture | None:
        """Return the stored image for a URL (or an attachment's file), storing it once."""
        url = html.unescape(url or "").strip()
        if not url and not relative:
            return None
        relative = relative or self.relative(url)
        # The same file whether named by an attachment or by a resized copy in a body.
        key = RESIZED.sub("", relative) if relative else url
        if key not in self.found:
            self.found[key] = self.load(url, relative, key, name)
        return self.found[key]

    def load(self, url: str, relative: str | None, key: str, name: str) -> Picture | None:
        known = self.ledger.remembered(key, "media")
        if known:
            media = db.session.get(Media, known)
            if media is not None:
                return Picture(media.id, media.width, media.height)
        data = self.read(url, relative)
        if data is None:
            where = "trong thư mục uploads" if self.root else "(chưa chỉ thư mục --uploads)"
            self.report.problem(url or relative, f"Không có tệp ảnh {where}; ảnh bị bỏ qua.")
            return None
        if not data:
            return None
        if self.report.dry_run:
            self.report.add("ảnh")
            return Picture(0, None, None)
        try:
            media = uploads.store_image(data, name or os.path.basename(key), web_sizes=False)
        except uploads.Rejected as err:
            self.report.problem(url or relative, str(err))
            return None
        self.ledger.remember(key, "media", media.id)
        self.report.add("ảnh")
        return Picture(media.id, media.width, media.height)


IMG = re.compile(r"<img\b[^>]*>", re.I)
LINK = re.compile(r"<a\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


def attributes(tag: str) -> dict[str, str]:
    """Return a tag's attributes, lower-cased names, values unquoted and unescaped."""
    return {name.lower(): html.unescape(value.strip("\"'")) for name, value in
            ATTRIBUTE.findall(tag)}  # fmt: skip


def img_tag(picture: Picture, alt: str) -> str:
    """Return the plain <img> a stored body holds for one of our images."""
    src = rendition_url(picture, STORED_WIDTH, "jpg")
    if not picture.width:
        return f'<img src="{src}" alt="{html.escape(alt)}">'
    return (
        f'<img src="{src}" alt="{html.escape(alt)}" '
        f'width="{rendition_width(picture, STORED_WIDTH)}" '
        f'height="{rendition_height(picture, STORED_WIDTH)}">'
    )


URL_ATTRIBUTE = re.compile(r"""(<[a-zA-Z][^>]*?\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")


def absolute_links(body: str, base: str, own_host: str = "") -> str:
    """Resolve every href and src against `base` (the feed's address, its xml:base), so that
    "anh/1.jpg" keeps meaning the old site's file; a link to the old site itself becomes a
    path of this one, where the redirects answer it."""
    if not base:
        return body

    def resolve(match: re.Match) -> str:
        quote = match[2][0] if match[2][0] in "\"'" else '"'
        value = html.unescape(match[2].strip("\"'")).strip()
        if not value or value.startswith(("#", "data:", "mailto:", "tel:")):
            return match[0]
        found = urlsplit(urljoin(base, value))
        if own_host and found.hostname == own_host.lower() and found.scheme in ("http", "https"):
            address = found._replace(scheme="", netloc="").geturl() or "/"
        else:
            address = found.geturl()
        return f"{match[1]}{quote}{html.escape(address)}{quote}"

    return URL_ATTRIBUTE.sub(resolve, body)


def rewrite_images(body: str, images: Images, base: str = "") -> str:
    """Point every <img> at our stored copy (links to image files too); an image that cannot
    be found is left for the sanitiser to drop, and reported."""

    def image(match: re.Match) -> str:
        found = attributes(match[0])
        picture = images.picture(urljoin(base, found.get("src", "")))
        return img_tag(picture, found.get("alt", "")) if picture else match[0]

    def link(match: re.Match) -> str:
        found = attributes(match[0])
        href = urljoin(base, found.get("href", ""))
        if not urlsplit(href).path.lower().endswith(IMAGE_EXTENSIONS):
            return match[0]
        picture = images.picture(href)
        return f'<a href="{rendition_url(picture, 1600, "jpg")}">' if picture else "<a>"

    return LINK.sub(link, IMG.sub(image, body))


# --- Text ---------------------------------------------------------------------------------------


def clean_body(dirty: str) -> tuple[str, str]:
    """Return the body through the one sanitiser and its plain text; raise BodyRejected."""
    body = sanitize.clean_html(dirty)
    return body, sanitize.html_to_text(body)


DERIVED_SUMMARY = 300
DERIVED = "tóm tắt lấy từ câu đầu của bài"


def summary_or_lead(given: str, text: str, report: Report) -> str:
    """The source's own summary, else the body's first sentences (counted in the report)."""
    if given:
        return given
    derived = first_sentences(text, DERIVED_SUMMARY)
    if derived:
        report.add(DERIVED)
    return derived


# A UTF-8 lead byte read as a Windows-1252 or Latin-1 letter, then a continuation byte read
# the same way ("Ä‘", "á»", "Ã©"): the mark of text encoded to UTF-8 twice.
CONTINUATION = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
MOJIBAKE = re.compile(f"[\xc2-\xf4][{CONTINUATION}]")


def mended(text: str) -> str:
    """Return text an old site encoded to UTF-8 twice ("Ä‘Æ°á»ng") as it was written
    ("đường"); ftfy undoes it only where that is certain, and is asked only when the mark is
    there (it costs about a second per MB)."""
    if not text or not MOJIBAKE.search(text):
        return text
    # Imported when first needed: ftfy with its wcwidth tables costs 4 MB, and every serving
    # process imports this module (through the commands) without ever mending a text.
    import ftfy

    return ftfy.fix_encoding(text)


def title_text(markup: str) -> str:
    """Return the words of an HTML title on one line: every tag dropped, its words kept
    (only scripts and styles go with their content), entities decoded."""
    text = nh3.clean(markup or "", tags=set(), clean_content_tags={"script", "style"})
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def plain(fragment: str) -> str:
    """Return an HTML fragment's text on one line."""
    if not fragment:
        return ""
    try:
        return re.sub(r"\s+", " ", sanitize.html_to_text(sanitize.clean_html(fragment))).strip()
    except sanitize.BodyRejected:
        return ""


# --- Rows: remembering, categories, redirects ----------------------------------------------------


class Ledger:
    """What earlier imports of this archive made and which old addresses the site already
    answers, read once and kept for the run: asking the database for each item would cost
    more than the item itself. New rows are written in bulk, once per batch."""

    def __init__(self, source: str, report: Report, label: str):
        self.source = source[:500]
        self.report = report
        self.label = label  # Redirect.source: "wordpress", "feed"
        rows = db.session.execute(select(ImportedItem.key, ImportedItem.kind,
                                         ImportedItem.object_id)
                                  .where(ImportedItem.source == self.source))  # fmt: skip
        self.items = {(key, kind): object_id for key, kind, object_id in rows}
        self.redirects = dict(db.session.execute(
            select(Redirect.old_path, Redirect.target).where(Redirect.host.is_(None))).all())
        self.new_items: list[dict] = []
        self.new_redirects: list[dict] = []

    def remembered(self, key: str, kind: str) -> int | None:
        """Return the id of what an import made of this item (0: made in this very run)."""
        return self.items.get((key[:500], kind))

    def claim(self, key: str, kind: str) -> None:
        """Mark an item as being made, so that a repeat of it later in the file is skipped."""
        self.items[key[:500], kind] = 0

    def remember(self, key: str, kind: str, object_id: int) -> None:
        self.items[key[:500], kind] = object_id
        self.new_items.append({"source": self.source, "key": key[:500], "kind": kind,
                               "object_id": object_id, "created_at": utcnow()})  # fmt: skip

    def redirect(self, old: str, target: str) -> None:
        """Let an old address answer 301 to `target`, once; the site's home is never moved."""
        if not old:
            return
        try:
            _, old_path = redirects.normalise(old)
        except redirects.BadAddress:
            return
        if old_path in ("/", target):
            return
        existing = self.redirects.get(old_path)
        if existing is not None:
            if existing != target:
                self.report.problem(old, f"Địa chỉ cũ đã chuyển tới {existing}; giữ nguyên.")
            return
        self.redirects[old_path] = target
        self.report.add("địa chỉ cũ")
        self.new_redirects.append({"host": None, "old_path": old_path, "target": target,
                                   "source": self.label, "created_at": utcnow()})  # fmt: skip

    def would_redirect(self, links: list[str], placeholder: str) -> None:
        """In a dry run: count (and check) the old addresses an item would answer."""
        for link in links:
            self.redirect(link, placeholder)

    def write(self) -> None:
        """Insert the rows gathered since the last call (nothing in a dry run)."""
        if not self.report.dry_run:
            if self.new_items:
                db.session.execute(insert(ImportedItem), self.new_items)
            if self.new_redirects:
                db.session.execute(insert(Redirect), self.new_redirects)
        self.new_items, self.new_redirects = [], []


class Categories:
    """Categories by name under their parents, made when missing (slugs from
    vietnamese.slugify): two "Tin tức" under different parents stay two. A dry run counts
    the same categories a real run makes, parents included, without writing them."""

    def __init__(self, report: Report):
        self.report = report
        self.ids: dict[tuple[str, ...], int] = {}  # (ancestors..., name) -> id, 0 in a dry run
        # The slug the old site gave a category, by its path: kept when still free.
        self.slugs: dict[tuple[str, ...], str] = {}

    def id_for(self, name: str, parent: str | Sequence[str] | None = None) -> int:
        """Return the id of the category called `name` under `parent` (a name, or the names
        of its ancestors from the top), making it and its parents if needed."""
        name = category_name(name) or DEFAULT_CATEGORY
        ancestors = [parent] if isinstance(parent, str) else list(parent or ())
        ancestors = [category_name(a) for a in ancestors if category_name(a)]
        key = (*ancestors, name)
        if key not in self.ids:
            parent_id = self.id_for(ancestors[-1], ancestors[:-1]) if ancestors else None
            self.ids[key] = self.existing(name, parent_id) or self.make(
                name, ancestors, parent_id, self.slugs.get(key))
        return self.ids[key]

    def existing(self, name: str, parent_id: int | None) -> int | None:
        """The site's own category of that name (or slug) under the same parent, if any."""
        if parent_id == 0:  # the parent is new (dry run): so is the child
            return None
        under = Category.parent_id.is_(None) if parent_id is None else \
            Category.parent_id == parent_id
        slug = slugify(name, max_length=120)
        return db.session.scalar(select(Category.id).where(
            (Category.slug == slug) | (Category.name == name), under).limit(1))

    def make(self, name: str, ancestors: list[str], parent_id: int | None,
             slug: str | None) -> int:  # fmt: skip
        self.report.add("chuyên mục mới")
        if self.report.dry_run:
            return 0
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
        category = Category(name=name, slug=free_category_slug(name, ancestors, slug),
                            position=position, parent_id=parent_id)  # fmt: skip
        db.session.add(category)
        db.session.flush()
        return category.id


def category_name(name: str | None) -> str:
    return re.sub(r"\s+", " ", name or "").strip()[:120]


def free_category_slug(name: str, ancestors: list[str], preferred: str | None = None) -> str:
    """A slug no category has yet: the old site's, else the name's, else with its parent's
    name ("tin-tuc-van-hoa"), else numbered."""
    candidates = [slugify(name, max_length=120)]
    if preferred:
        candidates.insert(0, slugify(preferred, max_length=120))
    if ancestors:
        candidates.append(slugify(f"{name} {ancestors[-1]}", max_length=110))
    taken = set(db.session.scalars(select(Category.slug).where(
        Category.slug.in_(candidates) | Category.slug.startswith(candidates[-1][:40]))))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in taken:
        number += 1
    return f"{candidates[-1]}-{number}"


def local_path(endpoint: str, **values) -> str:
    """Build a path of this site outside any request (the command line has none)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def summary(report: Report) -> str:
    """Say what an import did in one line: "10 tin bài, 4 ảnh, 30 địa chỉ cũ"."""
    return ", ".join(f"{number} {name}" for name, number in sorted(report.counts.items()))


def finish(report: Report, what: str) -> None:
    """Commit a real import, with a line in the audit log; roll a dry run back."""
    if report.dry_run:
        db.session.rollback()
        return
    AuditLog.record("import", detail=f"{what}: {summary(report)}"[:2000])
    db.session.commit()


def end_batch() -> None:
    """Send the batch's rows to the database and let the session forget them: memory stays
    flat however many items the file holds."""
    db.session.flush()
    db.session.expunge_all()


# --- The skeleton every importer shares ----------------------------------------------------------


class ArchiveImporter:
    """What every importer does with the rows it makes, whatever the archive's format.

    An item already made (by an earlier run, or earlier in this file) is skipped. A new row
    waits for the end of its batch and joins the session only then, so that storing an image,
    which flushes its own row, does not flush the articles one at a time; the batch is added
    in one flush, each row remembered in the ledger and its old addresses pointed at its new
    one (`target_of`). A dry run builds no row: it counts and checks the same addresses."""

    def __init__(self, source: str, label: str, options: Options, report: Report,
                 marker: str | None = None):  # fmt: skip
        self.report = report
        self.zone = ZoneInfo(options.timezone)
        self.ledger = Ledger(source, report, label)
        self.images = Images(report, self.ledger, options.uploads, options.fetch, marker=marker)
        # Rows added since the last batch, with what they still need once they have an id.
        self.waiting: list[tuple[db.Model, str, str, list[str]]] = []

    def seen(self, key: str, kind: str) -> bool:
        """Whether this item was made already: then it is counted and skipped."""
        if self.ledger.remembered(key, kind) is None:
            return False
        self.report.add("đã nhập lần trước")
        return True

    def make(self, label: str, build: Callable[[], None]) -> None:
        """Build one item: a body the sanitiser refuses is that item's problem, not the
        import's. A full batch then goes to the database."""
        try:
            build()
        except sanitize.BodyRejected as err:
            self.report.problem(label, str(err))
        if len(self.waiting) >= BATCH:
            self.end_batch()

    def keep(self, build: Callable[[], db.Model], key: str, kind: str, links: list[str],
             placeholder: str) -> None:  # fmt: skip
        """Keep the row `build` makes for the batch; a dry run makes none, and only checks
        the old addresses (pointing them at `placeholder`, which is never written)."""
        if self.report.dry_run:
            self.ledger.would_redirect(links, placeholder)
            return
        self.wait(build(), key, kind, links)

    def wait(self, row: db.Model, key: str, kind: str, links: list[str]) -> None:
        """Keep a row for the batch: its id, and so its address, comes when it is flushed."""
        self.ledger.claim(key, kind)
        self.waiting.append((row, key, kind, links))

    def target_of(self, row: db.Model) -> str:
        """The row's address on this site, where its old links now answer."""
        return local_path("public.article", slug=row.slug, article_id=row.id)

    def end_batch(self) -> None:
        """Add the batch's rows in one flush, then remember them and point their old links
        at them; the session forgets them afterwards, so memory stays flat."""
        if self.report.dry_run:
            self.waiting = []
            return
        db.session.add_all(row for row, _, _, _ in self.waiting)
        db.session.flush()
        for row, key, kind, links in self.waiting:
            self.ledger.remember(key, kind, row.id)
            target = self.target_of(row)
            for link in links:
                self.ledger.redirect(link, target)
        self.ledger.write()
        self.waiting = []
        end_batch()

    def require(self, counted: Sequence[str], message: str) -> None:
        """Refuse the whole import (with what it found) when it made none of `counted`."""
        if not any(self.report.counts[name] for name in counted):
            raise ImportRefused(message, self.report)

    def run(self, what: str, work: Callable[[], None]) -> Report:
        """Do the import's `work` in one transaction: any error rolls it all back. A real
        run is then committed, with `what` in the audit log; a dry run is rolled back."""
        try:
            work()
        except BaseException:
            db.session.rollback()
            raise
        finish(self.report, what)
        return self.report
