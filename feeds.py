"""RSS 2.0 feeds and sitemaps: what feed readers and search engines fetch from the site."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import func, select

import models
from documents import document_url
from models import Article, Category, Document, Page, Setting, db
from vietnamese import to_local
from web.urls import absolute_url, article_url

FEED_ITEMS = 30
# XML 1.0 forbids these (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF) and
# discourages C1 controls; Word pastes sometimes carry them into titles.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LOCAL_URL = re.compile(r'(?<=\s)(src|href|srcset)="([^"]*)"')


def rfc822(moment: datetime) -> str:
    """Format a time as RSS wants it, in Vietnam's zone: "Thu, 14 May 2026 10:00:00 +0700"."""
    return format_datetime(to_local(moment))


def w3c(moment: datetime) -> str:
    """Format a time as sitemaps want it: "2026-05-14T10:00:00+07:00"."""
    return to_local(moment).isoformat(timespec="seconds")


def absolute_links(html: str) -> str:
    """Make the body's links and images absolute: a feed reader is not on our site."""

    def fix(match: re.Match) -> str:
        urls = re.sub(r"(^|,\s*)(/[^\s,]*)", lambda m: m[1] + absolute_url(m[2]), match[2])
        return f'{match[1]}="{urls}"'

    return LOCAL_URL.sub(fix, html)


def xml_safe(text) -> str:
    """Return a text fit for an XML document whatever it holds; markup stays markup."""
    if text is None:
        return ""
    cleaned = XML_ILLEGAL.sub("", str(text))
    return Markup(cleaned) if isinstance(text, Markup) else cleaned


def full_text_wanted() -> bool:
    return Setting.values()["rss_full_text"].strip() not in ("", "0")


# --- RSS --------------------------------------------------------------------------------------


@dataclass
class FeedItem:
    title: str
    link: str
    published: str
    category: str
    author: str
    summary: str
    body: str


def feed_items(category: Category | None = None) -> tuple[list[FeedItem], datetime | None]:
    """Return the latest visible articles as feed items, and when the newest changed."""
    statement = Article.visible().limit(FEED_ITEMS)
    if category is not None:
        ids = [category.id, *(child.id for child in category.children)]
        statement = statement.where(Article.category_id.in_(ids))
    articles = db.session.scalars(statement).all()
    full = full_text_wanted()
    items = [
        FeedItem(
            title=xml_safe(article.title),
            link=absolute_url(article_url(article)),
            published=rfc822(article.publish_at),
            category=xml_safe(article.category.name),
            author=xml_safe(article.author),
            summary=xml_safe(article.summary),
            body=xml_safe(absolute_links(article.body)) if full else "",
        )
        for article in articles
    ]
    changed = max((max(a.updated_at, a.publish_at) for a in articles), default=None)
    return items, changed


# --- Sitemaps ---------------------------------------------------------------------------------


@dataclass
class SitemapUrl:
    loc: str
    lastmod: str


def max_urls() -> int:
    return current_app.config["SITEMAP_MAX_URLS"]


def fixed_urls():
    """Yield the home page, categories, static pages and the documents list."""
    newest = db.session.scalar(
        select(func.max(Article.publish_at)).where(Article.visibility())
    )
    yield url("public.home", newest or models.utcnow())
    latest_by_category = dict(
        db.session.execute(
            select(Article.category_id, func.max(Article.publish_at))
            .where(Article.visibility())
            .group_by(Article.category_id)
        ).all()
    )
    for category in db.session.scalars(select(Category).order_by(Category.position)):
        latest = latest_by_category.get(category.id)
        moment = max(category.updated_at, latest) if latest else category.updated_at
        yield url("public.category", moment, slug=category.slug)
    for page in db.session.scalars(select(Page).order_by(Page.position)):
        yield url("public.page", page.updated_at, slug=page.slug)
    documents_changed = db.session.scalar(select(func.max(Document.updated_at)))
    if documents_changed:
        yield url("public.documents_list", documents_changed)


def url(endpoint: str, moment: datetime, **values) -> SitemapUrl:
    return SitemapUrl(absolute_url(url_for(endpoint, **values)), w3c(moment))


def article_urls(offset: int, limit: int) -> list[SitemapUrl]:
    """Return visible articles, newest first, reading only the columns needed."""
    rows = db.session.execute(
        select(Article.id, Article.slug, Article.updated_at, Article.publish_at)
        .where(Article.visibility())
        .order_by(Article.publish_at.desc(), Article.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        SitemapUrl(
            absolute_url(url_for("public.article", slug=row.slug, article_id=row.id)),
            w3c(max(row.updated_at, row.publish_at)),
        )
        for row in rows
    ]


def document_urls(offset: int, limit: int) -> list[SitemapUrl]:
    rows = db.session.execute(
        select(Document.id, Document.number, Document.updated_at)
        .order_by(Document.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [SitemapUrl(absolute_url(document_url(row)), w3c(row.updated_at)) for row in rows]


def sources() -> list[tuple[int, Callable[[int, int], list[SitemapUrl]]]]:
    """Return the sitemap's sources in order, each as (how many, fetch(offset, limit))."""
    fixed = list(fixed_urls())
    articles = db.session.scalar(
        select(func.count()).select_from(Article).where(Article.visibility())
    )
    documents = db.session.scalar(select(func.count()).select_from(Document))
    return [
        (len(fixed), lambda offset, limit: fixed[offset : offset + limit]),
        (articles, article_urls),
        (documents, document_urls),
    ]


def sitemap_part_count() -> int:
    """Return how many sitemap files the site needs (1: /sitemap.xml holds every address)."""
    total = sum(count for count, _ in sources())
    return max(1, -(-total // max_urls()))


def sitemap_part(number: int) -> list[SitemapUrl]:
    """Return the addresses of sitemap file `number` (1-based), querying only that slice."""
    skip, left = (number - 1) * max_urls(), max_urls()
    urls: list[SitemapUrl] = []
    for count, fetch in sources():
        if skip >= count:
            skip -= count
            continue
        batch = fetch(skip, left)
        urls += batch
        left -= len(batch)
        skip = 0
        if left <= 0:
            break
    return urls


# --- Metadata on article pages ----------------------------------------------------------------


def lead_image_url(article: Article) -> str:
    if article.image is None:
        return ""
    path = url_for("public.rendition", media_id=article.image.id, width=960, fmt="jpg")
    return absolute_url(path)


def news_article_data(article: Article, site_name: str) -> dict:
    """Return schema.org NewsArticle data for an article, with Vietnam's +07:00 times."""
    link = absolute_url(article_url(article))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": link,
        "url": link,
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": w3c(article.publish_at or article.created_at),
        "dateModified": w3c(max(article.updated_at, article.publish_at or article.updated_at)),
        "articleSection": article.category.name,
        "inLanguage": "vi",
        "publisher": {"@type": "Organization", "name": site_name},
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    else:
        data["author"] = {"@type": "Organization", "name": site_name}
    if article.image is not None:
        data["image"] = [lead_image_url(article)]
    return data


def json_ld(data: dict) -> Markup:
    """Serialise data for a <script type="application/ld+json"> block.

    `<`, `>` and `&` become \\u escapes, so no "</script>" in a title can end the block early.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)
