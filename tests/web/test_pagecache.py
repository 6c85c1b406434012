"""The page cache: a public page is rendered once and served again until what it shows
changes, in this process and in every other process of the site."""

import subprocess
import sys
import textwrap
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from desk import article_data
from flask import g
from sqlalchemy import event, text

from models import Article, Category, Setting, db
from web import pagecache
from web.served import Served
from web.stamps import STAMP_SIZE, stamp_at

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queries(app):
    """Count the SQL statements the app runs: a page served from the cache runs none."""
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def cache_of(app) -> pagecache.PageCache:
    layer = app.wsgi_app
    while not isinstance(layer, pagecache.PageCache):
        layer = layer.wsgi_app
    return layer


def page(client, path: str, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def next_request() -> None:
    """Forget what this test's long-lived app context holds, as each real request does."""
    db.session.expire_all()
    g.pop("site", None)
    g.pop("menu", None)


def article_path(article: Article) -> str:
    return f"/tin/{article.slug}-{article.id}"


def test_a_page_is_rendered_once_then_served_without_queries(client, make_article, queries):
    article = make_article(title="Khai giảng năm học mới")
    first = page(client, article_path(article))
    assert queries, "the first visit renders the page"
    queries.clear()
    again = page(client, article_path(article))
    assert again == first and "Khai giảng năm học mới" in again
    assert queries == []


def test_a_revalidation_is_answered_from_the_cache(client, make_article, queries):
    article = make_article()
    etag = client.get(article_path(article)).headers["ETag"]
    queries.clear()
    response = client.get(article_path(article), headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag
    assert queries == []


def test_a_head_request_is_answered_from_the_cache(client, make_article, queries):
    article = make_article()
    body = client.get(article_path(article)).data
    queries.clear()
    response = client.head(article_path(article))
    assert response.status_code == 200 and response.data == b""
    assert int(response.headers["Content-Length"]) == len(body)
    assert queries == []


def test_an_edit_shows_at_once(client, make_article):
    article = make_article(title="Tiêu đề cũ")
    assert "Tiêu đề cũ" in page(client, "/")
    article.title = "Tiêu đề mới"
    db.session.commit()
    home = page(client, "/")
    assert "Tiêu đề mới" in home and "Tiêu đề cũ" not in home


def test_an_editors_save_through_the_desk_shows_at_once(app, auth, make_article):
    """The reader's browser and the editor's are different clients: no stale page after Lưu."""
    article = make_article(title="Lịch tiếp dân tháng Năm")
    reader = app.test_client()
    path = article_path(article)
    assert "Lịch tiếp dân tháng Năm" in page(reader, path)
    auth.login("editor")
    form = article_data(article.category_id, title="Lịch tiếp dân tháng Sáu",
                        slug=article.slug, version=str(article.version), action="update")
    assert auth.client.post(f"/admin/articles/{article.id}/edit", data=form).status_code == 302
    next_request()
    html = page(reader, path)
    assert "Lịch tiếp dân tháng Sáu" in html and "tháng Năm" not in html


def test_unpublishing_hides_the_article_and_publishing_shows_it(client, make_article):
    article = make_article(title="Bài sẽ gỡ")
    path = article_path(article)
    page(client, path)
    article.status = "draft"
    db.session.commit()
    assert client.get(path).status_code == 404
    assert "Bài sẽ gỡ" not in page(client, "/")
    article.status = "published"
    db.session.commit()
    assert "Bài sẽ gỡ" in page(client, path)


def test_a_category_rename_reaches_every_page(client, make_article):
    article = make_article()
    page(client, article_path(article))
    category = db.session.get(Category, article.category_id)
    category.name = "Thời sự xã"
    db.session.commit()
    assert "Thời sự xã" in page(client, article_path(article))


def test_a_setting_change_reaches_every_page(client, make_article):
    article = make_article()
    page(client, article_path(article))
    Setting.put("site_name", "Cổng thông tin xã Tân Lập")
    db.session.commit()
    next_request()
    assert "Cổng thông tin xã Tân Lập" in page(client, article_path(article))


def test_a_write_in_plain_sql_also_counts(client, make_article):
    article = make_article(title="Trước khi sửa")
    path = article_path(article)
    page(client, path)
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE article SET title = 'Sửa bằng SQL' WHERE id = :id"), {"id": article.id}
        )
    next_request()
    assert "Sửa bằng SQL" in page(client, path)


def test_a_search_leaves_the_cache_warm(client, make_article, queries):
    path = article_path(make_article(title="Họp dân thôn Nà Ràng"))
    page(client, path)
    page(client, "/tim-kiem?q=hop+dan")
    queries.clear()
    page(client, path)
    page(client, "/tim-kiem?q=hop+dan")
    assert queries == [], "searching reads only: it must not make every page stale"


def test_writes_readers_never_see_leave_the_cache_warm(client, make_article, queries):
    path = article_path(make_article())
    page(client, path)
    client.post("/admin/login", data={"username": "khong-co", "password": "sai"})
    queries.clear()
    page(client, path)
    assert queries == [], "a failed sign-in (login_attempt, audit_log) changes no page"


def test_a_scheduled_article_appears_on_time(client, clock, make_article):
    make_article(title="Tin đã đăng")
    make_article(title="Tin hẹn giờ", publish_at=clock.now + timedelta(minutes=30))
    assert "Tin hẹn giờ" not in page(client, "/")
    clock.advance(minutes=31)
    assert "Tin hẹn giờ" in page(client, "/")


def test_an_expiring_article_disappears_on_time(client, clock, make_article):
    make_article(title="Thông báo có hạn", expire_at=clock.now + timedelta(minutes=10))
    assert "Thông báo có hạn" in page(client, "/")
    clock.advance(minutes=11)
    assert "Thông báo có hạn" not in page(client, "/")


def test_the_header_date_turns_at_local_midnight(client, clock, make_article):
    make_article()
    clock.now = clock.now.replace(hour=16, minute=59)  # 23:59 in Hà Nội, 14/05/2026
    assert "14/05/2026" in page(client, "/")
    clock.advance(minutes=2)
    assert "15/05/2026" in page(client, "/")


def test_signed_in_staff_always_get_a_fresh_render(client, auth, make_article, queries):
    article = make_article()
    page(client, article_path(article))
    auth.login("editor")
    queries.clear()
    page(client, article_path(article))
    assert queries, "a request carrying a session is never answered from the cache"


def test_the_data_saving_variant_is_kept_apart(client, make_article):
    article = make_article(body='<p>Ảnh:</p><img src="/media/1-960.jpg" alt="x">')
    normal = page(client, article_path(article))
    saving = page(client, article_path(article), **{"Save-Data": "on"})
    assert "tiết kiệm dữ liệu" in saving.lower()
    assert page(client, article_path(article)) == normal
    client.set_cookie("tiet_kiem_du_lieu", "1", domain="localhost")
    assert page(client, article_path(article)) == saving


def test_each_encoding_is_kept_apart(client, make_article):
    article = make_article(body="<p>" + "Nội dung dài. " * 200 + "</p>")
    plain = client.get(article_path(article), headers={"Accept-Encoding": "identity"})
    gzipped = client.get(article_path(article), headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert gzipped.headers["Content-Encoding"] == "gzip"
    again = client.get(article_path(article), headers={"Accept-Encoding": "identity"})
    assert again.data == plain.data


def test_attack_parts_holding_a_nul_never_share_a_variant():
    """The key joins its parts with NUL: a path's %00 or a header holding a NUL must never make
    two different requests one variant (the second would be answered with the first's page)."""
    plain = {"REQUEST_METHOD": "GET", "HTTP_HOST": "xa.gov.vn", "PATH_INFO": "/tin/a-1",
             "HTTP_ACCEPT_ENCODING": "gzip"}
    shifted = [
        dict(plain, PATH_INFO="/tin/a-1\0x", QUERY_STRING=""),
        dict(plain, PATH_INFO="/tin/a-1", QUERY_STRING="x\0"),
        dict(plain, HTTP_ACCEPT_ENCODING="gzip\0on", HTTP_SAVE_DATA=""),
        dict(plain, HTTP_ACCEPT_ENCODING="gzip", HTTP_SAVE_DATA="\0on"),
    ]
    keys = [pagecache.cache_key(environ) for environ in shifted]
    assert keys == [None] * len(shifted), "a request holding a NUL is rendered, never kept"
    assert pagecache.cache_key(plain) is not None
    assert pagecache.cache_key(plain) != pagecache.cache_key(dict(plain, QUERY_STRING="x"))


def test_memory_stays_within_its_bound(app, client, make_article):
    cache = cache_of(app)
    cache.entries.max_bytes = 60_000
    articles = [make_article(body="<p>" + "chữ " * 300 + "</p>") for _ in range(30)]
    for article in articles:
        page(client, article_path(article))
    assert 0 < cache.entries.bytes <= 60_000
    assert len(cache.entries.items) < len(articles), "the least recently used pages went first"


def test_the_cache_can_be_turned_off(make_app, tmp_path):
    app = make_app(tmp_path / "nocache", PAGE_CACHE_MAX_BYTES=0)
    assert not any(
        isinstance(layer, pagecache.PageCache) for layer in wsgi_layers(app.wsgi_app)
    )


def wsgi_layers(layer):
    while layer is not None:
        yield layer
        layer = getattr(layer, "wsgi_app", None)


CHANGE_IN_ANOTHER_PROCESS = """
import sys
sys.path.insert(0, {root!r})
from app import create_app
from models import Article, db
app = create_app({config!r})
with app.app_context():
    article = db.session.get(Article, {article_id})
    article.title = "Sửa từ tiến trình khác"
    db.session.commit()
"""


def test_a_change_made_by_another_process_shows_at_once(app, client, make_article):
    """Two server processes share the instance folder: a save in one is seen by the other."""
    article = make_article(title="Bản trước")
    assert "Bản trước" in page(client, article_path(article))
    keys = ("TESTING", "SECRET_KEY", "INSTANCE_PATH", "SQLALCHEMY_DATABASE_URI", "MEDIA_ROOT",
            "PASSWORD_HASH_METHOD")
    config = {key: app.config[key] for key in keys}
    script = CHANGE_IN_ANOTHER_PROCESS.format(root=str(ROOT), config=config, article_id=article.id)
    subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=True, timeout=60)
    db.session.expire_all()
    html = page(client, article_path(article))
    assert "Sửa từ tiến trình khác" in html and "Bản trước" not in html


def test_a_communes_record_reads_its_stamp_where_it_lies_and_sees_each_bump(tmp_path):
    """A hit reads the stamp of a site on SQLite straight from the shared table, through the
    record the request carries (web.served): it must read the very value a bump writes."""
    stamp = stamp_at(str(tmp_path / pagecache.STAMP_FILE))
    validity = pagecache.SiteStamp(stamp, f"sqlite:///{tmp_path / 'bantin.db'}")
    record = Served(lambda *_: [], validity)
    assert record.stamps is not None
    direct = bytes(record.stamps[record.at : record.at + STAMP_SIZE])
    assert direct == validity.read({}) == stamp.read()
    stamp.bump()
    assert bytes(record.stamps[record.at : record.at + STAMP_SIZE]) == stamp.read() != direct


def test_a_site_on_postgresql_is_asked_through_its_validity(tmp_path):
    """Another server's change reaches a PostgreSQL site's stamp by notification: a hit must
    ask the validity, which waits for them, not read the stamp on its own."""
    stamp = stamp_at(str(tmp_path / pagecache.STAMP_FILE))
    validity = pagecache.SiteStamp(stamp, "postgresql+psycopg://bantin@db.invalid/xa")
    assert Served(lambda *_: [], validity).stamps is None


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("SELECT * FROM article", False),
        ("PRAGMA journal_mode", False),
        ("UPDATE article SET title = ?", True),
        ('INSERT INTO "setting" (key, value) VALUES (?, ?)', True),
        ("INSERT INTO audit_log (action) VALUES (?)", False),
        ("DELETE FROM login_attempt WHERE created_at <= ?", False),
        ("INSERT INTO revision (data) VALUES (?)", False),
        ("UPDATE sign_in SET last_seen_at = ? WHERE sign_in.id = ?", False),
        ("DELETE FROM article_fts WHERE rowid = ?", True),
        ("CREATE TABLE extra (id INTEGER)", True),
        ("WITH x AS (SELECT 1) UPDATE article SET featured = 1", True),
        ("WITH m AS MATERIALIZED (SELECT rowid FROM article_fts) SELECT m.rowid, updated_at",
         False),
    ],
)
def test_which_statements_count_as_changes(statement, changes):
    assert pagecache.changes_pages(statement) is changes


def test_a_page_asked_for_again_outlives_pages_nobody_asked_for():
    """Past its bound the store lets go pages not asked for since its sweep last passed them,
    not the one readers keep asking for, nor the one it has just kept."""
    body = bytes(1_000)

    def entry() -> pagecache.Entry:
        return pagecache.Entry(b"stamp", 1e12, "200 OK", (), body, "")

    store = pagecache.Entries(1)
    store.max_bytes = pagecache.footprint("/a", entry()) * 3 + 10
    for key in ("/a", "/b", "/c"):
        store.put(key, entry())
    assert store.get("/a") is not None
    store.put("/d", entry())
    assert set(store.items) == {"/a", "/c", "/d"}
    store.get("/c")
    store.get("/d")
    store.put("/e", entry())
    assert set(store.items) == {"/c", "/d", "/e"}, "/a was passed by the sweep since its read"


def test_the_store_holds_no_more_memory_than_its_bound():
    """PAGE_CACHE_MAX_BYTES bounds what the entries really hold in the process, Python's
    objects around the bodies included (counting bodies and header strings only, a full
    store held about 1.2 times its bound)."""
    bound = 1_000_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        store = pagecache.Entries(bound)
        for number in range(1_500):
            key = f"http\0\0xa.gov.vn\0/tin/bai-{number}\0\0gzip, br\0\0\0"
            headers = [("Content-Type", "text/html; charset=utf-8"),
                       ("Content-Length", str(3_000 + number)),
                       ("ETag", f'W/"{number:020d}"'), ("Vary", "Accept-Encoding, Cookie")]
            body = bytes(3_000 + number % 500)
            store.put(key, pagecache.Entry(b"stamp", 1e12, "200 OK", headers, body, str(number)))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert store.bytes <= bound and len(store.items) > 150
    assert held <= bound * 1.03
