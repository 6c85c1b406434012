"""PostgreSQL's search: the `search_folded` column, searched word by word with LIKE.

The column holds each row's folded fields and its marked words (`search.text.folded_record`),
kept by the ORM listeners on every database, so nothing else is written here.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, literal

from search.specs import IndexSpec

# Every match is ranked: there is no bound on the candidates.
CANDIDATES = None


def create_index(connection: Connection, specs) -> None:
    """Nothing to create: the folded column is part of the table."""


def drop_index(connection: Connection, specs) -> None:
    """Nothing to drop: the folded column goes with its table."""


def index_row(connection: Connection, spec: IndexSpec, target) -> None:
    """Nothing to write: `search_folded` was filled before the row was."""


def unindex_row(connection: Connection, spec: IndexSpec, row_id: int) -> None:
    """Nothing to remove: the folded column goes with its row."""


def clear(connection: Connection, spec: IndexSpec) -> None:
    """Nothing to clear: a rebuild rewrites every row's folded column."""


def refill(connection: Connection, spec: IndexSpec, entries: list[dict]) -> None:
    """Nothing to write: a rebuild rewrites every row's folded column."""


def matches(spec: IndexSpec, query, ranking: bool = True, conditions=()):
    """Return (source, where, exact, phrase, score) for LIKE over `search_folded`."""
    folded = spec.model.search_folded

    def has(words_: list[str]):
        return and_(*(folded.contains(f" {word} ", autoescape=True) for word in words_))

    exact = has(query.marked) if query.marked and ranking else None
    phrase = has([" ".join(query.terms)]) if len(query.terms) > 1 and ranking else None
    # The marked words sit after " || " in the column, so " đảng " can only match there.
    where = and_(has(query.terms + query.required_marks), *conditions)
    return spec.model, where, exact, phrase, literal(0.0)
