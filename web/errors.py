"""Error pages: Vietnamese, in the site's layout, never a stack trace."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from models import db
from web import redirects
from web.pagination import BadPageNumber, first_page

# Codes with a page of their own; any other HTTP error uses the generic page.
OWN_PAGES = {400, 403, 404, 405, 413, 429, 500}


def render_error(error: HTTPException):
    """Render the page for an HTTP error with its status code; an old address the redirect
    table knows gets its 301 instead of the 404 (the only place the table is read)."""
    code = error.code or 500
    if code == 404:
        moved = redirects.answer()
        if moved is not None:
            return moved
    template = f"errors/{code}.html" if code in OWN_PAGES else "errors/generic.html"
    return render_template(template, error=error), code


def handle_server_error(error: InternalServerError):
    """Roll back the failed transaction so the error page itself can read the database."""
    db.session.rollback()
    return render_error(error)


def init_app(app: Flask) -> None:
    app.register_error_handler(BadPageNumber, first_page)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, handle_server_error)
