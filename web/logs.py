"""Logging: stderr and a rotating file in instance/logs/, one line per request, and a request
id on every line written while a request runs, so the code on a 500 page finds its traceback.

The request line is written on every request, a kept page's too, so it is made cheaply: its
record is made without the caller lookup (the format names no file or line), formatted once
for both handlers, and the file's size for rotation is one `fstat` of the open file. With
Python's defaults the line cost a cached page five times the rest of its answer (172 against
32 µs; BENCHMARKS.md, "Lighter processes").
"""

import logging
import os
import secrets
import stat
import sys
import time
from logging.handlers import RotatingFileHandler

from flask import Flask, has_request_context, request
from flask.logging import default_handler
from werkzeug.wsgi import ClosingIterator

ENVIRON_KEY = "bantin.request_id"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
access_log = logging.getLogger("bantin.request")


def current_request_id() -> str | None:
    """Return the id of the request being handled, if any."""
    return request.environ.get(ENVIRON_KEY) if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


class StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is at the time: servers and test runners replace it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


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
        request_id = secrets.token_hex(6)
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
    arguments = (
        environ.get("REQUEST_METHOD", "-"),
        environ.get("SCRIPT_NAME", "") + path,
        status,
        seconds * 1000,
        environ.get("REMOTE_ADDR", "-"),
    )
    # Logger.log would also walk the stack for the caller's file and line, which FORMAT
    # does not show.
    record = access_log.makeRecord(access_log.name, level, "", 0, "%s %s %s %.1fms %s",
                                   arguments, None, extra={
                                       "request_id": environ.get(ENVIRON_KEY, "-")})  # fmt: skip
    access_log.handle(record)


class OnceFormatter(logging.Formatter):
    """Format a record once, however many handlers write it (they share this format)."""

    def format(self, record: logging.LogRecord) -> str:
        line = getattr(record, "bantin_line", None)
        if line is None:
            line = record.bantin_line = super().format(record)
        return line


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log readable by its owner only: requests name people and addresses."""

    def _open(self):
        handle = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(handle, self.mode, encoding=self.encoding, errors=self.errors)

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        """Rotate when this line would take the file past maxBytes: the standard rule, asked
        of the open file in one `fstat` (the library asks the path twice, then seeks). Every
        line is flushed as written, so the size includes the other workers' lines too."""
        if self.maxBytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        found = os.fstat(self.stream.fileno())
        if not stat.S_ISREG(found.st_mode):
            return False  # never rotate a device or a pipe (as the library decides)
        return found.st_size + len(self.format(record)) + 1 >= self.maxBytes


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


def install(handlers: list[logging.Handler], level: str) -> None:
    """Put our handlers on the root logger, replacing those of an earlier app in this process."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "bantin", False)]:
        root.removeHandler(old)
        old.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def init_app(app: Flask, install_handlers: bool = True) -> None:
    """Send logs to stderr and instance/logs/bantin.log (`RequestLog`, a WSGI layer, logs
    every request with an id)."""
    if install_handlers:
        install(build_handlers(app), app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)
    # Alembic chats at INFO on every command; `flask upgrade-db` says what it applies.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, DevServerRequestFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(DevServerRequestFilter())
