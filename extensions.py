"""Extension singletons and signals, bound to the app in `create_app`; imports no app code."""

from functools import cached_property

import click
from blinker import Namespace
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()


class MigrateSettings:
    """What Flask-Migrate keeps in `app.extensions["migrate"]`, with Flask-Migrate itself
    imported on first use: Alembic and Mako cost every serving process about 11 MB
    (BENCHMARKS.md, "A serving process's memory") and no reader's request needs them."""

    def __init__(self, db, directory: str, configure_args: dict):
        self.db = db
        self.directory = directory
        self.configure_args = configure_args

    @cached_property
    def migrate(self):
        """The real `flask_migrate.Migrate`, for its commands and functions."""
        # Imported here, not at the top, for the memory above (a heavy optional library).
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)

    @property
    def metadata(self):
        return self.db.metadata


class MigrateCommands(click.Group):
    """`flask db ...`: Flask-Migrate's command group, imported only when it is run or listed."""

    def real(self) -> click.Group:
        # Imported here, not at the top: see MigrateSettings.
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        """Hand the command line to the real group: its options, commands and help."""
        return self.real().make_context(info_name, args, parent=parent, **extra)


class LazyMigrate:
    """Flask-Migrate's `Migrate`, bound by `init_app` without importing Alembic."""

    def init_app(self, app, db, directory="migrations", compare_type=True,
                 render_as_batch=True, **kwargs) -> None:  # fmt: skip
        options = {**kwargs, "compare_type": compare_type, "render_as_batch": render_as_batch}
        app.extensions["migrate"] = MigrateSettings(db, str(directory), options)
        app.cli.add_command(MigrateCommands(name="db", help="Perform database migrations."))


migrate = LazyMigrate()

signals = Namespace()
# Sent with the app after `flask import` wrote rows past the ORM, so derived data (the search
# index) is rebuilt; search.init_app subscribes.
data_imported = signals.signal("data-imported")
