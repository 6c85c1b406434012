"""Stamps: small values every process of a server shares, that say "something changed".

A stamp is 16 bytes in a memory-mapped file: reading it costs a memory read, so a cached page
can check it on every request, and writing a new random value makes every process see the
change on its next read. That covers one machine. When the database is PostgreSQL, several
servers may share it, so a writer also sends `NOTIFY bantin_stamps, '<stamp name>'` inside its
transaction (delivered when it commits), and each process keeps one connection that LISTENs
and bumps its own server's copy of that stamp. While that connection is down, or while a
notification has arrived but is not applied yet, a process cannot know what changed
elsewhere, so `Listener.up_to_date()` is false and callers go to the database instead of
their caches.
"""

from __future__ import annotations

import logging
import mmap
import os
import secrets
import select
import threading
import time
import weakref

from sqlalchemy.engine import make_url

STAMP_SIZE = 16
CHANNEL = "bantin_stamps"
# The WSGI environ key holding when a request arrived (monotonic ns): every check of the
# stamps made for it waits for the notifications sent before then, and for those only.
ARRIVED = "bantin.arrived"
log = logging.getLogger(__name__)


class Stamp:
    """A value shared by every process of this server through a memory-mapped file."""

    def __init__(self, path: str):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.map: mmap.mmap | None = None
        self.lock = threading.Lock()

    def open(self) -> mmap.mmap:
        if self.map is None:
            with self.lock:
                if self.map is None:
                    self.map = self.map_file()
        return self.map

    def map_file(self) -> mmap.mmap:
        os.makedirs(os.path.dirname(self.path) or ".", mode=0o700, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < STAMP_SIZE:
                os.write(fd, secrets.token_bytes(STAMP_SIZE))
            return mmap.mmap(fd, STAMP_SIZE)
        finally:
            os.close(fd)

    def read(self) -> bytes:
        found = self.map
        return (found if found is not None else self.open())[:STAMP_SIZE]

    def bump(self) -> None:
        """Write a value never seen before: everything made under the old one is stale."""
        self.open()[:STAMP_SIZE] = secrets.token_bytes(STAMP_SIZE)


# Every stamp this process has open: by name (what a notification carries), then by path.
# Weak: a stamp lives as long as an app uses it (an app let go closes its file).
OPENED: dict[str, weakref.WeakValueDictionary[str, Stamp]] = {}
OPENED_LOCK = threading.Lock()


def stamp_at(path: str) -> Stamp:
    """The process's one Stamp for a file (every app of one site shares it)."""
    name = os.path.splitext(os.path.basename(path))[0]
    with OPENED_LOCK:
        by_path = OPENED.setdefault(name, weakref.WeakValueDictionary())
        stamp = by_path.get(path)
        if stamp is None:
            stamp = by_path[path] = Stamp(path)
        return stamp


def bump_named(name: str) -> None:
    """Bump every stamp of that name this process has opened (a change on another server)."""
    for stamp in list(OPENED.get(name, {}).values()):
        stamp.bump()


def bump_all() -> None:
    for name in list(OPENED):
        bump_named(name)


def announce(dbapi_connection, names: set[str]) -> None:
    """Queue notifications in the writer's open transaction: they go out when it commits."""
    cursor = dbapi_connection.cursor()
    try:
        for name in sorted(names):
            cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, name))
    finally:
        cursor.close()


class Listener:
    """One connection per process that hears other servers' changes and bumps our stamps.

    "A change made through one server is seen at once through the other" is a promise about
    order: the other server's request arrives after the writer's commit, and PostgreSQL
    signalled our listening session at that commit. An unread socket proves nothing (the
    notification may still be on its way), so a request that wants to trust its stamps waits
    for one round trip on this connection begun after it arrived: PostgreSQL delivers pending
    notifications before answering. Requests arriving together share one round trip.
    """

    def __init__(self, uri: str):
        url = make_url(uri).set(drivername="postgresql")
        self.dsn = url.render_as_string(hide_password=False)
        self.connected = threading.Event()
        self.lock = threading.Lock()  # the connection: one user at a time
        self.turn = threading.Condition()  # who makes the next round trip, who waits for it
        self.connection = None
        self.socket = -1
        self.synced_from = 0  # when the last finished round trip began (monotonic ns)
        self.syncing = False
        self.thread = threading.Thread(target=self.run, name="bantin-stamps", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def up_to_date(self, arrived: int | None = None) -> bool:
        """Tell whether every change committed before `arrived` (monotonic ns; default: now)
        has reached our stamps."""
        arrived = time.monotonic_ns() if arrived is None else arrived
        with self.turn:
            while self.synced_from < arrived:
                if not self.connected.is_set():
                    return False
                if not self.syncing:
                    self.syncing = True
                    break
                if not self.turn.wait(timeout=5):
                    return False
            else:
                return self.connected.is_set()
        started = time.monotonic_ns()
        done = self.round_trip()
        with self.turn:
            self.syncing = False
            if done:
                self.synced_from = max(self.synced_from, started)
            self.turn.notify_all()
        return done

    def round_trip(self) -> bool:
        """Ask the database once on the listening connection and apply what came with it."""
        with self.lock:
            if not self.connected.is_set():
                return False
            try:
                self.connection.execute("SELECT 1")
                self.apply()
            except Exception as err:  # noqa: BLE001 - the listener reconnects; untrusted till then
                log.warning("Change notifications unchecked (%s)", err)
                return False
        return True

    def apply(self) -> None:
        for notification in self.connection.notifies(timeout=0):
            bump_named(notification.payload)

    def run(self) -> None:
        while True:
            try:
                self.listen()
            except Exception as err:  # noqa: BLE001 - any failure: drop trust, retry
                log.warning("Change notifications interrupted (%s); retrying", err)
            time.sleep(1)

    def listen(self) -> None:
        import psycopg  # only PostgreSQL installs need it; SQLite sites never import it

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            try:
                with self.lock:
                    connection.execute(f"LISTEN {CHANNEL}")
                    # Whatever changed while we were not listening is unknown: forget it all.
                    bump_all()
                    self.connection, self.socket = connection, connection.fileno()
                    self.connected.set()
                self.hear()
            finally:
                with self.lock:
                    self.connected.clear()
                    self.connection, self.socket = None, -1

    def hear(self) -> None:
        """Apply notifications as they arrive; ask the link every half minute of quiet."""
        while True:
            waiting, _, _ = select.select([self.socket], [], [], 30)
            with self.lock:
                if not waiting:
                    self.connection.execute("SELECT 1")  # a quiet half minute: alive?
                self.apply()


LISTENERS: dict[str, Listener] = {}
FIRST_CONNECT_SECONDS = 5
LISTENERS_LOCK = threading.Lock()


def listen_to(uri: str) -> Listener:
    """Start (once per process and database) hearing changes made by other servers.

    The first caller waits a moment for the connection, so that a new process's caches
    work from its first requests rather than after a race with its own listener.
    """
    with LISTENERS_LOCK:
        listener = LISTENERS.get(uri)
        if listener is None:
            listener = LISTENERS[uri] = Listener(uri)
            listener.start()
            listener.connected.wait(timeout=FIRST_CONNECT_SECONDS)
        return listener
