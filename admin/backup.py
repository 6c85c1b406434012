"""Backups from the editor desk: an admin downloads a fresh archive or one made by cron."""

import os
from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for

from admin.blueprint import bp
from auth import audit, password_confirmed, role_required
from forms import ConfirmForm
from models import db
from ops import backup


def archive_rows() -> list[dict]:
    """Describe the archives kept on the server, newest first."""
    return [
        {
            "name": os.path.basename(path),
            "bytes": os.path.getsize(path),
            "made_at": datetime.fromtimestamp(os.path.getmtime(path), UTC),
        }
        for path in backup.list_archives(backup.backup_folder())
    ]


def send_archive(path: str):
    response = send_file(
        path, mimetype="application/zip", as_attachment=True,
        download_name=os.path.basename(path),
    )  # fmt: skip
    response.cache_control.no_store = True
    return response


@bp.get("/backups")
@role_required("admin")
@password_confirmed
def backups():
    """Show the backups kept on the server and offer a fresh one."""
    postgres = backup.postgres_advice() if backup.sqlite_path() is None else None
    return render_template(
        "admin/backups.html", form=ConfirmForm(), archives=archive_rows(), postgres=postgres,
        folder=backup.backup_folder(),
    )  # fmt: skip


@bp.post("/backups")
@role_required("admin")
@password_confirmed
def backup_create():
    """Make a backup of the live site now and download it (a copy stays on the server)."""
    if not ConfirmForm().validate_on_submit():
        flash("Phiên làm việc đã hết hạn, hãy bấm lại nút tạo bản sao lưu.", "error")
        return redirect(url_for("admin.backups"))
    try:
        archive = backup.create_backup(backup.new_archive_path(backup.backup_folder()))
    except backup.BackupError as err:
        current_app.logger.error("Backup from the desk failed: %s", err)
        flash(str(err).splitlines()[0], "error")
        return redirect(url_for("admin.backups"))
    audit("backup", detail=os.path.basename(archive.path))
    db.session.commit()
    return send_archive(archive.path)


@bp.get("/backups/<name>")
@role_required("admin")
@password_confirmed
def backup_download(name: str):
    """Download one of the archives kept on the server."""
    if not backup.ARCHIVE_NAME.match(name):
        abort(404)
    path = os.path.join(backup.backup_folder(), name)
    if not os.path.isfile(path):
        abort(404)
    return send_archive(path)
