"""Every `flask --app app ...` command the person who runs the site types, registered in one
place. Each command is a thin shell: it parses options, calls the module that owns the work and
reports in Vietnamese through `click.echo`."""

import os
import time

import click
from flask import Flask, current_app
from sqlalchemy import select

import search
from media import check
from media.store import write_atomically
from models import ROLES, LoginAttempt, User, db
from ops import backup, health, production, schema, seed, transfer


def init_app(app: Flask) -> None:
    """Register every command on the app's `flask` group."""
    for command in COMMANDS:
        app.cli.add_command(command)


# --- Schema and health --------------------------------------------------------------------


@click.command("upgrade-db")
@click.option("--no-backup", is_flag=True, help="Do not take a backup before upgrading.")
def upgrade_db_command(no_backup: bool) -> None:
    """Apply pending migrations, taking a backup first when the database holds data."""
    if schema.has_unversioned_tables():
        raise click.ClickException(
            "Cơ sở dữ liệu đã có bảng nhưng không ghi phiên bản lược đồ, nên không thể nâng cấp "
            "an toàn. Hãy sao lưu rồi hỏi người phát triển."
        )
    current = schema.current_revision()
    pending = schema.pending_revisions(current)
    if not pending:
        click.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({current}).")
        return
    if current is None:
        click.echo(f"Tạo cơ sở dữ liệu mới ({len(pending)} bước).")
    else:
        backup_before_upgrade(no_backup)
        click.echo(f"Nâng cấp cơ sở dữ liệu từ phiên bản {current} ({len(pending)} bước):")
    for script in pending:
        click.echo(f"  {script.revision}: {script.doc}")
    schema.upgrade()
    head = schema.head_revision()
    current_app.logger.info("Database schema %s -> %s", current or "(new)", head)
    click.echo(f"Xong: cơ sở dữ liệu ở phiên bản {head}.")


def backup_before_upgrade(skip: bool) -> None:
    """Keep a copy of a SQLite database before its schema changes."""
    if skip:
        return
    if backup.sqlite_path() is None:
        click.echo("Lưu ý: Bantin không tự sao lưu PostgreSQL; hãy chắc rằng đã có bản pg_dump.")
        return
    archive = backup.create_backup(backup.new_archive_path(backup.backup_folder()))
    click.echo(f"Đã sao lưu trước khi nâng cấp: {archive.path}")


MARKS = {True: "OK    ", False: "LỖI   "}


@click.command("check")
def check_command() -> None:
    """Check the database, migrations, media folder, secret key, backups and disk space."""
    checks = health.operator_checks()
    for item in checks:
        mark = MARKS[item.ok] if item.ok or item.essential else "CHÚ Ý "
        click.echo(f"{mark}{item.label}: {item.detail}")
        if not item.ok and item.advice:
            click.echo(f"      → {item.advice}")
    if any(not item.ok and item.essential for item in checks):
        raise click.ClickException("Trang chưa sẵn sàng: hãy xử lý các mục LỖI ở trên.")
    click.echo("Trang sẵn sàng phục vụ.")


@click.command("collect-static")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
def collect_static_command(folder: str | None) -> None:
    """Write static files under their hashed names, pre-compressed, for nginx (build/static)."""
    target = folder or os.path.join(current_app.root_path, "build", "static")
    written = 0
    for name, asset in current_app.extensions["assets"]["by_hashed"].items():
        for file_name, data in production.precompressed(name, asset.data).items():
            write_atomically(os.path.join(target, *file_name.split("/")), data)
            written += 1
    click.echo(f"Đã ghi {written} tệp tĩnh (kèm bản nén sẵn .gz) vào {target}.")


# --- Backups and moving the database --------------------------------------------------------


@click.command("backup")
@click.argument("file", required=False, type=click.Path())
@click.option("--keep", type=click.IntRange(min=1), help="Keep only the N newest archives.")
def backup_command(file: str | None, keep: int | None) -> None:
    """Back up the database and uploads into one archive (FILE, a folder, or instance/backups)."""
    if backup.sqlite_path() is None:
        raise click.ClickException(backup.postgres_advice())
    try:
        archive = backup.create_backup(backup.archive_target(file))
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from err
    size = os.path.getsize(archive.path) / 1024**2
    click.echo(f"Đã sao lưu vào {archive.path} ({size:.1f} MB).")
    click.echo(backup.summary(archive.manifest))
    if keep:
        for old in backup.rotate(os.path.dirname(os.path.abspath(archive.path)), keep):
            click.echo(f"Đã xóa bản cũ: {old}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: str, yes: bool) -> None:
    """Restore a backup archive after checking it completely; current data is kept aside."""
    if not yes:
        click.confirm(
            "Dữ liệu hiện tại sẽ được thay bằng bản sao lưu (bản cũ được giữ lại). Tiếp tục?",
            abort=True,
        )
    try:
        restored = backup.restore_backup(file)
    except backup.BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Đã khôi phục bản sao lưu tạo lúc {restored.manifest['created_at']}.")
    click.echo(backup.summary(restored.manifest))
    if restored.aside:
        click.echo(f"Dữ liệu bị thay thế được giữ ở {restored.aside}.")
    if restored.upgraded:
        click.echo(f"Đã nâng cấp cơ sở dữ liệu lên phiên bản {schema.head_revision()}.")


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def export_command(folder: str) -> None:
    """Export all content and media to FOLDER (JSON + files), e.g. to move to PostgreSQL."""
    try:
        manifest = transfer.export_data(folder)
    except transfer.TransferError as err:
        raise click.ClickException(str(err)) from err
    rows = sum(table["rows"] for table in manifest["tables"].values())
    click.echo(
        f"Đã xuất {rows} dòng ({manifest['tables']['article']['rows']} tin bài) và "
        f"{len(manifest['media'])} tệp vào {folder}."
    )


@click.command("import")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
def import_command(folder: str) -> None:
    """Import an export from FOLDER into this empty database (creating its tables)."""
    try:
        counts = transfer.import_data(folder)
    except transfer.TransferError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Đã nhập {sum(counts.values())} dòng ({counts.get('article', 0)} tin bài) vào "
        f"{db.engine.url.get_backend_name()}, cùng các tệp trong {folder}/media."
    )


# --- Content and accounts -------------------------------------------------------------------


@click.command("seed-demo")
@click.option(
    "--articles",
    type=click.IntRange(min=1),
    help="Grow the demo to N articles in bulk (spread over categories and years).",
)
def seed_demo_command(articles: int | None) -> None:
    """Fill an empty site with invented demo news (does nothing if content exists).

    With --articles N, also add generated articles until the demo site holds N of them, to
    see how the site behaves at that size. `flask remove-demo` takes it all away again.
    """
    password = seed.seed_demo()
    if password is None and articles is None:
        click.echo("Cơ sở dữ liệu đã có nội dung: không thêm dữ liệu mẫu.")
        return
    if password is not None:
        click.echo("Đã tạo dữ liệu mẫu: chuyên mục, trang tĩnh, tin bài và ảnh minh họa.")
        click.echo("Tài khoản quản trị: admin")
        click.echo(f"Mật khẩu (chỉ hiện một lần, hãy đổi ngay): {password}")
    if articles is not None:
        seed_big(articles)


def seed_big(articles: int) -> None:
    started = time.perf_counter()
    try:
        added = seed.seed_big(articles, click.echo)
    except seed.DemoError as err:
        raise click.ClickException(str(err)) from err
    seconds = time.perf_counter() - started
    if added:
        click.echo(f"Đã thêm {seed.thousands(added)} tin bài trong {seconds:.0f} giây.")
    else:
        click.echo(f"Trang mẫu đã có từ {seed.thousands(articles)} tin bài trở lên.")


@click.command("remove-demo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--keep-categories", is_flag=True, help="Keep the demo's categories (the menu).")
def remove_demo_command(yes: bool, keep_categories: bool) -> None:
    """Remove the demo content, leaving a clean site with the admin account.

    Only rows `seed-demo` created are removed: articles, documents, pictures and files, the
    demo accounts (not admin), and the pages, officials, categories and settings the demo set
    up, unless they were edited since. Content added by people is never touched.
    """
    counts = seed.demo_summary()
    if counts is None:
        raise click.ClickException("Không có dữ liệu mẫu để xóa (trang không do seed-demo tạo).")
    listed = ", ".join(f"{number} {seed.LABELS[name]}" for name, number in counts.items())
    if not yes:
        click.confirm(f"Xóa dữ liệu mẫu ({listed})?", abort=True)
    try:
        report = seed.remove_demo(keep_categories=keep_categories)
    except seed.DemoError as err:
        raise click.ClickException(str(err)) from err
    removed = ", ".join(f"{number} {seed.LABELS[name]}" for name, number in report.removed.items())
    click.echo(f"Đã xóa dữ liệu mẫu: {removed}.")
    for line in report.kept:
        click.echo(line)
    click.echo("Tài khoản admin được giữ lại: hãy đổi mật khẩu và nhập thông tin của xã.")


def prompt_password(password: str | None) -> str:
    if password:
        return password
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="author", show_default=True)
@click.option("--password", help="Password; prompted for when omitted.")
@click.option("--display-name", default="", help="Name shown in the editor desk.")
def create_user_command(username: str, role: str, password: str | None, display_name: str):
    """Create an editor-desk account."""
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"Tên đăng nhập '{username}' đã tồn tại.")
    user = User(username=username, role=role, display_name=display_name or username)
    user.set_password(prompt_password(password))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản '{username}' với vai trò {role}.")


@click.command("set-password")
@click.argument("username")
@click.option("--password", help="New password; prompted for when omitted.")
def set_password_command(username: str, password: str | None) -> None:
    """Set a new password for an account (and reactivate and unlock it)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Không có tài khoản '{username}'.")
    user.set_password(prompt_password(password))
    user.active = True
    LoginAttempt.forget(username)  # the IT officer resets a password to unlock a throttled account
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho '{username}'.")


@click.command("media-check")
@click.option("--verify", is_flag=True, help="Also re-read every original and check its SHA-256.")
@click.option("--delete-orphans", is_flag=True, help="Delete files that no database row uses.")
def media_check_command(verify: bool, delete_orphans: bool) -> None:
    """Compare uploads on disk with the database; remake missing image sizes.

    Exits with status 1 when an original is missing or damaged (restore it from a backup).
    """
    report = check.check_store(verify=verify)
    for item in report.missing:
        click.echo(f"Thiếu tệp gốc: #{item.id} {item.original_name} ({item.stored_name})")
    for item in report.corrupt:
        click.echo(f"Tệp gốc bị hỏng (sai SHA-256): #{item.id} {item.original_name}")
    click.echo(f"Đã tạo lại {report.regenerated} cỡ ảnh bị thiếu.")
    for path in report.orphans:
        if delete_orphans:
            os.remove(path)
        click.echo(f"{'Đã xóa' if delete_orphans else 'Tệp mồ côi'}: {path}")
    click.echo(
        f"Tổng: {len(report.missing)} tệp gốc thiếu, {len(report.corrupt)} tệp hỏng, "
        f"{len(report.orphans)} tệp mồ côi."
    )
    if report.missing or report.corrupt:
        raise SystemExit(1)


@click.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from every article and document."""
    counts = search.rebuild(db.session.connection())
    db.session.commit()
    click.echo(
        f"Đã lập lại chỉ mục tìm kiếm: {counts['article_fts']} tin bài, "
        f"{counts['document_fts']} văn bản."
    )


COMMANDS = (
    upgrade_db_command,
    check_command,
    collect_static_command,
    backup_command,
    restore_command,
    export_command,
    import_command,
    seed_demo_command,
    remove_demo_command,
    create_user_command,
    set_password_command,
    media_check_command,
    reindex_command,
)
