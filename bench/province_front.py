"""The province's front page, feed, search and admin page with many commune sites.

    .venv/bin/python bench/province_front.py               # 150 sites, about a minute
    .venv/bin/python bench/province_front.py --sites 20
    .venv/bin/python bench/province_front.py --articles 1000   # issue 23's search figure

Builds a province of N SQLite sites (the first made by `site add`, the others copies of its
database, each with its own name and 20 articles), then times through the test client:
the first front page after a start (every site's app is built on the way), a render with every
site's app ready but every site changed, a render after one site's edit, a kept page, the
combined feed, new searches of the province's index (median and p95 over many different
queries, from many addresses) and a kept one, and the admin page. Prints the median of a few
runs. The copied sites' share of the province's index is built as `flask upgrade-db` builds
it for a site the index does not know yet.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app, create_site_app  # noqa: E402
from models import Article, Category, Setting, User, db  # noqa: E402
from sites import index as province_index  # noqa: E402
from sites import manage, operators  # noqa: E402
from sites.registry import Registry  # noqa: E402
from web.stamps import stamp_at  # noqa: E402

ARTICLES = 20
WORDS = ("hội nghị", "giao thông", "nông thôn", "đường làng", "xã", "ngõ xóm", "sapo")


def config(folder: Path) -> dict:
    return {
        "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder / "instance"),
        "SITES_DATABASE_URI": f"sqlite:///{folder / 'sites.db'}",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'unused.db'}",
        "MEDIA_ROOT": str(folder / "media"), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "WTF_CSRF_ENABLED": False,
    }


def fill(app, articles: int) -> None:
    with app.app_context():
        category = Category(name="Tin tức", slug="tin-tuc", position=1)
        now = datetime.now(UTC)
        db.session.add_all([category, User(username="admin", role="admin", password_hash="x")])
        for number in range(articles):
            db.session.add(Article(
                title=f"Xã tổ chức hội nghị về đường giao thông nông thôn số {number}",
                slug=f"tin-{number}", summary="Sapo của tin về đường làng, ngõ xóm.",
                body="<p>Nội dung</p>", body_text="Nội dung về đường làng", category=category,
                status="published", publish_at=now - timedelta(hours=number),
            ))
        db.session.commit()


def build_province(folder: Path, count: int, articles: int) -> dict:
    settings = config(folder)
    registry = Registry(settings["SITES_DATABASE_URI"])

    def build(site):
        return create_site_app(settings, site)

    first = manage.add_site(registry, build, "xa-0", ["xa-0.test"], "Xã số 0", "", None,
                           settings["INSTANCE_PATH"])
    app = build(first)
    fill(app, articles)
    source = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with app.app_context():
        db.engine.dispose()
    root = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.parent
    for number in range(1, count):
        name = f"xa-{number}"
        target = root / name / "bantin.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)  # reads through the write-ahead log
            copy.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('site_name', ?)",
                         (f"Xã số {number}",))
        registry.add(name, [f"{name}.test"], title=f"Xã số {number}")
    registry.dispose()
    return settings


def index_copies(app, count: int) -> float:
    """Build each copied site's share of the province index, as `flask upgrade-db` does."""
    started = time.perf_counter()
    dispatcher, registry = app.extensions["province"], app.extensions["registry"]
    for number in range(1, count):
        province_index.refresh(dispatcher.app_for(registry.require(f"xa-{number}")))
    return time.perf_counter() - started


def queries(count: int) -> list[str]:
    """Different searches: a common word with a number, two words, a word every entry has."""
    return [f"{WORDS[n % len(WORDS)]} {n % 97}" if n % 3 else WORDS[n % len(WORDS)] + f" so {n}"
            for n in range(count)]  # fmt: skip


def search_times(client, count: int) -> list[float]:
    """New searches (none kept yet), each from its own address: the index answers each."""
    return [timed(client, f"/tim-kiem?q={query}",
                  environ_base={"REMOTE_ADDR": f"10.{n // 250}.{n % 250}.1"})
            for n, query in enumerate(queries(count))]  # fmt: skip


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(client, url: str, **kwargs) -> float:
    started = time.perf_counter()
    response = client.get(url, **kwargs)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def bump_all(settings: dict, count: int) -> None:
    for number in range(count):
        stamp_at(os.path.join(settings["INSTANCE_PATH"], "stamps", f"xa-{number}.stamp")).bump()


def edit_one(app, number: int) -> None:
    site_app = app.extensions["province"].app_for(app.extensions["registry"].require("xa-3"))
    with site_app.app_context():
        Setting.put("welcome", f"Lần sửa {number}")
        db.session.commit()


def median(values) -> str:
    return f"{statistics.median(values):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--articles", type=int, default=ARTICLES, help="articles per site")
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bantin-province-front-"))
    try:
        started = time.perf_counter()
        settings = build_province(folder, args.sites, args.articles)
        print(f"{args.sites} sites of {args.articles} articles built in "
              f"{time.perf_counter() - started:.0f} s")
        app = create_app(settings)
        client = app.test_client()
        print(f"province index of the {args.sites - 1} copied sites built in "
              f"{index_copies(app, args.sites):.0f} s")
        app = create_app(settings)  # a restart: no site's app is built yet
        client = app.test_client()
        print(f"front page, first after a start (reads the index, builds no app): "
              f"{timed(client, '/'):.0f} ms")
        every_changed, one_edited, kept = [], [], []
        for number in range(args.runs):
            bump_all(settings, args.sites)
            every_changed.append(timed(client, "/"))
            edit_one(app, number)
            one_edited.append(timed(client, "/"))
            kept.append(timed(client, "/"))
        print(f"front page, every site changed: {median(every_changed)}")
        print(f"front page, after one site's edit: {median(one_edited)}")
        print(f"front page, kept: {median(kept)}")
        print(f"combined feed, kept news: {timed(client, '/rss.xml'):.1f} ms; "
              f"then kept: {timed(client, '/rss.xml'):.1f} ms")
        searches = search_times(client, args.searches)
        print(f"combined search across {args.sites} sites of {args.articles} articles, "
              f"{args.searches} new queries: median {median(searches)}, "
              f"p95 {percentile(searches, 0.95):.1f} ms; kept: "
              f"{timed(client, f'/tim-kiem?q={queries(1)[0]}'):.1f} ms")
        page = client.get("/")
        print(f"front page size: {len(page.data) / 1024:.0f} KB, "
              f"{len(client.get('/', headers={'Accept-Encoding': 'gzip'}).data) / 1024:.0f} KB "
              "gzip")
        with app.app_context():
            operators.set_password(app.extensions["registry"], "bench", "bench")
        client.post("/admin/login", data={"username": "bench", "password": "bench"})
        admin = [timed(client, "/admin/") for _ in range(3)]
        print(f"admin page ({args.sites} sites' health, sizes, backups): {median(admin)}")
        app.extensions["registry"].dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
