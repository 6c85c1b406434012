"""Province hosting's connections. PostgreSQL: every site's app in a process shares one engine
(one pool of connections) per database, and each connection is pointed at the current site's
schema when it is handed out.

A pool per site would hold 150 sites' idle connections per process, far past PostgreSQL's
`max_connections`; `search_path` rather than SQLAlchemy's schema translation, because
migrations and the transfer code also run plain SQL. An app whose settings name a
`DATABASE_SCHEMA` (a site's, `sites.config`) makes its engines here, through the extension
point `models.Databases` offers (`ENGINE_MAKER`).

SQLite: each site has its own file and engine, and a connection kept open between requests
holds about half a megabyte (the parsed schema, the pages read, the prepared statements): 150
sites' idle connections were a third of a province server's memory. So only the
SQLITE_IDLE_SITES sites of a process that gave a connection back last keep theirs; an older
one's pool is emptied, and its next request that reads the database opens a connection again
(about 1.6 ms; a page the cache answers reads no database). BENCHMARKS.md, "Lighter processes".
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict

from flask import Flask, current_app, has_app_context
from sqlalchemy import Engine, event

from models import ENGINE_MAKER

# A schema no table lives in: a connection handed out with no site to serve can find nothing.
NO_SITE_SCHEMA = "bantin_no_site"
# The process's engine for each database, whatever site's app asked first.
SHARED_ENGINES: dict[str, Engine] = {}
# SQLite sites whose idle connections stay open, most recent last (engines by id).
SQLITE_IDLE_SITES = 16
IDLE: OrderedDict[int, weakref.ref] = OrderedDict()
IDLE_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    """Make an app whose tables are in a PostgreSQL schema use the process's shared engine,
    and a site with a database of its own (its SQLite file) keep an idle connection only
    while the site is among the recent."""
    if app.config.get("DATABASE_SCHEMA"):
        app.extensions[ENGINE_MAKER] = shared_engine
    else:
        app.extensions[ENGINE_MAKER] = few_idle_connections


def few_idle_connections(_options: dict, make) -> Engine:
    """A site's own engine, whose pool is emptied once other sites gave connections back
    more recently (`SQLITE_IDLE_SITES`)."""
    engine = make()
    event.listen(engine.pool, "checkin", functools.partial(given_back, weakref.ref(engine)))
    return engine


def given_back(engine: weakref.ref, _dbapi_connection, _record) -> None:
    """Note the site as recent; close the idle connections of the least recent past the bound."""
    key = id(engine())
    with IDLE_LOCK:
        IDLE[key] = engine
        IDLE.move_to_end(key)
        older = [IDLE.popitem(last=False)[1] for _ in range(len(IDLE) - SQLITE_IDLE_SITES)]
    for ref in older:
        found = ref()
        if found is not None:
            found.pool.dispose()  # closes the idle connections; one in use stays in use


def shared_engine(options: dict, make) -> Engine:
    """The process's engine for the database in `options`, made by `make` the first time."""
    url = options["url"]
    key = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    engine = SHARED_ENGINES.get(key)
    if engine is None:
        engine = make()
        event.listen(engine, "checkout", use_site_schema)
        SHARED_ENGINES[key] = engine
    return engine


def use_site_schema(dbapi_connection, record, _proxy) -> None:
    """Point a connection at the current site's tables before anyone uses it.

    The SET is committed at once, so that a later rollback cannot silently undo it and leave
    the connection on another site's schema.
    """
    schema = current_app.config.get("DATABASE_SCHEMA") if has_app_context() else None
    schema = schema or NO_SITE_SCHEMA
    if record.info.get("schema") == schema:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(f'SET search_path TO "{schema}"')
    cursor.close()
    dbapi_connection.commit()
    record.info["schema"] = schema
