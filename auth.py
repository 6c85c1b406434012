"""Logging in and out of the editor desk, and the role checks its views rely on."""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from extensions import login_manager
from forms import ConfirmForm, LoginForm
from models import AuditLog, User, db, utcnow
from security import is_safe_next

bp = Blueprint("auth", __name__, url_prefix="/admin")

login_manager.login_view = "auth.login"
login_manager.login_message = "Hãy đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


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
            ip=request.remote_addr or "",
        )
    )


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the editor in."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            audit("login", user, user=user)
            db.session.commit()
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("admin.dashboard"))
        flash(LOGIN_FAILED, "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and end the session."""
    if ConfirmForm().validate_on_submit():
        logout_user()
        flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
