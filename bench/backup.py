"""Time backup and restore for the demo site and for a site with 10,000 articles.

Run: .venv/bin/python bench/backup.py   (bounded: about a minute on 2 cores, in a temp folder)
Also times export/import (moving databases); set BENCH_POSTGRES_URL=postgresql+psycopg://...
to time the import into an empty PostgreSQL database too.
"""

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import current_app  # noqa: E402
from sqlalchemy import MetaData, func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from models import Article, Revision, db  # noqa: E402
from ops import (
    backup,  # noqa: E402
    schema,  # noqa: E402
    seed,  # noqa: E402
    transfer,  # noqa: E402
)

BIG = 10_000
PHOTOS = 1_000


def make_site(folder: Path, url: str | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    return create_app(
        {
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder / 'bantin.db'}",
            "MEDIA_ROOT": str(folder / "media"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "LOG_DIR": "",
            "LOG_LEVEL": "WARNING",
        }
    )


def grow_to(total: int) -> None:
    """Copy the demo articles, each with one revision, until the site has `total` articles."""
    demo = db.session.scalars(select(Article)).all()
    have = len(demo)
    rows, revisions = [], []
    for number in range(have, total):
        model = demo[number % len(demo)]
        row = {c.name: getattr(model, c.key) for c in Article.__table__.columns if c.name != "id"}
        row.update(id=number + 1, title=f"{model.title} ({number})", slug=f"{model.slug}-{number}")
        rows.append(row)
        revisions.append({"article_id": number + 1, "data": {"title": row["title"],
                          "summary": row["summary"], "body": row["body"]}, "note": "",
                          "created_at": row["created_at"]})  # fmt: skip
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(Article), rows[start : start + 1000])
        db.session.execute(insert(Revision), revisions[start : start + 1000])
    db.session.commit()


def add_photos(count: int) -> None:
    """Copy the demo photos under new names until the media folder holds `count` more files."""
    root = Path(current_app.config["MEDIA_ROOT"]) / "originals"
    demo = sorted(root.rglob("*.jpg"))
    for number in range(count):
        # Named as media.store names files: an archive carries no other names.
        name = hashlib.sha256(f"bench photo {number}".encode()).hexdigest()
        target = root / name[:2] / f"{name}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(demo[number % len(demo)].read_bytes())


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def megabytes(path: str) -> float:
    return os.path.getsize(path) / 1024**2


def database_megabytes() -> float:
    """The live database's size, including what still sits in the WAL file."""
    pages = db.session.execute(text("PRAGMA page_count")).scalar()
    return pages * db.session.execute(text("PRAGMA page_size")).scalar() / 1024**2


def measure(label: str, folder: Path, articles: int | None, photos: int = 0) -> dict:
    site = make_site(folder / "site")
    with site.app_context():
        schema.upgrade()
        seed.seed_demo()
        if articles:
            grow_to(articles)
        add_photos(photos)
        count = db.session.scalar(select(func.count()).select_from(Article))
        archive, backup_s = timed(lambda: backup.create_backup(str(folder / "a.zip")))
        database_mb = database_megabytes()
    fresh = make_site(folder / "restored")
    with fresh.app_context():
        _, restore_s = timed(lambda: backup.restore_backup(archive.path))
        restored = db.session.scalar(select(func.count()).select_from(Article))
    assert restored == count, (restored, count)
    with site.app_context():
        _, export_s = timed(lambda: transfer.export_data(str(folder / "export")))
    target = make_site(folder / "imported", os.environ.get("BENCH_POSTGRES_URL"))
    with target.app_context():
        clear(target)
        _, import_s = timed(lambda: transfer.import_data(str(folder / "export")))
        kind = db.engine.url.get_backend_name()
        clear(target)
    return {
        "label": label, "articles": count, "files": len(archive.manifest["files"]) - 1,
        "database_mb": database_mb, "archive_mb": megabytes(archive.path),
        "backup_s": backup_s, "restore_s": restore_s, "export_s": export_s,
        "import_s": import_s, "import_into": kind,
    }  # fmt: skip


def clear(app) -> None:
    """Empty a PostgreSQL target (a SQLite target lives in the temporary folder)."""
    if db.engine.url.get_backend_name() == "postgresql":
        metadata = MetaData()
        metadata.reflect(db.engine)
        metadata.drop_all(db.engine)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bantin-bench-") as work:
        results = [
            measure("demo site", Path(work) / "demo", None),
            measure(f"{BIG:,} articles", Path(work) / "big", BIG),
            measure(f"{BIG:,} articles, +{PHOTOS:,} photos", Path(work) / "photos", BIG, PHOTOS),
        ]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), SQLite database")
    print("| site | articles | media files | database | archive | backup | restore "
          "| export | import |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['label']} | {r['articles']:,} | {r['files']} | {r['database_mb']:.1f} MB "
              f"| {r['archive_mb']:.1f} MB | {r['backup_s']:.2f} s | {r['restore_s']:.2f} s "
              f"| {r['export_s']:.2f} s | {r['import_s']:.2f} s ({r['import_into']}) |")


if __name__ == "__main__":
    main()
