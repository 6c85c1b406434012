"""The province operator's work on sites: create one (its folder or PostgreSQL schema, its
tables, its name), remove one after a backup, and tell every server that the list changed.

The `site` commands (sites.commands) and the province's desk (province.py) call these; `build`
is the factory that makes a site's app (`app.create_site_app`), passed in so that nothing here
imports the factory.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from models import Article, Media, Setting, User, db
from ops import backup, health, schema, starter
from sites import index as province_index
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


def prepare_site(app: Flask, title: str, new: bool = True) -> None:
    """Create the site's tables (every migration), give it its name and, when it is new
    rather than adopted, the usual categories of a commune."""
    create_schema(app)
    with app.app_context():
        schema.upgrade()
        if title:
            Setting.put("site_name", title)
            db.session.commit()
        if new:
            starter.begin_site()


def add_site(registry: Registry, build: Build, name: str, hosts: list[str], title: str,
             url: str, adopt: tuple[str, str] | None, instance_path: str) -> Site:
    """Register a site and build its database; nothing is left behind if that fails."""
    database_uri, media_root = adopt or (None, None)
    site = registry.add(name, hosts, title=title, url=url, database_uri=database_uri,
                        media_root=media_root)
    try:
        prepare_site(build(site), "" if adopt else title, new=not adopt)
    except BaseException:
        registry.remove(name)
        raise
    registry_changed(registry, instance_path)
    return site


# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_password() -> str:
    """A new account's first password, shown once: 12 letters in three groups."""
    letters = "".join(secrets.choice(READABLE) for _ in range(12))
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def create_site_admin(app: Flask, username: str, display_name: str) -> str:
    """Give a commune's site an administrator; return the first password (to change at the
    first sign-in, which the desk's first-day checklist asks for). Refuses a taken name."""
    with app.app_context():
        if db.session.scalar(select(User).where(User.username == username)) is not None:
            raise RegistryError(f"Trang này đã có tài khoản “{username}”.")
        password = readable_password()
        user = User(username=username, role="admin", display_name=display_name or username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return password


def backup_site(app: Flask) -> str:
    """Back a site up where `flask backup` would; return where it went."""
    with app.app_context():
        if app.config["DATABASE_SCHEMA"]:
            dump, _ = backup_postgres_site(app)
            return dump
        return backup.create_backup(backup.archive_target(None)).path


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
    taken = backup.last_backup(app)
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
    province_index.index_at(registry.uri).forget_site(name)
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


# --- What the province's admin page shows of each site -----------------------------------------

SCHEMA_BYTES = text(
    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = :schema AND c.relkind IN ('r', 'm')"
)


@dataclass
class SiteReport:
    """One site's figures and health, as the province's IT officers see them."""

    site: Site
    title: str = ""
    last_publication: datetime | None = None
    database_bytes: int | None = None
    media_bytes: int = 0
    last_backup: datetime | None = None
    # None: the site backs up outside Bantin (PostgreSQL, pg_dump).
    backup_stale: bool | None = True
    checks: list[health.Check] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """What needs the officer's attention, in Vietnamese; empty when all is well."""
        found = [f"{c.label}: {c.detail}" for c in self.checks if not c.ok]
        if self.backup_stale:
            found.append("Không có bản sao lưu trong "
                         f"{health.BACKUP_MAX_AGE_DAYS} ngày gần đây")
        return found


def database_bytes() -> int | None:
    """The size of the current site's data: its SQLite file (and log), or its schema."""
    path = backup.sqlite_path()
    if path is not None:
        return sum(os.path.getsize(path + suffix) for suffix in ("", "-wal")
                   if os.path.exists(path + suffix))
    schema_name = current_app.config.get("DATABASE_SCHEMA")
    if not schema_name:
        return None
    return int(db.session.scalar(SCHEMA_BYTES, {"schema": schema_name}))


def newest_publication() -> datetime | None:
    """When the newest article readers may see now was published."""
    return db.session.scalar(Article.visible().with_only_columns(Article.publish_at).limit(1))


def backup_is_stale(app: Flask, taken: datetime | None, now: datetime) -> bool | None:
    if app.config["DATABASE_SCHEMA"] or not app.config["SQLALCHEMY_DATABASE_URI"].startswith(
            "sqlite"):
        return None
    return taken is None or now - taken > timedelta(days=health.BACKUP_MAX_AGE_DAYS)


def site_report(app: Flask, site: Site, now: datetime) -> SiteReport:
    """Gather a site's figures inside its own app: health first, the rest when it is healthy."""
    report = SiteReport(site=site, title=site.title)
    with app.app_context():
        report.checks = health.essential_checks()
        if all(check.ok for check in report.checks):
            try:
                report.title = Setting.values()["site_name"] or site.title
                report.last_publication = newest_publication()
                report.database_bytes = database_bytes()
            except SQLAlchemyError as err:  # a damaged site must not hide the others
                db.session.rollback()
                report.checks.append(health.Check("Đọc dữ liệu", False, str(err)[:200]))
        db.session.remove()
    report.media_bytes = folder_bytes(app.config["MEDIA_ROOT"])
    report.last_backup = backup.last_backup(app)
    report.backup_stale = backup_is_stale(app, report.last_backup, now)
    return report
