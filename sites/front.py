"""The province's front page, feed and search: every enabled commune's news, as the
province's one index (sites.index) holds it, each site keeping its own share current.

Each rendered page is kept in the process's one page store (web.pagecache, by the rules and
with the variants every commune's pages have) under the concatenation of the registry's stamp
and every enabled site's page-cache stamp (any write its readers would see, in any process, or
on PostgreSQL on any server, moves it; so does a write to the index), until midnight or the
index's next scheduled publication or expiry. Checking that costs one memory read per site; a
miss reads one table, never the sites' own databases.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask
from markupsafe import Markup

import search
from sites import config as site_config
from sites import index
from sites.dispatch import SiteDispatcher
from sites.registry import Site
from web import pagecache
from web.stamps import ARRIVED, Stamp, stamp_at

# The most results the combined search shows.
MAX_HITS = 30
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


def story_of(row, site_url: str, picture_site: str) -> Story:
    """A story of the province's index, as the front page and the feed show it."""
    return Story(
        title=row.title, url=row.url, summary=row.summary, published=index.parse(row.moment),
        category=row.category, site_title=row.site_title, site_url=site_url,
        site_name=picture_site, picture_id=row.picture_id,
        picture_width=row.picture_width or 0, picture_height=row.picture_height or 0,
    )  # fmt: skip


@dataclass
class Commune:
    """A commune on the front page's list: its name, its site and its newest story."""

    title: str
    url: str
    newest: Story | None


def sort_moment(moment: datetime | date | None) -> float:
    if isinstance(moment, datetime):
        return moment.timestamp()
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day).timestamp()
    return 0.0


def merged_matches(matches, terms: search.Highlight, site_urls: dict[str, str]) -> list[Found]:
    """Every site's best result first, then every site's second, ...; newer first within;
    titles and snippets marked up as each site's own search shows them."""
    best = sorted(matches, key=lambda m: (m.rank, -sort_moment(m.moment), m.site_title))
    # Marked up only once chosen: a common word matches a thousand entries.
    return [as_found(match, terms, site_urls.get(match.site, "")) for match in best[:MAX_HITS]]


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
    """The province's enabled sites and what its kept pages were made under: the page
    cache's validity (web.served.Validity) for the province's own pages. What the pages
    show comes from the province's index (sites.index), never from the sites' own databases:
    a first front page after a start reads one table, not 150."""

    def __init__(self, province_app: Flask):
        self.app = province_app
        self.instance_path = province_app.instance_path
        # Held here: a site whose app was never built (or was let go) keeps its stamp open.
        self.stamps: dict[str, Stamp] = {}
        # The store is the process's: pages another entry app made (its own settings, say
        # another PROVINCE_URL) are not this one's.
        self.own = secrets.token_bytes(8)

    @property
    def dispatcher(self) -> SiteDispatcher:
        return self.app.extensions["province"]

    def sites(self, arrived: int | None = None) -> list[Site]:
        """Every enabled site, by name (the registry is read again when its stamp moved)."""
        unique = {site.name: site for site in self.dispatcher.sites(arrived).values()}
        return [unique[name] for name in sorted(unique) if unique[name].enabled]

    def stamp_of(self, site: Site) -> Stamp:
        stamp = self.stamps.get(site.name)
        if stamp is None:
            path = site_config.stamp_path(self.instance_path, site)
            stamp = self.stamps.setdefault(site.name, stamp_at(path))
        return stamp

    def read(self, environ: dict) -> bytes:
        """What every kept page was made under: the registry's stamp and each site's."""
        sites = self.sites(environ.get(ARRIVED))
        stamps = b"".join(self.stamp_of(site).read() for site in sites)
        return self.own + self.dispatcher.stamp.read() + stamps

    def place(self) -> None:
        """None: the value is every site's stamp, read one by one (`read`)."""
        return None

    def trusted(self, environ: dict) -> bool:
        """Tell whether kept pages may be served: on PostgreSQL, only once the changes made
        before this request arrived were heard (the registry's database, and any adopted
        site's own)."""
        sites = self.sites(environ.get(ARRIVED))
        uris = {self.dispatcher.registry.uri} | {s.database_uri for s in sites if s.database_uri}
        return all(pagecache.trusted(uri, environ) for uri in uris)


def init_app(app: Flask) -> Newsroom:
    """The province's reader of every site's news, which is also what its kept pages (front
    page, feed, searches) are valid under: the page cache's layer is given it."""
    room = app.extensions["newsroom"] = Newsroom(app)
    return room
