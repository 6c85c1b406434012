"""Backups: one ZIP archive holding a consistent copy of the SQLite database, the media folder
and a manifest with the SHA-256 of every file. Restore checks all of it before it replaces
anything, and keeps the data it replaces."""

import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app
from sqlalchemy import create_engine

import models
from extensions import data_imported
from models import db
from ops import archive, schema
from ops.archive import MANIFEST
from vietnamese import VN_TZ

FORMAT = "bantin-backup"
FORMAT_VERSION = 1
KIND = archive.Kind(FORMAT, FORMAT_VERSION, "bản sao lưu")
DATABASE_ENTRY = "database/bantin.db"
MEDIA_PREFIX = "media/"
ARCHIVE_NAME = re.compile(r"^bantin-backup-\d{8}-\d{6}(-\d+)?\.zip$")
# Already-compressed files gain nothing from deflate; storing them is much faster.
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".zip", ".docx", ".xlsx", ".pdf")
# What alembic adds beside the models' tables; sqlite_stat* are the planner's statistics.
ALEMBIC_OBJECTS = {("table", "alembic_version"), ("index", "sqlite_autoindex_alembic_version_1")}
STATISTICS = re.compile(r"sqlite_stat\d")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator."""


@dataclass
class Archive:
    path: str
    manifest: dict

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest["database"]["counts"]


# --- Where things are ---------------------------------------------------------------------


def sqlite_path() -> str | None:
    """Return the SQLite database file, or None when the site runs on another database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return os.path.abspath(url.database)


def live_database() -> str:
    """Return the live SQLite file, or refuse with the advice for PostgreSQL."""
    live = sqlite_path()
    if live is None:
        raise BackupError(postgres_advice())
    return live


def postgres_advice() -> str:
    """Say how to back up and restore a PostgreSQL site with its own tools."""
    url = db.engine.url
    target = f"postgresql://{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}"
    target += f"/{url.database}"
    media = current_app.config["MEDIA_ROOT"]
    return (
        "Cơ sở dữ liệu là PostgreSQL: lệnh này chỉ sao lưu SQLite và sẽ không giả vờ làm thay.\n"
        "Hãy dùng công cụ của PostgreSQL (mật khẩu đặt trong ~/.pgpass hoặc PGPASSWORD):\n"
        f"  Sao lưu:    pg_dump --format=custom --file=bantin-$(date +%F).dump '{target}'\n"
        f"  Ảnh và tệp: tar -czf bantin-media-$(date +%F).tar.gz -C '{media}' .\n"
        f"  Khôi phục:  pg_restore --clean --if-exists --no-owner --dbname='{target}' "
        "bantin-NGAY.dump\n"
        "Hoặc xuất toàn bộ nội dung sang thư mục độc lập với loại cơ sở dữ liệu:\n"
        "  flask --app app export THU_MUC"
    )


def backup_folder() -> str:
    """Return the folder for archives (BACKUP_DIR, by default instance/backups)."""
    return current_app.config["BACKUP_DIR"]


def stamped_path(folder: str, prefix: str, suffix: str = "") -> str:
    """Return an unused name in `folder` carrying the local time: prefix-YYYYmmdd-HHMMSS."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    stamp = models.utcnow().astimezone(VN_TZ).strftime("%Y%m%d-%H%M%S")
    path = os.path.join(folder, f"{prefix}-{stamp}{suffix}")
    number = 1
    while os.path.exists(path):
        number += 1
        path = os.path.join(folder, f"{prefix}-{stamp}-{number}{suffix}")
    return path


def new_archive_path(folder: str) -> str:
    """Return a fresh archive name in `folder`, stamped with the local time."""
    return stamped_path(folder, "bantin-backup", ".zip")


def list_archives(folder: str) -> list[str]:
    """Return the backup archives in `folder`, newest first."""
    if not os.path.isdir(folder):
        return []
    names = [name for name in os.listdir(folder) if ARCHIVE_NAME.match(name)]
    paths = [os.path.join(folder, name) for name in names]
    return sorted(paths, key=lambda p: (os.path.getmtime(p), p), reverse=True)


def rotate(folder: str, keep: int) -> list[str]:
    """Delete all but the `keep` newest archives in `folder`; return what was deleted."""
    old = list_archives(folder)[keep:]
    for path in old:
        os.remove(path)
    return old


# --- Making a backup ------------------------------------------------------------------------


def copy_database(source: str, target: str) -> None:
    """Copy a live SQLite database with its online backup API.

    One step copies every page inside a single read transaction, so the copy is the state
    after some commit, never half of one; in WAL mode writers carry on meanwhile.
    """
    with open_sqlite(source) as live, open_sqlite(target) as copy:
        live.backup(copy)
        # A self-contained file: no -wal or -shm companion needed to read it.
        copy.execute("PRAGMA journal_mode=DELETE")


def open_sqlite(path: str):
    """Open a plain sqlite3 connection that waits for locks and is closed after use."""
    return closing(sqlite3.connect(path, timeout=30))


def is_damaged(err: sqlite3.Error) -> bool:
    """Tell "this file is not a sound database" apart from, say, a lock held too long."""
    return getattr(err, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def database_files(path: str) -> list[str]:
    return [path + suffix for suffix in ("", "-wal", "-shm") if os.path.exists(path + suffix)]


def database_facts(path: str) -> tuple[str | None, dict[str, int]]:
    """Check a database file's integrity; return its schema revision and row counts."""
    with open_sqlite(path) as connection:
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchall()
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                      for t in tables}  # fmt: skip
        except sqlite3.DatabaseError as err:
            raise BackupError(f"Cơ sở dữ liệu bị hỏng: {err}.") from err
        if verdict != [("ok",)]:
            raise BackupError("Cơ sở dữ liệu bị hỏng (PRAGMA integrity_check không đạt).")
        revision = None
        if "alembic_version" in counts:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return revision, counts


def media_files(root: str) -> list[tuple[str, str]]:
    """Return (archive name, path) of every stored file under the media folder."""
    return [(MEDIA_PREFIX + name, path) for name, path in archive.media_files(root)]


def add_file(target: zipfile.ZipFile, path: str, name: str) -> dict | None:
    """Stream one file into the archive, hashing it on the way; None if it vanished."""
    compress = zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else None
    try:
        source = open(path, "rb")
    except FileNotFoundError:
        return None  # deleted since we listed it, so no saved row still refers to it
    info = zipfile.ZipInfo.from_file(path, name)
    info.compress_type = compress if compress is not None else zipfile.ZIP_DEFLATED
    with source, target.open(info, "w", force_zip64=True) as out:
        return archive.record(name, source, out)


def build_manifest(revision: str | None, counts: dict, files: list[dict]) -> dict:
    return archive.new_manifest(
        KIND,
        created_at=models.utcnow().isoformat(),
        database={"path": DATABASE_ENTRY, "schema_revision": revision, "counts": counts},
        files=files,
    )


def create_backup(target: str) -> Archive:
    """Write a backup archive of the live site to `target`, safely while it serves."""
    live = live_database()
    if not os.path.exists(live):
        raise BackupError(f"Không tìm thấy cơ sở dữ liệu {live}.")
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        snapshot = os.path.join(work, "bantin.db")
        # The database first: every upload a saved row refers to was written before that
        # row was committed, so the media copied afterwards includes it.
        copy_database(live, snapshot)
        revision, counts = database_facts(snapshot)
        # Only a complete archive gets the real name, so rotation never counts a broken one.
        with archive.partial_file(target) as out, zipfile.ZipFile(out, "w", compresslevel=6) as zf:
            files = [add_file(zf, snapshot, DATABASE_ENTRY)]
            for name, path in media_files(current_app.config["MEDIA_ROOT"]):
                files.append(add_file(zf, path, name))
            manifest = build_manifest(revision, counts, [f for f in files if f])
            zf.writestr(MANIFEST, archive.dump_manifest(manifest))
    return Archive(target, manifest)


# --- Checking an archive --------------------------------------------------------------------

FOREIGN = "Tệp {name} không phải là bản sao lưu của Bantin: {reason}."
DAMAGED = "Bản sao lưu {name} bị hỏng: {reason}. Dữ liệu hiện tại chưa bị thay đổi."


def is_entry(entry: str) -> bool:
    """Accept only the names create_backup writes: the database and stored media files."""
    return entry == DATABASE_ENTRY or (
        entry.startswith(MEDIA_PREFIX) and archive.is_media_name(entry.removeprefix(MEDIA_PREFIX))
    )


def entry_path(staging: str, entry: str) -> str:
    """Return where a checked entry goes in the staging folder."""
    if entry == DATABASE_ENTRY:
        return os.path.join(staging, "database", "bantin.db")
    return archive.media_path(os.path.join(staging, "media"), entry.removeprefix(MEDIA_PREFIX))


def extract_verified(zf: zipfile.ZipFile, item: dict, staging: str, name: str) -> None:
    """Extract one listed file into staging within its declared size, checking its SHA-256."""
    entry = item["path"]
    try:
        with zf.open(entry) as source:
            archive.copy_checked(item, source, entry_path(staging, entry))
    except KeyError as err:
        raise BackupError(DAMAGED.format(name=name, reason=f"thiếu tệp {entry}")) from err
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as err:
        raise BackupError(DAMAGED.format(name=name, reason=f"tệp {entry} đọc lỗi")) from err


def open_archive(path: str) -> zipfile.ZipFile:
    name = os.path.basename(path)
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as err:
        raise BackupError(f"Không tìm thấy tệp {path}.") from err
    except (zipfile.BadZipFile, OSError) as err:
        raise BackupError(FOREIGN.format(name=name, reason="không phải tệp ZIP hợp lệ")) from err


def check_listing(zf: zipfile.ZipFile, manifest: dict) -> dict[str, dict]:
    """Return the manifest's files by name; the archive holds those and the manifest only."""
    listed = archive.listing(manifest.get("files"), is_entry)
    names = zf.namelist()
    if len(names) != len(set(names)) or set(names) - set(listed) - {MANIFEST}:
        raise archive.ArchiveError("danh sách tệp không khớp với manifest.json")
    if DATABASE_ENTRY not in listed:
        raise archive.ArchiveError(f"thiếu tệp {DATABASE_ENTRY}")
    return listed


def verify_archive(path: str, staging: str) -> dict:
    """Extract the archive into `staging` and check every byte of it; return the manifest."""
    name = os.path.basename(path)
    with open_archive(path) as zf:
        try:
            manifest = archive.load_manifest(lambda: zf.read(MANIFEST), KIND, name)
        except archive.ArchiveError as err:
            raise BackupError(str(err)) from err
        try:
            for item in check_listing(zf, manifest).values():
                extract_verified(zf, item, staging, name)
        except archive.ArchiveError as err:
            raise BackupError(DAMAGED.format(name=name, reason=str(err))) from err
    verify_database(entry_path(staging, DATABASE_ENTRY), manifest, name)
    return manifest


def verify_database(path: str, manifest: dict, name: str) -> None:
    """Check the extracted database: integrity, the counts and schema the manifest promises."""
    try:
        revision, counts = database_facts(path)
    except BackupError as err:
        raise BackupError(DAMAGED.format(name=name, reason=str(err).rstrip("."))) from err
    promised = manifest.get("database")
    if not isinstance(promised, dict):
        promised = {}
    if counts != promised.get("counts") or revision != promised.get("schema_revision"):
        reason = "số bản ghi hoặc phiên bản lược đồ khác với manifest.json"
        raise BackupError(DAMAGED.format(name=name, reason=reason))
    if revision is None:
        raise BackupError(DAMAGED.format(name=name, reason="cơ sở dữ liệu không ghi phiên bản"))
    if not schema.is_known(revision):
        raise BackupError(
            f"Bản sao lưu {name} do một phiên bản Bantin mới hơn tạo ra (lược đồ {revision}): "
            "hãy cập nhật mã nguồn trước khi khôi phục. Dữ liệu hiện tại chưa bị thay đổi."
        )
    foreign = sorted(f"{kind} {object_name}" for kind, object_name in foreign_objects(path))
    if foreign:
        reason = f"cơ sở dữ liệu có đối tượng ngoài lược đồ của Bantin ({', '.join(foreign)})"
        raise BackupError(DAMAGED.format(name=name, reason=reason))


def schema_objects(connection) -> set[tuple[str, str]]:
    rows = connection.execute("SELECT type, name FROM sqlite_master")
    return {(kind, name) for kind, name in rows}


def reference_objects() -> set[tuple[str, str]]:
    """Return (type, name) of every object of a fresh database made from the models (with the
    search index's tables, which migrations create beside them)."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            db.metadata.create_all(connection)
            found = schema_objects(connection.connection.driver_connection)
    finally:
        engine.dispose()
    return found | ALEMBIC_OBJECTS


def foreign_objects(path: str) -> set[tuple[str, str]]:
    """Return the triggers, views, tables and indexes of a database that Bantin never makes.

    An older schema holds a subset of the newest one; anything beyond it (a trigger that makes
    someone admin at the next login) would run inside the restored site.
    """
    with open_sqlite(path) as connection:
        found = schema_objects(connection)
    return {
        (kind, name) for kind, name in found - reference_objects()
        if not (kind == "table" and STATISTICS.fullmatch(name))
    }  # fmt: skip


def clean_bodies(path: str) -> int:
    """Run every body of a staged database through the sanitiser again; return how many
    rows changed (an archive written by Bantin has none)."""
    changed = 0
    with open_sqlite(path) as connection:
        connection.row_factory = sqlite3.Row
        for table, with_text in archive.BODIES.items():
            columns = "id, body, body_text" if with_text else "id, body"
            for row in connection.execute(f"SELECT {columns} FROM {table}").fetchall():
                fresh = archive.clean_body(table, dict(row))
                if fresh != dict(row):
                    values = ", ".join(f"{key} = :{key}" for key in fresh if key != "id")
                    connection.execute(f"UPDATE {table} SET {values} WHERE id = :id", fresh)
                    changed += 1
        connection.commit()
    return changed


# --- Restoring ------------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: dict
    aside: str | None
    upgraded: bool


def set_aside(live: str, media_root: str) -> str | None:
    """Keep the data a restore replaces in instance/replaced-<time>/; None if there is none."""
    has_database = os.path.exists(live)
    has_media = os.path.isdir(media_root) and bool(os.listdir(media_root))
    if not has_database and not has_media:
        return None
    aside = stamped_path(current_app.instance_path, "replaced")
    os.makedirs(aside, mode=0o700)
    if has_database:
        try:
            copy_database(live, os.path.join(aside, "bantin.db"))
        except sqlite3.DatabaseError as err:
            if not is_damaged(err):
                raise
            # SQLite cannot read it: keep the files exactly as they are.
            for path in database_files(live):
                shutil.copy2(path, aside)
    if os.path.isdir(media_root):
        shutil.move(media_root, os.path.join(aside, "media"))
    return aside


def put_in_place(staging: str, live: str, media_root: str, aside: str | None) -> None:
    """Copy the verified database into the live file and move the verified media in."""
    staged_media = os.path.join(staging, "media")
    try:
        os.makedirs(os.path.dirname(live), exist_ok=True)
        install_database(entry_path(staging, DATABASE_ENTRY), live)
        move_files(staged_media, media_root)
    except (OSError, sqlite3.Error) as err:
        if aside and os.path.isdir(os.path.join(aside, "media")) and not os.path.exists(
            media_root
        ):
            shutil.move(os.path.join(aside, "media"), media_root)
        raise BackupError(
            f"Khôi phục không xong ({err}). Dữ liệu cũ được giữ ở {aside}."
        ) from err


def move_files(source: str, target: str) -> None:
    """Move every file under `source` to the same place under `target` (which may exist:
    the app makes an empty media folder when it starts)."""
    os.makedirs(target, exist_ok=True)
    for name, path in archive.media_files(source):
        destination = archive.media_path(target, name)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.move(path, destination)


def install_database(staged: str, live: str) -> None:
    """Write the verified database into the live file.

    Through SQLite's backup API, so that a server still holding the file sees the restored
    data rather than a deleted file; a live file too damaged for SQLite is replaced outright.
    """
    try:
        with open_sqlite(staged) as source, open_sqlite(live) as target:
            source.backup(target)
    except sqlite3.DatabaseError as err:
        if not is_damaged(err):
            raise
        for path in database_files(live):
            os.remove(path)
        shutil.copyfile(staged, live)


def restore_backup(path: str) -> Restored:
    """Verify an archive completely, keep the current data aside, then put the archive's in."""
    live = live_database()
    media_root = current_app.config["MEDIA_ROOT"]
    os.makedirs(current_app.instance_path, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=current_app.instance_path, prefix=".restore-") as staging:
        manifest = verify_archive(path, staging)
        cleaned = clean_staged(staging, os.path.basename(path))
        db.session.remove()
        db.engine.dispose()
        aside = set_aside(live, media_root)
        put_in_place(staging, live, media_root, aside)
    db.engine.dispose()
    # The data changed under SQLAlchemy's feet: every cached page of the site is stale.
    current_app.extensions["page_cache"].bump()
    upgraded = schema.current_revision() != schema.head_revision()
    if upgraded:
        schema.upgrade()
    if cleaned:
        data_imported.send(current_app._get_current_object())  # bodies changed: index again
    return Restored(manifest, aside, upgraded)


def clean_staged(staging: str, name: str) -> int:
    """Sanitise the staged database's bodies; refuse the archive if one cannot be cleaned."""
    try:
        return clean_bodies(entry_path(staging, DATABASE_ENTRY))
    except archive.ArchiveError as err:
        raise BackupError(DAMAGED.format(name=name, reason=str(err))) from err


# --- Commands -------------------------------------------------------------------------------


def archive_target(file: str | None) -> str:
    """FILE ending in .zip names the archive; any other FILE is a folder for it (made if
    missing); without FILE, the backup folder."""
    if not file:
        return new_archive_path(backup_folder())
    if file.lower().endswith(".zip") and not os.path.isdir(file):
        return file
    return new_archive_path(file)


def summary(manifest: dict) -> str:
    """Describe an archive's content in one line for the operator."""
    counts = manifest["database"]["counts"]
    media = sum(1 for item in manifest["files"] if item["path"].startswith(MEDIA_PREFIX))
    return (
        f"Nội dung: {counts.get('article', 0)} tin bài, {counts.get('page', 0)} trang, "
        f"{counts.get('document', 0)} văn bản, {counts.get('user', 0)} tài khoản, "
        f"{media} tệp ảnh và đính kèm (Bantin {manifest['app_version']}, lược đồ "
        f"{manifest['database']['schema_revision']})."
    )


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
