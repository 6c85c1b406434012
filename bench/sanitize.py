"""Print how long the body policy takes on real pastes and on the worst bodies it accepts,
how fast it refuses the ones it must refuse, and what the editor desk's scripts weigh.

Run: .venv/bin/python bench/sanitize.py
"""

import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sanitize  # noqa: E402  (after the path is set)


def best_of(runs: int, function, *args) -> float:
    """Return the fastest of a few runs, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            function(*args)
        except sanitize.BodyRejected:
            pass
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def bodies() -> dict[str, str]:
    word = (ROOT / "tests" / "data" / "word_paste.html").read_text("utf-8")
    docs = (ROOT / "tests" / "data" / "google_docs_paste.html").read_text("utf-8")
    depth = sanitize.MAX_NESTING - 1
    deep = "<blockquote>" * depth + "chữ" + "</blockquote>" * depth
    return {
        f"Word paste ({len(word) // 1024} KB)": word,
        f"Google Docs paste ({len(docs) // 1024} KB)": docs,
        "Word paste x40 (about 300 KB)": word * 40,
        "flat body at the size cap (2,000,000 chars)": "<p>" + "chữ " * 499_990 + "</p>",
        f"nesting {depth} deep, repeated to the size cap": deep * (1_900_000 // len(deep)),
        "100,000 nested tags (refused)": "<b>" * 100_000,
        "2,000,001 chars (refused)": "x" * 2_000_001,
    }


def main() -> None:
    print("sanitize.clean_html, best of 3 runs")
    for name, body in bodies().items():
        print(f"  {name:<52} {best_of(3, sanitize.clean_html, body):9.1f} ms")
    print("editor desk assets (bytes, raw / gzip -9)")
    for path in ("js/editor.js", "js/article-form.js", "css/admin.css"):
        data = (ROOT / "static" / path).read_bytes()
        print(f"  {path:<52} {len(data):7d} / {len(gzip.compress(data, 9)):6d}")


if __name__ == "__main__":
    main()
