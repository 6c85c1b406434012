"""The audit log, for admins: who wrote, submitted, reviewed, published, unpublished, deleted,
restored, signed in; objects named as people know them (an article by its title)."""

from flask import render_template, request, url_for
from sqlalchemy import select

import auth
from admin.blueprint import bp
from models import Article, AuditLog, Category, Document, Official, Page, Redirect, User, db
from web.pagination import page_number

ACTION_LABELS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "logout": "Đăng xuất",
    "sign_in_end": "Kết thúc phiên đăng nhập",
    "password_change": "Đổi mật khẩu",
    "create": "Viết bài mới",
    "edit": "Sửa bài",
    "submit": "Gửi duyệt",
    "approve": "Duyệt và đăng",
    "return": "Trả lại",
    "publish": "Đăng bài",
    "unpublish": "Gỡ bài",
    "delete": "Xóa",
    "restore": "Khôi phục",
    "settings": "Sửa thông tin trang",
    "user_create": "Tạo tài khoản",
    "user_update": "Sửa tài khoản",
    "password_reset": "Đặt lại mật khẩu",
    "document_create": "Thêm văn bản",
    "document_update": "Sửa văn bản",
    "document_delete": "Xóa văn bản",
    "official_create": "Thêm cán bộ",
    "official_update": "Sửa cán bộ",
    "official_delete": "Xóa cán bộ",
    "import": "Nhập dữ liệu từ trang cũ",
    "redirect_create": "Thêm chuyển hướng",
    "redirect_update": "Sửa chuyển hướng",
    "redirect_delete": "Xóa chuyển hướng",
}
OBJECT_LABELS = {
    "article": "Bài",
    "category": "Chuyên mục",
    "page": "Trang",
    "user": "Tài khoản",
    "document": "Văn bản",
    "official": "Cán bộ",
    "redirect": "Chuyển hướng",
}
# object_type -> (model, the attribute that names it, the desk page showing it or None)
NAMED = {
    "article": (Article, "title", "admin.article_edit", "article_id"),
    "category": (Category, "name", None, None),
    "page": (Page, "title", None, None),
    "user": (User, "username", None, None),
    "document": (Document, "number", None, None),
    "official": (Official, "name", None, None),
    "redirect": (Redirect, "old_path", "admin.redirect_edit", "redirect_id"),
}


def object_names(entries) -> dict[tuple[str, int], tuple[str, str | None]]:
    """Name each logged object that still exists, with a link to it: one query per kind."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in NAMED and entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = {}
    for kind, ids in wanted.items():
        model, attribute, endpoint, argument = NAMED[kind]
        rows = db.session.execute(
            select(model.id, getattr(model, attribute)).where(model.id.in_(ids))
        ).all()
        for object_id, name in rows:
            link = url_for(endpoint, **{argument: object_id}) if endpoint else None
            names[kind, object_id] = (name, link)
        if kind == "article":  # its "delete" row holds the bare title
            names.update(deleted_names(kind, ids - {object_id for object_id, _ in rows}))
    return names


def deleted_names(kind: str, ids: set[int]) -> dict[tuple[str, int], tuple[str, None]]:
    """Name deleted objects by what their "delete" row recorded (the title, for an article)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(AuditLog.object_id, AuditLog.detail).where(
            AuditLog.action == "delete",
            AuditLog.object_type == kind,
            AuditLog.object_id.in_(ids),
        )
    ).all()
    return {(kind, object_id): (f"{detail} (đã xóa)", None) for object_id, detail in rows}


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
        names=object_names(pagination.items),
        args=request.args.to_dict(),
    )
