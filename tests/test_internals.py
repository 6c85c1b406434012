"""Guards for internals.py: each reach into a library's private internals is checked against
the installed library, and a failure names the piece to re-check after an upgrade."""

import importlib.metadata
import inspect
import re
from types import SimpleNamespace

import flask_migrate
import pytest
from flask import Flask
from flask_sqlalchemy.pagination import Pagination
from granian.server import mp
from sqlalchemy import create_engine, select
from werkzeug.routing import Map, Rule

import internals

UPGRADED = (
    "{name} is {installed} here but internals.py was written against {written}: re-check "
    "what its table says it relies on in {name}, then update WRITTEN_AGAINST."
)


@pytest.mark.parametrize("name", sorted(internals.WRITTEN_AGAINST))
def test_each_library_is_the_version_the_internals_were_written_against(name):
    installed = importlib.metadata.version(name)
    written = internals.WRITTEN_AGAINST[name]
    assert installed == written, UPGRADED.format(name=name, installed=installed, written=written)


def test_werkzeug_rules_still_keep_what_lazy_rule_shares():
    rule = Rule("/tin/<slug>-<int:article_id>", endpoint="article")
    Map([rule])
    for name in ("_parts", "_trace", "_converters"):
        assert hasattr(rule, name), f"LazyRule: Werkzeug's Rule no longer sets {name}"
    builder = Rule._compile_builder
    assert list(inspect.signature(builder).parameters) == ["self", "append_unknown"], \
        "LazyRule: Rule._compile_builder(self, append_unknown) changed"


def test_a_lazy_rule_builds_and_matches_as_werkzeug_does():
    plain, lazy = Rule("/tin/<slug>-<int:article_id>", endpoint="a"), \
        internals.LazyRule("/tin/<slug>-<int:article_id>", endpoint="a")
    built = [Map([rule]).bind("x.test").build("a", {"slug": "le-hoi", "article_id": 7, "q": 1})
             for rule in (plain, lazy)]  # fmt: skip
    assert built[0] == built[1] == "/tin/le-hoi-7?q=1"
    assert Map([internals.LazyRule("/tin/<slug>-<int:article_id>", endpoint="a")]).bind(
        "x.test").match("/tin/le-hoi-7") == ("a", {"slug": "le-hoi", "article_id": 7})


def test_sqlalchemy_engines_still_keep_the_cache_and_dialect_shared():
    engine = create_engine("sqlite://")
    for owner, name in ((engine, "_compiled_cache"), (engine.pool, "_dialect")):
        assert hasattr(owner, name), f"share_compiled_sql: SQLAlchemy no longer has {name}"
    prototypes = {}
    internals.share_compiled_sql(engine, {"url": "sqlite://"}, prototypes)
    other = create_engine("sqlite://")
    internals.share_compiled_sql(other, {"url": "sqlite://"}, prototypes)
    assert engine._compiled_cache is other._compiled_cache
    with other.connect() as connection:
        assert connection.execute(select(1)).scalar() == 1


def test_flask_sqlalchemy_pagination_still_asks_for_items_and_count():
    for name in ("_query_items", "_query_count"):
        assert hasattr(Pagination, name), f"CallablePagination: Pagination lost {name}"
    numbers = list(range(45))
    page = internals.CallablePagination(2, 20, items=lambda limit, offset:
                                        numbers[offset:offset + limit],
                                        total=lambda: len(numbers))  # fmt: skip
    assert page.items == list(range(20, 40)) and page.total == 45 and page.pages == 3
    assert page.has_next and page.prev_num == 1


def test_flask_migrate_commands_read_only_what_lazy_migrate_keeps():
    """Every attribute Flask-Migrate's code reads from app.extensions['migrate'] must be one
    that MigrateSettings has (it stands in for Flask-Migrate's own object)."""
    source = inspect.getsource(flask_migrate)
    read = set(re.findall(r"extensions\['migrate'\]\.(\w+)", source))
    assert read >= {"directory", "metadata", "migrate"}, \
        f"LazyMigrate: Flask-Migrate reads other attributes now: {sorted(read)}"
    settings = internals.MigrateSettings(db=SimpleNamespace(metadata="m"), directory="d",
                                         configure_args={})  # fmt: skip
    missing = [name for name in read if name != "migrate" and not hasattr(settings, name)]
    assert not missing, f"LazyMigrate: MigrateSettings lacks {missing}, which Flask-Migrate reads"


def test_lazy_migrate_binds_without_importing_alembic_until_asked():
    app = Flask(__name__)
    internals.LazyMigrate().init_app(app, db=object(), directory="migrations")
    settings = app.extensions["migrate"]
    assert settings.directory == "migrations"
    assert settings.configure_args["render_as_batch"] is True
    assert "db" in app.cli.commands


def test_granian_workers_still_load_the_app_with_only_their_parents_signal_handler():
    """stop_when_asked exists because a granian worker loads the app before it sets its own
    handlers; if that order changes, the check it makes may go (ops.production)."""
    source = inspect.getsource(mp)
    assert f"name='{internals.GRANIAN_WORKER}'" in source, \
        "in_granian_worker: granian names its worker processes differently"  # fmt: skip
    wrapper = inspect.getsource(mp.WorkerProcess.wrap_target)
    assert "callback_loader()" in wrapper, "stop_noted_by: granian loads the app elsewhere"
    worker = inspect.getsource(mp.MPServer._spawn_wsgi_worker)
    assert "set_sync_signals()" in worker, "stop_noted_by: granian sets its handlers elsewhere"


def test_granians_parent_handler_still_notes_a_stop_where_stop_noted_by_looks():
    server = mp.MPServer("app:create_app")
    assert not internals.stop_noted_by(server.signal_handler_interrupt)
    server.signal_handler_interrupt(15, None)
    assert internals.stop_noted_by(server.signal_handler_interrupt), \
        "stop_noted_by: signal_handler_interrupt no longer sets interrupt_signal"  # fmt: skip
    assert not internals.stop_noted_by(None)
