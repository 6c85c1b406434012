"""Time `flask import-wordpress` on a generated export: 10,000 posts, 5,000 images.

Run: .venv/bin/python bench/import.py [POSTS] [IMAGES]   (in a temporary folder)

The export is written in the shape WordPress writes (CDATA bodies, <!--more-->, [caption]
around a resized copy of the photo, a featured image through _thumbnail_id, categories and
authors), and the uploads folder holds small generated JPEGs. The import runs as the operator
runs it, `flask --app app import-wordpress FILE --uploads DIR`, in its own process, so the
peak memory printed (ru_maxrss) is the import's alone. A second run shows the import adding
nothing; the target is under 5 minutes and 300 MB on 2 cores.
"""

import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live  # noqa: E402

POSTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
IMAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
SITE = "https://xa-cu.example"
WORDS = ("xã thôn người dân cán bộ đường làng mùa lúa nước sạch trường học trạm y tế hội "
         "nông dân phụ nữ thanh niên bê tông kênh mương cây giống vụ đông chương trình nông "
         "thôn mới lễ hội văn hóa gia đình an ninh trật tự họp bàn kế hoạch").split()  # fmt: skip
CATEGORIES = ("Tin tức", "Kinh tế", "Văn hóa – Xã hội", "Giáo dục", "Y tế", "Nông nghiệp",
              "Giao thông", "An ninh – Quốc phòng", "Thông báo", "Hoạt động đoàn thể")  # fmt: skip


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_uploads(folder: Path, count: int) -> None:
    """Small distinct JPEGs, as a commune's camera-phone photos look once WordPress shrank them."""
    rng = random.Random(7)
    for number in range(count):
        path = folder / f"{2015 + number % 10}" / f"{1 + number % 12:02d}" / f"anh-{number}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        colour = tuple(rng.randrange(256) for _ in range(3))
        image = Image.new("RGB", (800, 600), colour)
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 40, 760, 120 + number % 400), fill=(255 - colour[0], 200, 90))
        draw.text((60, 60), f"Ảnh số {number}", fill=(0, 0, 0))
        image.save(path, "JPEG", quality=85)


def attached_file(number: int) -> str:
    return f"{2015 + number % 10}/{1 + number % 12:02d}/anh-{number}.jpg"


def attachment_item(number: int) -> str:
    post_id = 100_000 + number
    return f"""<item><title><![CDATA[anh-{number}]]></title>
<wp:post_id>{post_id}</wp:post_id>
<wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/{attached_file(number)}]]></wp:attachment_url>
<excerpt:encoded><![CDATA[Chú thích ảnh số {number}]]></excerpt:encoded>
<wp:status><![CDATA[inherit]]></wp:status><wp:post_type><![CDATA[attachment]]></wp:post_type>
<wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[{attached_file(number)}]]></wp:meta_value></wp:postmeta>
</item>
"""


def post_item(number: int, rng: random.Random, images: int) -> str:
    image = number // 2 if number % 2 == 0 and number // 2 < images else None
    year, month, day = 2015 + number % 10, 1 + number % 12, 1 + number % 28
    name = f"bai-viet-so-{number}"
    paragraphs = [sentence(rng, 20) for _ in range(6)]
    body = paragraphs[0] + "\n<!--more-->\n" + "\n\n".join(paragraphs[1:3])
    meta = ""
    if image is not None:
        small = attached_file(image).replace(".jpg", "-300x225.jpg")
        body += (f'\n\n[caption id="attachment_{100_000 + image}" width="300"]<img src="{SITE}'
                 f'/wp-content/uploads/{small}" width="300" height="225" /> Chú thích ảnh '
                 f"số {image}[/caption]\n\n")  # fmt: skip
        meta = (f"<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>"
                f"<wp:meta_value><![CDATA[{100_000 + image}]]></wp:meta_value></wp:postmeta>")
    body += "\n\n".join(paragraphs[3:])
    category = CATEGORIES[number % len(CATEGORIES)]
    return f"""<item><title><![CDATA[{sentence(rng, 9)[:-1]} (số {number})]]></title>
<link>{SITE}/{year}/{month:02d}/{day:02d}/{name}/</link>
<dc:creator><![CDATA[bientap{number % 3}]]></dc:creator>
<guid isPermaLink="false">{SITE}/?p={number + 1}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{number + 1}</wp:post_id>
<wp:post_date><![CDATA[{year}-{month:02d}-{day:02d} 08:30:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{year}-{month:02d}-{day:02d} 01:30:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{name}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="c{number % len(CATEGORIES)}"><![CDATA[{category}]]></category>
{meta}
</item>
"""


def make_export(path: Path, posts: int, images: int) -> None:
    """Write the export item by item (attachments last, as WordPress often orders them)."""
    rng = random.Random(14)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                  f"<title>Xã Cũ</title><link>{SITE}</link>"
                  "<wp:wxr_version>1.2</wp:wxr_version>\n"
                  f"<wp:base_site_url>{SITE}</wp:base_site_url>\n")  # fmt: skip
        for number in range(3):
            out.write(f"<wp:author><wp:author_login><![CDATA[bientap{number}]]></wp:author_login>"
                      f"<wp:author_display_name><![CDATA[Biên tập viên {number}]]>"
                      "</wp:author_display_name></wp:author>\n")  # fmt: skip
        for number in range(posts):
            out.write(post_item(number, rng, images))
        for number in range(images):
            out.write(attachment_item(number))
        out.write("</channel>\n</rss>\n")


# The command in a process that reports its own peak resident size when it exits.
WRAPPER = (
    "import atexit, resource, sys\n"
    "usage = lambda: resource.getrusage(resource.RUSAGE_SELF)\n"
    "atexit.register(lambda: sys.stderr.write('MAXRSS %d CPU %.1f\\n' % ("
    "usage().ru_maxrss, usage().ru_utime + usage().ru_stime)))\n"
    "from flask.cli import main\n"
    "sys.argv = ['flask', *sys.argv[1:]]\n"
    "main()\n"
)


def timed_import(env: dict, export: Path, uploads: Path, *extra: str,
                 name: str = "import-wordpress"):  # fmt: skip
    """Run the import as the operator does; return wall seconds, CPU seconds, peak MB and its
    summary line. CPU time says what the import costs on a machine nothing else uses."""
    command = [sys.executable, "-c", WRAPPER, "--app", "app", name, str(export),
               "--uploads", str(uploads), *extra]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=live.ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    found = re.search(r"MAXRSS (\d+) CPU ([\d.]+)", done.stderr)
    peak, cpu = int(found[1]) / 1024, float(found[2])  # Linux counts ru_maxrss in KB
    summary = next(line for line in done.stdout.splitlines()
                   if line.startswith(("Đã nhập", "Chạy thử")))  # fmt: skip
    return seconds, cpu, peak, summary


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        started = time.perf_counter()
        make_uploads(folder / "uploads", IMAGES)
        make_export(folder / "export.xml", POSTS, IMAGES)
        size = os.path.getsize(folder / "export.xml") / 1024**2
        print(f"Generated {POSTS:,} posts, {IMAGES:,} images, export {size:.1f} MB in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        env = live.environment(folder)
        live.flask(env, "upgrade-db")
        export, uploads = folder / "export.xml", folder / "uploads"
        for label, extra in (("dry run", ("--dry-run",)), ("import", ()), ("second run", ())):
            seconds, cpu, peak, line = timed_import(env, export, uploads, *extra)
            print(f"{label + ':':11} {seconds:6.1f} s wall, {cpu:6.1f} s CPU, "
                  f"peak RSS {peak:4.0f} MB | {line}")  # fmt: skip
            if label == "import":
                print(f"throughput: {POSTS / seconds:.0f} posts/s and {IMAGES / seconds:.0f} "
                      f"images/s wall, {POSTS / cpu:.0f} posts/s per CPU second")  # fmt: skip
        print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
