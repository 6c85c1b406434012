"""Should `flask import-feed` read feeds with feedparser? Measure it beside our reader.

Run: .venv/bin/python bench/feed_reader.py [ITEMS]   (feedparser is in requirements-dev)

Each reader runs in its own process on the same generated RSS 2.0 feed (ITEMS items, default
10,000, with CDATA bodies as a portal writes them), so the peak memory printed (ru_maxrss) is
that reader's alone: ours (ops.importing.xml_items + ops.feedimport.rss_entry, streaming,
defusedxml) and feedparser.parse. Then both are given the hostile files of tests/fixtures
(billion laughs, an external entity) and a quadratic blow-up (one 100 KB entity used 10,000
times): what each did, how long it took, how much memory.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000

OURS = """
import sys, time, resource
sys.path.insert(0, {root!r})
from ops import importing, feedimport
started = time.perf_counter()
entries = 0
try:
    for name, element in importing.xml_items({path!r}, {{"item"}}):
        entries += bool(feedimport.rss_entry(element, "").title)
    outcome = f"{{entries}} items"
except importing.ImportRefused as err:
    outcome = "refused: " + str(err)[:30]
print(json.dumps([outcome, time.perf_counter() - started,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024]))
"""

THEIRS = """
import time, resource, feedparser
started = time.perf_counter()
parsed = feedparser.parse({path!r})
text = " ".join(e.get("title", "") + e.get("summary", "") for e in parsed.entries)
outcome = f"{{len(parsed.entries)}} items, bozo={{bool(parsed.bozo)}}"
if "root:" in text:
    outcome += ", READ /etc/passwd"
if len(parsed.entries) <= 1 and len(text) > 1_000_000:
    outcome += f", {{len(text) // 1_000_000}} MB of expanded text"
print(json.dumps([outcome, time.perf_counter() - started,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024]))
"""


def write_feed(path: Path, items: int) -> None:
    words = "xã thôn người dân đường làng mùa lúa nước sạch trường học trạm y tế".split()
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content='
                  '"http://purl.org/rss/1.0/modules/content/"><channel><title>Xã cũ</title>'
                  "<link>https://xa-cu.example/</link>\n")  # fmt: skip
        for number in range(items):
            body = "".join(f"<p>{' '.join(words[(number + k) % 15] for k in range(40))}.</p>"
                           for _ in range(6))  # fmt: skip
            out.write(f"<item><title>Tin số {number} về {words[number % 15]}</title>"
                      f"<link>https://xa-cu.example/tin/{number}.html</link>"
                      f"<guid>https://xa-cu.example/tin/{number}.html</guid>"
                      "<pubDate>Mon, 03 Feb 2020 09:15:00 +0700</pubDate>"
                      f"<description>Tóm tắt tin số {number}.</description>"
                      f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n")
        out.write("</channel></rss>\n")


def quadratic(path: Path) -> None:
    """One large entity referenced many times: no nesting, so only a total limit stops it."""
    big = "a" * 100_000
    uses = "&big;" * 10_000
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{big}">]><rss '
                    f'version="2.0"><channel><item><title>x</title><description>{uses}'
                    "</description></item></channel></rss>")  # fmt: skip


def run(script: str, path: Path) -> tuple[str, float, int]:
    code = "import json\n" + script.format(root=str(ROOT), path=str(path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)  # fmt: skip
    if done.returncode:
        return (f"crashed: {done.stderr.strip().splitlines()[-1][:70]}", 0.0, 0)
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="feed-reader-"))
    feed = folder / "feed.xml"
    write_feed(feed, ITEMS)
    blowup = folder / "quadratic.xml"
    quadratic(blowup)
    cases = [(f"{ITEMS:,} items ({os.path.getsize(feed) / 1e6:.1f} MB)", feed),
             ("billion laughs", ROOT / "tests/fixtures/billion_laughs.xml"),
             ("external entity", ROOT / "tests/fixtures/external_entity.xml"),
             ("quadratic blow-up", blowup)]  # fmt: skip
    print(f"{'file':<26} {'reader':<11} {'outcome':<44} {'time':>8} {'peak RSS':>9}")
    for label, path in cases:
        for name, script in (("ours", OURS), ("feedparser", THEIRS)):
            outcome, seconds, peak = run(script, path)
            print(f"{label:<26} {name:<11} {outcome[:44]:<44} {seconds:>7.2f}s {peak:>6} MB")
    print(f"(measured {time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
