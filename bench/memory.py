"""Resident memory of one serving process with its page cache full.

Serves the demo site with granian as `make serve` does, but one worker, so every request
lands in the same process and its page cache. Reads the worker's RSS after start, after one
visit of each kind of page, and after filling the cache: distinct searches (each a page of its
own) asked with brotli, gzip and from one of our pages, until the bytes received exceed
PAGE_CACHE_MAX_BYTES (16 MB) by a quarter, so that the cache is full and evicting. Last, after
one /healthz, which reads the migrations and so imports Alembic.

    .venv/bin/python bench/memory.py
"""

import re
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import live  # noqa: E402
from bench.search import vocabulary  # noqa: E402

CACHE_BYTES = 16 * 1024 * 1024
VARIANTS = ({"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip"},
            {"Accept-Encoding": "br", "Sec-Fetch-Site": "same-origin"})  # fmt: skip


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024


def get(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as response:
        return len(response.read())


def searches():
    """Distinct two-word searches from the demo's own words, each a page of its own."""
    words = sorted(set(vocabulary()))
    for first in words:
        for second in words:
            if first != second:
                yield "/tim-kiem?" + urllib.parse.urlencode({"q": f"{first} {second}"})


def fill(base: str) -> tuple[int, int]:
    """Ask for distinct pages until the bytes received pass the cache's size by a quarter."""
    received = requests = 0
    paths = searches()
    with ThreadPoolExecutor(4) as pool:
        while received < CACHE_BYTES * 1.25:
            batch = [next(paths) for _ in range(50)]
            jobs = [(base + path, headers) for path in batch for headers in VARIANTS]
            received += sum(pool.map(lambda job: get(*job), jobs))
            requests += len(jobs)
    return requests, received


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        env = live.prepare(Path(name), editors=0)
        port = live.free_port()
        server = live.start(env, port, workers=1, ready="/robots.txt")
        base = f"http://127.0.0.1:{port}"
        try:
            worker = live.child_pids(server.pid)[0]
            print(f"one granian worker, one thread (as make serve); RSS of pid {worker}:")
            print(f"  started, /robots.txt answered: {rss_mb(worker):.1f} MB")
            html = urllib.request.urlopen(base + "/").read().decode()
            pages = sorted(set(re.findall(r'href="(/(?:tin|chuyen-muc|trang)/[^"]+)"', html)))
            for path in ["/", "/van-ban", "/rss.xml", "/sitemap.xml", *pages]:
                for headers in VARIANTS:
                    get(base + path, headers)
            print(f"  after every page of the home page's links ({len(pages)}), 3 variants: "
                  f"{rss_mb(worker):.1f} MB")  # fmt: skip
            requests, received = fill(base)
            print(f"  after {requests:,} distinct searches ({received / 2**20:.1f} MB received, "
                  f"the 16 MB cache full): {rss_mb(worker):.1f} MB")  # fmt: skip
            urllib.request.urlopen(base + "/healthz").read()
            print(f"  after one /healthz (Alembic imported): {rss_mb(worker):.1f} MB")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
