"""Visit counts: how many times readers opened each article, per day, counted on the server.

- **Where**: a WSGI middleware outside the page cache, so that a view the cache answers (or a
  304 it gives a browser revalidating) counts like one Flask rendered. It reads the path and
  the status only: a regular expression and an append to one list per article view (`Noted`),
  a few microseconds, so a cached page stays as fast as it was.
- **What is kept**: the article's id, Vietnam's date and a number. No address, no cookie, no
  user agent: nothing that tells one reader from another (Decree 13/2023/NĐ-CP has nothing to
  protect here). Requests from crawlers and link previews (their user agent says so) and HEAD
  requests are not views.
- **When it is written**: each process adds its counts up in memory and a background thread
  adds them to `article_view` every VISITS_FLUSH_SECONDS (and as the process ends, granian's
  workers too), one upsert per (article, day), so several processes and servers add up to the
  right total. The table is one the page cache ignores (web.pagecache.UNSEEN_TABLES): counting
  never empties it.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import weakref
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

import models
from models import Article, ArticleView, db
from vietnamese import to_local
from web.logs import flush_at_exit
from web.served import SERVED, Served

log = logging.getLogger(__name__)
ARTICLE_PATH = re.compile(r"^/tin/[^/]*-(\d{1,18})$")
# User agents that announce a program, not a reader.
NOT_A_READER = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|zalo.*link|curl|wget|python-|"
    r"go-http|java/|headless|lighthouse|monitor|uptime",
    re.I,
)
COUNTED = ("200", "304")
# Distinct user agents whose verdict is remembered: readers' browsers are a few hundred strings.
AGENTS_REMEMBERED = 512


@functools.lru_cache(maxsize=AGENTS_REMEMBERED)
def is_program(user_agent: str) -> bool:
    """Tell whether a user agent is a program's (a crawler, a link preview), not a reader's.

    Remembered per string: NOT_A_READER searched through a phone browser's user agent costs
    about 20 µs, more than the page cache's whole answer (BENCHMARKS.md, "Hot pages across 150
    sites"), and every reader with the same browser sends the same string.
    """
    return NOT_A_READER.search(user_agent) is not None


class Day:
    """Vietnam's date now, kept with the span of UTC time it covers: nearly every view falls
    inside the span, and comparing two UTC times costs a fraction of converting one."""

    def __init__(self):
        never = datetime.max.replace(tzinfo=UTC)
        self.span: tuple[datetime, datetime, date | None] = (never, never, None)

    def at(self, moment: datetime) -> date:
        start, end, day = self.span
        if start <= moment < end:
            return day
        local = to_local(moment)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        self.span = (midnight.astimezone(UTC), (midnight + timedelta(days=1)).astimezone(UTC),
                     local.date())  # fmt: skip
        return self.span[2]  # the very object later views get: they compare it by identity


DAY = Day()


def today() -> date:
    return DAY.at(models.utcnow())


# Held while any app's counts change: one lock every site shares stays in the CPU's caches,
# 150 sites' own locks do not (BENCHMARKS.md, "Hot pages across 150 sites").
COUNTING = threading.Lock()


class Noted:
    """Views noted since the apps' counts were last settled, every app's in one list: a view
    appends its app's record (web.served, which the request has read on its way already) and
    the article id to it instead of adding to its own app's dictionary, which with 150 sites
    has fallen out of the CPU's caches (BENCHMARKS.md, "Hot pages across 150 sites"). They are
    added to each app's counts (`settle`) when the list is full, when Vietnam's day turns, and
    before any app's counts are taken.

    The list holds the two one after the other, not as a pair: a pair per view was one more
    object for the garbage collector to follow, and thousands of them waiting set off its full
    collections, which with 150 sites' objects cost milliseconds."""

    __slots__ = ("views", "day", "unwatched")

    def __init__(self):
        self.views: list[Served | int] = []  # app, article id, app, article id, ...
        self.day: date | None = None  # the day of every view in the list
        # Apps whose counts a settle made non-empty, the writer not told yet (`settled`).
        self.unwatched: set[Visits] = set()

    def add(self, served: Served, article: int, day: date) -> bool:
        """Note a view; tell whether the list was empty (the first view of a batch, whose app
        the writer must come for: it then settles the rest, `Writer.flush_all`)."""
        with COUNTING:
            if day is not self.day:
                self.settle()
                self.day = day
            first = not self.views
            self.views += (served, article)
            if len(self.views) >= 2 * NOTED_MAX:
                self.settle()
        return first

    def settle(self) -> None:
        """Add the views noted to their apps' counts (under COUNTING)."""
        noted, self.views = self.views, []
        pairs = zip(noted[::2], noted[1::2], strict=True)
        for (served, article), views in Counter(pairs).items():
            if served.visits.count(article, self.day, views):
                self.unwatched.add(served.visits)

    def settled(self) -> set[Visits]:
        """Settle every view noted (under COUNTING); the apps whose counts were empty before
        this or an earlier settle, which the writer must now come for."""
        self.settle()
        unwatched, self.unwatched = self.unwatched, set()
        return unwatched


# Views noted before they are added to their apps' counts (some 64 KB of references at most).
NOTED_MAX = 4096
NOTED = Noted()


class Visits:
    """One app's counts not yet written (the process's one writer thread writes them): the
    views of Vietnam's current day by article id, those of days before by (id, day)."""

    __slots__ = ("app", "day", "views", "earlier", "__weakref__")  # a view reads no __dict__

    def __init__(self, app: Flask):
        self.app = app
        self.day: date | None = None
        # Keyed by the id alone: a view reads the stored number, not a stored (id, day) pair.
        self.views: dict[int, int] = {}
        self.earlier: Counter = Counter()

    def count(self, article: int, day: date, views: int) -> bool:
        """Add views of an article on `day` (under COUNTING); tell whether the counts were
        empty before, so that the writer must come for them."""
        if day is not self.day:
            self.turn(day)
        first = not self.views and not self.earlier
        self.views[article] = self.views.get(article, 0) + views
        return first

    def turn(self, day: date) -> None:
        """Start counting `day` (under COUNTING): the views so far belong to the day before."""
        for article, count in self.views.items():
            self.earlier[article, self.day] += count
        self.day, self.views = day, {}

    def take(self) -> Counter:
        """The counts not written yet, by (article id, day); none are left."""
        with COUNTING:
            others = NOTED.settled() - {self}
            taken, self.earlier = self.earlier, Counter()
            for article, count in self.views.items():
                taken[article, self.day] += count
            self.views = {}
        watch(others)  # the other apps' views just settled: the writer must come for them
        return taken

    def flush(self) -> int:
        """Add the counts so far to the table; keep them for the next try if that fails."""
        taken = self.take()
        if not taken:
            return 0
        try:
            with self.app.app_context():
                return write(taken)
        except SQLAlchemyError as err:
            log.warning("Visit counts not written yet: %s", err)
            with COUNTING:
                self.earlier.update(taken)
            watch((self,))  # next round
            return 0


class Writer:
    """The process's one background thread, writing every app's counts each VISITS_FLUSH_SECONDS
    (a province's 150 sites share it), and once more when the process ends."""

    def __init__(self):
        self.pending: weakref.WeakSet[Visits] = weakref.WeakSet()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def watch(self, visits: Visits, seconds: float) -> None:
        if visits in self.pending and self.thread is not None:
            return
        with self.lock:
            self.pending.add(visits)
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, args=(seconds,), daemon=True,
                                               name="visits")  # fmt: skip
                self.thread.start()
                flush_at_exit(self.flush_all)  # granian's workers skip atexit

    def run(self, seconds: float) -> None:
        while True:
            time.sleep(seconds)
            self.flush_all()

    def flush_all(self) -> None:
        with COUNTING:
            settled = NOTED.settled()
        watch(settled)
        with self.lock:
            every = list(self.pending)
            self.pending = weakref.WeakSet()
        for visits in every:
            visits.flush()


WRITER = Writer()


def watch(apps_counts) -> None:
    """Have the writer come for these apps' counts, each after its VISITS_FLUSH_SECONDS (never,
    where that is 0: tests write them themselves)."""
    for visits in apps_counts:
        if visits.app.config["VISITS_FLUSH_SECONDS"]:
            WRITER.watch(visits, visits.app.config["VISITS_FLUSH_SECONDS"])


def write(counts: Counter) -> int:
    """Upsert each (article, day) count, for articles that still exist; return the views."""
    ids = {article_id for article_id, _ in counts}
    existing = set(db.session.scalars(select(Article.id).where(Article.id.in_(ids))))
    rows = [{"article_id": a, "day": d, "count": n} for (a, d), n in counts.items()
            if a in existing]  # fmt: skip
    if rows:
        statement = models.upsert(ArticleView)
        statement = statement.on_conflict_do_update(
            index_elements=["article_id", "day"],
            set_={"count": ArticleView.count + statement.excluded.count},
        )
        db.session.execute(statement, rows)
        db.session.commit()
    return sum(row["count"] for row in rows)


def note(served: Served, environ: dict, status: str) -> None:
    """Count one view of an article in the counts of the app `served` stands for, if this
    request was one."""
    if environ.get("REQUEST_METHOD") != "GET" or not status.startswith(COUNTED):
        return
    found = ARTICLE_PATH.match(environ.get("PATH_INFO", ""))
    if found is None or is_program(environ.get("HTTP_USER_AGENT", "")):
        return
    if NOTED.add(served, int(found[1]), today()):
        # Once per batch, not per view: nothing was noted, so the writer took the last.
        watch((served.visits,))


class VisitCounter:
    """WSGI middleware: note each response's status in the counts of the request's app
    (web.served; the province's own pages count none), then pass it on."""

    __slots__ = ("wsgi_app",)

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        served = environ[SERVED]
        if served.visits is None:
            return self.wsgi_app(environ, start_response)

        def noting(status, headers, exc_info=None):
            note(served, environ, status)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, noting)


def most_read(days: int, limit: int = 10):
    """Return the select of (article, views) most read in the last `days` days."""
    since = date.fromordinal(today().toordinal() - days + 1)
    views = db.func.sum(ArticleView.count).label("views")
    return (
        select(Article, views)
        .join(ArticleView, ArticleView.article_id == Article.id)
        .where(ArticleView.day >= since)
        .group_by(Article.id)
        .order_by(views.desc(), Article.id.desc())
        .limit(limit)
    )


def init_app(app: Flask) -> None:
    """Keep the process's counts of article views, written in batches."""
    app.extensions["visits"] = Visits(app)

