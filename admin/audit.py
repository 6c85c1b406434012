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
    "attach": "Đính kèm tệp",
    "detach": "Gỡ tệp đính kèm",
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
# object_type -> (model, the desk page showing it, its argument); names: models.AUDIT_NAMES.
LINKED = {
    "article": (Article, "admin.article_edit", "article_id"),
    "category": (Category, None, None),
    "page": (Page, None, None),
    "user": (User, None, None),
    "document": (Document, None, None),
    "official": (Official, None, None),
    "redirect": (Redirect, "admin.redirect_edit", "redirect_id"),
}
DELETIONS = ("delete", "document_delete", "official_delete", "redirect_delete")


def object_names(entries) -> dict[int, tuple[str, str | None, bool]]:
    """Name each entry's object as it was called when the entry was written, linked while
    that very object still exists; one query per kind, one for deletions.

    Returns entry id -> (name, link, gone). An entry older than the object's deletion never
    links to whatever holds its id now (an id reused before ids were made unique).
    """
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in LINKED and entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    existing = {
        (kind, object_id)
        for kind, ids in wanted.items()
        for object_id in db.session.scalars(
            select(LINKED[kind][0].id).where(LINKED[kind][0].id.in_(ids))
        )
    }
    deleted = last_deletions(wanted)
    names = {}
    for entry in entries:
        key = (entry.object_type, entry.object_id)
        if entry.object_type not in LINKED or entry.object_id is None:
            continue
        same_object = key in existing and entry.id > deleted.get(key, 0)
        _model, endpoint, argument = LINKED[entry.object_type]
        link = url_for(endpoint, **{argument: entry.object_id}) if endpoint and same_object \
            else None  # fmt: skip
        names[entry.id] = (entry.object_name, link, not same_object)
    return names


def last_deletions(wanted: dict[str, set[int]]) -> dict[tuple[str, int], int]:
    """Return the id of the newest deletion entry of each of these objects that has one."""
    found = {}
    for kind, ids in wanted.items():
        rows = db.session.execute(
            select(AuditLog.object_id, db.func.max(AuditLog.id))
            .where(AuditLog.action.in_(DELETIONS), AuditLog.object_type == kind,
                   AuditLog.object_id.in_(ids))
            .group_by(AuditLog.object_id)
        ).all()  # fmt: skip
        found.update({(kind, object_id): newest for object_id, newest in rows})
    return found


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
