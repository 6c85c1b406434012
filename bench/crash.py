"""Crash test: kill -9 the production server again and again while an editor saves, restart
it, and check after each restart that every save the server confirmed is in the database and
that SQLite's integrity check passes.

    .venv/bin/python bench/crash.py [--kills 10]
"""

import argparse
import http.client
import os
import random
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import live  # noqa: E402


def kill_hard(process) -> None:
    """SIGKILL the server and its workers at once, as a power cut would."""
    for pid in [process.pid, *live.child_pids(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=10)


def save_until(browser, article_id: int, stop: threading.Event, confirmed: list) -> None:
    """Save as fast as the server allows; keep the summaries the server said it saved."""
    number = len(confirmed)
    while not stop.is_set():
        summary = f"Lưu lần {number} {random.random():.6f}"
        try:
            if browser.save_article(article_id, summary) == 302:
                confirmed.append(summary)
        except (OSError, http.client.HTTPException):
            return  # the server died mid-request: that save was never confirmed
        number += 1


def check(database: Path, article_id: int, confirmed: list) -> tuple[int, str]:
    connection = sqlite3.connect(database)
    integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    kept = {row[0] for row in connection.execute(
        "SELECT json_extract(data, '$.summary') FROM revision WHERE article_id = ?",
        (article_id,),
    )}  # fmt: skip
    connection.close()
    return sum(1 for summary in confirmed if summary not in kept), integrity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live.prepare(folder, editors=1)
        port = live.free_port()
        base = f"http://127.0.0.1:{port}"
        confirmed: list[str] = []
        server = live.start(env, port)
        article_id = live.article_ids(base, 1)[0]
        total_lost, bad = 0, []
        for kill in range(1, options.kills + 1):
            browser = live.Browser(base)
            browser.sign_in("bientap0")
            stop = threading.Event()
            worker = threading.Thread(
                target=save_until, args=(browser, article_id, stop, confirmed)
            )
            worker.start()
            time.sleep(random.uniform(1.0, 3.0))
            kill_hard(server)
            stop.set()
            worker.join(timeout=30)
            lost, integrity = check(folder / "bantin.db", article_id, confirmed)
            total_lost += lost
            if integrity != "ok":
                bad.append(integrity)
            print(f"kill {kill}: {len(confirmed)} saves confirmed so far, {lost} lost, "
                  f"integrity_check: {integrity}")  # fmt: skip
            server = live.start(env, port)
        kill_hard(server)
        print(f"\n{options.kills} kill -9 during saves: {len(confirmed)} confirmed saves, "
              f"{total_lost} lost, integrity {'ok every time' if not bad else bad}")  # fmt: skip


if __name__ == "__main__":
    main()
