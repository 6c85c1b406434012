"""Browser tests: a real server over HTTP, driven by Debian's Chromium through Playwright."""

import importlib.util
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app

# BANTIN_CHROMIUM names another Chromium (CHROMIUM too, as the benchmarks read it).
CHROMIUM = os.environ.get("BANTIN_CHROMIUM") or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
# CI sets this: there a missing browser is an error; elsewhere the browser tests are skipped.
REQUIRE_BROWSER = os.environ.get("BANTIN_REQUIRE_BROWSER") == "1"
MISSING = f"Chromium not found at {CHROMIUM}"
SKIPPED = (
    f"browser tests skipped: {MISSING}; install it with `apt-get install chromium` (CI does)"
    " or point BANTIN_CHROMIUM at one"
)
ARTIFACTS = Path(__file__).parent / "artifacts"
# Chromium's background services reach for the network; this machine has none to give.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveServer:
    app: object
    url: str
    admin_password: str

    def app_context(self):
        return self.app.app_context()


def closing_bodies(app):
    """The app, each of its response bodies closed even where werkzeug's development server
    gives up on it: when a browser drops a connection in the middle of an image, the server's
    own clean-up (werkzeug 3.1, `serving.py`, the `finally` of `execute`) fails reading the
    dead socket before it closes the body, and the open file turned up as a ResourceWarning in
    a later test. A generator is closed when it is dropped, so its `finally` closes the body."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            # A plain loop: `yield from` would close the body itself when the generator is
            # dropped, and the `finally` a second time (a request log line written twice).
            for chunk in body:  # noqa: UP028
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


def start_server(app):
    server = make_server("127.0.0.1", 0, closing_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    """Find Chromium before anything is built; without it skip every browser test, or fail
    them where BANTIN_REQUIRE_BROWSER=1."""
    found = shutil.which(CHROMIUM)
    if found is None:
        if REQUIRE_BROWSER:
            pytest.fail(f"browser tests required (BANTIN_REQUIRE_BROWSER=1): {MISSING}")
        pytest.skip(SKIPPED)
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every skip for a missing Chromium at one place, so `-ra` folds them into one
    line (pytest would give each test's own location, one line per test)."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and SKIPPED in report.longrepr[2]:
        report.longrepr = (__file__, 1, SKIPPED)
    return report


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, demo_template):
    """The demo site, seeded and served on a free port for the whole browser session."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
            "MEDIA_ROOT": str(folder / "media"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        }
    )
    password = demo_template.restore(app)
    server, thread = start_server(app)
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", password)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(chromium):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page in a 360 px wide phone-sized window."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    """A page in a 1280 px wide desktop window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot():
    """Save full-page screenshots under tests/browser/artifacts/ for people to look at."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- A province (province hosting): its entry app on a free port, an officer to sign in ------

OFFICER, OFFICER_PASSWORD = "can-bo", "mat-khau-can-bo-tinh"


def load_two_sites():
    """tests/sites/two_sites.py by its path: its folder's name is the app's `sites` package's."""
    path = Path(__file__).parent.parent / "sites" / "two_sites.py"
    spec = importlib.util.spec_from_file_location("two_sites", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def province_server(tmp_path_factory):
    """A province of two communes (a module's own), served on a free port, with an officer."""
    from sites import operators

    two_sites = load_two_sites()
    province = two_sites.Province(tmp_path_factory.mktemp("province"))
    with province.app.app_context():  # as `flask site operator` makes the account
        operators.set_password(province.registry, OFFICER, OFFICER_PASSWORD)
    server, thread = start_server(province.app)
    yield LiveServer(province.app, f"http://127.0.0.1:{server.server_port}", OFFICER_PASSWORD)
    server.shutdown()
    thread.join(timeout=5)
    two_sites.close_province(province.app)


def sign_in_officer(page, server: LiveServer) -> None:
    """Sign the province's officer in through the form, as a person does."""
    page.goto(server.url + "/admin/login")
    page.get_by_label("Tên đăng nhập").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(server.admin_password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/admin/$"))
