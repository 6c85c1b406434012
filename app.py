"""Bantin: the application factory. Read it as the table of contents of the site."""

import functools
import os

from flask import Flask

import admin
import auth
import citizens
import participation
import province
import public
import search
import settings
from extensions import csrf, login_manager, migrate
from media import usage
from models import db, render_migration_item
from ops import cli, health, production
from sites import commands as site_commands
from sites import config as site_config
from sites import databases as site_databases
from sites import front
from sites import index as province_index
from sites.dispatch import SiteDispatcher
from sites.registry import Registry, Site, open_registry
from web import (
    assets,
    bodies,
    caching,
    compression,
    errors,
    limits,
    logs,
    pagecache,
    redirects,
    security,
    served,
    stamps,
    templating,
    urls,
    visits,
)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the Bantin application: one commune's site, or a province's sites by host."""
    production.stop_when_asked()  # a server's worker told to stop while it loads stops
    app = new_app(test_config)
    registry = open_registry(app.config["SITES_DATABASE_URI"])
    if registry is None:
        app = build_site(app, test_config)
    else:
        app = build_province(app, registry, test_config)
    production.freeze_start_objects(app)
    return app


def create_site_app(test_config: dict | None, site: Site) -> Flask:
    """Create the app of one site of a province, served through the province's WSGI layers;
    it keeps its share of the province's search index current."""
    app = build_site(new_app(test_config, site), test_config, in_province=True)
    province_index.init_site(app, site)
    return app


def new_app(test_config: dict | None, site: Site | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH")
    app = Flask(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    configure(app, test_config, site)
    return app


def build_site(app: Flask, test_config: dict | None, in_province: bool = False) -> Flask:
    """Make `app` a commune's whole site: the table of contents of everything it serves. A
    province's site has no WSGI layers of its own: the province's serve it (`build_province`)."""
    register_request_limits(app, auth.staff_signed_in)
    register_extensions(app)
    register_page_cache(app)
    register_logging(app)
    register_listeners(app)
    register_blueprints(app, public.bp, citizens.bp, auth.bp, admin.bp)
    register_old_addresses(app)
    register_errorhandlers(app, errors.SITE)
    register_response_filters(app)
    register_template_helpers(app)
    register_commands(app, lambda site: create_site_app(test_config, site))
    app.extensions["served"] = served.Served(app.wsgi_app, pagecache.validity(app),
                                             app.extensions["visits"])
    if not in_province:
        build_wsgi_stack(app, functools.partial(served.OneSite, served=app.extensions["served"]))
    return app


def build_province(app: Flask, registry: Registry, test_config: dict | None) -> Flask:
    """Make `app` the province's entry: it hands each request to its site's own app.

    Its own database is the registry's (so /healthz asks it); its own pages, on
    PROVINCE_HOSTS, are the province's front page, feed, search and admin page (`province`);
    every `flask` command acts on the site named by BANTIN_SITE, or on every site where the
    command says so.
    """
    def build(site: Site) -> Flask:
        return create_site_app(test_config, site)

    configure_province(app, registry)
    register_request_limits(app, lambda: False)  # the officers' page takes no files
    register_extensions(app)
    register_logging(app, site=False)
    register_blueprints(app, province.bp)
    register_errorhandlers(app, province.ERROR_LAYOUT)
    register_response_filters(app)
    register_template_helpers(app, site=False, filters=province.FILTERS)
    register_commands(app, build, registry)
    # The province's own pages are kept in the same store as its sites', valid under its
    # newsroom (sites.front); they count no views.
    own = served.Served(app.wsgi_app, front.init_app(app))
    dispatcher = app.extensions["province"] = site_dispatcher(app, registry, build, own)
    build_wsgi_stack(app, dispatcher.around,
                     pagecache.shared_entries(app.config["PAGE_CACHE_MAX_BYTES"]))
    return app


def build_wsgi_stack(app: Flask, choose, entries=None) -> None:
    """Wrap the Flask app in its WSGI layers, listed in the order a request meets them (None:
    a layer this app goes without). `choose` gives each request the app it is for (web.served):
    a commune's one app, or in a province the site's that owns the host name. The layers are
    built once, and a province's sites share them and one page store (`entries`)."""
    layers = [
        bodies.layer(app),  # a request body that comes too slowly ends with a 408
        logs.RequestLog,  # an id and one log line per request
        choose,  # the app the request is for: a province's site, by host name
        production.proxy_layer(app),  # the reader's own address, behind nginx
        visits.VisitCounter,  # article views (the cache's answers count too)
        pagecache.layer(app, entries),  # kept pages, before Flask runs
    ]
    app.wsgi_app = served.served_app  # the chosen app's own wsgi_app, once the layers let it
    for layer in reversed(layers):
        if layer is not None:
            app.wsgi_app = layer(app.wsgi_app)


def site_dispatcher(app: Flask, registry: Registry, build, own: served.Served) -> SiteDispatcher:
    """The province's choice of app by host name, which reads the registry again when its
    stamp moves; `own` serves the province's own pages."""
    stamp = stamps.stamp_at(os.path.join(app.instance_path, "stamps", "registry.stamp"))
    return SiteDispatcher(app, registry, stamp, build, own)


def configure(app: Flask, test_config: dict | None, site: Site | None = None) -> None:
    """Load settings.py's defaults, then instance/config.py, then FLASK_* (or the test config);
    then the site's own settings in a province; then the rules every start obeys: a real
    secret key, a private database, known hosts."""
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    app.config.from_mapping(settings.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    production.refuse_default_secret_key(app)
    if site is not None:
        site_config.configure_site(app, site)
    os.makedirs(app.config["MEDIA_ROOT"], exist_ok=True)
    production.protect_database_file(app)
    urls.init_app(app)


def configure_province(app: Flask, registry: Registry) -> None:
    """The entry app's database is the registry's (the officers' accounts are there); it
    answers the province's own host names (its front page) and the local ones."""
    app.config.update(registry.entry_database())
    site_databases.init_app(app)  # on PostgreSQL, the accounts' schema on the shared pool
    health.database_only(app)  # /healthz asks the registry's database to answer
    own = app.config["PROVINCE_HOSTS"]
    # FLASK_PROVINCE_HOSTS="danang.gov.vn, www.danang.gov.vn" from a systemd unit.
    own = own.replace(",", " ").split() if isinstance(own, str) else list(own)
    app.config["PROVINCE_HOSTS"] = own
    app.config["TRUSTED_HOSTS"] = [*own, *urls.LOCAL_HOSTS]


def register_page_cache(app: Flask) -> None:
    """Serve finished public pages again until the data they show changes (the page cache
    watches the database), and count the article views (those the cache answers too); their
    WSGI layers are in `build_wsgi_stack`."""
    pagecache.init_app(app)
    visits.init_app(app)


def register_logging(app: Flask, site: bool = True) -> None:
    """Log to stderr and instance/logs/ (`logs.RequestLog` adds one line per request); a
    site without a public address says so once at start.

    A province's site apps log through the handlers its entry app installed.
    """
    logs.init_app(app, install_handlers=not app.config["SITE_NAME"])
    if site:
        production.warn_without_public_address(app)


def register_request_limits(app: Flask, staff_signed_in) -> None:
    """Bound every request body before anything reads it: large only for uploads of signed-in
    staff (`staff_signed_in`; web.limits: the first before-request hook, ahead of CSRF)."""
    limits.init_app(app, staff_signed_in)


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF protection and logins to the app."""
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    login_manager.init_app(app)


def register_listeners(app: Flask) -> None:
    """Keep derived data in step with every write: the search index, where images are used."""
    search.init_app(app)
    usage.init_app(app)
    participation.init_app(app)


def register_blueprints(app: Flask, *audiences) -> None:
    """Mount the health check and static assets, then the audiences' pages: a commune's
    readers, sign-in and desk, or the province's own pages."""
    app.register_blueprint(health.bp)
    app.register_blueprint(assets.bp)
    for blueprint in audiences:
        app.register_blueprint(blueprint)
    assets.init_app(app)


def register_old_addresses(app: Flask) -> None:
    """Answer a merged commune's old host names with 301s (the old paths, on a 404, too)."""
    redirects.init_app(app)


def register_errorhandlers(app: Flask, layout: errors.Layout) -> None:
    """Answer every error with a Vietnamese page in the app's layout."""
    errors.init_app(app, layout)


def register_response_filters(app: Flask) -> None:
    """Mark pages that differ by Save-Data, add security headers, compress what is sent."""
    app.after_request(caching.vary_on_save_data)
    app.after_request(security.add_security_headers)
    app.after_request(compression.compress_response)


def register_template_helpers(app: Flask, site: bool = True, filters=None) -> None:
    """Give templates the shared helpers (dates, assets) and a site's settings, menus, URLs
    and picture markup; an audience's own `filters` are added beside them."""
    templating.init_app(app, site)
    templating.extend(app, filters=filters)


def register_commands(app: Flask, build, registry: Registry | None = None) -> None:
    """Add the `flask` commands the IT officer uses; in a province (`registry`) each acts on
    the site BANTIN_SITE names, or on every site. `build` makes a province site's app."""
    if registry is None:
        cli.init_app(app, build, more=site_commands.COMMANDS)
    else:
        site_commands.init_app(app, registry, build)
