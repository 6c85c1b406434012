"""Render once, serve many: finished public responses, kept compressed with their ETag, served
again without entering Flask until something they show changes.

Why a module of our own and not Flask-Caching: Flask-Caching memoises view results for a
timeout inside the request cycle (so each hit still builds a Flask request, runs the
before/after hooks and compresses again), and invalidates by key or timeout; across processes it
needs a Redis or memcached server. What a commune's server needs is the opposite trade: exact,
immediate invalidation on any change, in every process, with no extra service, and hits that
cost microseconds. So:

- **What is kept**: a GET of the public blueprint answered 200 with `Cache-Control: public` to a
  visitor without a session cookie (signed-in staff always get a fresh render). The key is the
  host, the path with its query, and the raw `Accept-Encoding`, `Save-Data`, `Sec-Fetch-Site`
  and data-saver cookie values, so every variant the page can have is its own entry.
- **When it is stale**: every transaction that writes a table readers see writes a new random
  value, once it has ended, into a small shared file (`instance/page-cache.stamp`,
  memory-mapped by every process, so one process's save is seen by all the others on the next
  request); an entry is served only while
  the stamp it was rendered under is still the stamp. Time-driven changes have a horizon: an
  entry also expires at local midnight (the header date), at the next scheduled publication and
  at the next expiry (`visibility_horizon`).
- **Memory** is bounded by `PAGE_CACHE_MAX_BYTES` (least recently used entries go first).
- **Revalidation**: a matching `If-None-Match` gets a 304 straight from the entry.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
import weakref
from collections import OrderedDict
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
from web.stamps import ARRIVED, Listener, Stamp, announce, listen_to, stamp_at

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


@dataclass
class Entry:
    stamp: bytes
    until: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class Entries:
    """A least-recently-used map of entries, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.items: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.items.get(key)
            if entry is not None:
                self.items.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self.lock:
            self.drop(key)
            self.items[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                self.drop(next(iter(self.items)))

    def drop(self, key: tuple) -> None:
        old = self.items.pop(key, None)
        if old is not None:
            self.bytes -= old.size

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.bytes = 0


def cache_key(environ: dict) -> tuple | None:
    """The variant of a page this request asks for, or None when it must not be cached."""
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    if "session" in cookies:
        return None
    return (
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
    )


def now() -> float:
    """The current UNIX time, through models so that tests can move the clock."""
    return models.utcnow().timestamp()


class PageCache:
    """WSGI middleware in front of the Flask app: answer from an entry, or render and keep."""

    def __init__(self, wsgi_app, stamp: Stamp, entries: Entries, database_uri: str):
        self.wsgi_app = wsgi_app
        self.stamp = stamp
        self.entries = entries
        self.database_uri = database_uri
        self.listener: Listener | None = None
        self.hits = 0

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        key = cache_key(environ) if method in ("GET", "HEAD") else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        trusted = self.trusted(environ)
        stamp = self.stamp.read()  # after trusted(): the notifications it waited for move it
        entry = self.entries.get(key)
        if entry is not None and entry.stamp == stamp and now() < entry.until and trusted:
            self.hits += 1
            return self.answer(entry, environ, start_response, method == "HEAD")
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self.render(key, stamp, environ, start_response)

    def trusted(self, environ) -> bool:
        """Tell whether a change on another server would reach our stamp (always, on SQLite).

        On PostgreSQL the first request starts this process's listener; until it is connected,
        whenever it loses its connection, and until the notifications sent before this request
        arrived are applied (`Listener.up_to_date`), nothing is served from the cache.
        """
        environ.setdefault(ARRIVED, time.monotonic_ns())
        if not self.database_uri.startswith("postgresql"):
            return True
        if self.listener is None:
            self.listener = listen_to(self.database_uri)
        return self.listener.up_to_date(environ[ARRIVED])

    def answer(self, entry: Entry, environ, start_response, head: bool):
        """Send a kept response, or a 304 when the browser already has it."""
        if entry.etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(
            entry.etag
        ):
            headers = [(k, v) for k, v in entry.headers if k.lower() in KEPT_ON_304]
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        start_response(entry.status, list(entry.headers))
        return [b""] if head else [entry.body]

    def render(self, key: tuple, stamp: bytes, environ, start_response):
        """Let Flask answer; keep the answer when the public blueprint says it may be kept."""
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

    def keep(self, key: tuple, stamp: bytes, until: float, captured: dict, body: bytes) -> None:
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in PER_RESPONSE]
        etag = next((v for k, v in headers if k.lower() == "etag"), "")
        if etag:
            etag = parse_etags(etag).as_set(include_weak=True).pop() if etag else ""
        self.entries.put(key, Entry(stamp, until, captured["status"], headers, body, etag))


KEPT_ON_304 = {"etag", "cache-control", "last-modified", "vary", "expires"}


# --- What Flask tells the cache ---------------------------------------------------------------


def may_keep(response, until: float) -> None:
    """Let the page cache keep this public response until `until` (a UNIX time) at the latest."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.direct_passthrough
        and response.cache_control.public
        and "Set-Cookie" not in response.headers
    ):
        request.environ[KEEP_UNTIL] = min(until, visibility_horizon())


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


def layer(app: Flask, entries: Entries | None = None):
    """The WSGI layer that answers kept pages before Flask runs (None when the cache is off).

    `entries` is the store to keep pages in: a province's sites share one per process, so
    that PAGE_CACHE_MAX_BYTES bounds the process, not each of its sites.
    """
    max_bytes = app.config["PAGE_CACHE_MAX_BYTES"]
    if max_bytes <= 0:
        return None
    store = entries if entries is not None else Entries(max_bytes)
    return functools.partial(PageCache, stamp=app.extensions["page_cache"], entries=store,
                             database_uri=app.config["SQLALCHEMY_DATABASE_URI"])
