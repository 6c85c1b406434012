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


def best_of(runs: int, function, *args) -> tuple[float, float]:
    """Return the fastest of a few runs, wall clock and CPU, in milliseconds."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            function(*args)
        except sanitize.BodyRejected:
            pass
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls) * 1000, min(cpus) * 1000


def bodies() -> dict[str, str]:
    word = (ROOT / "tests" / "data" / "word_paste.html").read_text("utf-8")
    docs = (ROOT / "tests" / "data" / "google_docs_paste.html").read_text("utf-8")
    depth = sanitize.MAX_NESTING - 1
    deep = "<blockquote>" * depth + "chữ" + "</blockquote>" * depth
    chars, tags = sanitize.MAX_BODY_CHARS, sanitize.MAX_TAGS
    attributes = " a=1" * ((chars // tags - 4) // 4)
    return {
        f"Word paste ({len(word) // 1024} KB)": word,
        f"Google Docs paste ({len(docs) // 1024} KB)": docs,
        "Word paste at the tag cap": word * (tags // word.count("<")),
        f"flat body at the size cap ({chars:,} chars)": "<p>" + "chữ " * (chars // 4 - 2) + "</p>",
        f"nesting {depth} deep, repeated to the tag cap": deep * (tags // (2 * depth)),
        f"{tags:,} x <p>a (the tag cap)": "<p>a" * tags,
        f"{tags:,} tags with attributes, to the size cap": f"<p{attributes}>a" * tags,
        "plain text, one line a paragraph, to the size cap": "a\n" * (chars // 2),
        "100,000 nested tags (refused)": "<b>" * 100_000,
        f"{chars + 1:,} chars (refused)": "x" * (chars + 1),
        "2 MB of <p>a (refused)": "<p>a" * 500_000,
    }


def main() -> None:
    print("sanitize.clean_html, best of 3 runs: wall ms, CPU ms")
    for name, body in bodies().items():
        wall, cpu = best_of(3, sanitize.clean_html, body)
        print(f"  {name:<52} {wall:9.1f} {cpu:9.1f}")
    print("editor desk assets (bytes, raw / gzip -9)")
    for path in ("js/editor.js", "js/article-form.js", "css/admin.css"):
        data = (ROOT / "static" / path).read_bytes()
        print(f"  {path:<52} {len(data):7d} / {len(gzip.compress(data, 9)):6d}")


if __name__ == "__main__":
    main()
