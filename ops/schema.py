"""Where the database stands against the migrations, and upgrading it without losing data.

Alembic is imported inside the functions that use it: a serving process imports this module
(the desk's backups use it) but never migrates, and Alembic with Mako costs it about 11 MB
(internals.MigrateSettings says the same of Flask-Migrate). `/healthz` asks whether the
database is at the newest migration without it (`at_shipped_head`): the scripts' revision
lines and the version table say so for the usual answer, yes (BENCHMARKS.md, "Lighter
processes").
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from typing import TYPE_CHECKING

import click
from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from models import db

if TYPE_CHECKING:
    from alembic.script import Script, ScriptDirectory


@cache
def read_version(root_path: str) -> str:
    with open(os.path.join(root_path, "pyproject.toml"), "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def app_version() -> str:
    """Return Bantin's version, as written in pyproject.toml."""
    return read_version(current_app.root_path)


@cache
def load_scripts(directory: str) -> ScriptDirectory:
    from alembic.script import ScriptDirectory  # lazy: see the module's docstring

    return ScriptDirectory(os.path.join(directory))


def migrations_directory() -> str:
    return current_app.extensions["migrate"].directory


def scripts() -> ScriptDirectory:
    """Return the migration scripts this code ships (read once per process)."""
    return load_scripts(migrations_directory())


def upgrade(revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    import flask_migrate  # lazy: see the module's docstring

    flask_migrate.upgrade(directory=migrations_directory(), revision=revision)


def head_revision() -> str:
    """Return the newest migration; several heads mean an unfinished merge, said loudly."""
    heads = scripts().get_heads()
    if len(heads) != 1:
        raise click.ClickException(
            f"Các bản nâng cấp cơ sở dữ liệu có {len(heads)} nhánh ({', '.join(heads)}): "
            "mã nguồn chưa được hợp nhất đúng, hãy báo người phát triển."
        )
    return heads[0]


def first_revision() -> str:
    """Return the migration that created the schema."""
    return scripts().get_base()


def current_revision(connection=None) -> str | None:
    """Return the migration the database is at, or None if it was never migrated."""
    if connection is None:
        with db.engine.connect() as fresh:
            return current_revision(fresh)
    from alembic.runtime.migration import MigrationContext  # lazy: see the module's docstring

    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


# A script's `revision = "…"` and `down_revision = "…"` (or a tuple of them, after a merge),
# as `flask db revision` writes them.
REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.*)$", re.M)
QUOTED_ID = re.compile(r"['\"](\w+)['\"]")


@cache
def shipped_heads(directory: str) -> tuple[str, ...]:
    """Return the migrations no other one follows, read from the scripts' revision lines
    (what Alembic's `get_heads` answers; tests/ops/test_schema.py compares the two)."""
    revisions, followed = set(), set()
    versions = os.path.join(directory, "versions")
    for name in os.listdir(versions):
        if name.endswith(".py"):
            with open(os.path.join(versions, name), encoding="utf-8") as handle:
                for kind, value in REVISION_LINE.findall(handle.read()):
                    (revisions if kind == "revision" else followed).update(QUOTED_ID.findall(value))
    return tuple(sorted(revisions - followed))


def at_shipped_head() -> str | None:
    """Return the newest migration when the database is at it, told without Alembic (the
    version table read directly); None when that is not so or not plain, for Alembic to say
    what it is."""
    heads = shipped_heads(migrations_directory())
    if len(heads) != 1:
        return None
    try:
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return heads[0] if [row[0] for row in stored] == [heads[0]] else None


def is_known(revision: str) -> bool:
    """Tell whether this code knows the migration (a newer Bantin may have written it)."""
    from alembic.util import CommandError  # lazy: see the module's docstring

    try:
        return scripts().get_revision(revision) is not None
    except CommandError:
        return False


def pending_revisions(current: str | None) -> list[Script]:
    """Return the migrations still to apply after `current`, oldest first."""
    lower = current or "base"
    return list(reversed(list(scripts().iterate_revisions(head_revision(), lower))))


def has_unversioned_tables() -> bool:
    """Tell whether tables exist that no migration accounts for (made outside Flask-Migrate)."""
    names = set(inspect(db.engine).get_table_names())
    return bool(names - {"alembic_version"}) and current_revision() is None
