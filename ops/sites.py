"""The province operator's work on sites: create one (its folder or PostgreSQL schema, its
tables, its name), remove one after a backup, and tell every server that the list changed.

Commands in ops/cli.py call these; `build` is the factory that makes a site's app
(`app.create_site_app`), passed in so that nothing here imports the factory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from models import Article, Media, Setting, db
from ops import backup, schema
from sites.registry import Registry, RegistryError, Site
from web.stamps import announce, stamp_at

Build = Callable[[Site], Flask]


def registry_stamp_path(instance_path: str) -> str:
    return os.path.join(instance_path, "stamps", "registry.stamp")


def registry_changed(registry: Registry, instance_path: str) -> None:
    """Make every process on this server, and on the others, read the registry again."""
    stamp = stamp_at(registry_stamp_path(instance_path))
    stamp.bump()
    if registry.on_postgresql:
        with registry.engine.begin() as connection:
            announce(connection.connection.dbapi_connection, {stamp.name})


def create_schema(app: Flask) -> None:
    """Make the site's PostgreSQL schema (a SQLite site's file is made by connecting)."""
    schema_name = app.config["DATABASE_SCHEMA"]
    if not schema_name:
        return
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"'))


def prepare_site(app: Flask, title: str) -> None:
    """Create the site's tables (every migration) and give it its name."""
    create_schema(app)
    with app.app_context():
        schema.upgrade()
        if title:
            Setting.put("site_name", title)
            db.session.commit()


def add_site(registry: Registry, build: Build, name: str, hosts: list[str], title: str,
             url: str, adopt: tuple[str, str] | None, instance_path: str) -> Site:
    """Register a site and build its database; nothing is left behind if that fails."""
    database_uri, media_root = adopt or (None, None)
    site = registry.add(name, hosts, title=title, url=url, database_uri=database_uri,
                        media_root=media_root)
    try:
        prepare_site(build(site), "" if adopt else title)
    except BaseException:
        registry.remove(name)
        raise
    registry_changed(registry, instance_path)
    return site


def last_backup(app: Flask) -> datetime | None:
    """The time of the site's newest backup archive, or None when it has none."""
    folder = app.config["BACKUP_DIR"]
    if not os.path.isdir(folder):
        return None
    times = [
        entry.stat().st_mtime for entry in os.scandir(folder)
        if entry.is_file() and entry.name.endswith((".zip", ".pgdump"))
    ]
    return datetime.fromtimestamp(max(times), UTC) if times else None


def last_change(app: Flask) -> datetime | None:
    """The time of the site's newest article or media change."""
    with app.app_context():
        moments = [
            db.session.scalar(select(func.max(Article.updated_at))),
            db.session.scalar(select(func.max(Media.created_at))),
        ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def libpq_url(app: Flask) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def run_tool(command: list[str]) -> None:
    """Run pg_dump or pg_restore; say in Vietnamese what is missing or what went wrong."""
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=3600)
    except FileNotFoundError as err:
        raise RegistryError(f"Cần {command[0]} (gói postgresql-client).") from err
    except subprocess.CalledProcessError as err:
        detail = err.stderr.decode("utf-8", "replace")[-500:]
        raise RegistryError(f"{command[0]} không chạy được: {detail}") from err


def dump_schema(app: Flask) -> str:
    """Back up a PostgreSQL site with pg_dump (its schema only) into its backups folder."""
    folder = app.config["BACKUP_DIR"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = os.path.join(folder, f"{app.config['SITE_NAME']}-{stamp}.pgdump")
    run_tool(["pg_dump", "--format=custom", "--schema", app.config["DATABASE_SCHEMA"],
              "--file", target, "--dbname", libpq_url(app)])
    return target


def media_archive(dump: str) -> str:
    """The media archive that goes with a PostgreSQL site's dump."""
    return dump.removesuffix(".pgdump") + "-media.zip"


def backup_postgres_site(app: Flask) -> tuple[str, str]:
    """Back up a PostgreSQL site: its schema (pg_dump) and its media folder beside it."""
    dump = dump_schema(app)
    target = media_archive(dump)
    root = app.config["MEDIA_ROOT"]
    with zipfile.ZipFile(target + ".part", "w", zipfile.ZIP_STORED) as archive:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                archive.write(path, os.path.relpath(path, root))
    os.replace(target + ".part", target)
    return dump, target


def restore_postgres_site(app: Flask, dump: str) -> str | None:
    """Put a PostgreSQL site's dump back in one transaction, then its media (the current
    media is kept aside; its folder is returned)."""
    if not dump.endswith(".pgdump") or not os.path.isfile(dump):
        raise RegistryError("Với trang trên PostgreSQL, hãy chọn tệp .pgdump trong thư mục "
                            "sao lưu của trang.")
    run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", libpq_url(app), dump])
    aside = restore_media(app, media_archive(dump))
    with app.app_context():
        stamp = app.extensions["page_cache"]
        stamp.bump()
        with db.engine.begin() as connection:  # other servers' cached pages go too
            announce(connection.connection.dbapi_connection, {stamp.name})
    return aside


def restore_media(app: Flask, archive_path: str) -> str | None:
    if not os.path.exists(archive_path):
        return None
    root = app.config["MEDIA_ROOT"]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    aside = os.path.join(app.config["BACKUP_DIR"], f"replaced-media-{stamp}")
    staging = root + ".restoring"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.namelist():
            target = os.path.realpath(os.path.join(staging, member))
            if not target.startswith(os.path.realpath(staging) + os.sep):
                raise RegistryError(f"Tệp ảnh trong bản sao lưu có đường dẫn lạ: {member}")
        archive.extractall(staging)
    if os.path.isdir(root):
        os.replace(root, aside)
    os.replace(staging, root)
    return aside if os.path.isdir(aside) else None


def require_fresh_backup(app: Flask) -> datetime:
    """Refuse to remove a site whose data has changed since its last backup (a PostgreSQL
    site is dumped with pg_dump first: `flask backup` covers SQLite only)."""
    if app.config["DATABASE_SCHEMA"]:
        dump_schema(app)
    taken = last_backup(app)
    changed = last_change(app)
    if taken is None or (changed is not None and changed > taken):
        raise RegistryError(
            "Trang này chưa có bản sao lưu mới nhất. Hãy sao lưu trước: "
            f"BANTIN_SITE={app.config['SITE_NAME']} flask --app app backup"
        )
    return taken


def remove_site(registry: Registry, build: Build, name: str, instance_path: str) -> str:
    """Drop a site's data and its registry entry (its backups are kept); return the folder
    where the backups remain."""
    site = registry.require(name)
    app = build(site)
    require_fresh_backup(app)
    drop_data(app, site)
    registry.remove(name)
    registry_changed(registry, instance_path)
    return app.config["BACKUP_DIR"]


def drop_data(app: Flask, site: Site) -> None:
    """Delete the site's tables or database file and its media; keep its backups."""
    with app.app_context():
        schema_name = app.config["DATABASE_SCHEMA"]
        if schema_name:
            with db.engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE'))
        path = backup.sqlite_path()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    if path and not site.database_uri:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    if site.media_root:
        return
    if schema_name:  # pg_dump holds the tables, not the files: keep them beside the dump
        os.replace(app.config["MEDIA_ROOT"], os.path.join(app.config["BACKUP_DIR"], "media"))
    else:
        shutil.rmtree(app.config["MEDIA_ROOT"], ignore_errors=True)


def folder_bytes(folder: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                continue  # removed while we walked: not there any more
    return total
