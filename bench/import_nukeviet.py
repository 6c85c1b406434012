"""Time `flask import-nukeviet` on a generated NukeViet 4.5 dump: 10,000 articles.

Run: .venv/bin/python bench/import_nukeviet.py [ARTICLES] [IMAGES]   (in a temporary folder)

The dump is written as mysqldump writes it (tests/ops/nukeviet_dump.py: the installer's
tables, extended INSERTs of 50 rows, bodies before rows), with a lead picture on one article in
ten, a picture in the body of those, 8 categories (two under others) and 200 documents of the
laws module. The import runs as the operator runs it, in its own process, so the peak memory
printed is the import's alone; the target is under 2 minutes and 300 MB on 2 cores.
"""

import importlib.util
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import live  # noqa: E402

from tests.ops.nukeviet_dump import (  # noqa: E402
    Law,
    NewsArticle,
    NewsCategory,
    NukeVietSite,
    write_dump,  # noqa: E402
)

spec = importlib.util.spec_from_file_location("wordpress_bench", ROOT / "bench" / "import.py")
wordpress_bench = importlib.util.module_from_spec(spec)
sys.argv, argv = sys.argv[:1], sys.argv  # bench/import.py reads its own arguments
spec.loader.exec_module(wordpress_bench)
sys.argv = argv

ARTICLES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
IMAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
START = 1_420_070_400  # 2015-01-01


def categories() -> list[NewsCategory]:
    names = ("Tin hoạt động", "Kinh tế", "Văn hóa – Xã hội", "Giáo dục", "Y tế", "Thông báo")
    found = [NewsCategory(i + 1, name, f"nv-{i + 1}-muc", weight=i + 1)
             for i, name in enumerate(names)]  # fmt: skip
    found += [NewsCategory(7, "Khuyến nông", "nv-7-khuyen-nong", parentid=2),
              NewsCategory(8, "Trường học", "nv-8-truong-hoc", parentid=4)]  # fmt: skip
    return found


def article(number: int, rng: random.Random, images: int) -> NewsArticle:
    sentences = [wordpress_bench.sentence(rng) for _ in range(12)]
    body = "".join(f"<p>{' '.join(sentences[i:i + 3])}</p>" for i in range(0, 12, 3))
    picture = ""
    if number % 10 == 0 and number // 10 < images:
        picture = wordpress_bench.attached_file(number // 10)
        body += f'<p><img src="/uploads/news/{picture}" alt="Ảnh" width="800" height="600"></p>'
    status = 1 if number % 50 else rng.choice((0, 4, 5))
    return NewsArticle(
        number, 1 + number % 8, sentences[0][:120], f"bai-{number}", body,
        hometext=sentences[0] if number % 3 else "", status=status,
        publtime=START + number * 9000, author="Ban biên tập", homeimgfile=picture,
        homeimgalt="Ảnh minh họa" if picture else "", homeimgthumb=1 if picture else 0,
    )  # fmt: skip


def site(count: int, images: int) -> NukeVietSite:
    rng = random.Random(11)
    laws = [Law(i, f"{i}/QĐ-UBND", f"Quyết định số {i}", f"{i}-qd-ubnd",
                publtime=START + i * 86400) for i in range(1, 201)]  # fmt: skip
    return NukeVietSite(categories=categories(), sources={1: "Đài truyền thanh xã"},
                        articles=[article(n, rng, images) for n in range(1, count + 1)],
                        laws=laws)  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        started = time.perf_counter()
        wordpress_bench.make_uploads(folder / "uploads" / "news", IMAGES)
        write_dump(folder / "nv4.sql", site(ARTICLES, IMAGES))
        size = os.path.getsize(folder / "nv4.sql") / 1024**2
        print(f"Generated {ARTICLES:,} articles, {IMAGES:,} images, dump {size:.1f} MB in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        env = live.environment(folder)
        live.flask(env, "upgrade-db")
        dump, uploads = folder / "nv4.sql", folder / "uploads"
        for label, extra in (("dry run", ("--dry-run",)), ("import", ()), ("second run", ())):
            seconds, cpu, peak, line = wordpress_bench.timed_import(
                env, dump, uploads, *extra, name="import-nukeviet")
            print(f"{label + ':':11} {seconds:6.1f} s wall, {cpu:6.1f} s CPU, "
                  f"peak RSS {peak:4.0f} MB | {line}")  # fmt: skip
            if label == "import":
                print(f"throughput: {ARTICLES / seconds:.0f} articles/s wall, "
                      f"{ARTICLES / cpu:.0f} per CPU second")  # fmt: skip
        print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
