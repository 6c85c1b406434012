"""The province's `flask` commands: ops.cli's commands run inside the chosen site's app (or
every site's in turn), and the province's own, `site` (add, list, disable, enable, remove,
host names, officers) and `merge-site`.

ops.cli stays the one registry of commands; this module extends it: a commune's install gets
`site` and `merge-site` too (`site add --adopt` makes it a province), given by `app.py`.
"""

from __future__ import annotations

import copy
import functools
import os
import tempfile
import time

import click
from flask import Flask, current_app

from models import db
from ops import backup, cli, schema
from sites import index as province_index
from sites import manage, merge, operators
from sites.registry import Registry, RegistryError, Site, check_name, normal_host

# Commands that, in a province with no BANTIN_SITE given, act on every site in turn.
EVERY_SITE = {"upgrade-db", "check", "erase-contacts"}
# Commands about the install itself, not a site's data: every site serves the same files.
WHOLE_INSTALL = {"collect-static", "serve-env"}



def init_app(app: Flask, registry: Registry, build: manage.Build) -> None:
    """Register ops.cli's commands so that each acts on BANTIN_SITE's site (or on every site),
    and the province's own beside them."""
    app.extensions["site_build"] = build
    app.extensions["registry"] = registry
    for command in cli.COMMANDS:
        if command.name not in WHOLE_INSTALL:
            command = on_sites(command, registry, build)
        app.cli.add_command(cli.in_vietnamese(command))
    for command in COMMANDS:
        app.cli.add_command(cli.in_vietnamese(command))
    cli.describe_library_commands(app)


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


def on_sites(command: click.Command, registry: Registry, build: manage.Build) -> click.Command:
    """A copy of `command` that runs inside the chosen site's app, or every site's in turn."""
    wrapped = copy.copy(command)
    callback = command.callback

    @functools.wraps(callback)
    def run(**options):
        named = options.get("site_name") or os.environ.get("BANTIN_SITE")
        site = chosen_site(registry, options.get("site_name"))
        everyone = command.name in EVERY_SITE or options.get("all_sites")
        if command.name == "upgrade-db":
            upgrade_registry(registry)
        if site is not None and not (everyone and not named):
            return run_on(build(site), command.name, callback, options)
        if not everyone:
            names = ", ".join(s.name for s in registry.sites())
            raise click.ClickException(
                f"Tỉnh này có nhiều trang ({names}). Chọn một trang bằng biến môi trường "
                "BANTIN_SITE, ví dụ: BANTIN_SITE=tra-leng flask --app app ..."
            )
        run_on_every_site(registry, build, command.name, callback, options)

    wrapped.callback = run
    return wrapped


def upgrade_registry(registry: Registry) -> None:
    """The registry's own tables first: the officers' accounts of an older release move into
    the accounts' tables (`make serve` runs this before any worker starts)."""
    moved = registry.create()
    if moved:
        click.echo(f"Đã chuyển {moved} tài khoản quản trị tỉnh sang bảng tài khoản chung "
                   "(giữ nguyên mật khẩu; hãy đăng nhập lại).")


def run_on(app: Flask, name: str, callback, options: dict):
    """Run the command inside the site's app: a site in a PostgreSQL schema backs up and
    restores its own way (ON_SCHEMA); some commands have the province's index follow."""
    with app.app_context():
        if app.config["DATABASE_SCHEMA"] and name in ON_SCHEMA:
            return ON_SCHEMA[name](**options)
        done = callback(**options)
        if name in AFTERWARDS:
            say_province_index(AFTERWARDS[name](app))
        return done


def run_on_every_site(registry: Registry, build: manage.Build, name: str, callback,
                      options) -> None:
    """Run a command on each site, saying which; go on after a failure and report it."""
    failed = []
    every = registry.sites()
    for site in every:
        click.echo(f"== {site.name} ({', '.join(site.hosts)})")
        started = time.perf_counter()
        try:
            run_on(build(site), name, callback, options)
        except click.ClickException as err:
            click.echo(f"LỖI: {err.format_message()}")
            failed.append(site.name)
        click.echo(f"   ({time.perf_counter() - started:.1f} giây)")
    click.echo(f"Xong {len(every) - len(failed)}/{len(every)} trang.")
    if failed:
        raise click.ClickException("Các trang có lỗi: " + ", ".join(failed))


def backup_schema(file: str | None = None, keep: int | None = None, all_sites: bool = False):
    """`backup` for a site in a PostgreSQL schema: pg_dump its schema, its media beside it."""
    cli.check_backup_target(file, all_sites)
    try:
        dump, media = manage.backup_postgres_site(current_app._get_current_object())
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Đã sao lưu vào {dump} (bảng) và {media} (ảnh, tệp).")


def restore_schema(file: str, yes: bool = False, site_name: str | None = None) -> None:
    """`restore` for a site in a PostgreSQL schema: pg_restore its dump, then its media."""
    cli.confirm_restore(yes, site_name)
    app = current_app._get_current_object()
    try:
        aside = manage.restore_postgres_site(app, file)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    with app.app_context():
        upgraded = schema.current_revision() != schema.head_revision()
        if upgraded:
            schema.upgrade()
    click.echo(f"Đã khôi phục trang “{app.config['SITE_NAME']}” từ {file}.")
    if aside:
        click.echo(f"Ảnh và tệp bị thay thế được giữ ở {aside}.")


def say_province_index(count: int | None) -> None:
    if count is not None:
        click.echo(f"Chỉ mục tìm kiếm chung của tỉnh: {count} mục của trang này.")


# A site in a PostgreSQL schema backs up with pg_dump, not into the commune's archive.
ON_SCHEMA = {"backup": backup_schema, "restore": restore_schema}
# After these, the site's share of the province's search index follows (its count is said).
AFTERWARDS = {
    "upgrade-db": province_index.refresh,  # built when the index has none of the site
    "reindex": functools.partial(province_index.refresh, whole=True),
}


# --- The sites this install serves ---------------------------------------------------------


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
        site = manage.add_site(registry, app.extensions["site_build"], name, list(hosts),
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
    manage.registry_changed(registry, current_app.instance_path)
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
        kept = manage.remove_site(registry_of(app), app.extensions["site_build"], name,
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
    manage.registry_changed(registry, current_app.instance_path)
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
        created = operators.set_password(registry, name, cli.prompt_password(password))
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
        manage.registry_changed(registry, current_app.instance_path)
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
        manage.registry_changed(registry, current_app.instance_path)
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


COMMANDS = (site_group, merge_site_command)
