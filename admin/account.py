"""One's own account, for every user: change the password, confirm it before a sensitive
change, and see and end the browsers signed in to the desk."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

import auth
import mail
import models
from admin.blueprint import bp, form_page
from forms import AccountEmailForm, ChangePasswordForm, ConfirmForm, PasswordCheckForm
from models import SignIn, db
from web.security import is_safe_next


def password_is_right(field) -> bool:
    """Check the signed-in user's password as a sign-in would: throttled and logged."""
    user, message = auth.authenticate(current_user.username, field.data)
    if user is None or user.id != current_user.id:
        field.errors.append(message or auth.LOGIN_FAILED)
        return False
    return True


@bp.route("/xac-nhan-mat-khau", methods=["GET", "POST"])
def confirm_password():
    """Ask for the password again before a change of accounts, roles or a backup."""
    form = PasswordCheckForm(next=request.args.get("next", ""))
    if form.validate_on_submit() and password_is_right(form.password):
        auth.note_password_typed()
        db.session.commit()
        target = form.next.data
        return redirect(target if is_safe_next(target) else url_for("admin.dashboard"))
    return form_page("admin/user_confirm_password.html", form=form)


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
def account_password():
    """Change one's own password: every other browser signed in to the account is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and password_is_right(form.current):
        user = current_user._get_current_object()
        user.set_password(form.password.data)
        auth.renew_session(user)
        db.session.commit()
        flash("Đã đổi mật khẩu. Các máy khác đang đăng nhập bằng tài khoản này đã bị đăng xuất.",
              "success")  # fmt: skip
        return redirect(url_for("admin.sign_ins"))
    return form_page("admin/user_own_password.html", form=form)


@bp.get("/phien-dang-nhap")
def sign_ins():
    """List the browsers signed in to one's account, this one first; and one's address."""
    return account_page(AccountEmailForm(obj=current_user))


def account_page(email_form: AccountEmailForm):
    current = auth.current_sign_in()
    rows = auth.open_sign_ins(current_user)
    rows.sort(key=lambda row: row.id != current.id)
    return form_page(
        "admin/user_sign_ins.html", sign_ins=rows, current=current, form=ConfirmForm(),
        email_form=email_form, mail_on=mail.is_enabled(),
    )  # fmt: skip


@bp.post("/tai-khoan/thu-dien-tu")
def account_email():
    """Set (or clear) the address one's notices are sent to."""
    form = AccountEmailForm()
    if not form.validate_on_submit():
        return account_page(form)
    user = current_user._get_current_object()
    if (form.email.data or "") != user.email:
        auth.audit("user_update", user, f"{user.username}: thư điện tử "
                   f"{user.email or '(trống)'} → {form.email.data or '(trống)'}")  # fmt: skip
        user.email = form.email.data or ""
        db.session.commit()
    flash("Đã lưu địa chỉ thư nhận thông báo." if user.email else
          "Đã bỏ địa chỉ thư: thông báo chỉ hiện trong bàn biên tập.", "success")  # fmt: skip
    return redirect(url_for("admin.sign_ins"))


@bp.post("/phien-dang-nhap/<int:sign_in_id>/ket-thuc")
def sign_in_end(sign_in_id: int):
    """End one of one's other sign-ins (a phone left signed in, a shared computer)."""
    sign_in = db.session.get(SignIn, sign_in_id)
    if sign_in is None or sign_in.user_id != current_user.id or sign_in.revoked_at:
        abort(404)
    if ConfirmForm().validate_on_submit():
        sign_in.revoked_at = models.utcnow()
        auth.audit("sign_in_end", current_user._get_current_object(), sign_in.ip)
        db.session.commit()
        flash("Đã kết thúc phiên đăng nhập đó.", "success")
    return redirect(url_for("admin.sign_ins"))


@bp.post("/phien-dang-nhap/ket-thuc-cac-phien-khac")
def sign_ins_end_others():
    """End every sign-in of one's account except this browser's."""
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        user.end_sign_ins(keep=auth.current_sign_in())
        auth.audit("sign_in_end", user, "mọi phiên khác")
        db.session.commit()
        flash("Đã đăng xuất mọi máy khác.", "success")
    return redirect(url_for("admin.sign_ins"))
