"""PostgreSQL's search backend: the search tables it keeps beside the articles and documents
(their words, read through a GIN index, and the columns a search filters by). Skipped without TEST_DATABASE_URL (a PostgreSQL server)."""

import pytest
from sqlalchemy import text

import search
from models import db
from search.finding import hits_statement, matching_parts
from tests.test_search import titles


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
