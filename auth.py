"""Logging in and out of the editor desk, sessions that end, throttled guessing, role checks,
and the rescue of a form whose session or CSRF token expired while the editor was typing."""

import hashlib
import hmac
from datetime import timedelta
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

import models
from extensions import login_manager
from forms import ConfirmForm, LoginForm
from models import AuditLog, LoginAttempt, User, db
from web import errors
from web.security import is_desk_path, is_safe_next

bp = Blueprint("auth", __name__, url_prefix="/admin")

login_manager.login_view = "auth.login"
login_manager.login_message = "Hãy đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần. Hãy chờ {minutes} phút rồi thử lại."
SESSION_ENDED = "Phiên làm việc đã kết thúc vì lâu không thao tác. Hãy đăng nhập lại."
# Fields of a rescued form that must never be echoed back into the page.
NEVER_ECHOED = ("csrf_token", "password", "relogin_username", "relogin_password")


def setting(name: str) -> int:
    """Read one of the sign-in settings (defaults in settings.py)."""
    return current_app.config[name]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user; a deactivated account is signed out at its next request."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def role_required(*roles: str):
    """Let only users with one of these roles through; others get a 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admins_only = role_required("admin")
editors_only = role_required("admin", "editor")


def audit(action: str, obj=None, detail: str = "", user: User | None = None) -> None:
    """Record who did what to which object (the caller commits)."""
    user = user or (current_user if current_user.is_authenticated else None)
    db.session.add(
        AuditLog(
            user_id=user.id if user else None,
            username=user.username if user else "",
            action=action,
            object_type=type(obj).__name__.lower() if obj is not None else "",
            object_id=getattr(obj, "id", None),
            detail=detail,
            ip=client_address(),
            created_at=models.utcnow(),
        )
    )


def client_address() -> str:
    return (request.remote_addr or "")[:64]


# --- Sessions that end --------------------------------------------------------------------


def password_stamp(user: User) -> str:
    """A keyed digest of the password hash: a new password ends the user's other sessions."""
    key = current_app.secret_key.encode() if current_app.secret_key else b""
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:20]


def keep_stamp(user: User) -> None:
    """Note the password this session was opened with (again, after changing one's own)."""
    session["stamp"] = password_stamp(user)


def start_session(user: User) -> None:
    """Sign the user in for this browser and record the login."""
    login_user(user)
    session.permanent = True
    keep_stamp(user)
    session["seen"] = int(models.utcnow().timestamp())
    user.last_login_at = models.utcnow()
    LoginAttempt.forget(user.username)
    audit("login", user, user=user)


def check_session() -> None:
    """End a session that sat idle too long or whose password changed; else note activity."""
    if not current_user.is_authenticated:
        return
    now = int(models.utcnow().timestamp())
    idle = now - session.get("seen", 0) > setting("SESSION_IDLE_MINUTES") * 60
    if idle or session.get("stamp") != password_stamp(current_user):
        logout_user()
        session.pop("seen", None)
        request.environ["bantin.session_ended"] = True
        return
    session["seen"] = now


def session_ended() -> bool:
    """Tell whether this very request found the user's session too old and ended it."""
    return request.environ.get("bantin.session_ended", False)


# --- Throttled sign-in ----------------------------------------------------------------------


def window_start():
    return models.utcnow() - timedelta(minutes=setting("LOGIN_WINDOW_MINUTES"))


def is_throttled(username: str) -> bool:
    """Tell whether this account name or this address failed too often lately."""
    since = window_start()
    recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.created_at > since)
    by_name = db.session.scalar(recent.where(LoginAttempt.username == LoginAttempt.key(username)))
    by_address = db.session.scalar(recent.where(LoginAttempt.ip == client_address()))
    return by_name >= setting("LOGIN_MAX_FAILURES_PER_ACCOUNT") or by_address >= setting(
        "LOGIN_MAX_FAILURES_PER_ADDRESS"
    )


def record_failure(username: str) -> None:
    """Keep a failed attempt, and forget those too old to count."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at <= window_start()))
    db.session.add(
        LoginAttempt(
            username=LoginAttempt.key(username), ip=client_address(), created_at=models.utcnow()
        )
    )
    db.session.commit()


def dummy_hash() -> str:
    """A hash to check against when the user is unknown, so both cases take as long."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("dummy_hash", {})
    if method not in cache:
        cache[method] = generate_password_hash("not-a-password", method=method)
    return cache[method]


def authenticate(username: str, password: str) -> tuple[User | None, str]:
    """Return (user, "") for good credentials, else (None, message), counting failures."""
    if is_throttled(username):
        return None, THROTTLED.format(minutes=setting("LOGIN_WINDOW_MINUTES"))
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(dummy_hash(), password)
    elif user.active and user.check_password(password):
        return user, ""
    record_failure(username)
    return None, LOGIN_FAILED


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the editor in."""
    check_session()
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user, message = authenticate(form.username.data, form.password.data)
        if user:
            start_session(user)
            db.session.commit()
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("admin.dashboard"))
        flash(message, "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and end the session."""
    if ConfirmForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/ping")
def ping():
    """Keep an editor's session alive while they type; 401 tells the page it has ended."""
    check_session()
    return ("", 204) if current_user.is_authenticated else ("", 401)


# --- Rescuing a form whose session or token expired --------------------------------------

# Endpoints that know how to show their own form again from the submitted data.
RESCUERS = {}


def rescuer(endpoint: str):
    """Register a function that re-renders `endpoint`'s form from request.form."""

    def register(function):
        RESCUERS[endpoint] = function
        return function

    return register


def relogin_if_asked() -> str | None:
    """Sign in with the login box of a rescued form; return an error message on failure."""
    username = request.form.get("relogin_username", "")
    if not username:
        return None
    user, message = authenticate(username, request.form.get("relogin_password", ""))
    if user is None:
        return message
    start_session(user)
    db.session.commit()
    return None


def rescue(message: str, status: int):
    """Show the submitted form again with the message, and a login box if it is needed."""
    check_session()
    if not current_user.is_authenticated:
        message = SESSION_ENDED if session_ended() else message
    render = RESCUERS.get(request.endpoint, render_resubmit)
    return render(message), status


def render_resubmit(message: str) -> str:
    """Any other form: keep what was sent in hidden fields, ready to send again."""
    fields = [
        (name, value)
        for name in request.form
        if name not in NEVER_ECHOED and "password" not in name
        for value in request.form.getlist(name)
    ]
    return render_template(
        "admin/resubmit.html", message=message, fields=fields, lost_files=bool(request.files)
    )


def rescue_anonymous_post():
    """An editor whose session ended posted a form: sign in from its login box, or show it."""
    error = relogin_if_asked()
    if current_user.is_authenticated:
        return None
    return rescue(error or SESSION_ENDED, 401)


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """An expired or missing token never costs an editor their text: show the form again."""
    if request.method == "POST" and is_desk_path(request.path):
        return rescue(
            "Phiên làm việc đã hết hạn nên biểu mẫu chưa được lưu. Nội dung bạn nhập vẫn còn "
            "dưới đây: hãy kiểm tra rồi bấm lưu lại.",
            400,
        )
    return errors.render_error(error)


@rescuer("auth.login")
def rescue_login(message: str) -> str:
    form = LoginForm(formdata=None, username=request.form.get("username", ""))
    form.next.data = request.form.get("next", "")
    flash("Trang đăng nhập đã để quá lâu. Hãy nhập lại mật khẩu.", "info")
    return render_template("auth/login.html", form=form)
