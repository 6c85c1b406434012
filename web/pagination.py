"""The one reader of `?trang=N`, the page number every list in the site and the desk uses."""

from flask import redirect, request, url_for

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
