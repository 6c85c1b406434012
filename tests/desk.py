"""Helpers shared by the editor-desk tests: tokens, form data, and the list of /admin routes."""

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from flask import g
from sqlalchemy import func, select

from app import create_app
from models import Article, Attachment, Category, Document, Media, Page, Setting, User, db

# Desk tests create their users with this password (make_user(..., password=PASSWORD)).
PASSWORD = "mat-khau-ban-bien-tap"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'type="hidden" name="csrf_token" value="([^"]+)"')  # fmt: skip


def token_from(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    found = TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found[1] or found[2]


def get_token(client, url: str) -> str:
    return token_from(client.get(url).get_data(as_text=True))


def article_data(category_id: int, **fields) -> dict:
    """Form data for the article form, every field filled in."""
    data = {
        "title": "Đường làng mới ở thôn Đồng Tâm",
        "slug": "",
        "summary": "Bà con góp công làm 2 km đường bê tông.",
        "body": "<p>Sáng nay, thôn Đồng Tâm khánh thành con đường mới.</p>",
        "category_id": str(category_id),
        "author": "Lý Thị Hà",
        "source": "Đài truyền thanh xã",
        "image_id": "",
        "image_caption": "",
        "image_alt": "",
        "publish_at": "",
        "expire_at": "",
        "action": "draft",
    }
    data.update({name: str(value) for name, value in fields.items()})
    return data


def second_worker(app):
    """Another app on the same database, as a second server process would be."""
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MEDIA_ROOT", "SERVER_NAME",
            "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD")  # fmt: skip
    return create_app({key: app.config[key] for key in keys} | {"INSTANCE_PATH": app.instance_path})


def app_rules(prefixes: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Every route whose endpoint starts with one of `prefixes`, as (method, url, endpoint)."""
    with tempfile.TemporaryDirectory(prefix="bantin-rules-") as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "rules",
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "MEDIA_ROOT": str(Path(folder) / "media"),
                "LOG_DIR": "",  # no log file left behind in a folder about to go
            }
        )
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefixes):
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append((method, url, rule.endpoint))
    return sorted(set(rules))


def admin_rules() -> list[tuple[str, str, str]]:
    """Every route of the editor desk as (method, url with sample ids, endpoint)."""
    return app_rules(("admin.",))


# Endpoints of the sign-in blueprint that anyone may call: the login form itself.
OPEN_AUTH_ENDPOINTS = {"auth.login"}


def signed_in_rules() -> list[tuple[str, str, str]]:
    """Every route that needs a live sign-in: the desk's and the sign-in blueprint's (all but
    the login form), whichever module defines them."""
    return [rule for rule in app_rules(("admin.", "auth.")) if rule[2] not in OPEN_AUTH_ENDPOINTS]


def desk_state() -> dict:
    """What a refused request must leave alone: rows of the content tables, titles, roles."""
    state = {table: db.session.scalar(select(func.count()).select_from(model))
             for table, model in (("article", Article), ("media", Media), ("user", User),
                                  ("attachment", Attachment), ("page", Page),
                                  ("document", Document), ("category", Category),
                                  ("setting", Setting))}  # fmt: skip
    state["titles"] = sorted(db.session.scalars(select(Article.title)))
    state["roles"] = sorted(db.session.execute(select(User.username, User.role, User.active)))
    return state


def switch_browser() -> None:
    """Forget what `g` holds (Flask-Login's user, the menu, the settings) before another test
    client's request: the tests' app context outlives requests, a real server's does not."""
    for name in list(g):
        g.pop(name)


class Collector(HTMLParser):
    """Gather every element and attribute of a page, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


SAFE_SCHEMES = ("http", "https", "mailto", "tel")
C0_AND_SPACE = "".join(chr(n) for n in range(33))


def dangerous_url(value: str) -> bool:
    """Read the scheme as the URL standard does; anything but ours (or none) is dangerous."""
    compact = re.sub(r"[\t\n\r]", "", value).strip(C0_AND_SPACE).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", compact)
    return scheme is not None and scheme[1] not in SAFE_SCHEMES


def hostile_markup(html: str) -> list[str]:
    """List the scripts, event handlers and javascript:/data: URLs of a page, except the
    site's own script files, its JSON-LD data block (a broken-out one would show up as a
    second script) and its empty data: icon."""
    found = []
    for tag, attrs in elements(html):
        own_script = attrs.get("src", "").startswith("/static/")
        data_block = attrs.get("type") == "application/ld+json" and "src" not in attrs
        if tag == "script" and not (own_script or data_block):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            url_like = name in ("href", "src", "srcset", "action", "formaction", "poster")
            if url_like and value != "data:," and dangerous_url(value):
                found.append(f"<{tag} {name}={value}>")
    return found


def sign_in_as_admin(page, live_server) -> None:
    """Sign in to the live demo site's desk in a real browser, as a person would."""
    page.goto(live_server.url + "/admin/login")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(live_server.admin_password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/admin/$"))
