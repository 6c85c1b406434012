"""Account commands the IT officer runs."""

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


def test_create_user_refuses_a_taken_name_and_a_bad_role(runner, make_user):
    make_user(username="mai")
    taken = runner.invoke(args=["create-user", "mai", "--password", "x"])
    assert taken.exit_code != 0 and "đã tồn tại" in taken.output
    bad = runner.invoke(args=["create-user", "son", "--role", "boss", "--password", "x"])
    assert bad.exit_code != 0 and user("son") is None


def test_set_password_and_reactivate(runner, make_user):
    make_user(username="mai", active=False)
    result = runner.invoke(args=["set-password", "mai", "--password", "mới-123"])
    assert result.exit_code == 0
    assert user("mai").check_password("mới-123") and user("mai").active


def test_set_password_for_an_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["set-password", "khong-co", "--password", "x"])
    assert result.exit_code != 0 and "Không có tài khoản" in result.output
