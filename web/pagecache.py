"""Render once, serve many: finished public responses, kept compressed with their ETag, served
again without entering Flask until something they show changes.

Why a module of our own and not Flask-Caching: Flask-Caching memoises view results for a
timeout inside the request cycle (so each hit still builds a Flask request, runs the
before/after hooks and compresses again), and invalidates by key or timeout; across processes it
needs a Redis or memcached server. What a commune's server needs is the opposite trade: exact,
immediate invalidation on any change, in every process, with no extra service, and hits that
cost microseconds. So:

- **What is kept** (`may_keep`, the one rule): a GET answered 200 with `Cache-Control: public`
  and no cookie set, to a visitor without a session cookie (signed-in staff always get a fresh
  render), once the view said until when (a commune's public pages through web.caching, the
  province's front page, feed and searches through the same function). The key (`cache_key`,
  the one list of what a page varies on) is the host, the path with its query, and the raw
  `Accept-Encoding`, `Save-Data`, `Sec-Fetch-Site` and data-saver cookie values, so every
  variant the page can have is its own entry.
- **When it is stale**: an entry is served only while what it was made under (its validity:
  `SiteStamp` for a commune's pages, the province's newsroom for the province's own) still
  reads the same. A commune's stamp: every transaction that writes a table readers see writes
  a new random value, once it has ended, into a small shared file (its slot of
  `instance/stamps.table`, web.stamps; memory-mapped by every process, so one process's save is
  seen by all the others on the next request). Time-driven changes have a horizon: an entry also
  expires at local midnight (the header date), at the next scheduled publication and at the
  next expiry (`visibility_horizon`, or the province index's own).
- **Memory** is bounded by `PAGE_CACHE_MAX_BYTES` (entries not asked for lately go first); a
  province's sites and its own pages share one store per process (`shared_entries`).
- **Revalidation**: a matching `If-None-Match` gets a 304 straight from the entry.
"""

from __future__ import annotations

import functools
import math
import mmap
import os
import re
import sys
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context, request
from sqlalchemy import event, func, select
from werkzeug.http import parse_cookie, parse_etags

import models
from media.markup import SAVE_DATA_COOKIE
from models import (
    PUBLISHED,
    Article,
    ArticleView,
    AuditLog,
    LoginAttempt,
    PostCount,
    Revision,
    SignIn,
    db,
)
from web.served import SERVED
from web.stamps import ARRIVED, STAMP_SIZE, Listener, Stamp, announce, listen_to, stamp_at

STAMP_FILE = "page-cache.stamp"
# The WSGI environ key through which Flask tells the cache a response may be kept, and until when.
KEEP_UNTIL = "bantin.page_cache.until"
# Tables no public page shows: writing them leaves every cached page valid.
UNSEEN_TABLES = {
    model.__tablename__
    for model in (ArticleView, AuditLog, LoginAttempt, PostCount, Revision, SignIn)
}
# Response headers a cached entry never repeats (the request log adds its own id).
PER_RESPONSE = {"x-request-id", "date", "set-cookie"}


# Response headers most kept pages repeat word for word: each distinct pair of these is held
# once per process and shared by every entry that has it (at most SHARED_MAX pairs). A page
# not changed today says it changed when today began (public.last_modified): most share that.
SHARED_NAMES = {"content-type", "content-encoding", "vary", "cache-control",
                "content-security-policy", "x-content-type-options", "referrer-policy",
                "permissions-policy", "x-frame-options", "last-modified"}  # fmt: skip
SHARED_PAIRS: dict[tuple[str, str], tuple[str, str]] = {}
SHARED_MAX = 1024
# What a kept page varies on: the parts of `cache_key`.
KEY_PARTS = 9
# The store's own bytes for one entry: its slot in the dict, with room to spare.
STORE_LINK = 120


def shared(pair: tuple[str, str]) -> tuple[str, str]:
    """The process's one copy of a header pair kept pages repeat, or the pair itself."""
    found = SHARED_PAIRS.get(pair)
    if found is None and pair[0].lower() in SHARED_NAMES and len(SHARED_PAIRS) < SHARED_MAX:
        found = SHARED_PAIRS.setdefault(pair, pair)
    return found or pair


# Status lines and expiry times kept pages share (every site's pages made today expire at the
# same midnight): each held once per process, as the header pairs are, so that a hit reads the
# one copy every site's hits read (at most SHARED_MAX, then started again).
SHARED_VALUES: dict[str | float, str | float] = {}


def shared_value(value: str | float) -> str | float:
    """The process's one copy of a status line or an expiry time."""
    found = SHARED_VALUES.get(value)
    if found is None:
        if len(SHARED_VALUES) >= SHARED_MAX:
            SHARED_VALUES.clear()  # entries keep their copies; sharing starts again
        found = SHARED_VALUES.setdefault(value, value)
    return found


def whole_second(until: float) -> float:
    """An expiry on its whole second: never later, and made the same by pages kept at
    different moments of the day (`now()` + the seconds to midnight, say)."""
    return float(math.floor(until)) if math.isfinite(until) else until


@dataclass(slots=True)
class Entry:
    stamp: bytes
    until: float
    status: str
    headers: tuple[tuple[str, str], ...]  # one object: a list's items are a second
    body: bytes
    etag: str
    size: int = 0  # what keeping it costs, set by the store (`footprint`)
    used: bool = False  # asked for since the store's sweep last passed it (`Entries.sweep`)


def footprint(key: str, entry: Entry) -> int:
    """The bytes an entry holds in the process, Python's objects included: the body, the header
    pairs it does not share, the key, and the objects around them (not its shared status line
    and expiry). Counting only the body and header strings, a full 16 MB store held 20 MB
    (BENCHMARKS.md, "Lighter processes")."""
    headers = sum(
        sys.getsizeof(pair) + sys.getsizeof(pair[0]) + sys.getsizeof(pair[1])
        for pair in entry.headers
        if SHARED_PAIRS.get(pair) is not pair
    )
    return (
        sys.getsizeof(entry)
        + sys.getsizeof(entry.body)
        + sys.getsizeof(entry.headers)
        + headers
        + sys.getsizeof(entry.stamp)
        + sys.getsizeof(entry.etag)
        + sys.getsizeof(key)
        + STORE_LINK
    )


class Entries:
    """A map of entries bounded by their total size in bytes: past the bound, those not asked
    for since the sweep last passed them go first (the "clock" approximation of least recently
    used).

    A hit only marks its entry, which it reads anyway, and takes no lock: keeping an exact order
    (an ordered dict's move to the end) wrote the links of the entry and of its neighbours, three
    objects more a hit reads (BENCHMARKS.md, "Hot pages across 150 sites").
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.items: dict[str, Entry] = {}  # in the order the sweep meets them
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        entry = self.items.get(key)  # one read of a dict: atomic, no lock needed
        if entry is not None:
            entry.used = True
        return entry

    def put(self, key: str, entry: Entry) -> None:
        entry.size = footprint(key, entry)
        if entry.size > self.max_bytes:
            return
        with self.lock:
            self.drop(key)
            self.items[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                self.sweep(key)

    def sweep(self, kept: str) -> None:
        """Drop the first entry, unless it was asked for since the sweep last passed it (or is
        the one just kept): then it goes to the back, marked unused."""
        first = next(iter(self.items))
        entry = self.items[first]
        if entry.used or first == kept:
            entry.used = False
            del self.items[first]
            self.items[first] = entry
        else:
            self.drop(first)

    def drop(self, key: str) -> None:
        old = self.items.pop(key, None)
        if old is not None:
            self.bytes -= old.size

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


def cache_key(environ: dict) -> str | None:
    """The variant of a page this request asks for, or None when it must not be cached: the
    one list of what a kept page varies on, for a commune's pages and the province's alike.

    One string, its parts joined by NUL: a hit compares one object with the entry's, not nine
    (with 150 sites each object a hit reads costs a trip to memory; BENCHMARKS.md, "Hot pages
    across 150 sites"). A part that itself holds a NUL (a path's %00) would make two variants
    one string, so such a request is not cached at all.
    """
    cookie = environ.get("HTTP_COOKIE")
    cookies = parse_cookie(cookie) if cookie else {}  # most readers send none: nothing to read
    if "session" in cookies:
        return None
    key = "\0".join((
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_X_FORWARDED_PROTO", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT_ENCODING", ""),
        environ.get("HTTP_SAVE_DATA", ""),
        cookies.get(SAVE_DATA_COOKIE, ""),
        # Arriving from elsewhere gets the stylesheet inlined, from our own page a link to it.
        environ.get("HTTP_SEC_FETCH_SITE", ""),
    ))  # fmt: skip
    return key if key.count("\0") == KEY_PARTS - 1 else None


def now() -> float:
    """The current UNIX time, through models so that tests can move the clock."""
    return models.utcnow().timestamp()


def trusted(database_uri: str, environ: dict, listener: Listener | None = None) -> bool:
    """Tell whether a change on another server would reach our stamps (always, on SQLite).

    On PostgreSQL the first request starts this process's listener; until it is connected,
    whenever it loses its connection, and until the notifications sent before this request
    arrived are applied (`Listener.up_to_date`), nothing is served from the cache.
    """
    environ.setdefault(ARRIVED, time.monotonic_ns())
    if not database_uri.startswith("postgresql"):
        return True
    return (listener or listen_to(database_uri)).up_to_date(environ[ARRIVED])


class SiteStamp:
    """A commune's validity: its page-cache stamp, heard from every server of its database."""

    __slots__ = ("stamp", "database_uri", "listener", "local", "map", "at")

    def __init__(self, stamp: Stamp, database_uri: str):
        self.stamp = stamp
        self.database_uri = database_uri
        self.listener: Listener | None = None
        # SQLite: every writer is on this machine and bumps the shared file itself.
        self.local = not database_uri.startswith("postgresql")
        # The stamp's memory map once opened, and where in it the stamp lies (its table's, the
        # same for every site of a province): a hit reads them, not the Stamp.
        self.map = None
        self.at = 0

    def trusted(self, environ: dict) -> bool:
        if self.local:
            environ.setdefault(ARRIVED, time.monotonic_ns())
            return True
        if self.listener is None:
            self.listener = listen_to(self.database_uri)
        return trusted(self.database_uri, environ, self.listener)

    def read(self, _environ: dict) -> bytes:
        found = self.map
        if found is None:
            found = self.stamp.open()
            self.at = self.stamp.at  # before `map`: a thread that finds `map` reads `at`
            self.map = found
        at = self.at
        return found[at : at + STAMP_SIZE]

    def place(self) -> tuple[mmap.mmap, int] | None:
        """The stamp's map and offset on SQLite, whose every writer bumps it on this machine;
        None on PostgreSQL, where a hit must wait for other servers' notifications first."""
        if not self.local:
            return None
        self.read({})
        return self.map, self.at


class PageCache:
    """WSGI middleware in front of the request's app (web.served): answer from an entry, or
    render and keep."""

    __slots__ = ("wsgi_app", "entries", "hits")  # a hit reads no __dict__

    def __init__(self, wsgi_app, entries: Entries):
        self.wsgi_app = wsgi_app
        self.entries = entries
        self.hits = 0

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        key = cache_key(environ) if method in ("GET", "HEAD") else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        served = environ[SERVED]
        stamps = served.stamps
        if stamps is not None:  # a stamp only this machine's writers bump: read it where it lies
            trusted_, stamp = True, stamps[served.at : served.at + STAMP_SIZE]
        else:
            validity = served.validity
            trusted_ = validity.trusted(environ)
            # After trusted(): the notifications it waited for move what read() sees.
            stamp = validity.read(environ)
        entry = self.entries.get(key)
        if entry is not None and entry.stamp == stamp and now() < entry.until and trusted_:
            self.hits += 1
            return self.answer(entry, environ, start_response, method == "HEAD")
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self.render(key, stamp, environ, start_response)

    def answer(self, entry: Entry, environ, start_response, head: bool):
        """Send a kept response, or a 304 when the browser already has it."""
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if asked and entry.etag and parse_etags(asked).contains_weak(entry.etag):
            headers = [(k, v) for k, v in entry.headers if k.lower() in KEPT_ON_304]
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        start_response(entry.status, list(entry.headers))
        return [b""] if head else [entry.body]

    def render(self, key: str, stamp: bytes, environ, start_response):
        """Let Flask answer; keep the answer when `may_keep` said it may be kept (and it is
        still the 200 it approved: a later failure may have replaced it)."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        until = environ.get(KEEP_UNTIL)
        if until is None or not captured.get("status", "").startswith("200"):
            return body
        chunks = list(body)
        if hasattr(body, "close"):
            body.close()
        self.keep(key, stamp, until, captured, b"".join(chunks))
        return chunks

    def keep(self, key: str, stamp: bytes, until: float, captured: dict, body: bytes) -> None:
        headers = tuple(
            shared((name, value))
            for name, value in captured["headers"]
            if name.lower() not in PER_RESPONSE
        )
        etag = next((v for k, v in headers if k.lower() == "etag"), "")
        if etag:
            etag = parse_etags(etag).as_set(include_weak=True).pop()
        status = shared_value(captured["status"])
        self.entries.put(key, Entry(stamp, shared_value(whole_second(until)), status, headers,
                                    body, etag))


KEPT_ON_304 = {"etag", "cache-control", "last-modified", "vary", "expires"}


# --- What Flask tells the cache ---------------------------------------------------------------


def may_keep(response, until: float, horizon: Callable[[], float] | None = None) -> None:
    """Let the page cache keep this public response until `until` (a UNIX time) at the latest,
    or until what it shows next changes by itself: `horizon()`, by default the site's next
    scheduled publication or expiry. The one rule for what may be kept, every page's."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.direct_passthrough
        and response.cache_control.public
        and "Set-Cookie" not in response.headers
    ):
        request.environ[KEEP_UNTIL] = min(until, (horizon or visibility_horizon)())


def visibility_horizon() -> float:
    """The next moment an article appears or disappears by itself (a UNIX time, or +inf)."""
    now = models.utcnow()
    published = Article.status == PUBLISHED
    starts = db.session.scalar(
        select(func.min(Article.publish_at)).where(published, Article.publish_at > now)
    )
    ends = db.session.scalar(
        select(func.min(Article.expire_at)).where(published, Article.expire_at > now)
    )
    moments = [m.timestamp() for m in (starts, ends) if m is not None]
    return min(moments, default=float("inf"))


# --- Knowing when something readers see has changed ------------------------------------------

# Statements that write nothing.
READING = re.compile(
    r"\s*(SELECT|PRAGMA|EXPLAIN|SHOW|SET|BEGIN|SAVEPOINT|RELEASE|ROLLBACK)\b", re.I
)
CTE = re.compile(r"\s*WITH\b", re.I)
WRITING_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
# A write naming its table, to tell writes readers never see from the rest.
WRITES_TO = re.compile(r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I)


def changes_pages(statement: str) -> bool:
    """Tell whether a SQL statement may change what a public page shows."""
    if READING.match(statement):
        return False
    if CTE.match(statement) and not WRITING_WORD.search(statement):
        return False  # WITH ... SELECT (the search's materialised matches) reads only
    target = WRITES_TO.match(statement)
    return target is None or target[1].lower() not in UNSEEN_TABLES


# Set on a connection while it writes what no reader sees (unseen_by_readers).
UNSEEN = "bantin.unseen_by_readers"


@contextmanager
def unseen_by_readers():
    """Flush inside this block writes that change no public page, such as a reader's question
    waiting for staff: a flood of them then leaves every cached page valid. Commit after the
    block; anything readers do see must be written outside it."""
    info = db.session.connection().info
    info[UNSEEN] = True
    try:
        yield
    finally:
        info.pop(UNSEEN, None)


# Engines already watched: every app of a process may share one (PostgreSQL province hosting).
WATCHED: weakref.WeakSet = weakref.WeakSet()


def current_stamp() -> Stamp | None:
    return current_app.extensions.get("page_cache") if has_app_context() else None


def watch(engine) -> None:
    """Bump the writing site's stamp once a connection that wrote something readers see is
    given back, and on PostgreSQL tell the other servers when the write commits.

    The pool takes a connection back only after its transaction committed or rolled back, so
    a page rendered after the bump can never have read the data from before the change.
    Watching SQL rather than ORM objects also catches bulk writes, imports and migrations.
    The stamp is the current app's: one engine may serve several sites' apps.
    """
    if engine in WATCHED:
        return
    WATCHED.add(engine)

    def note(conn, _cursor, statement, _parameters, _context, _executemany):
        stamp = current_stamp()
        if conn.info.get(UNSEEN):
            return
        if stamp is not None and changes_pages(statement):
            conn.info.setdefault("pages_changed", {})[stamp.path] = stamp

    def tell_other_servers(conn):
        changed = conn.info.get("pages_changed")
        if changed and conn.dialect.name == "postgresql":
            announce(conn.connection.dbapi_connection, {s.name for s in changed.values()})

    def bump_if_changed(_dbapi_connection, record):
        for stamp in record.info.pop("pages_changed", {}).values():
            stamp.bump()

    event.listen(engine, "after_cursor_execute", note)
    event.listen(engine, "commit", tell_other_servers)
    event.listen(engine.pool, "checkin", bump_if_changed)


# One bounded store per process, shared by every site's app in it (keys carry the host).
SHARED_ENTRIES: dict[int, Entries] = {}


def shared_entries(max_bytes: int) -> Entries:
    return SHARED_ENTRIES.setdefault(max_bytes, Entries(max_bytes))


def init_app(app: Flask) -> None:
    """Watch the app's database for changes readers see, under the app's own stamp."""
    path = app.config["PAGE_CACHE_STAMP"] or os.path.join(app.instance_path, STAMP_FILE)
    app.extensions["page_cache"] = stamp_at(path)
    with app.app_context():
        watch(db.engine)


def validity(app: Flask) -> SiteStamp:
    """What a commune's kept pages are valid under: its own stamp (`init_app`), heard from every
    server of its database."""
    return SiteStamp(app.extensions["page_cache"], app.config["SQLALCHEMY_DATABASE_URI"])


def layer(app: Flask, entries: Entries | None = None):
    """The WSGI layer that answers kept pages before Flask runs (None when the cache is off),
    each valid while the validity of the request's app (web.served) reads what it was made
    under.

    `entries` is the store to keep pages in: a province's sites and its own pages share one per
    process, so that PAGE_CACHE_MAX_BYTES bounds the process, not each of its sites.
    """
    max_bytes = app.config["PAGE_CACHE_MAX_BYTES"]
    if max_bytes <= 0:
        return None
    store = entries if entries is not None else Entries(max_bytes)
    return functools.partial(PageCache, entries=store)
