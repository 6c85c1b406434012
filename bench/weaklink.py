"""A reader on a weak mobile link: when does the first text of an article paint?

Serves the demo site with the production server, then opens an article in Debian's Chromium
at 360 px through Chrome's network emulation (400 ms round trip, 400 kbit/s down and up, the
"slow 3G" a mountain commune often has), once with an empty cache (first visit, the
stylesheet inlined), once again in the same browser (revisit), and then once more, following
a link from it to another article (next article: the stylesheet linked, from the HTTP cache).
Prints first contentful paint, the requests made, those that blocked the paint, and the bytes
transferred before images.

    .venv/bin/python bench/weaklink.py [--runs 5]
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import live  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LINK = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
        "uploadThroughput": 400_000 / 8}  # fmt: skip


def first_paint(page) -> float:
    return page.evaluate(
        "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"
    )


def visit(context, url: str, follow: bool = False) -> tuple[float, int, int, int]:
    """Open `url` on the weak link (with `follow`, then a link from it to another article);
    return (first paint ms, requests, bytes before images, requests that blocked the paint)."""
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", LINK)
    sizes = {}
    session.on("Network.loadingFinished",
               lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    kinds = {}
    session.on("Network.responseReceived",
               lambda event: kinds.__setitem__(event["requestId"], event["type"]))  # fmt: skip
    page.goto(url, wait_until="load")
    if follow:
        sizes.clear()
        kinds.clear()
        path = urlsplit(url).path
        link = page.locator(f"main a[href^='/tin/']:not([href^='{path}'])").first
        with page.expect_navigation(wait_until="load"):
            link.click()
    page.wait_for_timeout(300)
    paint = first_paint(page)
    blocking = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.renderBlockingStatus === 'blocking').length"
    )
    before_images = [rid for rid, kind in kinds.items() if kind != "Image"]
    page.close()
    sent = sum(sizes.get(rid, 0) for rid in before_images)
    return paint, len(before_images), sent, blocking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live.prepare(folder, editors=0)
        port = live.free_port()
        server = live.start(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            url = base + live.article_path(base)
            results = {"first visit": [], "revisit": [], "next article": []}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                for _ in range(options.runs):
                    context = browser.new_context(viewport={"width": 360, "height": 740})
                    results["first visit"].append(visit(context, url))
                    results["revisit"].append(visit(context, url))
                    results["next article"].append(visit(context, url, follow=True))
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"Article at 360 px, 400 ms round trip, 400 kbit/s, median of {options.runs}:")
    for label, runs in results.items():
        paint = statistics.median(r[0] for r in runs)
        requests = statistics.median(r[1] for r in runs)
        sent = statistics.median(r[2] for r in runs)
        blocking = statistics.median(r[3] for r in runs)
        print(f"  {label}: first text painted at {paint:.0f} ms, {requests:.0f} requests before "
              f"images ({blocking:.0f} blocking the paint), {sent:,.0f} bytes")  # fmt: skip


if __name__ == "__main__":
    main()
