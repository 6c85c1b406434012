"""Visit counts (web/visits.py): views of each article per day, counted on the server without
cookies or personal data, those the page cache answers included, written in the background."""

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

import models
from models import ArticleView, Setting, db
from web import pagecache, visits
from web.served import Served


def views(article_id: int) -> int:
    return db.session.scalar(ArticleView.total(article_id))


def page_cache(app) -> pagecache.PageCache:
    """The page cache among the app's WSGI layers (the counter is in front of it)."""
    layer = app.wsgi_app
    while not isinstance(layer, pagecache.PageCache):
        layer = layer.wsgi_app
    return layer


def flush(app) -> int:
    return app.extensions["visits"].flush()


def test_views_the_page_cache_answers_count_too(app, client, make_article):
    article = make_article(title="Tin được đọc")
    url = f"/tin/{article.slug}-{article.id}"
    cache = page_cache(app)
    before = cache.hits
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert cache.hits - before == 2  # rendered once, then answered from the cache
    assert flush(app) == 3
    assert views(article.id) == 3


def test_a_revalidation_counts_and_other_answers_do_not(app, client, make_article):
    article = make_article(title="Tin xem lại")
    url = f"/tin/{article.slug}-{article.id}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    client.head(url)
    client.get(f"/tin/{article.slug}-999999")  # a 404
    client.get(url, headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    client.get(url, headers={"User-Agent": "facebookexternalhit/1.1"})
    flush(app)
    assert views(article.id) == 2


def test_counting_keeps_nothing_about_the_reader(app, client, make_article):
    article = make_article(title="Tin riêng tư")
    answer = client.get(f"/tin/{article.slug}-{article.id}",
                        environ_base={"REMOTE_ADDR": "203.0.113.9"})  # fmt: skip
    assert "Set-Cookie" not in answer.headers
    flush(app)
    rows = db.session.execute(select(ArticleView)).scalars().all()
    assert [(r.article_id, r.count) for r in rows] == [(article.id, 1)]
    assert set(ArticleView.__table__.columns.keys()) == {"article_id", "day", "count"}


def test_counts_of_several_processes_add_up(app, make_article):
    article = make_article(title="Tin hai tiến trình")
    day = visits.today()
    with app.app_context():
        visits.write({(article.id, day): 4})
        visits.write({(article.id, day): 3, (article.id, day - timedelta(days=1)): 2})
    assert views(article.id) == 9


def test_a_deleted_articles_views_are_dropped_not_failed(app, make_article):
    article = make_article(title="Tin sẽ xóa")
    gone = article.id
    db.session.delete(article)
    db.session.commit()
    with app.app_context():
        assert visits.write({(gone, visits.today()): 5}) == 0
    assert db.session.scalar(select(func.count()).select_from(ArticleView)) == 0


def test_counting_leaves_cached_pages_valid(app, client, make_article):
    article = make_article(title="Tin đếm không làm mất trang")
    url = f"/tin/{article.slug}-{article.id}"
    client.get(url)
    flush(app)
    cache = page_cache(app)
    before = cache.hits
    client.get(url)
    assert cache.hits == before + 1


def test_the_site_may_show_lượt_xem_under_each_article(app, client, make_article):
    article = make_article(title="Tin có lượt xem")
    url = f"/tin/{article.slug}-{article.id}"
    with app.app_context():
        visits.write({(article.id, visits.today()): 1234})
    assert "Lượt xem" not in client.get(url).get_data(as_text=True)
    Setting.put("show_views", "1")
    db.session.commit()
    assert "Lượt xem: 1.234" in client.get(url).get_data(as_text=True)


def test_the_desk_lists_the_most_read_articles(app, client, auth, make_article):
    read, unread = make_article(title="Tin đọc nhiều"), make_article(title="Tin ít đọc")
    old = make_article(title="Tin đọc nhiều tháng trước")
    today = visits.today()
    with app.app_context():
        visits.write({(read.id, today): 50, (unread.id, today): 2,
                      (old.id, today - timedelta(days=30)): 900})  # fmt: skip
    auth.login(role="editor")
    page = client.get("/admin/").get_data(as_text=True)
    section = page.split("Đọc nhiều nhất trong 7 ngày qua")[1]
    assert section.index("Tin đọc nhiều") < section.index("Tin ít đọc")
    assert "50 lượt xem" in section and "Tin đọc nhiều tháng trước" not in section


PHONE = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Mobile Safari/537.36")


def test_a_browser_is_told_from_a_program_once_per_user_agent(app, client, make_article):
    article = make_article(title="Tin đọc trên điện thoại")
    url = f"/tin/{article.slug}-{article.id}"
    visits.is_program.cache_clear()
    for agent in (PHONE, PHONE, "Zalo link preview", PHONE, "Zalo link preview"):
        assert client.get(url, headers={"User-Agent": agent}).status_code == 200
    flush(app)
    assert views(article.id) == 3
    # The phone's verdict was searched for once, not on each of its three views.
    assert visits.is_program.cache_info().misses == 2


def test_attack_many_user_agents_keep_counting_in_bounded_memory(app, client, make_article):
    article = make_article(title="Tin bị dò")
    url = f"/tin/{article.slug}-{article.id}"
    for number in range(visits.AGENTS_REMEMBERED + 50):
        client.get(url, headers={"User-Agent": f"{PHONE} x{number}"})
    client.get(url, headers={"User-Agent": f"crawler {number}"})
    flush(app)
    assert views(article.id) == visits.AGENTS_REMEMBERED + 50
    assert visits.is_program.cache_info().currsize <= visits.AGENTS_REMEMBERED


def read_three_times(app, client, make_article, monkeypatch, title: str):
    """An article read three times with the writer every 10 s; what the writer was told of
    (the counts it must come for, and after how long), and the article."""
    article = make_article(title=title)
    url = f"/tin/{article.slug}-{article.id}"
    told = []
    monkeypatch.setattr(visits.WRITER, "watch",
                        lambda counts, seconds: told.append((counts, seconds)))
    app.config["VISITS_FLUSH_SECONDS"] = 10
    for _ in range(3):
        client.get(url)
    return told, article


def test_the_writer_is_told_once_per_batch_not_on_every_view(app, client, make_article,
                                                             monkeypatch):
    told, article = read_three_times(app, client, make_article, monkeypatch, "Tin đọc nhiều")
    url = f"/tin/{article.slug}-{article.id}"
    counts = app.extensions["visits"]
    assert told == [(counts, 10)]
    assert flush(app) == 3  # what the writer thread does every 10 s
    client.get(url)
    assert told == [(counts, 10), (counts, 10)]  # a new batch: the writer must come back for it
    assert flush(app) == 1
    assert views(article.id) == 4


def test_views_count_on_vietnams_date_either_side_of_its_midnight(monkeypatch):
    """17:00 UTC is midnight in Hà Nội; the date is right however the clock moves."""
    for moment, day in ((datetime(2026, 3, 1, 16, 59, 59, tzinfo=UTC), date(2026, 3, 1)),
                        (datetime(2026, 3, 1, 17, 0, tzinfo=UTC), date(2026, 3, 2)),
                        (datetime(2026, 3, 2, 16, 59, tzinfo=UTC), date(2026, 3, 2)),
                        (datetime(2026, 2, 28, 23, 0, tzinfo=UTC), date(2026, 3, 1))):  # fmt: skip
        monkeypatch.setattr(models, "utcnow", lambda moment=moment: moment)
        assert visits.today() == day


def test_views_before_and_after_midnight_are_written_to_their_own_day(app, client, clock,
                                                                        make_article):
    """A batch that spans Vietnam's midnight (17:00 UTC) adds each view to the day it was
    made on, whether or not the writer ran in between."""
    article = make_article(title="Tin đọc qua nửa đêm")
    url = f"/tin/{article.slug}-{article.id}"
    clock.now = datetime(2026, 5, 14, 16, 58, tzinfo=UTC)
    for _ in range(3):
        client.get(url)
    clock.now = datetime(2026, 5, 14, 17, 1, tzinfo=UTC)
    for _ in range(2):
        client.get(url)
    assert flush(app) == 5
    client.get(url)
    assert flush(app) == 1
    by_day = dict(db.session.execute(
        select(ArticleView.day, ArticleView.count).where(ArticleView.article_id == article.id)
    ).all())  # fmt: skip
    assert by_day == {date(2026, 5, 14): 3, date(2026, 5, 15): 3}


def test_views_settled_by_another_apps_flush_are_written_to_their_own_app(
        app, client, make_article, monkeypatch):
    """Every app's views are noted in one list; another app taking its counts settles them to
    the app they belong to, and the writer is asked to come for those."""
    told, article = read_three_times(app, client, make_article, monkeypatch, "Tin của trang này")
    other = visits.Visits(app)  # another site's counts, in the same process
    assert other.flush() == 0  # none of them are its own
    counts = app.extensions["visits"]
    assert told == [(counts, 10), (counts, 10)]
    assert flush(app) == 3
    assert views(article.id) == 3


def test_attack_a_flood_of_views_keeps_the_noted_list_bounded(app, client, make_article,
                                                              monkeypatch):
    article = make_article(title="Tin bị dồn lượt xem")
    url = f"/tin/{article.slug}-{article.id}"
    monkeypatch.setattr(visits, "NOTED_MAX", 5)
    for _ in range(23):
        client.get(url)
        assert len(visits.NOTED.views) < 2 * 5  # two items a view
    assert flush(app) == 23
    assert views(article.id) == 23


def test_views_settled_when_the_list_fills_are_written_at_the_writers_next_round(
        app, client, make_article, monkeypatch):
    """The list, full, settles views of apps the writer was not told of: its next round
    writes them all the same (they were kept in memory until the process ended)."""
    writer = visits.Writer()
    writer.thread = threading.current_thread()  # as if running: no thread of its own here
    monkeypatch.setattr(visits, "WRITER", writer)
    monkeypatch.setattr(visits, "NOTED", visits.Noted())
    monkeypatch.setattr(visits, "NOTED_MAX", 2)
    app.config["VISITS_FLUSH_SECONDS"] = 10
    article = make_article(title="Tin của hai trang")
    url = f"/tin/{article.slug}-{article.id}"
    other = visits.Visits(app)  # a second site's counts in this process
    client.get(url)  # the first view of a batch: the writer is told of its app
    visits.note(Served(app.wsgi_app, visits=other),
                {"REQUEST_METHOD": "GET", "PATH_INFO": url, "HTTP_USER_AGENT": "Mozilla/5.0"},
                "200 OK")  # the list is full: both settled, `other` not told of
    writer.flush_all()
    assert views(article.id) == 2
