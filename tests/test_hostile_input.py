"""No input from anyone produces a 500: every public route, every argument, hostile values.

The routes come from the app's own URL map (public, health and assets blueprints), so a new
public page is attacked here the day it is added. Each hostile value is tried in every path
argument and in every query argument any public view reads, alone and all at once.
"""

import re
from datetime import date
from itertools import product
from urllib.parse import quote

import pytest
from desk import PASSWORD, article_data, signed_in_rules
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

import forms
from media.store import safe_name
from models import SETTINGS, Article, CategoryAlias, Document, Page, Setting, db

PUBLIC_BLUEPRINTS = ("public", "citizens", "health", "assets")

# Every query argument a public view reads, and those url_for would take as options.
QUERY_ARGS = (
    "trang", "q", "tu", "den", "muc", "chuyen-muc", "loai", "co-quan", "linh-vuc", "nam", "so",
    "hieu-luc", "bat", "next", "slug", "article_id", "document_id", "number", "media_id",
    "width", "fmt", "filename", "_external", "_scheme", "_anchor", "_method", "_cls",
)  # fmt: skip

HOSTILE = (
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    "9" * 5000,
    "-1",
    "0",
    "1e9",
    "²",
    "٣",
    "01/01/0001",
    "0001-01-01",
    "31/12/9999",
    "9999-12-31",
    "29/02/2025",
    "x\x00y",
    "\x00",
    "\x1b[31m\x7f\x85",
    "\u202etxt.exe",
    "\ud800",
    "%ff%fe%00",
    "Đường xã 𝕏 🙂",
    "a" * 10_000,
    " ",
    "'\"<script>",
    "../../etc/passwd",
    "//evil.example",
    "https://evil.example/",
    "1",
    "True",
)  # fmt: skip


@pytest.fixture
def site(app, make_article, make_category):
    """A small site with one of everything a public URL can name; errors answer 500."""
    # Testing mode re-raises errors; here they must become the 500 a visitor would get.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    article = make_article(title="Tin có thật", slug="tin-co-that")
    category = make_category(name="Nông nghiệp", slug="nong-nghiep")
    db.session.add(CategoryAlias(slug="nong-nghiep-cu", category_id=category.id))
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu"))
    document = Document(number="12/2026/NQ-HĐND", title="Nghị quyết", issued_on=date(2026, 1, 5))
    db.session.add(document)
    db.session.commit()
    return {
        "slug": article.slug,
        "article_id": article.id,
        "document_id": document.id,
        "number": 1,
        "media_id": 1,
        "width": 480,
        "fmt": "webp",
        "filename": "css/site.css",
        "attachment_id": 1,
    }


def public_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules()
         if rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS and "GET" in rule.methods),
        key=lambda rule: rule.rule,
    )  # fmt: skip


def fill(rule, values: dict, hostile_arg: str | None = None, hostile: str = "") -> str:
    """Build the rule's path by hand, so that any value, even one no converter takes, fits."""

    def argument(match: re.Match) -> str:
        name = match[1].split(":")[-1]
        if name == hostile_arg:
            return quote(hostile, safe="", errors="surrogatepass")
        return str(values.get(name, "x"))

    return re.sub(r"<([^>]+)>", argument, rule.rule)


def failures_for(client, urls) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        # An unhandled error is a 500 (/healthz's 503 is its own answer: no tables here).
        if response.status_code == 500:
            found.append(f"{response.status_code} {url[:120]}")
    return found


def test_attack_every_public_route_survives_hostile_paths(app, client, site):
    urls = [
        fill(rule, site, name, value)
        for rule in public_rules(app)
        for name in rule.arguments
        for value in HOSTILE
    ]
    assert urls
    assert failures_for(client, urls) == []


def test_attack_every_public_route_survives_hostile_query_arguments(app, client, site):
    urls = []
    for rule, value in product(public_rules(app), HOSTILE):
        path = fill(rule, site)
        encoded = quote(value, safe="", errors="surrogatepass")
        # All at once, and again without `trang`, which alone sends a list to its first page.
        for names in (QUERY_ARGS, [name for name in QUERY_ARGS if name != "trang"]):
            urls.append(path + "?" + "&".join(f"{name}={encoded}" for name in names))
    assert failures_for(client, urls) == []


def test_attack_the_reported_examples_are_not_server_errors(client, site):
    for url in (
        "/?trang=99999999999999999999",
        "/tep/99999999999999999999",
        "/tin/x-99999999999999999999",
        "/tim-kiem?q=xa&tu=01/01/0001",
        "/tim-kiem?q=xa&den=31/12/9999",
        f"/tin/sai-{site['article_id']}?slug=x",
        f"/tin/sai-{site['article_id']}?_external=1&_scheme=javascript",
        "/chuyen-muc/nong-nghiep-cu?slug=x",
        "/chuyen-muc/nong-nghiep?trang=x&_anchor=x&_method=POST",
    ):
        assert client.get(url).status_code != 500, url


def test_attack_query_arguments_do_not_become_url_options(client, site):
    response = client.get(
        f"/tin/sai-{site['article_id']}?_external=1&_scheme=https&_anchor=x&q=giu"
    )
    assert response.status_code == 301
    assert response.location == f"/tin/tin-co-that-{site['article_id']}?q=giu"


text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(HOSTILE)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=st.dictionaries(st.sampled_from(QUERY_ARGS), text, max_size=6),
       endpoint=st.sampled_from(["/", "/tim-kiem", "/van-ban", "/chuyen-muc/nong-nghiep",
                                 "/chuyen-muc/nong-nghiep-cu", "/tin/sai-1", "/tin/1",
                                 "/rss.xml", "/sitemap.xml", "/tiet-kiem-du-lieu"]))  # fmt: skip
def test_attack_random_query_arguments_never_cause_a_server_error(client, site, args, endpoint):
    query = "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}"
                     for k, v in args.items())  # fmt: skip
    response = client.get(f"{endpoint}?{query}")
    assert response.status_code != 500, (endpoint, args)


HOSTILE_HOSTS = (
    "", "a b", "[::1", "evil.example", "x" * 300, "évil.example", "localhost:99999",
    "localhost:0", "localhost:", "localhost\x00", "127.0.0.1:5000", "LOCALHOST",
)  # fmt: skip


def test_hostile_host_headers_never_cause_a_server_error(app, client, site):
    paths = ["/", f"/tin/sai-{site['article_id']}", "/rss.xml", "/robots.txt", "/khong-co"]
    for host, path in product(HOSTILE_HOSTS, paths):
        response = client.get(path, headers={"Host": host})
        assert response.status_code != 500, (host, path)
        assert "evil" not in response.get_data(as_text=True)


# --- Invisible characters in what editors type -------------------------------------------

INVISIBLE = "\u202e\u202a\u2066\u2069\u200b\u200f\x00\x1b\x7f\x85"


def test_attack_a_right_to_left_override_cannot_disguise_a_title(client, auth, make_category):
    category = make_category()
    auth.login("editor")
    data = article_data(
        category.id, title=f"Thông báo {INVISIBLE}fdp.exe", author=f"Ban{INVISIBLE} tin",
        summary="Tóm\u202etắt\u200b", image_caption="Ảnh\u2067 lễ hội", action="publish",
    )  # fmt: skip
    assert client.post("/admin/articles/new", data=data).status_code == 302
    article = db.session.scalars(select(Article)).one()
    assert article.title == "Thông báo fdp.exe"
    assert article.author == "Ban tin"
    assert article.summary == "Tómtắt"
    assert article.image_caption == "Ảnh lễ hội"


def test_attack_invisible_characters_in_the_site_name_are_dropped(client, auth):
    auth.login("admin")
    form = {key: default for key, (_, default) in SETTINGS.items()}
    form["site_name"] = "Xã\u202e Hòa\u200b Sơn\x07"
    assert client.post("/admin/settings", data=form).status_code == 302
    assert Setting.values()["site_name"] == "Xã Hòa Sơn"


def test_invisible_characters_leave_file_names():
    assert safe_name(f"ab{INVISIBLE}fdp.exe\u200d.pdf") == "abfdp.exe.pdf"
    assert safe_name("báo cáo\u202ecod.exe") == "báo cáocod.exe"


def test_attack_dates_at_year_one_or_9999_in_the_desk_are_field_errors(client, auth, make_category):
    category = make_category()
    auth.login("editor")
    for moment in ("0001-01-01T00:00", "9999-12-31T23:59"):
        data = article_data(category.id, publish_at=moment, action="schedule")
        response = client.post("/admin/articles/new", data=data)
        assert response.status_code == 422
        assert "Năm phải từ 1900 đến 2999." in response.get_data(as_text=True)
    assert db.session.scalars(select(Article)).all() == []


def test_attack_url_options_in_a_desk_list_address_are_ignored(client, auth, make_article):
    for _ in range(21):  # two pages of the desk's list
        make_article()
    auth.login("editor")
    response = client.get("/admin/articles?_scheme=javascript&_external=1&_anchor=x&slug=y")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "javascript:" not in html
    assert 'href="/admin/articles?slug=y&amp;trang=2"' in html


# --- Every signed-in route: numbers and addresses from forms and queries ------------------

# Every query argument a desk view reads.
DESK_QUERY_ARGS = (
    "trang", "q", "status", "category", "creator", "user", "loai", "action", "next", "so-voi",
    "media_id", "article_id", "document_id", "owner_id", "owner", "image_id",
)  # fmt: skip
# Where addresses are typed or sent back: hostile ones on top of HOSTILE.
HOSTILE_ADDRESSES = ("http://[::1", "https://[::1]:99999/", "http://xa.gov.vn:abc/", "//[")


def desk_field_names() -> list[str]:
    """Every field of every desk form, and the few a view reads from request.form itself."""
    names = {"action", "alt", "caption", "change_slug", "html", "new_category", "next", "reason"}
    for form in vars(forms).values():
        if isinstance(form, type) and issubclass(form, FlaskForm):
            names |= {name for name in dir(form) if isinstance(getattr(form, name), UnboundField)}
    return sorted(name for name in names if "password" not in name and name != "csrf_token")


@pytest.fixture
def desk_site(app, client, make_article, make_user):
    """A desk with one of everything an address can name, an admin signed in; errors 500."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    make_article(title="Tin có thật")
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu"))
    db.session.add(Document(number="1/NQ", title="Nghị quyết", issued_on=date(2026, 1, 5)))
    db.session.commit()
    make_user("quantri", "admin", password=PASSWORD)
    return DeskBrowser(client)


class DeskBrowser:
    """An admin's browser that signs in again (from a new address, past the sign-in's rate
    limit) whenever a hostile request ended its session."""

    def __init__(self, client):
        self.client = client
        self.logins = 0
        self.sign_in()

    def sign_in(self):
        self.logins += 1
        self.client.environ_base["REMOTE_ADDR"] = f"2001:db8::{self.logins:x}"
        form = {"username": "quantri", "password": PASSWORD}
        assert self.client.post("/admin/login", data=form).status_code == 302

    def send(self, method: str, url: str, data=None) -> int:
        """Send one request and return its status code (signing in again if it ended the
        session)."""
        with self.client.open(url, method=method, data=data) as response:
            signed_out = response.status_code == 401 or "/admin/login" in (response.location or "")
            status = response.status_code
        if signed_out:
            self.sign_in()
            with self.client.open(url, method=method, data=data) as response:
                status = response.status_code
        return status


# Ending the admin's own session is not what these tests are about, and a backup reads no
# field (but writes a whole archive each time).
NOT_ATTACKED = {"auth.logout", "admin.backup_create"}


def desk_failures(browser, method_wanted: str, request_for) -> list[str]:
    found = []
    for method, url, endpoint in signed_in_rules():
        if method != method_wanted or endpoint in NOT_ATTACKED:
            continue
        for value in HOSTILE + HOSTILE_ADDRESSES:
            target, data = request_for(url, value)
            status = browser.send(method, target, data)
            if status >= 500:
                found.append(f"{status} {method} {endpoint} {value[:30]!r}")
    return found


def hostile_query(url: str, value: str) -> str:
    encoded = quote(value, safe="", errors="surrogatepass")
    return url + "?" + "&".join(f"{name}={encoded}" for name in DESK_QUERY_ARGS)


def test_attack_every_signed_in_route_survives_hostile_query_arguments(desk_site):
    def request_for(url, value):
        return hostile_query(url, value), None

    assert desk_failures(desk_site, "GET", request_for) == []


def test_attack_every_signed_in_form_survives_hostile_numbers_and_addresses(desk_site):
    fields = desk_field_names()

    def request_for(url, value):
        text = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return hostile_query(url, value), dict.fromkeys(fields, text)

    assert desk_failures(desk_site, "POST", request_for) == []


TOO_LARGE_IDS = ("99999999999999999999", str(2**63), str(2**31), "²", "9" * 5000)


def test_attack_out_of_range_numbers_in_the_desk_are_messages(desk_site, make_category):
    """The numbers the attack report named, each in an otherwise valid form."""
    client = desk_site.client
    category = make_category(name="Văn hóa")
    for value, url in product(TOO_LARGE_IDS, ("/admin/articles/new", "/admin/articles/1/edit")):
        for field in ("image_id", "category_id"):
            data = article_data(category.id, version="1") | {field: value}
            response = client.post(url, data=data)
            assert response.status_code == 422, (field, value, url)
            assert "Tin có thật" in client.get("/admin/articles").get_data(as_text=True)
        preview = article_data(category.id) | {"image_id": value}
        assert client.post("/admin/articles/preview", data=preview).status_code == 200
        for query in ("category", "creator"):
            assert client.get(f"/admin/articles?{query}={value}").status_code == 200
        assert client.get(f"/admin/articles/new?category={value}").status_code == 200
        assert client.post("/admin/categories/new", data={"name": "X", "parent_id": value}
                           ).status_code == 422  # fmt: skip
        for owner in ("article", "document"):
            data = {"owner_type": owner, "owner_id": value, "next": "/admin/"}
            assert client.post("/admin/attachments/upload", data=data).status_code in (302, 404)


def test_attack_a_broken_address_in_the_desk_is_a_message(desk_site):
    client = desk_site.client
    for address in HOSTILE_ADDRESSES:
        response = client.post("/admin/redirects/new", data={"old_path": address, "target": "/"})
        assert response.status_code == 422, address
        response = client.post("/admin/redirects/new", data={"old_path": "/cu", "target": address})
        assert response.status_code == 422, address
    # A form posted with a broken Origin is simply not from our pages: the plain refusal.
    client.post("/admin/logout")
    response = client.post("/admin/articles/new", headers={"Origin": "http://[::1"})
    assert response.status_code == 400
