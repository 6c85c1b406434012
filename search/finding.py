"""Finding: the matching articles and documents a query may see, ranked the same way on
every database (words typed with marks first, then the whole phrase, then the backend's
score, then the newest), one page of them loaded and marked up.

Whether an article may be shown is decided when the query runs, with
`Article.visibility()`, so a scheduled article turns up on time and an unpublished one never
does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from markupsafe import Markup
from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import defer

from internals import CallablePagination
from models import Article, Document, db
from search.index import backend
from search.query import Query, highlighted
from search.specs import ARTICLES, DOCUMENTS, IndexSpec
from search.text import SNIPPET_WORDS, Highlight, mark_up
from vietnamese import VN_TZ

# Snippets are cut from the beginning of long bodies; that is where the news is.
SNIPPET_SOURCE_CHARS = 20_000


def ranked(spec: IndexSpec, query: Query, kind: str, moment, dialect, ranking: bool,
           conditions: list):
    """Select (kind, id, exact, phrase, score, moment) of the matching rows of one model that
    meet `conditions`; `moment` is the model's date column, which orders the newest first."""
    found = dialect.matches(spec, query, ranking, conditions, moment)
    statement = select(
        literal(kind).label("kind"),
        found.id.label("id"),
        flag(found.exact).label("exact"),
        flag(found.phrase).label("phrase"),
        found.score.label("score"),
        found.moment.label("moment"),
    ).select_from(found.source)
    return statement if found.where is None else statement.where(found.where)


def flag(condition):
    """Turn a ranking condition into 1 or 0 (0 when the query has no such tier)."""
    return literal(0) if condition is None else case((condition, 1), else_=0)


def article_hits(query: Query, dialect, ranking: bool):
    conditions = [Article.visibility()]
    if query.category is not None:
        conditions.append(Article.category_id.in_(query.category_ids))
    if query.start:
        conditions.append(Article.publish_at >= local_midnight(query.start))
    if query.end:
        conditions.append(Article.publish_at < local_midnight(query.end + timedelta(1)))
    return ranked(ARTICLES, query, "article", Article.publish_at, dialect, ranking, conditions)


def document_hits(query: Query, dialect, ranking: bool):
    conditions = []
    if query.start:
        conditions.append(Document.issued_on >= query.start)
    if query.end:
        conditions.append(Document.issued_on <= query.end)
    return ranked(DOCUMENTS, query, "document", Document.issued_on, dialect, ranking, conditions)


def local_midnight(day: date) -> datetime:
    """Return the start of a Vietnamese calendar day as aware UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ).astimezone(UTC)


def matching_parts(query: Query, ranking: bool = True) -> list:
    """Return the selects of matching articles and documents the query may see."""
    dialect = backend()
    parts = []
    if not query.documents_only:
        parts.append(article_hits(query, dialect, ranking))
    if query.category is None:
        parts.append(document_hits(query, dialect, ranking))
    return parts


def hits_statement(parts: list):
    """Return the ranked union of the parts, best first, each row with the count of all."""
    hits = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    # Only kind and id are read back: `moment` mixes dates and times, fine to sort, not to load.
    # The count rides along: ranking has every match in hand, a second query would find them
    # all again (the candidates' walk, repeated: up to a third of a filtered search's time).
    total = func.count().over().label("total")
    return select(hits.c.kind, hits.c.id, total).order_by(
        hits.c.exact.desc(), hits.c.phrase.desc(), hits.c.score, hits.c.moment.desc(),
        hits.c.kind, hits.c.id.desc(),
    )  # fmt: skip


def count_statement(query: Query):
    """Count the matches without ranking them: the score and the tiers cost time for nothing."""
    parts = matching_parts(query, ranking=False)
    return select(func.count()).select_from(union_all(*parts).subquery())


@dataclass
class Hit:
    """One result: an article or a document, with its title and snippet marked up."""

    kind: str
    item: Article | Document
    title: Markup
    snippet: Markup


class HitPages:
    """The ranked hits of one query, read a page at a time; the count comes with the page."""

    def __init__(self, query: Query):
        self.query = query
        # Before the parts: PostgreSQL's backend asks the planner about the words to make them.
        backend().before_search(db.session.connection())
        self.parts = matching_parts(query)
        self.seen: int | None = None

    def items(self, limit: int, offset: int) -> list[Hit]:
        """One page of ranked hits, loaded and marked up."""
        rows = db.session.execute(hits_statement(self.parts).limit(limit).offset(offset)).all()
        if rows or offset == 0:
            self.seen = rows[0].total if rows else 0
        return load_hits(rows, self.query)

    def total(self) -> int:
        """Count the matches: as the page saw them, or past the last page by a query of its own."""
        if self.seen is None:
            return db.session.scalar(count_statement(self.query))
        return self.seen


def run(query: Query, page: int, per_page: int) -> CallablePagination:
    """Return the page of ranked hits for a searchable query; when nothing matches the marks
    the reader typed, fall back to the folded words and note it on the query."""
    query.bound = backend().CANDIDATES
    results = hit_pages(query, page, per_page)
    if results.total == 0 and query.marked and not query.relaxed:
        query.relaxed = True
        results = hit_pages(query, page, per_page)
    return results


def hit_pages(query: Query, page: int, per_page: int) -> CallablePagination:
    hits = HitPages(query)
    return CallablePagination(page, per_page, items=hits.items, total=hits.total)


def load_hits(rows, query: Query) -> list[Hit]:
    """Load the page's articles and documents in ranked order and mark up what matched."""
    ids = {"article": [], "document": []}
    for row in rows:
        ids[row.kind].append(row.id)
    # Neither the body's HTML nor the folded text is shown: not read (out of line, each KBs).
    articles = select(Article).options(defer(Article.body), defer(Article.search_folded))
    documents = select(Document).options(defer(Document.search_folded))
    found = {
        ("article", a.id): a
        for a in db.session.scalars(articles.where(Article.id.in_(ids["article"])))
    } | {
        ("document", d.id): d
        for d in db.session.scalars(documents.where(Document.id.in_(ids["document"])))
    }
    terms = highlighted(query)
    return [
        make_hit(row.kind, found[(row.kind, row.id)], terms)
        for row in rows
        if (row.kind, row.id) in found
    ]


def make_hit(kind: str, item, terms: Highlight | set[str]) -> Hit:
    if kind == "article":
        text = f"{item.summary}\n{item.body_text[:SNIPPET_SOURCE_CHARS]}"
        return Hit(kind, item, mark_up(item.title, terms), mark_up(text, terms, SNIPPET_WORDS))
    details = " · ".join(part for part in (item.number, item.doc_type, item.issuer) if part)
    return Hit(kind, item, mark_up(item.title, terms), mark_up(details, terms))
