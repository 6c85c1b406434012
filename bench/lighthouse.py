"""Lighthouse (mobile) scores of the demo's home, article and documents pages, in Debian's
Chromium, against the production server.

Lighthouse comes from the npm registry (pinned: 12.2.3 is the last that runs on Node 20);
the first run installs it into bench/.lighthouse (git-ignored).

    .venv/bin/python bench/lighthouse.py
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import live  # noqa: E402

HERE = Path(__file__).resolve().parent / ".lighthouse"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The measurements behind the performance score, shown when it is below 100.
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")  # fmt: skip


def lighthouse() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        HERE.mkdir(exist_ok=True)
        subprocess.run(["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund"],
                       cwd=HERE, check=True, capture_output=True)  # fmt: skip
    return binary


def scores(binary: Path, url: str, folder: Path) -> tuple[dict[str, int], str]:
    """The four scores of one page, and the performance metrics behind the first."""
    report = folder / "report.json"
    subprocess.run(
        [str(binary), url, "--form-factor=mobile", "--quiet", "--output=json",
         f"--output-path={report}", "--chrome-flags=--headless=new --no-sandbox"],
        check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )  # fmt: skip
    result = json.loads(report.read_text())
    found = result["categories"]
    metrics = ", ".join(f"{name} {result['audits'][name]['displayValue']}" for name in METRICS)
    return {name: round(found[name]["score"] * 100) for name in CATEGORIES}, metrics


def main() -> None:
    binary = lighthouse()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live.prepare(folder, editors=0)
        port = live.free_port()
        server = live.start(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            pages = {"home": "/", "article": live.article_path(base), "documents": "/van-ban"}
            print("| page | " + " | ".join(CATEGORIES) + " |")
            print("|---|" + "---:|" * len(CATEGORIES))
            notes = []
            for label, path in pages.items():
                found, metrics = scores(binary, base + path, folder)
                print(f"| {label} | " + " | ".join(str(found[c]) for c in CATEGORIES) + " |")
                if found["performance"] < 100:
                    notes.append(f"{label}: {metrics}")
            for note in notes:
                print(note)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
