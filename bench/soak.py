"""Soak: readers at 64 connections and four editors saving at once, against the production
server, for a bounded time. Every save the server confirmed must be in the database, and every
reader who opens an article right after its save must see the new text (the page cache is on,
two worker processes, so a stale page anywhere would show).

    .venv/bin/python bench/soak.py [--seconds 60] [--connections 64] [--editors 4]

Needs Debian's `wrk`. Prints the readers' throughput and latency, and the editors' figures.
"""

import argparse
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import live  # noqa: E402

# Lines of the server log that say something went wrong: tracebacks, 500s, a worker that died.
SERVER_TROUBLE = ("Error", 'File "', " 500 ", "Fatal Python", "Unexpected exit")


def run_wrk(urls: list[str], seconds: int, connections: int) -> list[str]:
    """Load each URL with its share of the connections; return wrk's outputs."""
    share = max(1, connections // len(urls))
    processes = [
        subprocess.Popen(["wrk", "-t1", f"-c{share}", f"-d{seconds}s", "--latency",
                          "-H", "Accept-Encoding: gzip", url],
                         stdout=subprocess.PIPE, text=True)  # fmt: skip
        for url in urls
    ]
    return [process.communicate()[0] for process in processes]


def editor(base: str, number: int, article_id: int, until: float, report: dict) -> None:
    """Save the same article again and again; check a reader sees each save at once."""
    browser = live.Browser(base)
    browser.sign_in(f"bientap{number}")
    saved, stale, failed, seconds = [], 0, 0, []
    round_ = 0
    while time.monotonic() < until:
        summary = f"Bản sửa số {round_} của biên tập viên {number}"
        started = time.perf_counter()
        try:
            status = browser.save_article(article_id, summary)
            seconds.append(time.perf_counter() - started)
            if status == 302:
                saved.append(summary)
                if summary not in read_as_a_reader(base, article_id):
                    stale += 1
            else:
                failed += 1
        except OSError:  # a refused or dropped connection counts as a failure, not a crash
            failed += 1
        round_ += 1
    report[number] = {"article": article_id, "saved": saved, "stale": stale,
                      "failed": failed, "seconds": seconds}  # fmt: skip


def read_as_a_reader(base: str, article_id: int) -> str:
    """Open the article as an anonymous reader (following /tin/<id> to its full address)."""
    with urllib.request.urlopen(f"{base}/tin/{article_id}", timeout=30) as response:
        return response.read().decode()


def answers(url: str) -> bool:
    """Tell whether the server still answers once the load has stopped."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def lost_saves(database: Path, report: dict) -> int:
    """Count confirmed saves with no revision in the database."""
    connection = sqlite3.connect(database)
    lost = 0
    for result in report.values():
        kept = {row[0] for row in connection.execute(
            "SELECT json_extract(data, '$.summary') FROM revision WHERE article_id = ?",
            (result["article"],),
        )}  # fmt: skip
        lost += sum(1 for summary in result["saved"] if summary not in kept)
    connection.close()
    return lost


def wrk_line(output: str) -> str:
    if "Requests/sec" not in output:
        return "wrk printed no result: " + output.strip()[-200:]
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)[1]
    p99 = re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M)
    p99 = p99[1] if p99 else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)$", output, re.M)
    return (f"{float(rps):,.0f} req/s, p99 {p99}, non-2xx {errors[1] if errors else 0}, "
            f"socket errors: {sockets[1] if sockets else 'none'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--editors", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live.prepare(folder, options.editors)
        port = live.free_port()
        server = live.start(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            ids = live.article_ids(base, options.editors + 2)
            readers = [base + "/", f"{base}/tin/{ids[-1]}", base + "/rss.xml"]
            until = time.monotonic() + options.seconds
            report: dict = {}
            threads = [threading.Thread(target=editor, args=(base, n, ids[n], until, report))
                       for n in range(options.editors)]  # fmt: skip
            for thread in threads:
                thread.start()
            outputs = run_wrk(readers, options.seconds, options.connections)
            for thread in threads:
                thread.join()
            answering = answers(base + "/healthz")
        finally:
            server.terminate()
            server.wait(timeout=20)
        print_report(options, readers, outputs, report, lost_saves(folder / "bantin.db", report))
        print("  server answering at the end:", "yes" if answering else "NO")
        errors = [line for line in (folder / "server.log").read_text().splitlines()
                  if any(mark in line for mark in SERVER_TROUBLE)]  # fmt: skip
        print("server errors:", *errors[:40], sep="\n  ")


def print_report(options, readers, outputs, report, lost) -> None:
    print(f"Soak: {options.seconds} s, {options.connections} reader connections, "
          f"{options.editors} editors, granian 2 workers × 1 thread, page cache on")  # fmt: skip
    for url, output in zip(readers, outputs, strict=True):
        print(f"  readers {url.split('/', 3)[3] or '/'}: {wrk_line(output)}")
    saves = [s for r in report.values() for s in r["seconds"]]
    confirmed = sum(len(r["saved"]) for r in report.values())
    print(f"  editors: {confirmed} saves confirmed, {sum(r['failed'] for r in report.values())} "
          f"refused, {lost} lost, {sum(r['stale'] for r in report.values())} stale pages seen "
          f"right after a save")  # fmt: skip
    if saves:
        quantiles = statistics.quantiles(saves, n=100)
        print(f"  save round trip: median {statistics.median(saves) * 1000:.0f} ms, "
              f"p99 {quantiles[98] * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
