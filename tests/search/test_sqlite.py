"""SQLite's search backend: the FTS5 tables it keeps beside the articles, and bm25's ranking."""

import re

import pytest
from sqlalchemy import text

import search
from models import db
from ops.seed_content import STORIES


@pytest.fixture(autouse=True)
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")


def entry(article_id: int) -> dict | None:
    row = db.session.execute(
        text("SELECT title, body_text, marked FROM article_fts WHERE rowid = :id"),
        {"id": article_id},
    ).first()
    return row._asdict() if row else None


def test_each_article_has_one_folded_entry_that_follows_its_edits(make_article):
    article = make_article(title="Đường làng mới", summary="", body_text="Bê tông hóa đường thôn.")
    assert entry(article.id) == {
        "title": "duong lang moi", "body_text": "be tong hoa duong thon",
        "marked": "đường làng mới bê tông hóa thôn",
    }  # fmt: skip
    article.title = "Cầu treo Đắk Lắk"
    db.session.commit()
    assert entry(article.id)["title"] == "cau treo dak lak"
    assert "đắk" in entry(article.id)["marked"].split()
    db.session.delete(article)
    db.session.commit()
    assert entry(article.id) is None


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(client, make_article):
    # Made first, so newest by date: without bm25's weights it would come first.
    make_article(title="Tin tức trong tuần", body_text="Trong tuần có buổi tập huấn thủy lợi.")
    make_article(title="Tập huấn thủy lợi cho bà con", body_text="Buổi học kéo dài hai ngày.")
    html = client.get("/tim-kiem?q=thuy+loi").get_data(as_text=True)
    found = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h2><a.*?</h2>", html, re.S)]
    assert found == ["Tập huấn thủy lợi cho bà con", "Tin tức trong tuần"]


def test_the_index_tables_go_and_come_back_with_the_schema(app):
    tables = "SELECT name FROM sqlite_master WHERE name IN ('article_fts', 'document_fts')"
    assert len(db.session.execute(text(tables)).all()) == 2
    db.session.remove()
    db.drop_all()
    assert db.session.execute(text(tables)).all() == []
    db.create_all()
    assert len(db.session.execute(text(tables)).all()) == 2


def test_folded_words_and_marked_words_never_meet():
    """The FTS5 text has no column filter (a filter made bm25 decode every row's positions):
    this holds because a folded word has no marks, while `marked` holds only words with marks."""
    texts = [f"{s.title} {s.summary} {' '.join(p for p in s.parts if isinstance(p, str))}"
             for s in STORIES]  # fmt: skip
    texts.append("İstanbul Ångström ǅ ﬁ ß ĐẮK LẮK Ðức Øre ŉ ǰ ẞ")
    for word in {w for chunk in texts for w in search.words(chunk)}:
        folded = search.text.fold_word(word)
        assert not search.text.has_marks(folded), word
