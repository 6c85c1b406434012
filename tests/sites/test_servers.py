"""Two real app servers on one PostgreSQL, as a province runs them behind nginx: what one server
changes, the other shows at once (a desk save, a `flask site` command), and a session begun
on one is good on the other. Runs only when TEST_DATABASE_URL is PostgreSQL (CI's second leg).

Each server is `make serve`'s granian with its own local instance folder (its page-cache
stamps) and the same settings: the province's key, the registry's database, the shared sites'
folder. Nothing waits by sleeping: each step asks once and expects the answer.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from desk import token_from
from sqlalchemy import create_engine, text
from test_commands import run
from two_sites import HOSTS, MARKS, PASSWORD, Province

from bench.live import form_fields, free_port

DATABASE = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE.startswith("postgresql"), reason="two servers share a PostgreSQL database"
)
ROOT = Path(__file__).resolve().parents[2]
FACTORY = """
import json, os
from app import create_app

def make():
    return create_app(json.loads(os.environ["BANTIN_SERVER_CONFIG"]))
"""
NEW_SITE, NEW_HOST = "tam-thanh", "tamthanh.test"


class Server:
    """One granian process (and its workers, in a process group of their own)."""

    def __init__(self, folder: Path, name: str, province: Province):
        self.port = free_port()
        self.log = folder / f"server-{name}.log"
        config = {key: province.config[key] for key in (
            "SECRET_KEY", "SITES_DATABASE_URI", "PASSWORD_HASH_METHOD")}  # fmt: skip
        config.update(INSTANCE_PATH=str(folder / name), LOG_DIR="", LOG_LEVEL="WARNING",
                      SITES_ROOT=os.path.join(province.config["INSTANCE_PATH"], "sites"))
        env = dict(os.environ, BANTIN_SERVER_CONFIG=json.dumps(config),
                   PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]))  # fmt: skip
        env.pop("BANTIN_SITE", None)
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", "1", "--blocking-threads", "2",
                   "--no-ws", "--factory", "bantin_server:make"]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 120) -> None:
        """Wait until the server answers its health check (or fail with its log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.request("127.0.0.1", "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"server on port {self.port} did not start:\n{self.log.read_text()}")

    def request(self, host, method, path, body=None, cookie=""):
        """One request; the status, the headers and the body as text."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": host, "Cookie": cookie}
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"http://{host}", "Referer": f"http://{host}{path}"})
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop the server and every process it started; none may be left behind."""
        group = self.process.pid
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            if not group_alive(group):
                return
        assert not group_alive(group), "a server process outlived its stop"


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


class Visitor:
    """A browser against one host, sent to either server: its cookies go with it."""

    def __init__(self, host: str):
        self.host = host
        self.cookies: dict[str, str] = {}

    def send(self, server: Server, method: str, path: str, fields: dict | None = None):
        body = None
        if fields is not None:
            body = "&".join(f"{quote_plus(k)}={quote_plus(str(v))}" for k, v in fields.items())
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, headers, page = server.request(self.host, method, path, body, cookie)
        for value in headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return status, page

    def sign_in(self, server: Server, username: str, password: str) -> None:
        _, page = self.send(server, "GET", "/admin/login")
        fields = {"csrf_token": token_from(page), "username": username, "password": password}
        status, _ = self.send(server, "POST", "/admin/login", fields)
        assert status == 302, f"{username} could not sign in on port {server.port}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    (folder / "bantin_server.py").write_text(FACTORY)
    province = Province(folder)
    started = []
    try:
        started = [Server(folder, name, province) for name in ("a", "b")]
        for server in started:
            server.wait_ready()
        yield province, started[0], started[1]
    finally:
        for server in started:
            server.stop()
        drop_schema(province.config["SITES_DATABASE_URI"], NEW_SITE)
        province.close()


def drop_schema(uri: str, name: str) -> None:
    engine = create_engine(uri)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "site_{name.replace("-", "_")}" CASCADE'))
    engine.dispose()


def article_path(province, name: str) -> str:
    return f"/tin/tin-ve-duong-thon-{province.ids[name]['article']}"


def test_a_page_cached_on_b_is_fresh_at_once_after_a_save_through_as_desk(servers):
    province, a, b = servers
    host, path = HOSTS["tra-leng"], article_path(province, "tra-leng")
    reader = Visitor(host)
    for _ in range(2):  # the second answer comes from B's page cache
        status, page = reader.send(b, "GET", path)
        assert status == 200 and f"Sapo {MARKS['tra-leng']}" in page
    editor = Visitor(host)
    editor.sign_in(a, "nguoi-tra-leng", PASSWORD)
    edit = f"/admin/articles/{province.ids['tra-leng']['article']}/edit"
    _, form = editor.send(a, "GET", edit)
    fields = form_fields(form, edit)
    fields.update(summary="Sapo mới lưu qua máy chủ A", action="update")
    assert editor.send(a, "POST", edit, fields)[0] == 302
    status, page = reader.send(b, "GET", path)
    assert status == 200 and "Sapo mới lưu qua máy chủ A" in page


def test_a_session_begun_on_a_is_good_on_b(servers):
    province, a, b = servers
    editor = Visitor(HOSTS["hoa-son"])
    editor.sign_in(a, "nguoi-hoa-son", PASSWORD)
    status, page = editor.send(b, "GET", "/admin/")
    assert status == 200 and "Đăng xuất" in page
    assert editor.send(b, "POST", "/admin/logout", {"csrf_token": token_from(page)})[0] == 302
    assert editor.send(a, "GET", "/admin/")[0] == 302  # ended on B, so ended on A too


def test_site_commands_reach_both_servers_at_once(servers):
    province, a, b = servers
    for server in (a, b):
        assert server.request(NEW_HOST, "GET", "/")[0] == 400  # no site has this name yet
    added = run(province, "site", "add", NEW_SITE, "--host", NEW_HOST, "--title", "Xã Tam Thanh")
    assert added.exit_code == 0, added.output
    for server in (a, b):
        status, _, page = server.request(NEW_HOST, "GET", "/")
        assert status == 200 and "Xã Tam Thanh" in page
    assert run(province, "site", "disable", NEW_SITE).exit_code == 0
    for server in (a, b):
        status, _, page = server.request(NEW_HOST, "GET", "/")
        assert status == 503 and "tạm ngừng" in page
    assert run(province, "site", "enable", NEW_SITE).exit_code == 0
    for server in (a, b):
        assert server.request(NEW_HOST, "GET", "/")[0] == 200
