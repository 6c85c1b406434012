"""Request bodies that arrive too slowly are ended with a 408, so they cannot hold a worker.

granian (2.8) hands the app a body as it arrives and has no timeout for it (upstream declined
one: emmett-framework/granian#728), and a WSGI read cannot be interrupted. So every read of a
body is done by a helper thread (`TimedInput`) while the request's own thread waits for it
against two rules:

- idle: a read that gets nothing for `BODY_IDLE_SECONDS` is ended;
- pace: once a body has made the app wait `BODY_GRACE_SECONDS`, it must have sent at least
  `BODY_MIN_RATE` bytes for each second of that waiting (a 2G/EDGE phone sends 3,750 bytes a
  second or more; a client dribbling one byte at a time sends a few).

Only the time the app spends waiting in a read counts, never its own work between reads. An
ended body raises werkzeug's `RequestTimeout` (the 408 page, web.errors), and `BodyDeadline`
answers it with `Connection: close`; every later read of that body raises it again, so nothing
ever takes a cut body for a whole one.

What granian 2.8.7 makes of the helper left waiting: after the app returns, the worker takes
the body back under the lock the helper's pending read holds (src/wsgi/callbacks.rs,
`body_stream.blocking_lock()`), so the worker is free again only once that read returns. The
helper therefore asks for one byte whenever the body has just made it wait (it then returns
with the sender's next packet) and for larger pieces only while they come at once, never
more than half the floor rate brings in the idle time (2.5 KB at the defaults: a read counts
nothing until all it asked for has come, and data the server kept while the app was busy
must not make the next read a long one). A client that goes on dribbling frees the worker at
its next byte after the 408. One that falls silent
without closing its connection would hold it for good, and no Python code can run in the
frozen worker (its thread waits on that lock with the GIL held). So when a body is ended
under granian with a read still pending, the process arms faulthandler's watchdog, a C
thread that needs no GIL: unless the read returns within `BODY_STALLED_EXIT_SECONDS`, it
writes every thread's stack to the log and ends the worker, which `make serve`'s
`--respawn-failed-workers` replaces (gunicorn's worker timeout, for the one case that needs
it). The README's nginx front, which reads bodies whole and drops a stalled one, never lets
it come to that (ARCHITECTURE.md, "Slow bodies").
"""

from __future__ import annotations

import faulthandler
import functools
import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import RequestTimeout

log = logging.getLogger("bantin.bodies")

LARGEST_PIECE = 64 * 1024
# A piece read faster than this was waiting in the server's buffer: ask for more next time.
AT_ONCE = 0.002


@dataclass(frozen=True)
class Pace:
    """How slowly a body may come: see the module's docstring."""

    idle: float
    min_rate: float
    grace: float
    stalled_exit: float = 0.0  # 0: the server is not one a pending read freezes

    @property
    def largest_piece(self) -> int:
        """The most one read of the server's may ask for: granian counts nothing until all of
        it has come, so even at half the floor rate it must come well within `idle`."""
        return max(1, min(LARGEST_PIECE, int(self.min_rate * self.idle / 2)))

    @classmethod
    def from_config(cls, config, freezes: bool = False) -> Pace:
        return cls(
            idle=float(config["BODY_IDLE_SECONDS"]),
            min_rate=float(config["BODY_MIN_RATE"]),
            grace=float(config["BODY_GRACE_SECONDS"]),
            stalled_exit=float(config["BODY_STALLED_EXIT_SECONDS"]) if freezes else 0.0,
        )


class Watchdog:
    """The process's one faulthandler timer, armed while any ended body's read is pending."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = 0

    def arm(self, seconds: float) -> None:
        with self.lock:
            self.pending += 1
            if self.pending == 1:
                faulthandler.dump_traceback_later(seconds, exit=True)
        log.warning("A request body ended for slowness is still unread; this worker ends in "
                    "%.0f s unless it comes", seconds)

    def disarm(self) -> None:
        with self.lock:
            self.pending -= 1
            if self.pending == 0:
                faulthandler.cancel_dump_traceback_later()


WATCHDOG = Watchdog()


class Read:
    """One read handed to the helper thread: what it gathered, whether it is over."""

    def __init__(self, size: int):
        self.size = size
        self.parts: list[bytes] = []
        self.error: BaseException | None = None
        self.done = False
        self.watched = False  # ended while pending: the watchdog waits for it


class TimedInput:
    """`wsgi.input`, read by a helper thread and waited for against a `Pace`."""

    def __init__(self, stream, pace: Pace):
        self.stream = stream
        self.pace = pace
        self.changed = threading.Condition()
        self.received = 0  # bytes the helper has read so far
        self.waited = 0.0  # seconds the app spent waiting in earlier reads
        self.last_byte = 0.0  # when the helper last got something
        self.piece = 1
        self.ended = False

    def read(self, size: int | None = -1) -> bytes:
        if size == 0:
            return b""
        return self.wait_for(Read(-1 if size is None else size))

    def readline(self, size: int | None = -1) -> bytes:
        """Read up to a newline (werkzeug never asks; kept for the WSGI interface)."""
        line = bytearray()
        while not line.endswith(b"\n") and (size is None or size < 0 or len(line) < size):
            byte = self.read(1)
            if not byte:
                break
            line += byte
        return bytes(line)

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")

    def wait_for(self, job: Read) -> bytes:
        """Start `job` on a helper thread; wait until it is done or the body is too slow."""
        if self.ended:
            raise RequestTimeout()
        started = time.monotonic()
        threading.Thread(target=self.gather, args=(job,), daemon=True, name="body-read").start()
        with self.changed:
            try:
                while not job.done:
                    remaining = self.deadline(started) - time.monotonic()
                    if remaining <= 0:
                        self.end(job)
                        raise RequestTimeout()
                    self.changed.wait(remaining)
            finally:
                self.waited += time.monotonic() - started
        if job.error is not None:
            raise job.error
        return b"".join(job.parts)

    def end(self, job: Read) -> None:
        """Mark the body ended; where its pending read freezes the worker, arm the watchdog
        (called with `changed` held, so the helper's end is seen either before or after)."""
        self.ended = True
        if self.pace.stalled_exit > 0:
            job.watched = True
            WATCHDOG.arm(self.pace.stalled_exit)

    def deadline(self, started: float) -> float:
        """The moment this read is over, by the idle rule or the pace rule, whichever first."""
        idle_end = max(self.last_byte, started) + self.pace.idle
        owed = max(self.pace.grace, self.received / self.pace.min_rate)
        return min(idle_end, started + owed - self.waited)

    def gather(self, job: Read) -> None:
        """The helper: read `job.size` bytes (all, when negative) in pieces, telling the
        waiting thread after each one."""
        try:
            wanted = job.size if job.size >= 0 else None
            while wanted is None or wanted > 0:
                asked = self.piece if wanted is None else min(self.piece, wanted)
                before = time.monotonic()
                piece = self.stream.read(asked)
                self.note(job, piece, time.monotonic() - before)
                if not piece:
                    break  # the end of the body
                if wanted is not None:
                    wanted -= len(piece)
        except BaseException as error:  # noqa: BLE001 - any failure is the waiting thread's to raise
            job.error = error
        finally:
            with self.changed:
                job.done = True
                if job.watched:
                    WATCHDOG.disarm()
                self.changed.notify_all()

    def note(self, job: Read, piece: bytes, took: float) -> None:
        """Count a piece; size the next one: larger while they come at once, one byte after
        a wait (so a read pending when the body is ended returns with the next packet)."""
        at_once = took < AT_ONCE
        self.piece = min(self.piece * 4, self.pace.largest_piece) if at_once else 1
        job.parts.append(piece)
        if piece:
            with self.changed:  # no need to wake the waiting thread: its deadline only moves on
                self.received += len(piece)
                self.last_byte = time.monotonic()


# Servers that hold an app to PEP 3333's ban on hop-by-hop headers (waitress raises, wsgiref
# asserts) and close or buffer on their own: a cut body's 408 goes to them without one.
STRICT_SERVERS = ("waitress", "WSGIServer/")


def may_close(environ) -> bool:
    return not environ.get("SERVER_SOFTWARE", "").startswith(STRICT_SERVERS)


def freezes_on_pending_read(environ) -> bool:
    """granian (2.8) takes a body back after the app returns only once its pending read has
    returned, GIL held: the module's docstring."""
    return environ.get("SERVER_SOFTWARE") == "Granian"


def has_body(environ) -> bool:
    length = environ.get("CONTENT_LENGTH", "")
    return length not in ("", "0") or "HTTP_TRANSFER_ENCODING" in environ


class BodyDeadline:
    """WSGI middleware: time every read of a request body (`TimedInput`); a body ended for
    slowness gets its 408 with `Connection: close`. An input already timed (by another
    layer in front) is left as it is."""

    __slots__ = ("wsgi_app", "config")

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        stream = environ.get("wsgi.input")
        if not has_body(environ) or stream is None or isinstance(stream, TimedInput):
            return self.wsgi_app(environ, start_response)
        pace = Pace.from_config(self.config, freezes_on_pending_read(environ))
        timed = TimedInput(stream, pace)
        environ["wsgi.input"] = timed

        def start(status, headers, exc_info=None):
            if timed.ended and may_close(environ):
                headers = [(k, v) for k, v in headers if k.lower() != "connection"]
                headers.append(("Connection", "close"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def layer(app: Flask):
    """The WSGI layer that times every request body this app reads (BODY_* settings). A
    province's sites are apps of their own, each with this layer."""
    return functools.partial(BodyDeadline, config=app.config)
