"""The editor desk's blueprint: everything under /admin/ goes through one gate, a live
signed-in session, before any view runs."""

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

import auth
from vietnamese import file_size
from web import errors
from web.templating import SAVED_DRAFTS

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Desk views called by the editor's scripts: their errors come back as JSON, not pages.
JSON_ENDPOINTS: set[str] = set()


def answers_json(view):
    """Mark a desk view as called from JavaScript (uploads, paste cleaning, the picker)."""
    JSON_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
    return view


def wants_json() -> bool:
    return request.endpoint in JSON_ENDPOINTS


def json_error(message: str, status: int):
    return jsonify(error=message), status


@bp.before_request
def require_login():
    """Send anonymous visitors to the login page; an editor whose session ended while
    writing gets the submitted form back with a login box instead (auth.rescue), but only
    on the site's own pages: a POST from elsewhere is refused with a plain 400."""
    auth.check_session()
    if current_user.is_authenticated:
        return None
    if wants_json():
        return json_error("Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi thử lại.", 401)
    if request.method == "POST":
        return auth.rescue_anonymous_post()
    if auth.session_ended():
        flash(auth.session_ended(), "info")
    else:
        flash("Hãy đăng nhập để tiếp tục.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """A script gets a JSON message; a form comes back filled in (auth.csrf_failed)."""
    if wants_json():
        return json_error("Phiên làm việc đã hết hạn. Hãy tải lại trang rồi thử lại.", 400)
    return auth.csrf_failed(error)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """Refused before the body was read, so nothing of it can be shown again: say what was
    not saved and that the article form's local copy is still in the browser. A session
    that ended explains a refused upload better than its size does."""
    auth.check_session()
    session_over = not current_user.is_authenticated
    if wants_json() and session_over:
        return json_error("Phiên đăng nhập đã hết. Hãy đăng nhập lại rồi tải lên lần nữa.", 401)
    if wants_json():
        allowed = file_size(request.max_content_length or 0)
        return json_error(f"Tệp quá lớn; tối đa {allowed}. Hãy thu nhỏ ảnh rồi tải lại.", 413)
    return errors.render_page(error, back=auth.link_back(), session_over=session_over)


def form_page(template: str, **context):
    """Render a desk form page; a POST that gets here was rejected, which answers 422."""
    status = 422 if request.method == "POST" else 200
    return render_template(template, **context), status


def note_saved(form_path: str) -> None:
    """Tell the next page that the form posted to `form_path` was saved: the browser may now
    drop its local copy (static/js/article-form.js reads data-clear-drafts)."""
    session[SAVED_DRAFTS] = [form_path]
