"""Keeping the index in step: ORM events on every insert, update and delete of an Article or
a Document (whatever view or command made it), a rebuild after imports and on demand, and the
one choice of the database's backend (`search.sqlite` or `search.postgresql`)."""

from __future__ import annotations

import importlib
from types import ModuleType

from sqlalchemy import Connection, bindparam, event, select, update

from extensions import data_imported
from models import db
from search.specs import SPECS, IndexSpec, entry_values, field_texts, folded_from_entry
from search.text import folded_record

# Imported by name when first asked for: the PostgreSQL backend brings SQLAlchemy's
# PostgreSQL dialect, which a SQLite worker never needs (about 1 MB).
BACKENDS = {"sqlite": "search.sqlite", "postgresql": "search.postgresql"}


def backend_for(dialect: str) -> ModuleType:
    """Return the module that holds a database dialect's search."""
    try:
        return importlib.import_module(BACKENDS[dialect])
    except KeyError as err:
        message = f"Bantin's search supports SQLite and PostgreSQL, not {dialect}"
        raise RuntimeError(message) from err


def backend() -> ModuleType:
    """Return the search backend of the database in use."""
    return backend_for(db.session.get_bind().dialect.name)


def fill_folded(_mapper, _connection, target) -> None:
    target.search_folded = folded_record(field_texts(SPECS[type(target)], target))


def index_row(_mapper, connection: Connection, target) -> None:
    backend_for(connection.dialect.name).index_row(connection, SPECS[type(target)], target)


def unindex_row(_mapper, connection: Connection, target) -> None:
    backend_for(connection.dialect.name).unindex_row(connection, SPECS[type(target)], target.id)


def create_index_tables(connection: Connection, specs=None) -> None:
    """Create what the database's backend searches beside the tables (FTS5's on SQLite)."""
    chosen = SPECS.values() if specs is None else specs
    backend_for(connection.dialect.name).create_index(connection, chosen)


def drop_index_tables(connection: Connection) -> None:
    backend_for(connection.dialect.name).drop_index(connection, SPECS.values())


def after_create(_metadata, connection, tables=(), **_kw) -> None:
    """Tests and `db.create_all()` get the index with the rest (production: migrations), for
    the indexed tables just made (a province's registry makes none of them)."""
    made = set(tables)
    create_index_tables(connection, [s for s in SPECS.values() if s.model.__table__ in made])


def before_drop(_metadata, connection, **_kw) -> None:
    drop_index_tables(connection)


def rebuild(connection: Connection) -> dict[str, int]:
    """Refold every article and document and rewrite the index; return counts by table."""
    create_index_tables(connection)
    counts = {}
    for spec in SPECS.values():
        counts[spec.table] = rebuild_model(connection, spec)
    return counts


def rebuild_model(connection: Connection, spec: IndexSpec) -> int:
    model = spec.model
    columns = model.__table__.c
    dialect = backend_for(connection.dialect.name)
    dialect.clear(connection, spec)
    # Only the indexed columns are read, so this also runs inside an old migration.
    rows = connection.execute(select(columns.id, *(columns[f] for f in spec.fields))).all()
    if not rows:
        return 0
    # Setting updated_at to itself keeps its on-update default from touching every row.
    statement = (
        update(model.__table__)
        .where(columns.id == bindparam("row_id"))
        .values(search_folded=bindparam("folded"), updated_at=columns.updated_at)
    )
    # Each row is folded once: its index entry holds the same words as its folded column.
    entries = [entry_values(spec, row.id, row) for row in rows]
    connection.execute(
        statement,
        [{"row_id": entry["id"], "folded": folded_from_entry(spec, entry)} for entry in entries],
    )
    dialect.refill(connection, spec, entries)
    return len(rows)


def after_import(_app, **_extra) -> None:
    """An import writes its rows in bulk, past the ORM events: index them all at once."""
    rebuild(db.session.connection())
    db.session.commit()


# Which function keeps the index in step at each ORM event of an indexed model.
ROW_LISTENERS = (
    ("before_insert", fill_folded),
    ("before_update", fill_folded),
    ("after_insert", index_row),
    ("after_update", index_row),
    ("after_delete", unindex_row),
)


def listen_once(target, name: str, function) -> None:
    """Attach a listener unless it is there: SQLAlchemy's events are global, apps are many."""
    if not event.contains(target, name, function):
        event.listen(target, name, function)


def init_app(_app) -> None:
    """Keep the index in step with every write of an Article or Document, whoever makes it."""
    for model in SPECS:
        for name, function in ROW_LISTENERS:
            listen_once(model, name, function)
    listen_once(db.metadata, "after_create", after_create)
    listen_once(db.metadata, "before_drop", before_drop)
    data_imported.connect(after_import)
