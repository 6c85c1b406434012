"""The province's desk forms: a new commune's site, a host name, a commune's first
administrator, and every officer's action with the password asked again. Built on forms.py's
own base and rules (DeskForm, too_long), so they read and refuse like the desk's."""

from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired

from forms import DeskForm, too_long


class OfficerActionForm(DeskForm):
    """A province officer's action (enable, disable, back up): the password asked again."""

    password = PasswordField(
        "Mật khẩu của bạn (nhập lại để xác nhận)",
        validators=[DataRequired("Hãy nhập lại mật khẩu để xác nhận."), too_long(1000)],
        render_kw={"autocomplete": "current-password"},
    )


class NewCommuneForm(OfficerActionForm):
    """The province's desk: a new commune's site."""

    name = StringField(
        "Tên ngắn (dùng trong thư mục và lệnh, ví dụ: tra-leng)",
        validators=[DataRequired("Hãy nhập tên ngắn của trang."), too_long(40)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    title = StringField("Tên xã, phường (ví dụ: Xã Trà Leng)",
                        validators=[DataRequired("Hãy nhập tên xã, phường."), too_long(250)])
    hosts = TextAreaField(
        "Tên miền, mỗi dòng một tên (ví dụ: traleng.danang.gov.vn)",
        validators=[DataRequired("Hãy nhập ít nhất một tên miền."), too_long(2000)],
        render_kw={"rows": 3, "autocapitalize": "none"},
    )


class HostForm(OfficerActionForm):
    """Give a site a host name, or take one from the site that has it."""

    host = StringField("Tên miền",
                       validators=[DataRequired("Hãy nhập tên miền."), too_long(253)],
                       render_kw={"autocapitalize": "none"})  # fmt: skip
    move = BooleanField("Nếu tên miền đang thuộc trang khác, chuyển nó sang trang này")


class SiteAdminForm(OfficerActionForm):
    """A commune's first administrator, made by the province."""

    username = StringField(
        "Tên đăng nhập của quản trị viên xã",
        validators=[DataRequired("Hãy nhập tên đăng nhập."), too_long(64)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    display_name = StringField("Họ và tên", validators=[too_long(120)])
