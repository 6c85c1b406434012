"""The editor desk's blueprint: everything under /admin/ needs a signed-in user."""

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user

import auth

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_login():
    """Send anonymous visitors to the login page; an editor whose session ended while
    writing gets the submitted form back with a login box instead (auth.rescue)."""
    auth.check_session()
    if current_user.is_authenticated:
        return None
    if request.method == "POST":
        return auth.rescue_anonymous_post()
    if auth.session_ended():
        flash(auth.SESSION_ENDED, "info")
    else:
        flash("Hãy đăng nhập để tiếp tục.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def note_saved(form_path: str) -> None:
    """Tell the next page that the form posted to `form_path` was saved: the browser may now
    drop its local copy (static/js/article-form.js reads data-clear-drafts)."""
    session["saved_drafts"] = [form_path]


@bp.app_template_global()
def saved_drafts() -> list[str]:
    """Return, once, the forms whose local copies the browser may drop."""
    return session.pop("saved_drafts", [])
