"""Addresses the site hands out and takes in: an article's canonical path, absolute links from
the configured public address, the hosts the site answers for, and whole numbers in paths
that fit the database."""

from urllib.parse import urlsplit

from flask import Flask, current_app, make_response, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.routing import IntegerConverter

from internals import LazyRule
from models import MAX_ID, Article

# Said to a request for a host the site does not serve; no layout, since no link can be built.
UNKNOWN_HOST = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Yêu cầu không hợp lệ</title>'
    "<h1>Yêu cầu không hợp lệ</h1><p>Trang này không phục vụ tên miền đó.</p></html>"
)
# Hosts a development run (`make run`, `flask run --debug`) and a local monitor use.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:id>` that matches only numbers a database can hold; longer ones are a 404."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Bound every `<int:...>` in the site's URLs; answer only the hosts the site serves."""
    app.url_rule_class = LazyRule  # before any rule is added: the blueprints come later
    app.url_map.converters["int"] = BoundedIntegerConverter
    configured = app.config.get("TRUSTED_HOSTS")
    if isinstance(configured, str):
        # FLASK_TRUSTED_HOSTS="xa.gov.vn, www.xa.gov.vn" from a systemd unit.
        configured = configured.replace(",", " ").split()
    app.config["TRUSTED_HOSTS"] = configured or trusted_hosts(app.config["SITE_URL"])
    app.register_error_handler(SecurityError, refuse_unknown_host)


def refuse_unknown_host(_error: SecurityError):
    """Answer a Host the site does not serve with a plain 400 that echoes nothing back."""
    response = make_response(UNKNOWN_HOST, 400)
    response.cache_control.no_store = True
    return response


def site_host(site_url: str) -> str:
    """Return the host name of the configured public address, or "" when none is set."""
    return (urlsplit(site_url.strip()).hostname or "") if site_url else ""


def trusted_hosts(site_url: str) -> list[str]:
    """The public address's host and the local ones: a request for any other host is a 400."""
    host = site_host(site_url)
    return [host, *LOCAL_HOSTS] if host else list(LOCAL_HOSTS)


def link_args(args) -> dict[str, str]:
    """Return query arguments fit to pass on to url_for: none of url_for's own options.

    Names starting with "_" (`_external`, `_scheme`, `_anchor`, `_method`) would change
    the link itself, so none may come from the address bar.
    """
    return {name: value for name, value in args.items() if name and not name.startswith("_")}


def same_page_url(endpoint: str, view_args: dict, args) -> str:
    """Build a local URL for `endpoint` keeping the harmless query arguments.

    A query argument named like a path argument (`?slug=x`) is dropped: the path decides.
    """
    kept = {name: value for name, value in link_args(args).items() if name not in view_args}
    return url_for(endpoint, **view_args, **kept)


def article_url(article: Article, _external: bool = False, **params) -> str:
    """Return the canonical URL of an article: /tin/<slug>-<id>."""
    return url_for(
        "public.article", slug=article.slug, article_id=article.id, _external=_external, **params
    )


def absolute_url(path: str) -> str:
    """Prefix a path with the public address, SITE_URL.

    Without SITE_URL (a first look with `make run`) the request's host is used, which
    TRUSTED_HOSTS has already limited to the local names.
    """
    base = current_app.config["SITE_URL"]
    if base:
        return base.strip().rstrip("/") + path
    return url_for("public.home", _external=True).rstrip("/") + path
