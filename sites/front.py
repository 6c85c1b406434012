"""The province's front page, feed and search: every enabled commune's news, read through each
site's own app, so that each site's visibility rule (`Article.visible()`) is the one applied.

Reading 150 databases per request would cost what a front page must not, so what is read is
kept: each site's latest news until that site's page-cache stamp moves (any write its readers
would see, in any process, or on PostgreSQL on any server) or until its next scheduled
publication or expiry (`visibility_horizon`), and each rendered page under the concatenation
of the registry's stamp and every site's stamp. Checking that costs one memory read per site;
after an edit on one site only that site is read again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

import search
from media import renditions
from models import Article, Setting, db
from sites import config as site_config
from sites.dispatch import SiteDispatcher
from sites.registry import Site
from web.pagecache import now, visibility_horizon
from web.stamps import Stamp, listen_to, stamp_at
from web.urls import absolute_url, article_url

# Articles kept per site: enough for its line on the front page and for the combined feed.
PER_SITE = 10
# Results each site gives the combined search, and the most the page shows.
HITS_PER_SITE = 5
MAX_HITS = 60
# The width of a story's picture on the province's front page (a rendition width).
STORY_PICTURE = 160
# A site that could not be read is tried again after this many seconds.
RETRY_SECONDS = 60
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Story:
    """One visible article, as the province shows it: links are absolute, on its own site."""

    title: str
    url: str
    summary: str
    published: datetime
    category: str
    site_title: str
    site_url: str
    # The article's list picture (media.usage), served through the province's own host
    # (province.picture) at 160 px wide: its id on its site, and that size.
    site_name: str = ""
    picture_id: int | None = None
    picture_width: int = 0
    picture_height: int = 0


@dataclass
class SiteNews:
    """A site's name, address and latest visible articles, as read under `stamp`."""

    site: Site
    title: str
    url: str
    stories: list[Story]
    stamp: bytes
    horizon: float
    database_uri: str = ""


@dataclass
class Found:
    """One search result of one site."""

    kind: str
    title: Markup
    snippet: Markup
    url: str
    moment: datetime | date | None
    rank: int
    site_title: str
    site_url: str


@dataclass
class SiteHits:
    """How many results a site has for a search, and its own search page for them all."""

    site_title: str
    site_url: str
    total: int
    search_url: str


def site_context(app: Flask, site: Site, path: str = "/", query: dict | None = None):
    """A request on the site's own first host: what its URL helpers need to build links."""
    return app.test_request_context(path, base_url=f"http://{site.hosts[0]}",
                                    query_string=query or {})


def story(article: Article, site_title: str, site_url: str, site_name: str = "") -> Story:
    picture = article.list_image
    sized = {}
    if picture is not None and picture.is_image:
        sized = {"picture_id": picture.id,
                 "picture_width": renditions.rendition_width(picture, STORY_PICTURE),
                 "picture_height": renditions.rendition_height(picture, STORY_PICTURE)}
    return Story(
        title=article.title, url=absolute_url(article_url(article)), summary=article.summary,
        published=article.publish_at, category=article.category.name, site_title=site_title,
        site_url=site_url, site_name=site_name, **sized,
    )  # fmt: skip


def read_news(app: Flask, site: Site, stamp: Stamp) -> SiteNews:
    """Read a site's latest visible articles inside its own app."""
    seen = stamp.read()  # before reading: a write during the read leaves the entry stale
    with site_context(app, site):
        title = Setting.values()["site_name"] or site.title or site.name
        url = absolute_url("/")
        statement = Article.visible().options(
            joinedload(Article.category), joinedload(Article.list_image)
        ).limit(PER_SITE)
        stories = [story(a, title, url, site.name) for a in db.session.scalars(statement)]
        horizon = visibility_horizon()
    return SiteNews(site, title, url, stories, seen, horizon,
                    app.config["SQLALCHEMY_DATABASE_URI"])


def unreadable(site: Site, stamp: Stamp) -> SiteNews:
    return SiteNews(site, site.title or site.name, site.public_url + "/", [], stamp.read(),
                    now() + RETRY_SECONDS)


def sort_moment(moment: datetime | date | None) -> float:
    if isinstance(moment, datetime):
        return moment.timestamp()
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day).timestamp()
    return 0.0


def merged_matches(matches, terms: search.Highlight, site_urls: dict[str, str]) -> list[Found]:
    """Every site's best result first, then every site's second, ...; newer first within;
    titles and snippets marked up as each site's own search shows them."""
    found = [as_found(match, terms, site_urls.get(match.site, "")) for match in matches]
    found.sort(key=lambda hit: (hit.rank, -sort_moment(hit.moment), hit.site_title))
    return found[:MAX_HITS]


def as_found(match, terms: search.Highlight, site_url: str) -> Found:
    window = search.SNIPPET_WORDS if match.kind == "article" else None
    return Found(match.kind, search.mark_up(match.title, terms),
                 search.mark_up(match.text, terms, window), match.url, match.moment,
                 match.rank, match.site_title, site_url)  # fmt: skip


def per_site_totals(matches, typed: str, site_urls: dict[str, str]) -> list[SiteHits]:
    """Each site that found something, with its count and its own search page's address."""
    counts: dict[str, list] = {}
    for match in matches:
        counts.setdefault(match.site, [match.site_title, 0])[1] += 1
    query = urlencode({"q": typed})
    return [SiteHits(title, site_urls.get(site, ""), total,
                     f"{site_urls.get(site, '')}tim-kiem?{query}")
            for site, (title, total) in counts.items()]  # fmt: skip


class Newsroom:
    """The latest news of every enabled site, each site's kept until its stamp moves."""

    def __init__(self, dispatcher: SiteDispatcher, instance_path: str):
        self.dispatcher = dispatcher
        self.instance_path = instance_path
        self.kept: dict[str, SiteNews] = {}
        self.lock = threading.Lock()

    def sites(self) -> list[Site]:
        """Every enabled site, by name (the registry is read again when its stamp moved)."""
        unique = {site.name: site for site in self.dispatcher.sites().values()}
        return [unique[name] for name in sorted(unique) if unique[name].enabled]

    def stamp_of(self, site: Site) -> Stamp:
        return stamp_at(site_config.stamp_path(self.instance_path, site))

    def validator(self, sites: list[Site]) -> bytes:
        """What every kept page was made under: the registry's stamp and each site's."""
        return self.dispatcher.stamp.read() + b"".join(self.stamp_of(s).read() for s in sites)

    def fresh(self, news: SiteNews | None, site: Site, moment: float) -> bool:
        return (news is not None and news.site == site and moment < news.horizon
                and news.stamp == self.stamp_of(site).read() and trusted(news.database_uri))

    def news(self, sites: list[Site]) -> list[SiteNews]:
        """Each site's news, read again only for the sites whose data changed."""
        moment = now()
        result = []
        for site in sites:
            kept = self.kept.get(site.name)
            if not self.fresh(kept, site, moment):
                kept = self.kept[site.name] = self.read(site)
            result.append(kept)
        for gone in set(self.kept) - {site.name for site in sites}:
            self.kept.pop(gone, None)
        return result

    def read(self, site: Site) -> SiteNews:
        stamp = self.stamp_of(site)
        try:
            return read_news(self.dispatcher.app_for(site), site, stamp)
        except SQLAlchemyError as err:  # one broken site must not take the province's page
            log.warning("Site %s could not be read for the front page: %s", site.name, err)
            return unreadable(site, stamp)

    def trusted(self) -> bool:
        """Tell whether kept pages may be served: on PostgreSQL, only while we hear changes."""
        uris = {self.dispatcher.registry.uri} | {n.database_uri for n in self.kept.values()}
        return all(trusted(uri) for uri in uris)


def trusted(database_uri: str) -> bool:
    """Tell whether another server's change would reach our stamps (always, on SQLite)."""
    if not database_uri.startswith("postgresql"):
        return True
    return listen_to(database_uri).connected.is_set()


@dataclass
class Page:
    validator: bytes
    until: float
    body: str
    etag: str


class Pages:
    """Rendered pages, each kept under the validator it was rendered under (bounded, LRU)."""

    def __init__(self, max_items: int = 200):
        self.max_items = max_items
        self.items: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, validator: bytes, moment: float) -> Page | None:
        with self.lock:
            page = self.items.get(key)
            if page is None or page.validator != validator or moment >= page.until:
                return None
            self.items.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> None:
        with self.lock:
            self.items[key] = page
            self.items.move_to_end(key)
            while len(self.items) > self.max_items:
                self.items.popitem(last=False)
