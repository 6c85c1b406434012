"""A site's own settings, derived from the province's configuration and the site's registry row.

Everything that makes a site a separate site is set here and nowhere else: its instance folder
(`SITES_ROOT/NAME`, holding its media and backups), its database (a SQLite file in that folder,
or a schema of the province's PostgreSQL database named `site_NAME`), its public address and
host names, its page-cache stamp (in the local instance folder, even when SITES_ROOT is a
shared volume, since a memory-mapped file is only shared by one machine's processes), and its
secret key, derived from the province's so that a cookie signed for one site means nothing on
another.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from flask import Flask

from sites import databases
from sites.registry import Site, sqlite_file


def site_folder(config, site: Site) -> str:
    return os.path.join(config["SITES_ROOT"], site.name)


def schema_name(site: Site) -> str:
    """The PostgreSQL schema holding a site's tables (names are checked: no quoting needed)."""
    return "site_" + site.name.replace("-", "_")


def site_key(province_key: str, site: Site) -> str:
    """A secret key of the site's own, stable across restarts and servers."""
    return hmac.new(
        province_key.encode(), b"bantin-site:" + site.name.encode(), hashlib.sha256
    ).hexdigest()


def database_settings(config, site: Site, folder: str) -> dict:
    """Where the site's tables live: its own SQLite file, or its own PostgreSQL schema."""
    if site.database_uri:
        return {"SQLALCHEMY_DATABASE_URI": site.database_uri, "DATABASE_SCHEMA": None}
    registry_uri = config["SITES_DATABASE_URI"]
    if sqlite_file(registry_uri) is None:
        return {"SQLALCHEMY_DATABASE_URI": registry_uri, "DATABASE_SCHEMA": schema_name(site)}
    path = os.path.join(folder, "bantin.db")
    return {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "DATABASE_SCHEMA": None}


def stamp_path(local_instance: str, site: Site) -> str:
    """The site's page-cache stamp: in the server's own instance folder, never a shared one."""
    return os.path.join(local_instance, "stamps", site.name + ".stamp")


def site_settings(config, site: Site, local_instance: str) -> dict:
    """Every setting that differs from one site to the next."""
    folder = site_folder(config, site)
    return {
        **database_settings(config, site, folder),
        "SITE_NAME": site.name,
        "SITE_URL": site.public_url,
        "TRUSTED_HOSTS": list(site.hosts + site.moved_hosts),
        "MEDIA_ROOT": site.media_root or os.path.join(folder, "media"),
        "BACKUP_DIR": os.path.join(folder, "backups"),
        "SECRET_KEY": site_key(config["SECRET_KEY"], site),
        "PAGE_CACHE_STAMP": stamp_path(local_instance, site),
    }


def configure_site(app: Flask, site: Site) -> None:
    """Make `app` one site of the province: its folder becomes the app's instance folder."""
    local_instance = app.instance_path
    app.config.update(site_settings(app.config, site, local_instance))
    app.instance_path = site_folder(app.config, site)
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    os.makedirs(os.path.dirname(app.config["PAGE_CACHE_STAMP"]), mode=0o700, exist_ok=True)
    databases.init_app(app)  # a PostgreSQL site's schema, on the process's shared pool
