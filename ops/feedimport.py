"""Importing an RSS 2.0 or Atom feed: for portals (NukeViet and others) that offer nothing else.

Each item becomes a published article with its date, summary and body (content:encoded or
Atom content, else the description); its images (enclosures, Media RSS, inline <img>) are
taken from a local copy of the old site (`--uploads`, the folder holding the site's files
by their paths) or, with `--fetch`, downloaded. The item's link answers 301 to the article.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, tostring

from models import PUBLISHED, TITLE_MAX, Article, utcnow
from ops import importing
from ops.importing import Options, Report, child_text, children, tag_name
from vietnamese import shorten, slugify

SOURCE = "feed"
SUMMARY_LENGTH = 300


@dataclass
class Entry:
    """One item of either format, read into the same fields."""

    key: str
    title: str
    link: str
    date_text: str
    summary: str
    body: str
    author: str
    category: str
    images: list[str]
    base: str = ""  # what relative links in the body are relative to
    unescaped: bool = False


def parse_date(text: str, zone) -> datetime | None:
    """Read RFC 822 (RSS) or ISO 8601 (Atom) dates; a time without a zone is the site's."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return importing.aware(parsedate_to_datetime(text), zone)
    except (TypeError, ValueError):
        pass
    try:
        return importing.aware(datetime.fromisoformat(text.replace("Z", "+00:00")), zone)
    except ValueError:
        return None


def media_urls(item: Element) -> list[str]:
    """Enclosures that are images, and Media RSS pictures."""
    urls = []
    for child in item:
        name = tag_name(child.tag)
        kind = child.get("type", "")
        url = child.get("url") or (child.get("href") if child.get("rel") == "enclosure" else None)
        if not url:
            continue
        if name == "enclosure" and (kind.startswith("image/") or kind == ""):
            urls.append(url)
        elif name in ("media:thumbnail", "media:content") and kind in ("", "image/jpeg",
                                                                      "image/png", "image/webp"):
            urls.append(url)
        elif name == "atom:link" and kind.startswith("image/"):
            urls.append(url)
    return urls


def inner_markup(element: Element) -> str:
    """An element's content as HTML: its text, and child elements written as markup (XHTML,
    or HTML a feed did not escape), without their namespace prefixes."""
    markup = html.escape(element.text or "", quote=False)
    markup += "".join(tostring(child, encoding="unicode") for child in element)
    markup = re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", markup)
    return re.sub(r"<(/?)[\w.-]+:", r"<\1", markup)  # "<html:p>" -> "<p>"


@dataclass
class Text:
    """A text construct as the feed gave it: markup, or plain text."""

    value: str = ""
    is_html: bool = True
    unescaped: bool = False  # HTML written as XML elements where escaped text was expected

    def as_html(self) -> str:
        if self.is_html:
            return self.value
        return f"<p>{html.escape(self.value.strip())}</p>" if self.value.strip() else ""

    def as_text(self) -> str:
        """The text a reader sees (a title): tags dropped, their words kept."""
        if self.is_html:
            return importing.title_text(self.value)
        return re.sub(r"\s+", " ", self.value).strip()


def rss_text(element: Element | None) -> Text:
    """RSS says nothing of its texts' type: read them as HTML, as feed readers do."""
    if element is None:
        return Text()
    if len(element):
        return Text(inner_markup(element), unescaped=True)
    return Text(element.text or "")


def atom_text(element: Element | None) -> Text:
    """Return an Atom text construct (1.0, or 0.3 with its `mode`), whichever type it is."""
    if element is None:
        return Text()
    kind = element.get("type", "text").lower()
    mode = element.get("mode", "").lower()
    if mode == "base64" or is_binary(kind):
        try:
            value = base64.b64decode(element.text or "").decode("utf-8", "replace")
        except ValueError:
            value = ""
        return Text(value, is_html=kind in HTML_TYPES)
    if kind in XHTML_TYPES or mode == "xml" or len(element):  # markup can't be plain text
        return Text(inner_markup(element))
    return Text(element.text or "", is_html=kind in HTML_TYPES or mode == "escaped")


def is_binary(kind: str) -> bool:
    """Atom 1.0: content of a MIME type that is neither text nor XML is base64."""
    return "/" in kind and not kind.startswith("text/") and not kind.endswith(("+xml", "/xml"))


HTML_TYPES = {"html", "text/html"}
XHTML_TYPES = {"xhtml", "application/xhtml+xml"}
TEXT_TYPES = {"text", "text/plain"}


def first(element: Element, *names: str) -> Element | None:
    """The first child with one of the names, in the order of `names` ("media:group/media:title"
    looks inside the child)."""
    for name in names:
        parent, _, name = name.rpartition("/")
        holder = first(element, parent) if parent else element
        found = children(holder, name) if holder is not None else []
        if found:
            return found[0]
    return None


def atom(entry: Element, local: str) -> list[Element]:
    """An Atom entry's children named `local`, in the Atom namespace or in none (some feeds
    forget to declare it)."""
    return children(entry, f"atom:{local}") or children(entry, local)


def atom_value(entry: Element, local: str) -> str:
    found = atom(entry, local)
    return (found[0].text or "").strip() if found else ""


def joined_base(*bases: str | None) -> str:
    """The address relative links mean: each xml:base resolved against the one above it."""
    address = ""
    for base in bases:
        if base:
            address = urljoin(address, base.strip())
    return address


# Where feeds put an item's full text: the standard, then older habits feed readers honour.
RSS_TITLES = ("title", "dc:title", "media:title", "media:group/media:title")
RSS_DESCRIPTIONS = ("description", "dc:description", "summary", "itunes:summary",
                    "media:description", "media:group/media:description")
RSS_BODIES = ("content:encoded", "xhtml:body", "xhtml:div", "body", "fullitem")


RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"  # an RSS 1.0 item's address


def rss_entry(item: Element, base: str) -> Entry:
    description = rss_text(first(item, *RSS_DESCRIPTIONS))
    content = rss_text(first(item, *RSS_BODIES))
    link = child_text(item, "link") or item.get(RDF_ABOUT, "")
    categories = children(item, "category") or children(item, "dc:subject")
    body = content if content.value.strip() else description
    return Entry(
        key=child_text(item, "guid") or link,
        title=rss_text(first(item, *RSS_TITLES)).as_text(),
        link=link,
        date_text=child_text(item, "pubDate") or child_text(item, "dc:date"),
        summary=description.as_html() if body is content else "",
        body=body.as_html(),
        author=child_text(item, "dc:creator") or child_text(item, "author"),
        category=(categories[0].text or "").strip() if categories else "",
        images=media_urls(item),
        base=joined_base(base, item.get(importing.XML_BASE)),
        unescaped=body.unescaped,
    )


def atom_entry(entry: Element, base: str) -> Entry:
    links = atom(entry, "link")
    link = next((x.get("href", "") for x in links if x.get("rel", "alternate") == "alternate"), "")
    authors = atom(entry, "author")
    categories = atom(entry, "category")
    summary_element = next(iter(atom(entry, "summary")), None)
    content_element = next(iter(atom(entry, "content")), None)
    summary, content = atom_text(summary_element), atom_text(content_element)
    body, body_element = (content, content_element) if content.value.strip() else \
        (summary, summary_element)
    if not body.value.strip():  # a podcast's entry: its Media RSS description
        body_element = first(entry, "media:description", "media:group/media:description")
        body = rss_text(body_element)
    entry_base = joined_base(base, entry.get(importing.XML_BASE))
    return Entry(
        key=atom_value(entry, "id") or link,
        title=atom_text(next(iter(atom(entry, "title")), None)).as_text(),
        link=urljoin(entry_base, link) if link else "",
        date_text=next(filter(None, (atom_value(entry, name) for name in ATOM_DATES)), ""),
        summary=summary.as_html() if body is content else "",
        body=body.as_html(),
        author=atom_value(authors[0], "name") if authors else "",
        category=(categories[0].get("label") or categories[0].get("term", "")) if categories
        else "",
        images=media_urls(entry),
        base=joined_base(entry_base, body_element.get(importing.XML_BASE)
                         if body_element is not None else None),  # fmt: skip
    )


ATOM_DATES = ("published", "issued", "updated", "modified", "created")


def mend(entry: Entry) -> Entry:
    """The entry's texts with twice-encoded UTF-8 undone."""
    return dataclasses.replace(
        entry, title=importing.mended(entry.title), summary=importing.mended(entry.summary),
        body=importing.mended(entry.body), author=importing.mended(entry.author),
        category=importing.mended(entry.category))


class Importer(importing.ArchiveImporter):
    def __init__(self, source: str, options: Options, report: Report, own_host: str = ""):
        super().__init__(f"{SOURCE} {source}", SOURCE, options, report)
        self.own_host = own_host  # the old site's links become paths its redirects answer
        self.categories = importing.Categories(report)

    def entry(self, entry: Entry) -> None:
        entry = mend(entry)
        if not entry.title and not importing.plain(entry.body):
            self.report.add("mục rỗng bỏ qua (không tiêu đề, không nội dung)")
            return
        key = entry.key or hashlib.sha256(f"{entry.title}|{entry.date_text}".encode()).hexdigest()
        label = entry.title[:80] or key
        if not self.seen(key, "post"):
            self.make(label, lambda: self.save(entry, key, label))

    def unescaped(self, markup: str, kept: str, label: str) -> None:
        """HTML a feed wrote as XML is read as HTML; say so, and whether text was lost."""
        self.report.add("mô tả có HTML không mã hóa (đọc như HTML)")
        given = len(re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]*>", "", markup))))
        lost = given - len(re.sub(r"\s+", "", kept))
        if lost > 0:
            self.report.problem(label, f"Mô tả có HTML không mã hóa: {lost} ký tự chữ nằm trong "
                                       "thẻ không được phép (script, style...) đã bị bỏ.")

    def save(self, entry: Entry, key: str, label: str) -> None:
        moment = parse_date(entry.date_text, self.zone)
        if moment is None:
            self.report.problem(label, "Không có ngày đăng hợp lệ; dùng thời điểm nhập.")
            moment = utcnow()
        base = entry.base or entry.link
        body = importing.absolute_links(entry.body, base, self.own_host)
        body = importing.rewrite_images(body, self.images, base=base)
        body, text = importing.clean_body(body)
        if entry.unescaped:
            self.unescaped(entry.body, text, label)
        lead = next(filter(None, (self.images.picture(url) for url in entry.images)), None)
        summary = importing.summary_or_lead(importing.plain(entry.summary), text, self.report)
        title = re.sub(r"\s+", " ", entry.title).strip()[:TITLE_MAX] or "Tin không có tiêu đề"
        self.report.add("tin bài")
        category_id = self.categories.id_for(entry.category or importing.DEFAULT_CATEGORY)
        self.keep(lambda: Article(
            title=title, slug=slugify(title), summary=shorten(summary, SUMMARY_LENGTH),
            body=body, body_text=text, category_id=category_id, author=entry.author[:120],
            status=PUBLISHED, publish_at=moment, created_at=moment, updated_at=moment,
            image_id=lead.id if lead else None, image_alt=title if lead else "",
        ), key, "post", [entry.link], f"(tin {label})")  # fmt: skip


def feed_source(path: str, fallback: str) -> str:
    """The feed's identity: its own site link, else what the operator gave."""
    for name, element in importing.xml_items(path, {"link", "atom:link", "atom:id"}):
        if name == "link" and (element.text or "").strip():
            return element.text.strip()
        if name == "atom:id" and (element.text or "").strip():
            return element.text.strip()
        if name == "atom:link" and element.get("rel", "alternate") == "alternate":
            return element.get("href", fallback)
    return fallback


def site_address(path: str) -> str:
    """The old site's address the feed names (its channel link, its alternate link)."""
    for name, element in importing.xml_items(path, {"link", "atom:link"}):
        if name == "link" and (element.text or "").strip():
            return element.text.strip()
        if name == "atom:link" and element.get("rel", "alternate") == "alternate":
            return element.get("href", "")
    return ""


FEED_ROOTS = ("rss", "atom:feed", "rdf:RDF", "feed")
ATOM_ENTRIES = ("atom:entry", "entry", "atom:item")  # <item> in an Atom feed: read it as one


def import_file(path: str, given: str, options: Options, on_progress=None) -> Report:
    """Import every item of a feed in one transaction (nothing at all in a dry run)."""
    report = Report(dry_run=options.dry_run)
    root = importing.root_element(path)
    if importing.tag_name(root.tag) not in FEED_ROOTS:
        raise importing.ImportRefused("Tệp không phải nguồn tin RSS hay Atom.")
    site = site_address(path)
    # Relative links mean the feed's own address (a URL given), else its site's, else what
    # its xml:base says.
    base = joined_base(given if importing.is_url(given) else site, root.get(importing.XML_BASE))
    importer = Importer(feed_source(path, given), options, report, urlsplit(site).hostname or "")
    names = {"item", *ATOM_ENTRIES}

    def work() -> None:
        for name, element in importing.xml_items(path, names, on_progress):
            entry = atom_entry(element, base) if name in ATOM_ENTRIES else \
                rss_entry(element, base)
            importer.entry(entry)
        importer.end_batch()
        importer.require(("tin bài", "đã nhập lần trước"),
                         "Nguồn tin không có mục nào nhập được; không nhập gì.")

    return importer.run(f"Nguồn tin {given}", work)
