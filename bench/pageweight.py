"""Page weight of the reader pages on the demo site, as a reader on a weak link pays for it.

Starts the app on freshly seeded demo data (a temporary folder, a real HTTP server on a free
loopback port) and prints, for home, category, article, a static page, the documents list and
a search: raw and compressed bytes of the HTML on a first visit (the stylesheet inlined, so the
page alone paints), of the stylesheet fetched after the paint for the pages that follow, and
of the HTML of a page reached from one of ours (the stylesheet linked, from the HTTP cache);
the requests a first visit makes before images, how many of them blocked the paint, and the
image requests (counted by headless Chromium); and whether a revisit gets 304.

    .venv/bin/python bench/pageweight.py            # or: make bench
"""

import gzip
import logging
import os
import re
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import brotli
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from models import Article, Category, Page, db  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BUDGET = 14 * 1024


def start_demo_site(folder: Path):
    from ops import seed

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "MEDIA_ROOT": str(folder / "media"),
            "LOG_LEVEL": "WARNING",
            "LOG_DIR": "",
        }
    )
    with app.app_context():
        db.create_all()
        seed.seed_demo()
        pages = sample_pages()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}", pages


def sample_pages() -> dict[str, str]:
    """Pick one page of each kind; the article is chosen later as the heaviest of all."""
    category = db.session.scalars(Category.menu()).first()
    page = db.session.scalars(db.select(Page).order_by(Page.position)).first()
    articles = [f"/tin/{a.slug}-{a.id}" for a in db.session.scalars(Article.visible())]
    return {
        "home": "/",
        "category": f"/chuyen-muc/{category.slug}",
        "articles": articles,
        "static page": f"/trang/{page.slug}",
        "documents list": "/van-ban",
        "search results": "/tim-kiem?q=ke+hoach",
    }


def heaviest(base: str, paths: list[str]) -> str:
    """Return the article page that costs the most compressed bytes: the budget's worst case."""
    return max(paths, key=lambda path: len(fetch(base + path, {"Accept-Encoding": "br"})[2]))


def fetch(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# What a browser sends when the reader follows a link on one of our pages.
FROM_OUR_PAGE = {"Sec-Fetch-Site": "same-origin"}


def sizes(url: str, headers: dict | None = None) -> dict:
    """Raw, brotli and gzip bytes of one URL, as the server sends them."""
    _, _, raw = fetch(url, {"Accept-Encoding": "identity", **(headers or {})})
    _, br_headers, br = fetch(url, {"Accept-Encoding": "br", **(headers or {})})
    _, gz_headers, gz = fetch(url, {"Accept-Encoding": "gzip", **(headers or {})})
    assert br_headers.get("Content-Encoding") == "br" and brotli.decompress(br) == raw
    assert gz_headers.get("Content-Encoding") == "gzip" and gzip.decompress(gz) == raw
    return {"raw": len(raw), "br": len(br), "gzip": len(gz), "body": raw}


def stylesheets(base: str, html: bytes) -> list[dict]:
    """The sizes of every stylesheet a page links, noting those for print only."""
    links = re.findall(rb'rel="stylesheet" href="([^"]+)"( media="print")?', html)
    return [{**sizes(base + href.decode()), "print": bool(media)} for href, media in links]


def revisit_is_304(url: str) -> bool:
    _, headers, _ = fetch(url, {"Accept-Encoding": "br"})
    status, _, body = fetch(url, {"Accept-Encoding": "br", "If-None-Match": headers["ETag"]})
    return status == 304 and body == b""


def browser_requests(urls: list[str]) -> dict[str, tuple[int, int, int]]:
    """Count what Chromium requests on a first visit: (before images, blocking the paint,
    images)."""
    from playwright.sync_api import sync_playwright

    counts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for url in urls:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            seen = []
            page.on("request", lambda request, seen=seen: seen.append(request.resource_type))
            page.goto(url, wait_until="networkidle")
            images = sum(1 for kind in seen if kind == "image")
            blocking = page.evaluate(
                "performance.getEntriesByType('resource')"
                ".filter(e => e.renderBlockingStatus === 'blocking').length"
            )
            counts[url] = (len(seen) - images, blocking, images)
            context.close()
        browser.close()
    return counts


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        server, base, pages = start_demo_site(Path(folder))
        try:
            report(base, pages)
        finally:
            server.shutdown()


def report(base: str, pages: dict[str, str]) -> None:
    articles = pages.pop("articles")
    pages[f"article (heaviest of {len(articles)})"] = heaviest(base, articles)
    requests = browser_requests([base + path for path in pages.values()])
    print("| page | first visit HTML raw | br | gzip | CSS br, after the paint "
          "| next page HTML br | gzip | requests before images | blocking the paint "
          "| image requests | revisit 304 |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, path in pages.items():
        html = sizes(base + path)
        css = stylesheets(base, html["body"])
        css_br = sum(c["br"] for c in css)
        following = sizes(base + path, FROM_OUR_PAGE)
        before, blocking, images = requests[base + path]
        # Before the paint: the page itself, and whatever stylesheet it links without media.
        needed = html["br"] + sum(c["br"] for c in css if not c["print"])
        flag = "" if max(needed, html["gzip"]) <= BUDGET else " (over 14 KB!)"
        print(
            f"| {name} | {html['raw']:,} | {html['br']:,} | {html['gzip']:,}{flag} | {css_br:,} "
            f"| {following['br']:,} | {following['gzip']:,} | {before} | {blocking} | {images} "
            f"| {'yes' if revisit_is_304(base + path) else 'NO'} |"
        )
    print(f"\nBudget: what the first paint needs <= {BUDGET:,} bytes compressed, in one request.")


if __name__ == "__main__":
    main()
