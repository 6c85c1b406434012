"""PostgreSQL's search: a narrow table beside each indexed table, holding each row's words
(a tsvector, read through a GIN index) and the columns a search filters and orders by, so that
a search reads this one table; the newest CANDIDATES matches are ranked, as on SQLite.

`article_search` and `document_search` hold, for each row, its `search_folded` text's words
(folded words, then the words it writes with marks) parsed by the `simple` configuration
(lower case, no stemming, no stop words: our folding already did the work), with their
positions for the phrase tier, each field's weighted apart so that a phrase is found inside
one field (`phrase_query`), and copies of the model's `IndexSpec.kept` columns (an
article's status, publish and expiry times and category; a document's date).

Why a table of its own, narrow: walking the newest matches or visiting the GIN index's matches
reads these rows, and joined to `article` to decide who may see each one and to order them,
each candidate cost a read of an article's wide row (17–24 ms of a search with 1,000
candidates at 100,000 articles). `toast_tuple_target` moves every row's words out of line, so
the rows are about 80 bytes: the whole table is 8 MB at 100,000 articles (113 MB with the
words inline), and a search reads the words only where it must (a walk's rows, the phrase
tier's candidates).

Who writes what: a trigger copies the kept columns on every insert and every change of one,
whatever made it (a view, a command, a bulk update past the ORM); the ORM listeners write a
row's words in the same transaction as its text; a foreign key removes the row with its owner.
Whether a reader may see an article stays `Article.visibility()`'s rule, evaluated on the
copied columns when the query runs (`on_search_table`).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.sql.visitors import replacement_traverse

from models import db
from search.specs import SPECS, IndexSpec, Matches

CONFIG = "simple"
# A search ranks at most this many of the newest matches its filters let through.
CANDIDATES = 1000
# Each field's words get the next weight, round the four PostgreSQL has, so that a phrase's
# words are asked in one weight and never match the end of one field and the start of the next.
WEIGHTS = "ABCD"
# A row longer than this has its words moved out of line (the least PostgreSQL allows).
ROW_TARGET_BYTES = 128
# What finding the candidates costs, in microseconds a row (`by_index`; EXPLAIN ANALYZE at
# 100,000 articles): walking past a row by its kept columns, reading a row's words (out of
# line, about 3 KB compressed), a match of the GIN index's bitmap visited and sorted.
WALKED_ROW_US = 0.3
READ_WORDS_US = 6.0
INDEXED_ROW_US = 1.7


def search_table(spec: IndexSpec) -> str:
    return f"{spec.model.__tablename__}_search"


# Tables no model describes: migrations make them, autogenerate leaves them alone (env.py).
TABLES = tuple(search_table(spec) for spec in SPECS.values())


def searched(spec: IndexSpec):
    """The search table of a model, its kept columns typed as the model's."""
    owner = spec.model.__table__.c
    kept = (column(name, owner[name].type) for name in spec.kept)
    return table(search_table(spec), column("id"), *kept, column("words", TSVECTOR))


# --- Keeping the index in step --------------------------------------------------------------


def create_index(connection: Connection, specs) -> None:
    """Create the search tables, their GIN indexes and the triggers that copy the kept
    columns (`IF NOT EXISTS`, `OR REPLACE`: a rebuild calls this)."""
    for spec in specs:
        name, owner = search_table(spec), spec.model.__tablename__
        columns = spec.model.__table__.c
        kept = ", ".join(
            f"{c} {columns[c].type.compile(dialect=connection.dialect)}" for c in spec.kept)
        connection.execute(text(
            f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY "
            f"REFERENCES {owner} (id) ON DELETE CASCADE, {kept}, "
            f"words TSVECTOR NOT NULL DEFAULT '') "
            f"WITH (toast_tuple_target = {ROW_TARGET_BYTES})"))
        connection.execute(text(
            f"CREATE INDEX IF NOT EXISTS ix_{name} ON {name} USING gin (words)"))
        create_trigger(connection, spec)  # fmt: skip


def create_trigger(connection: Connection, spec: IndexSpec) -> None:
    """Copy the kept columns into the search table on every insert and every change of one."""
    name, owner = search_table(spec), spec.model.__tablename__
    listed = ", ".join(spec.kept)
    new = ", ".join(f"NEW.{c}" for c in spec.kept)
    copied = ", ".join(f"{c} = excluded.{c}" for c in spec.kept)
    connection.execute(text(
        f"CREATE OR REPLACE FUNCTION {name}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN INSERT INTO {name} (id, {listed}) VALUES (NEW.id, {new}) "
        f"ON CONFLICT (id) DO UPDATE SET {copied}; RETURN NULL; END $$"))
    connection.execute(text(f"DROP TRIGGER IF EXISTS {name}_keep ON {owner}"))
    connection.execute(text(
        f"CREATE TRIGGER {name}_keep AFTER INSERT OR UPDATE OF {listed} ON {owner} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_keep()"))  # fmt: skip


def drop_index(connection: Connection, specs) -> None:
    for spec in specs:
        name = search_table(spec)
        # CASCADE: the trigger on the model's table goes with its function.
        connection.execute(text(f"DROP FUNCTION IF EXISTS {name}_keep() CASCADE"))
        connection.execute(text(f"DROP TABLE IF EXISTS {name}"))


def words_sql(spec: IndexSpec, folded: str) -> str:
    """SQL for a row's words from its folded text (" f1 | f2 || marked "): each field's words
    with their positions and the field's weight, then the marked words (no positions: a phrase
    is folded words only)."""
    fields = f"string_to_array(split_part({folded}, ' || ', 1), ' | ')"
    parts = [
        f"setweight(to_tsvector('{CONFIG}', coalesce(({fields})[{number + 1}], '')), "
        f"'{WEIGHTS[number % len(WEIGHTS)]}')"
        for number in range(len(spec.fields))
    ]
    marked = f"strip(to_tsvector('{CONFIG}', split_part({folded}, ' || ', 2)))"
    return " || ".join([*parts, marked])


def index_row(connection: Connection, spec: IndexSpec, target) -> None:
    """Write one row's words from its folded column (filled before the row was written); the
    trigger made its row when the model's row was inserted."""
    connection.execute(
        text(f"UPDATE {search_table(spec)} SET words = {words_sql(spec, 'CAST(:folded AS TEXT)')} "
             "WHERE id = :id"),
        {"id": target.id, "folded": target.search_folded},
    )  # fmt: skip


def unindex_row(connection: Connection, spec: IndexSpec, row_id: int) -> None:
    """Nothing to do: the foreign key removed the row's words with it."""


def clear(connection: Connection, spec: IndexSpec) -> None:
    connection.execute(text(f"DELETE FROM {search_table(spec)}"))


def refill(connection: Connection, spec: IndexSpec, entries: list[dict]) -> None:
    """Write every row's words and kept columns from the model's table, in one statement."""
    name, owner = search_table(spec), spec.model.__tablename__
    listed = ", ".join(spec.kept)
    connection.execute(text(
        f"INSERT INTO {name} (id, {listed}, words) "
        f"SELECT id, {listed}, {words_sql(spec, 'search_folded')} FROM {owner}"))
    # The planner's choice between the index and a walk rests on the words' frequencies.
    connection.execute(text(f"ANALYZE {name}"))  # fmt: skip


# --- Finding ---------------------------------------------------------------------------------


def before_search(connection: Connection) -> None:
    """Have PostgreSQL plan this transaction's searches with their own words.

    psycopg prepares a statement run five times, and PostgreSQL then may keep one generic
    plan for it, made without the words' frequencies: the same walk for a rare word as for a
    common one, or the same bitmap. With the plan made for each search's words, p95 at
    100,000 articles went from 99 to 49 ms (BENCHMARKS.md).
    """
    connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def holds(words, terms: list[str]):
    return words.op("@@")(all_of(terms))


def all_of(words: list[str]):
    """A tsquery requiring every word; `plainto_tsquery` reads the words as text, so no
    operator the reader typed (&, |, !, <->, quotes) reaches it."""
    return func.plainto_tsquery(literal_column(f"'{CONFIG}'::regconfig"), literal(" ".join(words)))


def phrase_query(terms: list[str]):
    """A tsquery for the words one after the other inside one field: the same weight for
    every word, any of the four (`words_sql` gives neighbouring fields different ones)."""
    quoted = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms]
    phrases = (" <-> ".join(f"{word}:{weight}" for word in quoted) for weight in WEIGHTS)
    return literal(" | ".join(f"({phrase})" for phrase in phrases)).cast(TSQUERY)


def on_search_table(spec: IndexSpec, found, condition):
    """Return a condition on the model's columns (`Article.visibility()`, a category, dates)
    asked of the search table's copies, so that the rule stays where it is written."""
    owner = spec.model.__table__

    def copy_of(element):
        if isinstance(element, Column) and element.table is owner:
            if element.name not in spec.kept:
                message = f"{owner.name}.{element.name} is not kept in {search_table(spec)}"
                raise ValueError(message)
            return found.c[element.name]
        return None

    # `.expression`: a mapped attribute's column (`Article.publish_at`), or the condition.
    return replacement_traverse(condition.expression, {}, copy_of)


def estimates(connection: Connection, found, wanted, filters: list) -> list[float]:
    """Return the planner's estimates of the search table's rows, of those its filters let
    through, of those holding the words and of those doing both: one EXPLAIN, no row read
    (ANALYZE's count of rows and frequencies of the words)."""
    statement = union_all(
        select(found.c.id),
        select(found.c.id).where(*filters),
        select(found.c.id).where(wanted),
        select(found.c.id).where(wanted, *filters),
    )
    compiled = statement.compile(connection, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    return [max(1.0, part["Plan Rows"]) for part in plan[0]["Plan"]["Plans"]]


def typed(query) -> list[str]:
    """The words a match must hold: each word the reader typed once, with its marks when typed
    with them (until the search falls back to folding), folded otherwise. A marked word's
    folded form adds nothing (a row writing "người" holds "nguoi") but its cost: intersecting
    the index's lists of common words took 30 ms of a four-word search. And the planner
    takes words as independent: "co" and "có" together would look rarer than "có" (`có một
    các` read a 30,000-row bitmap)."""
    if not query.required_marks:
        return query.terms
    return query.plain + query.required_marks


def by_index(connection: Connection, found, wanted, filters: list) -> bool:
    """Whether the GIN index finds a search's newest CANDIDATES matches sooner than a walk.

    The walk reads the newest rows until CANDIDATES of them match: each row's kept columns,
    and the words of those its filters let through. The index's bitmap visits every row
    holding the words and sorts them. The planner judges the walk by its rows alone, not by
    reading each row's words (out of line, about 3 KB): left to itself, it walked 44,000 rows
    (300 ms) for two words in a category where the bitmap took 27 ms.
    """
    return cheaper_by_index(*estimates(connection, found, wanted, filters))


def cheaper_by_index(rows: float, passing: float, holding: float, both: float) -> bool:
    """Compare the two ways from the estimated rows: of the table, passing the filters,
    holding the words, doing both."""
    walked = min(rows, CANDIDATES * rows / both)
    walk = walked * WALKED_ROW_US + walked * passing / rows * READ_WORDS_US
    return holding * INDEXED_ROW_US < walk


def matches(spec: IndexSpec, query, ranking: bool, conditions, moment) -> Matches:
    """Return the newest CANDIDATES matches that meet `conditions`, and their tiers, from the
    search table alone.

    The candidates are a MATERIALIZED CTE, so that the planner bounds them before the tiers
    look at them; `by_index` chooses how they are found. Every filter applies inside the
    bound (an old article of a small category is still found behind thousands of newer
    matches elsewhere): on this narrow table checking each row costs little. No exact-marks
    tier: the candidates hold every marked word typed, or, once the search fell back to
    folded words, none of them does (which is why it fell back).
    """
    found = searched(spec)
    filters = [on_search_table(spec, found, condition) for condition in conditions]
    columns = [found.c.id, on_search_table(spec, found, moment).label("moment"), found.c.words]
    connection = db.session.connection()
    wanted = typed(query)
    indexed = by_index(connection, found, holds(found.c.words, wanted), filters)
    if indexed:
        statement = select(*columns).where(holds(found.c.words, wanted), *filters)
        statement = statement.order_by((found.c.id + 0).desc())
    else:
        passing = select(*columns).where(*filters).order_by(found.c.id.desc()).offset(0)
        passing = passing.subquery("newest")
        statement = select(passing).where(holds(passing.c.words, wanted))
    name = f"{search_table(spec)}_{'matches' if ranking else 'candidates'}"
    hits = statement.limit(CANDIDATES).cte(name).prefix_with("MATERIALIZED")
    phrase = None
    if ranking and len(query.terms) > 1:
        # The words are read again only here, for the candidates.
        phrase = hits.c.words.op("@@")(phrase_query(query.terms))
    return Matches(hits, None, hits.c.id, hits.c.moment, None, phrase, literal(0.0))
