"""The one reader of `?trang=N`, the page number every list in the site and the desk uses."""

from flask import abort, current_app, redirect, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, select

from models import db
from web.urls import same_page_url

# Past this no list has pages; larger numbers are refused before they reach the database.
MAX_PAGE = 100_000


class BadPageNumber(Exception):
    """The `trang` argument is not a page number; the reader goes to the first page."""


def page_number() -> int:
    """Read `?trang=N`; anything but a positive whole number sends the reader to page 1."""
    raw = request.args.get("trang")
    if raw is None:
        return 1
    # isascii first: "²" passes isdigit() and then fails int().
    digits = raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_PAGE))
    if not digits or raw != str(int(raw)):
        raise BadPageNumber(raw)
    number = int(raw)
    if number == 1 or not 1 <= number <= MAX_PAGE:
        raise BadPageNumber(raw)
    return number


def first_page(_error: BadPageNumber):
    """Answer a bad page number with a permanent redirect to the same list's first page."""
    args = request.args.to_dict()
    args.pop("trang", None)
    return redirect(same_page_url(request.endpoint, request.view_args or {}, args), 301)


# How many pages past the current one a list offers links to; beyond them, "…".
PAGES_AHEAD = 2


class WindowPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination without counting the whole listing: it looks only as far
    as PAGES_AHEAD pages past the current one, so drawing any page of a 100,000-article
    archive costs the same as drawing one of a small site. `pages` is then the last page a
    reader can see from here, which is what the links need.

    One walk of the index serves both: the ids of this page and of the pages ahead are read
    together (the offset is paid once, which is what a far page costs), then this page's
    rows by their primary keys."""

    def _query_items(self) -> list:
        statement: Select = self._query_args["select"]
        session = self._query_args["session"]
        model = statement.column_descriptions[0]["entity"]
        ids = session.scalars(
            statement.with_only_columns(model.id)
            .offset(self._query_offset)
            .limit((1 + PAGES_AHEAD) * self.per_page)
        ).all()
        self._seen = len(ids)
        shown = ids[: self.per_page]
        # By primary key alone: the ids already passed the listing's filter, and with its
        # WHERE and ORDER BY again SQLite would walk the whole listing's index to find them.
        rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(shown)))}
        return [rows[id_] for id_ in shown if id_ in rows]

    def _query_count(self) -> int:
        return self._query_offset + self._seen


def paginate(statement: Select, counted: bool = False):
    """Return page `?trang=N` of a listing; a page past the end does not exist (404).

    Article listings look only a few pages ahead; `counted` lists (the documents registry,
    which says how many it holds) count every row, fine for a few thousand.
    """
    number = page_number()
    per_page = current_app.config["PER_PAGE"]
    if counted:
        pagination = db.paginate(statement, page=number, per_page=per_page, error_out=False)
    else:
        pagination = WindowPagination(
            select=statement, session=db.session(), page=number, per_page=per_page,
            max_per_page=None, error_out=False, count=True,
        )  # fmt: skip
    if number > 1 and not pagination.items:
        abort(404)
    return pagination
