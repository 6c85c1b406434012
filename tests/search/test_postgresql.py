"""PostgreSQL's search backend: the search tables it keeps beside the articles and documents
(their words, read through a GIN index, and the columns a search filters by). Skipped
without TEST_DATABASE_URL (a PostgreSQL server)."""

from datetime import timedelta

import pytest
from sqlalchemy import text, update

import models
import search
import search.postgresql
from models import Article, db
from search.finding import hits_statement, matching_parts
from search.specs import ARTICLES
from tests.test_search import find, titles


@pytest.fixture(autouse=True)
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the search tables are PostgreSQL's (TEST_DATABASE_URL)")


def words(article_id: int) -> set[str] | None:
    row = db.session.execute(
        text("SELECT tsvector_to_array(words) FROM article_search WHERE id = :id"),
        {"id": article_id},
    ).first()
    return set(row[0]) if row else None


def test_each_article_has_one_row_of_words_that_follows_its_edits(make_article):
    article = make_article(title="Đường làng mới", summary="", body_text="Bê tông hóa.")
    assert words(article.id) == {
        "duong", "lang", "moi", "be", "tong", "hoa", "đường", "làng", "mới", "bê", "tông", "hóa",
    }  # fmt: skip
    article.title = "Cầu treo Đắk Lắk"
    db.session.commit()
    assert {"cau", "dak", "đắk"} <= words(article.id) and "duong" not in words(article.id)
    db.session.delete(article)
    db.session.commit()
    assert words(article.id) is None


def plan(q: str, **filters) -> str:
    """Return PostgreSQL's plan for a search, asking whether an index can serve it (a test
    table is tiny, so the planner would rightly read it whole)."""
    query = search.parse_query({"q": q, **filters})
    compiled = hits_statement(matching_parts(query)).compile(db.engine)
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    connection = db.session.connection()
    rows = connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize("filters", [{}, {"tu": "2026-01-01", "den": "2026-03-31"}])
def test_a_search_reads_the_words_index_never_every_article(make_article, filters):
    """The old search read `search_folded` with LIKE: every article's text, on every search."""
    make_article(title="Họp thôn bàn việc làm đường")
    found = plan("hop thon", **filters)
    assert "ix_article_search" in found or "article_search_pkey" in found, found
    assert "Seq Scan on article " not in found, found


@pytest.mark.parametrize(("typed", "found"), [
    ("le & hoi", True), ("!hoi", True), ("le <-> hoi", True), ("hoi:*", True),
    ("'le' | 'hoi'", True), ("le:A", False), ("(le | hoi) & !x", False),
])  # fmt: skip
def test_attack_tsquery_operators_are_read_as_words(client, make_article, typed, found):
    """Only words reach the tsquery: "le:A" asks for the word "a" too, "!x" for "x"."""
    make_article(title="Lễ hội Lồng tồng xuống đồng")
    response = client.get("/tim-kiem", query_string={"q": typed})
    assert response.status_code == 200
    shown = titles(response.get_data(as_text=True))
    assert shown == (["Lễ hội Lồng tồng xuống đồng"] if found else [])


def test_each_search_is_planned_for_its_own_words(app, make_article):
    """psycopg prepares a statement run five times, and PostgreSQL may then keep one plan
    made without the words: a common word's search took as long as a rare one's bitmap
    (search p95 at 100,000 articles 99 ms, 49 with a plan for each search's words)."""
    make_article(title="Họp thôn bàn việc làm đường")
    for _ in range(7):
        query = search.parse_query({"q": "hop thon"})
        results = search.run(query, 1, 10)
        assert [hit.item.title for hit in results.items] == ["Họp thôn bàn việc làm đường"]
        assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
        db.session.commit()


def kept(article_id: int):
    return db.session.execute(
        text("SELECT status, publish_at, expire_at, category_id FROM article_search "
             "WHERE id = :id"), {"id": article_id}).first()  # fmt: skip


def test_changes_made_past_the_orm_reach_the_search_table(client, make_article, make_category):
    """A search reads who may see an article from the search table's copies: a bulk update
    that skips the ORM's events (a script, a later command) must still reach them."""
    article = make_article(title="Thông báo cắt điện thôn Nà Khoang")
    farming = make_category(name="Kinh tế", slug="kinh-te")
    assert find(client, "cat dien") == ["Thông báo cắt điện thôn Nà Khoang"]
    moves = [
        {"status": "draft"},
        {"status": "published", "expire_at": models.utcnow() - timedelta(minutes=1)},
        {"expire_at": None, "publish_at": models.utcnow() + timedelta(hours=1)},
    ]
    for values in moves:
        db.session.execute(update(Article).where(Article.id == article.id).values(**values))
        db.session.commit()
        assert find(client, "cat dien") == [], values
    db.session.execute(update(Article).where(Article.id == article.id).values(
        publish_at=models.utcnow() - timedelta(hours=1), category_id=farming.id))
    db.session.commit()
    assert find(client, "cat dien", muc="kinh-te") == ["Thông báo cắt điện thôn Nà Khoang"]
    db.session.refresh(article)
    assert tuple(kept(article.id)) == (
        "published", article.publish_at.replace(tzinfo=None), None, farming.id)


def test_a_filter_the_search_table_cannot_answer_is_refused(make_article):
    """The search table keeps copies of some columns: a filter on another one would read a
    column it lacks, so it is refused while the search is built (a test fails, not a reader)."""
    found = search.postgresql.searched(ARTICLES)
    visible = search.postgresql.on_search_table(ARTICLES, found, Article.visibility())
    assert "article_search.status" in str(visible) and "article." not in str(visible)
    with pytest.raises(ValueError, match="article.featured is not kept"):
        search.postgresql.on_search_table(ARTICLES, found, Article.featured.is_(True))


@pytest.mark.parametrize(("estimates", "indexed"), [
    ((100_000, 99_000, 94_000, 93_000), False),  # "và": the first thousand rows walked hold it
    ((100_000, 99_000, 3_300, 3_300), True),  # "bang thang": 30,000 rows walked, 3,300 matches
    ((100_000, 16_000, 16_000, 2_300), True),  # two common words in one category of six
    ((1_000, 1_000, 600, 600), True),  # a small site: every match costs little
])  # fmt: skip
def test_rare_words_are_read_from_the_index_common_ones_by_walking(estimates, indexed):
    """The planner judged a walk by its rows, not by reading each row's words: it walked
    44,000 rows (300 ms) for two words in a category where the index's bitmap took 27 ms."""
    assert search.postgresql.cheaper_by_index(*estimates) is indexed
