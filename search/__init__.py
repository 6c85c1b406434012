"""Vietnamese search over articles and documents: the one interface every caller uses.

Readers type on phone keyboards, often without marks: every text is indexed folded (lower
case, marks stripped, đ as d) and the query is folded the same way. A word the reader did type
with marks must match those marks ("Đảng" finds "Đảng", not "đăng" or "Đồng Đăng"); only when
nothing matches that way does the search fall back to the folded words, and the page says so
(`Query.relaxed`).

What is the same on every database lives in `text` (words, folding, highlighting), `query`
(what the reader typed), `specs` (what is indexed), `index` (keeping it in step, and the one
choice of backend by the engine's dialect) and `finding` (ranking, pages of hits). Each
dialect's specifics live in its own module with the same functions, as Wagtail keeps its
search backends: `sqlite` (FTS5 tables, bm25) and `postgresql` (words tables, GIN).
"""

from search.finding import Hit, run
from search.index import (
    backend,
    create_index_tables,
    drop_index_tables,
    init_app,
    rebuild,
)
from search.query import Query, highlighted, parse_query
from search.sqlite import FTS_TOKENIZER
from search.text import (
    SNIPPET_WORDS,
    Highlight,
    folded_field,
    folded_record,
    mark_up,
    marked_words,
    words,
)

__all__ = [
    "FTS_TOKENIZER", "SNIPPET_WORDS", "Highlight", "Hit", "Query", "backend",
    "create_index_tables", "drop_index_tables", "folded_field", "folded_record", "highlighted",
    "init_app", "mark_up", "marked_words", "parse_query", "rebuild", "run", "words",
]  # fmt: skip
