"""Account commands the IT officer runs, and what every command's --help says."""

import re

import click
from click.testing import CliRunner
from flask.cli import FlaskGroup
from sqlalchemy import select

from models import User, db


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def test_create_user_with_a_role(runner):
    result = runner.invoke(
        args=["create-user", "mai", "--role", "editor", "--password", "mật-khẩu-dài"]
    )
    assert result.exit_code == 0, result.output
    assert user("mai").role == "editor" and user("mai").check_password("mật-khẩu-dài")


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(args=["create-user", "ha"], input="bí-mật-1\nbí-mật-1\n")
    assert result.exit_code == 0, result.output
    assert user("ha").role == "author" and user("ha").check_password("bí-mật-1")


def test_create_user_with_the_address_for_notices(runner):
    result = runner.invoke(args=["create-user", "lan", "--role", "editor", "--password", "x",
                                 "--email", "lan@hoason.example"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert user("lan").email == "lan@hoason.example"
    bad = runner.invoke(args=["create-user", "son", "--password", "x", "--email", "son@"])
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output and user("son") is None


def test_create_user_refuses_a_taken_name_and_a_bad_role(runner, make_user):
    make_user(username="mai")
    taken = runner.invoke(args=["create-user", "mai", "--password", "x"])
    assert taken.exit_code != 0 and "đã tồn tại" in taken.output
    bad = runner.invoke(args=["create-user", "son", "--role", "boss", "--password", "x"])
    assert bad.exit_code != 0 and user("son") is None


def test_a_refusal_is_said_in_vietnamese_from_its_first_word(runner, make_user):
    make_user(username="mai")
    taken = runner.invoke(args=["create-user", "mai", "--password", "x"])
    assert taken.exit_code == 1
    assert "Lỗi: Tên đăng nhập 'mai' đã tồn tại." in taken.output and "Error" not in taken.output


def test_set_password_and_reactivate(runner, make_user):
    make_user(username="mai", active=False)
    result = runner.invoke(args=["set-password", "mai", "--password", "mới-123"])
    assert result.exit_code == 0
    assert user("mai").check_password("mới-123") and user("mai").active


def test_set_password_for_an_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["set-password", "khong-co", "--password", "x"])
    assert result.exit_code != 0 and "Không có tài khoản" in result.output


# Any of the letters only Vietnamese uses; and English words no Vietnamese sentence holds.
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)  # fmt: skip
ENGLISH = re.compile(r"\b(the|and|of|to|with|when|or|for|from|an|its|only|every)\b")


def help_texts(command: click.Command, path: str = ""):
    """Yield (where, text) for a command's help and its options' help, into groups too."""
    path = f"{path} {command.name}".strip()
    yield path, command.help or ""
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            yield f"{path} {param.opts[0]}", param.help or ""
    if isinstance(command, click.Group):
        for child in command.commands.values():
            yield from help_texts(child, path)


def test_every_command_and_option_explains_itself_in_vietnamese(app):
    bantin = [c for name, c in app.cli.commands.items() if name != "db"]  # db: developers'
    texts = [pair for command in bantin for pair in help_texts(command)]
    assert len(texts) > 60
    for where, text in texts:
        assert VIETNAMESE.search(text), (where, text)
        assert not ENGLISH.search(text), (where, text)


def test_flask_help_lists_every_command_in_vietnamese(app):
    listing = CliRunner().invoke(FlaskGroup(create_app=lambda: app), ["--help"]).output
    commands = listing.split("Commands:")[1].strip().splitlines()
    names = {line.split()[0] for line in commands if line.startswith("  ") and line.split()}
    assert {"run", "shell", "routes", "db", "upgrade-db", "seed-demo", "site"} <= names
    for line in commands:
        if line.startswith("  ") and len(line.split()) > 1:
            assert VIETNAMESE.search(line), line
