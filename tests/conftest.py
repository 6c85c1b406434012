"""Shared fixtures: a fresh app and database per test, clients, a clock, and factories.

Databases cost more to build than to copy: SQLite sites (an empty schema, the seeded demo) are
built once per session as templates and each test gets its own copy of the file and media.
"""

import gc
import os
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import flask_migrate
import pytest
from base_config import PASSWORD, make_config
from desk import get_token
from folders import copy_site
from inbox import Inbox
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

import mail
import models
from app import create_app
from models import Article, Category, User, db
from ops import seed


def sqlite_file(app) -> str | None:
    """Return the path of the app's SQLite database file, or None for any other database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


def close_database() -> None:
    """Close the current app's sessions and connections, so its database file is complete."""
    db.session.remove()
    db.engine.dispose()


class SiteTemplate:
    """A SQLite site built once per session; restore(app) gives a test's app a copy of it."""

    def __init__(self, folder: Path, build):
        self.folder = folder
        app = create_app(make_config(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{self.database}"))
        with app.app_context():
            self.result = build()
            close_database()

    @property
    def database(self) -> Path:
        return self.folder / "site.db"

    def restore(self, app):
        """Replace the app's database file and media by the template's; return build()'s value."""
        with app.app_context():
            close_database()
        path = sqlite_file(app)
        for leftover in (path + "-wal", path + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        shutil.copyfile(self.database, path)
        copy_site(self.folder / "media", app.config["MEDIA_ROOT"])
        return self.result


@pytest.fixture(scope="session")
def site_template(tmp_path_factory):
    """Build named SQLite sites once per session: site_template(name, build) -> SiteTemplate."""
    built = {}

    def get(name: str, build) -> SiteTemplate:
        if name not in built:
            built[name] = SiteTemplate(tmp_path_factory.mktemp(f"template-{name}"), build)
        return built[name]

    return get


def build_demo():
    """The demo site as production has it: schema stamped with the newest migration, seeded."""
    db.create_all()
    flask_migrate.stamp()
    return seed.seed_demo()


@pytest.fixture(scope="session")
def demo_template(site_template):
    """The seeded demo site (its admin password in .result), built once per session."""
    return site_template("demo", build_demo)


@pytest.fixture
def seeded(app, site_template):
    """seeded(name, fill) runs fill() in the test's database and returns its value; on SQLite
    it copies instead the site fill() made in an empty schema once per session (`name`)."""

    def give(name: str, fill):
        if not sqlite_file(app):
            return fill()
        # A copy replaces the whole database: rows written before it would silently vanish.
        with db.engine.connect() as connection:
            written = connection.scalar(db.select(db.func.count()).select_from(User))
        assert not written, "request seeded fixtures before fixtures that add users"

        def build():
            db.create_all()
            return fill()

        return site_template(name, build).restore(app)

    return give


@pytest.fixture
def demo_site(app, demo_template):
    """Seed the test's app with the demo site; return the admin's password (seed_demo's value).

    On SQLite the app gets a copy of the session's demo; on another database it is seeded."""
    if sqlite_file(app):
        return demo_template.restore(app)
    return seed.seed_demo()


def build_app(tmp_path, template, **overrides):
    """An app with its own copy of the empty schema (on SQLite) or its tables created."""
    app = create_app(make_config(tmp_path, **overrides))
    if sqlite_file(app):
        template.restore(app)
    else:
        with app.app_context():
            db.create_all()
    return app


def teardown_app(app) -> None:
    with app.app_context():
        db.session.remove()
        if not sqlite_file(app):  # a temporary SQLite file goes with its folder
            db.drop_all()
        db.engine.dispose()


def drop_everything(engine) -> None:
    """Drop every table, also those no model describes (alembic_version, search indexes)."""
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def worker_database(url: str, worker: str) -> str:
    """Return the URL of this xdist worker's own PostgreSQL database, creating it if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    name = f"{parsed.database}_{worker}"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if connection.scalar(exists, {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config):
    """Under xdist, give each worker its own PostgreSQL database: tests drop every table."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    for variable in ("TEST_DATABASE_URL", "TEST_POSTGRES_URL"):
        if worker and os.environ.get(variable):
            os.environ[variable] = worker_database(os.environ[variable], worker)


# Files with few tests that take long (a real server, seeding, the browser). xdist hands out
# whole files in collection order (`--no-loadscope-reorder`): these go first, then the rest
# by number of tests, so that no worker is left finishing a long file while the other waits.
SLOW_FIRST = ("browser/", "ops/test_production.py", "test_sqlite_load.py", "ops/test_seed.py",
              "ops/test_transfer.py", "ops/test_backup.py", "media/test_uploads.py",
              "test_hostile_input.py")
TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """Put the files in the order xdist should hand them out: the longest first."""
    per_file = Counter(item.path for item in items)

    def rank(item) -> tuple:
        name = item.path.relative_to(TESTS).as_posix()
        slow = [n for n, prefix in enumerate(SLOW_FIRST) if name.startswith(prefix)]
        return (slow[0] if slow else len(SLOW_FIRST), -per_file[item.path], name)

    items.sort(key=rank)  # stable: a file's own tests keep their order


def pytest_collection_finish(session):
    """Spend less of the suite in the garbage collector, which took ~30% of its CPU time.

    Every test leaves an app, an engine and their caches as cyclic garbage that only a full
    collection frees, and each full collection walked every object the imports made too.
    So: freeze what exists after collection (modules, test items), and collect less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 10, 10)  # Python's default is (700, 10, 10)


@pytest.fixture(scope="session")
def schema_template(site_template):
    """An empty database with every table, copied for each test's app on SQLite."""
    return site_template("schema", db.create_all)


@pytest.fixture(scope="session", autouse=True)
def clean_test_database():
    """Start a PostgreSQL run from an empty database, whatever an interrupted run left."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        engine = create_engine(url)
        drop_everything(engine)
        engine.dispose()


@pytest.fixture
def empty_app(tmp_path):
    """An app whose database has no tables yet, for tests that run the migrations."""
    app = create_app(make_config(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        drop_everything(db.engine)
        db.engine.dispose()


@pytest.fixture
def make_app(tmp_path):
    """Build more apps in one test: make_app(folder, **config); their engines are closed after."""
    made = []

    def make(folder=None, **overrides):
        made.append(create_app(make_config(folder or tmp_path, **overrides)))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def clear_database():
    """Give tests the function that drops every table of an engine."""
    return drop_everything


@pytest.fixture
def migrated_app(empty_app):
    """An app whose database was made by the migrations, as in production."""
    flask_migrate.upgrade()
    return empty_app


@pytest.fixture
def app(tmp_path, schema_template):
    app = build_app(tmp_path, schema_template)
    with app.app_context():
        yield app
    teardown_app(app)


@pytest.fixture(scope="module")
def module_app(tmp_path_factory, schema_template):
    """One app for a whole test module: for a corpus of many small cases, each of which
    cleans up what another would see (tests/ops/test_feed_corpus.py)."""
    app = build_app(tmp_path_factory.mktemp("module"), schema_template)
    with app.app_context():
        yield app
    teardown_app(app)


@pytest.fixture
def csrf_app(tmp_path, schema_template):
    """An app with CSRF protection on, as in production."""
    app = build_app(tmp_path, schema_template, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
    teardown_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def inbox(app):
    """A real local SMTP server (tests/inbox.py) that the test's app sends its mail to."""
    server = Inbox().start()
    app.config.update(server.settings())
    yield server
    mail.OUTBOX.wait(10)
    server.stop()


class Clock:
    """Stands in for models.utcnow, so tests can move time without waiting."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime(2026, 5, 14, 3, 0, tzinfo=UTC))
    monkeypatch.setattr(models, "utcnow", clock)
    return clock


@pytest.fixture
def make_category(app):
    numbers = count(1)

    def make(**fields) -> Category:
        number = next(numbers)
        fields.setdefault("name", f"Chuyên mục {number}")
        fields.setdefault("slug", f"chuyen-muc-{number}")
        fields.setdefault("position", number)
        category = Category(**fields)
        db.session.add(category)
        db.session.commit()
        return category

    return make


@pytest.fixture
def make_article(app, make_category):
    numbers = count(1)
    default_category = []

    def make(**fields) -> Article:
        number = next(numbers)
        if "category" not in fields and "category_id" not in fields:
            if not default_category:
                default_category.append(make_category(name="Tin tức", slug="tin-tuc"))
            fields["category"] = default_category[0]
        fields.setdefault("title", f"Tin thử nghiệm số {number}")
        fields.setdefault("slug", f"tin-thu-nghiem-so-{number}")
        fields.setdefault("summary", f"Tóm tắt của tin số {number}.")
        fields.setdefault("body", f"<p>Nội dung tin số {number}.</p>")
        fields.setdefault("body_text", f"Nội dung tin số {number}.")
        fields.setdefault("status", "published")
        if fields["status"] == "published":
            fields.setdefault("publish_at", models.utcnow() - timedelta(hours=number))
        article = Article(**fields)
        db.session.add(article)
        db.session.commit()
        return article

    return make


@pytest.fixture
def make_user(app):
    def make(username: str = "bientap", role: str = "editor", **fields) -> User:
        user = User(username=username, role=role, display_name=fields.pop("display_name", username))
        user.set_password(fields.pop("password", PASSWORD))
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.add(user)
        db.session.commit()
        return user

    return make


class AuthActions:
    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, role: str = "editor", username: str | None = None):
        """Sign in as a user of this role, creating the account on first use."""
        username = username or role
        if db.session.scalar(db.select(User).where(User.username == username)) is None:
            self.make_user(username=username, role=role)
        return self.client.post("/admin/login", data={"username": username, "password": PASSWORD})

    def logout(self):
        return self.client.post("/admin/logout")


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


@pytest.fixture
def csrf_editor(csrf_app, make_user):
    """A client signed in as an editor on the CSRF-protected app, and a valid token."""
    client = csrf_app.test_client()
    make_user("csrf-editor", "editor")
    token = get_token(client, "/admin/login")
    form = {"username": "csrf-editor", "password": PASSWORD, "csrf_token": token}
    assert client.post("/admin/login", data=form).status_code == 302
    return client, get_token(client, "/admin/")  # signing in started a fresh session
