"""PostgreSQL's search: a table of each row's words beside each indexed table, searched
through a GIN index, and the newest CANDIDATES matches ranked, as on SQLite.

`article_words` and `document_words` hold one tsvector per row: the lexemes of its
`search_folded` text (folded words, then the words it writes with marks), parsed by the
`simple` configuration (lower case, no stemming, no stop words: our folding already did the
work) and stripped of positions (the phrase tier reads the folded column of the candidates).
A narrow table of its own rather than a column of `article`: walking the newest matches of a
common word reads these small rows, not articles' bodies, and no model or other database
carries a PostgreSQL type. The ORM listeners write a row's words in the same transaction as
the row; a foreign key removes them with it.

A search asks the GIN index or walks the newest rows, as the planner judges from the words'
frequencies (ANALYZE keeps them for tsvector columns): a rare word is found in the index, a
common one among the first rows walked, so neither reads every row.
"""

from __future__ import annotations

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
from sqlalchemy.dialects.postgresql import TSQUERY

from search.specs import SPECS, IndexSpec

CONFIG = "simple"
# A search ranks at most this many of the newest matches its filters let through.
CANDIDATES = 1000


def words_table(spec: IndexSpec) -> str:
    return f"{spec.model.__tablename__}_words"


# Tables no model describes: migrations make them, autogenerate leaves them alone (env.py).
TABLES = tuple(words_table(spec) for spec in SPECS.values())


def words_of(spec: IndexSpec):
    return table(words_table(spec), column("id"), column("words"))


# --- Keeping the index in step --------------------------------------------------------------


def create_index(connection: Connection, specs) -> None:
    """Create the words tables and their GIN indexes (`IF NOT EXISTS`: a rebuild calls this)."""
    for spec in specs:
        name, owner = words_table(spec), spec.model.__tablename__
        connection.execute(text(
            f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY "
            f"REFERENCES {owner} (id) ON DELETE CASCADE, words TSVECTOR NOT NULL)"))
        connection.execute(text(
            f"CREATE INDEX IF NOT EXISTS ix_{name} ON {name} USING gin (words)"))  # fmt: skip


def drop_index(connection: Connection, specs) -> None:
    for spec in specs:
        connection.execute(text(f"DROP TABLE IF EXISTS {words_table(spec)}"))


def words_sql(spec: IndexSpec, folded: str, scope: str) -> str:
    """SQL for a row's words: its folded text's lexemes, and for a model with a scope (an
    article's category) one more, "k 12": a space in a lexeme, which no parsed word has."""
    words = f"strip(to_tsvector('{CONFIG}', {folded}))"
    if spec.scope is None:
        return words
    return f"{words} || array_to_tsvector(ARRAY['k ' || {scope}])"


def index_row(connection: Connection, spec: IndexSpec, target) -> None:
    """Write one row's words from its folded column (filled before the row was written)."""
    words = words_sql(spec, ":folded", "CAST(:scope AS TEXT)")
    connection.execute(
        text(f"INSERT INTO {words_table(spec)} (id, words) VALUES (:id, {words}) "
             "ON CONFLICT (id) DO UPDATE SET words = excluded.words"),
        {"id": target.id, "folded": target.search_folded,
         "scope": str(getattr(target, spec.scope)) if spec.scope else None},
    )  # fmt: skip


def unindex_row(connection: Connection, spec: IndexSpec, row_id: int) -> None:
    """Nothing to do: the foreign key removed the row's words with it."""


def clear(connection: Connection, spec: IndexSpec) -> None:
    connection.execute(text(f"DELETE FROM {words_table(spec)}"))


def refill(connection: Connection, spec: IndexSpec, entries: list[dict]) -> None:
    """Write every row's words from the folded column, just rewritten, in one statement."""
    owner = spec.model.__tablename__
    words = words_sql(spec, "search_folded", f"CAST({spec.scope} AS TEXT)")
    connection.execute(text(
        f"INSERT INTO {words_table(spec)} (id, words) SELECT id, {words} FROM {owner}"))
    # The planner's choice between the index and a walk rests on the words' frequencies.
    connection.execute(text(f"ANALYZE {words_table(spec)}"))


# --- Finding ---------------------------------------------------------------------------------


def before_search(connection: Connection) -> None:
    """Have PostgreSQL plan this transaction's searches with their own words.

    psycopg prepares a statement run five times, and PostgreSQL then may keep one generic
    plan for it, made without the words' frequencies: the same walk for a rare word as for a
    common one, or the same bitmap. With the plan made for each search's words, p95 at
    100,000 articles went from 99 to 49 ms (BENCHMARKS.md).
    """
    connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def all_of(words: list[str]):
    """A tsquery requiring every word; `plainto_tsquery` reads the words as text, so no
    operator the reader typed (&, |, !, <->, quotes) reaches it."""
    return func.plainto_tsquery(literal_column(f"'{CONFIG}'::regconfig"), literal(" ".join(words)))


def in_scope(ids: list[int]):
    """A tsquery for rows of any of these categories (`words_sql`'s "k 12" lexemes), so that
    the index or the walk meets only the category's rows: checked after each row, a small
    category made the walk read seven rows for each one kept."""
    return literal(" | ".join(f"'k {int(number)}'" for number in ids)).cast(TSQUERY)


def newest(statement, spec: IndexSpec, found, conditions: list):
    """Bound a search to the newest CANDIDATES matches that meet `conditions` (see
    `search.sqlite.newest`: the same bound, for the same reasons)."""
    if conditions:
        passes = select(spec.model.id).where(spec.model.id == found.c.id, *conditions)
        statement = statement.where(passes.exists())
    return statement.order_by(found.c.id.desc()).limit(CANDIDATES)


def matches(spec: IndexSpec, query, ranking: bool = True, conditions=()):
    """Return (source, where, exact, phrase, score) for the words tables.

    The candidates are a MATERIALIZED CTE, so that the planner bounds them before the join
    and the tiers look only at them. Exact marks are read from the candidates' words, the
    phrase from their folded column (only these rows).
    """
    found = words_of(spec)
    inside = list(conditions) if query.filtered else []
    where = true() if query.filtered else and_(true(), *conditions)
    columns = [found.c.id.label("id")]
    if ranking and query.marked:
        columns.append(found.c.words.op("@@")(all_of(query.marked)).label("exact"))
    statement = select(*columns).where(
        found.c.words.op("@@")(all_of(query.terms + query.required_marks))
    )
    if spec.scope and query.category_ids:
        statement = statement.where(found.c.words.op("@@")(in_scope(query.category_ids)))
    name = f"{words_table(spec)}_{'matches' if ranking else 'candidates'}"
    hits = newest(statement, spec, found, inside).cte(name).prefix_with("MATERIALIZED")
    source = hits.join(spec.model, spec.model.id == hits.c.id)
    exact = hits.c.exact if ranking and query.marked else None
    phrase = None
    if ranking and len(query.terms) > 1:
        # The folded fields hold single spaces between words and " | " between fields.
        folded = spec.model.search_folded
        phrase = folded.contains(f" {' '.join(query.terms)} ", autoescape=True)
    return source, where, exact, phrase, literal(0.0)
