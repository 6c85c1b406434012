import os
import re
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder

from models import db


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
