"""The editor desk's blueprint: everything under /admin/ needs a signed-in user."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_login() -> None:
    """Send anonymous visitors to the login page before any editor view runs."""
