"""Search latency and index size with 1,000 and 100,000 synthetic Vietnamese articles.

    .venv/bin/python bench/search.py            # both sizes, a few minutes on 2 cores
    .venv/bin/python bench/search.py --sizes 1000
    .venv/bin/python bench/search.py --folder /tmp/bench-search   # keep the sites, reuse them
    .venv/bin/python bench/search.py --postgresql postgresql+psycopg://postgres@127.0.0.1/postgres

For each size: bulk-insert articles into a temporary SQLite file (or a PostgreSQL database),
build the index with the same code as `flask reindex`, then time 200 mixed queries (with and
without marks, one to four words, some with a category or date filter) through the search
page. Prints the median and 95th percentile, and on SQLite the index size.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, insert, inspect, make_url, text  # noqa: E402

import search  # noqa: E402
from app import create_app  # noqa: E402
from models import Article, Category, db  # noqa: E402
from ops.seed_content import CATEGORIES, STORIES  # noqa: E402
from search import postgresql  # noqa: E402
from search.specs import SPECS  # noqa: E402
from vietnamese import fold, slugify  # noqa: E402

QUERIES = 200
BATCH = 5_000


def vocabulary() -> list[str]:
    """Return the words of the demo stories: real Vietnamese, with their marks."""
    words = []
    for story in STORIES:
        texts = [story.title, story.summary, *(p for p in story.parts if isinstance(p, str))]
        for chunk in texts:
            words += [w for w in search.words(chunk) if not w.isdigit()]
    return words


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    chosen = rng.choices(words, k=length)
    return " ".join(chosen).capitalize() + "."


def article_rows(count: int, categories: list[int], rng: random.Random, words: list[str]):
    start = datetime(2026, 5, 1, tzinfo=UTC)
    for number in range(count):
        title = sentence(rng, words, rng.randint(6, 12)).rstrip(".")
        body = " ".join(sentence(rng, words, rng.randint(8, 20)) for _ in range(rng.randint(6, 12)))
        moment = start - timedelta(hours=number * 3 * 1000 / count)
        yield {
            "title": title,
            "slug": slugify(title),
            "summary": sentence(rng, words, rng.randint(15, 30)),
            "body": f"<p>{body}</p>",
            "body_text": body,
            "category_id": categories[number % len(categories)],
            "author": rng.choice(["Hoàng Thị Mai", "Nông Văn Sơn", "Lý Thị Hà"]),
            "source": rng.choice(["UBND xã", "Đài truyền thanh xã", "Hội Nông dân"]),
            "image_caption": "",
            "image_alt": "",
            "status": "published",
            "publish_at": moment,
            "featured": False,
            "version": 1,
            "search_folded": "",
            "created_at": moment,
            "updated_at": moment,
        }


def fill(count: int, rng: random.Random, words: list[str]) -> float:
    """Insert the categories and `count` articles; return the seconds the index build took."""
    db.session.execute(
        insert(Category.__table__),
        [{"name": name, "slug": slug, "description": description, "position": position,
          "created_at": datetime(2026, 1, 1, tzinfo=UTC),
          "updated_at": datetime(2026, 1, 1, tzinfo=UTC)}
         for position, (name, slug, description) in enumerate(CATEGORIES)],
    )  # fmt: skip
    ids = list(db.session.scalars(text("SELECT id FROM category")))
    rows = article_rows(count, ids, rng, words)
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        # Core inserts skip the ORM events: the index is built in one go below.
        db.session.execute(insert(Article.__table__), batch)
    db.session.commit()
    started = time.perf_counter()
    search.rebuild(db.session.connection())
    db.session.commit()
    return time.perf_counter() - started


def index_kept_site() -> float | None:
    """Give a site kept from an older run the search tables the current code reads, made from
    the folded column as their migration makes them (the older ones stay: an older commit
    still finds them, so both can be timed on the same site). Return the seconds it took."""
    missing = [spec for spec in SPECS.values()
               if not inspect(db.engine).has_table(postgresql.search_table(spec))]
    if not missing:
        return None
    started = time.perf_counter()
    connection = db.session.connection()
    postgresql.create_index(connection, missing)
    for spec in missing:
        postgresql.refill(connection, spec, [])
    db.session.commit()
    return time.perf_counter() - started


def queries(rng: random.Random, words: list[str]) -> list[dict]:
    """Return 200 mixed searches: folded and marked, short and long, some filtered."""
    common = sorted(set(words), key=words.count, reverse=True)
    mixed = []
    for number in range(QUERIES):
        length = rng.choice((1, 1, 2, 2, 2, 3, 4))
        pool = common[:40] if number % 4 == 0 else common
        typed = " ".join(rng.choice(pool) for _ in range(length))
        if number % 2:
            typed = fold(typed)
        args = {"q": typed}
        if number % 10 == 3:
            args["muc"] = rng.choice(CATEGORIES)[1]
        if number % 10 == 7:
            args["tu"], args["den"] = "2026-01-01", "2026-03-31"
        mixed.append(args)
    return mixed


def timings(client, searches: list[dict], repeat: int = 1) -> list[float]:
    """Time each search: the fastest of `repeat` runs (more than one: the page cache is off)."""
    results = []
    for args in searches:
        fastest = None
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/tim-kiem", query_string=args)
            took = time.perf_counter() - started
            fastest = took if fastest is None else min(fastest, took)
            assert response.status_code == 200, args
        results.append(fastest)
    return results


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    median = statistics.median(ordered)
    return f"{label:<28} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def index_size() -> dict[str, int]:
    """Return bytes used by the FTS5 tables and by the folded column."""
    fts = db.session.scalar(
        text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'")
    )
    column = db.session.scalar(text("SELECT sum(length(CAST(search_folded AS BLOB))) FROM article"))
    text_bytes = db.session.scalar(
        text("SELECT sum(length(CAST(title || summary || body_text AS BLOB))) FROM article")
    )
    return {"fts": fts or 0, "column": column or 0, "text": text_bytes or 0}


def database_url(count: int, folder: str, server: str | None) -> str:
    """Return the site's database: a file in the folder, or a database of its own on the
    PostgreSQL server (made if missing)."""
    if not server:
        return f"sqlite:///{os.path.join(folder, f'bench-{count}.db')}"
    url = make_url(server)
    name = f"bench_search_{count}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if connection.scalar(exists, {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def print_slowest(searches: list[dict], seconds: list[float], count: int) -> None:
    """Print the slowest searches: the ones that make the p95."""
    timed = sorted(zip(seconds, searches, strict=True), key=lambda pair: -pair[0])
    for took, args in timed[:count]:
        print(f"  {took * 1000:7.1f} ms  {args}")


def run_size(count: int, folder: str, server: str | None, slowest: int = 0,
             repeat: int = 1) -> None:
    url = database_url(count, folder, server)
    # Repeated searches would be served by the page cache from the second run on.
    cache = {"PAGE_CACHE_MAX_BYTES": 0} if repeat > 1 else {}
    app = create_app(cache | {
        "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": os.path.join(folder, "i"),
        "SQLALCHEMY_DATABASE_URI": url, "MEDIA_ROOT": os.path.join(folder, "m"),
        "SERVER_NAME": "localhost",
    })  # fmt: skip
    words = vocabulary()
    with app.app_context():
        dialect = db.engine.dialect.name
        built = None
        if not inspect(db.engine).has_table("article"):
            db.create_all()
            built = fill(count, random.Random(count), words)
        elif dialect == "postgresql":
            built = index_kept_site()
        client = app.test_client()
        # Their own seed: a kept site gets the same searches as a new one.
        searches = queries(random.Random(f"searches {count}"), words)
        timings(client, searches[:20])  # warm the page cache and templates
        made = f"index built in {built:.1f} s" if built is not None else "kept from a last run"
        print(f"\n{count:,} articles on {dialect} ({made})")
        label = "FTS5 (SQLite)" if dialect == "sqlite" else "PostgreSQL"
        seconds = timings(client, searches, repeat)
        print(summary(f"{label}, {QUERIES} queries", seconds))
        print_slowest(searches, seconds, slowest)
        if dialect == "sqlite":
            print_sizes(url)
        db.session.remove()
        db.engine.dispose()


def print_sizes(url: str) -> None:
    sizes = index_size()
    mib = 1024 * 1024
    print(
        f"index: FTS5 tables {sizes['fts'] / mib:.1f} MiB, folded column "
        f"{sizes['column'] / mib:.1f} MiB (article text {sizes['text'] / mib:.1f} MiB); "
        f"database file {os.path.getsize(make_url(url).database) / mib:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    # Kept so that older commands still run: the LIKE search it skipped is gone.
    parser.add_argument("--no-fallback", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help="keep the sites here and reuse them on the next run")
    parser.add_argument("--postgresql", metavar="URL",
                        help="a PostgreSQL server (postgresql+psycopg://user@host:port/db): each "
                             "size gets a database bench_search_N there, kept for the next run")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="also print the N slowest searches of each size")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="time each search as the fastest of N runs, the page cache off "
                             "(steadier on a shared machine)")
    options = parser.parse_args()
    print(f"Search benchmark: {QUERIES} mixed queries per size, full /tim-kiem page each.")
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.folder or scratch
        os.makedirs(folder, exist_ok=True)
        for count in options.sizes:
            run_size(count, folder, options.postgresql, options.slowest, options.repeat)


if __name__ == "__main__":
    main()
