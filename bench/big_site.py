"""How long `flask seed-demo --articles N` takes to build a big site (100,000 by default).

    .venv/bin/python bench/big_site.py                  # 100,000 articles, about 2 minutes
    .venv/bin/python bench/big_site.py --articles 10000

Runs the command itself, through Flask's CLI runner, against a temporary SQLite database and
media folder; prints its progress lines, the total time, the database size and how long the
home page, a category's last page and a search take on the result (median of 5). On a shared
machine the CPU time and the load average say how much of the wall time was waiting.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from models import Article, db  # noqa: E402


def median_ms(client, url: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert client.get(url).status_code == 200, url
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "big.db")
        app = create_app({
            "SECRET_KEY": "bench", "INSTANCE_PATH": os.path.join(folder, "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "MEDIA_ROOT": os.path.join(folder, "media"), "SERVER_NAME": "localhost",
        })  # fmt: skip
        with app.app_context():
            db.create_all()
            started, cpu = time.perf_counter(), time.process_time()
            result = app.test_cli_runner().invoke(
                args=["seed-demo", "--articles", str(options.articles)]
            )
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        for line in result.output.splitlines():
            print(line if "Mật khẩu" not in line else "Mật khẩu: (not shown)")
        if result.exit_code:
            raise SystemExit(f"seed-demo failed: {result.exception!r}")
        with app.app_context():
            total = db.session.scalar(select(func.count()).select_from(Article))
            client = app.test_client()
            last = -(-total // app.config["PER_PAGE"])
            print(f"seed-demo --articles {options.articles:,}: {seconds:.1f} s ({cpu:.1f} s of "
                  f"CPU; load average {os.getloadavg()[0]:.1f}) for {total:,} articles; "
                  f"database {os.path.getsize(path) / 1024**2:.0f} MiB")  # fmt: skip
            for label, url in (("home", "/"), ("category, last page",
                               f"/chuyen-muc/thong-bao?trang={last // 7}"),
                               ("search 'thon xa'", "/tim-kiem?q=thon+xa")):  # fmt: skip
                print(f"  {label:<22} {median_ms(client, url):8.1f} ms")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
