"""Logging in and out of the editor desk, sessions that end, throttled guessing, role checks,
and the rescue of a form whose session or CSRF token expired while the editor was typing.

The province's IT officers sign in through the same functions (`sign_in`, `check_session`,
`sign_out`, `authenticate`), in the registry's database where the entry app's `db` reads:
one design for every account, whichever database holds it (province.py's own pages only
choose the template and where to go next)."""

from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import delete, exists, func, select
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.security import check_password_hash, generate_password_hash

import models
from extensions import login_manager
from forms import ConfirmForm, LoginForm
from models import AuditLog, LoginAttempt, SignIn, User, db
from web import errors
from web.limits import Rate, limit_public_post
from web.security import is_desk_path, is_safe_next

bp = Blueprint("auth", __name__, url_prefix="/admin")

login_manager.login_view = "auth.login"
login_manager.login_message = "Hãy đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần. Hãy chờ {minutes} phút rồi thử lại."
TOO_FAST = "Máy chủ đang nhận quá nhiều lượt đăng nhập. Hãy chờ {seconds} giây rồi thử lại."
SESSION_ENDED = "Phiên làm việc đã kết thúc vì lâu không thao tác. Hãy đăng nhập lại."
SESSION_REVOKED = (
    "Phiên đăng nhập này đã kết thúc (đã đăng xuất, đổi mật khẩu hoặc tài khoản bị khóa). "
    "Hãy đăng nhập lại."
)
# Fields of a rescued form that must never be echoed back into the page.
NEVER_ECHOED = ("csrf_token", "password", "relogin_username", "relogin_password")
# The session key holding the sign-in's token (its digest is in the sign_in table).
TOKEN_KEY = "sign_in"
# A sign-in's last activity is written at most this often: not one write per request.
TOUCH_EVERY = timedelta(minutes=1)
# Sign-ins ended or unused this long are forgotten; until then their addresses count as known.
KEEP_SIGN_INS = timedelta(days=90)


def setting(name: str) -> int:
    """Read one of the sign-in settings (defaults in settings.py)."""
    return current_app.config[name]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the user of this browser's open sign-in; a revoked or locked one is nobody."""
    sign_in = SignIn.find(session.get(TOKEN_KEY))
    if sign_in is None or str(sign_in.user_id) != user_id or not sign_in.user.active:
        return None
    g.sign_in = sign_in
    return sign_in.user


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
    """Record who did what to which object, from the desk: the signed-in user (unless another
    is named) and the request's address (the caller commits)."""
    user = user or (current_user if current_user.is_authenticated else None)
    AuditLog.record(action, obj, detail, user, client_address())


def client_address() -> str:
    return (request.remote_addr or "")[:64]


# --- Sessions that end --------------------------------------------------------------------


def start_session(user: User, action: str = "login") -> None:
    """Sign the user in for this browser in a fresh session, and record it in the table."""
    # Nothing of the anonymous session survives, its CSRF token least of all.
    session.clear()
    now = models.utcnow()
    SignIn.prune(now - KEEP_SIGN_INS)
    sign_in, token = SignIn.open(user, client_address(), request.user_agent.string)
    login_user(user)
    session.permanent = True
    session[TOKEN_KEY] = token
    g.sign_in = sign_in
    user.last_login_at = now
    LoginAttempt.forget(user.username, client_address())
    audit(action, user, user=user)


def renew_session(user: User) -> None:
    """After one's own new password: end every other browser's session, keep this one."""
    start_session(user, action="password_change")


def current_sign_in() -> SignIn | None:
    """Return this request's sign-in (checked by check_session)."""
    return g.get("sign_in")


def end_session(reason: str) -> None:
    """Sign this browser out and remember why, for the page that follows."""
    logout_user()
    session.pop(TOKEN_KEY, None)
    g.pop("sign_in", None)
    request.environ["bantin.session_ended"] = reason


def check_session() -> None:
    """Read this browser's sign-in from the table: end it if it was revoked or sat idle too
    long, else note the activity. The table, not the cookie, is the truth in every worker."""
    # Read the user from this request's cookie, whatever an earlier request in the same
    # application context (a test's) left in `g`.
    g.pop("_login_user", None)
    g.pop("sign_in", None)
    if not current_user.is_authenticated:
        if "_user_id" in session or TOKEN_KEY in session:
            end_session(SESSION_REVOKED)
        return
    sign_in = g.sign_in
    now = models.utcnow()
    if now - sign_in.last_seen_at > timedelta(minutes=setting("SESSION_IDLE_MINUTES")):
        sign_in.revoked_at = now
        db.session.commit()
        end_session(SESSION_ENDED)
        return
    if now - sign_in.last_seen_at >= TOUCH_EVERY:
        sign_in.last_seen_at = now
        db.session.commit()


def staff_signed_in() -> bool:
    """Check the session and tell whether staff are signed in (web.limits asks it before a
    large body is read)."""
    check_session()
    return current_user.is_authenticated


def session_ended() -> str | None:
    """Return why this very request found the browser's session over, if it did."""
    return request.environ.get("bantin.session_ended")


def open_sign_ins(user: User) -> list[SignIn]:
    """The user's sign-ins that still open the desk, the most recently used first."""
    since = models.utcnow() - timedelta(minutes=setting("SESSION_IDLE_MINUTES"))
    statement = select(SignIn).where(
        SignIn.user_id == user.id, SignIn.revoked_at.is_(None), SignIn.last_seen_at > since
    )
    return list(db.session.scalars(statement.order_by(SignIn.last_seen_at.desc(), SignIn.id)))


# --- Asking for the password again --------------------------------------------------------


def password_recently_typed() -> bool:
    """Tell whether the password was typed in this session within the last few minutes."""
    sign_in = current_sign_in()
    limit = timedelta(minutes=setting("PASSWORD_CONFIRM_MINUTES"))
    return sign_in is not None and models.utcnow() - sign_in.confirmed_at <= limit


def password_confirmed(view):
    """Let a view run only shortly after the password was typed: a session left open on a
    shared computer, or a stolen cookie, cannot change accounts or take a backup."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if password_recently_typed():
            return view(*args, **kwargs)
        flash("Hãy nhập lại mật khẩu của bạn trước khi tiếp tục.", "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else request.path
        return redirect(url_for("admin.confirm_password", next=target))

    return wrapped


def note_password_typed() -> None:
    """Remember that the password was just typed again in this session."""
    sign_in = current_sign_in()
    if sign_in is not None:
        sign_in.confirmed_at = models.utcnow()


@bp.after_app_request
def private_when_signed_in(response):
    """What a signed-in browser is answered is for it alone: no shared cache may keep it
    (it carries the session cookie), and no browser cache either."""
    # Look at the session only when a cookie came: touching it adds "Vary: Cookie".
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return response
    if "_user_id" not in session or response.cache_control.immutable:
        return response
    response.cache_control.public = False
    response.cache_control.s_maxage = None
    response.cache_control.max_age = None
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


# --- Throttled sign-in ----------------------------------------------------------------------


def window_start():
    return models.utcnow() - timedelta(minutes=setting("LOGIN_WINDOW_MINUTES"))


def failures(*conditions) -> int:
    """Count the failed sign-ins of the window that match the conditions."""
    statement = select(func.count()).select_from(LoginAttempt)
    return db.session.scalar(statement.where(LoginAttempt.created_at > window_start(), *conditions))


def is_throttled(username: str) -> bool:
    """Tell whether this address may not try this account name now.

    Guessing is throttled per address and per (account, address) pair, never per account
    alone: nobody can lock the owner out. An account under attack from many addresses makes
    every address that already failed for it wait, except those it signed in from before."""
    name, address = LoginAttempt.key(username), client_address()
    if failures(LoginAttempt.ip == address) >= setting("LOGIN_MAX_FAILURES_PER_ADDRESS"):
        return True
    pair = failures(LoginAttempt.username == name, LoginAttempt.ip == address)
    if pair >= setting("LOGIN_MAX_FAILURES_PER_ACCOUNT"):
        return True
    under_attack = failures(LoginAttempt.username == name) >= setting("LOGIN_ACCOUNT_UNDER_ATTACK")
    return bool(pair) and under_attack and not is_known_address(name, address)


def is_known_address(name: str, address: str) -> bool:
    """Tell whether the account was signed in to from this address before."""
    statement = select(SignIn.id).join(User).where(
        func.lower(User.username) == name, SignIn.ip == address
    )
    return db.session.scalar(select(exists(statement))) or False


def record_failure(username: str, user: User | None) -> None:
    """Keep a failed attempt in the count and in the audit log; forget those too old to count."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at <= window_start()))
    db.session.add(
        LoginAttempt(
            username=LoginAttempt.key(username), ip=client_address(), created_at=models.utcnow()
        )
    )
    audit("login_failed", user, username.strip()[:64], user=user)
    db.session.commit()


def dummy_hash() -> str:
    """A hash to check against when the user is unknown, so both cases take as long."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("dummy_hash", {})
    if method not in cache:
        cache[method] = generate_password_hash("not-a-password", method=method)
    return cache[method]


def authenticate(username: str, password: str) -> tuple[User | None, str]:
    """Return (user, "") for good credentials, else (None, message), counting failures.

    Unknown, locked and active names cost the same single hash check, so that timing tells
    nothing about which names exist."""
    username = username.replace("\x00", "")  # no name holds one; PostgreSQL refuses it
    if is_throttled(username):
        return None, THROTTLED.format(minutes=setting("LOGIN_WINDOW_MINUTES"))
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    matches = check_password_hash(user.password_hash if user else dummy_hash(), password)
    if user is not None and matches and user.active:
        return user, ""
    record_failure(username, user)
    return None, LOGIN_FAILED


def sign_in(username: str, password: str) -> tuple[User | None, str]:
    """Check the credentials (throttled, counted) and on success sign the account in, in a
    fresh session; return (user, "") or (None, the message to show)."""
    user, message = authenticate(username, password)
    if user is not None:
        start_session(user)
        db.session.commit()
    return user, message


def sign_out() -> None:
    """End this browser's sign-in everywhere (its row is revoked, so no copy of the cookie
    opens anything again) and forget the session."""
    check_session()
    sign_in_row = current_sign_in()
    if sign_in_row is not None:
        sign_in_row.revoked_at = models.utcnow()
        audit("logout", current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()


def login_again_later(wait: int):
    """A sign-in refused by the rate limit: the form again, with the name typed."""
    form = LoginForm(formdata=None, username=request.form.get("username", ""))
    form.next.data = request.form.get("next", "")
    flash(TOO_FAST.format(seconds=wait), "error")
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
# Each sign-in costs a password hash (about 50 ms of CPU): a flood from many addresses must
# not take the server's cores, whatever the per-account throttle says.
@limit_public_post(
    "login", per_address=Rate(60, 60), overall=Rate(300, 60), keep=login_again_later
)
def login():
    """Show the login form and sign the editor in."""
    check_session()
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user, message = sign_in(form.username.data, form.password.data)
        if user:
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("admin.dashboard"))
        flash(message, "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: this browser's sign-in is revoked, so no copy of its cookie opens the desk."""
    if ConfirmForm().validate_on_submit():
        sign_out()
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
# Forms that change accounts, roles, settings or backups: never handed back filled in, so
# that nothing anyone else composed can become a ready-to-send form (just a link back).
NOT_RESCUED = {
    "admin.user_new", "admin.user_edit", "admin.user_password", "admin.settings",
    "admin.backup_create", "admin.account_password", "admin.confirm_password",
    "admin.sign_in_end", "admin.sign_ins_end_others", "auth.logout",
}  # fmt: skip
SIGNED_IN_AGAIN = (
    "Bạn đã đăng nhập lại. Biểu mẫu CHƯA được lưu: hãy kiểm tra nội dung dưới đây rồi bấm "
    "lưu lại."
)
NOT_KEPT = "Biểu mẫu chưa được lưu vì phiên làm việc đã hết hạn. Hãy mở lại trang và làm lại."


def rescuer(endpoint: str):
    """Register a function that re-renders `endpoint`'s form from request.form."""

    def register(function):
        RESCUERS[endpoint] = function
        return function

    return register


def same_origin() -> bool:
    """Tell whether the browser says this request comes from one of the site's own pages
    (Sec-Fetch-Site, else Origin, else Referer); no word at all counts as elsewhere."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value:
            try:
                return urlsplit(value).netloc.lower() == request.host.lower()
            except ValueError:  # "http://[::1" names no place at all, so not ours
                return False
    return False


def refuse() -> tuple[str, int]:
    """A POST from elsewhere: a plain 400 that echoes nothing and leaves the session be."""
    return errors.render_error(BadRequest())


def relogin_if_asked() -> str | None:
    """Sign in with the login box of a rescued form; return an error message on failure."""
    username = request.form.get("relogin_username", "")
    if not username:
        return None
    user, message = sign_in(username, request.form.get("relogin_password", ""))
    return None if user else message


def rescue(message: str, status: int):
    """Show the submitted form of one of the site's own pages again, with the message and a
    login box if it is needed; a request from elsewhere gets a plain refusal."""
    if not same_origin():
        return refuse()
    check_session()
    if not current_user.is_authenticated:
        message = session_ended() or message
    if request.endpoint in NOT_RESCUED:
        return render_template("admin/resubmit.html", message=NOT_KEPT, back=link_back()), status
    render = RESCUERS.get(request.endpoint, render_resubmit)
    return render(message), status


def link_back() -> str:
    """The page of the refused form, when it has one; else the desk's front page."""
    adapter = current_app.create_url_adapter(request)
    try:
        adapter.match(request.path, method="GET")
    except (HTTPException, RequestRedirect):
        return url_for("admin.dashboard")
    return request.path


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
    """A POST without a live session: from the site's own page, show the form with a login
    box; once signed in from that box, show it again to be checked and sent. Nothing that
    arrives without a session is ever applied."""
    if not same_origin():
        return refuse()
    error = relogin_if_asked()
    if current_user.is_authenticated:
        return rescue(SIGNED_IN_AGAIN, 200)
    return rescue(error or session_ended() or SESSION_ENDED, 401)


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
