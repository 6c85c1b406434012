"""A flood of questions ("Hỏi đáp") while readers read: readers' latency on cached pages with
and without 1,000 submissions a minute from many addresses, and the queue the flood leaves.

Seeds the demo site in a temporary folder and serves it as `make serve` does (granian, 2
workers × 1 thread), trusting one proxy so that each submission may come from its own address
(X-Forwarded-For 10.x.y.z, in the header only: all traffic stays on loopback). The flood mixes
what a real one holds, in every ten submissions:

- 6 patient bots: a browser that fetched the form once (cookie, CSRF token, the signed fill
  stamp), waited out the minimum fill time, then sends it again and again, each time from a
  new address;
- 2 bots from a handful of addresses (ADDRESSES_REUSED) sending again and again: the
  per-address caps;
- 1 bot that fills the hidden field: told "sent", nothing kept;
- 1 hasty bot that fetches the form and posts it at once: the form back (422).

Readers are paced threads, one per cached page (home, an article, a category, /hoi-dap), each
reading every READ_PAUSE seconds on a kept-alive connection, first alone, then during the
flood (`--readers wrk` reads flat out with wrk instead: the worst case, not a reader's).
Prints both tables, what the flood got back, the queue after it and the workers' memory.

    .venv/bin/python bench/flood.py [--seconds 30] [--per-minute 1000] [--readers paced|wrk]
"""

import argparse
import collections
import http.client
import itertools
import os
import re
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import live  # noqa: E402
from bench.abuse import MemoryWatch, percentile  # noqa: E402
from bench.live import form_fields, free_port  # noqa: E402
from bench.throughput import run_wrk  # noqa: E402

ASK = "/hoi-dap/dat-cau-hoi"
PATIENT_BOTS = 6
ADDRESSES_REUSED = 5
READ_PAUSE = 0.05
# Which kind sends the n-th submission of every ten, and the title it stores (if it is kept).
MIX = ["patient"] * 6 + ["reused"] * 2 + ["hidden field", "hasty"]
TITLES = {"patient": "Câu hỏi gửi hàng loạt", "reused": "Câu hỏi lặp từ một địa chỉ",
          "hidden field": "Bot điền ô ẩn", "hasty": "Bot gửi quá nhanh"}  # fmt: skip


# --- The flood ---------------------------------------------------------------------------------


class Bot:
    """One flooding browser: its connection, its cookie and the form the server gave it."""

    def __init__(self, port: int, kind: str):
        self.port, self.kind = port, kind
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.fetch_form()

    def fetch_form(self) -> None:
        self.connection.request("GET", ASK)
        response = self.connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
        self.headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                        "Sec-Fetch-Site": "same-origin"}  # fmt: skip
        self.fields = form_fields(html, ASK)
        self.fields.update(name="Người gửi hàng loạt", topic="khac", consent="y",
                           title=TITLES[self.kind], body="Nội dung lặp lại. " * 40)
        if self.kind == "hidden field":
            self.fields["website"] = "http://quang-cao.example"

    def send(self, address: str, took: list[float]) -> int:
        if self.kind == "hasty":
            self.fetch_form()  # a fresh stamp, posted at once
        body = urllib.parse.urlencode(self.fields)
        headers = self.headers | {"X-Forwarded-For": address}
        start = time.perf_counter()
        self.connection.request("POST", ASK, body, headers)
        response = self.connection.getresponse()
        response.read()
        took.append(time.perf_counter() - start)
        return response.status


def fresh_addresses():
    for n in itertools.count():
        yield f"10.{n // 65025 % 250}.{n // 255 % 255}.{n % 255 + 1}"


def reused_addresses():
    return itertools.cycle(f"10.250.0.{n + 1}" for n in range(ADDRESSES_REUSED))


class Flood:
    """Send `per_minute` submissions a minute in the MIX, from threads, until stopped."""

    def __init__(self, port: int, per_minute: int):
        self.interval = 60 / per_minute
        kinds = ["patient"] * PATIENT_BOTS + ["reused", "reused", "hidden field", "hasty"]
        self.bots = collections.defaultdict(list)
        for kind in kinds:
            self.bots[kind].append(Bot(port, kind))
        self.sources = {"reused": reused_addresses()}
        self.fresh = fresh_addresses()
        self.tally = collections.Counter()  # (kind, status) → count
        self.took: list[float] = []
        self.addresses = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.turn = itertools.count()

    def start(self) -> None:
        self.started = time.monotonic()
        bots = [bot for kind in self.bots.values() for bot in kind]
        self.threads = [threading.Thread(target=self.run, args=(bot, len(bots)), daemon=True)
                        for bot in bots]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def next_for(self, bot: Bot) -> str:
        with self.lock:
            address = next(self.sources.get(bot.kind, self.fresh))
            self.addresses.add(address)
            return address

    def run(self, bot: Bot, bots: int) -> None:
        # Each kind sends its share of the MIX: a kind with k of ten slots, shared by b bots,
        # sends every 10 * b / k intervals from each bot.
        share = MIX.count(bot.kind) / len(MIX) / len(self.bots[bot.kind])
        every = self.interval / share
        next_at = time.monotonic() + self.interval * self.bots_before(bot)
        time.sleep(max(0.0, next_at - time.monotonic()))
        while not self.stop.is_set():
            next_at += every
            status = bot.send(self.next_for(bot), self.took)
            with self.lock:
                self.tally[bot.kind, status] += 1
            time.sleep(max(0.0, next_at - time.monotonic()))

    def bots_before(self, bot: Bot) -> int:
        every = [b for kind in self.bots.values() for b in kind]
        return every.index(bot)

    def finish(self) -> float:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
        return time.monotonic() - self.started


# --- The readers -------------------------------------------------------------------------------


def read_paced(port: int, path: str, until: float, times: list[float], errors: list) -> None:
    """Read `path` every READ_PAUSE seconds on one kept-alive connection until `until`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError as error:
            errors.append(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times.append(time.perf_counter() - start)
        time.sleep(READ_PAUSE)


def readers(port: int, pages: dict[str, str], options) -> dict:
    if options.readers == "wrk":
        return {name: run_wrk(f"http://127.0.0.1:{port}{path}", options.seconds, 8)
                for name, path in pages.items()}  # fmt: skip
    until = time.monotonic() + options.seconds
    results = {name: ([], []) for name in pages}
    threads = [threading.Thread(target=read_paced, args=(port, path, until, *results[name]))
               for name, path in pages.items()]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {name: {"p50": f"{percentile(times, 0.5) * 1000:.1f} ms",
                   "p99": f"{percentile(times, 0.99) * 1000:.1f} ms",
                   "reads": len(times), "errors": len(errors)}
            for name, (times, errors) in results.items()}  # fmt: skip


def reader_pages(port: int) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    home = live.Browser(base).get("/")[1]
    category = re.search(r'href="(/chuyen-muc/[^"/]+)"', home)[1]
    return {"home": "/", "article": live.article_path(base), "category": category,
            "/hoi-dap": "/hoi-dap"}  # fmt: skip


# --- The run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--per-minute", type=int, default=1000)
    parser.add_argument("--readers", choices=["paced", "wrk"], default="paced")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bantin-flood-") as folder:
        env = live.prepare(Path(folder), editors=0)
        env["FLASK_TRUSTED_PROXIES"] = "1"
        port = free_port()
        server = live.start(env, port, workers=options.workers)
        try:
            report(port, server, Path(folder) / "bantin.db", options)
        finally:
            server.terminate()
            server.wait(timeout=30)


def report(port: int, server, database: Path, options) -> None:
    pages = reader_pages(port)
    browser = live.Browser(f"http://127.0.0.1:{port}")
    for path in pages.values():  # warm the cache
        browser.get(path)
    print(f"load average {os.getloadavg()[0]:.1f}; granian {options.workers} workers × 1 "
          f"thread; readers: {options.readers}, {options.seconds} s a table", flush=True)
    quiet = readers(port, pages, options)
    flood = Flood(port, options.per_minute)
    time.sleep(5)  # the form's minimum fill time (CITIZENS_MIN_FILL_SECONDS, 4 s)
    watch = MemoryWatch(server)
    watch.start()
    flood.start()
    loud = readers(port, pages, options)
    elapsed = flood.finish()
    growth = watch.growth_mb()
    print(f"load average {os.getloadavg()[0]:.1f} after the flood\n")
    print_readers(quiet, loud)
    print_flood(flood, elapsed, growth)
    print_queue(database)
    if any(str(status).startswith("5") for _, status in flood.tally):
        raise SystemExit("the flood got server errors")


def print_readers(quiet: dict, loud: dict) -> None:
    print("| page | quiet p50 | quiet p99 | flood p50 | flood p99 | reads (quiet / flood) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, q in quiet.items():
        f = loud[name]
        count = (f"{q['reads']} / {f['reads']}, errors {q['errors']} / {f['errors']}"
                 if "reads" in q else f"{q['rps']:.0f} / {f['rps']:.0f} a second")  # fmt: skip
        print(f"| {name} | {q['p50']} | {q['p99']} | {f['p50']} | {f['p99']} | {count} |")


def print_flood(flood: Flood, elapsed: float, growth: float) -> None:
    sent = sum(flood.tally.values())
    print(f"\nFlood: {sent} submissions in {elapsed:.0f} s ({sent / elapsed * 60:.0f} a minute) "
          f"from {len(flood.addresses)} addresses\n")  # fmt: skip
    print("| sender | sent | 303 (taken or told so) | 422 (form back) | 429 (caps) | other |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in TITLES:
        counts = {status: n for (k, status), n in flood.tally.items() if k == kind}
        other = sum(n for status, n in counts.items() if status not in (303, 422, 429))
        print(f"| {kind} | {sum(counts.values())} | {counts.get(303, 0)} | "
              f"{counts.get(422, 0)} | {counts.get(429, 0)} | {other} |")  # fmt: skip
    took = sorted(flood.took)
    print(f"\nA submission's answer took {percentile(took, 0.5) * 1000:.1f} ms (median), "
          f"{percentile(took, 0.99) * 1000:.1f} ms (p99); the largest growth of a worker's "
          f"resident memory during the flood: {growth:+.0f} MB.")  # fmt: skip


def print_queue(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        kept = dict(connection.execute(
            "SELECT title, count(*) FROM question WHERE status = 'waiting' GROUP BY title"
        ).fetchall())  # fmt: skip
        waiting, senders, most = connection.execute(
            "SELECT sum(n), count(*), max(n) FROM (SELECT count(*) AS n FROM question "
            "WHERE status = 'waiting' GROUP BY sender_key)"
        ).fetchone()  # fmt: skip
    print(f"\nThe queue after the flood: {waiting or 0} questions waiting from {senders} "
          f"addresses, at most {most or 0} from one; kept by sender: "
          + ", ".join(f"{kind} {kept.get(title, 0)}" for kind, title in TITLES.items()))


if __name__ == "__main__":
    main()
