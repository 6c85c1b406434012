"""Every `flask --app app ...` command the person who runs the site types, registered in one
place. Each command is a thin shell: it parses options, calls the module that owns the work and
reports in Vietnamese through `click.echo`."""

import copy
import functools
import os
import re
import tempfile
import time

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
from ops import (
    backup,
    feedimport,
    health,
    importing,
    merge,
    nukeviet,
    production,
    schema,
    sites,
    starter,
    transfer,
    wordpress,
)
from sites import index as province_index
from sites import operators
from sites.registry import Registry, RegistryError, Site, check_name, normal_host

# Commands that, in a province with no BANTIN_SITE given, act on every site in turn.
EVERY_SITE = {"upgrade-db", "check", "erase-contacts"}
# Commands about the install itself, not a site's data: every site serves the same files.
WHOLE_INSTALL = {"collect-static"}


def init_app(app: Flask, build: sites.Build) -> None:
    """Register every command on a single commune's `flask` group (and `site` to add more)."""
    for command in COMMANDS + PROVINCE_COMMANDS:
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


def init_province(app: Flask, registry: Registry, build: sites.Build) -> None:
    """Register every command so that it acts on BANTIN_SITE's site (or on every site)."""
    app.extensions["site_build"] = build
    app.extensions["registry"] = registry
    for command in COMMANDS:
        if command.name not in WHOLE_INSTALL:
            command = on_sites(command, registry, build)
        app.cli.add_command(in_vietnamese(command))
    for command in PROVINCE_COMMANDS:
        app.cli.add_command(in_vietnamese(command))
    describe_library_commands(app)


def chosen_site(registry: Registry, name: str | None = None) -> Site | None:
    """The site named (`--site`, else BANTIN_SITE), the only site, or None when the operator
    must choose."""
    name = (name or os.environ.get("BANTIN_SITE", "")).strip()
    if name:
        try:
            return registry.require(name)
        except RegistryError as err:
            raise click.ClickException(str(err)) from err
    every = registry.sites()
    return every[0] if len(every) == 1 else None


def on_sites(command: click.Command, registry: Registry, build: sites.Build) -> click.Command:
    """A copy of `command` that runs inside the chosen site's app, or every site's in turn."""
    wrapped = copy.copy(command)
    callback = command.callback

    @functools.wraps(callback)
    def run(**options):
        named = options.get("site_name") or os.environ.get("BANTIN_SITE")
        site = chosen_site(registry, options.get("site_name"))
        everyone = command.name in EVERY_SITE or options.get("all_sites")
        if site is not None and not (everyone and not named):
            return run_on(build(site), callback, options)
        if not everyone:
            names = ", ".join(s.name for s in registry.sites())
            raise click.ClickException(
                f"Tỉnh này có nhiều trang ({names}). Chọn một trang bằng biến môi trường "
                "BANTIN_SITE, ví dụ: BANTIN_SITE=tra-leng flask --app app ..."
            )
        run_on_every_site(registry, build, callback, options)

    wrapped.callback = run
    return wrapped


def run_on(app: Flask, callback, options: dict):
    with app.app_context():
        return callback(**options)


def run_on_every_site(registry: Registry, build: sites.Build, callback, options) -> None:
    """Run a command on each site, saying which; go on after a failure and report it."""
    failed = []
    every = registry.sites()
    for site in every:
        click.echo(f"== {site.name} ({', '.join(site.hosts)})")
        started = time.perf_counter()
        try:
            run_on(build(site), callback, options)
        except click.ClickException as err:
            click.echo(f"LỖI: {err.format_message()}")
            failed.append(site.name)
        click.echo(f"   ({time.perf_counter() - started:.1f} giây)")
    click.echo(f"Xong {len(every) - len(failed)}/{len(every)} trang.")
    if failed:
        raise click.ClickException("Các trang có lỗi: " + ", ".join(failed))


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
        say_province_index(province_index.refresh(current_app))
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
    say_province_index(province_index.refresh(current_app))


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


# --- Backups and moving the database --------------------------------------------------------


@click.command("backup")
@click.argument("file", required=False, type=click.Path())
@click.option("--keep", type=click.IntRange(min=1), help="Chỉ giữ N bản sao lưu mới nhất.")
@click.option("--all", "all_sites", is_flag=True,
              help="Cấp tỉnh: sao lưu mọi trang, mỗi trang vào thư mục sao lưu riêng.")
def backup_command(file: str | None, keep: int | None, all_sites: bool) -> None:
    """Sao lưu cơ sở dữ liệu, ảnh và tệp vào một tệp nén (FILE, một thư mục, hoặc mặc định
    instance/backups)."""
    if all_sites and file:
        raise click.ClickException("Với --all, mỗi trang sao lưu vào thư mục riêng: bỏ FILE.")
    if backup.sqlite_path() is None:
        backup_postgres_site()
        return
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


def backup_postgres_site() -> None:
    """A province site on PostgreSQL: pg_dump its schema; anything else gets the advice."""
    if not current_app.config["DATABASE_SCHEMA"]:
        raise click.ClickException(backup.postgres_advice())
    try:
        dump, media = sites.backup_postgres_site(current_app._get_current_object())
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Đã sao lưu vào {dump} (bảng) và {media} (ảnh, tệp).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Làm luôn, không hỏi lại.")
@click.option("--site", "site_name", help="Cấp tỉnh: trang cần khôi phục (hoặc BANTIN_SITE).")
def restore_command(file: str, yes: bool, site_name: str | None) -> None:
    """Khôi phục từ một bản sao lưu sau khi kiểm tra trọn vẹn; dữ liệu hiện có được cất sang
    một bên."""
    if site_name and site_name != current_app.config["SITE_NAME"]:
        raise click.ClickException("--site chỉ dùng khi máy chủ phục vụ nhiều trang (cấp tỉnh).")
    if not yes:
        click.confirm(
            "Dữ liệu hiện tại sẽ được thay bằng bản sao lưu (bản cũ được giữ lại). Tiếp tục?",
            abort=True,
        )
    if current_app.config["DATABASE_SCHEMA"]:
        restore_postgres_site(file)
        return
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


def restore_postgres_site(file: str) -> None:
    app = current_app._get_current_object()
    try:
        aside = sites.restore_postgres_site(app, file)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    with app.app_context():
        upgraded = schema.current_revision() != schema.head_revision()
        if upgraded:
            schema.upgrade()
    click.echo(f"Đã khôi phục trang “{app.config['SITE_NAME']}” từ {file}.")
    if aside:
        click.echo(f"Ảnh và tệp bị thay thế được giữ ở {aside}.")


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def export_command(folder: str) -> None:
    """Xuất mọi nội dung, ảnh và tệp ra thư mục FOLDER (JSON và tệp), ví dụ để chuyển sang
    PostgreSQL."""
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
    try:
        counts = transfer.import_data(folder)
    except transfer.TransferError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Đã nhập {sum(counts.values())} dòng ({counts.get('article', 0)} tin bài) vào "
        f"{db.engine.url.get_backend_name()}, cùng các tệp trong {folder}/media."
    )


# --- Archives from elsewhere -----------------------------------------------------------------


def print_report(report: importing.Report) -> None:
    """Say what an import did (or would do) and list what it could not import, and why."""
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
    say_province_index(province_index.refresh(current_app, whole=True))


def say_province_index(count: int | None) -> None:
    if count is not None:
        click.echo(f"Chỉ mục tìm kiếm chung của tỉnh: {count} mục của trang này.")


# --- Province: the sites this install serves ------------------------------------------------


def registry_of(app: Flask) -> Registry:
    return app.extensions.get("registry") or Registry(app.config["SITES_DATABASE_URI"])


@click.group("site")
def site_group() -> None:
    """Cấp tỉnh: thêm, liệt kê, tạm ngừng và xóa trang của các xã, phường."""


def refused(err: RegistryError) -> click.ClickException:
    return click.ClickException(str(err))


@site_group.command("add")
@click.argument("name")
@click.option("--host", "hosts", multiple=True, required=True,
              help="Một tên miền của trang (lặp lại để thêm; tên đầu là địa chỉ của trang).")
@click.option("--title", default="", help="Tên trang, ví dụ “Xã Trà Leng”.")
@click.option("--url", default="", help="Địa chỉ công khai, khi không phải https://TÊN-MIỀN-ĐẦU.")
@click.option("--adopt", is_flag=True,
              help="Dùng cơ sở dữ liệu, ảnh và tệp hiện có của cài đặt này làm trang mới.")
def site_add_command(name: str, hosts: tuple[str, ...], title: str, url: str, adopt: bool):
    """Thêm trang của một xã, phường trả lời tên miền HOST, với cơ sở dữ liệu và thư mục ảnh
    riêng, còn trống."""
    app = current_app
    registry = registry_of(app)
    taken = None
    if adopt:
        if registry.exists() and registry.sites():
            raise click.ClickException("--adopt chỉ dùng cho trang đầu tiên của một cài đặt.")
        taken = (app.config["SQLALCHEMY_DATABASE_URI"], app.config["MEDIA_ROOT"])
    started = time.perf_counter()
    try:
        site = sites.add_site(registry, app.extensions["site_build"], name, list(hosts),
                              title, url, taken, app.instance_path)
    except RegistryError as err:
        raise refused(err) from err
    click.echo(f"Đã thêm trang “{site.name}” ({site.public_url}), tên miền: "
               f"{', '.join(site.hosts)} ({time.perf_counter() - started:.1f} giây).")
    if not adopt:
        click.echo("Trang mới có sẵn các chuyên mục thường dùng của một xã (sửa ở Quản trị → "
                   "Chuyên mục) và danh sách việc cần làm ngày đầu trên trang Tổng quan.")
    click.echo(f"Tạo tài khoản quản trị: BANTIN_SITE={site.name} flask --app app "
               "create-user TEN --role admin")


@site_group.command("list")
def site_list_command() -> None:
    """Liệt kê mọi trang cùng trạng thái và tên miền."""
    every = registry_of(current_app).sites()
    if not every:
        click.echo("Chưa có trang nào: cài đặt này phục vụ một trang duy nhất "
                   "(thêm trang bằng `flask --app app site add`).")
        return
    for site in every:
        state = "đang chạy" if site.enabled else "TẠM NGỪNG"
        click.echo(f"{site.name:<24} {state:<10} {', '.join(site.hosts)}  {site.title}")


def set_enabled(name: str, enabled: bool) -> Site:
    registry = registry_of(current_app)
    try:
        site = registry.set_enabled(name, enabled)
    except RegistryError as err:
        raise refused(err) from err
    sites.registry_changed(registry, current_app.instance_path)
    return site


@site_group.command("disable")
@click.argument("name")
def site_disable_command(name: str) -> None:
    """Ngừng phục vụ một trang (tên miền của nó báo “tạm ngừng”); dữ liệu vẫn giữ nguyên."""
    set_enabled(name, False)
    click.echo(f"Đã tạm ngừng trang “{name}”. Mở lại: flask --app app site enable {name}")


@site_group.command("enable")
@click.argument("name")
def site_enable_command(name: str) -> None:
    """Phục vụ lại một trang đã tạm ngừng."""
    set_enabled(name, True)
    click.echo(f"Trang “{name}” đã hoạt động trở lại.")


@site_group.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Làm luôn, không hỏi lại.")
def site_remove_command(name: str, yes: bool) -> None:
    """Xóa hẳn dữ liệu của một trang (chỉ khi bản sao lưu mới nhất mới hơn lần sửa cuối)."""
    if not yes:
        click.confirm(f"Xóa hẳn dữ liệu của trang “{name}” (giữ các bản sao lưu)?", abort=True)
    app = current_app
    try:
        kept = sites.remove_site(registry_of(app), app.extensions["site_build"], name,
                                 app.instance_path)
    except RegistryError as err:
        raise refused(err) from err
    click.echo(f"Đã xóa trang “{name}”. Các bản sao lưu vẫn ở {kept}.")


def change_hosts(change) -> None:
    """Apply a change to a site's host names, tell every server, and say what it uses now."""
    registry = registry_of(current_app)
    try:
        site = change(registry)
    except RegistryError as err:
        raise refused(err) from err
    sites.registry_changed(registry, current_app.instance_path)
    click.echo(f"Trang “{site.name}” giờ dùng: {', '.join(site.hosts)}.")


@site_group.command("rename-host")
@click.argument("old")
@click.argument("new")
def site_rename_host_command(old: str, new: str) -> None:
    """Thay tên miền OLD bằng NEW (liên kết của trang đổi theo nếu đó là tên miền đầu)."""
    change_hosts(lambda registry: registry.rename_host(old, new))


@site_group.command("add-host")
@click.argument("name")
@click.argument("host")
def site_add_host_command(name: str, host: str) -> None:
    """Cho một trang trả lời thêm một tên miền."""
    change_hosts(lambda registry: registry.add_host(name, host))


@site_group.command("remove-host")
@click.argument("name")
@click.argument("host")
def site_remove_host_command(name: str, host: str) -> None:
    """Thôi trả lời một tên miền của trang."""
    change_hosts(lambda registry: registry.remove_host(name, host))


@site_group.command("operator")
@click.argument("name")
@click.option("--password", help="Mật khẩu; bỏ trống thì được hỏi (không hiện khi gõ).")
@click.option("--remove", is_flag=True, help="Xóa tài khoản (và kết thúc các phiên đăng nhập).")
def site_operator_command(name: str, password: str | None, remove: bool) -> None:
    """Tạo tài khoản cán bộ công nghệ thông tin của tỉnh cho trang quản trị cấp tỉnh, hoặc đặt
    lại mật khẩu (các phiên đăng nhập cũ kết thúc). Tài khoản của xã không dùng được ở đây."""
    registry = registry_of(current_app)
    if not registry.exists() or not registry.sites():
        raise click.ClickException("Tài khoản quản trị tỉnh chỉ dùng khi cài đặt phục vụ nhiều "
                                   "trang: hãy thêm trang bằng `flask --app app site add` trước.")
    try:
        if remove:
            operators.remove(registry, name)
            click.echo(f"Đã xóa tài khoản quản trị tỉnh “{operators.key(name)}”.")
            return
        operators.check_name(name)
        created = operators.set_password(registry, name, prompt_password(password),
                                         current_app.config["PASSWORD_HASH_METHOD"])
    except RegistryError as err:
        raise refused(err) from err
    if created:
        click.echo(f"Đã tạo tài khoản quản trị tỉnh “{operators.key(name)}”: đăng nhập tại "
                   "/admin/ trên tên miền của tỉnh (PROVINCE_HOSTS).")
    else:
        click.echo(f"Đã đặt mật khẩu mới cho “{operators.key(name)}”; các phiên đăng nhập cũ "
                   "đã kết thúc.")


@click.command("merge-site")
@click.argument("old")
@click.option("--into", "new", required=True, help="Trang của xã, phường mà OLD đã nhập vào.")
@click.option("--host", "hosts", multiple=True,
              help="Với bản sao lưu: tên miền của xã cũ (lặp lại để thêm).")
@click.option("--name", default="", help="Với bản sao lưu: tên ngắn của xã cũ.")
@click.option("--label", default="", help="Chuyên mục mang tên xã cũ "
              "(mặc định: “Tin xã … (cũ)” theo tên trang của nó).")
@click.option("--dry-run", is_flag=True, help="Chạy thử: nói những gì sẽ chuyển, không đổi gì.")
def merge_site_command(old: str, new: str, hosts, name: str, label: str, dry_run: bool):
    """Gộp trang OLD (một trang của tỉnh này, hoặc bản sao lưu .zip của một trang) vào NEW:
    tin bài, trang, văn bản, ảnh, tệp và tài khoản, với địa chỉ cũ trả lời 301."""
    app = current_app
    registry = registry_of(app)
    build = app.extensions["site_build"]
    try:
        target = registry.require(new)
        if old.lower().endswith(".zip"):
            report = merge_archive(registry, build, old, target, list(hosts), name, label,
                                   dry_run)
        else:
            report = merge_registered(registry, build, old, target, label, dry_run)
    except (RegistryError, backup.BackupError) as err:
        raise click.ClickException(str(err)) from err
    print_merge(report, target, dry_run)


def merge_registered(registry, build, old: str, target: Site, label: str, dry_run: bool):
    source = registry.require(old)
    if source.name == target.name:
        raise RegistryError("Không thể gộp một trang vào chính nó.")
    hosts = list(source.hosts + source.moved_hosts)
    report = merge.merge_site(build(source), build(target), source.name, hosts, label, dry_run)
    if not dry_run:
        registry.move_hosts(source.name, target.name)
        registry.set_enabled(source.name, False)
        sites.registry_changed(registry, current_app.instance_path)
    return report


def merge_archive(registry, build, path: str, target: Site, hosts: list[str], name: str,
                  label: str, dry_run: bool):
    if not hosts:
        raise RegistryError("Với bản sao lưu, cần --host cho từng tên miền cũ của xã.")
    name = check_name(name or os.path.splitext(os.path.basename(path))[0].lower()[:40])
    owners = registry.host_owners()
    taken = [h for h in hosts if normal_host(h) in owners]
    if taken and not dry_run and any(owners[normal_host(h)] != target.name for h in taken):
        raise RegistryError(f"Tên miền {', '.join(taken)} đang thuộc trang khác.")
    with tempfile.TemporaryDirectory(prefix=".merge-", dir=current_app.instance_path) as staging:
        source = merge.archive_site(build, path, name, staging)
        report = merge.merge_site(source, build(target), name, [normal_host(h) for h in hosts],
                                  label, dry_run)
        with source.app_context():
            db.engine.dispose()
    fresh = [h for h in hosts if normal_host(h) not in owners]
    if not dry_run and fresh:
        registry.add_moved_hosts(target.name, fresh)
        sites.registry_changed(registry, current_app.instance_path)
    return report


KINDS = {"User": "tài khoản", "Media": "ảnh và tệp", "Category": "chuyên mục",
         "Article": "tin bài", "Page": "trang", "Document": "văn bản",
         "Attachment": "tệp đính kèm", "Redirect": "địa chỉ cũ chuyển hướng"}


def print_merge(report, target: Site, dry_run: bool) -> None:
    verb = "Sẽ chuyển" if dry_run else "Đã chuyển"
    click.echo(f"{verb} vào trang “{target.name}”, chuyên mục “{report.label}”:")
    for kind, label in KINDS.items():
        skipped = report.skipped[kind]
        note = f" (bỏ qua {skipped} đã có)" if skipped else ""
        click.echo(f"  {report.counts[kind]} {label}{note}")
    for problem in report.problems:
        click.echo(f"  Không chuyển được: {problem}")
    if dry_run:
        click.echo("Chạy thử: chưa thay đổi gì. Bỏ --dry-run để gộp thật.")


PROVINCE_COMMANDS = (site_group, merge_site_command)

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
