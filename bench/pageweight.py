"""Page weight of the reader pages on the demo site, as a reader on a weak link pays for it.

Starts the app on freshly seeded demo data (a temporary folder, a real HTTP server on a free
loopback port) and prints, for home, category, article, a static page, the documents list and
a search: raw and compressed bytes of the HTML and of the CSS it links, the requests a first
visit makes before images and the image requests (counted by headless Chromium), and whether
a revisit gets 304.

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


def sizes(url: str) -> dict:
    """Raw, brotli and gzip bytes of one URL, as the server sends them."""
    _, _, raw = fetch(url, {"Accept-Encoding": "identity"})
    _, br_headers, br = fetch(url, {"Accept-Encoding": "br"})
    _, gz_headers, gz = fetch(url, {"Accept-Encoding": "gzip"})
    assert br_headers.get("Content-Encoding") == "br" and brotli.decompress(br) == raw
    assert gz_headers.get("Content-Encoding") == "gzip" and gzip.decompress(gz) == raw
    return {"raw": len(raw), "br": len(br), "gzip": len(gz), "body": raw}


def stylesheets(base: str, html: bytes) -> list[str]:
    links = re.findall(rb'rel="stylesheet" href="([^"]+)"', html)
    return [base + href.decode() for href in links]


def revisit_is_304(url: str) -> bool:
    _, headers, _ = fetch(url, {"Accept-Encoding": "br"})
    status, _, body = fetch(url, {"Accept-Encoding": "br", "If-None-Match": headers["ETag"]})
    return status == 304 and body == b""


def browser_requests(urls: list[str]) -> dict[str, tuple[int, int]]:
    """Count what Chromium requests on a first visit: (before images, images)."""
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
            counts[url] = (len(seen) - images, images)
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
    print("| page | HTML raw | HTML br | HTML gzip | CSS br | HTML+CSS br | HTML+CSS gzip "
          "| requests before images | image requests | revisit 304 |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, path in pages.items():
        html = sizes(base + path)
        css = [sizes(url) for url in stylesheets(base, html["body"])]
        css_br, css_gz = sum(c["br"] for c in css), sum(c["gzip"] for c in css)
        total_br, total_gz = html["br"] + css_br, html["gzip"] + css_gz
        before, images = requests[base + path]
        flag = "" if max(total_br, total_gz) <= BUDGET else " (over 14 KB!)"
        print(
            f"| {name} | {html['raw']:,} | {html['br']:,} | {html['gzip']:,} | {css_br:,} "
            f"| {total_br:,} | {total_gz:,}{flag} | {before} | {images} "
            f"| {'yes' if revisit_is_304(base + path) else 'NO'} |"
        )
    print(f"\nBudget: HTML + CSS <= {BUDGET:,} bytes compressed, <= 2 requests before images.")


if __name__ == "__main__":
    main()
