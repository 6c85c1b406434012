"""Backups are made while the site serves and restore only what they verified."""

import hashlib
import json
import os
import shutil
import sqlite3
import threading
import zipfile
from contextlib import closing

import flask_migrate
import pytest
from desk import get_token
from sqlalchemy import func, select

from models import Article, AuditLog, Media, Page, Revision, db
from ops import backup


def build_stamped_schema() -> None:
    db.create_all()
    flask_migrate.stamp()


@pytest.fixture
def sqlite_site(make_app, site_template):
    """Make a SQLite site as production has it: its schema stamped with the newest migration."""
    template = site_template("stamped-schema", build_stamped_schema)

    def make(folder):
        app = make_app(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bantin.db'}")
        template.restore(app)
        return app

    return make


@pytest.fixture
def app(tmp_path, sqlite_site):
    """Backups are SQLite's: this module runs on SQLite even when the suite runs on PostgreSQL."""
    app = sqlite_site(tmp_path)
    with app.app_context():
        yield app


@pytest.fixture
def demo(app, demo_template):
    """The demo site: categories, pages, 45 articles, 18 pictures (a copy of the session's)."""
    demo_template.restore(app)
    return app


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def media_digests(app) -> dict[str, str]:
    root = app.config["MEDIA_ROOT"]
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def article_titles() -> list[str]:
    db.session.remove()
    return db.session.scalars(select(Article.title).order_by(Article.id)).all()


def destroy_site(app) -> None:
    """What a dead disk does: the database and every upload gone. The app, starting again,
    makes an empty media folder."""
    db.session.remove()
    db.engine.dispose()
    database = backup.sqlite_path()
    for path in (database, database + "-wal", database + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    shutil.rmtree(app.config["MEDIA_ROOT"])
    os.makedirs(app.config["MEDIA_ROOT"])


def test_backup_then_restore_after_losing_everything_gives_everything_back(demo, tmp_path):
    titles, pictures = article_titles(), media_digests(demo)
    result = run(demo, "backup", str(tmp_path / "sao-luu"))
    assert result.exit_code == 0, result.output
    assert "45 tin bài, 4 trang" in result.output
    assert f"{len(pictures)} tệp ảnh" in result.output
    [archive] = os.listdir(tmp_path / "sao-luu")

    destroy_site(demo)
    result = run(demo, "restore", str(tmp_path / "sao-luu" / archive), input="y\n")

    assert result.exit_code == 0, result.output
    assert "Đã khôi phục bản sao lưu" in result.output
    assert article_titles() == titles
    assert media_digests(demo) == pictures
    article = db.session.scalars(Article.visible().where(Article.image_id.isnot(None))).first()
    client = demo.test_client()
    page = client.get(f"/tin/{article.slug}-{article.id}")
    assert page.status_code == 200 and article.title in page.get_data(as_text=True)
    with client.get(f"/media/{article.image_id}-480.webp") as picture:
        assert picture.status_code == 200
    assert client.get("/healthz").get_data(as_text=True) == "ok"


def test_the_manifest_lists_version_schema_counts_and_a_checksum_for_every_file(demo, tmp_path):
    archive = backup.create_backup(str(tmp_path / "a.zip"))
    with zipfile.ZipFile(archive.path) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        names = set(opened.namelist())
        for item in manifest["files"]:
            assert hashlib.sha256(opened.read(item["path"])).hexdigest() == item["sha256"]
    assert manifest["app_version"] == "0.1.0"
    assert manifest["database"]["schema_revision"] == backup.schema.head_revision()
    assert manifest["database"]["counts"]["article"] == 45
    assert names == {"manifest.json", *(item["path"] for item in manifest["files"])}
    with demo.app_context():
        media_rows = db.session.scalar(select(func.count()).select_from(Media))
    assert sum(name.startswith("media/originals/") for name in names) == media_rows


def save_articles(app, category_id: int, stop: threading.Event, saved: list, errors: list):
    """An editor saving article after article: each save writes the article and its revision."""
    with app.app_context():
        while not stop.is_set():
            try:
                article = Article(
                    title=f"Tin lưu trong lúc sao lưu {len(saved)}", slug="tin",
                    category_id=category_id, status="draft",
                )  # fmt: skip
                article.revisions.append(Revision(data={"title": article.title}))
                db.session.add(article)
                db.session.commit()
                saved.append(article.id)
            except Exception as err:  # noqa: BLE001  (reported to the test, which fails)
                errors.append(err)
                return
        db.session.remove()


def test_a_backup_taken_while_an_editor_saves_restores_a_consistent_database(
    demo, sqlite_site, tmp_path
):
    category_id = db.session.scalar(select(Article.category_id))
    stop, saved, errors = threading.Event(), [], []
    editor = threading.Thread(target=save_articles, args=(demo, category_id, stop, saved, errors))
    editor.start()
    while len(saved) < 5:
        editor.join(0.01)
    saved_before = list(saved)
    archive = backup.create_backup(str(tmp_path / "during.zip"))
    saved_during = len(saved) - len(saved_before)
    stop.set()
    editor.join()

    assert errors == []  # no "database is locked" for the editor
    assert saved_during > 0, "the editor should have kept saving while the backup ran"
    restored = sqlite_site(tmp_path / "restored")
    with restored.app_context():
        result = run(restored, "restore", "--yes", archive.path)
        assert result.exit_code == 0, result.output
        articles = db.session.scalar(select(func.count()).select_from(Article))
        revisions = db.session.scalar(select(func.count()).select_from(Revision))
        lonely = db.session.scalar(
            select(func.count()).select_from(Article).where(~Article.revisions.any())
        )
        # The copy is one moment: each saved article came with its revision, none half-saved.
        assert articles == archive.counts["article"] >= 45 + len(saved_before)
        assert revisions == archive.counts["revision"] == articles - 45
        assert lonely == 45
        # Every save answered before the backup started is in the restored site.
        ids = db.session.scalars(select(Article.id).where(Article.id.in_(saved_before))).all()
        assert sorted(ids) == sorted(saved_before)
        db.session.remove()
        with closing(sqlite3.connect(backup.sqlite_path())) as restored_file:
            assert restored_file.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def archive_with(source: str, target: str, change) -> str:
    """Copy an archive, letting `change(name, data)` alter entries (None drops them)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
    return target


def flip_a_byte_in_the_database(path: str) -> None:
    with zipfile.ZipFile(path) as opened:
        info = opened.getinfo("database/bantin.db")
    with open(path, "r+b") as handle:
        handle.seek(info.header_offset + 30 + len(info.filename) + 200)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


def other_picture(name, data):
    return b"not the same picture" if name.startswith("media/") else data


def without_a_picture(name, data):
    return None if name.startswith("media/originals/") else data


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("flip", "đọc lỗi"),
        ("picture", "không khớp mã kiểm tra SHA-256"),
        ("missing", "thiếu tệp media/originals/"),
        ("truncated", "không phải tệp ZIP hợp lệ"),
    ],
)
def test_a_damaged_archive_is_refused_and_the_live_site_is_untouched(
    demo, tmp_path, make_article, damage, reason
):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    bad = str(tmp_path / "bad.zip")
    if damage == "flip":
        shutil.copy(good, bad)
        flip_a_byte_in_the_database(bad)
    elif damage == "picture":
        archive_with(good, bad, other_picture)
    elif damage == "missing":
        archive_with(good, bad, without_a_picture)
    else:
        with open(good, "rb") as source, open(bad, "wb") as target:
            target.write(source.read()[: os.path.getsize(good) // 2])
    make_article(title="Tin đăng sau bản sao lưu")
    titles, pictures = article_titles(), media_digests(demo)

    result = run(demo, "restore", "--yes", bad)

    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output
    assert article_titles() == titles and "Tin đăng sau bản sao lưu" in titles
    assert media_digests(demo) == pictures
    assert not [name for name in os.listdir(demo.instance_path) if name.startswith("replaced-")]


def test_an_archive_whose_database_is_corrupt_inside_is_refused(demo, tmp_path):
    good = backup.create_backup(str(tmp_path / "good.zip")).path

    def corrupt_database(name, data):
        if name == "database/bantin.db":
            return data[:4096] + b"\x00" * 4096 + data[8192:]
        if name == "manifest.json":
            manifest = json.loads(data)
            item = manifest["files"][0]
            changed = data_of(good, "database/bantin.db")
            changed = changed[:4096] + b"\x00" * 4096 + changed[8192:]
            item["sha256"] = hashlib.sha256(changed).hexdigest()
            return json.dumps(manifest).encode()
        return data

    bad = archive_with(good, str(tmp_path / "bad.zip"), corrupt_database)
    result = run(demo, "restore", "--yes", bad)
    assert result.exit_code == 1
    assert "bị hỏng" in result.output and "Dữ liệu hiện tại chưa bị thay đổi" in result.output


def data_of(archive: str, name: str) -> bytes:
    with zipfile.ZipFile(archive) as opened:
        return opened.read(name)


def foreign_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("anh-cuoi.jpg", b"\xff\xd8 holiday pictures")
    return path


def other_software_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "wordpress-export"}))
    return path


def plain_text(path):
    path.write_text("Đây là một tệp văn bản.")
    return path


@pytest.mark.parametrize("make", [foreign_zip, other_software_zip, plain_text])
def test_a_foreign_file_is_refused_with_a_clear_message(demo, tmp_path, make):
    titles = article_titles()
    result = run(demo, "restore", "--yes", str(make(tmp_path / "la.zip")))
    assert result.exit_code == 1
    assert "la.zip không phải là bản sao lưu của Bantin" in result.output
    assert article_titles() == titles


def test_an_archive_from_a_newer_bantin_is_refused(demo, tmp_path):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    database = tmp_path / "newer.db"
    database.write_bytes(data_of(good, "database/bantin.db"))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'fedcba987654'")
    connection.close()

    def newer(name, data):
        if name == "database/bantin.db":
            return database.read_bytes()
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["schema_revision"] = "fedcba987654"
            manifest["files"][0]["sha256"] = hashlib.sha256(database.read_bytes()).hexdigest()
            manifest["files"][0]["bytes"] = database.stat().st_size
            return json.dumps(manifest).encode()
        return data

    result = run(demo, "restore", "--yes", archive_with(good, str(tmp_path / "new.zip"), newer))
    assert result.exit_code == 1
    assert "do một phiên bản Bantin mới hơn tạo ra" in result.output


def test_restore_keeps_the_replaced_data_aside(demo, tmp_path, make_article):
    archive = backup.create_backup(str(tmp_path / "a.zip")).path
    make_article(title="Tin chỉ có sau bản sao lưu")

    result = run(demo, "restore", "--yes", archive)

    assert result.exit_code == 0, result.output
    assert "Tin chỉ có sau bản sao lưu" not in article_titles()
    [aside] = [n for n in os.listdir(demo.instance_path) if n.startswith("replaced-")]
    assert f"Dữ liệu bị thay thế được giữ ở {os.path.join(demo.instance_path, aside)}" in (
        result.output
    )
    with sqlite3.connect(os.path.join(demo.instance_path, aside, "bantin.db")) as kept:
        titles = [title for (title,) in kept.execute("SELECT title FROM article")]
    kept.close()
    assert "Tin chỉ có sau bản sao lưu" in titles
    assert len(os.listdir(os.path.join(demo.instance_path, aside, "media", "originals"))) > 0


def test_restore_repairs_a_database_file_that_is_no_longer_a_database(demo, tmp_path):
    archive = backup.create_backup(str(tmp_path / "a.zip")).path
    titles = article_titles()
    db.session.remove()
    db.engine.dispose()
    with open(backup.sqlite_path(), "wb") as ruined:
        ruined.write(b"disk error " * 1000)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(backup.sqlite_path() + suffix):
            os.remove(backup.sqlite_path() + suffix)

    result = run(demo, "restore", "--yes", archive)

    assert result.exit_code == 0, result.output
    assert article_titles() == titles


def test_restore_asks_before_replacing_anything(demo, tmp_path, make_article):
    archive = backup.create_backup(str(tmp_path / "a.zip")).path
    make_article(title="Tin mới nhất")
    result = run(demo, "restore", archive, input="n\n")
    assert result.exit_code == 1
    assert "Tin mới nhất" in article_titles()


def test_keep_rotates_old_archives_and_nothing_else(demo, tmp_path, clock):
    folder = tmp_path / "hang-ngay"
    folder.mkdir()
    (folder / "ghi-chu.txt").write_text("Không xóa tệp này")
    made = []
    for _day in range(4):
        result = run(demo, "backup", str(folder), "--keep", "2")
        assert result.exit_code == 0, result.output
        made.append(result.output.split("Đã sao lưu vào ")[1].split(" (")[0])
        clock.advance(days=1)
    left = sorted(os.listdir(folder))
    assert left == sorted([os.path.basename(made[2]), os.path.basename(made[3]), "ghi-chu.txt"])
    assert f"Đã xóa bản cũ: {made[1]}" in result.output


def test_without_a_file_the_backup_goes_to_the_instance_backups_folder(demo):
    result = run(demo, "backup")
    assert result.exit_code == 0, result.output
    [name] = os.listdir(os.path.join(demo.instance_path, "backups"))
    assert backup.ARCHIVE_NAME.match(name)


def test_on_postgresql_backup_says_to_use_pg_dump_instead(tmp_path, make_app):
    url = "postgresql+psycopg://bantin@db.xa.local:5432/bantin"
    app = make_app(tmp_path / "pg", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://bantin@db.xa.local:5432/bantin" in result.output
    assert "pg_restore" in result.output
    assert not os.path.exists(os.path.join(app.instance_path, "backups"))


# --- The desk -------------------------------------------------------------------------------


def test_an_admin_downloads_a_fresh_backup_from_the_desk(demo, client, auth):
    auth.login(role="admin", username="quantri")
    page = client.get("/admin/backups")
    assert page.status_code == 200
    assert "Tạo và tải bản sao lưu mới" in page.get_data(as_text=True)

    response = client.post("/admin/backups", buffered=True)

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment; filename=bantin-backup-" in response.headers["Content-Disposition"]
    path = os.path.join(demo.instance_path, "backups", "download.zip")
    with open(path, "wb") as saved:
        saved.write(response.get_data())
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("manifest.json"))["database"]["counts"]["article"] == 45
    os.remove(path)
    listed = client.get("/admin/backups").get_data(as_text=True)
    name = response.headers["Content-Disposition"].split("filename=")[1]
    assert name in listed
    with client.get(f"/admin/backups/{name}") as again:
        assert again.status_code == 200 and again.get_data() == response.get_data()
    logged = db.session.scalars(select(AuditLog).where(AuditLog.action == "backup")).all()
    assert [(entry.username, entry.detail) for entry in logged] == [("quantri", name)]


@pytest.mark.parametrize("role", ["editor", "author"])
def test_only_admins_reach_backups(client, auth, role):
    auth.login(role=role)
    assert client.get("/admin/backups").status_code == 403
    assert client.post("/admin/backups").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/admin/backups")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize("name", ["..%2Fbantin.db", "bantin.db", "bantin-backup-1.zip"])
def test_only_listed_archive_names_can_be_downloaded(client, auth, name):
    auth.login(role="admin")
    assert client.get(f"/admin/backups/{name}").status_code == 404


def test_a_backup_post_without_csrf_token_makes_nothing(sqlite_site, demo_template, tmp_path):
    app = sqlite_site(tmp_path / "csrf")
    app.config["WTF_CSRF_ENABLED"] = True
    password = demo_template.restore(app)
    with app.app_context():
        client = app.test_client()
        token = get_token(client, "/admin/login")
        login = {"username": "admin", "password": password, "csrf_token": token}
        assert client.post("/admin/login", data=login).status_code == 302
        assert client.get("/admin/backups").status_code == 200
        response = client.post("/admin/backups")
        assert response.status_code == 400
        assert not os.path.exists(os.path.join(app.instance_path, "backups"))


# --- Archives made by someone else (issue 10, items 13 and 14) ------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def forged(good: str, target, replace: dict, declared: dict | None = None) -> str:
    """Copy an archive with entries replaced or added, its manifest listing them as a forger
    would: right sums, counts of the forged database, sizes from `declared` where given."""
    with zipfile.ZipFile(good) as old:
        manifest = json.loads(old.read("manifest.json"))
        entries = {name: old.read(name) for name in old.namelist() if name != "manifest.json"}
    entries.update(replace)
    declared = declared or {}
    manifest["files"] = [
        {"path": name, "bytes": declared.get(name, len(data)), "sha256": sha256(data)}
        for name, data in entries.items()
    ]
    if "database/bantin.db" in replace:
        copy = target.parent / "forged.db"
        copy.write_bytes(replace["database/bantin.db"])
        manifest["database"]["counts"] = backup.database_facts(str(copy))[1]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in entries.items():
            new.writestr(name, data)
        new.writestr("manifest.json", json.dumps(manifest))
    return str(target)


def refused_and_untouched(app, archive: str, reason: str) -> None:
    titles, pictures = article_titles(), media_digests(app)
    result = run(app, "restore", "--yes", archive)
    assert result.exit_code == 1, result.output
    assert reason in result.output and "Traceback" not in result.output
    assert article_titles() == titles and media_digests(app) == pictures
    assert not [name for name in os.listdir(app.instance_path) if name.startswith("replaced-")]


HASH = "ab" + "0" * 62


FOREIGN_NAMES = [
    "media/D:evil.jpg",
    "media/D:/Windows/evil.jpg",
    "media/C:\\..\\..\\evil.jpg",
    "media/\\\\server\\share\\evil.jpg",
    "media/originals\\ab\\evil.jpg",
    "media/originals/../../../evil.jpg",
    "/etc/evil.jpg",
    "media//etc/evil.jpg",
    "media/originals/ab/evil\x00.jpg",
    f"media/originals/AB/{HASH.upper()}.JPG",
    f"media/originals/cd/{HASH}.jpg",
    "media/ghi-chu.txt",
    "database/other.db",
]


def test_attack_restore_accepts_only_entry_names_the_backup_writes(demo, tmp_path):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    for number, entry in enumerate(FOREIGN_NAMES):
        bad = forged(good, tmp_path / f"bad-{number}.zip", {entry: b"\xff\xd8 not from us"})
        refused_and_untouched(demo, bad, "tên tệp không hợp lệ")


def test_attack_names_that_differ_only_by_case_are_refused(demo, tmp_path):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    with zipfile.ZipFile(good) as opened:
        picture = next(n for n in opened.namelist() if n.startswith("media/originals/"))
    twin = "media/" + picture.removeprefix("media/").upper()
    bad = forged(good, tmp_path / "bad.zip", {twin: b"the other twin, which wins on Windows"})
    refused_and_untouched(demo, bad, "tên tệp không hợp lệ")


class CountedWrites:
    """A file opened for writing whose bytes are added up by path."""

    def __init__(self, handle, written: dict, path: str):
        self.handle, self.written, self.path = handle, written, path
        written.setdefault(path, 0)

    def write(self, data):
        self.written[self.path] = self.written.get(self.path, 0) + len(data)
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)


@pytest.fixture
def written(monkeypatch, demo) -> dict[str, int]:
    """Bytes written to each file under the instance folder, through open()."""
    real_open, counts = open, {}

    def counting_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        path = os.path.abspath(os.fspath(file)) if isinstance(file, str | os.PathLike) else ""
        if "w" in mode and path.startswith(demo.instance_path):
            return CountedWrites(handle, counts, path)
        return handle

    monkeypatch.setattr("builtins.open", counting_open)
    return counts


def test_attack_an_entry_larger_than_declared_is_never_written_out(demo, tmp_path, written):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    entry = f"media/originals/ab/{HASH}.jpg"
    # 32 MB that deflate squeezes into a few dozen KB: a small upload that fills the disk.
    bad = forged(good, tmp_path / "bad.zip", {entry: b"\0" * (32 << 20)}, declared={entry: 10})

    refused_and_untouched(demo, bad, "lớn hơn kích thước ghi trong manifest.json")

    sizes = [size for path, size in written.items() if HASH in path]
    assert sizes and max(sizes) <= 10


def database_with(good: str, tmp_path, *statements: str) -> bytes:
    """The archive's database after running `statements` on it."""
    path = tmp_path / "changed.db"
    path.write_bytes(data_of(good, "database/bantin.db"))
    with closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("statement", "name"),
    [
        (
            "CREATE TRIGGER lam_quan_tri AFTER UPDATE ON article BEGIN "
            "UPDATE user SET role = 'admin' WHERE username = 'tacgia'; END",
            "trigger lam_quan_tri",
        ),
        ("CREATE VIEW tin_an AS SELECT title FROM article", "view tin_an"),
        ("CREATE TABLE ghi_chu (noi_dung TEXT)", "table ghi_chu"),
        ("CREATE INDEX ix_la ON article (title)", "index ix_la"),
    ],
)
def test_attack_schema_objects_bantin_never_makes_are_refused(demo, tmp_path, statement, name):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    database = database_with(good, tmp_path, statement)
    bad = forged(good, tmp_path / "bad.zip", {"database/bantin.db": database})
    refused_and_untouched(demo, bad, f"đối tượng ngoài lược đồ của Bantin ({name})")


RAW_BODY = '<p>Tin lạ</p><script>alert("xã")</script><img src="x" onerror="alert(1)">'


def test_attack_raw_html_bodies_are_cleaned_on_restore(demo, tmp_path):
    good = backup.create_backup(str(tmp_path / "good.zip")).path
    database = database_with(
        good, tmp_path,
        f"UPDATE article SET body = '{RAW_BODY}', body_text = 'alert' WHERE status = 'published'",
        f"UPDATE page SET body = '{RAW_BODY}'",
    )  # fmt: skip
    bad = forged(good, tmp_path / "bad.zip", {"database/bantin.db": database})

    result = run(demo, "restore", "--yes", bad)

    assert result.exit_code == 0, result.output
    db.session.remove()
    article = db.session.scalar(Article.visible())
    page = db.session.scalar(select(Page))
    for body in (article.body, page.body):
        assert "Tin lạ" in body and "<script" not in body and "onerror" not in body
    assert article.body_text == "Tin lạ"
    html = demo.test_client().get(f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
    assert "Tin lạ" in html and 'alert("xã")' not in html and "onerror" not in html
