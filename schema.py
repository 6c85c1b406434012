"""Where the database stands against the migrations, and upgrading it without losing data."""

import os
import tomllib
from functools import cache

import click
import flask_migrate
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect

from models import db


@cache
def read_version(root_path: str) -> str:
    with open(os.path.join(root_path, "pyproject.toml"), "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def app_version() -> str:
    """Return Bantin's version, as written in pyproject.toml."""
    return read_version(current_app.root_path)


@cache
def load_scripts(directory: str) -> ScriptDirectory:
    return ScriptDirectory(os.path.join(directory))


def migrations_directory() -> str:
    return current_app.extensions["migrate"].directory


def scripts() -> ScriptDirectory:
    """Return the migration scripts this code ships (read once per process)."""
    return load_scripts(migrations_directory())


def upgrade(revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
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
    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def is_known(revision: str) -> bool:
    """Tell whether this code knows the migration (a newer Bantin may have written it)."""
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



@click.command("upgrade-db")
@click.option("--no-backup", is_flag=True, help="Do not take a backup before upgrading.")
def upgrade_db_command(no_backup: bool) -> None:
    """Apply pending migrations, taking a backup first when the database holds data."""
    if has_unversioned_tables():
        raise click.ClickException(
            "Cơ sở dữ liệu đã có bảng nhưng không ghi phiên bản lược đồ, nên không thể nâng cấp "
            "an toàn. Hãy sao lưu rồi hỏi người phát triển."
        )
    current = current_revision()
    pending = pending_revisions(current)
    if not pending:
        click.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({current}).")
        return
    if current is None:
        click.echo(f"Tạo cơ sở dữ liệu mới ({len(pending)} bước).")
    else:
        backup_before_upgrade(no_backup)
        click.echo(f"Nâng cấp cơ sở dữ liệu từ phiên bản {current} ({len(pending)} bước):")
    for script in pending:
        click.echo(f"  {script.revision}: {script.doc}")
    upgrade()
    current_app.logger.info("Database schema %s -> %s", current or "(new)", head_revision())
    click.echo(f"Xong: cơ sở dữ liệu ở phiên bản {head_revision()}.")


def backup_before_upgrade(skip: bool) -> None:
    """Keep a copy of a SQLite database before its schema changes."""
    import backup

    if skip:
        return
    if backup.sqlite_path() is None:
        click.echo("Lưu ý: Bantin không tự sao lưu PostgreSQL; hãy chắc rằng đã có bản pg_dump.")
        return
    archive = backup.create_backup(backup.new_archive_path(backup.backup_folder()))
    click.echo(f"Đã sao lưu trước khi nâng cấp: {archive.path}")
