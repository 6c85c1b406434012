"""Forms: one class per purpose, labels and messages in Vietnamese."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired("Hãy nhập tên đăng nhập."), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        "Mật khẩu",
        validators=[DataRequired("Hãy nhập mật khẩu.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Ghi nhớ trên máy này")
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A button-only form, so that POST actions (publish, delete, log out) carry CSRF."""
