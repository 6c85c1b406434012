"""The province's choice of app: each request goes to the app of the site that owns its host name.

Each site is a whole Bantin app of its own (`create_app` with that site's settings), built on
the first request for one of its host names and kept ready afterwards, so a site's pages are
exactly a single commune's pages: the same code, its own database, media, users, sessions and
page cache stamp, with no request-time switch a bug could forget. Sites not visited for a while
are let go once more than SITES_LIVE_MAX are ready in this process. A host that belongs to no
site gets a plain 400; a disabled site a 503 page.

The WSGI layers around the apps are the province's, built once (app.build_wsgi_stack), and the
dispatcher is one of them: it gives each request its site's `Live` record (web.served), from
which the layers after it (visit counts, page cache) read that site's own parts.

The registry is read once and again whenever its stamp changes (a `flask site` command on this
server, or a notification from another), so adding, disabling or renaming takes effect on the
next request with no restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from models import db
from sites.hugepages import Sweeper
from sites.registry import Registry, Site, normal_host
from web.redirects import MOVED_HOST
from web.served import SERVED, Served
from web.stamps import ARRIVED, Stamp, listen_to
from web.urls import UNKNOWN_HOST

CLOSED = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Trang tạm ngừng</title>'
    "<h1>Trang tạm ngừng hoạt động</h1><p>Trang thông tin này đang tạm ngừng. Xin vui lòng "
    "quay lại sau.</p></html>"
)


@dataclass(slots=True, eq=False)
class Live(Served):
    """A site's app ready in this process, and when it last answered (`SiteDispatcher.uses`):
    the one record per site a request to a ready site reads (`SiteDispatcher.ready`), and
    what the layers after the dispatcher read of the site (web.served)."""

    app: Flask | None = None
    used: int = 0
    moved_hosts: tuple[str, ...] = ()  # the site's hosts that answer with redirects

    @classmethod
    def of(cls, app: Flask, used: int) -> Live:
        served = app.extensions["served"]
        site = app.config["BANTIN_SITE"]
        return cls(served.wsgi, served.validity, served.visits, app, used, site.moved_hosts)


def plain(status: str, body: str, start_response):
    data = body.encode()
    start_response(status, [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(data))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ])
    return [data]


class SiteDispatcher:
    """WSGI middleware: give each request its site's app, the province's own hosts `own`
    (the province's app), and pass it on to the layers after it (`around`)."""

    def __init__(self, province_app: Flask, registry: Registry, stamp: Stamp,
                 build: Callable[[Site], Flask], own: Served):
        self.province_app = province_app
        self.own = own
        self.wsgi_app = None  # the layers after this one (`around`)
        self.registry = registry
        self.stamp = stamp
        self.build = build
        self.live_max = province_app.config["SITES_LIVE_MAX"]
        self.province_hosts = {normal_host(h) for h in province_app.config["PROVINCE_HOSTS"]}
        self.lock = threading.Lock()
        self.building: dict[str, threading.Lock] = {}
        self.apps: dict[str, Live] = {}
        self.uses = 0  # requests handed to a site's app: their order tells which to let go
        self.seen_stamp = b""
        self.by_host: dict[str, Site] = {}
        # Each host name of a site whose app is ready, to its record: with 150 sites, every
        # object a request reads on its way is a trip to memory (BENCHMARKS.md, "Hot pages
        # across 150 sites"), so a ready site's request reads one, not its Site, its name,
        # its app and the app's attributes.
        self.ready: dict[str, Live] = {}
        self.listening = registry.on_postgresql
        # Each site built adds its objects to 4 KB pages: a sweep soon after puts them on 2 MB
        # pages (sites.hugepages).
        self.huge_pages = Sweeper() if province_app.config["SITES_HUGE_PAGES"] else None

    def around(self, wsgi_app) -> SiteDispatcher:
        """Be the WSGI layer in front of `wsgi_app` (app.build_wsgi_stack)."""
        self.wsgi_app = wsgi_app
        return self

    def __call__(self, environ, start_response):
        environ.setdefault(ARRIVED, time.monotonic_ns())
        host = normal_host(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
        sites = self.sites(environ[ARRIVED])  # first: a registry change lets apps go
        live = self.ready.get(host)
        if live is None:
            site = sites.get(host)
            if site is None:
                if host in self.province_hosts or host in ("localhost", "127.0.0.1"):
                    environ[SERVED] = self.own
                    return self.wsgi_app(environ, start_response)
                return plain("400 BAD REQUEST", UNKNOWN_HOST, start_response)
            if not site.enabled:
                return plain("503 SERVICE UNAVAILABLE", CLOSED, start_response)
            live = self.live_for(site)
        if live.moved_hosts and host in live.moved_hosts:
            environ[MOVED_HOST] = host  # a merged commune's old name: the site redirects it
        self.uses += 1  # threads may race here: a use counted twice changes no order that matters
        live.used = self.uses
        environ[SERVED] = live
        return self.wsgi_app(environ, start_response)

    def sites(self, arrived: int | None = None) -> dict[str, Site]:
        """Every site by host name, read again when the registry's stamp has moved.

        Other servers' `flask site` commands reach us by notification; until every one sent
        before this request `arrived` is applied (or while the listener is not connected),
        the registry is asked instead.
        """
        stale = self.listening and not listen_to(self.registry.uri).up_to_date(arrived)
        current = self.stamp.read()  # after the notifications: they may have moved it
        if stale or current != self.seen_stamp:
            with self.lock:
                if stale or current != self.seen_stamp:
                    self.reload(current)
        return self.by_host

    def reload(self, current: bytes) -> None:
        sites = self.registry.sites()
        self.by_host = {
            host: site for site in sites for host in site.hosts + site.moved_hosts
        }
        names = {site.name: site for site in sites}
        for name, live in list(self.apps.items()):
            if names.get(name) != live.app.config["BANTIN_SITE"]:
                self.let_go(name)  # removed, disabled or changed: build it again when asked
        self.seen_stamp = current

    def app_for(self, site: Site) -> Flask:
        """The site's app, built on its first request."""
        live = self.live_for(site)
        self.uses += 1
        live.used = self.uses
        return live.app

    def live_for(self, site: Site) -> Live:
        """The site's ready app: found without a lock (a dict read is atomic), or built."""
        live = self.apps.get(site.name)
        return live if live is not None else self.build_once(site)

    def build_once(self, site: Site) -> Live:
        with self.lock:
            building = self.building.setdefault(site.name, threading.Lock())
        with building:  # one thread builds a site's app; the others wait for it
            live = self.apps.get(site.name)
            if live is not None:
                return live
            app = self.build(site)
            app.config["BANTIN_SITE"] = site
            return self.keep(site.name, app)

    def keep(self, name: str, app: Flask) -> Live:
        """Hold a new app ready; past SITES_LIVE_MAX, let go the one unused longest."""
        site = app.config["BANTIN_SITE"]
        with self.lock:
            self.uses += 1
            live = self.apps[name] = Live.of(app, self.uses)
            hosts = site.hosts + site.moved_hosts
            # Only as the registry now reads: a disabled site answers 503 without its app, and
            # one changed while it was built is built again (`reload`).
            if site.enabled and all(self.by_host.get(host) == site for host in hosts):
                for host in hosts:
                    self.ready[host] = live
            while len(self.apps) > self.live_max:
                self.let_go(min(self.apps, key=lambda each: self.apps[each].used))
        if self.huge_pages is not None:
            self.huge_pages.soon()
        return live

    def let_go(self, name: str) -> None:
        """Forget a site's app; its SQLite connections close (a shared pool stays)."""
        live = self.apps.pop(name, None)
        if live is None:
            return
        for host in [host for host, each in self.ready.items() if each is live]:
            del self.ready[host]
        app = live.app
        if app.config.get("DATABASE_SCHEMA"):
            return
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
