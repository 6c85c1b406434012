"""Reading what the reader typed: the words (folded, and with the marks typed) and the
filters (a category or the documents, a date range), the same for every database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from models import Category, db
from search.text import Highlight, has_marks, unique, words
from vietnamese import fold

# Longer input is cut: nobody types more, and it keeps a hostile query cheap.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Dates a reader may filter by: the site's archive lives well inside these years, and past
# them a day's start or end in Vietnam's zone is no longer a date Python can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999
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
    # How many of the newest matches the backend ranked (None: every match), set by the search.
    bound: int | None = None

    @property
    def searchable(self) -> bool:
        """Two letters at least: one letter would match half the site."""
        return len("".join(self.terms)) >= 2

    @property
    def required_marks(self) -> list[str]:
        """Return the words that must match as typed, marks and all (none once relaxed)."""
        return [] if self.relaxed else self.marked

    def capped(self, total: int) -> bool:
        """Tell whether a result count stopped at the backend's candidates' bound (more exist)."""
        return self.bound is not None and total >= self.bound

    @property
    def category_ids(self) -> list[int]:
        """Return the chosen category and its subcategories (empty: every category)."""
        if self.category is None:
            return []
        return [self.category.id, *(child.id for child in self.category.children)]

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


def highlighted(query: Query) -> Highlight:
    """Mark what matched: the marked words as typed, unless the search fell back to folding."""
    if query.relaxed or not query.marked:
        return Highlight(frozenset(query.terms))
    return Highlight(frozenset(query.plain), frozenset(query.marked))
