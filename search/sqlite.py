"""SQLite's search: FTS5 tables over the folded fields and the marked words, ranked by bm25.

FTS5's own `remove_diacritics` does not fold đ, so the tables hold our folded text
(`search.text`) and the tokenizer keeps marks as they are. A search ranks only the newest
CANDIDATES matches its filters let through, walked by FTS5 in rowid order, so that a word
found in every article costs what a rare one does.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    Connection,
    and_,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    true,
)
from sqlalchemy.sql.expression import TableClause

from search.specs import IndexSpec, Matches, entry_values

FTS_TOKENIZER = "unicode61 remove_diacritics 0"
# A search ranks at most this many of the newest matches its filters let through (`newest`).
CANDIDATES = 1000


@cache
def fts(spec: IndexSpec) -> TableClause:
    return table(spec.table, column("rowid"))


# --- Keeping the index in step --------------------------------------------------------------


def create_index(connection: Connection, specs) -> None:
    """Create the FTS5 tables (`IF NOT EXISTS`: a rebuild calls this too)."""
    for spec in specs:
        connection.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {spec.table} USING fts5("
                f"{', '.join(spec.columns)}, tokenize='{FTS_TOKENIZER}')"
            )
        )


def drop_index(connection: Connection, specs) -> None:
    for spec in specs:
        connection.execute(text(f"DROP TABLE IF EXISTS {spec.table}"))


def insert_entry(spec: IndexSpec):
    names = ", ".join(spec.columns)
    params = ", ".join(f":{name}" for name in spec.columns)
    return text(f"INSERT INTO {spec.table} (rowid, {names}) VALUES (:id, {params})")


def index_row(connection: Connection, spec: IndexSpec, target) -> None:
    """Replace one row's FTS5 entry."""
    unindex_row(connection, spec, target.id)
    connection.execute(insert_entry(spec), entry_values(spec, target.id, target))


def unindex_row(connection: Connection, spec: IndexSpec, row_id: int) -> None:
    connection.execute(text(f"DELETE FROM {spec.table} WHERE rowid = :id"), {"id": row_id})


def clear(connection: Connection, spec: IndexSpec) -> None:
    connection.execute(text(f"DELETE FROM {spec.table}"))


def refill(connection: Connection, spec: IndexSpec, entries: list[dict]) -> None:
    """Write every entry of a model at once, after `clear`."""
    connection.execute(insert_entry(spec), entries)


# --- Finding ---------------------------------------------------------------------------------


def before_search(connection: Connection) -> None:
    """Nothing to set: SQLite plans each statement as it is prepared."""


def fts_match(spec: IndexSpec, expression: str):
    return literal_column(spec.table).op("MATCH")(literal(expression))


def fts_rowids(spec: IndexSpec, expression: str):
    return select(fts(spec).c.rowid).where(fts_match(spec, expression)).correlate(None)


def all_of(terms: list[str]) -> str:
    """FTS5 text requiring every term; terms are letters and digits only, and quoted, so no
    operator the reader typed (AND, NEAR, *, quotes) reaches FTS5.

    No column filter: a folded word has no marks and the `marked` column holds only words
    with marks, so each word can match in its own columns only. A filter would cost the most
    expensive walk of the search: bm25 counts the rows holding each phrase of the query
    across the whole table, and with a column filter FTS5 decodes every row's positions to
    count them (twice the time of the whole ranking at 100,000 articles); without one it
    reads the list of rows alone (at 100,000 articles, about half of a three-word search's
    ranking). The matches and their scores are the same.
    """
    return " AND ".join(f'"{term}"' for term in terms)


def match_text(query) -> str:
    """FTS5 text for the query: every folded word, and the words typed with marks as typed."""
    return all_of(query.terms + query.required_marks)


def newest(statement, spec: IndexSpec, conditions: list):
    """Bound a search to the newest CANDIDATES matches that meet `conditions`, which FTS5
    walks in rowid order and stops: a word found in every article costs what a rare one does.

    A filtered search (a category, a date range) passes its filters here, so that an old
    article of a small category is still found behind thousands of newer matches elsewhere;
    applied after the walk, the bound would hide it, and without the bound a common word in a
    category ranked every match (the slowest searches at 100,000 articles). An unfiltered
    search passes none: a lookup per walked row would cost more than it saves.
    """
    rowid = fts(spec).c.rowid
    if conditions:
        # A correlated EXISTS, not a join: joined, SQLite may walk the articles of a date
        # range by their index and run the full-text query again for each one.
        passes = select(spec.model.id).where(spec.model.id == rowid, *conditions)
        statement = statement.where(passes.exists())
    return statement.order_by(rowid.desc()).limit(CANDIDATES)


def matches(spec: IndexSpec, query, ranking: bool, conditions, moment) -> Matches:
    """Return the matches of FTS5 and their ranking; without ranking, just the rows.

    The matches are a MATERIALIZED CTE, so that FTS5 runs once per query: joined directly,
    SQLite may walk the articles by status and run the full-text query again for each one.
    """
    inside = list(conditions) if query.filtered else []
    where = true() if query.filtered else and_(true(), *conditions)
    rowid = fts(spec).c.rowid
    if not ranking:
        # Counting walks the candidates and looks each row up by id: `id IN (matches)` let
        # SQLite walk every visible article instead, which grows with the archive.
        found = select(rowid.label("rowid")).where(fts_match(spec, match_text(query)))
        candidates = newest(found, spec, inside).cte(f"{spec.table}_candidates")
        candidates = candidates.prefix_with("MATERIALIZED")
        source = candidates.join(spec.model, spec.model.id == candidates.c.rowid)
        return Matches(source, where, spec.model.id, moment, None, None, literal(0.0))
    found = select(
        rowid.label("rowid"),
        func.bm25(literal_column(spec.table), *spec.weights, 0.0).label("score"),
    ).where(fts_match(spec, match_text(query)))
    hits = newest(found, spec, inside).cte(f"{spec.table}_matches").prefix_with("MATERIALIZED")
    # The tiers look only as far back as the candidates go (FTS5 reads a rowid range).
    oldest = select(func.min(hits.c.rowid)).scalar_subquery()

    def among_matches(expression: str):
        return hits.c.rowid.in_(fts_rowids(spec, expression).where(rowid >= oldest))

    exact = phrase = None
    if query.marked:
        exact = among_matches(all_of(query.marked))
    if len(query.terms) > 1:
        # Folded words only: a phrase is found inside one folded field, never across two.
        phrase = among_matches(f'"{" ".join(query.terms)}"')
    source = hits.join(spec.model, spec.model.id == hits.c.rowid)
    return Matches(source, where, spec.model.id, moment, exact, phrase, hits.c.score)
