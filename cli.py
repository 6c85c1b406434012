"""`flask --app app ...` commands for the person who runs the site."""

import os

import click
from flask import Flask
from sqlalchemy import select

import media
from auth import clear_failures
from models import ROLES, User, db


def init_app(app: Flask) -> None:
    for command in (seed_demo_command, create_user_command, set_password_command):
        app.cli.add_command(command)
    app.cli.add_command(media_check_command)
    app.cli.add_command(reindex_command)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill an empty site with invented demo news (does nothing if content exists)."""
    import seed

    password = seed.seed_demo()
    if password is None:
        click.echo("Cơ sở dữ liệu đã có nội dung: không thêm dữ liệu mẫu.")
        return
    click.echo("Đã tạo dữ liệu mẫu: chuyên mục, trang tĩnh, tin bài và ảnh minh họa.")
    click.echo("Tài khoản quản trị: admin")
    click.echo(f"Mật khẩu (chỉ hiện một lần, hãy đổi ngay): {password}")


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
    clear_failures(username)  # the IT officer resets a password to unlock a throttled account
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho '{username}'.")


@click.command("media-check")
@click.option("--verify", is_flag=True, help="Also re-read every original and check its SHA-256.")
@click.option("--delete-orphans", is_flag=True, help="Delete files that no database row uses.")
def media_check_command(verify: bool, delete_orphans: bool) -> None:
    """Compare uploads on disk with the database; remake missing image sizes.

    Exits with status 1 when an original is missing or damaged (restore it from a backup).
    """
    report = media.check_store(verify=verify)
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
    import search

    counts = search.rebuild(db.session.connection())
    db.session.commit()
    click.echo(
        f"Đã lập lại chỉ mục tìm kiếm: {counts['article_fts']} tin bài, "
        f"{counts['document_fts']} văn bản."
    )
