"""The province's front page, feed and search: every enabled commune's news, as the
province's one index (sites.index) holds it, each site keeping its own share current.

Each rendered page is kept under the concatenation of the registry's stamp and every enabled
site's page-cache stamp (any write its readers would see, in any process, or on PostgreSQL on
any server, moves it; so does a write to the index), until midnight or the index's next
scheduled publication or expiry. Checking that costs one memory read per site; a miss reads
one table, never the sites' own databases.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from markupsafe import Markup

import search
from sites import config as site_config
from sites import index
from sites.dispatch import SiteDispatcher
from sites.registry import Site
from web.stamps import Stamp, listen_to, stamp_at

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
    """The province's enabled sites and the stamps its kept pages were made under. What the
    pages show comes from the province's index (sites.index), never from the sites' own
    databases: a first front page after a start reads one table, not 150."""

    def __init__(self, dispatcher: SiteDispatcher, instance_path: str):
        self.dispatcher = dispatcher
        self.instance_path = instance_path
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

    def trusted(self, sites: list[Site]) -> bool:
        """Tell whether kept pages may be served: on PostgreSQL, only while we hear changes
        (the registry's database, and any adopted site's own)."""
        uris = {self.dispatcher.registry.uri} | {s.database_uri for s in sites if s.database_uri}
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
