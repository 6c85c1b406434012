"""Forms: one class per purpose, labels and messages in Vietnamese."""

import unicodedata
from datetime import UTC, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

import sanitize
from models import (
    IMAGE_SETTINGS,
    ROLE_LABELS,
    SETTING_CHOICES,
    SETTINGS,
    TITLE_MAX,
    Article,
    parse_id,
)
from vietnamese import VN_TZ, slugify, to_local

# WTForms ships no Vietnamese catalogue; these are the built-in messages our fields can show.
BUILT_IN_MESSAGES = {
    "This field is required.": "Mục này không được để trống.",
    "Not a valid integer value.": "Hãy nhập một số nguyên.",
    "Not a valid choice.": "Hãy chọn một mục trong danh sách.",
    "Not a valid datetime value.": (
        "Ngày giờ không hợp lệ: hãy nhập theo dạng ngày/tháng/năm giờ:phút."
    ),
    "Invalid input.": "Giá trị không hợp lệ.",
}


class VietnameseMessages:
    def gettext(self, string: str) -> str:
        return BUILT_IN_MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class IdField(IntegerField):
    """The number of a row (an image in the library): a whole number the database can hold."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_id(valuelist[0])
            except ValueError as err:
                raise ValueError("Mã số không hợp lệ; hãy chọn lại trong thư viện.") from err


class DeskForm(FlaskForm):
    """A form of the editor desk: built-in validation messages in Vietnamese."""

    class Meta:
        def get_translations(self, form):
            return VietnameseMessages()


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


# Controls (C0, C1), format characters (bidi overrides and isolates, zero-width spaces and
# joiners, soft hyphens) and lone surrogates: invisible on the page, yet able to reverse how
# a title or a file name reads ("\u202etxt.exe") or to break the RSS feed's XML.
INVISIBLE = ("Cc", "Cf", "Cs")


def visible(text: str) -> str:
    """Drop the characters a reader cannot see (tab and newline count as whitespace)."""
    return "".join(
        ch for ch in text if ch in "\t\n" or unicodedata.category(ch) not in INVISIBLE
    )


def one_line(value):
    """Plain-text fields hold one line: pasted line breaks and tabs become spaces, and
    invisible characters go."""
    return " ".join(visible(value).split()) if isinstance(value, str) else value


def text_block(value):
    """Plain text of several lines: the lines stay, invisible characters go."""
    return visible(value).strip() if isinstance(value, str) else value


# Dates an editor may type: outside these years a date is a typing slip, and near year 1 or
# 9999 it no longer converts between Vietnam's time and UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2999
YEAR_RANGE_MESSAGE = f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}."


def check_year(moment) -> None:
    if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(YEAR_RANGE_MESSAGE)


def slug_filter(value):
    """Keep slugs ASCII whatever the editor types: "Đường làng" becomes "duong-lang"."""
    return slugify(value, max_length=200) if isinstance(value, str) and value.strip() else ""


def too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Tối đa {limit} ký tự.")


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in Vietnam's time, held as aware UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]
        super().__init__(label, validators, format=formats, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, datetime):
            moment, self.data = self.data, None
            check_year(moment)
            self.data = moment.replace(tzinfo=VN_TZ).astimezone(UTC)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime(self.format[0]) if self.data else ""


class LoginForm(DeskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired("Hãy nhập tên đăng nhập."), too_long(64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        "Mật khẩu",
        validators=[DataRequired("Hãy nhập mật khẩu.")],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A button-only form, so that POST actions (publish, delete, log out) carry CSRF."""


# --- Articles -------------------------------------------------------------------------------


class CleanBody:
    """A rich-text `body` cleaned once, when the form is validated; views save `clean_body`."""

    clean_body = ""

    def validate_body(self, field):
        try:
            self.clean_body = sanitize.clean_html(field.data or "")
        except sanitize.BodyRejected as err:
            raise ValidationError(str(err)) from err


class ArticleForm(CleanBody, DeskForm):
    """Every editable field of an article, named as the model's attributes."""

    title = StringField(
        "Tiêu đề",
        validators=[DataRequired("Hãy nhập tiêu đề."), too_long(TITLE_MAX)],
        filters=[one_line],
    )
    slug = StringField(
        "Đường dẫn",
        validators=[too_long(200)],
        filters=[slug_filter],
        description="Tự tạo từ tiêu đề nếu để trống. Chỉ gồm chữ không dấu, số và dấu gạch ngang.",
    )
    summary = TextAreaField(
        "Tóm tắt (sapo)", validators=[too_long(500)], filters=[one_line], render_kw={"rows": 3}
    )
    body = TextAreaField("Nội dung", render_kw={"rows": 18, "data-rich-editor": ""})
    category_id = SelectField(
        "Chuyên mục", coerce=parse_id, validators=[InputRequired("Hãy chọn chuyên mục.")]
    )
    author = StringField("Tác giả", validators=[too_long(120)], filters=[one_line])
    source = StringField("Nguồn tin", validators=[too_long(TITLE_MAX)], filters=[one_line])
    image_upload = FileField(
        "Tải ảnh đại diện lên",
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
        description="Ảnh JPEG, PNG, WebP hoặc GIF. Ảnh mới thay cho ảnh đang dùng.",
    )
    image_id = IdField(
        "Mã ảnh đại diện",
        validators=[Optional()],
        description="Mã số của ảnh trong thư viện. Xóa số này để bỏ ảnh đại diện.",
        render_kw={"inputmode": "numeric"},
    )
    image_caption = StringField("Chú thích ảnh", validators=[too_long(500)], filters=[one_line])
    image_alt = StringField(
        "Mô tả ảnh (cho người không xem được ảnh)",
        validators=[too_long(TITLE_MAX)],
        filters=[one_line],
    )
    hide_list_image = BooleanField(
        "Không hiện ảnh ở danh sách tin",
        description="Danh sách tin hiện ảnh đại diện, hoặc ảnh đầu tiên trong nội dung khi bài "
        "không có ảnh đại diện. Đánh dấu ô này để danh sách không hiện ảnh nào cho bài này.",
    )
    publish_at = LocalDateTimeField(
        "Thời điểm đăng",
        validators=[Optional()],
        description="Giờ Việt Nam. Để trống khi bấm “Đăng” nghĩa là đăng ngay.",
    )
    expire_at = LocalDateTimeField(
        "Hết hạn lúc", validators=[Optional()], description="Để trống nếu tin không hết hạn."
    )
    featured = BooleanField("Tin nổi bật")
    version = HiddenField()

    def validate_expire_at(self, field):
        if field.data and self.publish_at.data and field.data <= self.publish_at.data:
            raise ValidationError("Thời điểm hết hạn phải sau thời điểm đăng.")


# --- Site structure -----------------------------------------------------------------------

SLUG_RULE = Regexp(r"^[a-z0-9-]*$", message="Chỉ gồm chữ không dấu, số và dấu gạch ngang.")


class CategoryForm(DeskForm):
    name = StringField(
        "Tên chuyên mục",
        validators=[DataRequired("Hãy nhập tên chuyên mục."), too_long(120)],
        filters=[one_line],
    )
    slug = StringField(
        "Đường dẫn",
        validators=[too_long(120), SLUG_RULE],
        filters=[slug_filter],
        description="Đổi đường dẫn thì địa chỉ cũ vẫn tự chuyển sang địa chỉ mới.",
    )
    description = TextAreaField("Giới thiệu ngắn", filters=[text_block], render_kw={"rows": 3})
    parent_id = SelectField("Thuộc chuyên mục", coerce=parse_id, default=0)
    position = IntegerField(
        "Thứ tự trên menu",
        validators=[Optional(), NumberRange(0, 9999, "Từ 0 đến 9999.")],
        default=0,
    )


class PageForm(CleanBody, DeskForm):
    title = StringField(
        "Tiêu đề",
        validators=[DataRequired("Hãy nhập tiêu đề."), too_long(TITLE_MAX)],
        filters=[one_line],
    )
    slug = StringField("Đường dẫn", validators=[too_long(120), SLUG_RULE], filters=[slug_filter])
    body = TextAreaField("Nội dung", render_kw={"rows": 16, "data-rich-editor": ""})
    position = IntegerField(
        "Thứ tự", validators=[Optional(), NumberRange(0, 9999, "Từ 0 đến 9999.")], default=0
    )
    in_menu = BooleanField("Hiện ở chân trang", default=True)
    show_officials = BooleanField(
        "Hiện bảng lãnh đạo (mục Cơ cấu tổ chức) dưới nội dung",
        description="Danh sách lấy từ mục “Cơ cấu tổ chức” của bàn biên tập.",
    )
    lang = SelectField("Ngôn ngữ", choices=choices([("vi", "Tiếng Việt"), ("en", "English")]))


class SettingsForm(DeskForm):
    """One field per key of models.SETTINGS, in the same order: text boxes, lists for the
    settings with fixed choices, and an upload (with a "remove" box) for each image."""

    @staticmethod
    def remove_field(key: str) -> str:
        return f"{key}_remove"


IMAGE_ACCEPT = {"accept": "image/jpeg,image/png,image/webp,image/gif"}
URL_KEYS = {key for key in SETTINGS if key.startswith("portal_")}


def setting_field(key: str, label: str):
    """Return the form field that edits one setting."""
    if key in SETTING_CHOICES:
        return SelectField(label, choices=choices(SETTING_CHOICES[key].items()))
    if key in IMAGE_SETTINGS:
        return FileField(label, render_kw=IMAGE_ACCEPT)
    validators = [Optional(), too_long(TITLE_MAX)]
    if key in URL_KEYS:
        validators.append(URL(message="Hãy nhập địa chỉ web đầy đủ, bắt đầu bằng https://"))
    elif key == "email":
        validators.append(
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư điện tử không hợp lệ.")
        )
    elif key == "site_name":
        validators = [DataRequired("Hãy nhập tên cơ quan."), too_long(TITLE_MAX)]
    return StringField(label, validators=validators, filters=[one_line])


for _key, (_label, _default) in SETTINGS.items():
    setattr(SettingsForm, _key, setting_field(_key, _label))
    if _key in IMAGE_SETTINGS:
        setattr(SettingsForm, SettingsForm.remove_field(_key), BooleanField("Bỏ ảnh đang dùng"))


# --- People -------------------------------------------------------------------------------

ROLE_CHOICES = choices(ROLE_LABELS.items())
PASSWORD_RULES = [
    DataRequired("Hãy nhập mật khẩu."),
    Length(min=8, max=200, message="Mật khẩu cần từ 8 ký tự trở lên."),
]


class NewPasswordForm(DeskForm):
    password = PasswordField(
        "Mật khẩu mới", validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu",
        validators=[EqualTo("password", "Hai lần nhập mật khẩu không khớp.")],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordCheckForm(DeskForm):
    """The signed-in user's own password, asked again before a sensitive change."""

    password = PasswordField(
        "Mật khẩu của bạn",
        validators=[DataRequired("Hãy nhập mật khẩu.")],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Mật khẩu hiện tại",
        validators=[DataRequired("Hãy nhập mật khẩu hiện tại.")],
        render_kw={"autocomplete": "current-password"},
    )


# What an e-mail address looks like to a form (the mail module checks it properly on sending).
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def notice_email_field() -> EmailField:
    """The address the desk's notices go to (optional: the desk shows them anyway)."""
    return EmailField(
        "Thư điện tử nhận thông báo",
        validators=[
            Optional(),
            Regexp(EMAIL_PATTERN, message="Địa chỉ thư điện tử không hợp lệ."),
            too_long(120),
        ],
        filters=[strip],
        description="Bài chờ duyệt, bài bị trả lại hoặc đã được đăng: báo qua thư này nếu "
        "trang đã cài máy chủ thư. Để trống nếu không muốn nhận.",
        render_kw={"autocomplete": "email", "autocapitalize": "none"},
    )


class AccountEmailForm(DeskForm):
    email = notice_email_field()


class UserForm(DeskForm):
    display_name = StringField("Họ tên hiển thị", validators=[too_long(120)], filters=[one_line])
    email = notice_email_field()
    role = SelectField("Vai trò", choices=ROLE_CHOICES)
    active = BooleanField("Đang hoạt động", default=True)


class NewUserForm(UserForm, NewPasswordForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired("Hãy nhập tên đăng nhập."),
            too_long(64),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message="Chỉ dùng chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang.",
            ),
        ],
        filters=[strip],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )


class MediaUploadForm(DeskForm):
    """Images for the media library; their content is judged by media.store_image."""

    files = MultipleFileField(
        "Chọn ảnh (JPEG, PNG, WebP, GIF)",
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )

    def validate_files(self, field) -> None:
        # Browsers send one empty part when nothing was chosen.
        field.data = [upload for upload in field.data or [] if upload and upload.filename]
        if not field.data:
            raise ValidationError("Hãy chọn ít nhất một ảnh.")


class AttachmentUploadForm(DeskForm):
    """A file attached to an article or a document; its content is judged by uploads.store_file."""

    owner_type = HiddenField(validators=[AnyOf(("article", "document"))])
    owner_id = HiddenField(validators=[DataRequired()])
    next = HiddenField()
    file = FileField(
        "Chọn tệp (PDF, Word, Excel, ODT, ODS, ZIP)",
        validators=[FileRequired("Hãy chọn một tệp để đính kèm.")],
        render_kw={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.pptx,.odt,.ods,.zip"},
    )
    title = StringField(
        "Tên hiển thị (không bắt buộc)",
        validators=[Length(max=255, message="Tên hiển thị dài tối đa 255 ký tự.")],
        filters=[one_line],
        description="Để trống thì dùng tên tệp.",
    )

    @classmethod
    def for_owner(cls, owner, next: str) -> "AttachmentUploadForm":
        """Return an empty form aimed at an article or a document, coming back to `next`."""
        owner_type = "article" if isinstance(owner, Article) else "document"
        return cls(formdata=None, owner_type=owner_type, owner_id=owner.id, next=next)


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
                day = datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
            check_year(day)
            self.data = day
            return
        self.data = None
        raise ValueError("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 14/05/2026.")


class LocalIntegerField(IntegerField):
    """A whole-number field whose complaint is in Vietnamese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            raise ValueError("Hãy nhập một số nguyên, ví dụ 3.") from err


class DocumentForm(DeskForm):
    number = StringField(
        "Số ký hiệu",
        validators=[DataRequired("Hãy nhập số ký hiệu."), Length(max=100)],
        filters=[one_line],
        description="Ví dụ: 15/2026/QĐ-UBND",
    )
    title = TextAreaField(
        "Trích yếu",
        validators=[DataRequired("Hãy nhập trích yếu."), Length(max=2000)],
        filters=[text_block],
        render_kw={"rows": 3},
    )
    doc_type = StringField(
        "Thể loại",
        validators=[DataRequired("Hãy nhập thể loại văn bản."), Length(max=100)],
        filters=[one_line],
        render_kw={"list": "document-types"},
    )
    issuer = StringField(
        "Cơ quan ban hành", validators=[Length(max=TITLE_MAX)], filters=[one_line]
    )
    signer = StringField("Người ký", validators=[Length(max=120)], filters=[one_line])
    field = StringField("Lĩnh vực", validators=[Length(max=120)], filters=[one_line])
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

    comments_from = LocalDateField("Lấy ý kiến từ ngày", validators=[Optional()],
                                   description="Để trống nếu văn bản không lấy ý kiến.")
    comments_until = LocalDateField("Đến hết ngày", validators=[Optional()])
    comment_report_id = SelectField(
        "Báo cáo tổng hợp ý kiến", coerce=lambda value: id_or_none(value), validate_choice=False,
        description="Một tệp đính kèm của văn bản này.",
    )

    def validate_comments_until(self, field) -> None:
        if bool(field.data) != bool(self.comments_from.data):
            raise ValidationError("Hãy nhập cả ngày bắt đầu và ngày kết thúc lấy ý kiến.")
        if field.data and field.data < self.comments_from.data:
            raise ValidationError("Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở đi.")

    def validate_effective_on(self, field) -> None:
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError("Ngày hiệu lực không được trước ngày ban hành.")

    def validate_expires_on(self, field) -> None:
        starts = self.effective_on.data or self.issued_on.data
        if field.data and starts and field.data <= starts:
            raise ValidationError("Ngày hết hiệu lực phải sau ngày bắt đầu có hiệu lực.")


class OfficialForm(DeskForm):
    name = StringField(
        "Họ và tên",
        validators=[DataRequired("Hãy nhập họ và tên."), Length(max=120)],
        filters=[one_line],
    )
    title = StringField(
        "Chức vụ",
        validators=[DataRequired("Hãy nhập chức vụ."), Length(max=TITLE_MAX)],
        filters=[one_line],
    )
    title_en = StringField(
        "Chức vụ (tiếng Anh)",
        validators=[Length(max=TITLE_MAX)],
        filters=[one_line],
        description="Hiện trên trang tiếng Anh, ví dụ: Chairman of the People's Committee.",
    )
    phone = StringField("Điện thoại", validators=[Length(max=40)], filters=[one_line])
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


class RedirectForm(DeskForm):
    """An old address and where it now leads (web.redirects checks both when saving)."""

    old_path = StringField(
        "Địa chỉ cũ",
        validators=[DataRequired("Hãy nhập địa chỉ cũ."), Length(max=2000)],
        filters=[one_line],
        description="Đường dẫn hoặc địa chỉ đầy đủ, ví dụ /2019/05/14/le-hoi/ hoặc /?p=21.",
    )
    target = StringField(
        "Địa chỉ mới",
        validators=[DataRequired("Hãy nhập địa chỉ mới."), Length(max=2000)],
        filters=[one_line],
        description="Một đường dẫn trong trang này, ví dụ /tin/le-hoi-dinh-lang-12.",
    )
    host = StringField(
        "Tên miền cũ (không bắt buộc)",
        validators=[
            Optional(),
            Length(max=255),
            Regexp(r"^[A-Za-z0-9.-]+(:[0-9]+)?$", message="Tên miền chỉ gồm chữ, số, dấu chấm."),
        ],
        filters=[one_line],
        description="Để trống: áp dụng cho mọi tên miền của trang.",
    )


# --- Citizens' part -------------------------------------------------------------------------

CONSENT_MESSAGE = "Hãy đánh dấu ô đồng ý để chúng tôi được lưu thông tin và trả lời bạn."


class ReaderForm(DeskForm):
    """A form readers send: a hidden field only bots fill in, and the signed moment it was
    shown (participation.filled_too_fast); the view checks both before anything else."""

    website = StringField("Trang web (để trống)", validators=[Length(max=200)])
    started = HiddenField()


def sender_name() -> StringField:
    """A reader's name, as the citizens' forms ask for it (kept for staff only)."""
    return StringField(
        "Họ và tên",
        validators=[DataRequired("Hãy nhập họ và tên."), too_long(120)],
        filters=[one_line],
        render_kw={"autocomplete": "name", "maxlength": 120},
    )


def sender_email(**extra) -> EmailField:
    """A reader's optional e-mail address, as the citizens' forms ask for it."""
    return EmailField(
        "Thư điện tử (không bắt buộc)",
        validators=[
            Optional(),
            too_long(254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư điện tử chưa đúng."),
        ],
        filters=[one_line],
        render_kw={"autocomplete": "email", "maxlength": 254},
        **extra,
    )


class QuestionForm(ReaderForm):
    """"Đặt câu hỏi": what a reader asks, and how to reach them (for staff only)."""

    name = sender_name()
    phone = StringField(
        "Số điện thoại (không bắt buộc)",
        validators=[
            Optional(),
            too_long(40),
            Regexp(r"^[0-9 +().-]{6,40}$", message="Số điện thoại chỉ gồm chữ số, dấu cách, +."),
        ],
        filters=[one_line],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "maxlength": 40},
    )
    email = sender_email(
        description="Nếu bạn ghi, chúng tôi báo cho bạn khi câu trả lời được đăng."
    )
    topic = SelectField("Lĩnh vực", validators=[InputRequired("Hãy chọn lĩnh vực.")])
    title = StringField(
        "Tiêu đề câu hỏi",
        validators=[DataRequired("Hãy nhập tiêu đề câu hỏi."), too_long(200)],
        filters=[one_line],
        render_kw={"maxlength": 200},
    )
    body = TextAreaField(
        "Nội dung câu hỏi",
        validators=[DataRequired("Hãy nhập nội dung câu hỏi."), too_long(4000)],
        filters=[text_block],
        render_kw={"rows": 8, "maxlength": 4000},
    )
    consent = BooleanField(
        "Tôi đồng ý để Ủy ban nhân dân xã lưu các thông tin trên để trả lời câu hỏi này.",
        validators=[DataRequired(CONSENT_MESSAGE)],
    )


ANSWER_PICTURE = (
    "Câu trả lời không chèn ảnh được: người đọc chỉ xem được ảnh nằm trong một tin bài hoặc "
    "một trang. Hãy bỏ ảnh ra; nếu cần, đăng ảnh trong một tin bài rồi dẫn liên kết tới tin đó."
)


class AnswerForm(DeskForm):
    """The desk's answer to a question: the question as it will be published (staff may take
    out anything that names the asker), and the answer in the rich-text editor."""

    topic = SelectField("Lĩnh vực", validators=[InputRequired("Hãy chọn lĩnh vực.")])
    title = StringField(
        "Tiêu đề câu hỏi",
        validators=[DataRequired("Hãy nhập tiêu đề."), too_long(TITLE_MAX)],
        filters=[one_line],
    )
    body = TextAreaField(
        "Nội dung câu hỏi",
        validators=[DataRequired("Hãy nhập nội dung câu hỏi."), too_long(8000)],
        filters=[text_block],
        render_kw={"rows": 6},
    )
    answer = TextAreaField("Câu trả lời", render_kw={"rows": 14, "data-rich-editor": ""})
    clean_answer = ""

    def validate_answer(self, field):
        try:
            self.clean_answer = sanitize.clean_html(field.data or "")
        except sanitize.BodyRejected as err:
            raise ValidationError(str(err)) from err
        # Only articles and pages make a picture public: in an answer it would be a broken
        # image for every reader. Say so, and keep the text.
        if "<img" in self.clean_answer:
            raise ValidationError(ANSWER_PICTURE)


class BulkForm(DeskForm):
    """Several queue items at once: approve, delete, or set aside as spam."""

    action = SelectField(
        "Với các mục đã chọn",
        choices=choices(
            [("approve", "Duyệt đăng"), ("spam", "Đánh dấu thư rác"), ("delete", "Xóa")]
        ),
    )


class PersonLookupForm(DeskForm):
    """An admin's lookup of what the site keeps about one person (a request under Decree 13)."""

    person = StringField(
        "Thư điện tử hoặc số điện thoại",
        validators=[DataRequired("Hãy nhập thư điện tử hoặc số điện thoại."), too_long(254)],
        filters=[one_line],
    )


class PollForm(DeskForm):
    """A poll: its question, its choices one per line, and when it is open."""

    question = StringField(
        "Câu hỏi thăm dò",
        validators=[DataRequired("Hãy nhập câu hỏi."), too_long(TITLE_MAX)],
        filters=[one_line],
    )
    choices_text = TextAreaField(
        "Các phương án (mỗi dòng một phương án)",
        validators=[DataRequired("Hãy nhập ít nhất hai phương án.")],
        filters=[text_block],
        render_kw={"rows": 6},
    )
    multiple = BooleanField("Cho phép chọn nhiều phương án")
    opens_at = LocalDateTimeField(
        "Bắt đầu", validators=[InputRequired("Hãy nhập thời điểm bắt đầu.")]
    )
    closes_at = LocalDateTimeField(
        "Kết thúc", validators=[InputRequired("Hãy nhập thời điểm kết thúc.")]
    )

    @property
    def labels(self) -> list[str]:
        return [" ".join(line.split()) for line in (self.choices_text.data or "").splitlines()
                if line.strip()]  # fmt: skip

    def validate_choices_text(self, field) -> None:
        labels = self.labels
        if not 2 <= len(labels) <= 20:
            raise ValidationError("Cần từ 2 đến 20 phương án.")
        if any(len(label) > TITLE_MAX for label in labels):
            raise ValidationError(f"Mỗi phương án tối đa {TITLE_MAX} ký tự.")

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("Thời điểm kết thúc phải sau thời điểm bắt đầu.")


class CommentForm(ReaderForm):
    """"Góp ý dự thảo": a reader's comment on a draft document."""

    name = sender_name()
    email = sender_email()
    body = TextAreaField(
        "Ý kiến góp ý",
        validators=[DataRequired("Hãy nhập ý kiến góp ý."), too_long(4000)],
        filters=[text_block],
        render_kw={"rows": 8, "maxlength": 4000},
    )
    consent = BooleanField(
        "Tôi đồng ý để Ủy ban nhân dân xã lưu họ tên và thư điện tử để tổng hợp góp ý.",
        validators=[DataRequired(CONSENT_MESSAGE)],
    )


def id_or_none(value):
    return int(value) if str(value or "").isdigit() else None
