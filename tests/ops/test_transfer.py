"""Moving a site between databases loses nothing: SQLite -> PostgreSQL -> SQLite round trip."""

import filecmp
import hashlib
import json
import os
from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

import models
from media import store
from models import (
    Article,
    Attachment,
    AuditLog,
    Category,
    CategoryAlias,
    Document,
    Media,
    Page,
    Revision,
    User,
    db,
)
from ops import seed, transfer


def postgres_url() -> str | None:
    """A PostgreSQL server for the middle leg: TEST_DATABASE_URL, or TEST_POSTGRES_URL."""
    for name in ("TEST_DATABASE_URL", "TEST_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url and make_url(url).get_backend_name() == "postgresql":
            return url
    return None


@pytest.fixture
def site(make_app):
    """Make a site with its own instance folder: SQLite in the folder unless `url` is given."""

    def make(folder, url=None):
        folder.mkdir(parents=True, exist_ok=True)
        return make_app(folder, SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{folder / 'site.db'}")

    return make


def fill_every_table() -> None:
    """The demo site plus rows for the tables it leaves empty, with awkward values."""
    seed.seed_demo()
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    # A child created before its parent: the parent's id is the larger one.
    child = Category(name="Thôn Đồng Tâm", slug="thon-dong-tam", position=9)
    parent = Category(name="Các thôn", slug="cac-thon", position=8)
    db.session.add_all([child, parent])
    db.session.flush()
    child.parent_id = parent.id
    db.session.add(CategoryAlias(slug="thon-cu", category_id=parent.id))
    db.session.add(User(username="lan", display_name="Lê Thị Lan", role="author", active=False,
                        password_hash="scrypt:abc", last_login_at=models.utcnow()))  # fmt: skip
    pdf = Media(sha256="c" * 64, kind="file", stored_name="c" * 64 + ".pdf",
                mime_type="application/pdf", original_name="Kế hoạch số 5 – “đặc biệt”.pdf",
                bytes=10)  # fmt: skip
    store.write_atomically(store.storage_path(pdf.stored_name), b"%PDF-1.4 x")
    document = Document(number="5/KH-UBND", title="Kế hoạch\nhai dòng", issuer="UBND xã",
                        issued_on=date(2026, 1, 2), effective_on=date(2026, 1, 9))  # fmt: skip
    document.attachments.append(Attachment(media=pdf, title="Toàn văn"))
    article = db.session.scalar(Article.visible())
    article.attachments.append(Attachment(media=pdf, position=2))
    article.expire_at = models.utcnow() + timedelta(days=300, microseconds=123456)
    article.revisions.append(
        Revision(data={"title": article.title, "số": [1, 2.5, None, True]}, created_by=admin.id)
    )
    db.session.add_all([document, AuditLog(user_id=admin.id, username="admin", action="publish",
                                           object_type="article", object_id=article.id,
                                           detail="Đăng 'tin' <b>", ip="::1")])  # fmt: skip
    db.session.commit()


def export_from(app, folder) -> dict:
    with app.app_context():
        return transfer.export_data(str(folder))


def import_into(app, folder) -> dict:
    with app.app_context():
        return transfer.import_data(str(folder))


def table_files(folder) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (folder / "tables").iterdir()}


def assert_same_content(first, second) -> None:
    """Every row of every table byte for byte, and every media file."""
    assert table_files(first) == table_files(second)
    one, two = os.path.join(first, "media"), os.path.join(second, "media")
    walked = [sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root)
                     for f in fs) for root in (one, two)]  # fmt: skip
    assert walked[0] == walked[1] and walked[0]
    assert filecmp.cmpfiles(one, two, walked[0], shallow=False)[0] == walked[0]


def build_source() -> None:
    flask_migrate.upgrade()
    fill_every_table()


@pytest.fixture
def source(tmp_path, site, site_template):
    """A site made by the migrations with rows in every table: a copy of the session's."""
    app = site(tmp_path / "nguon")
    site_template("every-table", build_source).restore(app)
    return app


def test_sqlite_round_trip_loses_nothing(source, site, tmp_path):
    exported = export_from(source, tmp_path / "xuat-1")
    target = site(tmp_path / "dich")
    counts = import_into(target, tmp_path / "xuat-1")
    export_from(target, tmp_path / "xuat-2")

    # The demo's 16 documents (a draft among them) each carry a PDF; fill_every_table adds
    # two more attachments.
    assert counts["article"] == 45 and counts["attachment"] == 18
    assert {name: t["rows"] for name, t in exported["tables"].items()} == counts
    assert_same_content(tmp_path / "xuat-1", tmp_path / "xuat-2")
    with target.app_context():
        response = target.test_client().get("/chuyen-muc/thon-dong-tam")
        assert response.status_code == 200


def test_imported_articles_can_be_searched(source, site, tmp_path):
    export_from(source, tmp_path / "xuat")
    target = site(tmp_path / "dich")
    import_into(target, tmp_path / "xuat")
    with target.app_context():
        article = db.session.scalars(Article.visible()).first()
        typed = {"q": article.title}
        html = target.test_client().get("/tim-kiem", query_string=typed).get_data(as_text=True)
    assert f'href="/tin/{article.slug}-{article.id}"' in html


@pytest.fixture
def postgres(tmp_path, site, clear_database):
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL or TEST_POSTGRES_URL (CI does)")
    app = site(tmp_path / "pg", url)
    with app.app_context():
        clear_database(db.engine)
    yield app
    with app.app_context():
        db.session.remove()
        clear_database(db.engine)


def test_sqlite_to_postgresql_and_back_loses_nothing(source, postgres, site, tmp_path):
    export_from(source, tmp_path / "tu-sqlite")
    import_into(postgres, tmp_path / "tu-sqlite")
    export_from(postgres, tmp_path / "tu-postgresql")
    back = site(tmp_path / "lai-sqlite")
    import_into(back, tmp_path / "tu-postgresql")
    export_from(back, tmp_path / "ve-sqlite")

    assert_same_content(tmp_path / "tu-sqlite", tmp_path / "tu-postgresql")
    assert_same_content(tmp_path / "tu-sqlite", tmp_path / "ve-sqlite")


def test_postgresql_after_import_serves_pages_and_takes_new_rows(source, postgres, tmp_path):
    export_from(source, tmp_path / "xuat")
    import_into(postgres, tmp_path / "xuat")
    with postgres.app_context():
        client = postgres.test_client()
        article = db.session.scalar(Article.visible())
        assert client.get(f"/tin/{article.slug}-{article.id}").status_code == 200
        assert client.get("/healthz").get_data(as_text=True) == "ok"
        # New rows get fresh ids: the id counters moved past the imported ones.
        category = Category(name="Mới", slug="moi")
        db.session.add(Article(title="Tin mới trên PostgreSQL", slug="tin-moi", category=category))
        db.session.commit()
        others = db.session.scalars(select(Category.id).where(Category.slug != "moi")).all()
        assert category.id > max(others)


def test_import_refuses_a_database_that_already_has_content(source, tmp_path):
    export_from(source, tmp_path / "xuat")
    with source.app_context():
        result = source.test_cli_runner().invoke(args=["import", str(tmp_path / "xuat")])
    assert result.exit_code == 1
    assert "Cơ sở dữ liệu đích đã có dữ liệu" in result.output


def test_import_refuses_a_tampered_export_before_touching_the_database(source, site, tmp_path):
    export_from(source, tmp_path / "xuat")
    media_root = tmp_path / "xuat" / "media" / "originals"
    first = next(p for p in media_root.rglob("*") if p.is_file())
    first.write_bytes(b"changed")
    target = site(tmp_path / "dich")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["import", str(tmp_path / "xuat")])
        assert result.exit_code == 1
        assert "không khớp mã kiểm tra SHA-256" in result.output
        assert db.inspect(db.engine).get_table_names() == []


def test_import_refuses_a_folder_that_is_not_an_export(site, tmp_path):
    (tmp_path / "thu-muc").mkdir()
    target = site(tmp_path / "dich")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["import", str(tmp_path / "thu-muc")])
    assert result.exit_code == 1
    assert "không có manifest.json" in result.output


def test_export_refuses_a_folder_with_files_in_it(source, tmp_path):
    (tmp_path / "day").mkdir()
    (tmp_path / "day" / "tai-lieu.txt").write_text("giữ nguyên")
    with source.app_context():
        result = source.test_cli_runner().invoke(args=["export", str(tmp_path / "day")])
    assert result.exit_code == 1
    assert "không trống" in result.output
    assert os.listdir(tmp_path / "day") == ["tai-lieu.txt"]


def test_export_command_reports_what_it_wrote(source, tmp_path):
    with source.app_context():
        result = source.test_cli_runner().invoke(args=["export", str(tmp_path / "xuat")])
    assert result.exit_code == 0, result.output
    media_files = sum(len(files) for _, _, files in os.walk(source.config["MEDIA_ROOT"]))
    assert f"(45 tin bài) và {media_files} tệp" in result.output


# --- Exports made by someone else (issue 10, items 13 and 14) -------------------------------

HASH = "ab" + "0" * 62


def list_in_manifest(folder, name: str, data: bytes) -> None:
    """Add a media file to an export as a forger would: on disk where it can be, listed with
    the right size and sum."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["media"].append(
        {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    )
    (folder / "manifest.json").write_text(json.dumps(manifest))
    try:
        path = folder / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except (OSError, ValueError):
        pass  # a name this OS cannot hold: only the manifest carries it


FOREIGN_NAMES = [
    "D:evil.jpg",
    "D:/Windows/evil.jpg",
    "C:\\..\\..\\evil.jpg",
    "\\\\server\\share\\evil.jpg",
    "originals\\ab\\evil.jpg",
    "originals/../../evil.jpg",
    "/tmp/evil.jpg",
    "originals/ab/evil\x00.jpg",
    f"originals/AB/{HASH.upper()}.JPG",
    "ghi-chu.txt",
]


def test_attack_import_accepts_only_media_names_the_export_writes(source, site, tmp_path):
    export_from(source, tmp_path / "xuat")
    manifest = (tmp_path / "xuat" / "manifest.json").read_text()
    target = site(tmp_path / "dich")
    for name in FOREIGN_NAMES:
        (tmp_path / "xuat" / "manifest.json").write_text(manifest)
        list_in_manifest(tmp_path / "xuat", name, b"\xff\xd8 not from this site")
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["import", str(tmp_path / "xuat")])
            assert result.exit_code == 1, name
            assert "tên tệp không hợp lệ" in result.output, name
            assert db.inspect(db.engine).get_table_names() == []
        assert not os.listdir(target.config["MEDIA_ROOT"])


def test_attack_raw_html_bodies_are_cleaned_on_import(source, site, tmp_path):
    export_from(source, tmp_path / "xuat")
    raw = '<p>Tin lạ</p><script>alert("xã")</script><img src="x" onerror="alert(1)">'
    for table in ("article", "page"):
        path = tmp_path / "xuat" / "tables" / f"{table}.jsonl"
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        for row in rows:
            row["body"] = raw
            row["body_text"] = row.get("body_text") and "alert"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    target = site(tmp_path / "dich")

    import_into(target, tmp_path / "xuat")

    with target.app_context():
        article = db.session.scalar(Article.visible())
        page = db.session.scalar(select(Page))
        for body in (article.body, page.body):
            assert "Tin lạ" in body and "<script" not in body and "onerror" not in body
        assert article.body_text == "Tin lạ"
        html = target.test_client().get(f"/tin/{article.slug}-{article.id}").get_data(as_text=True)
        assert "Tin lạ" in html and 'alert("xã")' not in html and "onerror" not in html
