"""The audit log, for admins: who published, unpublished, deleted, restored, signed in."""

from flask import render_template, request
from sqlalchemy import select

import auth
from admin.blueprint import bp
from models import AuditLog, db
from web.pagination import page_number

ACTION_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "logout": "Đăng xuất",
    "sign_in_end": "Kết thúc phiên đăng nhập",
    "password_change": "Đổi mật khẩu",
    "publish": "Đăng bài",
    "unpublish": "Gỡ bài",
    "delete": "Xóa",
    "restore": "Khôi phục",
    "settings": "Sửa thông tin trang",
    "user_create": "Tạo tài khoản",
    "user_update": "Sửa tài khoản",
    "password_reset": "Đặt lại mật khẩu",
}
OBJECT_LABELS = {"article": "Bài", "category": "Chuyên mục", "page": "Trang", "user": "Tài khoản"}


@bp.get("/audit")
@auth.role_required("admin")
def audit_log():
    """Show the log newest first, filtered by action and by user name."""
    statement = select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    action = request.args.get("action", "")
    if action:
        statement = statement.where(AuditLog.action == action)
    username = request.args.get("user", "").strip()
    if username:
        statement = statement.where(AuditLog.username == username)
    pagination = db.paginate(
        statement, page=page_number(), per_page=50, error_out=False
    )
    return render_template(
        "admin/audit.html",
        pagination=pagination,
        actions=ACTION_LABELS,
        objects=OBJECT_LABELS,
        args=request.args.to_dict(),
    )
