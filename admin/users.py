"""Accounts of the editor desk, for admins: create, change role, deactivate, reset password."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

import auth
from admin.blueprint import bp, form_page
from forms import NewPasswordForm, NewUserForm, UserForm
from models import LoginAttempt, User, db


@bp.get("/users")
@auth.admins_only
def user_list():
    """List every account with its role, state and last login."""
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.username)).all()
    return render_template("admin/user_list.html", users=users)


def username_taken(username: str) -> bool:
    """Names differing only in case would confuse people: treat them as the same."""
    statement = select(User).where(func.lower(User.username) == username.lower())
    return db.session.scalar(statement) is not None


@bp.route("/users/new", methods=["GET", "POST"])
@auth.admins_only
@auth.password_confirmed
def user_new():
    """Create an account with a first password the admin hands over in person."""
    form = NewUserForm()
    if form.validate_on_submit():
        if username_taken(form.username.data):
            form.username.errors.append("Tên đăng nhập này đã có người dùng.")
        else:
            user = User(
                username=form.username.data,
                display_name=form.display_name.data or form.username.data,
                email=form.email.data or "",
                role=form.role.data,
                active=form.active.data,
            )
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
            auth.audit("user_create", user, f"{user.username} ({user.role_label})")
            db.session.commit()
            flash(f"Đã tạo tài khoản “{user.username}”.", "success")
            return redirect(url_for("admin.user_list"))
    return form_page("admin/user_form.html", form=form, user=None)


def lockout_problem(user: User, role: str, active: bool) -> str | None:
    """Refuse an admin removing their own rights: the site would be left without its keeper.
    (Another admin's rights may go; whoever does that is an active admin themselves.)"""
    if user.id == current_user.id and (role != "admin" or not active):
        return "Bạn không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình."
    return None


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@auth.admins_only
@auth.password_confirmed
def user_edit(user_id: int):
    """Change an account's name, role, or whether it may sign in."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        problem = lockout_problem(user, form.role.data, form.active.data)
        if problem:
            form.role.errors.append(problem)
        else:
            detail = describe_change(user, form)
            user.display_name = form.display_name.data or user.username
            user.email = form.email.data or ""
            user.role = form.role.data
            user.active = form.active.data
            if not user.active:
                user.end_sign_ins()  # a locked account's open sessions end now, everywhere
            auth.audit("user_update", user, detail)
            db.session.commit()
            flash(f"Đã lưu tài khoản “{user.username}”.", "success")
            return redirect(url_for("admin.user_list"))
    return form_page("admin/user_form.html", form=form, user=user)


def describe_change(user: User, form: UserForm) -> str:
    parts = [user.username]
    if form.role.data != user.role:
        parts.append(f"vai trò {user.role} → {form.role.data}")
    if form.active.data != user.active:
        parts.append("mở khóa" if form.active.data else "khóa tài khoản")
    if (form.email.data or "") != user.email:
        parts.append(f"thư điện tử {user.email or '(trống)'} → {form.email.data or '(trống)'}")
    return ", ".join(parts)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@auth.admins_only
@auth.password_confirmed
def user_password(user_id: int):
    """Set a new password; the account's open sessions end and its failed logins are forgotten."""
    user = db.get_or_404(User, user_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        LoginAttempt.forget(user.username)
        auth.audit("password_reset", user, user.username)
        if user.id == current_user.id:
            auth.renew_session(user)  # the admin who changed their own password stays signed in
        db.session.commit()
        flash(f"Đã đặt mật khẩu mới cho “{user.username}”.", "success")
        return redirect(url_for("admin.user_list"))
    return form_page("admin/user_password.html", form=form, user=user)
