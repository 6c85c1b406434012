"""A demo site served for real, for the benchmarks that need HTTP: a temporary instance folder,
the production server as `make serve` starts it, and an editor that signs in and saves
through the desk's forms exactly as a browser does (CSRF token, version field and all)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR_PASSWORD = "mat-khau-bien-tap-vien"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path) -> dict:
    env = dict(os.environ)
    env.update(
        FLASK_SECRET_KEY="bench-live-secret",
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bantin.db'}",
        FLASK_MEDIA_ROOT=str(folder / "media"),
        # Logging every request would measure the log file as much as the site.
        FLASK_LOG_LEVEL="WARNING",
        FLASK_LOG_DIR="",
        FLASK_TRUSTED_HOSTS='["127.0.0.1", "localhost"]',
    )
    return env


def flask(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "flask", "--app", "app", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def serve_env(env: dict) -> dict:
    """`env` with what `make serve` adds for its workers (`flask serve-env`, ops.production:
    optimised, large blocks given back, a province's heap on huge pages)."""
    printed = flask(env, "serve-env")
    return {**env, **dict(word.split("=", 1) for word in printed.split())}


def prepare(folder: Path, editors: int) -> dict:
    """Build the demo site with `editors` editor accounts; return the server's environment.
    Its static files are collected as `make serve` does, which compiles the workers' modules
    as they load them."""
    env = environment(folder)
    flask(env, "upgrade-db")
    flask(env, "seed-demo")
    flask(serve_env(env), "collect-static", str(folder / "static"))
    for number in range(editors):
        flask(env, "create-user", f"bientap{number}", "--role", "editor",
              "--password", EDITOR_PASSWORD)  # fmt: skip
    return env


def start(
    env: dict, port: int, workers: int = 2, threads: int = 1, ready: str = "/healthz"
) -> subprocess.Popen:
    """Start granian as `make serve` does (`serve_env`) and wait until `ready` (/healthz)
    answers."""
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--blocking-threads",
               str(threads), "--respawn-failed-workers", "--no-ws",
               "--factory", "app:create_app"]  # fmt: skip
    log = open(Path(env["FLASK_MEDIA_ROOT"]).parent / "server.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=serve_env(env), stdout=log,
                               stderr=log)  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}{ready}")
    return process


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not answer")


class FormFields(HTMLParser):
    """Collect the fields of the first form whose action matches, as a browser would send."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action", "").endswith(self.action):
            self.inside = True
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") in ("submit", "file"):
                return
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""
        elif self.inside and tag == "option" and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif self.inside and tag == "select":
            self.select = attrs.get("name")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.action = "\0"  # only the first matching form


def form_fields(html: str, action: str) -> dict:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


class Browser:
    """One person's browser: cookies, and forms sent back with what the server put in them."""

    def __init__(self, base: str):
        self.base = base
        handler = urllib.request.HTTPCookieProcessor(CookieJar())
        self.opener = urllib.request.build_opener(handler, NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        return self.send(path, None)

    def send(self, path: str, data: dict | None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, body, headers={
            "Origin": self.base, "Referer": self.base + path, "Sec-Fetch-Site": "same-origin",
        })  # fmt: skip
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def sign_in(self, username: str, password: str = EDITOR_PASSWORD) -> None:
        _, html = self.get("/admin/login")
        fields = form_fields(html, "/admin/login")
        fields.update(username=username, password=password)
        status, _ = self.send("/admin/login", fields)
        if status != 302:
            raise SystemExit(f"{username} could not sign in ({status})")

    def save_article(self, article_id: int, summary: str) -> int:
        """Open the article form, change the summary, press the update button; the status."""
        path = f"/admin/articles/{article_id}/edit"
        _, html = self.get(path)
        fields = form_fields(html, path)
        fields.update(summary=summary, action="update")
        return self.send(path, fields)[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def article_ids(base: str, count: int) -> list[int]:
    html = urllib.request.urlopen(base + "/").read().decode()
    ids = [int(found) for found in re.findall(r'href="/tin/[^"]*-(\d+)"', html)]
    return list(dict.fromkeys(ids))[:count]


def article_path(base: str) -> str:
    """The full address of the newest article on the home page."""
    html = urllib.request.urlopen(base + "/").read().decode()
    return re.search(r'href="(/tin/[^"]+-\d+)"', html)[1]


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a server's workers), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
