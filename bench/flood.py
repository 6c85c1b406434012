"""A flood of questions ("Hỏi đáp") while readers read: readers' latency on cached pages with
and without 1,000 submissions a minute from many addresses.

Seeds the demo site in a temporary folder and serves it as `make serve` does (granian, one
worker per core), trusting one proxy so that each submission may come from its own address
(X-Forwarded-For, 10.x.y.z). Each flooding "browser" fetches the form once (session cookie,
CSRF token, the signed fill stamp), waits out the minimum fill time like a patient bot, then
sends the form again and again from fresh addresses. Readers are `wrk` on an article and on
/hoi-dap, first alone, then during the flood. Prints both p99s, what the flood got back and
how many questions reached the queue.

    .venv/bin/python bench/flood.py [--seconds 30] [--per-minute 1000] [--connections 8]
"""

import argparse
import collections
import http.client
import itertools
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
from bench.live import form_fields, free_port  # noqa: E402
from bench.throughput import run_wrk  # noqa: E402

ASK = "/hoi-dap/dat-cau-hoi"
BOTS = 8


class Bot:
    """One flooding browser: its cookie and the form the server gave it."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", ASK)
        response = self.connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
        self.headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                        "Sec-Fetch-Site": "same-origin"}  # fmt: skip
        self.fields = form_fields(html, ASK)
        self.fields.update(name="Người gửi hàng loạt", topic="khac", consent="y",
                           title="Câu hỏi gửi hàng loạt", body="Nội dung lặp lại. " * 40)

    def send(self, address: str, took: list[float]) -> int:
        body = urllib.parse.urlencode(self.fields)
        headers = self.headers | {"X-Forwarded-For": address}
        start = time.perf_counter()
        self.connection.request("POST", ASK, body, headers)
        response = self.connection.getresponse()
        response.read()
        took.append(time.perf_counter() - start)
        return response.status


def addresses():
    for n in itertools.count():
        yield f"10.{n // 65025 % 250}.{n // 255 % 255}.{n % 255 + 1}"


def flood(bots: list[Bot], per_minute: int, stop: threading.Event, tally: collections.Counter,
          took: list[float]):
    """Send `per_minute` submissions a minute, spread over the bots, until told to stop."""
    interval = 60 / per_minute
    lock = threading.Lock()
    source = addresses()

    def run(bot: Bot, offset: float):
        next_at = time.monotonic() + offset
        while not stop.is_set():
            next_at += interval * len(bots)
            with lock:
                address = next(source)
            status = bot.send(address, took)
            with lock:
                tally[status] += 1
            time.sleep(max(0.0, next_at - time.monotonic()))

    threads = [threading.Thread(target=run, args=(bot, n * interval), daemon=True)
               for n, bot in enumerate(bots)]  # fmt: skip
    for thread in threads:
        thread.start()
    return threads


def readers(targets: dict[str, str], seconds: int, connections: int) -> dict:
    return {name: run_wrk(url, seconds, connections) for name, url in targets.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--per-minute", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bantin-flood-") as folder:
        env = live.prepare(Path(folder), editors=0)
        env["FLASK_TRUSTED_PROXIES"] = "1"
        port = free_port()
        server = live.start(env, port, workers=options.workers)
        try:
            report(port, Path(folder) / "bantin.db", options)
        finally:
            server.terminate()
            server.wait(timeout=30)


def report(port: int, database: Path, options) -> None:
    base = f"http://127.0.0.1:{port}"
    article = live.article_path(base)
    targets = {"article": base + article, "/hoi-dap": base + "/hoi-dap"}
    for url in targets.values():  # warm the cache
        run_wrk(url, 2, 2)
    quiet = readers(targets, options.seconds, options.connections)
    bots = [Bot(port) for _ in range(BOTS)]
    time.sleep(5)  # the form's minimum fill time (CITIZENS_MIN_FILL_SECONDS, 4 s)
    stop, tally, took = threading.Event(), collections.Counter(), []
    started = time.monotonic()
    threads = flood(bots, options.per_minute, stop, tally, took)
    loud = readers(targets, options.seconds, options.connections)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - started
    stored = sqlite3.connect(database).execute(
        "SELECT count(*) FROM question WHERE title = 'Câu hỏi gửi hàng loạt'"
    ).fetchone()[0]
    print(f"\nReaders: wrk -t2 -c{options.connections} -d{options.seconds}s, gzip; server: "
          f"granian, {options.workers} workers\n")  # fmt: skip
    print("| page | quiet p50 | quiet p99 | flood p50 | flood p99 | flood requests/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in targets:
        q, f = quiet[name], loud[name]
        print(f"| {name} | {q['p50']} | {q['p99']} | {f['p50']} | {f['p99']} | {f['rps']:.0f} |")
    sent = sum(tally.values())
    answers = ", ".join(f"{count} × {status}" for status, count in sorted(tally.items()))
    print(f"\nFlood: {sent} submissions in {elapsed:.0f} s ({sent / elapsed * 60:.0f} a minute) "
          f"from {sent} addresses: {answers}; {stored} reached the queue.")  # fmt: skip
    took.sort()
    print(f"A submission's answer took {took[len(took) // 2] * 1000:.1f} ms (median), "
          f"{took[int(len(took) * 0.99)] * 1000:.1f} ms (p99).")  # fmt: skip
    if re.search(r"\b5\d\d\b", answers):
        raise SystemExit("the flood got server errors")


if __name__ == "__main__":
    main()
