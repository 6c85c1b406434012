"""The province's one search index: every commune's public articles and documents in one table
of the registry's database, so that a search across 150 communes is one query, not 150.

- **What an entry holds**: the site, the item's kind and id, its title, a short text (an
  article's summary and the opening of its body, a document's number, type and issuer: what
  the results page shows), its absolute address, its time, the times that decide whether
  readers may see it (publication, expiry: evaluated in the query, as `Article.visible()`
  does, so a scheduled article is found on time with no job) and the folded words searched.
  Drafts and articles awaiting review are never in it.
- **Kept current by the sites themselves**: a province site's app (only there: a single
  commune has no registry) notes which articles and documents each flush wrote, and after the
  commit rewrites their entries through the registry's engine, in every process and on every
  server alike. A site's whole share is rebuilt after `flask import` or a restore
  (`data_imported`), by `flask upgrade-db`, and when the table is first made.
- **Per database**: on SQLite an FTS5 table (its key table finds an item's entry without a
  scan); on PostgreSQL a table with a GIN index over the folded words' tsvector (`simple`
  configuration: the words are folded already). Each backend's SQL is in its class below.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from types import SimpleNamespace

from flask import Flask, current_app, has_app_context
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import search
from documents import document_slug
from extensions import data_imported
from media import renditions
from models import PUBLISHED, Article, Category, Document, Media, Setting, db
from web import stamps

log = logging.getLogger(__name__)
# The opening of an article's body that the index keeps beside its summary: the results show
# it, and the words of a story's lead are the ones a province-wide search looks for.
LEAD_CHARS = 600
# Matches looked at per query, newest first: a word every commune uses costs what a rare one does.
CANDIDATES = 1000
# Results the page shows at most; each site's best first, then each site's second, ...
MAX_HITS = 60
BATCH = 500
# The shape of the index's tables: a newer one makes them again (see ProvinceIndex.ensure).
VERSION = 2
# The width of a story's picture on the province's front page (a rendition width).
STORY_PICTURE = 160
CHANGES = "province_index_changes"


@dataclass
class Entry:
    """One article or document as the province's index keeps it."""

    site: str
    kind: str
    item_id: int
    title: str
    text: str
    url: str
    site_title: str
    moment: datetime | None
    publish_at: datetime | None
    expire_at: datetime | None
    summary: str = ""
    category: str = ""
    # The article's list picture, as the province's front page shows it (STORY_PICTURE wide).
    picture_id: int | None = None
    picture_width: int = 0
    picture_height: int = 0

    @property
    def folded(self) -> tuple[str, str, str]:
        return (search.folded_field(self.title), search.folded_field(self.text),
                search.marked_words([self.title, self.text]))  # fmt: skip


@dataclass
class Match:
    """One entry a search found, with the order its site's search would give it."""

    site: str
    kind: str
    title: str
    text: str
    url: str
    site_title: str
    moment: datetime | None
    rank: int = 0


def stamp(moment: datetime | None) -> str | None:
    """A UTC time as the SQLite backend stores it (text that sorts as time does)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


# --- The two backends -------------------------------------------------------------------------


class SQLiteBackend:
    """FTS5 over the folded title, text and marked words; the rest stored unindexed."""

    columns = ("folded_title", "folded_text", "marked", "site", "kind", "item_id", "title",
               "text", "url", "site_title", "moment", "publish_at", "expire_at", "summary",
               "category", "picture_id", "picture_width", "picture_height")  # fmt: skip
    shown = ("site", "title", "summary", "url", "site_title", "moment", "category",
             "picture_id", "picture_width", "picture_height")  # fmt: skip

    def create(self, connection) -> None:
        unindexed = ", ".join(f"{name} UNINDEXED" for name in self.columns[3:])
        connection.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS province_entry USING fts5(folded_title, "
            f"folded_text, marked, {unindexed}, tokenize='{search.FTS_TOKENIZER}')"))
        # The key finds an item's entry; its times, indexed, give the next change of what is
        # visible without reading the FTS5 table's unindexed columns row by row.
        connection.execute(text(
            "CREATE TABLE IF NOT EXISTS province_entry_key (site VARCHAR(40) NOT NULL, "
            "kind VARCHAR(10) NOT NULL, item_id INTEGER NOT NULL, entry INTEGER NOT NULL, "
            "publish_at VARCHAR(19), expire_at VARCHAR(19), PRIMARY KEY (site, kind, item_id))"))
        for column in ("publish_at", "expire_at"):
            connection.execute(text(
                f"CREATE INDEX IF NOT EXISTS ix_province_entry_key_{column} "
                f"ON province_entry_key ({column})"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_province_entry_key_newest "
            "ON province_entry_key (site, kind, publish_at)"))

    def drop(self, connection) -> None:
        for name in ("province_entry", "province_entry_key"):
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))

    def remove(self, connection, site: str, kind: str, ids: list[int]) -> None:
        for item_id in ids:
            key = {"site": site, "kind": kind, "item_id": item_id}
            entry = connection.execute(text(
                "SELECT entry FROM province_entry_key WHERE site = :site AND kind = :kind "
                "AND item_id = :item_id"), key).scalar()
            if entry is not None:
                connection.execute(text("DELETE FROM province_entry WHERE rowid = :id"),
                                   {"id": entry})  # fmt: skip
                connection.execute(text(
                    "DELETE FROM province_entry_key WHERE site = :site AND kind = :kind "
                    "AND item_id = :item_id"), key)

    def has_site(self, connection, site: str) -> bool:
        return connection.execute(text(
            "SELECT 1 FROM province_entry_key WHERE site = :site LIMIT 1"),
            {"site": site}).first() is not None  # fmt: skip

    def forget_site(self, connection, site: str) -> None:
        connection.execute(text(
            "DELETE FROM province_entry WHERE rowid IN "
            "(SELECT entry FROM province_entry_key WHERE site = :site)"), {"site": site})
        connection.execute(text("DELETE FROM province_entry_key WHERE site = :site"),
                           {"site": site})  # fmt: skip

    def add(self, connection, entries: list[Entry]) -> None:
        names = ", ".join(self.columns)
        values = ", ".join(f":{name}" for name in self.columns)
        for entry in entries:
            row = self.row(entry)
            found = connection.execute(
                text(f"INSERT INTO province_entry ({names}) VALUES ({values})"), row)
            connection.execute(text(
                "INSERT INTO province_entry_key (site, kind, item_id, entry, publish_at, "
                "expire_at) VALUES (:site, :kind, :item_id, :entry, :publish_at, :expire_at)"),
                {**row, "entry": found.lastrowid})

    def row(self, entry: Entry) -> dict:
        folded_title, folded_text, marked = entry.folded
        return {
            "folded_title": folded_title, "folded_text": folded_text, "marked": marked,
            "site": entry.site, "kind": entry.kind, "item_id": entry.item_id,
            "title": entry.title, "text": entry.text, "url": entry.url,
            "site_title": entry.site_title, "moment": stamp(entry.moment),
            "publish_at": stamp(entry.publish_at), "expire_at": stamp(entry.expire_at),
            "summary": entry.summary, "category": entry.category,
            "picture_id": entry.picture_id, "picture_width": entry.picture_width,
            "picture_height": entry.picture_height,
        }  # fmt: skip

    VISIBLE_KEY = ("kind = 'article' AND publish_at <= :now"
                   " AND (expire_at IS NULL OR expire_at > :now)")  # fmt: skip

    def latest(self, connection, sites: list[str], now: datetime, limit: int):
        """The newest visible articles of the sites: the key table's publication index
        walked from now backwards, then the entries read by their rowids (joined in one
        statement, SQLite may walk the FTS5 table instead)."""
        names = ", ".join(f":s{i}" for i in range(len(sites)))
        keys = connection.execute(text(
            f"SELECT entry FROM province_entry_key WHERE {self.VISIBLE_KEY}"
            f" AND site IN ({names}) ORDER BY publish_at DESC LIMIT :limit"),
            {"now": stamp(now), "limit": limit,
             **{f"s{i}": name for i, name in enumerate(sites)}}).scalars().all()  # fmt: skip
        return self.entries(connection, keys)

    def newest(self, connection, site: str, now: datetime):
        """A site's newest visible article: one step down its (site, kind, publish_at) index."""
        key = connection.execute(text(
            f"SELECT entry FROM province_entry_key WHERE site = :site AND {self.VISIBLE_KEY}"
            " ORDER BY publish_at DESC LIMIT 1"), {"site": site, "now": stamp(now)}).scalar()
        rows = self.entries(connection, [key]) if key is not None else []
        return rows[0] if rows else None

    def entries(self, connection, rowids: list[int]) -> list:
        """The shown columns of these entries, in the order of `rowids`."""
        if not rowids:
            return []
        columns = ", ".join(("rowid AS entry_id", *self.shown))
        marks = ", ".join(str(int(rowid)) for rowid in rowids)
        found = {row.entry_id: row for row in connection.execute(text(
            f"SELECT {columns} FROM province_entry WHERE rowid IN ({marks})"))}  # fmt: skip
        return [found[rowid] for rowid in rowids if rowid in found]

    def find(self, connection, terms: list[str], sites: list[str], now: datetime):
        """The newest CANDIDATES visible matches of the enabled sites, best first."""
        expression = " AND ".join(f'{{folded_title folded_text}} : "{term}"' for term in terms)
        names = ", ".join(f":s{i}" for i in range(len(sites)))
        rows = connection.execute(text(
            "SELECT site, kind, title, text, url, site_title, moment, score FROM ("
            " SELECT *, bm25(province_entry, 10.0, 1.0, 0.0) AS score FROM province_entry"
            " WHERE province_entry MATCH :expression ORDER BY rowid DESC LIMIT :limit)"
            f" WHERE site IN ({names}) AND (publish_at IS NULL OR publish_at <= :now)"
            " AND (expire_at IS NULL OR expire_at > :now)"
            " ORDER BY score, moment DESC"),
            {"expression": expression, "limit": CANDIDATES, "now": stamp(now),
             **{f"s{i}": name for i, name in enumerate(sites)}})  # fmt: skip
        return rows.all()

    def horizon(self, connection, sites: list[str], now: datetime) -> datetime | None:
        """The next time an entry appears or disappears (a scheduled or expiring article),
        of any site: one step down each indexed time (a disabled site's change only ends a
        kept page a little early)."""
        found = [connection.execute(text(
            f"SELECT min({column}) FROM province_entry_key WHERE {column} > :now"),
            {"now": stamp(now)}).scalar() for column in ("publish_at", "expire_at")]  # fmt: skip
        return min((parse(value) for value in found if value), default=None)


class PostgresBackend:
    """A table with a GIN index over the folded words' tsvector; the key is a unique index."""

    def create(self, connection) -> None:
        connection.execute(text(
            "CREATE TABLE IF NOT EXISTS province_entry (id SERIAL PRIMARY KEY, "
            "site VARCHAR(40) NOT NULL, kind VARCHAR(10) NOT NULL, item_id INTEGER NOT NULL, "
            "title TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL, site_title TEXT NOT NULL, "
            "moment TIMESTAMPTZ, publish_at TIMESTAMPTZ, expire_at TIMESTAMPTZ, "
            "folded TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '', "
            "category TEXT NOT NULL DEFAULT '', picture_id INTEGER, "
            "picture_width INTEGER NOT NULL DEFAULT 0, picture_height INTEGER NOT NULL DEFAULT 0, "
            "UNIQUE (site, kind, item_id))"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_province_entry_newest "
            "ON province_entry (site, kind, publish_at)"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_province_entry_words ON province_entry "
            "USING gin (to_tsvector('simple', folded))"))
        for column in ("publish_at", "expire_at"):
            connection.execute(text(
                f"CREATE INDEX IF NOT EXISTS ix_province_entry_{column} "
                f"ON province_entry ({column})"))

    def drop(self, connection) -> None:
        connection.execute(text("DROP TABLE IF EXISTS province_entry"))

    def latest(self, connection, sites: list[str], now: datetime, limit: int):
        return connection.execute(text(
            "SELECT site, title, summary, url, site_title, moment, category, picture_id,"
            " picture_width, picture_height FROM province_entry WHERE kind = 'article'"
            " AND site = ANY(:sites) AND publish_at <= :now"
            " AND (expire_at IS NULL OR expire_at > :now) ORDER BY publish_at DESC LIMIT :limit"),
            {"sites": sites, "now": now, "limit": limit}).all()  # fmt: skip

    def newest(self, connection, site: str, now: datetime):
        rows = self.latest(connection, [site], now, 1)
        return rows[0] if rows else None

    def remove(self, connection, site: str, kind: str, ids: list[int]) -> None:
        if ids:
            connection.execute(text(
                "DELETE FROM province_entry WHERE site = :site AND kind = :kind "
                "AND item_id = ANY(:ids)"), {"site": site, "kind": kind, "ids": ids})

    def has_site(self, connection, site: str) -> bool:
        return connection.execute(text(
            "SELECT 1 FROM province_entry WHERE site = :site LIMIT 1"),
            {"site": site}).first() is not None  # fmt: skip

    def forget_site(self, connection, site: str) -> None:
        connection.execute(text("DELETE FROM province_entry WHERE site = :site"), {"site": site})

    def add(self, connection, entries: list[Entry]) -> None:
        if entries:
            connection.execute(text(
                "INSERT INTO province_entry (site, kind, item_id, title, text, url, site_title, "
                "moment, publish_at, expire_at, folded, summary, category, picture_id, "
                "picture_width, picture_height) VALUES (:site, :kind, :item_id, :title, "
                ":text, :url, :site_title, :moment, :publish_at, :expire_at, :folded, :summary, "
                ":category, :picture_id, :picture_width, :picture_height)"),
                [self.row(entry) for entry in entries])

    def row(self, entry: Entry) -> dict:
        folded_title, folded_text, _ = entry.folded
        return {
            "site": entry.site, "kind": entry.kind, "item_id": entry.item_id,
            "title": entry.title, "text": entry.text, "url": entry.url,
            "site_title": entry.site_title, "moment": entry.moment,
            "publish_at": entry.publish_at, "expire_at": entry.expire_at,
            "folded": f"{folded_title} {folded_title} {folded_text}",
            "summary": entry.summary, "category": entry.category,
            "picture_id": entry.picture_id, "picture_width": entry.picture_width,
            "picture_height": entry.picture_height,
        }  # fmt: skip

    def find(self, connection, terms: list[str], sites: list[str], now: datetime):
        words = " & ".join(terms)
        rows = connection.execute(text(
            "SELECT site, kind, title, text, url, site_title, moment, score FROM ("
            " SELECT *, -ts_rank(to_tsvector('simple', folded), to_tsquery('simple', :words))"
            " AS score FROM province_entry"
            " WHERE to_tsvector('simple', folded) @@ to_tsquery('simple', :words)"
            " AND site = ANY(:sites) AND (publish_at IS NULL OR publish_at <= :now)"
            " AND (expire_at IS NULL OR expire_at > :now) ORDER BY id DESC LIMIT :limit) found"
            " ORDER BY score, moment DESC"),
            {"words": words, "sites": sites, "now": now, "limit": CANDIDATES})  # fmt: skip
        return rows.all()

    def horizon(self, connection, sites: list[str], now: datetime) -> datetime | None:
        """The next publication or expiry: each an index range scan from now on."""
        found = [connection.execute(text(
            f"SELECT min({column}) FROM province_entry WHERE {column} > :now"
            " AND site = ANY(:sites)"), {"now": now, "sites": sites}).scalar()
            for column in ("publish_at", "expire_at")]  # fmt: skip
        return min((parse(value) for value in found if value), default=None)


def backend_for(engine: Engine):
    return PostgresBackend() if engine.dialect.name == "postgresql" else SQLiteBackend()


# --- The index itself ---------------------------------------------------------------------------


class ProvinceIndex:
    """The registry's index: made when missing, written by sites, read by the province."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.backend = backend_for(engine)
        self.made = False

    def ensure(self) -> None:
        """Make the index, or make it again when this code's shape of it is newer (its sites'
        shares are then built again by `flask upgrade-db`, as for a new index)."""
        if self.made:
            return
        with self.engine.begin() as connection:
            connection.execute(text(
                "CREATE TABLE IF NOT EXISTS province_index_version (version INTEGER NOT NULL)"))
            found = connection.execute(text("SELECT version FROM province_index_version")).scalar()
            if found != VERSION:
                self.backend.drop(connection)
                connection.execute(text("DELETE FROM province_index_version"))
                connection.execute(text("INSERT INTO province_index_version VALUES (:v)"),
                                   {"v": VERSION})  # fmt: skip
            self.backend.create(connection)
        self.made = True

    def latest(self, sites: list[str], now: datetime, limit: int) -> list:
        """The newest visible articles of these sites, newest first."""
        if not sites:
            return []
        self.ensure()
        with self.engine.connect() as connection:
            return self.backend.latest(connection, sites, now, limit)

    def newest_of_each(self, sites: list[str], now: datetime) -> dict:
        """Each site's newest visible article (an indexed step per site), by site name."""
        self.ensure()
        with self.engine.connect() as connection:
            found = {site: self.backend.newest(connection, site, now) for site in sites}
        return {site: row for site, row in found.items() if row is not None}

    def replace(self, site: str, entries: list[Entry], removed: dict[str, list[int]]) -> None:
        """Write a site's changed entries (and drop those no longer public) in one transaction."""
        self.ensure()
        with self.engine.begin() as connection:
            for kind, ids in removed.items():
                self.backend.remove(connection, site, kind, ids)
            for kind in ("article", "document"):
                ids = [e.item_id for e in entries if e.kind == kind]
                self.backend.remove(connection, site, kind, ids)
            self.backend.add(connection, entries)
            self.tell_other_servers(connection, site)

    def rebuild_site(self, site: str, entries) -> int:
        """Replace a site's whole share of the index; return how many entries it now has."""
        self.ensure()
        count = 0
        with self.engine.begin() as connection:
            self.backend.forget_site(connection, site)
            batch = []
            for entry in entries:
                batch.append(entry)
                if len(batch) >= BATCH:
                    self.backend.add(connection, batch)
                    count, batch = count + len(batch), []
            self.backend.add(connection, batch)
            self.tell_other_servers(connection, site)
        return count + len(batch)

    def tell_other_servers(self, connection, site: str) -> None:
        """On PostgreSQL, every server bumps the site's stamp once the index write commits,
        so no server keeps a search page made before it (web.stamps listens)."""
        if self.engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_notify(:channel, :site)"),
                               {"channel": stamps.CHANNEL, "site": site})

    def drop(self) -> None:
        """Remove the index (a province's registry being dropped: the tests on PostgreSQL)."""
        with self.engine.begin() as connection:
            self.backend.drop(connection)
            connection.execute(text("DROP TABLE IF EXISTS province_index_version"))
        self.made = False

    def has_site(self, site: str) -> bool:
        self.ensure()
        with self.engine.connect() as connection:
            return self.backend.has_site(connection, site)

    def forget_site(self, site: str) -> None:
        self.ensure()
        with self.engine.begin() as connection:
            self.backend.forget_site(connection, site)

    def search(self, terms: list[str], sites: list[str], now: datetime) -> list[Match]:
        """Every enabled site's visible matches, each site's best first (as `merged` orders)."""
        if not terms or not sites:
            return []
        self.ensure()
        with self.engine.connect() as connection:
            rows = self.backend.find(connection, terms, sites, now)
        ranks: dict[str, int] = {}
        found = []
        for row in rows:
            ranks[row.site] = ranks.get(row.site, -1) + 1
            found.append(Match(row.site, row.kind, row.title, row.text, row.url, row.site_title,
                               parse(row.moment), ranks[row.site]))  # fmt: skip
        return found

    def horizon(self, sites: list[str], now: datetime) -> datetime | None:
        self.ensure()
        with self.engine.connect() as connection:
            return self.backend.horizon(connection, sites, now)


@lru_cache(maxsize=8)
def index_at(uri: str) -> ProvinceIndex:
    """One index (and engine) per registry per process, shared by every site's app."""
    return ProvinceIndex(create_engine(uri, pool_pre_ping=True))


# --- Reading a site's entries (inside the site's app) --------------------------------------------


def article_entry(app: Flask, site: str, site_title: str, row) -> Entry:
    path = app.url_map.bind("localhost").build("public.article",
                                               {"slug": row.slug, "article_id": row.id})
    lead = (row.body_text or "")[:LEAD_CHARS]
    picture = picture_fields(row)
    return Entry(site, "article", row.id, row.title, f"{row.summary}\n{lead}".strip(),
                 app.config["SITE_URL"].rstrip("/") + path, site_title, row.publish_at,
                 row.publish_at, row.expire_at, summary=row.summary, category=row.category,
                 **picture)  # fmt: skip


def picture_fields(row) -> dict:
    """The list picture's id and its size at STORY_PICTURE wide, when it is an image."""
    if row.picture_id is None or row.picture_kind != "image" or not row.picture_width:
        return {}
    shape = SimpleNamespace(width=row.picture_width, height=row.picture_height)
    return {"picture_id": row.picture_id,
            "picture_width": renditions.rendition_width(shape, STORY_PICTURE),
            "picture_height": renditions.rendition_height(shape, STORY_PICTURE)}  # fmt: skip


def document_entry(app: Flask, site: str, site_title: str, row) -> Entry:
    path = app.url_map.bind("localhost").build(
        "public.document", {"slug": document_slug(row.number), "document_id": row.id})
    details = " · ".join(part for part in (row.number, row.doc_type, row.issuer) if part)
    moment = datetime(row.issued_on.year, row.issued_on.month, row.issued_on.day, tzinfo=UTC) \
        if isinstance(row.issued_on, date) else None
    return Entry(site, "document", row.id, row.title, details,
                 app.config["SITE_URL"].rstrip("/") + path, site_title, moment, None, None)


ARTICLE_COLUMNS = (
    Article.id, Article.slug, Article.title, Article.summary, Article.body_text,
    Article.publish_at, Article.expire_at, Category.name.label("category"),
    Media.id.label("picture_id"), Media.kind.label("picture_kind"),
    Media.width.label("picture_width"), Media.height.label("picture_height"),
)  # fmt: skip
DOCUMENT_COLUMNS = (Document.id, Document.number, Document.title, Document.doc_type,
                    Document.issuer, Document.issued_on)  # fmt: skip


def site_title(connection, app: Flask, site) -> str:
    stored = connection.execute(select(Setting.value).where(Setting.key == "site_name")).scalar()
    return stored or site.title or site.name


def read_entries(connection, app: Flask, site, article_ids=None, document_ids=None):
    """Yield the entries of a site's public articles and its documents (all, or those ids)."""
    title = site_title(connection, app, site)
    articles = (
        select(*ARTICLE_COLUMNS)
        .join(Category, Category.id == Article.category_id)
        .outerjoin(Media, Media.id == Article.list_image_id)
        .where(Article.status == PUBLISHED, Article.publish_at.is_not(None))
    )
    if article_ids is not None:
        articles = articles.where(Article.id.in_(article_ids))
    for row in connection.execute(articles.order_by(Article.publish_at, Article.id)):
        yield article_entry(app, site.name, title, row)
    documents = select(*DOCUMENT_COLUMNS)
    if document_ids is not None:
        documents = documents.where(Document.id.in_(document_ids))
    for row in connection.execute(documents.order_by(Document.id)):
        yield document_entry(app, site.name, title, row)


# --- A site's app keeps its share current ------------------------------------------------


class SiteShare:
    """What a province site's app writes to the index: after a commit, the items it changed."""

    def __init__(self, app: Flask, site, index: ProvinceIndex):
        self.app = app
        self.site = site
        self.index = index

    def rebuild(self) -> int:
        """Replace the site's whole share; return how many entries it has."""
        with db.engine.connect() as connection:
            entries = list(read_entries(connection, self.app, self.site))
        count = self.index.rebuild_site(self.site.name, entries)
        self.pages_changed()
        return count

    def pages_changed(self) -> None:
        """The province's kept search pages are kept under the sites' stamps: bump this one
        after the index changed, since a search may have been kept between the site's commit
        (which bumped it) and the index write."""
        stamps.stamp_at(self.app.config["PAGE_CACHE_STAMP"]).bump()

    def fill_if_empty(self) -> int | None:
        """Build the site's share if the index holds nothing of it yet (a new table, a site
        from before the index); return the count built, or None when there was one."""
        if self.index.has_site(self.site.name):
            return None
        return self.rebuild()

    def apply(self, changes: dict) -> None:
        """Rewrite the entries of the items a transaction wrote (all, if the name changed)."""
        if changes.get("retitle"):
            self.rebuild()
            return
        articles, documents = changes.get("article", set()), changes.get("document", set())
        with db.engine.connect() as connection:
            entries = list(read_entries(connection, self.app, self.site, articles, documents))
        self.index.replace(self.site.name, entries,
                           {"article": sorted(articles), "document": sorted(documents)})
        self.pages_changed()


def share() -> SiteShare | None:
    return current_app.extensions.get("province_index") if has_app_context() else None


def note_changes(session: Session, _context) -> None:
    """After a flush: remember which articles and documents it wrote, for after the commit."""
    if share() is None:
        return
    changes = session.info.setdefault(CHANGES, {})
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Article):
            changes.setdefault("article", set()).add(item.id)
        elif isinstance(item, Document):
            changes.setdefault("document", set()).add(item.id)
        elif isinstance(item, Setting) and item.key == "site_name" or isinstance(item, Category):
            changes["retitle"] = True  # every entry names the site and its category


def write_changes(session: Session) -> None:
    """After a commit: bring the index in step. A failure is logged, never the reader's or the
    editor's error: their save is done, and `flask upgrade-db` rebuilds the index."""
    changes = session.info.pop(CHANGES, None)
    found = share()
    if not changes or found is None:
        return
    try:
        found.apply(changes)
    except SQLAlchemyError as err:
        log.warning("The province's index missed a change of %s: %s", found.site.name, err)


def drop_changes(session: Session, *_args) -> None:
    session.info.pop(CHANGES, None)


def rebuild_after_import(app: Flask, **_extra) -> None:
    """After `flask import` or a restore wrote rows past the ORM: the site's whole share."""
    found = app.extensions.get("province_index")
    if found is not None:
        with app.app_context():
            found.rebuild()


def listen_once(target, name: str, function) -> None:
    if not event.contains(target, name, function):
        event.listen(target, name, function)


def refresh(app: Flask, whole: bool = False) -> int | None:
    """In a province site's app: rebuild its share (whole), or build it if the index has none
    of it; return the entries built, or None (a single commune, or nothing to build)."""
    found = app.extensions.get("province_index")
    if found is None:
        return None
    with app.app_context():
        return found.rebuild() if whole else found.fill_if_empty()


def init_site(app: Flask, site) -> None:
    """Make a province site's app keep its share of the index current."""
    app.extensions["province_index"] = SiteShare(app, site,
                                                 index_at(app.config["SITES_DATABASE_URI"]))
    listen_once(Session, "after_flush", note_changes)
    listen_once(Session, "after_commit", write_changes)
    listen_once(Session, "after_rollback", drop_changes)
    data_imported.connect(rebuild_after_import, app, weak=False)
