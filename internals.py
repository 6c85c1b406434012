"""Every place Bantin leans on a library's private internals, in one module, each written
against the version named in WRITTEN_AGAINST.

- `LazyRule` (Werkzeug): `Rule.compile` filling `_parts`, `_trace` and `_converters`;
  `Rule._compile_builder`, `_build`, `_build_unknown`. A province's sites share parsed URL
  rules (14 % of the test suite's CPU before).
- `share_compiled_sql` (SQLAlchemy): `Engine._compiled_cache`, `Pool._dialect`. Every SQLite
  engine of a process shares one dialect and compiled-SQL cache (18 %).
- `CallablePagination` (Flask-SQLAlchemy): `Pagination.__init__` calling `_query_items` and
  `_query_count`; `_query_args`, `_query_offset`. Ranked search hits reuse the page
  arithmetic and `_pagination.html`.
- `LazyMigrate` (Flask-Migrate): its commands read `current_app.extensions["migrate"]`
  (`.migrate`, `.db`, `.directory`, `.configure_args`, `.metadata`). Alembic and Mako (11 MB)
  are imported only by the commands that need them.
- `in_granian_worker`, `stop_noted_by` (granian): a worker is a fork named `granian-worker`
  that loads the app before it sets its own signal handlers; until then the parent's
  `AbstractServer.signal_handler_interrupt` answers a SIGTERM by setting `interrupt_signal` on
  the worker's copy of the server, and nothing else. A worker told to stop while it loaded ran
  on, and the server's stop waited for it forever (`ops.production.stop_when_asked`).

tests/test_internals.py checks each against the installed library and fails with a message
naming the piece to re-check: an upgrade that changes what one relies on fails there, not in a
slow page or a command far away. After re-checking, update WRITTEN_AGAINST.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from functools import cached_property

import click
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Engine, create_engine
from werkzeug.routing import Rule

WRITTEN_AGAINST = {
    "werkzeug": "3.1.9",
    "sqlalchemy": "2.1.9",
    "flask-sqlalchemy": "3.1.1",
    "flask-migrate": "4.1.0",
    "granian": "2.8.7",
}


# --- Werkzeug: URL rules parsed once per process -------------------------------------------------

# What parsing a rule made, by everything parsing reads: a province's sites share the rules.
PARSED_RULES: dict[tuple, tuple] = {}


class LazyRule(Rule):
    """A URL rule parsed once per process, that writes its URL-building functions when it
    first builds a URL.

    Werkzeug parses every rule into regular expressions and generates and compiles two Python
    functions per rule as the rule is added: for the site's ~90 rules that was most of the
    time `create_app` took, though every site's app of a province (and every `flask` command
    and test) adds the same rules, and a process builds URLs for a few rules only.
    """

    def compile(self) -> None:
        key = self.parse_key()
        parsed = PARSED_RULES.get(key)
        if parsed is None:
            super().compile()
            PARSED_RULES[key] = (tuple(self._parts), tuple(self._trace), dict(self._converters))
        else:
            parts, trace, converters = parsed
            # Converters keep no state of their map, so one instance serves every map.
            self._parts, self._trace, self._converters = list(parts), list(trace), converters
            self.arguments = self.arguments | {name for variable, name in trace if variable}
        # Rule.compile bound the (lazy) builders to the instance, a reference cycle for the
        # collector per rule: the class's own methods do the same job.
        self.__dict__.pop("_build", None)
        self.__dict__.pop("_build_unknown", None)

    def parse_key(self) -> tuple:
        """Everything Rule.compile reads: the rule, its host part and the map's converters."""
        domain = self.host if self.map.host_matching else self.subdomain
        converters = tuple(self.map.converters.items())
        return (self.rule, domain, self.map.host_matching, self.merge_slashes, converters)

    def _compile_builder(self, append_unknown: bool = True):
        """Put off writing the builder: the class's _build methods write it on first use."""
        return LazyRule._build_unknown if append_unknown else LazyRule._build

    def _build(self, **values):
        self._build = Rule._compile_builder(self, False).__get__(self, None)
        return self._build(**values)

    def _build_unknown(self, **values):
        self._build_unknown = Rule._compile_builder(self, True).__get__(self, None)
        return self._build_unknown(**values)


# --- SQLAlchemy: one compiled-SQL cache for every SQLite engine -----------------------------------


def share_compiled_sql(engine: Engine, options: dict, prototypes: dict[tuple, Engine]) -> None:
    """Let every SQLite engine of the process reuse the SQL that any of them compiled.

    SQLAlchemy caches compiled statements per engine (the key holds the dialect). A province
    process opens one SQLite engine per site, and each compiled the same few hundred
    statements again on its first requests and kept its own copy of them; with one dialect
    and one cache, a site's first request finds its SQL already compiled. The prototype is an
    in-memory engine with the same options (kept in `prototypes`), connected once so that its
    dialect is initialised before anyone compiles with it.
    """
    key = tuple(sorted((name, repr(value)) for name, value in options.items() if name != "url"))
    prototype = prototypes.get(key)
    if prototype is None:
        settings = {name: value for name, value in options.items() if name != "url"}
        prototype = create_engine("sqlite://", **settings)
        prototype.connect().close()
        prototypes[key] = prototype
    engine.dialect = prototype.dialect
    engine.pool._dialect = prototype.dialect
    engine._compiled_cache = prototype._compiled_cache


# --- Flask-SQLAlchemy: page arithmetic over any list ----------------------------------------------


class CallablePagination(Pagination):
    """Flask-SQLAlchemy's page arithmetic (and so `_pagination.html`) over items and a total
    that callables give: `items(limit, offset)` and `total()`. (Not `count`: Pagination takes
    that name as its own switch.)"""

    def __init__(self, page: int, per_page: int, items: Callable[[int, int], list],
                 total: Callable[[], int]):  # fmt: skip
        super().__init__(page=page, per_page=per_page, error_out=False, items=items, total=total)

    def _query_items(self) -> list:
        return self._query_args["items"](self.per_page, self._query_offset)

    def _query_count(self) -> int:
        return self._query_args["total"]()


# --- Flask-Migrate: bound without importing Alembic ---------------------------------------------


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


# --- granian: a worker asked to stop while it loads the app -------------------------------------

# The name granian's server gives each worker process it forks.
GRANIAN_WORKER = "granian-worker"


def in_granian_worker() -> bool:
    """Tell whether this process is a worker granian forked, still running its parent's code."""
    return multiprocessing.current_process().name == GRANIAN_WORKER


def stop_noted_by(inherited) -> bool:
    """Tell whether `inherited`, the SIGTERM handler a granian worker had until it set its own,
    noted a SIGTERM or SIGINT: the parent's handler notes one on the parent's server object,
    which the worker holds a copy of, and does nothing else."""
    return getattr(getattr(inherited, "__self__", None), "interrupt_signal", False) is True
