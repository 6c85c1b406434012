import collections
import contextlib
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder

from models import db
from web import logs


@pytest.fixture
def site(tmp_path, make_app):
    """An app on its own SQLite file with its tables: make it with any configuration."""

    def make(**config):
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'site.db'}", **config)
        with app.app_context():
            db.create_all()
        return app

    return make


def log_text(app) -> str:
    with open(f"{app.config['LOG_DIR']}/bantin.log", encoding="utf-8") as handle:
        return handle.read()


def test_each_request_writes_one_line_with_method_path_status_and_time(app, client):
    # buffered: read the body and close the response, as every server does; the line is
    # written when the response is closed, so that its time includes sending the body.
    client.get("/trang/khong-co-trang-nay", buffered=True)
    lines = [line for line in log_text(app).splitlines() if "/trang/khong-co-trang-nay" in line]
    assert len(lines) == 1
    assert re.search(r"GET /trang/khong-co-trang-nay 404 \d+\.\dms 127\.0\.0\.1$", lines[0])


def test_request_lines_also_go_to_stderr(client, capsys):
    client.get("/trang/gioi-thieu-khac", buffered=True)
    assert "GET /trang/gioi-thieu-khac 404" in capsys.readouterr().err


def test_a_server_error_shows_the_request_id_that_finds_it_in_the_log(app, client):
    @app.get("/hong")
    def broken():
        raise RuntimeError("lỗi thử nghiệm trong mã")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/hong", buffered=True)
    request_id = response.headers["X-Request-ID"]
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert f"Mã lỗi: <code>{request_id}</code>" in html
    assert "RuntimeError" not in html
    log = log_text(app)
    assert f"[{request_id}] Exception on /hong [GET]" in log
    assert "RuntimeError: lỗi thử nghiệm trong mã" in log
    assert re.search(rf"\[{request_id}\] GET /hong 500 ", log)


def test_every_response_carries_a_different_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", first) and first != second


@pytest.mark.parametrize(
    ("proxies", "logged"), [(0, "127.0.0.1"), (1, "203.0.113.7")], ids=["direct", "behind-nginx"]
)
def test_client_address_comes_from_the_proxy_only_when_trusted(site, proxies, logged):
    app = site(TRUSTED_PROXIES=proxies)
    app.test_client().get(
        "/trang/dia-chi", headers={"X-Forwarded-For": "203.0.113.7"}, buffered=True
    )
    line = next(line for line in log_text(app).splitlines() if "/trang/dia-chi" in line)
    assert line.endswith(f" {logged}")


def test_logs_can_be_kept_out_of_files(tmp_path, site, capsys):
    app = site(LOG_DIR="")
    app.test_client().get("/trang/khong-ghi-tep", buffered=True)
    assert "GET /trang/khong-ghi-tep 404" in capsys.readouterr().err
    assert not (tmp_path / "instance" / "logs").exists()


def test_the_log_file_rotates_before_it_passes_its_size_and_keeps_every_line(site):
    app = site(LOG_MAX_BYTES=2_000, LOG_BACKUPS=3)
    client = app.test_client()
    for number in range(30):
        client.get(f"/trang/xoay-vong-{number:02d}", buffered=True)
    folder = app.config["LOG_DIR"]
    files = [f"{folder}/bantin.log", *(f"{folder}/bantin.log.{n}" for n in (1, 2, 3))]
    sizes = [os.path.getsize(path) for path in files if os.path.exists(path)]
    assert len(sizes) >= 2 and max(sizes) <= 2_000
    text = "".join(Path(path).read_text(encoding="utf-8") for path in files if os.path.exists(path))
    assert all(f"GET /trang/xoay-vong-{number:02d} 404" in text for number in range(30 - 12, 30))


def test_a_request_line_is_formatted_once_for_the_file_and_stderr(app, client, capsys):
    client.get("/trang/mot-lan", buffered=True)
    written = capsys.readouterr().err
    line = next(line for line in written.splitlines() if "GET /trang/mot-lan 404" in line)
    assert line in log_text(app)


def test_a_kept_page_goes_to_the_server_whole_and_is_logged(app, client, make_article):
    """A kept page reaches the server as the list it is, which granian sends in one piece (an
    iterator it would read chunk by chunk through Python), and its line is still written."""
    article = make_article()
    path = f"/tin/{article.slug}-{article.id}"
    assert client.get(path, buffered=True).status_code == 200  # rendered and kept
    environ = EnvironBuilder(path=path, base_url="http://localhost").get_environ()
    answered = []
    body = app.wsgi_app(environ, lambda status, headers, exc_info=None: answered.append(status))
    assert isinstance(body, list) and answered == ["200 OK"]
    assert b"".join(body) == client.get(path, buffered=True).data
    assert len([line for line in log_text(app).splitlines() if f"GET {path} 200" in line]) == 3


def test_attack_a_newline_in_a_path_cannot_forge_a_log_line(app, client):
    """A path holding %0A once wrote a second line of the client's choosing: here, a sign-in
    that never happened. Control characters are escaped, so the request stays one line."""
    forged = "2026-01-01 00:00:00,000 INFO bantin.request [x] POST /admin/login 302 1.0ms 10.0.0.1"
    client.get("/trang/a%0A" + forged.replace(" ", "%20") + "%0D%1B", buffered=True)
    lines = log_text(app).splitlines()
    assert not any(line.startswith("2026-01-01") for line in lines)
    line = next(line for line in lines if "GET /trang/a" in line)
    assert "/trang/a\\x0a2026-01-01 00:00:00,000 INFO" in line and "\\x0d\\x1b 404" in line


def test_attack_a_newline_in_a_logged_message_stays_on_its_line(app, client):
    """The same for any message that quotes a client (Flask's "Exception on <path>"); a
    traceback keeps its own lines."""
    @app.get("/loi/<rest>")
    def broken(rest):
        raise RuntimeError("hỏng")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.get("/loi/x%0AGIA-MAO", buffered=True)
    lines = log_text(app).splitlines()
    assert not any(line.startswith("GIA-MAO") for line in lines)
    assert any("Exception on /loi/x\\x0aGIA-MAO [GET]" in line for line in lines)
    assert "RuntimeError: hỏng" in lines


@contextlib.contextmanager
def only_our_handlers():
    """The root logger with our handlers alone, as in a server: pytest's own capture
    handlers (which would take every record as it comes) are set aside meanwhile."""
    root = logging.getLogger()
    others = [handler for handler in root.handlers if not getattr(handler, "bantin", False)]
    for handler in others:
        root.removeHandler(handler)
    try:
        yield
    finally:
        logs.BATCH.flush()
        for handler in others:
            root.addHandler(handler)


def request_lines(app, marker: str) -> list[str]:
    return [line for line in log_text(app).splitlines() if marker in line]


def lines_so_far(app, marker: str) -> list[str]:
    """The file's lines holding `marker`, none while the file is not there yet."""
    exists = os.path.exists(f"{app.config['LOG_DIR']}/bantin.log")
    return request_lines(app, marker) if exists else []


def test_request_lines_wait_for_their_batch_and_come_before_a_later_problem(site, capsys):
    app = site(LOG_FLUSH_SECONDS=60)

    @app.get("/hong")
    def broken():
        raise RuntimeError("lỗi sau ba yêu cầu")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    with only_our_handlers():
        for number in range(3):
            client.get(f"/trang/lo-{number}", buffered=True)
        assert not os.path.exists(f"{app.config['LOG_DIR']}/bantin.log"), log_text(app)
        client.get("/hong", buffered=True)
    lines = log_text(app).splitlines()
    order = [next(i for i, line in enumerate(lines) if text in line) for text in (
        "GET /trang/lo-0 404", "GET /trang/lo-1 404", "GET /trang/lo-2 404",
        "Exception on /hong", "GET /hong 500")]  # fmt: skip
    assert order == sorted(order)
    written = capsys.readouterr().err.splitlines()
    assert [line for line in written if "/trang/lo-" in line] == request_lines(app, "/trang/lo-")


def test_a_batched_line_reads_as_a_line_written_at_once(site, tmp_path):
    pattern = (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO bantin\.request \[[0-9a-f]{12}\] "
               r"GET /trang/(ngay|lo)-ca-ngay 404 \d+\.\dms 127\.0\.0\.1")  # fmt: skip
    at_once = site(LOG_FLUSH_SECONDS=0, LOG_DIR=str(tmp_path / "at-once"))
    with only_our_handlers():
        at_once.test_client().get("/trang/ngay-ca-ngay", buffered=True)
    batched = site(LOG_FLUSH_SECONDS=60)
    with only_our_handlers():
        batched.test_client().get("/trang/lo-ca-ngay", buffered=True)
        assert not request_lines(at_once, "/trang/lo-ca-ngay")  # not yet, nor to the old file
    assert re.fullmatch(pattern, request_lines(at_once, "ca-ngay")[0])
    assert re.fullmatch(pattern, request_lines(batched, "ca-ngay")[0])


def test_queued_lines_are_written_within_their_interval(site):
    app = site(LOG_FLUSH_SECONDS=0.2)
    deadline = time.monotonic() + 30  # a deadline for a busy machine, not a measured time
    with only_our_handlers():
        app.test_client().get("/trang/sau-mot-lat", buffered=True)
        while time.monotonic() < deadline and not lines_so_far(app, "/trang/sau-mot-lat"):
            time.sleep(0.05)
        assert len(request_lines(app, "GET /trang/sau-mot-lat 404")) == 1


def test_a_handler_someone_else_added_gets_every_request_line_as_it_comes(site, caplog):
    app = site(LOG_FLUSH_SECONDS=60)
    with caplog.at_level(logging.INFO, logger="bantin.request"):
        app.test_client().get("/trang/co-nguoi-nghe", buffered=True)
    assert any("GET /trang/co-nguoi-nghe 404" in r.getMessage() for r in caplog.records)
    assert len(request_lines(app, "GET /trang/co-nguoi-nghe 404")) == 1


def test_queued_lines_are_written_as_whole_lines_in_pieces_a_pipe_takes_whole():
    lines = [f"dòng {number} Hòa Sơn {'ữ' * (number % 40)}\n" for number in range(400)]
    lines.insert(200, "x" * 5000 + "\n")  # longer than a piece: written alone
    queue = collections.deque(lines)
    pieces = list(logs.whole_lines(queue))
    assert not queue and "".join(pieces) == "".join(lines)
    assert all(piece.endswith("\n") for piece in pieces)
    sizes = [len(piece.encode()) for piece in pieces]
    assert sizes.count(5001) == 1
    assert all(size <= logs.WRITE_BYTES for size in sizes if size != 5001)


def test_the_log_file_rotates_between_pieces_and_keeps_every_batched_line(site):
    app = site(LOG_FLUSH_SECONDS=60, LOG_MAX_BYTES=12_000, LOG_BACKUPS=5)
    client = app.test_client()
    with only_our_handlers():
        for number in range(250):
            client.get(f"/trang/xoay-lo-{number:03d}", buffered=True)
        assert not os.path.exists(f"{app.config['LOG_DIR']}/bantin.log")
    folder = Path(app.config["LOG_DIR"])
    files = sorted(folder.glob("bantin.log*"))
    assert len(files) >= 2 and max(path.stat().st_size for path in files) <= 12_000
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    assert all(f"GET /trang/xoay-lo-{number:03d} 404" in text for number in range(250))


ENDING_PROCESS = """
import multiprocessing, os, sys, tempfile
sys.path[:0] = [{root!r}, {tests!r}]
from pathlib import Path
from base_config import make_config
from app import create_app
from models import db

def serve(tmp, path):
    # Its own SQLite file: on a PostgreSQL run, the worker's database must stay empty.
    app = create_app(make_config(Path(tmp), LOG_FLUSH_SECONDS=60,
                                 SQLALCHEMY_DATABASE_URI=f"sqlite:///{{tmp}}/site.db"))
    with app.app_context():
        db.create_all()
    app.test_client().get(path, buffered=True)

if __name__ == "__main__":
    serve({folder!r}, "/trang/cua-cha")  # queued in this process
    child = multiprocessing.get_context("fork").Process(
        target=serve, args=({folder!r}, "/trang/cua-con"))
    child.start()  # a worker forked with the parent's queue, as granian's are
    child.join()
"""


def test_lines_queued_when_a_process_or_its_forked_worker_ends_are_written_once(tmp_path):
    """A multiprocessing child (granian's worker) ends with os._exit, past atexit; its lines
    are written anyway, and a forked child does not write its parent's queue again."""
    tests = Path(__file__).resolve().parent.parent
    script = ENDING_PROCESS.format(root=str(tests.parent), tests=str(tests),
                                   folder=str(tmp_path))  # fmt: skip
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                   env=dict(os.environ, PYTHONWARNINGS="ignore"))  # fmt: skip
    text = (tmp_path / "instance" / "logs" / "bantin.log").read_text(encoding="utf-8")
    assert text.count("GET /trang/cua-cha 404") == 1
    assert text.count("GET /trang/cua-con 404") == 1


def test_a_log_that_cannot_be_written_fails_no_request_and_the_next_lines_still_go(
        site, monkeypatch):  # fmt: skip
    """stderr gone (a service started without a console) or a disk full: the reader still
    gets the page, and the file still gets its lines."""
    app = site(LOG_FLUSH_SECONDS=60)
    monkeypatch.setattr(logging, "raiseExceptions", False)  # as in production: report quietly
    with only_our_handlers():
        monkeypatch.setattr(sys, "stderr", None)
        assert app.test_client().get("/trang/khong-ghi-duoc", buffered=True).status_code == 404
        logs.BATCH.flush()
        monkeypatch.undo()
    assert len(request_lines(app, "GET /trang/khong-ghi-duoc 404")) == 1


def test_queued_lines_are_written_once_so_many_wait_without_waiting_for_the_interval(site):
    app = site(LOG_FLUSH_SECONDS=60)
    client = app.test_client()
    deadline = time.monotonic() + 30  # a deadline for a busy machine, not a measured time
    with only_our_handlers():
        for number in range(logs.QUEUED_LINES):
            client.get(f"/trang/du-dong-{number:03d}", buffered=True)
        while time.monotonic() < deadline and len(lines_so_far(app, "/trang/du-dong-")) < (
                logs.QUEUED_LINES):  # fmt: skip
            time.sleep(0.05)
        written = request_lines(app, "/trang/du-dong-")
    assert len(written) == logs.QUEUED_LINES
