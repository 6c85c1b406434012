"""What every template can use, registered here and nowhere else: the site's identity and
menus, Vietnamese dates, URLs, picture markup, and the desk's small helpers.

`init_app` installs them from four tables: the helpers every Bantin app shares (`SHARED_*`)
and a commune's site's own (`GLOBALS`, `FILTERS`). An audience with helpers of its own (the
province's pages) adds them with `extend`, which refuses a name already taken, so "where does
this template name come from?" has one answer.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, g, request, session, url_for
from flask_login import current_user
from jinja2 import BytecodeCache
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

import documents
import feeds
import models
import participation
import vietnamese
import workflow
from forms import AttachmentUploadForm
from media import files, markup, uploads
from models import (
    SETTING_CHOICES,
    SETTINGS,
    Article,
    Category,
    Media,
    Page,
    Setting,
    db,
    id_or_none,
)
from web import assets, devices, logs
from web.urls import absolute_url, article_url, link_args

# The forms whose local copies the browser may drop, set by the desk after a save.
SAVED_DRAFTS = "saved_drafts"


def site_settings() -> dict[str, str]:
    """Return the site's settings, read once per request."""
    if "site" not in g:
        g.site = Setting.values()
    return g.site


def menu() -> dict:
    """Return the main menu (what the desk arranged) and the footer's pages, read once per
    request."""
    if "menu" not in g:
        g.menu = {
            "categories": db.session.scalars(Category.menu()).all(),
            "pages": db.session.scalars(
                select(Page).where(Page.in_menu).order_by(Page.position, Page.title)
            ).all(),
        }
        g.menu["main"] = main_menu_items(models.main_menu_entries())
    return g.menu


@dataclass
class MenuItem:
    entry: str
    label: str
    url: str
    current: bool = False
    lang: str = "vi"


# Lists the main menu may hold besides categories and pages: entry -> (label, endpoint, the
# endpoints it is the current item for, by prefix).
FIXED_ENTRIES = {
    models.DOCUMENTS_ENTRY: ("Văn bản", "public.documents_list",
                             ("public.documents_list", "public.document")),
    models.QUESTIONS_ENTRY: ("Hỏi đáp", "citizens.questions",
                             ("citizens.question", "citizens.ask")),
    models.SCHEDULE_ENTRY: ("Lịch công tác", "citizens.schedule", ("citizens.schedule",)),
    models.POLLS_ENTRY: ("Thăm dò ý kiến", "citizens.polls", ("citizens.poll",)),
}  # fmt: skip


def main_menu_items(entries: list[str]) -> list[MenuItem]:
    """Turn the menu's entries into links; entries whose category or page is gone are left
    out. Two queries, whatever the menu holds."""
    wanted = {"category": set(), "page": set()}
    for entry in entries:
        kind, _, number = entry.partition(":")
        if kind in wanted and number.isdigit():
            wanted[kind].add(int(number))
    categories = {item.id: item for item in db.session.scalars(
        select(Category).where(Category.id.in_(wanted["category"])))}  # fmt: skip
    pages = {item.id: item for item in db.session.scalars(
        select(Page).where(Page.id.in_(wanted["page"])))}  # fmt: skip
    items = []
    for entry in entries:
        item = menu_item(entry, categories, pages)
        if item is not None:
            items.append(item)
    return items


def menu_item(entry: str, categories: dict, pages: dict) -> MenuItem | None:
    kind, _, number = entry.partition(":")
    args = request.view_args or {}
    if entry in FIXED_ENTRIES:
        label, endpoint, prefixes = FIXED_ENTRIES[entry]
        current = (request.endpoint or "").startswith(prefixes)
        return MenuItem(entry, label, url_for(endpoint), current)
    found = (categories if kind == "category" else pages).get(int(number)) \
        if kind in ("category", "page") and number.isdigit() else None  # fmt: skip
    if found is None:
        return None
    if kind == "category":
        current = request.endpoint == "public.category" and args.get("slug") == found.slug
        return MenuItem(entry, found.name, url_for("public.category", slug=found.slug), current)
    current = request.endpoint == "public.page" and args.get("slug") == found.slug
    return MenuItem(entry, found.title, url_for("public.page", slug=found.slug), current,
                    found.lang)  # fmt: skip


def inject_site() -> dict:
    try:
        return {"site": site_settings(), "menu": menu()}
    except SQLAlchemyError:
        # The error page must still render when the database itself is what failed.
        db.session.rollback()
        current_app.logger.exception("Could not read settings for the page layout")
        defaults = {key: default for key, (_, default) in SETTINGS.items()}
        return {"site": defaults, "menu": {"categories": [], "pages": [], "main": []}}


def now():
    """Return the current UTC time (through models, so tests can move the clock)."""
    return models.utcnow()


def request_id() -> str:
    return logs.current_request_id() or ""


def here() -> str:
    """The page being shown, as a local path with its query (for links that come back)."""
    return request.full_path.rstrip("?")


def save_data_switch_url(on: bool) -> str:
    """Return the data-saver switch link that comes back to the page being shown."""
    return url_for("public.save_data_switch", bat="1" if on else "0", next=here())


def lead_image_link(media) -> str:
    """The data-saving stand-in for a lead image, usable in saved copies too."""
    return markup.image_link(media, base=absolute_url(""))


def article_json_ld(article: Article, site_name: str):
    """Return the article's schema.org NewsArticle block content (valid JSON, safe in HTML)."""
    return feeds.json_ld(feeds.news_article_data(article, site_name))


def may_attach(owner) -> bool:
    return current_user.is_authenticated and current_user.can_attach(owner)


def attachment_form(owner) -> AttachmentUploadForm:
    """Return the upload form of templates/admin/_attachments.html, aimed at its owner."""
    return AttachmentUploadForm.for_owner(owner, next=here())


def site_image(key: str) -> Media | None:
    """Return the image a setting names (the logo, the banner), or None when there is none."""
    value = site_settings().get(key, "")
    media_id = id_or_none(value)
    media = db.session.get(Media, media_id) if media_id else None
    return media if media is not None and media.is_image else None


def icon_url(size: int) -> str:
    """Return the address of the site's icon at a size; it changes when the logo does."""
    logo = site_image("logo")
    return url_for("public.icon", size=size, v=logo.id if logo else 0)


def share_image_url() -> str:
    """Return the absolute address of the picture shared links show for a page without its
    own: the default share picture of the settings, else the site's icon."""
    picture = site_image("share_image")
    if picture is None:
        return absolute_url(icon_url(180))
    return absolute_url(url_for("public.rendition", media_id=picture.id, width=960, fmt="jpg"))


def theme() -> str:
    """Return the colour theme chosen in the settings (a known one, whatever is stored)."""
    chosen = site_settings().get("theme", "")
    return chosen if chosen in SETTING_CHOICES["theme"] else SETTINGS["theme"][1]


def phone_href(number: str) -> str:
    """Turn a phone number as written ("0209 3 812 345") into a tel: link."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def phone_links(body: str) -> Markup:
    """Show a sanitised body with the phone numbers it writes as tel: links."""
    return Markup(vietnamese.link_phone_numbers(str(body)))


def latest_articles(limit: int = 5) -> list[Article]:
    """Return the newest visible articles, for the side column."""
    return db.session.scalars(Article.visible().limit(limit)).all()


def latest_documents(limit: int = 5) -> list:
    """Return the newest documents, for the side column."""
    return db.session.scalars(documents.newest_first().limit(limit)).all()


def saved_drafts() -> list[str]:
    """Return, once, the forms whose local copies the browser may drop."""
    return session.pop(SAVED_DRAFTS, [])


def timedelta_days(days: int) -> timedelta:
    """A number of days, to step between weeks in templates."""
    return timedelta(days=days)


def todays_schedule():
    """Today's lines of the published week's schedule, for the home page."""
    return participation.entries_on(participation.today())


# Helpers that read no site's data: every Bantin app has them, the province's entry app too.
SHARED_GLOBALS = {
    "asset_url": assets.asset_url,
    "now": now,
    "request_id": request_id,
}
SHARED_FILTERS = {
    "weekday_date": vietnamese.weekday_date,
    "weekday_name": vietnamese.weekday_name,
    "short_date": vietnamese.short_date,
    "date_time": vietnamese.date_time,
    "long_date_time": vietnamese.long_date_time,
    "file_size": vietnamese.file_size,
    # Every text in an XML template (feeds, sitemaps) goes through this.
    "xml_text": feeds.xml_safe,
    # Query arguments kept in page links, never url_for's own options.
    "link_args": link_args,
}
# A commune's site: its identity and menus, pictures, the citizens' part and the desk.
GLOBALS = {
    # Reader pages
    "article_url": article_url,
    "absolute_url": absolute_url,
    "reader_stylesheet": assets.reader_stylesheet,
    "document_url": documents.document_url,
    "document_slug": documents.document_slug,
    "document_status": documents.status,
    "article_json_ld": article_json_ld,
    "w3c_time": feeds.w3c,
    "lead_image_url": feeds.lead_image_url,
    # Pictures and the data saver
    "save_data": markup.save_data,
    "save_data_switch_url": save_data_switch_url,
    "picture_html": markup.picture_html,
    "lead_image_link": lead_image_link,
    # The site's identity and the side column
    "site_image": site_image,
    "icon_url": icon_url,
    "share_image_url": share_image_url,
    "theme": theme,
    "phone_href": phone_href,
    "latest_articles": latest_articles,
    "latest_documents": latest_documents,
    # Citizens' part
    "question_url": participation.question_url,
    "topic_label": participation.topic_label,
    "today": participation.today,
    "week_end": participation.week_end,
    "timedelta_days": timedelta_days,
    "todays_schedule": todays_schedule,
    # The editor desk
    "upload_limit": uploads.limit,
    "article_status": workflow.describe,
    "article_state": workflow.state,
    "waiting_count": workflow.waiting_count,
    "may_attach": may_attach,
    "attachment_form": attachment_form,
    "saved_drafts": saved_drafts,
}
FILTERS = {
    "file_kind": files.file_kind,
    "device_name": devices.device_name,
    "device_model": devices.device_model,
    "responsive_images": markup.responsive_images,
    "phone_links": phone_links,
}


class SharedTemplates(BytecodeCache):
    """Compiled templates kept in memory for every app of the process.

    A province's process holds one app per site, each with its own Jinja environment; without
    this each would parse and compile every template again on its site's first request (most
    of that request's time). Every Bantin app configures Jinja the same way (`init_app`), so
    the code compiled for one environment is the code for all; the checksum of the source
    still decides, so an edited template is compiled again.
    """

    def __init__(self):
        self.codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


SHARED_TEMPLATES = SharedTemplates()


def init_app(app: Flask, site: bool = True) -> None:
    """Install the shared helpers and, for a commune's site (`site`), the layout's context
    and the site's own globals and filters."""
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    extend(app, SHARED_GLOBALS, SHARED_FILTERS)
    if site:
        app.context_processor(inject_site)
        extend(app, GLOBALS, FILTERS)


def extend(app: Flask, globals_: dict | None = None, filters: dict | None = None) -> None:
    """Add an audience's own template helpers (the province's) beside the shared ones. A name
    registered twice is a mistake: each template name keeps one answer."""
    tables = ((app.jinja_env.globals, globals_ or {}), (app.jinja_env.filters, filters or {}))
    twice = sorted(name for table, new in tables for name in new
                   if name in table and table[name] is not new[name])  # fmt: skip
    if twice:
        raise ValueError(f"template helpers registered twice: {', '.join(twice)}")
    for table, new in tables:
        table.update(new)
