"""Logging: stderr and a rotating file in instance/logs/, one line per request, and a request
id on every line written while a request runs, so the code on a 500 page finds its traceback.

The request line is written on every request, a kept page's too, so it is made cheaply. With
Python's defaults it cost a cached page five times the rest of its answer (172 against 32 µs;
BENCHMARKS.md, "Lighter processes"); made as a record without the caller lookup, formatted once
for both handlers, it still cost 19 µs of a kept page's 26. So while only our handlers listen,
a request line skips the record: it is formatted from a timestamp made once a second, queued,
and written in batches of whole lines at most LOG_FLUSH_SECONDS later (`Batch`), as nginx's
`access_log ... buffer= flush=` does. Anything else (a warning, an error, a 5xx line) is written
at once, after the lines queued before it.

Every message is written on one line: control characters a client sent (a `%0A` in a path)
are escaped, so nobody can forge a line of the log.
"""

import atexit
import collections
import logging
import os
import random
import stat
import sys
import threading
import time
from logging.handlers import RotatingFileHandler

from flask import Flask, has_request_context, request
from flask.logging import default_handler
from werkzeug.wsgi import ClosingIterator

ENVIRON_KEY = "bantin.request_id"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
access_log = logging.getLogger("bantin.request")
# A pipe takes a write of up to PIPE_BUF (4,096 bytes on Linux) whole, so workers sharing the
# journal's pipe never interleave halves of their lines; the file gets the same pieces.
WRITE_BYTES = 4096
QUEUED_LINES = 256  # the writer is woken sooner once this many wait
# C0 and C1 control characters (newline, carriage return, escape...), as Python escapes them.
CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
CONTROLS.update({0x2028: "\\u2028", 0x2029: "\\u2029"})  # str.splitlines() breaks there too


def one_line(text: str) -> str:
    """Return `text` with its control characters escaped: one line of the log, never two."""
    return text if text.isprintable() else text.translate(CONTROLS)


def current_request_id() -> str | None:
    """Return the id of the request being handled, if any."""
    return request.environ.get(ENVIRON_KEY) if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


class DevServerRequestFilter(logging.Filter):
    """Drop the development server's own request lines: ours already say the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        return '"%s" %s %s' not in str(record.msg)


class RequestLog:
    """WSGI middleware: give each request an id, log one line when its response is sent (a
    body the app hands over whole, as the page cache does, when it is handed over)."""

    __slots__ = ("wsgi_app",)

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        # Only to tell requests apart in the log: Python's generator (reseeded in each
        # forked worker) takes 0.2 µs where reading the kernel's took 0.6 µs, a system
        # call on every request, a kept page's too (BENCHMARKS.md, "Beside the hits").
        request_id = f"{random.getrandbits(48):012x}"
        environ[ENVIRON_KEY] = request_id
        started = time.perf_counter()
        status = ["500"]

        def start(status_line, headers, exc_info=None):
            status[0] = status_line.split(" ", 1)[0]
            headers.append(("X-Request-ID", request_id))
            return start_response(status_line, headers, exc_info)

        def done():
            log_request(environ, status[0], time.perf_counter() - started)

        try:
            body = self.wsgi_app(environ, start)
        except BaseException:
            done()
            raise
        if isinstance(body, list):
            # A body already whole (a kept page): logged now and handed on as the list, which
            # a server sends in one piece; wrapped, granian would iterate it chunk by chunk
            # through Python, a third of a cached page's time (BENCHMARKS.md).
            done()
            return body
        return ClosingIterator(body, done)


def log_request(environ: dict, status: str, seconds: float) -> None:
    """Write the access line: method, path, status, duration, client address."""
    level = logging.WARNING if status.startswith("5") else logging.INFO
    if not access_log.isEnabledFor(level):
        return
    # WSGI hands the path over as latin-1; our paths are UTF-8.
    path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
    message = "%s %s %s %.1fms %s" % (  # noqa: UP031 (the logging module's own format)
        environ.get("REQUEST_METHOD", "-"),
        environ.get("SCRIPT_NAME", "") + path,
        status,
        seconds * 1000,
        environ.get("REMOTE_ADDR", "-"),
    )
    request_id = environ.get(ENVIRON_KEY, "-")
    if level == logging.INFO and BATCH.takes_lines():
        BATCH.add(request_id, message)
        return
    # Logger.log would also walk the stack for the caller's file and line, which FORMAT
    # does not show.
    record = access_log.makeRecord(access_log.name, level, "", 0, message, None, None,
                                   extra={"request_id": request_id})  # fmt: skip
    access_log.handle(record)


class Batch:
    """The process's request lines, queued and written in batches by one background thread:
    each LOG_FLUSH_SECONDS, sooner once QUEUED_LINES wait, before any other record, when the
    handlers change and when the process ends. Lines reach each handler whole and in order."""

    def __init__(self):
        self.handlers: list[logging.Handler] = []
        self.seconds = 0.0
        self.lines: collections.deque[str] = collections.deque()
        self.writing = threading.Lock()  # one writer at a time keeps the lines in order
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.second = -1
        self.stamp = ""

    def use(self, handlers: list[logging.Handler], seconds: float) -> None:
        """Write queued lines to `handlers` from now on (none, or 0 seconds: no queue)."""
        self.flush()
        self.handlers = list(handlers) if seconds > 0 else []
        self.seconds = seconds
        if self.thread is not None:
            self.wake.set()  # the writer, waiting out the old interval, starts the new one

    def takes_lines(self) -> bool:
        """Tell whether a request line may be queued: only while the root logger's handlers
        are exactly ours (a handler added since, such as pytest's, gets records as usual)."""
        return bool(self.handlers) and logging.root.handlers == self.handlers

    def add(self, request_id: str, message: str) -> None:
        """Queue one INFO line of `bantin.request` as FORMAT writes it."""
        now = time.time()
        second = int(now)
        if second != self.second:  # the formatter's own asctime, made once a second
            self.stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
            self.second = second
        self.lines.append(f"{self.stamp},{int((now - second) * 1000):03d} INFO bantin.request "
                          f"[{request_id}] {one_line(message)}\n")  # fmt: skip
        if self.thread is None:
            self.start()
        elif len(self.lines) >= QUEUED_LINES:
            self.wake.set()

    def start(self) -> None:
        with self.writing:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, daemon=True, name="log-writer")
                self.thread.start()
                flush_at_exit(self.flush)

    def run(self) -> None:
        while True:
            woken = self.wake.wait(self.seconds or 1.0)
            self.wake.clear()
            # Woken by `use` only to take the new interval: the queue waits for it.
            if not woken or len(self.lines) >= QUEUED_LINES:
                self.flush()

    def flush(self) -> None:
        """Write every queued line to every handler, in pieces of whole lines."""
        if not self.lines:
            return
        with self.writing:
            pieces = list(whole_lines(self.lines))
            for handler in self.handlers:
                for piece in pieces:
                    handler.write_lines(piece)

    def after_fork(self) -> None:
        """A forked worker starts with no queue, no writer thread and free locks."""
        self.lines = collections.deque()
        self.writing = threading.Lock()
        self.wake = threading.Event()
        self.thread = None


def whole_lines(lines: collections.deque):
    """Take the queued lines and yield them joined in pieces of at most WRITE_BYTES (a longer
    line alone)."""
    piece: list[str] = []
    size = 0
    while lines:
        line = lines.popleft()
        length = len(line.encode("utf-8", "replace"))
        if piece and size + length > WRITE_BYTES:
            yield "".join(piece)
            piece, size = [], 0
        piece.append(line)
        size += length
    if piece:
        yield "".join(piece)


def flush_at_exit(flush) -> None:
    """Call `flush` when this process ends: at the interpreter's exit, and in a child of
    multiprocessing (granian's workers), which ends with os._exit and skips atexit but runs
    its own finalizers first."""
    atexit.register(flush)
    child_exit = sys.modules.get("multiprocessing.util")
    if child_exit is not None:
        child_exit.Finalize(None, flush, exitpriority=100)


BATCH = Batch()
os.register_at_fork(after_in_child=BATCH.after_fork)


class BatchWriter:
    """What our handlers share: queued lines before any record, and a piece of queued lines
    written as one write with the handler's own lock, rotation and error handling."""

    def handle(self, record: logging.LogRecord) -> bool:
        BATCH.flush()  # the lines of requests that came first, first
        return super().handle(record)

    def write_lines(self, text: str) -> None:
        with self.lock:
            try:
                self.before_lines(text)
                self.stream.write(text)
                self.flush()
            # Any failure, as logging's own emit() takes it: a log that cannot be written (a
            # full disk, a closed or missing stderr) must neither fail a request nor end the
            # writer thread; handleError reports it on stderr when it can.
            except Exception:  # noqa: BLE001
                self.handleError(logging.makeLogRecord({"msg": text}))

    def before_lines(self, text: str) -> None:
        """Prepare the stream for `text` (the rotating file rotates)."""


class StderrHandler(BatchWriter, logging.StreamHandler):
    """Write to whatever sys.stderr is at the time: servers and test runners replace it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class OnceFormatter(logging.Formatter):
    """Format a record once, however many handlers write it (they share this format), its
    message on one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = one_line(record.message)
        return super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        line = getattr(record, "bantin_line", None)
        if line is None:
            line = record.bantin_line = super().format(record)
        return line


class PrivateRotatingFileHandler(BatchWriter, RotatingFileHandler):
    """A rotating log readable by its owner only: requests name people and addresses."""

    def _open(self):
        handle = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(handle, self.mode, encoding=self.encoding, errors=self.errors)

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        """Rotate when this line would take the file past maxBytes."""
        return self.would_pass(len(self.format(record)) + 1)

    def before_lines(self, text: str) -> None:
        if self.would_pass(len(text.encode("utf-8"))):
            self.doRollover()
        if self.stream is None:  # opened after a rotation only when written (delay=True)
            self.stream = self._open()

    def would_pass(self, length: int) -> bool:
        """Tell whether `length` more characters take the file past maxBytes: the standard
        rule, asked of the open file in one `fstat` (the library asks the path twice, then
        seeks). Every line is flushed as written, so the size includes the other workers'
        lines too."""
        if self.stream is None:
            self.stream = self._open()
        if self.maxBytes <= 0:
            return False
        found = os.fstat(self.stream.fileno())
        if not stat.S_ISREG(found.st_mode):
            return False  # never rotate a device or a pipe (as the library decides)
        return found.st_size + length >= self.maxBytes


def build_handlers(app: Flask) -> list[logging.Handler]:
    handlers: list[logging.Handler] = [StderrHandler()]
    folder = app.config["LOG_DIR"]
    if folder:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handlers.append(
            PrivateRotatingFileHandler(
                os.path.join(folder, "bantin.log"),
                maxBytes=app.config["LOG_MAX_BYTES"],
                backupCount=app.config["LOG_BACKUPS"],
                encoding="utf-8",
                delay=True,
            )
        )
    formatter = OnceFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RequestIdFilter())
        handler.bantin = True
    return handlers


def install(handlers: list[logging.Handler], level: str, flush_seconds: float = 0) -> None:
    """Put our handlers on the root logger, replacing those of an earlier app in this process;
    request lines are written in batches each `flush_seconds` (0: each at once)."""
    BATCH.use([], 0)  # lines queued for the handlers going away are written to them first
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "bantin", False)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    BATCH.use(handlers, flush_seconds)


def init_app(app: Flask, install_handlers: bool = True) -> None:
    """Send logs to stderr and instance/logs/bantin.log (`RequestLog`, a WSGI layer, logs
    every request with an id)."""
    if install_handlers:
        install(build_handlers(app), app.config["LOG_LEVEL"], app.config["LOG_FLUSH_SECONDS"])
    app.logger.removeHandler(default_handler)
    # Alembic chats at INFO on every command; `flask upgrade-db` says what it applies.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DevServerRequestFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DevServerRequestFilter())
