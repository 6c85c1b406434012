"""Importing an RSS 2.0 or Atom feed: for portals (NukeViet and others) that offer nothing else.

Each item becomes a published article with its date, summary and body (content:encoded or
Atom content, else the description); its images (enclosures, Media RSS, inline <img>) are
taken from a local copy of the old site (`--uploads`, the folder holding the site's files
by their paths) or, with `--fetch`, downloaded. The item's link answers 301 to the article.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, tostring
from zoneinfo import ZoneInfo

import sanitize
from models import PUBLISHED, TITLE_MAX, Article, db, utcnow
from ops import importing
from ops.importing import Images, Options, Report, child_text, children, tag_name
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


def rss_entry(item: Element) -> Entry:
    description = child_text(item, "description")
    content = child_text(item, "content:encoded")
    link = child_text(item, "link")
    categories = children(item, "category")
    return Entry(
        key=child_text(item, "guid") or link,
        title=html.unescape(child_text(item, "title")),
        link=link,
        date_text=child_text(item, "pubDate") or child_text(item, "dc:date"),
        summary=description if content else "",
        body=content or description,
        author=child_text(item, "dc:creator") or child_text(item, "author"),
        category=(categories[0].text or "").strip() if categories else "",
        images=media_urls(item),
    )


def atom_content(element: Element | None) -> str:
    """Return an Atom text construct as HTML, whichever type it is."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        markup = "".join(tostring(child, encoding="unicode") for child in element)
        markup = re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", markup)
        return re.sub(r"<(/?)\w+:", r"<\1", markup)  # "<html:p>" -> "<p>"
    text = element.text or ""
    return text if kind == "html" else f"<p>{html.escape(text)}</p>"


def atom_entry(entry: Element) -> Entry:
    links = children(entry, "atom:link")
    link = next((x.get("href", "") for x in links if x.get("rel", "alternate") == "alternate"), "")
    authors = children(entry, "atom:author")
    categories = children(entry, "atom:category")
    summary = atom_content(next(iter(children(entry, "atom:summary")), None))
    content = atom_content(next(iter(children(entry, "atom:content")), None))
    return Entry(
        key=child_text(entry, "atom:id") or link,
        title=html.unescape(child_text(entry, "atom:title")),
        link=link,
        date_text=child_text(entry, "atom:published") or child_text(entry, "atom:updated"),
        summary=summary if content else "",
        body=content or summary,
        author=child_text(authors[0], "atom:name") if authors else "",
        category=(categories[0].get("label") or categories[0].get("term", "")) if categories
        else "",
        images=media_urls(entry),
    )


class Importer:
    def __init__(self, source: str, options: Options, report: Report):
        self.zone = ZoneInfo(options.timezone)
        self.report = report
        self.ledger = importing.Ledger(f"{SOURCE} {source}", report, SOURCE)
        self.images = Images(report, self.ledger, options.uploads, options.fetch)
        self.categories = importing.Categories(report)
        self.waiting: list[tuple[Article, str, str]] = []

    def entry(self, entry: Entry) -> None:
        key = entry.key or hashlib.sha256(f"{entry.title}|{entry.date_text}".encode()).hexdigest()
        label = entry.title[:80] or key
        if self.ledger.remembered(key, "post") is not None:
            self.report.add("đã nhập lần trước")
            return
        try:
            self.save(entry, key, label)
        except sanitize.BodyRejected as err:
            self.report.problem(label, str(err))
        if len(self.waiting) >= importing.BATCH:
            self.end_batch()

    def end_batch(self) -> None:
        """Give the batch's articles their ids, remember them, point their old links at them."""
        if self.report.dry_run:
            return
        db.session.add_all(article for article, _, _ in self.waiting)  # one flush per batch
        db.session.flush()
        for article, key, link in self.waiting:
            self.ledger.remember(key, "post", article.id)
            target = importing.local_path("public.article", slug=article.slug,
                                          article_id=article.id)  # fmt: skip
            self.ledger.redirect(link, target)
        self.ledger.write()
        self.waiting = []
        importing.end_batch()

    def save(self, entry: Entry, key: str, label: str) -> None:
        moment = parse_date(entry.date_text, self.zone)
        if moment is None:
            self.report.problem(label, "Không có ngày đăng hợp lệ; dùng thời điểm nhập.")
            moment = utcnow()
        body = importing.rewrite_images(entry.body, self.images, base=entry.link)
        body, text = importing.clean_body(body)
        lead = next(filter(None, (self.images.picture(url) for url in entry.images)), None)
        summary = importing.summary_or_lead(importing.plain(entry.summary), text, self.report)
        title = re.sub(r"\s+", " ", entry.title).strip()[:TITLE_MAX] or "Tin không có tiêu đề"
        self.report.add("tin bài")
        category_id = self.categories.id_for(entry.category or importing.DEFAULT_CATEGORY)
        if self.report.dry_run:
            self.ledger.would_redirect([entry.link], f"(tin {label})")
            return
        article = Article(
            title=title, slug=slugify(title), summary=shorten(summary, SUMMARY_LENGTH),
            body=body, body_text=text, category_id=category_id, author=entry.author[:120],
            status=PUBLISHED, publish_at=moment, created_at=moment, updated_at=moment,
            image_id=lead.id if lead else None, image_alt=title if lead else "",
        )  # fmt: skip
        self.ledger.claim(key, "post")
        self.waiting.append((article, key, entry.link))


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


def import_file(path: str, given: str, options: Options, on_progress=None) -> Report:
    """Import every item of a feed in one transaction (nothing at all in a dry run)."""
    report = Report(dry_run=options.dry_run)
    root = importing.root_name(path)
    if root not in ("rss", "atom:feed"):
        raise importing.ImportRefused("Tệp không phải nguồn tin RSS hay Atom.")
    importer = Importer(feed_source(path, given), options, report)
    names = {"item", "atom:entry"}
    try:
        for name, element in importing.xml_items(path, names, on_progress):
            importer.entry(atom_entry(element) if name == "atom:entry" else rss_entry(element))
        importer.end_batch()
        if not any(report.counts[name] for name in ("tin bài", "đã nhập lần trước")):
            raise importing.ImportRefused("Nguồn tin không có mục nào nhập được; không nhập gì.",
                                          report)  # fmt: skip
    except BaseException:
        db.session.rollback()
        raise
    importing.finish(report, f"Nguồn tin {given}")
    return report
