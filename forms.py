"""Forms: one class per purpose, labels and messages in Vietnamese."""

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)


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


# --- Documents registry and officials (search/feeds issue) ------------------------------------

DOCUMENT_TYPES = (
    "Quyết định", "Nghị quyết", "Chỉ thị", "Kế hoạch", "Thông báo", "Công văn", "Báo cáo",
    "Tờ trình", "Hướng dẫn", "Chương trình", "Quy chế",
)  # fmt: skip


class LocalDateField(DateField):
    """A date picker that also takes 14/05/2026 typed by hand, with a Vietnamese message."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [raw]
        if not raw:
            self.data = None
            return
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                self.data = datetime.strptime(raw, pattern).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 14/05/2026.")


class LocalIntegerField(IntegerField):
    """A whole-number field whose complaint is in Vietnamese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            raise ValueError("Hãy nhập một số nguyên, ví dụ 3.") from err


class DocumentForm(FlaskForm):
    number = StringField(
        "Số ký hiệu",
        validators=[DataRequired("Hãy nhập số ký hiệu."), Length(max=100)],
        description="Ví dụ: 15/2026/QĐ-UBND",
    )
    title = TextAreaField(
        "Trích yếu",
        validators=[DataRequired("Hãy nhập trích yếu."), Length(max=2000)],
        render_kw={"rows": 3},
    )
    doc_type = StringField(
        "Thể loại",
        validators=[DataRequired("Hãy nhập thể loại văn bản."), Length(max=100)],
        render_kw={"list": "document-types"},
    )
    issuer = StringField("Cơ quan ban hành", validators=[Length(max=250)])
    signer = StringField("Người ký", validators=[Length(max=120)])
    field = StringField("Lĩnh vực", validators=[Length(max=120)])
    issued_on = LocalDateField(
        # InputRequired, not DataRequired, which would hide "Ngày không hợp lệ".
        "Ngày ban hành", validators=[InputRequired("Hãy nhập ngày ban hành.")]
    )
    effective_on = LocalDateField(
        "Ngày hiệu lực",
        validators=[Optional()],
        description="Để trống nếu có hiệu lực từ ngày ban hành.",
    )
    expires_on = LocalDateField(
        "Ngày hết hiệu lực", validators=[Optional()], description="Để trống nếu chưa xác định."
    )

    def validate_effective_on(self, field) -> None:
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError("Ngày hiệu lực không được trước ngày ban hành.")

    def validate_expires_on(self, field) -> None:
        starts = self.effective_on.data or self.issued_on.data
        if field.data and starts and field.data <= starts:
            raise ValidationError("Ngày hết hiệu lực phải sau ngày bắt đầu có hiệu lực.")


class OfficialForm(FlaskForm):
    name = StringField(
        "Họ và tên", validators=[DataRequired("Hãy nhập họ và tên."), Length(max=120)]
    )
    title = StringField(
        "Chức vụ", validators=[DataRequired("Hãy nhập chức vụ."), Length(max=250)]
    )
    title_en = StringField(
        "Chức vụ (tiếng Anh)",
        validators=[Length(max=250)],
        description="Hiện trên trang tiếng Anh, ví dụ: Chairman of the People's Committee.",
    )
    phone = StringField("Điện thoại", validators=[Length(max=40)])
    email = EmailField(
        "Thư điện tử",
        validators=[
            Optional(),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư điện tử không hợp lệ."),
            Length(max=120),
        ],
    )
    position = LocalIntegerField(
        "Thứ tự hiển thị",
        default=0,
        validators=[InputRequired("Hãy nhập một số."), NumberRange(min=0, max=999)],
        description="Số nhỏ hiện trước.",
    )
