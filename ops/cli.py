"""Every `flask --app app ...` command the person who runs the site types, registered in one
place. Each command is a thin shell: it parses options, calls the module that owns the work and
reports in Vietnamese through `click.echo`.

A province extends this registry rather than copying it (sites.commands): it runs each of these
commands inside the chosen site's app, or every site's, and adds its own `site` commands."""

from __future__ import annotations

import copy
import functools
import os
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask import cli as flask_cli
from sqlalchemy import select

import participation
import search
from forms import EMAIL_PATTERN
from media import check
from media.store import write_atomically
from models import ROLES, LoginAttempt, User, db
from ops import backup, health, production, schema, starter

if TYPE_CHECKING:
    from ops import importing


def init_app(app: Flask, build: Callable[..., Flask], more: tuple = ()) -> None:
    """Register every command on a single commune's `flask` group, and `more` beside them
    (the province's `site` commands, which make a commune's install a province's: `build`
    makes a site's app for them)."""
    for command in COMMANDS + tuple(more):
        app.cli.add_command(in_vietnamese(command))
    app.extensions["site_build"] = build
    describe_library_commands(app)


class Refused(click.ClickException):
    """A command that cannot go on, saying why after "Lỗi:" (click's own word is English)."""

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", file=file, err=True)


def in_vietnamese(command: click.Command) -> click.Command:
    """A copy of `command` (and of a group's commands) whose refusals and cancellations are
    said in Vietnamese, like everything else it says."""
    if isinstance(command, click.Group):
        group = copy.copy(command)
        group.commands = {name: in_vietnamese(child) for name, child in command.commands.items()}
        return group
    wrapped = copy.copy(command)
    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **options):
        try:
            return callback(*args, **options)
        except Refused:
            raise
        except click.ClickException as err:
            raise Refused(err.format_message()) from err
        except click.Abort as err:  # "n" to a question: click would say "Aborted!"
            raise Refused("Đã hủy, không thay đổi gì.") from err

    wrapped.callback = run
    return wrapped


# Flask's and Flask-Migrate's own commands, which `flask --help` lists beside ours.
LIBRARY_HELP = {
    "run": "Chạy máy chủ thử trên máy này (make run); chạy chính thức dùng make serve.",
    "shell": "Mở Python bên trong ứng dụng (cho người phát triển).",
    "routes": "Liệt kê các đường dẫn của ứng dụng (cho người phát triển).",
    "db": "Tạo và áp dụng bản chuyển đổi lược đồ (cho người phát triển; người vận hành dùng "
          "upgrade-db).",
}


def describe_library_commands(app: Flask) -> None:
    """Give the libraries' commands a Vietnamese line in `flask --help`, as ours have (their
    own --help pages, for developers, stay in English)."""
    found = {"run": flask_cli.run_command, "shell": flask_cli.shell_command,
             "routes": flask_cli.routes_command, "db": app.cli.commands.get("db")}  # fmt: skip
    for name, command in found.items():
        if command is not None:
            command.short_help = LIBRARY_HELP[name]


# --- Schema and health --------------------------------------------------------------------


@click.command("upgrade-db")
@click.option("--no-backup", is_flag=True, help="Không sao lưu trước khi nâng cấp.")
def upgrade_db_command(no_backup: bool) -> None:
    """Nâng cấp lược đồ cơ sở dữ liệu (các bản chuyển đổi còn chờ); sao lưu trước nếu cơ sở
    dữ liệu đã có dữ liệu."""
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
    if current is None:
        say_starter_menu(starter.begin_site())


def say_starter_menu(added: int) -> None:
    if added:
        click.echo(f"Đã tạo {added} chuyên mục thường dùng của một xã (sửa ở Quản trị → "
                   "Chuyên mục). `flask seed-demo` thay chúng bằng dữ liệu mẫu.")


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
    """Kiểm tra cơ sở dữ liệu, lược đồ, thư mục ảnh và tệp, khóa bí mật, bản sao lưu, địa chỉ
    công khai và dung lượng đĩa."""
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
    """Ghi các tệp tĩnh dưới tên có mã băm, kèm bản nén sẵn, cho nginx phục vụ (mặc định vào
    build/static)."""
    target = folder or os.path.join(current_app.root_path, "build", "static")
    written = 0
    for name, asset in current_app.extensions["assets"]["by_hashed"].items():
        for file_name, data in production.precompressed(name, asset.data).items():
            write_atomically(os.path.join(target, *file_name.split("/")), data)
            written += 1
    click.echo(f"Đã ghi {written} tệp tĩnh (kèm bản nén sẵn .gz) vào {target}.")


@click.command("serve-env")
def serve_env_command() -> None:
    """In các biến môi trường mà `make serve` đặt cho các tiến trình phục vụ (TÊN=GIÁ_TRỊ)."""
    chosen = production.serve_environment(current_app)
    click.echo(" ".join(f"{name}={value}" for name, value in chosen.items()))


# --- Backups and moving the database --------------------------------------------------------


@click.command("backup")
@click.argument("file", required=False, type=click.Path())
@click.option("--keep", type=click.IntRange(min=1), help="Chỉ giữ N bản sao lưu mới nhất.")
@click.option("--all", "all_sites", is_flag=True,
              help="Cấp tỉnh: sao lưu mọi trang, mỗi trang vào thư mục sao lưu riêng.")
def backup_command(file: str | None, keep: int | None, all_sites: bool) -> None:
    """Sao lưu cơ sở dữ liệu, ảnh và tệp vào một tệp nén (FILE, một thư mục, hoặc mặc định
    instance/backups)."""
    check_backup_target(file, all_sites)
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


def check_backup_target(file: str | None, all_sites: bool) -> None:
    if all_sites and file:
        raise click.ClickException("Với --all, mỗi trang sao lưu vào thư mục riêng: bỏ FILE.")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Làm luôn, không hỏi lại.")
@click.option("--site", "site_name", help="Cấp tỉnh: trang cần khôi phục (hoặc BANTIN_SITE).")
def restore_command(file: str, yes: bool, site_name: str | None) -> None:
    """Khôi phục từ một bản sao lưu sau khi kiểm tra trọn vẹn; dữ liệu hiện có được cất sang
    một bên."""
    confirm_restore(yes, site_name)
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


def confirm_restore(yes: bool, site_name: str | None) -> None:
    """Refuse a --site that is not this site; ask before replacing the data, unless --yes."""
    if site_name and site_name != current_app.config["SITE_NAME"]:
        raise click.ClickException("--site chỉ dùng khi máy chủ phục vụ nhiều trang (cấp tỉnh).")
    if not yes:
        click.confirm(
            "Dữ liệu hiện tại sẽ được thay bằng bản sao lưu (bản cũ được giữ lại). Tiếp tục?",
            abort=True,
        )


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def export_command(folder: str) -> None:
    """Xuất mọi nội dung, ảnh và tệp ra thư mục FOLDER (JSON và tệp), ví dụ để chuyển sang
    PostgreSQL."""
    from ops import transfer  # lazy: see the note above the archive imports

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
    """Nhập bản đã xuất ở thư mục FOLDER vào cơ sở dữ liệu còn trống này (tạo các bảng)."""
    from ops import transfer  # lazy: see the note above the archive imports

    try:
        counts = transfer.import_data(folder)
    except transfer.TransferError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Đã nhập {sum(counts.values())} dòng ({counts.get('article', 0)} tin bài) vào "
        f"{db.engine.url.get_backend_name()}, cùng các tệp trong {folder}/media."
    )


# --- Archives from elsewhere -----------------------------------------------------------------

# The import commands import their modules when they run, as the demo commands do (below):
# ops.importing and its readers, with defusedxml, nh3 and the XML parser, cost every process
# that builds the app about 1.5 MB (BENCHMARKS.md, "Lighter processes").


def print_report(report: importing.Report) -> None:
    """Say what an import did (or would do) and list what it could not import, and why."""
    from ops import importing  # lazy: see the note above the archive imports

    done = importing.summary(report)
    lead = "Chạy thử (không ghi gì)" if report.dry_run else "Đã nhập"
    click.echo(f"{lead}: {done or 'không có gì'}.")
    print_problems(report)


def print_problems(report: importing.Report) -> None:
    if report.problems:
        click.echo(f"{len(report.problems)} vấn đề:")
        for what, why in report.problems:
            click.echo(f"  - {what}: {why}")


def run_import(path: str, work) -> importing.Report:
    """Run an import with a progress bar over the bytes read (the file is read twice at most)."""
    from ops import importing  # lazy: see the note above the archive imports

    size = max(1, os.path.getsize(path))
    with click.progressbar(length=size * 2, label="Đang nhập") as bar:
        try:
            return work(bar.update)
        except importing.ImportRefused as err:
            refused = err
    if refused.report is not None:
        print_problems(refused.report)
    raise click.ClickException(str(refused)) from refused


IMPORT_OPTIONS = (
    click.option("--uploads", type=click.Path(file_okay=False, exists=True),
                 help="Thư mục chứa ảnh và tệp đã tải lên của trang cũ."),
    click.option("--fetch", is_flag=True, help="Tải từ Internet những ảnh không có sẵn."),
    click.option("--dry-run", is_flag=True, help="Chạy thử: chỉ kiểm tra và đếm, không ghi gì."),
    click.option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True,
                 help="Múi giờ của ngày giờ ghi trên trang cũ."),
)  # fmt: skip


def import_options(command):
    for option in reversed(IMPORT_OPTIONS):
        command = option(command)
    return command


@click.command("import-wordpress")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@import_options
def import_wordpress_command(file: str, uploads, fetch: bool, dry_run: bool, timezone: str):
    """Nhập bài viết và trang từ tệp xuất của WordPress (WXR), cùng ảnh và địa chỉ cũ.

    Ảnh lấy từ --uploads (thư mục wp-content/uploads của trang cũ); chỉ tải từ Internet khi có
    --fetch. Chạy lại lần nữa không nhập trùng.
    """
    from ops import importing, wordpress  # lazy: see the note above the archive imports

    options = importing.Options(uploads=uploads, fetch=fetch, dry_run=dry_run, timezone=timezone)
    print_report(run_import(file, lambda step: wordpress.import_file(file, options, step)))


@click.command("import-feed")
@click.argument("source")
@import_options
def import_feed_command(source: str, uploads, fetch: bool, dry_run: bool, timezone: str):
    """Nhập các mục của một nguồn tin RSS 2.0 hoặc Atom (tệp hoặc địa chỉ web) thành tin bài.

    Ảnh lấy từ --uploads (bản sao các tệp của trang cũ, theo đường dẫn); chỉ tải từ Internet
    khi có --fetch. Chạy lại lần nữa không nhập trùng.
    """
    from ops import feedimport, importing  # lazy: see the note above the archive imports

    options = importing.Options(uploads=uploads, fetch=fetch, dry_run=dry_run, timezone=timezone)
    try:
        path, temporary = importing.local_copy(source)
    except importing.ImportRefused as err:
        raise click.ClickException(str(err)) from err
    try:
        report = run_import(path, lambda step: feedimport.import_file(path, source, options, step))
    finally:
        if temporary:
            os.remove(path)
    print_report(report)


@click.command("import-nukeviet")
@click.argument("dump", type=click.Path(dir_okay=False, exists=True))
@import_options
@click.option("--language", help="Ngôn ngữ cần nhập khi tệp có nhiều ngôn ngữ (vi, en...).")
def import_nukeviet_command(dump: str, uploads, fetch: bool, dry_run: bool, timezone: str,
                            language):  # fmt: skip
    """Nhập tin bài, chuyên mục và văn bản từ bản sao cơ sở dữ liệu (mysqldump) của một trang
    NukeViet 4, cùng ảnh, tệp đính kèm và địa chỉ cũ.

    Ảnh và tệp lấy từ --uploads (thư mục uploads của trang cũ). Không cần máy chủ MySQL.
    Chạy lại lần nữa không nhập trùng.
    """
    from ops import importing, nukeviet  # lazy: see the note above the archive imports

    options = importing.Options(uploads=uploads, fetch=fetch, dry_run=dry_run, timezone=timezone)
    print_report(run_import(dump, lambda step: nukeviet.import_file(dump, options, step, language)))


# --- Content and accounts -------------------------------------------------------------------

# The demo commands import ops.seed when they run. Its code, texts and drawings (with
# Pillow's drawing and fonts) cost every serving process 2.5–5 MB, and this module is imported
# by every process that builds the app (BENCHMARKS.md, "Lighter processes").


@click.command("seed-demo")
@click.option(
    "--articles",
    type=click.IntRange(min=1),
    help="Thêm hàng loạt cho đến khi trang mẫu có N tin bài (rải đều các chuyên mục và năm).",
)
def seed_demo_command(articles: int | None) -> None:
    """Điền tin bài mẫu (do máy soạn) vào một trang chưa có nội dung; trang đã có nội dung thì
    không thêm gì. Các tài khoản có sẵn được giữ nguyên.

    Với --articles N, thêm tin bài tự sinh cho đến khi trang mẫu có N tin, để xem trang chạy
    thế nào ở cỡ đó. `flask remove-demo` xóa lại tất cả.
    """
    from ops import seed  # lazy: see the note above the demo commands

    password = seed.seed_demo()
    if password is None and articles is None:
        click.echo("Cơ sở dữ liệu đã có nội dung: không thêm dữ liệu mẫu.")
        return
    if password is not None:
        click.echo("Đã tạo dữ liệu mẫu: chuyên mục, trang tĩnh, tin bài và ảnh minh họa.")
        click.echo(f"Tài khoản quản trị: {seed.demo_admin().username}")
        if password:
            click.echo(f"Mật khẩu (chỉ hiện một lần, hãy đổi ngay): {password}")
        else:
            click.echo("(tài khoản có sẵn của trang, mật khẩu giữ nguyên)")
    if articles is not None:
        seed_big(articles)


def seed_big(articles: int) -> None:
    from ops import seed  # lazy: see the note above the demo commands

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
@click.option("--yes", is_flag=True, help="Làm luôn, không hỏi lại.")
@click.option("--keep-categories", is_flag=True, help="Giữ các chuyên mục mẫu (trình đơn).")
def remove_demo_command(yes: bool, keep_categories: bool) -> None:
    """Xóa dữ liệu mẫu, để lại một trang sạch cùng tài khoản quản trị.

    Chỉ xóa những gì `seed-demo` đã tạo: tin bài, văn bản, ảnh và tệp, các tài khoản mẫu (trừ
    admin và tài khoản đã có người dùng), các trang, cán bộ, chuyên mục và cài đặt mẫu chưa
    bị sửa. Nội dung do người dùng thêm không bao giờ bị đụng tới.
    """
    from ops import seed  # lazy: see the note above the demo commands

    counts = seed.demo_summary()
    if counts is None:
        raise click.ClickException("Không có dữ liệu mẫu để xóa (trang không do seed-demo tạo).")
    listed = ", ".join(f"{number} {seed.LABELS[name]}" for name, number in counts.items())
    if not yes:
        click.confirm(f"Xóa dữ liệu mẫu ({listed})?", abort=True)
    admin = seed.demo_admin()
    kept_name = admin.username if admin else "admin"
    try:
        report = seed.remove_demo(keep_categories=keep_categories)
    except seed.DemoError as err:
        raise click.ClickException(str(err)) from err
    removed = ", ".join(f"{number} {seed.LABELS[name]}" for name, number in report.removed.items())
    click.echo(f"Đã xóa dữ liệu mẫu: {removed}.")
    for line in report.kept:
        click.echo(line)
    click.echo(f"Tài khoản {kept_name} được giữ lại: hãy đổi mật khẩu và nhập thông tin của xã.")


def prompt_password(password: str | None) -> str:
    if password:
        return password
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="author", show_default=True,
              help="admin: quản trị; editor: biên tập viên; author: cộng tác viên.")
@click.option("--password", help="Mật khẩu; bỏ trống thì được hỏi (không hiện khi gõ).")
@click.option("--display-name", default="", help="Họ tên hiện trong bàn biên tập.")
@click.option("--email", default="", help="Thư điện tử nhận thông báo của bàn biên tập "
              "(bài chờ duyệt, bị trả lại, đã đăng); không bắt buộc.")
def create_user_command(username: str, role: str, password: str | None, display_name: str,
                        email: str):  # fmt: skip
    """Tạo một tài khoản của bàn biên tập."""
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"Tên đăng nhập '{username}' đã tồn tại.")
    if email and not re.fullmatch(EMAIL_PATTERN, email):
        raise click.ClickException(f"Địa chỉ thư điện tử '{email}' không hợp lệ.")
    user = User(username=username, role=role, display_name=display_name or username,
                email=email)  # fmt: skip
    user.set_password(prompt_password(password))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản '{username}' với vai trò {role}.")


@click.command("set-password")
@click.argument("username")
@click.option("--password", help="Mật khẩu mới; bỏ trống thì được hỏi (không hiện khi gõ).")
def set_password_command(username: str, password: str | None) -> None:
    """Đặt mật khẩu mới cho một tài khoản (đồng thời mở khóa và cho hoạt động lại)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Không có tài khoản '{username}'.")
    user.set_password(prompt_password(password))
    user.active = True
    LoginAttempt.forget(username)  # the IT officer resets a password to unlock a throttled account
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho '{username}'.")


@click.command("media-check")
@click.option("--verify", is_flag=True, help="Đọc lại mọi tệp gốc và kiểm tra SHA-256 của nó.")
@click.option("--delete-orphans", is_flag=True, help="Xóa các tệp không còn dòng dữ liệu nào dùng.")
def media_check_command(verify: bool, delete_orphans: bool) -> None:
    """So ảnh và tệp trên đĩa với cơ sở dữ liệu; tạo lại các cỡ ảnh bị thiếu.

    Trả mã lỗi 1 khi một tệp gốc bị thiếu hoặc hỏng (hãy khôi phục nó từ bản sao lưu).
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
    """Lập lại chỉ mục tìm kiếm từ mọi tin bài và văn bản."""
    counts = search.rebuild(db.session.connection())
    db.session.commit()
    click.echo(
        f"Đã lập lại chỉ mục tìm kiếm: {counts['article_fts']} tin bài, "
        f"{counts['document_fts']} văn bản."
    )


@click.command("erase-contacts")
def erase_contacts_command() -> None:
    """Xóa họ tên và thông tin liên hệ của người dân đã quá thời hạn lưu giữ (chạy bằng cron;
    hàng chờ hỏi đáp của bàn biên tập cũng tự làm mỗi khi được mở)."""
    erased = participation.erase_expired()
    db.session.commit()
    click.echo(f"Đã xóa thông tin cá nhân của {erased} câu hỏi đã quá thời hạn lưu giữ.")


COMMANDS = (
    upgrade_db_command,
    check_command,
    collect_static_command,
    serve_env_command,
    backup_command,
    restore_command,
    export_command,
    import_command,
    import_wordpress_command,
    import_feed_command,
    import_nukeviet_command,
    seed_demo_command,
    remove_demo_command,
    create_user_command,
    set_password_command,
    media_check_command,
    reindex_command,
    erase_contacts_command,
)
