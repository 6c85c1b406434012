"""The one reader of `?trang=N`, the page number every list in the site and the desk uses."""

from flask import abort, current_app, redirect, request, url_for
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func

from models import db

# Past this no list has pages; larger numbers are refused before they reach the database.
MAX_PAGE = 100_000


class BadPageNumber(Exception):
    """The `trang` argument is not a page number; the reader goes to the first page."""


def page_number() -> int:
    """Read `?trang=N`; anything but a positive whole number sends the reader to page 1."""
    raw = request.args.get("trang")
    if raw is None:
        return 1
    if not raw.isdigit() or len(raw) > len(str(MAX_PAGE)) or raw != str(int(raw)):
        raise BadPageNumber(raw)
    number = int(raw)
    if number == 1 or not 1 <= number <= MAX_PAGE:
        raise BadPageNumber(raw)
    return number


def first_page(_error: BadPageNumber):
    """Answer a bad page number with a permanent redirect to the same list's first page."""
    args = request.args.to_dict()
    args.pop("trang", None)
    return redirect(url_for(request.endpoint, **(request.view_args or {}), **args), 301)


class CountedPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination, counting with `SELECT count(*) ... WHERE` instead of
    around a subquery of whole rows, so the count can be read from an index alone."""

    def _query_count(self) -> int:
        statement: Select = self._query_args["select"]
        counting = statement.with_only_columns(func.count(), maintain_column_froms=True)
        return self._query_args["session"].execute(counting.order_by(None)).scalar()


def paginate(statement: Select):
    """Return page `?trang=N` of a listing; a page past the end does not exist (404)."""
    number = page_number()
    per_page = current_app.config["PER_PAGE"]
    pagination = CountedPagination(
        select=statement, session=db.session(), page=number, per_page=per_page,
        max_per_page=None, error_out=False, count=True,
    )  # fmt: skip
    if number > 1 and number > pagination.pages:
        abort(404)
    return pagination
