"""Every public page at 1,000 and at 100,000 articles: do queries grow with the archive?

Builds each site with the synthetic articles of bench/search.py (kept in a folder so a second
run reuses them), then renders each page through Flask's test client with the page cache off,
so every timing is a full render: queries, templates, compression. Median of 15 runs, the
sites taking turns request by request. Then
the 200 mixed searches of bench/search.py on each site (one to four words, marked or not, some
filtered), full renders too: their median and 95th percentile.

    .venv/bin/python bench/pages.py [--sizes 1000 100000] [--folder /tmp/bantin-bench-pages]
"""

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from bench.search import fill, queries, summary, timings, vocabulary  # noqa: E402
from models import Article, Category, db  # noqa: E402

RUNS = 15


def site(count: int, folder: str):
    """Return an app over a site of `count` articles, building it on the first run."""
    path = os.path.join(folder, f"pages-{count}.db")
    fresh = not os.path.exists(path)
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": os.path.join(folder, "i"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "MEDIA_ROOT": os.path.join(folder, "m"),
        "SERVER_NAME": "localhost", "PAGE_CACHE_MAX_BYTES": 0,
    })  # fmt: skip
    if fresh:
        with app.app_context():
            db.create_all()
            fill(count, random.Random(count), vocabulary())
    return app


def pages() -> dict[str, str]:
    """The pages to time, with addresses picked from this site's data."""
    category = db.session.scalars(select(Category).order_by(Category.position)).first()
    in_category = db.session.scalar(
        select(func.count()).select_from(Article).where(Article.category_id == category.id)
    )
    last = max(1, -(-in_category // 10))
    article = db.session.scalars(Article.visible().offset(50).limit(1)).first()
    return {
        "home": "/",
        "home, page 2": "/?trang=2",
        "category, page 1": f"/chuyen-muc/{category.slug}",
        "category, last page": f"/chuyen-muc/{category.slug}?trang={last}",
        "article": f"/tin/{article.slug}-{article.id}",
        "rss.xml": "/rss.xml",
        "sitemap.xml": "/sitemap.xml",
        "search `xa`": "/tim-kiem?q=xa",
        "search `thon xa dan`": "/tim-kiem?q=thon+xa+dan",
    }


def elapsed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started


def measure(sizes: list[int], folder: str) -> dict[int, dict]:
    """Time every page on every site, the sites taking turns request by request, so that a
    load that comes and goes on a shared machine weighs on each size alike."""
    apps = {count: site(count, folder) for count in sizes}
    clients, urls = {}, {}
    for count, app in apps.items():
        with app.app_context():
            urls[count] = pages()
        clients[count] = app.test_client()
        for url in urls[count].values():
            clients[count].get(url)  # warm templates and SQLite's page cache
    samples = {count: {name: [] for name in urls[count]} for count in sizes}
    for _ in range(RUNS):
        for name in urls[sizes[0]]:
            for count in sizes:
                samples[count][name].append(elapsed(clients[count], urls[count][name]))
    found = {count: {n: statistics.median(t) * 1000 for n, t in samples[count].items()}
             for count in sizes}  # fmt: skip
    searches = {count: queries(random.Random(count), vocabulary()) for count in sizes}
    for count in sizes:
        timings(clients[count], searches[count][:20])  # warm the search path (no page cache)
    times = {count: [] for count in sizes}
    for number in range(len(searches[sizes[0]])):
        for count in sizes:
            times[count] += timings(clients[count], [searches[count][number]])
    for count in sizes:
        found[count]["searches"] = summary(f"{count:,}: 200 mixed searches", times[count])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--folder", default="/tmp/bantin-bench-pages")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    results = measure(args.sizes, args.folder)
    header = " | ".join(f"{count:,}" for count in args.sizes)
    print(f"| page | {header} | ratio |")
    print("|---|" + "---:|" * (len(args.sizes) + 1))
    for name in results[args.sizes[0]]:
        if name == "searches":
            continue
        cells = [results[count][name] for count in args.sizes]
        ratio = cells[-1] / cells[0]
        print(f"| {name} | " + " | ".join(f"{c:.1f} ms" for c in cells) + f" | {ratio:.1f}× |")
    print()
    for count in args.sizes:
        print(results[count]["searches"])


if __name__ == "__main__":
    main()
