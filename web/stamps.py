"""Stamps: small values every process of a server shares, that say "something changed".

A stamp is 16 bytes in a memory-mapped file: reading it costs a memory read, so a cached page
can check it on every request, and writing a new random value makes every process see the
change on its next read. The stamps of one folder lie side by side in one file (`Table`): a
province's 150 page-cache stamps then share a page of memory that every hit reads, where a
file each put every site's stamp on a page of its own, a trip to memory and a miss in the
processor's cache of addresses on each hit (BENCHMARKS.md, "One table for every site's
stamp"). That covers one machine. When the database is PostgreSQL, several
servers may share it, so a writer also sends `NOTIFY bantin_stamps, '<stamp name>'` inside its
transaction (delivered when it commits), and each process keeps one connection that LISTENs
and bumps its own server's copy of that stamp. While that connection is down, or while a
notification has arrived but is not applied yet, a process cannot know what changed
elsewhere, so `Listener.up_to_date()` is false and callers go to the database instead of
their caches.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import secrets
import select
import threading
import time
import weakref

from sqlalchemy.engine import make_url

try:
    import fcntl  # the file lock under which a table's slots are claimed
except ImportError:  # Windows: every stamp keeps a file of its own
    fcntl = None

STAMP_SIZE = 16
# A table's slot: the digest of the stamp's file name, then the stamp. The file's size never
# changes, so no process ever maps past its end.
TABLE_FILE = "stamps.table"
NAME_SIZE = 16
SLOT_SIZE = NAME_SIZE + STAMP_SIZE
TABLE_SLOTS = 4096
TABLE_SIZE = SLOT_SIZE * TABLE_SLOTS
EMPTY = bytes(NAME_SIZE)
CHANNEL = "bantin_stamps"
# The WSGI environ key holding when a request arrived (monotonic ns): every check of the
# stamps made for it waits for the notifications sent before then, and for those only.
ARRIVED = "bantin.arrived"
log = logging.getLogger(__name__)


class Table:
    """One folder's stamps, side by side in one memory-mapped file of a fixed size.

    A stamp's slot is found by the digest of its file name, and claimed, with a new value, by
    the first process that opens it, under a lock on the file: the first free slot, so that a
    folder's stamps fill the table's first page or two. A claimed slot is never given back: a
    site added again finds its own.
    """

    def __init__(self, folder: str):
        self.folder = folder
        self.path = os.path.join(folder, TABLE_FILE)
        self.map: mmap.mmap | None = None
        self.lock = threading.Lock()

    def slot(self, name: str) -> int | None:
        """Where in `map` the stamp of that file name lies, or None when every slot is taken."""
        digest = hashlib.blake2b(name.encode(), digest_size=NAME_SIZE).digest()
        with self.lock:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if os.fstat(fd).st_size < TABLE_SIZE:
                        os.ftruncate(fd, TABLE_SIZE)
                    if self.map is None:
                        self.map = mmap.mmap(fd, TABLE_SIZE)
                    return self.claim(digest)
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)  # the map holds the same open file
            finally:
                os.close(fd)

    def claim(self, digest: bytes) -> int | None:
        table = self.map
        for start in range(0, TABLE_SIZE, SLOT_SIZE):
            held = table[start : start + NAME_SIZE]
            if held == digest:
                return start + NAME_SIZE
            if held == EMPTY:
                table[start + NAME_SIZE : start + SLOT_SIZE] = secrets.token_bytes(STAMP_SIZE)
                table[start : start + NAME_SIZE] = digest
                return start + NAME_SIZE
        return None


# Each folder's table, while a stamp of it is open (a stamp holds its table).
TABLES: weakref.WeakValueDictionary[str, Table] = weakref.WeakValueDictionary()
TABLES_LOCK = threading.Lock()


def table_for(folder: str) -> Table:
    with TABLES_LOCK:
        table = TABLES.get(folder)
        if table is None:
            table = TABLES[folder] = Table(folder)
        return table


class Stamp:
    """A value shared by every process of this server through a memory-mapped file: its slot
    in its folder's table, or where that is full (or on Windows) a file of its own at `path`."""

    def __init__(self, path: str):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.map: mmap.mmap | None = None
        self.at = 0  # where in `map` the value lies
        self.table: Table | None = None
        self.lock = threading.Lock()

    def open(self) -> mmap.mmap:
        if self.map is None:
            with self.lock:
                if self.map is None:
                    found = self.map_slot()  # sets `at` first: whoever finds `map` reads `at`
                    self.map = found if found is not None else self.map_file()
        return self.map

    def map_slot(self) -> mmap.mmap | None:
        if fcntl is None:
            return None
        table = table_for(os.path.dirname(os.path.abspath(self.path)))
        at = table.slot(os.path.basename(self.path))
        if at is None:
            return None
        self.table, self.at = table, at
        return table.map

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
        found = self.map if self.map is not None else self.open()
        return found[self.at : self.at + STAMP_SIZE]

    def bump(self) -> None:
        """Write a value never seen before: everything made under the old one is stale."""
        found = self.open()
        found[self.at : self.at + STAMP_SIZE] = secrets.token_bytes(STAMP_SIZE)


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
