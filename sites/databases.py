"""PostgreSQL province hosting's connections: every site's app in a process shares one engine
(one pool of connections) per database, and each connection is pointed at the current site's
schema when it is handed out.

A pool per site would hold 150 sites' idle connections per process, far past PostgreSQL's
`max_connections`; `search_path` rather than SQLAlchemy's schema translation, because
migrations and the transfer code also run plain SQL. An app whose settings name a
`DATABASE_SCHEMA` (a site's, `sites.config`) makes its engines here, through the extension
point `models.Databases` offers (`ENGINE_MAKER`).
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import Engine, event

from models import ENGINE_MAKER

# A schema no table lives in: a connection handed out with no site to serve can find nothing.
NO_SITE_SCHEMA = "bantin_no_site"
# The process's engine for each database, whatever site's app asked first.
SHARED_ENGINES: dict[str, Engine] = {}


def init_app(app: Flask) -> None:
    """Make an app whose tables are in a PostgreSQL schema use the process's shared engine."""
    if app.config.get("DATABASE_SCHEMA"):
        app.extensions[ENGINE_MAKER] = shared_engine


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
