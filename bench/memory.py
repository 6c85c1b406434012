"""Resident memory of one serving process with its page cache full.

Serves the demo site with granian as `make serve` does, but one worker, so every request lands
in the same process and its page cache. Reads the worker's RSS after start, after one visit of
each kind of page, and after filling the cache: distinct searches (each a page of its own)
asked with brotli, gzip and from one of our pages, until the bytes received exceed
PAGE_CACHE_MAX_BYTES by a quarter, so that the cache is full and evicting. Last, after one
/healthz, which reads the schema's version (it imported Alembic until 2026-12-07). Each figure
is given three ways: RSS (every page the worker touches, libraries shared with other processes
included), PSS (shared pages divided among the processes sharing them), USS (the pages no other
process maps) and anonymous (the heap: Python's objects and the libraries' allocations, what
neither the files on disk nor other processes on the machine change; PSS and USS move with
whatever else maps the same libraries).

The worker runs optimised, as under `make serve` (`live.serve_env`), and Python writes its
compiled modules as it does there (a shell that sets PYTHONDONTWRITEBYTECODE would otherwise
make every start compile the project again, which leaves the compiler's garbage in the heap);
they go to the virtualenv's `pycache` folder.

    .venv/bin/python bench/memory.py [--cache-mb 8]

`--cache-mb` sets PAGE_CACHE_MAX_BYTES for the server (and how much the fill asks for).
"""

import argparse
import os
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

VARIANTS = ({"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip"},
            {"Accept-Encoding": "br", "Sec-Fetch-Site": "same-origin"})  # fmt: skip


def memory(pid: int) -> str:
    """The process's RSS, PSS and USS in MB, from /proc/PID/smaps_rollup."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
    uss = kb["Private_Clean"] + kb["Private_Dirty"]
    return (f"RSS {kb['Rss'] / 1024:.1f} MB, PSS {kb['Pss'] / 1024:.1f} MB, "
            f"USS {uss / 1024:.1f} MB, anonymous {kb['Anonymous'] / 1024:.1f} MB")  # fmt: skip


def compile_as_production() -> None:
    """Let the server keep its compiled modules, as `make serve` does (see the docstring)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    root = Path(__file__).resolve().parent.parent
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(root / ".venv" / "pycache"))


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


def fill(base: str, cache_bytes: int) -> tuple[int, int]:
    """Ask for distinct pages until the bytes received pass the cache's size by a quarter."""
    received = requests = 0
    paths = searches()
    with ThreadPoolExecutor(4) as pool:
        while received < cache_bytes * 1.25:
            batch = [next(paths) for _ in range(50)]
            jobs = [(base + path, headers) for path in batch for headers in VARIANTS]
            received += sum(pool.map(lambda job: get(*job), jobs))
            requests += len(jobs)
    return requests, received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-mb", type=float, default=8, help="PAGE_CACHE_MAX_BYTES in MB")
    options = parser.parse_args()
    cache_bytes = int(options.cache_mb * 1024 * 1024)
    compile_as_production()
    with tempfile.TemporaryDirectory() as name:
        env = live.prepare(Path(name), editors=0)
        env["FLASK_PAGE_CACHE_MAX_BYTES"] = str(cache_bytes)
        port = live.free_port()
        server = live.start(env, port, workers=1, ready="/robots.txt")
        base = f"http://127.0.0.1:{port}"
        try:
            worker = live.child_pids(server.pid)[0]
            print(f"one granian worker, one thread (as make serve); pid {worker}:")
            print(f"  started, /robots.txt answered: {memory(worker)}")
            html = urllib.request.urlopen(base + "/").read().decode()
            pages = sorted(set(re.findall(r'href="(/(?:tin|chuyen-muc|trang)/[^"]+)"', html)))
            for path in ["/", "/van-ban", "/rss.xml", "/sitemap.xml", *pages]:
                for headers in VARIANTS:
                    get(base + path, headers)
            print(f"  after every page of the home page's links ({len(pages)}), 3 variants: "
                  f"{memory(worker)}")  # fmt: skip
            requests, received = fill(base, cache_bytes)
            print(f"  after {requests:,} distinct searches ({received / 2**20:.1f} MB received, "
                  f"the {options.cache_mb:g} MB cache full): {memory(worker)}")  # fmt: skip
            urllib.request.urlopen(base + "/healthz").read()
            print(f"  after one /healthz: {memory(worker)}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
