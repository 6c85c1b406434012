"""The province's own accounts: the IT officers who may open the province's admin page.

They live in the registry's database (`sites.registry`), never in a commune's: a commune's
admin is nobody at the province, and an officer is nobody on a commune's desk. A sign-in is a
row whose token's digest the browser's cookie carries, checked on every request, so logging
out or a new password ends it in every process. Failed attempts are rows too, counted per
address and per (name, address) pair, as the desk's sign-in does (auth.py): guessing slows
down, the owner is never locked out from an address of their own.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, insert, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

import models
from sites.registry import (
    Registry,
    RegistryError,
    operator_failure_table,
    operator_sign_in_table,
    operator_table,
)

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# A sign-in's last activity is written at most this often: not one write per request.
TOUCH_EVERY = timedelta(minutes=1)
# Sign-ins ended or unused this long are deleted when someone signs in.
KEEP_SIGN_INS = timedelta(days=90)


def utcnow() -> datetime:
    """Now in UTC, naive, as the registry's columns keep it (through models: tests move it)."""
    return models.utcnow().replace(tzinfo=None)


def key(name: str) -> str:
    """The name as accounts are looked up: trimmed, lower case, at most 64 characters (and
    never a NUL, which PostgreSQL refuses in a query)."""
    return (name or "").replace("\x00", "").strip().lower()[:64]


def check_name(name: str) -> str:
    name = key(name)
    if not NAME.match(name):
        raise RegistryError(
            f"Tên tài khoản “{name}” không hợp lệ: chữ thường không dấu, số, dấu chấm, gạch "
            "ngang hoặc gạch dưới, tối đa 64 ký tự."
        )
    return name


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_password(registry: Registry, name: str, password: str, method: str) -> bool:
    """Create the account, or give it a new password and end its sign-ins; True if created."""
    name = check_name(name)
    if not password:
        raise RegistryError("Mật khẩu không được để trống.")
    registry.create()
    hashed = generate_password_hash(password, method=method)
    with registry.engine.begin() as connection:
        found = connection.execute(
            select(operator_table.c.name).where(operator_table.c.name == name)
        ).first()
        if found is None:
            connection.execute(insert(operator_table).values(
                name=name, password_hash=hashed, created_at=utcnow()
            ))
        else:
            connection.execute(update(operator_table).where(operator_table.c.name == name)
                               .values(password_hash=hashed))
            revoke_all(connection, name)
        connection.execute(delete(operator_failure_table).where(
            operator_failure_table.c.username == name
        ))
    return found is None


def remove(registry: Registry, name: str) -> None:
    """Delete an account and its sign-ins."""
    name = key(name)
    with registry.engine.begin() as connection:
        connection.execute(
            delete(operator_sign_in_table).where(operator_sign_in_table.c.operator == name)
        )
        gone = connection.execute(delete(operator_table).where(operator_table.c.name == name))
    if not gone.rowcount:
        raise RegistryError(f"Không có tài khoản “{name}”.")


def names(registry: Registry) -> list[str]:
    with registry.engine.connect() as connection:
        return list(connection.scalars(select(operator_table.c.name).order_by("name")))


def revoke_all(connection, name: str) -> None:
    connection.execute(
        update(operator_sign_in_table)
        .where(operator_sign_in_table.c.operator == name,
               operator_sign_in_table.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def password_matches(registry: Registry, name: str, password: str, dummy_hash: str) -> bool:
    """Check a password; an unknown name costs the same hash check as a known one."""
    with registry.engine.connect() as connection:
        stored = connection.scalar(
            select(operator_table.c.password_hash).where(operator_table.c.name == key(name))
        )
    return check_password_hash(stored or dummy_hash, password) and stored is not None


# --- Throttled guessing ------------------------------------------------------------------------


@dataclass
class Failures:
    by_address: int
    by_pair: int


def failures(registry: Registry, name: str, ip: str, since: datetime) -> Failures:
    """Count the window's failed sign-ins from this address, and for this name from it."""
    table = operator_failure_table
    recent = table.c.created_at > since
    with registry.engine.connect() as connection:
        row = connection.execute(select(
            func.count().filter(table.c.ip == ip),
            func.count().filter(and_(table.c.ip == ip, table.c.username == key(name))),
        ).where(recent)).one()
    return Failures(row[0], row[1])


def record_failure(registry: Registry, name: str, ip: str, since: datetime) -> None:
    """Count one failed attempt; forget those too old to count."""
    table = operator_failure_table
    with registry.engine.begin() as connection:
        connection.execute(delete(table).where(table.c.created_at <= since))
        connection.execute(insert(table).values(username=key(name), ip=ip[:64],
                                                created_at=utcnow()))


# --- Sign-ins ----------------------------------------------------------------------------------


def open_sign_in(registry: Registry, name: str, ip: str) -> str:
    """Record a new sign-in (forgetting this pair's failures) and return its cookie's token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    table = operator_sign_in_table
    with registry.engine.begin() as connection:
        connection.execute(delete(table).where(or_(
            table.c.revoked_at < now - KEEP_SIGN_INS, table.c.last_seen_at < now - KEEP_SIGN_INS
        )))
        connection.execute(insert(table).values(
            operator=key(name), token_hash=digest(token), ip=ip[:64], created_at=now,
            last_seen_at=now,
        ))
        connection.execute(delete(operator_failure_table).where(
            operator_failure_table.c.username == key(name), operator_failure_table.c.ip == ip
        ))
    return token


def signed_in(registry: Registry, token: object, idle: timedelta) -> str | None:
    """Return the operator of a live sign-in (not revoked, not idle too long), noting the
    activity; None for anything else, whatever the cookie holds."""
    if not isinstance(token, str) or not token:
        return None
    table = operator_sign_in_table
    now = utcnow()
    with registry.engine.begin() as connection:
        row = connection.execute(select(table.c.id, table.c.operator, table.c.last_seen_at).where(
            table.c.token_hash == digest(token), table.c.revoked_at.is_(None)
        )).first()
        if row is None:
            return None
        if now - row.last_seen_at > idle:
            connection.execute(update(table).where(table.c.id == row.id).values(revoked_at=now))
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            connection.execute(update(table).where(table.c.id == row.id).values(last_seen_at=now))
    return row.operator


def revoke(registry: Registry, token: object) -> None:
    """End the sign-in this token opened, everywhere."""
    if not isinstance(token, str) or not token:
        return
    table = operator_sign_in_table
    with registry.engine.begin() as connection:
        connection.execute(update(table).where(
            table.c.token_hash == digest(token), table.c.revoked_at.is_(None)
        ).values(revoked_at=utcnow()))
