"""The province's IT officers: what is the province's own about their accounts.

An officer is an account (`models.User`) of the registry's database, never of a commune's:
the entry app's `db` is bound there (`Registry.entry_database`), and the commune's sign-in code
(auth.py) signs officers in, ends their sessions and throttles guessing exactly as on a
commune's desk. A commune's admin is nobody at the province, and an officer nobody on a
commune's desk, because each looks only in its own database. What is left here is the
province's: the rule of an officer's name, and the `flask site operator` command's work, run
inside the entry app.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from models import LoginAttempt, User, db
from sites.registry import Registry, RegistryError

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def key(name: str) -> str:
    """The name as officers' accounts are named: trimmed, lower case, at most 64 characters."""
    return (name or "").replace("\x00", "").strip().lower()[:64]


def check_name(name: str) -> str:
    name = key(name)
    if not NAME.match(name):
        raise RegistryError(
            f"Tên tài khoản “{name}” không hợp lệ: chữ thường không dấu, số, dấu chấm, gạch "
            "ngang hoặc gạch dưới, tối đa 64 ký tự."
        )
    return name


def find(name: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == key(name)))


def set_password(registry: Registry, name: str, password: str) -> bool:
    """Create the account, or give it a new password (which ends its sign-ins and forgets its
    failed attempts); True if it was created. Runs inside the entry app."""
    name = check_name(name)
    if not password:
        raise RegistryError("Mật khẩu không được để trống.")
    registry.create()
    user = find(name)
    created = user is None
    if created:
        user = User(username=name, display_name=name, role="admin")
        db.session.add(user)
    user.set_password(password)
    user.active = True
    LoginAttempt.forget(name)
    db.session.commit()
    return created


def remove(registry: Registry, name: str) -> None:
    """Delete an account: its sign-ins go with it (its lines in the log keep its name)."""
    registry.create()
    user = find(name)
    if user is None:
        raise RegistryError(f"Không có tài khoản “{key(name)}”.")
    user.end_sign_ins()
    db.session.delete(user)
    db.session.commit()
