"""Importing a WordPress export (WXR): posts become articles, pages become pages.

Two streaming passes over the file: the first notes the authors, categories and attachments
(small, and attachments may come after the posts that show them), the second imports posts
and pages one by one. WordPress's own markup is understood before the sanitiser runs:
`<!--more-->` (the teaser becomes the summary when there is no excerpt), `[caption]` (a
figure with its caption), `[gallery ids=...]` (a figure per image), `[embed]` and media
shortcodes (a link), other shortcodes (removed, their text kept), block comments, and
paragraphs written as blank lines (`ops.wpautop`, WordPress's own wpautop steps).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from models import DRAFT, PENDING, PUBLISHED, TITLE_MAX, Article, Category, Page, db, utcnow
from ops import importing, wpautop
from ops.importing import Options, Report, child_text, children
from vietnamese import shorten, slugify

SOURCE = "wordpress"
STATUSES = {"publish": PUBLISHED, "future": PUBLISHED, "draft": DRAFT, "pending": PENDING,
            "private": DRAFT}  # fmt: skip
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
NO_DATE = "0000-00-00 00:00:00"
UNTITLED = "Bài không có tiêu đề"
NOT_WXR = (
    "Tệp này không phải tệp xuất WordPress (WXR): không có số phiên bản <wp:wxr_version> "
    "hợp lệ trong không gian tên wordpress.org/export/. Hãy xuất lại từ WordPress (Công cụ → "
    "Xuất → Tất cả nội dung); một nguồn tin RSS hay Atom thường thì nhập bằng "
    "`flask import-feed`."
)
PROTECTED_POST = (
    "Bài có mật khẩu trên trang cũ: nhập thành bản nháp, không công khai và không chuyển "
    "địa chỉ cũ; biên tập viên xem lại rồi mới đăng."
)
PROTECTED_PAGE = (
    "Trang có mật khẩu trên trang cũ: trang tĩnh không có bản nháp, nên không nhập (chép tay "
    "nếu cần)."
)


@dataclass
class Attachment:
    url: str
    file: str
    title: str
    caption: str
    alt: str


@dataclass
class Site:
    """What the first pass learns about the export."""

    source: str = ""
    host: str = ""
    authors: dict[str, str] = field(default_factory=dict)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # nicename: name, parent
    term_ids: dict[str, str] = field(default_factory=dict)  # nicename: term id (for ?cat=ID)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    items: int = 0
    version: str = ""

    def category_path(self, nicename: str) -> tuple[str, ...]:
        """The names from the top category down to this one ("Tin tức", "Văn hóa")."""
        path: list[str] = []
        while nicename in self.categories and len(path) < 10:  # a loop in a broken export
            name, nicename = self.categories[nicename]
            path.insert(0, html.unescape(name))
        return tuple(path)


def postmeta(item: Element) -> dict[str, str]:
    return {child_text(meta, "wp:meta_key"): child_text(meta, "wp:meta_value")
            for meta in children(item, "wp:postmeta")}  # fmt: skip


def scan(path: str, on_progress=None) -> Site:
    """First pass: the site's address, authors, categories and attachments."""
    site = Site()
    names = {"wp:author", "wp:category", "item", "link", "wp:base_site_url", "wp:wxr_version"}
    for name, element in importing.xml_items(path, names, on_progress):
        if name == "wp:wxr_version":
            site.version = (element.text or "").strip()
        elif name in ("wp:base_site_url", "link") and not site.source:
            site.source = (element.text or "").strip()
        elif name == "wp:author":
            login = child_text(element, "wp:author_login")
            site.authors[login] = importing.mended(child_text(element, "wp:author_display_name")
                                                   or login)  # fmt: skip
        elif name == "wp:category":
            nicename = child_text(element, "wp:category_nicename")
            site.categories[nicename] = (importing.mended(child_text(element, "wp:cat_name")),
                                         child_text(element, "wp:category_parent"))  # fmt: skip
            site.term_ids[nicename] = child_text(element, "wp:term_id")
        elif name == "item":
            site.items += 1
            if child_text(element, "wp:post_type") == "attachment":
                meta = postmeta(element)
                site.attachments[child_text(element, "wp:post_id")] = Attachment(
                    url=child_text(element, "wp:attachment_url") or child_text(element, "guid"),
                    file=meta.get("_wp_attached_file", ""),
                    title=child_text(element, "title"),
                    caption=child_text(element, "excerpt:encoded"),
                    alt=meta.get("_wp_attachment_image_alt", ""),
                )  # fmt: skip
    site.host = urlsplit(site.source).hostname or ""
    return site


# --- Bodies -----------------------------------------------------------------------------------

MORE = re.compile(r"<!--more(.*?)-->", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
CAPTIONED = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.I)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
MEDIA_SHORTCODE = re.compile(r"\[(video|audio|playlist)([^\]]*)\](?:.*?\[/\1\])?", re.S | re.I)
SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)((?:\s[^\[\]]*)?)(/?)\]")
CLOSING = re.compile(r"\[/([a-z][a-z0-9_-]*)\]")
# Shortcodes WordPress and its common plugins register, removed even without attributes.
KNOWN = {"caption", "gallery", "embed", "video", "audio", "playlist", "wp_caption",
         "contact-form-7", "contact-form", "wpforms", "su_button", "vc_row", "vc_column",
         "vc_column_text", "et_pb_section", "et_pb_row", "et_pb_text", "fusion_builder"}
# A URL alone on its line: WordPress showed it as an embed (before wpautop), we as a link.
BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M | re.I)


def shortcode_attributes(text: str) -> dict[str, str]:
    return dict(re.findall(r"""([a-zA-Z_]+)\s*=\s*["']([^"']*)["']""", text))


def caption(match: re.Match) -> str:
    """[caption ...]<img ...> Văn bản chú thích[/caption] -> <figure> with <figcaption>."""
    found = CAPTIONED.match(match[2])
    if not found:
        return match[2]
    text = found[2].strip() or shortcode_attributes(match[1]).get("caption", "")
    caption_html = f"<figcaption>{text}</figcaption>" if text else ""
    return f"\n\n<figure>{found[1]}{caption_html}</figure>\n\n"


def gallery(site: Site):
    def replace(match: re.Match) -> str:
        ids = shortcode_attributes(match[1]).get("ids", "")
        figures = []
        for attachment_id in re.findall(r"\d+", ids):
            attachment = site.attachments.get(attachment_id)
            if attachment:
                text = attachment.caption and f"<figcaption>{attachment.caption}</figcaption>"
                figures.append(f'<figure><img src="{attachment.url}" alt="{attachment.alt}">'
                               f"{text}</figure>")  # fmt: skip
        return "\n\n" + "\n\n".join(figures) + "\n\n"

    return replace


def media_link(match: re.Match) -> str:
    found = shortcode_attributes(match[2])
    url = found.get("src") or next((v for v in found.values() if v.startswith("http")), "")
    return f"\n\n<p><a href=\"{url}\">{url}</a></p>\n\n" if url else ""


def strip_shortcodes(body: str) -> str:
    """Remove the shortcodes WordPress would have run, keeping the text between their tags;
    bracketed words that are not shortcodes ("[Trở về]", "[1]", "[xem thêm]") stay."""
    closed = set(CLOSING.findall(body))

    def replace(match: re.Match) -> str:
        closing, name, args, slash = match[1], match[2], match[3], match[4]
        if closing or name in KNOWN or name in closed or slash or "=" in args:
            return ""
        return match[0]

    return SHORTCODE.sub(replace, body)


def relink(body: str, host: str) -> str:
    """Make links to the old site relative, so the redirects answer them on this one."""
    if not host:
        return body
    return re.sub(rf"""(href=["'])https?://{re.escape(host)}(?=[/"'?])""", r"\1", body, flags=re.I)


def wordpress_html(content: str, site: Site) -> tuple[str, str]:
    """Return (body markup, teaser markup) with WordPress's own markup turned into HTML."""
    more = MORE.search(content)
    teaser = content[: more.start()] if more else ""
    body = content.replace("<!--nextpage-->", "\n\n")
    body = CAPTION.sub(caption, body)
    body = GALLERY.sub(gallery(site), body)
    body = EMBED.sub(lambda m: f"\n\n{m[1].strip()}\n\n", body)
    body = MEDIA_SHORTCODE.sub(media_link, body)
    body = COMMENT.sub("", strip_shortcodes(body))
    body = BARE_URL.sub(lambda m: f'<p><a href="{m[1]}">{m[1]}</a></p>', body)
    return wpautop.autop(relink(body, site.host)), teaser


# --- Items --------------------------------------------------------------------------------------


def protected(item: Element) -> bool:
    """Whether the old site asked readers for a password before showing the item."""
    return bool(child_text(item, "wp:post_password"))


def item_title(item: Element) -> str:
    """WordPress keeps titles with HTML entities ("Lễ hội &#8220;Đình làng&#8221;")."""
    title = importing.mended(html.unescape(child_text(item, "title")))
    return title[:TITLE_MAX].strip() or UNTITLED


def item_date(item: Element, zone, report: Report, label: str) -> datetime:
    """Prefer the GMT date; a draft's is 0000-00-00, so read its local date in the site's zone."""
    for name, local in (("wp:post_date_gmt", False), ("wp:post_date", True)):
        text = child_text(item, name)
        if text and text != NO_DATE:
            try:
                moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return importing.aware(moment, zone) if local else moment.replace(tzinfo=UTC)
    try:
        return importing.aware(parsedate_to_datetime(child_text(item, "pubDate")), zone)
    except (TypeError, ValueError):
        report.problem(label, "Không có ngày đăng hợp lệ; dùng thời điểm nhập.")
        return utcnow()


def old_links(item: Element, moment: datetime, zone, post_id: str, kind: str) -> list[str]:
    """Every address WordPress answered for this item: its permalink, ?p=, the dated path."""
    links = [child_text(item, "link"), child_text(item, "guid"), f"/?p={post_id}"]
    name = child_text(item, "wp:post_name")
    if kind == "page":
        links.append(f"/?page_id={post_id}")
    elif name:
        local = moment.astimezone(zone)
        links += [f"/{local:%Y/%m/%d}/{name}/", f"/{local:%Y/%m}/{name}/"]
    return [link for link in links if link]


class Importer(importing.ArchiveImporter):
    """The second pass: one post or page at a time, each inside the one transaction."""

    def __init__(self, site: Site, options: Options, report: Report):
        super().__init__(f"{SOURCE} {site.source}".strip(), SOURCE, options, report,
                         marker="/wp-content/uploads/")  # fmt: skip
        self.site = site
        self.categories = importing.Categories(report)
        self.categories.slugs = {site.category_path(nicename): unquote(nicename)
                                 for nicename in site.categories}  # fmt: skip

    def item(self, item: Element) -> None:
        kind = child_text(item, "wp:post_type")
        if kind not in ("post", "page"):
            if kind != "attachment":
                self.report.add("mục khác bỏ qua")
            return
        post_id = child_text(item, "wp:post_id")
        label = f"#{post_id} {child_text(item, 'title')[:80]}"
        status = child_text(item, "wp:status")
        if status in SKIPPED_STATUSES or status not in STATUSES:
            self.report.add("bản nháp tự động, thùng rác")
            return
        if self.seen(post_id, kind):
            return
        make = self.post if kind == "post" else self.page
        self.make(label, lambda: make(item, post_id, status, label))

    def target_of(self, row: Article | Page) -> str:
        if isinstance(row, Page):
            return importing.local_path("public.page", slug=row.slug)
        return super().target_of(row)

    def body(self, item: Element) -> tuple[str, str, str]:
        """Return the cleaned body, its text, and the teaser's text."""
        content, teaser = wordpress_html(importing.mended(child_text(item, "content:encoded")),
                                         self.site)  # fmt: skip
        content = importing.rewrite_images(content, self.images)
        body, text = importing.clean_body(content)
        return body, text, importing.plain(teaser)

    def lead_image(self, item: Element):
        attachment = self.site.attachments.get(postmeta(item).get("_thumbnail_id", ""))
        if attachment is None:
            return None, None
        picture = self.images.picture(attachment.url, attachment.file or None, attachment.title)
        return picture, attachment

    def category_id(self, item: Element) -> int:
        for element in children(item, "category"):
            if element.get("domain") == "category":
                nicename = element.get("nicename", "")
                if nicename in self.site.categories:
                    path = self.site.category_path(nicename)
                    return self.categories.id_for(path[-1], path[:-1])
                return self.categories.id_for((element.text or "").strip())
        return self.categories.id_for(importing.DEFAULT_CATEGORY)

    def post(self, item: Element, post_id: str, wp_status: str, label: str) -> None:
        moment = item_date(item, self.zone, self.report, label)
        body, text, teaser = self.body(item)
        picture, attachment = self.lead_image(item)
        title = item_title(item)
        summary = importing.summary_or_lead(
            importing.plain(importing.mended(child_text(item, "excerpt:encoded"))) or teaser,
            text, self.report)
        author = child_text(item, "dc:creator")
        status = STATUSES[wp_status]
        if wp_status == "private":
            self.report.problem(label, "Bài riêng tư (private): nhập thành bản nháp.")
        elif protected(item):
            # This site has no per-post password: publishing would show it to everyone.
            status = DRAFT
            self.report.problem(label, PROTECTED_POST)
        self.report.add("tin bài")
        # Drafts', protected and scheduled posts' addresses were not open to all: they get no
        # redirect, which would tell anyone the new address, and so the title, of hidden work.
        public = wp_status == "publish" and status == PUBLISHED
        links = old_links(item, moment, self.zone, post_id, "post") if public else []
        category_id = self.category_id(item)
        self.keep(lambda: Article(
            title=title, slug=slugify(title), summary=shorten(summary, 500),
            body=body, body_text=text, category_id=category_id,
            author=self.site.authors.get(author, author)[:120], status=status,
            publish_at=moment if status == PUBLISHED else None,
            created_at=moment, updated_at=moment,
            image_id=picture.id if picture else None,
            image_caption=importing.plain(attachment.caption)[:500] if picture else "",
            image_alt=(attachment.alt or attachment.title)[:TITLE_MAX] if picture else "",
        ), post_id, "post", links, f"(bài #{post_id})")  # fmt: skip

    def page(self, item: Element, post_id: str, wp_status: str, label: str) -> None:
        if wp_status != "publish":
            self.report.problem(label, "Trang chưa đăng: trang tĩnh không có bản nháp, không nhập.")
            return
        if protected(item):
            self.report.problem(label, PROTECTED_PAGE)
            return
        moment = item_date(item, self.zone, self.report, label)
        body, _, _ = self.body(item)
        title = item_title(item)
        self.report.add("trang")
        links = old_links(item, moment, self.zone, post_id, "page")
        self.keep(lambda: new_page(title, body, moment), post_id, "page", links,
                  f"(trang #{post_id})")  # fmt: skip


def new_page(title: str, body: str, moment: datetime) -> Page:
    page = Page(title=title, slug=free_page_slug(slugify(title, max_length=110)), body=body,
                in_menu=False, created_at=moment, updated_at=moment)  # fmt: skip
    db.session.add(page)  # at once: the next page's free slug must see this one
    return page


def free_page_slug(slug: str) -> str:
    """Return `slug`, or `slug-2`, `slug-3`...: a page of the site keeps its address."""
    taken = set(db.session.scalars(db.select(Page.slug).where(Page.slug.startswith(slug))))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def category_redirects(site: Site, importer: Importer) -> None:
    """/category/<nicename>/ and /?cat=ID answered the old category pages; send them to ours
    (in a dry run, count them just the same)."""
    for nicename in site.categories:
        category_id = importer.categories.ids.get(site.category_path(nicename))
        if category_id is None:
            continue  # no post of the export is in it: the category was not made
        if category_id:
            category = db.session.get(Category, category_id)
            target = importing.local_path("public.category", slug=category.slug)
        else:
            target = f"(chuyên mục {nicename})"
        importer.ledger.redirect(f"/category/{nicename}/", target)
        if site.term_ids.get(nicename):
            importer.ledger.redirect(f"/?cat={site.term_ids[nicename]}", target)
    importer.ledger.write()


def import_file(path: str, options: Options, on_progress=None) -> Report:
    """Import a WordPress export in one transaction (nothing at all in a dry run)."""
    report = Report(dry_run=options.dry_run)
    site = scan(path, on_progress)
    if not re.fullmatch(r"\d+\.\d+", site.version):
        raise importing.ImportRefused(NOT_WXR)
    importer = Importer(site, options, report)

    def work() -> None:
        for _, element in importing.xml_items(path, {"item"}, on_progress):
            importer.item(element)
        importer.end_batch()
        importer.require(("tin bài", "trang", "đã nhập lần trước"),
                         f"Tệp xuất WordPress không có bài viết hay trang nào nhập được "
                         f"({site.items} mục{', xem các vấn đề ở trên' if report.problems else ''}"
                         "); không nhập gì.")  # fmt: skip
        category_redirects(site, importer)

    return importer.run(f"WordPress {site.source or path}", work)
