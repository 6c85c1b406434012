"""Moving a site between databases (SQLite to PostgreSQL and back).

`flask --app app export DIR` writes every table as JSON Lines, copies the media files and
writes a manifest with row counts and SHA-256 sums; `flask --app app import DIR` checks all of
it, then loads it into an empty database of either kind in one transaction. Tables are taken
from the models' metadata in dependency order, so tables added later travel too; indexes that
migrations keep beside the models (a full-text search index) are derived data, rebuilt by
whoever listens to `data_imported`.
"""

import base64
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from flask import current_app
from sqlalchemy import (
    Connection,
    Integer,
    Table,
    TypeDecorator,
    bindparam,
    func,
    select,
    update,
)

import models
from extensions import data_imported
from models import db
from ops import archive, schema
from ops.archive import MANIFEST

FORMAT = "bantin-export"
FORMAT_VERSION = 1
KIND = archive.Kind(FORMAT, FORMAT_VERSION, "bản xuất dữ liệu")
BATCH = 500


class TransferError(Exception):
    """An export or import that cannot go ahead; the message is for the operator."""


# --- Values <-> JSON ----------------------------------------------------------------------


def encode(value):
    """Turn a database value into JSON: times as ISO 8601, bytes as base64."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


DECODERS: dict[type, Callable] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    time: time.fromisoformat,
    Decimal: Decimal,
    bytes: base64.b64decode,
}


def decoders(table: Table) -> dict[str, Callable]:
    """Return, per column whose JSON form differs from its value, how to read it back."""
    found = {}
    for column in table.columns:
        kind = column.type
        if isinstance(kind, TypeDecorator):  # UTCDateTime: the stored value is a DateTime
            kind = kind.impl_instance
        try:
            python_type = kind.python_type
        except NotImplementedError:
            continue
        if python_type in DECODERS:
            found[column.name] = DECODERS[python_type]
    return found


def decode_row(row: dict, convert: dict[str, Callable]) -> dict:
    return {
        key: convert[key](value) if value is not None and key in convert else value
        for key, value in row.items()
    }


# --- Files ------------------------------------------------------------------------------------


def exported_path(folder: str, name: str) -> str:
    """Return where a media file listed in the manifest lies in the export folder."""
    return archive.media_path(os.path.join(folder, "media"), name)


def live_path(name: str) -> str:
    """Return where a media file listed in the manifest goes in this site's media folder."""
    return archive.media_path(current_app.config["MEDIA_ROOT"], name)


# --- Export -----------------------------------------------------------------------------------


@contextmanager
def consistent_read() -> Iterator[Connection]:
    """A connection that sees one moment of the database, even if editors keep saving."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection
        else:
            # pysqlite opens transactions only before writes; a read transaction must be asked.
            connection.exec_driver_sql("BEGIN")
            try:
                yield connection
            finally:
                connection.rollback()


def export_table(connection: Connection, table: Table, path: str) -> int:
    """Write a table's rows as JSON Lines in primary-key order; return how many."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*order)
    )
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for row in result.mappings():
            record = {key: encode(value) for key, value in row.items()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def export_media(folder: str) -> list[dict]:
    """Copy every stored media file into the export; return their manifest entries."""
    files = []
    for name, path in archive.media_files(current_app.config["MEDIA_ROOT"]):
        with open(path, "rb") as source, archive.partial_file(exported_path(folder, name)) as out:
            files.append(archive.record(name, source, out))
    return files


def require_head(revision: str | None, where: str) -> None:
    head = schema.head_revision()
    if revision != head:
        raise TransferError(
            f"{where} ở phiên bản lược đồ {revision}, mã nguồn ở {head}: hãy chạy "
            "`flask --app app upgrade-db` cho cùng phiên bản rồi làm lại."
        )


def export_data(folder: str) -> dict:
    """Export every table and media file to `folder`; return the manifest."""
    if os.path.isdir(folder) and os.listdir(folder):
        raise TransferError(f"Thư mục {folder} không trống: hãy chọn một thư mục mới.")
    require_head(schema.current_revision(), "Cơ sở dữ liệu")
    os.makedirs(os.path.join(folder, "tables"), exist_ok=True)
    tables = {}
    with consistent_read() as connection:
        for table in db.metadata.sorted_tables:
            path = os.path.join(folder, "tables", f"{table.name}.jsonl")
            rows = export_table(connection, table, path)
            tables[table.name] = {"rows": rows, "columns": [c.name for c in table.columns]}
    manifest = archive.new_manifest(
        KIND,
        schema_revision=schema.current_revision(),
        exported_at=models.utcnow().isoformat(),
        source=db.engine.url.get_backend_name(),
        tables=tables,
        media=export_media(folder),
    )
    # Written last: a folder without a manifest is an export that did not finish.
    with archive.partial_file(os.path.join(folder, MANIFEST)) as out:
        out.write(archive.dump_manifest(manifest).encode())
    return manifest


# --- Import -----------------------------------------------------------------------------------


def read_manifest(folder: str) -> dict:
    """Read the export's manifest, refusing a folder that is not a finished Bantin export."""

    def read() -> bytes:
        with open(os.path.join(folder, MANIFEST), "rb") as handle:
            return handle.read()

    try:
        manifest = archive.load_manifest(read, KIND, folder)
        listed = archive.listing(manifest.get("media"), archive.is_media_name)
    except archive.ArchiveError as err:
        raise TransferError(str(err)) from err
    return {**manifest, "media": list(listed.values())}


def check_media(folder: str, item: dict) -> None:
    """Refuse a listed file that is missing or altered, or that would overwrite another."""
    try:
        archive.check_file(item, exported_path(folder, item["path"]))
    except FileNotFoundError as err:
        raise TransferError(f"Bản xuất thiếu tệp media/{item['path']}.") from err
    except archive.ArchiveError as err:
        raise TransferError(f"Bản xuất {folder} bị hỏng: {err}.") from err
    existing = live_path(item["path"])
    if os.path.exists(existing):
        try:
            archive.check_file(item, existing)
        except archive.ArchiveError as err:
            raise TransferError(
                f"{existing} đã có với nội dung khác: hãy dùng một thư mục media trống."
            ) from err


def check_export(folder: str, manifest: dict) -> None:
    """Refuse an export whose tables or files do not match its manifest."""
    require_head(manifest.get("schema_revision"), "Bản xuất")
    tables = manifest.get("tables")
    for table in db.metadata.sorted_tables:
        listed = tables.get(table.name) if isinstance(tables, dict) else None
        if not isinstance(listed, dict) or set(listed.get("columns") or ()) != {
            c.name for c in table.columns
        }:
            raise TransferError(f"Bảng {table.name} trong bản xuất không khớp với mã nguồn.")
        if not os.path.isfile(os.path.join(folder, "tables", f"{table.name}.jsonl")):
            raise TransferError(f"Bản xuất thiếu tệp tables/{table.name}.jsonl.")
    for item in manifest["media"]:
        check_media(folder, item)


def prepare_schema() -> None:
    """Create the schema through the migrations if the target is new; it must be empty."""
    if schema.has_unversioned_tables():
        raise TransferError("Cơ sở dữ liệu đích có bảng không do Flask-Migrate tạo ra.")
    if schema.current_revision() is None:
        schema.upgrade()
    require_head(schema.current_revision(), "Cơ sở dữ liệu đích")
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if connection.scalar(select(func.count()).select_from(table)):
                raise TransferError(
                    f"Cơ sở dữ liệu đích đã có dữ liệu (bảng {table.name}): hãy dùng một "
                    "cơ sở dữ liệu trống, để không trộn lẫn hai trang."
                )


def read_rows(path: str, table: Table) -> Iterator[list[dict]]:
    """Yield the rows of a JSON Lines table file in batches, decoded to database values."""
    convert = decoders(table)
    batch = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            # Bodies are cleaned again: the export is a folder anyone may have edited.
            batch.append(archive.clean_body(table.name, decode_row(json.loads(line), convert)))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def self_references(table: Table) -> list[str]:
    """Columns pointing at the same table (a category's parent): filled in after the rows."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def load_table(connection: Connection, table: Table, path: str) -> int:
    later = self_references(table)
    pk = [c.name for c in table.primary_key.columns]
    links, count = [], 0
    for batch in read_rows(path, table):
        if later:
            links += [row for row in batch if any(row[c] is not None for c in later)]
            batch = [{**row, **dict.fromkeys(later)} for row in batch]
        connection.execute(table.insert(), batch)
        count += len(batch)
    if links:
        # Every column is set again, so that "on update" defaults (updated_at) keep their value.
        columns = [c.name for c in table.columns if c.name not in pk]
        key = [table.c[name] == bindparam(f"key_{name}") for name in pk]
        statement = update(table).where(*key).values({c: bindparam(c) for c in columns})
        params = [{**{c: row[c] for c in columns}, **{f"key_{n}": row[n] for n in pk}}
                  for row in links]  # fmt: skip
        connection.execute(statement, params)
    return count


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id counters past the imported ids, so new rows do not collide."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        sequence = connection.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%(table)s, %(column)s)",
            {"table": preparer.format_table(table), "column": columns[0].name},
        ).scalar()
        highest = connection.scalar(select(func.max(columns[0])))
        if sequence and highest is not None:
            connection.exec_driver_sql(f"SELECT setval('{sequence}', {int(highest)})")


def import_data(folder: str) -> dict[str, int]:
    """Check an export, then load it into this empty database and media folder."""
    try:
        return load_export(folder)
    except archive.ArchiveError as err:  # a body too large to clean, a file changed meanwhile
        raise TransferError(f"Bản xuất {folder} bị hỏng: {err}.") from err


def load_export(folder: str) -> dict[str, int]:
    manifest = read_manifest(folder)
    check_export(folder, manifest)
    prepare_schema()
    counts = {}
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            path = os.path.join(folder, "tables", f"{table.name}.jsonl")
            counts[table.name] = load_table(connection, table, path)
            if counts[table.name] != manifest["tables"][table.name]["rows"]:
                raise TransferError(f"Bảng {table.name}: số dòng khác với manifest.json.")
        reset_sequences(connection)
    for item in manifest["media"]:
        target = live_path(item["path"])
        if not os.path.exists(target):
            with open(exported_path(folder, item["path"]), "rb") as source:
                archive.copy_checked(item, source, target)
    data_imported.send(current_app._get_current_object())
    return counts
