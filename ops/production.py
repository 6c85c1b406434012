"""Production: no start with a guessable secret key, trust only our own proxy, and static
files written out for nginx to serve directly.

Run `python -m ops.production` once to create instance/config.py with a random secret key.
"""

import functools
import gc
import gzip
import os
import secrets
import signal
import sys
import time

import click
from flask import Flask
from flask.cli import ScriptInfo
from werkzeug.middleware.proxy_fix import ProxyFix

import internals
from settings import DEFAULT_SECRET_KEY
from web import assets
from web.compression import brotli

HOW_TO_SET_KEY = """\
Bantin từ chối chạy: khóa bí mật (SECRET_KEY) vẫn là giá trị mặc định ai cũng biết,
nên người lạ có thể giả mạo phiên đăng nhập của quản trị viên.

Đặt một khóa riêng bằng MỘT trong hai cách:
  1. Chạy `make config` (hoặc `python -m ops.production`): tạo instance/config.py
     với một khóa ngẫu nhiên. Giữ tệp này bí mật.
  2. Đặt biến môi trường FLASK_SECRET_KEY, ví dụ trong tệp dịch vụ systemd:
     Environment=FLASK_SECRET_KEY=<chuỗi ngẫu nhiên dài, tạo bằng
     python -c "import secrets; print(secrets.token_hex(32))">

Khi phát triển trên máy riêng, `make run` tự tạo khóa, hoặc chạy với --debug."""

CONFIG_TEMPLATE = """\
# Bantin's local settings. This folder is never served and never committed.
# The secret key signs login sessions: keep it private. Changing it signs everyone out.
SECRET_KEY = {key!r}
"""


# What `make serve` starts its workers with (`flask serve-env`): docstrings and asserts
# stripped (PYTHONOPTIMIZE=2: 5 MB less a worker; Bantin relies on neither), and glibc hands
# blocks of 32 KB or more (a page being rendered and compressed) straight back to the system
# when they are freed, instead of leaving holes between kept pages (2 MB a worker).
# BENCHMARKS.md, "Lighter processes".
SERVE_ENV = {"PYTHONOPTIMIZE": "2", "MALLOC_MMAP_THRESHOLD_": "32768"}
# A province's workers also ask glibc for 2 MB pages under its heap. 150 sites' kept pages lie
# spread over a few hundred megabytes, and each hit reads a different site's objects and copies
# its body: on 4 KB pages those reads kept missing the processor's cache of addresses (the TLB).
# Measured on a quiet machine, the 150-site hit's share of one site's rate rose by 2–4 points
# (in one process 91–93 % → 95 %; by wrk 93–94 % → 96 %); on a loaded one the difference is
# lost in the noise (BENCHMARKS.md, "Huge pages for a province"). A single commune's worker
# would only carry its heap's last, part-filled 2 MB page (1.8 MB more, past the 80 MB a worker
# may hold). Python's own arenas are beyond glibc's reach: sites.hugepages sweeps them.
PROVINCE_SERVE_ENV = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}


NO_PUBLIC_ADDRESS = (
    "Chưa đặt địa chỉ công khai (SITE_URL): Bantin chỉ trả lời cho localhost và 127.0.0.1, "
    "và các liên kết tuyệt đối (RSS, sitemap, chia sẻ) lấy theo máy đó. Đặt "
    "FLASK_SITE_URL=https://<tên miền của xã> (xem README, mục Chạy chính thức)."
)
DEBUG_KEY = (
    "Khóa bí mật mặc định không được dùng: lần chạy gỡ lỗi này ký phiên đăng nhập bằng một khóa "
    "ngẫu nhiên, nên khởi động lại là phải đăng nhập lại. Chạy `make config` để có khóa riêng."
)


def uses_default_key(app: Flask) -> bool:
    key = app.config["SECRET_KEY"]
    return not key or key == DEFAULT_SECRET_KEY


def refuse_default_secret_key(app: Flask) -> None:
    """Stop a production start whose sessions anyone could forge; say how to fix it.

    A debug start gets a random key of its own for this process instead: the well-known
    default would let anyone who can reach a debug server forge an admin's session.
    """
    if app.testing or not uses_default_key(app):
        return
    if not app.debug:
        sys.exit(HOW_TO_SET_KEY)
    app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.logger.warning(DEBUG_KEY)


# The processes of one start (`make serve`'s commands, then each server worker) begin within
# this many seconds of each other; a start later than that is a new one and is told again.
ONE_START_SECONDS = 60
WARNED_FILE = "site-url-warned"


def warn_without_public_address(app: Flask) -> None:
    """Say, once per production start, that no public address is set and what that means.

    Only processes that serve say it (`flask` commands do not: `flask check` lists it), and of
    a start's server workers only the first.
    """
    if app.debug or app.testing or app.config["SITE_URL"]:
        return
    if not in_flask_command() and first_to_tell(app.instance_path):
        app.logger.warning(NO_PUBLIC_ADDRESS)


def freeze_start_objects(app: Flask) -> None:
    """In a serving process, take the objects made at start out of the collector's count.

    They live as long as the process. Counted, they made CPython's full collections rare (one
    runs only once the objects surviving since the last reach a quarter of all), so the cyclic
    garbage of each rendered page (SQLAlchemy statements, Jinja frames) that outlived a young
    collection piled up between them: 1.4 MB of a worker's heap (BENCHMARKS.md, "Lighter
    processes"). Never in tests or `flask` commands, which make many apps: a frozen object is
    never freed.
    """
    if not (app.testing or app.debug or in_flask_command()):
        gc.freeze()


def stop_when_asked() -> None:
    """Let a granian worker that is still loading the app end when the server stops it.

    granian's worker loads the app (this factory) before it sets its own signal handlers, and
    until then the parent's handler it inherited notes a SIGTERM and does nothing else: a worker
    stopped while it loaded ran on, and the server's stop waited for it forever (a stop or
    restart right after a start, or after a crashed worker was replaced). Until granian's own
    handlers are set, SIGTERM and SIGINT end the worker at once (it has nothing to finish
    yet); one that came before this ends it now.
    """
    if not internals.in_granian_worker():
        return
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    inherited = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if internals.stop_noted_by(inherited):
        signal.raise_signal(signal.SIGTERM)


def serve_environment(app: Flask, environ=os.environ) -> dict[str, str]:
    """The variables `make serve` sets for its workers (a province's too, when `app` is a
    province's); one the operator has set already keeps the operator's value."""
    chosen = dict(SERVE_ENV)
    if "province" in app.extensions:
        chosen.update(PROVINCE_SERVE_ENV)
    return {name: value for name, value in chosen.items() if name not in environ}


def in_flask_command() -> bool:
    """Tell whether this app is being made for a `flask` command (not for serving).

    Asked of Flask's own CLI object: granian's workers inherit its click context, too.
    """
    context = click.get_current_context(silent=True)
    return context is not None and context.find_object(ScriptInfo) is not None


def first_to_tell(folder: str) -> bool:
    """Tell whether no other process of this start has warned yet, and claim the warning.

    A marker file's age says when the last start warned. Of several workers seeing a stale
    one, only the one whose rename succeeds removes it, and only one can create it again.
    """
    path = os.path.join(folder, WARNED_FILE)
    try:
        if time.time() - os.stat(path).st_mtime < ONE_START_SECONDS:
            return False
        claimed = f"{path}.{os.getpid()}"
        os.rename(path, claimed)
        os.remove(claimed)
    except FileNotFoundError:
        pass  # no start warned yet, or another worker is renewing the marker right now
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    except OSError:
        return True  # an instance folder we cannot write: better twice than never
    return True


def protect_database_file(app: Flask) -> None:
    """Create the SQLite file readable by its owner only, and take back wider rights.

    SQLite gives its -wal and -shm files the database file's mode, so they follow.
    """
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not uri.startswith("sqlite:///") or uri == "sqlite:///:memory:":
        return
    # Flask-SQLAlchemy reads a relative SQLite path from the instance folder.
    path = os.path.join(app.instance_path, uri.removeprefix("sqlite:///").split("?", 1)[0])
    try:
        if os.path.isdir(os.path.dirname(path)):
            # An empty file is an empty SQLite database, created here with the right mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        for name in (path, path + "-wal", path + "-shm"):
            if os.path.exists(name) and os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
    except OSError as err:
        # Not ours to change (another account's file): SQLite itself will say if it matters.
        app.logger.warning("Could not make %s private: %s", path, err)


def proxy_layer(app: Flask):
    """The WSGI layer that believes X-Forwarded-* from the configured number of proxies
    (nginx: 1), or None when there are none.

    Without it behind nginx every reader seems to come from 127.0.0.1, and per-address login
    throttling and the logs would lump everyone together.
    """
    count = int(app.config["TRUSTED_PROXIES"] or 0)
    if count <= 0:
        return None
    return functools.partial(ProxyFix, x_for=count, x_proto=count, x_host=count, x_port=count)


def write_instance_config(instance_path: str) -> bool:
    """Create instance/config.py with a random secret key; never overwrite an existing one."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "config.py")
    try:
        # O_EXCL: two first runs at once must not write two different keys.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(CONFIG_TEMPLATE.format(key=secrets.token_hex(32)))
    return True


def precompressed(name: str, data: bytes) -> dict[str, bytes]:
    """Return the file and, for text, its .gz (and .br) twins for nginx's *_static modules."""

    files = {name: data}
    if name.endswith(assets.COMPRESSIBLE_SUFFIXES):
        files[name + ".gz"] = gzip.compress(data, compresslevel=9, mtime=0)
        if brotli:
            files[name + ".br"] = brotli.compress(data, quality=11)
    return files


def main() -> None:
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    instance_path = os.path.join(project, "instance")
    path = os.path.join(instance_path, "config.py")
    if write_instance_config(instance_path):
        click.echo(f"Đã tạo {path} với khóa bí mật ngẫu nhiên.")
    else:
        click.echo(f"{path} đã có: giữ nguyên.")


if __name__ == "__main__":
    main()
