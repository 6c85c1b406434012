"""RSS 2.0 feeds and sitemaps: what feed readers and search engines fetch from the site."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from flask import current_app, url_for
from markupsafe import Markup
from sqlalchemy import false, func, select

import models
import participation
from documents import document_url
from models import Article, Category, Document, Page, Question, Setting, db
from vietnamese import to_local
from web.urls import absolute_url, article_url

FEED_ITEMS = 30
QUESTIONS_IN_SITEMAP = 5000
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


def question_items() -> tuple[list[FeedItem], datetime | None]:
    """Return the latest answered questions as feed items: question and answer, never the
    asker's name or contact details."""
    questions = db.session.scalars(Question.visible().limit(FEED_ITEMS)).all()
    items = [
        FeedItem(
            title=xml_safe(question.title),
            link=absolute_url(participation.question_url(question)),
            published=rfc822(question.published_at),
            category=xml_safe(participation.topic_label(question.topic)),
            author="",
            summary=xml_safe(question.body),
            body=xml_safe(absolute_links(question.answer)),
        )
        for question in questions
    ]
    changed = max((q.updated_at for q in questions), default=None)
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
    for category, latest in db.session.execute(categories_with_newest()):
        moment = max(category.updated_at, latest) if latest else category.updated_at
        yield url("public.category", moment, slug=category.slug)
    for page in db.session.scalars(select(Page).order_by(Page.position)):
        yield url("public.page", page.updated_at, slug=page.slug)
    documents_changed = db.session.scalar(select(func.max(Document.updated_at)))
    if documents_changed:
        yield url("public.documents_list", documents_changed)
    yield from question_urls()


def question_urls():
    """Yield the "Hỏi đáp" list and each answered question (a commune answers hundreds)."""
    rows = db.session.scalars(Question.visible().limit(QUESTIONS_IN_SITEMAP)).all()
    if rows:
        yield url("citizens.questions", max(q.updated_at for q in rows))
    for question in rows:
        link = absolute_url(participation.question_url(question))
        yield SitemapUrl(link, w3c(question.updated_at))


def categories_with_newest():
    """Each category with the time of its newest visible article: one step down its index
    per category, where grouping every visible article by category read them all."""
    newest = (
        select(Article.publish_at)
        .where(Article.category_id == Category.id, Article.visibility())
        .order_by(Article.publish_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(Category, newest).order_by(Category.position)


def url(endpoint: str, moment: datetime, **values) -> SitemapUrl:
    return SitemapUrl(absolute_url(url_for(endpoint, **values)), w3c(moment))


def article_urls(offset: int, limit: int) -> list[SitemapUrl]:
    """Return visible articles, newest first, reading only the columns needed."""
    rows = db.session.execute(
        article_columns().order_by(Article.publish_at.desc(), Article.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [article_sitemap_url(row) for row in rows]


def article_columns():
    return select(Article.id, Article.slug, Article.updated_at, Article.publish_at).where(
        Article.visibility()
    )


def article_sitemap_url(row) -> SitemapUrl:
    return SitemapUrl(
        absolute_url(url_for("public.article", slug=row.slug, article_id=row.id)),
        w3c(max(row.updated_at, row.publish_at)),
    )


def articles_in_range(low: int, high: int):
    """The visible articles whose id is in (low, high]: a walk along the primary key."""
    # Wrapped in COALESCE, the visibility rule is checked on each row of the range but offers
    # no index: without statistics SQLite would otherwise read every visible article through
    # the visibility index (it guesses that few are published) and sort them by id.
    columns = (Article.id, Article.slug, Article.updated_at, Article.publish_at)
    return (
        select(*columns)
        .where(Article.id > low, Article.id <= high)
        .where(func.coalesce(Article.visibility(), false()))
        .order_by(Article.id)
    )


def document_columns():
    return select(Document.id, Document.number, Document.updated_at)


def document_urls(offset: int, limit: int) -> list[SitemapUrl]:
    statement = document_columns().order_by(Document.id.desc()).offset(offset).limit(limit)
    return document_sitemap_urls(statement)


def document_sitemap_urls(statement) -> list[SitemapUrl]:
    rows = db.session.execute(statement)
    return [SitemapUrl(absolute_url(document_url(row)), w3c(row.updated_at)) for row in rows]


def highest_id(model) -> int:
    return db.session.scalar(select(func.max(model.id))) or 0


@dataclass
class SitemapPlan:
    """How the sitemap is split: one file, or file 1 for the fixed addresses, then one per
    range of max_urls() article ids, then one per range of document ids."""

    single: bool
    article_ranges: int
    document_ranges: int

    @property
    def parts(self) -> int:
        return 1 if self.single else 1 + self.article_ranges + self.document_ranges


def sitemap_plan() -> SitemapPlan:
    """Plan the sitemap from the highest ids instead of counting every visible article (which
    read the whole index on every request for the index at 100,000 articles). Ids are
    unique, so the highest bounds how many rows a table holds, and a range of ids holds at
    most max_urls() addresses whatever was deleted or hidden."""
    size = max_urls()
    articles, documents = highest_id(Article), highest_id(Document)
    single = articles + documents + len(list(fixed_urls())) <= size
    return SitemapPlan(single, -(-articles // size), -(-documents // size))


def sitemap_part_count() -> int:
    """Return how many sitemap files the site needs (1: /sitemap.xml holds every address)."""
    return sitemap_plan().parts


def sitemap_part(number: int) -> list[SitemapUrl]:
    """Return the addresses of sitemap file `number` (1-based), querying only that slice."""
    plan, size = sitemap_plan(), max_urls()
    if plan.single:
        return list(fixed_urls()) + article_urls(0, size) + document_urls(0, size)
    if number == 1:
        return list(fixed_urls())
    index = number - 2
    if index < plan.article_ranges:
        rows = db.session.execute(articles_in_range(index * size, (index + 1) * size))
        return [article_sitemap_url(row) for row in rows]
    index -= plan.article_ranges
    low, high = index * size, (index + 1) * size
    return document_sitemap_urls(
        document_columns().where(Document.id > low, Document.id <= high).order_by(Document.id)
    )


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
        "description": article.description,
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
