"""Forms: one class per purpose, labels and messages in Vietnamese."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError


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


class MediaUploadForm(FlaskForm):
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


class AttachmentUploadForm(FlaskForm):
    """A file attached to an article or a document; its content is judged by media.store_file."""

    owner_type = HiddenField(validators=[AnyOf(("article", "document"))])
    owner_id = HiddenField(validators=[DataRequired()])
    next = HiddenField()
    file = FileField(
        "Chọn tệp (PDF, Word, Excel, ODT, ODS, ZIP)",
        validators=[FileRequired("Hãy chọn một tệp để đính kèm.")],
        render_kw={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.zip"},
    )
    title = StringField(
        "Tên hiển thị (không bắt buộc)",
        validators=[Length(max=255, message="Tên hiển thị dài tối đa 255 ký tự.")],
        description="Để trống thì dùng tên tệp.",
    )
