"""Vietnamese search over articles and documents.

Readers type on phone keyboards, often without marks: every text is indexed in a folded form
(lower case, marks stripped, đ as d; see `vietnamese.fold`) and the query is folded the same way.
Words written with marks are also kept as written, in their own column: a word the reader did
type with marks must match those marks ("Đảng" finds "Đảng", not "đăng" or "Đồng Đăng"). Only
when nothing matches that way does the search fall back to the folded words, and the page says
so (`Query.relaxed`).

ORM events keep the index in step with every insert, update and delete of an Article or a
Document, whatever view or command made it. On SQLite the folded text lives in FTS5 tables,
ranked by bm25; elsewhere (PostgreSQL) the `search_folded` column is searched word by word with
LIKE. Whether an article may be shown is decided when the query runs, with
`Article.visibility()`, so a scheduled article turns up on time and an unpublished one never does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    column,
    event,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.sql.expression import TableClause

from extensions import data_imported
from internals import CallablePagination
from models import Article, Category, Document, db
from vietnamese import VN_TZ, fold

TOKEN = re.compile(r"[^\W_]+")
# Longer input is cut: nobody types more, and it keeps a hostile query cheap.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Dates a reader may filter by: the site's archive lives well inside these years, and past
# them a day's start or end in Vietnam's zone is no longer a date Python can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999
SNIPPET_WORDS = 32
# A search ranks at most this many of the newest matches its filters let through (`newest`).
CANDIDATES = 1000
# Snippets are cut from the beginning of long bodies; that is where the news is.
SNIPPET_SOURCE_CHARS = 20_000
FTS_TOKENIZER = "unicode61 remove_diacritics 0"


@dataclass(frozen=True)
class IndexSpec:
    """How one model is indexed: its FTS5 table, its fields and their bm25 weights."""

    model: type
    fts: TableClause
    fields: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def table(self) -> str:
        return self.fts.name

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.fields, "marked")


ARTICLES = IndexSpec(
    Article,
    table("article_fts", column("rowid")),
    ("title", "summary", "body_text", "author", "source"),
    (10.0, 4.0, 1.0, 2.0, 2.0),
)
DOCUMENTS = IndexSpec(
    Document,
    table("document_fts", column("rowid")),
    ("number", "title", "doc_type", "issuer", "signer", "field"),
    (8.0, 10.0, 2.0, 2.0, 2.0, 2.0),
)
SPECS = {Article: ARTICLES, Document: DOCUMENTS}
FTS_TABLES = tuple(spec.table for spec in SPECS.values())


# --- Words and folding -------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Split text into lower-case words, composing marks first (Word pastes may be NFD)."""
    return TOKEN.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """Fold one word, remembered: a rebuild folds the same few thousand words millions of times."""
    return fold(word)


def has_marks(word: str) -> bool:
    return fold_word(word) != word


def unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def folded_field(text: str | None) -> str:
    return " ".join(fold_word(word) for word in words(text or ""))


def marked_words(texts) -> str:
    """Return each word written with marks once, as written, for exact-match ranking."""
    return " ".join(unique(w for text in texts for w in words(text or "") if has_marks(w)))


def field_texts(spec: IndexSpec, source) -> list[str]:
    """Read the spec's fields from a model object or a result row."""
    return [getattr(source, name) or "" for name in spec.fields]


def folded_record(texts: list[str]) -> str:
    """Return the text of `search_folded`: folded fields, then the marked words.

    Words are separated by single spaces and the fields by " | ", with spaces around, so that
    `LIKE '% word %'` matches whole words and a phrase never spans two fields.
    """
    folded = " | ".join(folded_field(text) for text in texts)
    return f" {folded} || {marked_words(texts)} "


# --- Keeping the index in step --------------------------------------------------------------


def fill_folded(_mapper, _connection, target) -> None:
    target.search_folded = folded_record(field_texts(SPECS[type(target)], target))


def index_row(_mapper, connection: Connection, target) -> None:
    """Replace the row's entry in its FTS5 table (SQLite only)."""
    if connection.dialect.name == "sqlite":
        write_entry(connection, SPECS[type(target)], target.id, target)


def unindex_row(_mapper, connection: Connection, target) -> None:
    if connection.dialect.name == "sqlite":
        spec = SPECS[type(target)]
        connection.execute(text(f"DELETE FROM {spec.table} WHERE rowid = :id"), {"id": target.id})


def entry_values(spec: IndexSpec, row_id: int, source) -> dict:
    """Return the FTS5 row of an object or a result row: folded fields and marked words."""
    texts = field_texts(spec, source)
    values = {name: folded_field(value) for name, value in zip(spec.fields, texts, strict=True)}
    return values | {"marked": marked_words(texts), "id": row_id}


def insert_entry(spec: IndexSpec):
    names = ", ".join(spec.columns)
    params = ", ".join(f":{name}" for name in spec.columns)
    return text(f"INSERT INTO {spec.table} (rowid, {names}) VALUES (:id, {params})")


def write_entry(connection: Connection, spec: IndexSpec, row_id: int, source) -> None:
    """Replace one row's FTS5 entry."""
    connection.execute(text(f"DELETE FROM {spec.table} WHERE rowid = :id"), {"id": row_id})
    connection.execute(insert_entry(spec), entry_values(spec, row_id, source))


def create_index_tables(connection: Connection) -> None:
    """Create the FTS5 tables on SQLite; other databases search the folded column."""
    if connection.dialect.name != "sqlite":
        return
    for spec in SPECS.values():
        connection.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {spec.table} USING fts5("
                f"{', '.join(spec.columns)}, tokenize='{FTS_TOKENIZER}')"
            )
        )


def drop_index_tables(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for name in FTS_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {name}"))


def after_create(_metadata, connection, **_kw) -> None:
    """Tests and `db.create_all()` get the FTS5 tables with the rest (production: migrations)."""
    create_index_tables(connection)


def before_drop(_metadata, connection, **_kw) -> None:
    drop_index_tables(connection)


def rebuild(connection: Connection) -> dict[str, int]:
    """Refold every article and document and rewrite the index; return counts by table."""
    create_index_tables(connection)
    counts = {}
    for spec in SPECS.values():
        counts[spec.table] = rebuild_model(connection, spec)
    return counts


def after_import(_app, **_extra) -> None:
    """An import writes its rows in bulk, past the ORM events: index them all at once."""
    rebuild(db.session.connection())
    db.session.commit()


# Which function keeps the index in step at each ORM event of an indexed model.
ROW_LISTENERS = (
    ("before_insert", fill_folded),
    ("before_update", fill_folded),
    ("after_insert", index_row),
    ("after_update", index_row),
    ("after_delete", unindex_row),
)


def listen_once(target, name: str, function) -> None:
    """Attach a listener unless it is there: SQLAlchemy's events are global, apps are many."""
    if not event.contains(target, name, function):
        event.listen(target, name, function)


def init_app(_app) -> None:
    """Keep the index in step with every write of an Article or Document, whoever makes it."""
    for model in SPECS:
        for name, function in ROW_LISTENERS:
            listen_once(model, name, function)
    listen_once(db.metadata, "after_create", after_create)
    listen_once(db.metadata, "before_drop", before_drop)
    data_imported.connect(after_import)


def rebuild_model(connection: Connection, spec: IndexSpec) -> int:
    model = spec.model
    columns = model.__table__.c
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {spec.table}"))
    # Only the indexed columns are read, so this also runs inside an old migration.
    rows = connection.execute(select(columns.id, *(columns[f] for f in spec.fields))).all()
    if not rows:
        return 0
    # Setting updated_at to itself keeps its on-update default from touching every row.
    statement = (
        update(model.__table__)
        .where(columns.id == bindparam("row_id"))
        .values(search_folded=bindparam("folded"), updated_at=columns.updated_at)
    )
    # Each row is folded once: its FTS5 entry holds the same words as its folded column.
    entries = [entry_values(spec, row.id, row) for row in rows]
    connection.execute(
        statement,
        [{"row_id": entry["id"], "folded": folded_from_entry(spec, entry)} for entry in entries],
    )
    if connection.dialect.name == "sqlite":
        connection.execute(insert_entry(spec), entries)
    return len(rows)


def folded_from_entry(spec: IndexSpec, entry: dict) -> str:
    """Return `folded_record` of a row from its FTS5 entry, without folding it again."""
    folded = " | ".join(entry[name] for name in spec.fields)
    return f" {folded} || {entry['marked']} "


# --- Reading what the reader typed -----------------------------------------------------------

DOCUMENTS_ONLY = "van-ban"


@dataclass
class Query:
    """A reader's search: the words, folded and as typed, and the filters."""

    typed: str = ""
    terms: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    # Folded words the reader typed without marks: they match whatever the marks.
    plain: list[str] = field(default_factory=list)
    # True once nothing matched the marks as typed and the search fell back to folded words.
    relaxed: bool = False
    category: Category | None = None
    documents_only: bool = False
    start: date | None = None
    end: date | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        """Two letters at least: one letter would match half the site."""
        return len("".join(self.terms)) >= 2

    @property
    def required_marks(self) -> list[str]:
        """Return the words that must match as typed, marks and all (none once relaxed)."""
        return [] if self.relaxed else self.marked

    def capped(self, total: int) -> bool:
        """Tell whether a result count stopped at FTS5's candidates' bound (more exist)."""
        return backend() == "sqlite" and total >= CANDIDATES

    @property
    def filtered(self) -> bool:
        return bool(self.scope or self.start or self.end)

    @property
    def args(self) -> dict[str, str | None]:
        """Return the query as address arguments, for page links (None drops one)."""
        return {
            "q": self.typed,
            "muc": self.scope or None,
            "tu": self.start.isoformat() if self.start else None,
            "den": self.end.isoformat() if self.end else None,
        }

    @property
    def scope(self) -> str:
        if self.documents_only:
            return DOCUMENTS_ONLY
        return self.category.slug if self.category else ""


def parse_query(args) -> Query:
    """Read `q`, `muc`, `tu` and `den` from the request; bad filters become notes, not errors."""
    typed = " ".join((args.get("q") or "").split())[:MAX_QUERY_CHARS]
    typed_words = words(typed)
    query = Query(
        typed=typed,
        terms=unique(fold(word) for word in typed_words)[:MAX_TERMS],
        marked=unique(word for word in typed_words if has_marks(word))[:MAX_TERMS],
        plain=unique(fold(word) for word in typed_words if not has_marks(word))[:MAX_TERMS],
    )
    read_scope(query, (args.get("muc") or "").strip())
    query.start = read_date(query, args.get("tu"), "Từ ngày")
    query.end = read_date(query, args.get("den"), "Đến ngày")
    if query.start and query.end and query.start > query.end:
        query.start, query.end = query.end, query.start
    return query


def read_scope(query: Query, scope: str) -> None:
    if not scope:
        return
    if scope == DOCUMENTS_ONLY:
        query.documents_only = True
        return
    query.category = db.session.scalar(select(Category).where(Category.slug == scope))
    if query.category is None:
        query.problems.append("Không có chuyên mục này; kết quả dưới đây tìm trong cả trang.")


def read_date(query: Query, raw: str | None, label: str) -> date | None:
    """Accept 2026-05-14 (date pickers) and 14/05/2026 (typed by hand)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    day = parse_date(raw)
    if day is None:
        query.problems.append(
            f"{label} “{raw[:20]}” không hợp lệ, nên chưa được dùng; "
            "hãy nhập theo dạng ngày/tháng/năm."
        )
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        query.problems.append(
            f"{label} “{raw[:20]}” nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}, "
            "nên chưa được dùng."
        )
        return None
    return day


def parse_date(raw: str) -> date | None:
    """Read a date in one of the shapes readers type; None when it is none of them."""
    # strptime also takes other scripts' digits and any length of year: only ASCII dates.
    if len(raw) > 10 or not raw.isascii():
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


# --- Finding -----------------------------------------------------------------------------


def fts_match(spec: IndexSpec, expression: str):
    return literal_column(spec.table).op("MATCH")(literal(expression))


def fts_rowids(spec: IndexSpec, expression: str):
    fts = spec.fts
    return select(fts.c.rowid).where(fts_match(spec, expression)).correlate(None)


def all_of(columns: str, terms: list[str]) -> str:
    """FTS5 text requiring every term in the given columns; terms are letters and digits only,
    and quoted, so no operator the reader typed (AND, NEAR, *, quotes) reaches FTS5."""
    return " AND ".join(f'{{{columns}}} : "{term}"' for term in terms)


def match_text(spec: IndexSpec, query: Query) -> str:
    """FTS5 text for the query: every folded word, and the words typed with marks as typed."""
    expression = all_of(" ".join(spec.fields), query.terms)
    if query.required_marks:
        expression += " AND " + all_of("marked", query.required_marks)
    return expression


def newest(statement, spec: IndexSpec, conditions: list):
    """Bound a search to the newest CANDIDATES matches that meet `conditions`, which FTS5
    walks in rowid order and stops: a word found in every article costs what a rare one does.

    A filtered search (a category, a date range) passes its filters here, so that an old
    article of a small category is still found behind thousands of newer matches elsewhere;
    applied after the walk, the bound would hide it, and without the bound a common word in a
    category ranked every match (the slowest searches at 100,000 articles). An unfiltered
    search passes none: a lookup per walked row would cost more than it saves.
    """
    if conditions:
        # A correlated EXISTS, not a join: joined, SQLite may walk the articles of a date
        # range by their index and run the full-text query again for each one.
        passes = select(spec.model.id).where(spec.model.id == spec.fts.c.rowid, *conditions)
        statement = statement.where(passes.exists())
    return statement.order_by(spec.fts.c.rowid.desc()).limit(CANDIDATES)


def tiers_sqlite(spec: IndexSpec, query: Query, ranking: bool = True, conditions=()):
    """Return (source, where, exact, phrase, score) for FTS5; without ranking, just the rows.

    The matches are a MATERIALIZED CTE, so that FTS5 runs once per query: joined directly,
    SQLite may walk the articles by status and run the full-text query again for each one.
    """
    columns = " ".join(spec.fields)
    inside = list(conditions) if query.filtered else []
    where = true() if query.filtered else and_(true(), *conditions)
    if not ranking:
        # Counting walks the candidates and looks each row up by id: `id IN (matches)` let
        # SQLite walk every visible article instead, which grows with the archive.
        found = select(spec.fts.c.rowid.label("rowid")).where(
            fts_match(spec, match_text(spec, query))
        )
        matches = newest(found, spec, inside).cte(f"{spec.table}_candidates")
        matches = matches.prefix_with("MATERIALIZED")
        source = matches.join(spec.model, spec.model.id == matches.c.rowid)
        return source, where, None, None, literal(0.0)
    found = select(
        spec.fts.c.rowid.label("rowid"),
        func.bm25(literal_column(spec.table), *spec.weights, 0.0).label("score"),
    ).where(fts_match(spec, match_text(spec, query)))
    matches = newest(found, spec, inside).cte(f"{spec.table}_matches")
    matches = matches.prefix_with("MATERIALIZED")
    # The tiers look only as far back as the candidates go (FTS5 reads a rowid range).
    oldest = select(func.min(matches.c.rowid)).scalar_subquery()

    def among_matches(expression: str):
        return matches.c.rowid.in_(fts_rowids(spec, expression).where(spec.fts.c.rowid >= oldest))

    exact = phrase = None
    if query.marked:
        exact = among_matches(all_of("marked", query.marked))
    if len(query.terms) > 1:
        phrase = among_matches(f'{{{columns}}} : "{" ".join(query.terms)}"')
    source = matches.join(spec.model, spec.model.id == matches.c.rowid)
    return source, where, exact, phrase, matches.c.score


def tiers_folded_column(spec: IndexSpec, query: Query, ranking: bool = True, conditions=()):
    """Return (source, where, exact, phrase, score) for LIKE over `search_folded`."""
    folded = spec.model.search_folded

    def has(words_: list[str]):
        return and_(*(folded.contains(f" {word} ", autoescape=True) for word in words_))

    exact = has(query.marked) if query.marked and ranking else None
    phrase = has([" ".join(query.terms)]) if len(query.terms) > 1 and ranking else None
    # The marked words sit after " || " in the column, so " đảng " can only match there.
    where = and_(has(query.terms + query.required_marks), *conditions)
    return spec.model, where, exact, phrase, literal(0.0)


def ranked(spec: IndexSpec, query: Query, kind: str, moment, dialect: str, ranking: bool,
           conditions: list):
    """Select (kind, id, exact, phrase, score, moment) of the matching rows of one model that
    meet `conditions`."""
    tiers = tiers_sqlite if dialect == "sqlite" else tiers_folded_column
    source, where, exact, phrase, score = tiers(spec, query, ranking, conditions)
    model = spec.model
    return (
        select(
            literal(kind).label("kind"),
            model.id.label("id"),
            flag(exact).label("exact"),
            flag(phrase).label("phrase"),
            score.label("score"),
            moment.label("moment"),
        )
        .select_from(source)
        .where(where)
    )


def flag(condition):
    """Turn a ranking condition into 1 or 0 (0 when the query has no such tier)."""
    return literal(0) if condition is None else case((condition, 1), else_=0)


def article_hits(query: Query, dialect: str, ranking: bool):
    conditions = [Article.visibility()]
    if query.category is not None:
        ids = [query.category.id, *(child.id for child in query.category.children)]
        conditions.append(Article.category_id.in_(ids))
    if query.start:
        conditions.append(Article.publish_at >= local_midnight(query.start))
    if query.end:
        conditions.append(Article.publish_at < local_midnight(query.end + timedelta(1)))
    return ranked(ARTICLES, query, "article", Article.publish_at, dialect, ranking, conditions)


def document_hits(query: Query, dialect: str, ranking: bool):
    conditions = []
    if query.start:
        conditions.append(Document.issued_on >= query.start)
    if query.end:
        conditions.append(Document.issued_on <= query.end)
    return ranked(DOCUMENTS, query, "document", Document.issued_on, dialect, ranking, conditions)


def local_midnight(day: date) -> datetime:
    """Return the start of a Vietnamese calendar day as aware UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ).astimezone(UTC)


def backend() -> str:
    """Name the database in use: "sqlite" searches FTS5, others the folded column."""
    return db.session.get_bind().dialect.name


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
    """Return the ranked union of the parts, best first."""
    hits = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    # Only kind and id are read back: `moment` mixes dates and times, fine to sort, not to load.
    return select(hits.c.kind, hits.c.id).order_by(
        hits.c.exact.desc(), hits.c.phrase.desc(), hits.c.score, hits.c.moment.desc(),
        hits.c.kind, hits.c.id.desc(),
    )  # fmt: skip


def count_statement(query: Query):
    """Count the matches without ranking them: bm25 and the tiers cost time for nothing."""
    parts = matching_parts(query, ranking=False)
    return select(func.count()).select_from(union_all(*parts).subquery())


@dataclass
class Hit:
    """One result: an article or a document, with its title and snippet marked up."""

    kind: str
    item: Article | Document
    title: Markup
    snippet: Markup


def hit_page(query: Query, parts: list, limit: int, offset: int) -> list[Hit]:
    """One page of ranked hits, loaded and marked up."""
    rows = db.session.execute(hits_statement(parts).limit(limit).offset(offset))
    return load_hits(rows.all(), query)


def run(query: Query, page: int, per_page: int) -> CallablePagination:
    """Return the page of ranked hits for a searchable query; when nothing matches the marks
    the reader typed, fall back to the folded words and note it on the query."""
    results = hit_pages(query, page, per_page)
    if results.total == 0 and query.marked and not query.relaxed:
        query.relaxed = True
        results = hit_pages(query, page, per_page)
    return results


def hit_pages(query: Query, page: int, per_page: int) -> CallablePagination:
    parts = matching_parts(query)
    return CallablePagination(
        page, per_page, items=lambda limit, offset: hit_page(query, parts, limit, offset),
        total=lambda: db.session.scalar(count_statement(query)),
    )


def load_hits(rows, query: Query) -> list[Hit]:
    """Load the page's articles and documents in ranked order and mark up what matched."""
    ids = {"article": [], "document": []}
    for row in rows:
        ids[row.kind].append(row.id)
    found = {
        ("article", a.id): a
        for a in db.session.scalars(select(Article).where(Article.id.in_(ids["article"])))
    } | {
        ("document", d.id): d
        for d in db.session.scalars(select(Document).where(Document.id.in_(ids["document"])))
    }
    terms = highlighted(query)
    return [
        make_hit(row.kind, found[(row.kind, row.id)], terms)
        for row in rows
        if (row.kind, row.id) in found
    ]


@dataclass(frozen=True)
class Highlight:
    """What to mark in results: folded words (any marks) and words with their marks."""

    folded: frozenset[str]
    marked: frozenset[str] = frozenset()

    def matches(self, folded: str, written: str) -> bool:
        return folded in self.folded or written.lower() in self.marked


def highlighted(query: Query) -> Highlight:
    """Mark what matched: the marked words as typed, unless the search fell back to folding."""
    if query.relaxed or not query.marked:
        return Highlight(frozenset(query.terms))
    return Highlight(frozenset(query.plain), frozenset(query.marked))


def make_hit(kind: str, item, terms: Highlight | set[str]) -> Hit:
    if kind == "article":
        text = f"{item.summary}\n{item.body_text[:SNIPPET_SOURCE_CHARS]}"
        return Hit(kind, item, mark_up(item.title, terms), mark_up(text, terms, SNIPPET_WORDS))
    details = " · ".join(part for part in (item.number, item.doc_type, item.issuer) if part)
    return Hit(kind, item, mark_up(item.title, terms), mark_up(details, terms))


# --- Showing what matched -----------------------------------------------------------------


def fold_aligned(text: str) -> str:
    """Fold text so that each character stays at its index, for mapping matches back."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    # A few letters fold to more or fewer characters (İ, ligatures): fold one by one.
    return "".join((fold(ch) or ch)[:1] for ch in text)


def mark_up(text: str, terms: Highlight | set[str], window: int | None = None) -> Markup:
    """Escape text and wrap the words that match the query in <mark>.

    With `window`, keep only that many words around the densest cluster of matches.
    """
    if not isinstance(terms, Highlight):
        terms = Highlight(frozenset(terms))
    text = unicodedata.normalize("NFC", text or "")
    tokens = list(TOKEN.finditer(fold_aligned(text)))
    if not tokens:
        return escape(text)
    hits = {i for i, t in enumerate(tokens) if terms.matches(t.group(), text[t.start() : t.end()])}
    first, last = 0, len(tokens)
    if window is not None:
        first = best_window(tokens, sorted(hits), window)
        last = min(len(tokens), first + window)
    begin = tokens[first].start() if first else 0
    end = tokens[last - 1].end() if last < len(tokens) else len(text)
    pieces = [Markup("… ") if begin else Markup("")]
    position = begin
    for index in range(first, last):
        token = tokens[index]
        if index in hits:
            pieces += [escape(text[position : token.start()]), Markup("<mark>")]
            pieces += [escape(text[token.start() : token.end()]), Markup("</mark>")]
            position = token.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(Markup(" …"))
    return Markup("").join(pieces)


def best_window(tokens: list[re.Match], hits: list[int], window: int) -> int:
    """Return the first word of the window showing the most distinct terms (then the most)."""
    matches = hits[:200]
    best, best_key = 0, (0, 0)
    for index in matches:
        start = max(0, index - 4)
        inside = [tokens[i].group() for i in matches if start <= i < start + window]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best, best_key = start, key
    return best
