"""The first-day checklist on a new site's dashboard, for its admins: each step ticks itself
from what the site holds (settings, rows, the audit log, backups, the configuration), and
the list goes away once every step is done or an admin dismisses it.

Only a site that began with this version shows it: `ops.starter` opens the list for a new
site (and the demo), so a site running for years is not asked to do its first day again.
"""

from dataclasses import dataclass

from flask import current_app, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select

import auth
from admin.blueprint import bp
from forms import ConfirmForm
from models import SETTINGS, AuditLog, Category, Setting, db
from ops import backup, starter

PASSWORD_CHANGES = ("password_change", "password_reset")
PUBLISHING = ("publish", "approve")


@dataclass
class Step:
    label: str
    hint: str
    done: bool
    link: str = ""


def audited(actions: tuple[str, ...], **where) -> bool:
    statement = select(AuditLog.id).where(AuditLog.action.in_(actions)).filter_by(**where)
    return db.session.scalar(statement.limit(1)) is not None


def own(values: dict[str, str], demo: dict[str, str], *keys: str) -> bool:
    """Tell whether the site holds its own values: set, not the default, not the demo's."""
    return all(
        values[key] and values[key] not in (SETTINGS[key][1], demo.get(key)) for key in keys
    )


def categories_reviewed() -> bool:
    """The starter menu was adapted (renamed, added to, trimmed), or the site has its own."""
    total = db.session.scalar(select(func.count()).select_from(Category))
    return bool(total) and not starter.only_starters()


def steps() -> list[Step]:
    """Every step of the first day, each ticked from the site's present state."""
    values = Setting.values()
    marker = starter.demo_marker()
    demo = marker["settings"] if marker else {}
    settings_page = url_for("admin.settings")
    found = [
        Step("Đổi mật khẩu", "Thay mật khẩu được in hay gõ ở dòng lệnh bằng mật khẩu của riêng "
             "bạn.", audited(PASSWORD_CHANGES, object_type="user", object_id=current_user.id),
             url_for("admin.account_password")),
        Step("Tên trang và cơ quan chủ quản", "Ví dụ: “Cổng thông tin điện tử xã Trà Leng”, "
             "“Ủy ban nhân dân xã Trà Leng”.", own(values, demo, "site_name", "agency"),
             settings_page + "#site_name"),
        Step("Biểu trưng và ảnh đầu trang", "Tải lên biểu trưng (logo) của xã; ảnh đầu trang "
             "(banner) không bắt buộc.", bool(values["logo"]), settings_page + "#logo"),
        Step("Thông tin liên hệ", "Địa chỉ, điện thoại và thư điện tử hiện ở chân mọi trang.",
             own(values, demo, "address", "phone", "email"), settings_page + "#address"),
        Step("Chuyên mục", "Đổi tên, thêm hoặc bỏ các chuyên mục có sẵn cho đúng với xã.",
             categories_reviewed(), url_for("admin.category_list")),
        Step("Bài viết đầu tiên", "Viết và đăng một tin, kèm ảnh.", audited(PUBLISHING),
             url_for("admin.article_new")),
        Step("Sao lưu", "Tạo bản sao lưu đầu tiên và đặt lịch sao lưu hằng đêm (README, mục "
             "Backups).", backup.last_backup(current_app) is not None, url_for("admin.backups")),
        Step("Địa chỉ công khai (SITE_URL)", "Người quản trị máy chủ đặt FLASK_SITE_URL, ví dụ "
             "https://traleng.danang.gov.vn, rồi khởi động lại trang.",
             bool(current_app.config["SITE_URL"])),
    ]
    if marker:
        found.insert(0, Step("Xóa dữ liệu mẫu", "Trang đang chứa tin bài mẫu của xã Hòa Sơn: "
                             "chạy flask --app app remove-demo.", False))
    return found


def checklist() -> list[Step] | None:
    """The steps to show this user, or None when the list is not for them or is over."""
    if not current_user.is_admin or not starter.first_day_open():
        return None
    found = steps()
    return None if all(step.done for step in found) else found


@bp.post("/first-day/dismiss")
@auth.admins_only
def first_day_dismiss():
    """Put the first-day checklist away for good (every admin of the site)."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.dashboard"))
    starter.close_first_day()
    auth.audit("settings", detail="Ẩn danh sách việc ngày đầu")
    db.session.commit()
    flash("Đã ẩn danh sách việc ngày đầu.", "success")
    return redirect(url_for("admin.dashboard"))
