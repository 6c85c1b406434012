"""Health: `/healthz` for monitors and `flask --app app check` for the person on call."""

import os
import shutil
import tempfile
import time
from dataclasses import dataclass

import click
from flask import Blueprint, Flask, current_app, make_response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from models import db
from ops import backup, schema
from settings import DEFAULT_SECRET_KEY

bp = Blueprint("health", __name__)

LOW_DISK_BYTES = 1024**3
BACKUP_MAX_AGE_DAYS = 2


@dataclass
class Check:
    label: str
    ok: bool
    detail: str
    advice: str = ""
    # A failed essential check makes /healthz answer 503; the others are warnings.
    essential: bool = True


def describe_database() -> str:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database}"
    return f"{url.get_backend_name()} {url.host or ''}/{url.database}"


def check_database() -> Check:
    """The database answers a query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        db.session.rollback()
        current_app.logger.warning("Health check: the database does not answer: %s", err)
        return Check(
            "Cơ sở dữ liệu",
            False,
            "không trả lời",
            "Kiểm tra FLASK_SQLALCHEMY_DATABASE_URI, dung lượng ổ đĩa và quyền ghi thư mục "
            "instance/; với PostgreSQL, kiểm tra máy chủ cơ sở dữ liệu đang chạy.",
        )
    return Check("Cơ sở dữ liệu", True, f"trả lời ({describe_database()})")


def check_migrations() -> Check:
    """The schema is at the newest migration this code ships."""
    label = "Phiên bản lược đồ"
    head = schema.at_shipped_head()  # the usual answer, without importing Alembic (+4 MB)
    if head is not None:
        return Check(label, True, f"mới nhất ({head})")
    try:
        current, head = schema.current_revision(), schema.head_revision()
    except (SQLAlchemyError, click.ClickException) as err:
        return Check(label, False, "không đọc được", str(getattr(err, "message", err)))
    if current == head:
        return Check(label, True, f"mới nhất ({head})")
    upgrade = "Chạy `flask --app app upgrade-db` (`make serve` tự làm việc này khi khởi động)."
    if current is None:
        return Check(label, False, "chưa tạo bảng", upgrade)
    if not schema.is_known(current):
        return Check(
            label,
            False,
            f"{current} không có trong mã nguồn này",
            "Cơ sở dữ liệu do một phiên bản Bantin mới hơn tạo ra: hãy cập nhật mã nguồn.",
        )
    return Check(label, False, f"đang ở {current}, mới nhất là {head}", upgrade)


def check_media_folder() -> Check:
    """Uploads can be written."""
    folder = current_app.config["MEDIA_ROOT"]
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return Check(
            "Thư mục ảnh và tệp",
            False,
            f"không ghi được ({folder})",
            f"Cấp quyền ghi thư mục {folder} cho tài khoản chạy Bantin.",
        )
    return Check("Thư mục ảnh và tệp", True, f"ghi được ({folder})")


def database_only(app: Flask) -> None:
    """Make /healthz ask `app` only that its database answers: it holds no site's tables,
    migrations or media (a province's entry app)."""
    app.extensions["health_database_only"] = True


def essential_checks() -> list[Check]:
    database = check_database()
    if current_app.extensions.get("health_database_only"):
        return [database]
    if not database.ok:
        return [database, check_media_folder()]
    return [database, check_migrations(), check_media_folder()]


@bp.get("/healthz")
def healthz():
    """Answer `ok` when the site can serve and save; otherwise 503 and the short reason."""
    failed = [check for check in essential_checks() if not check.ok]
    body = "ok"
    if failed:
        body = "lỗi: " + "; ".join(f"{check.label} {check.detail}" for check in failed)
        current_app.logger.warning("Health check failed: %s", body)
    response = make_response(body, 503 if failed else 200)
    response.mimetype = "text/plain"
    response.cache_control.no_store = True
    return response


# --- What the operator sees ------------------------------------------------------------


def check_secret_key() -> Check:
    if current_app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
        return Check(
            "Khóa bí mật", False, "đang dùng khóa mặc định", "Chạy `make config` hoặc đặt "
            "FLASK_SECRET_KEY (xem README, mục Chạy chính thức)."
        )
    return Check("Khóa bí mật", True, "đã đặt riêng")


def check_public_address() -> Check:
    site_url = current_app.config["SITE_URL"]
    if not site_url:
        return Check(
            "Địa chỉ công khai", False, "chưa đặt SITE_URL",
            "Đặt FLASK_SITE_URL=https://<tên miền của xã>: liên kết trong RSS, sitemap và nút "
            "chia sẻ lấy từ đó, và trang chỉ trả lời cho tên miền đó (xem README).",
            essential=False,
        )
    hosts = ", ".join(current_app.config["TRUSTED_HOSTS"] or [])
    return Check("Địa chỉ công khai", True, f"{site_url} (trả lời cho: {hosts})")


def check_sqlite_journal() -> Check | None:
    if db.engine.url.get_backend_name() != "sqlite":
        return None
    mode = db.session.execute(text("PRAGMA journal_mode")).scalar()
    if mode != "wal":
        return Check(
            "Chế độ ghi SQLite", False, mode, "Cơ sở dữ liệu nên nằm trên ổ đĩa cục bộ (WAL).",
            essential=False,
        )
    return Check("Chế độ ghi SQLite", True, "WAL (người đọc không phải chờ người ghi)")


def check_backups() -> Check:
    label = "Sao lưu"
    if backup.sqlite_path() is None:
        return Check(
            label, False, "PostgreSQL: Bantin không tự sao lưu",
            "Đặt lịch pg_dump và sao lưu thư mục ảnh (xem README, mục Sao lưu).", essential=False,
        )
    newest = backup.list_archives(backup.backup_folder())[:1]
    if not newest:
        return Check(
            label, False, "chưa có bản sao lưu nào",
            "Chạy `flask --app app backup --keep 14` và đặt lịch chạy hằng ngày.", essential=False,
        )
    days = (time.time() - os.path.getmtime(newest[0])) / 86400
    if days > BACKUP_MAX_AGE_DAYS:
        return Check(
            label, False, f"bản mới nhất đã {days:.0f} ngày tuổi ({newest[0]})",
            "Kiểm tra lịch sao lưu (cron hoặc Task Scheduler).", essential=False,
        )
    return Check(label, True, f"bản mới nhất: {newest[0]}")


def check_disk_space() -> Check:
    free = shutil.disk_usage(current_app.instance_path).free
    detail = f"còn trống {free / 1024**3:.1f} GB"
    if free < LOW_DISK_BYTES:
        return Check(
            "Ổ đĩa", False, detail, "Dọn bớt bản sao lưu cũ hoặc mở rộng ổ đĩa.", essential=False
        )
    return Check("Ổ đĩa", True, detail)


def operator_checks() -> list[Check]:
    checks = essential_checks()
    if checks[0].ok:
        checks += [c for c in (check_sqlite_journal(), check_backups()) if c is not None]
    return [*checks, check_secret_key(), check_public_address(), check_disk_space()]


MARKS = {True: "OK    ", False: "LỖI   "}
