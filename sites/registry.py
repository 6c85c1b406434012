"""The list of commune sites a province serves, and the host names each answers.

It lives in its own small database (`SITES_DATABASE_URI`: a SQLite file in the instance folder
by default, the province's PostgreSQL database when there is one), never inside a site's data,
so that no site's tables, backups or restores can touch another's entry. The tables are created
by `create_all` when the first site is added: small tables whose shape changes rarely enough
that an `ALTER` in a later release is cheaper than a second migration chain. Beside the sites
and their hosts it keeps the province's own accounts: the IT officers who may open the
province's admin page, in the same tables (and signed in by the same code) as a commune's
accounts, which the entry app's `db` reads here (`entry_database`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url

from models import AuditLog, LoginAttempt, PostCount, SignIn, User

metadata = MetaData()

site_table = Table(
    "province_site",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("title", String(250), nullable=False, default=""),
    Column("enabled", Boolean, nullable=False, default=True),
    # The public address; empty means https:// and the first host name.
    Column("url", String(300), nullable=False, default=""),
    # Set only for a site adopted from a single-commune install (its old database and media).
    Column("database_uri", String(500)),
    Column("media_root", String(500)),
    Column("created_at", DateTime, nullable=False),
)

host_table = Table(
    "province_host",
    metadata,
    Column("host", String(253), primary_key=True),
    Column("site_name", ForeignKey("province_site.name", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    # A merged commune's old host: every request on it is answered by a 301 to the new site.
    Column("moved", Boolean, nullable=False, default=False),
)

# The province's IT officers are accounts of the registry's database, in the commune's own tables
# (models.User, SignIn, LoginAttempt, AuditLog), signed in by the commune's code (auth.py); the
# rate limits' counts (PostCount) live there too. On PostgreSQL these tables sit in a schema of
# their own, so that a commune adopted into the registry's database keeps its accounts apart.
ACCOUNT_TABLES = [model.__table__ for model in (User, SignIn, LoginAttempt, AuditLog, PostCount)]
ACCOUNTS_SCHEMA = "province"
# The officers' tables of releases before that: their accounts move into `user` (keeping their
# password hashes); their sign-ins and failed attempts are dropped (officers sign in again).
OLD_OPERATOR_TABLES = ("province_sign_in", "province_login_failure", "province_operator")

# What the province's IT officers did in the browser (the `flask site` commands are logged by
# the shell that ran them): who, what, to which site, when; kept like a commune's audit log.
audit_table = Table(
    "province_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operator", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("site", String(40), nullable=False, default=""),
    Column("detail", String(500), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False, index=True),
)

# Names become folder names and PostgreSQL schema names: plain, short, lower case.
NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST = re.compile(rf"^(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*$")


class RegistryError(ValueError):
    """A request the registry refuses, with a message for the operator in Vietnamese."""


@dataclass(frozen=True)
class Site:
    """One commune's site as the registry describes it."""

    name: str
    title: str = ""
    enabled: bool = True
    url: str = ""
    hosts: tuple[str, ...] = ()
    # Host names of communes merged into this one: they answer only with redirects.
    moved_hosts: tuple[str, ...] = ()
    database_uri: str | None = None
    media_root: str | None = None
    created_at: datetime | None = field(default=None, compare=False)

    @property
    def public_url(self) -> str:
        return self.url or (f"https://{self.hosts[0]}" if self.hosts else "")


def check_name(name: str) -> str:
    """Return a valid site name, or raise RegistryError saying what a name may be."""
    if not NAME.match(name or ""):
        raise RegistryError(
            f"Tên trang “{name}” không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch "
            "ngang, tối đa 40 ký tự (ví dụ: tra-leng)."
        )
    return name


def normal_host(host: str) -> str:
    """Return a host name as requests carry it: lower case, no port, no trailing dot."""
    host = (host or "").strip().lower().rstrip(".")
    if host.startswith("["):
        return host  # an IPv6 literal: never a commune's name
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def check_host(host: str) -> str:
    """Return a valid host name, or raise RegistryError."""
    host = normal_host(host)
    if not HOST.match(host):
        raise RegistryError(f"Tên miền “{host}” không hợp lệ (ví dụ: traleng.danang.gov.vn).")
    return host


def sqlite_file(uri: str) -> str | None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite":
        return None
    return url.database or None


class Registry:
    """The sites of one province, read and changed through one small engine."""

    def __init__(self, uri: str):
        self.uri = uri
        self.engine: Engine = create_engine(uri, pool_pre_ping=True)
        self.created = False

    @property
    def on_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def exists(self) -> bool:
        """Tell whether the registry's tables exist (a province install); looking at a SQLite
        registry that was never made does not make its file."""
        path = sqlite_file(self.uri)
        if path is not None and not os.path.exists(path):
            return False
        return inspect(self.engine).has_table(site_table.name)

    def entry_database(self) -> dict:
        """The entry app's database settings: the registry's, and on PostgreSQL the schema of
        the officers' accounts (the commune's tables, apart from any commune's)."""
        schema = ACCOUNTS_SCHEMA if self.on_postgresql else None
        return {"SQLALCHEMY_DATABASE_URI": self.uri, "DATABASE_SCHEMA": schema}

    def create(self) -> int:
        """Make whatever tables are missing, the officers' accounts among them, and bring the
        officers of an older release into them, in one transaction; return how many came."""
        metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            old = old_operators(connection)
            for name in OLD_OPERATOR_TABLES if old is not None else ():
                connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
            accounts = self.accounts(connection)
            User.metadata.create_all(accounts, tables=ACCOUNT_TABLES)
            moved = adopt_operators(accounts, old)
        self.created = True
        return moved

    def ensure_created(self) -> None:
        """Make the tables once per process (a registry from before the newest ones)."""
        if not self.created:
            self.create()

    def accounts(self, connection: Connection) -> Connection:
        """The connection, pointed at the officers' tables (their schema on PostgreSQL)."""
        if not self.on_postgresql:
            return connection
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{ACCOUNTS_SCHEMA}"'))
        return connection.execution_options(schema_translate_map={None: ACCOUNTS_SCHEMA})

    def sites(self) -> list[Site]:
        """Every site, by name, with its host names in order."""
        if not self.exists():
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(select(site_table).order_by(site_table.c.name)).all()
            hosts = connection.execute(
                select(host_table.c.site_name, host_table.c.host, host_table.c.moved).order_by(
                    host_table.c.site_name, host_table.c.position, host_table.c.host
                )
            ).all()
        by_site: dict[tuple[str, bool], list[str]] = {}
        for site_name, host, moved in hosts:
            by_site.setdefault((site_name, bool(moved)), []).append(host)
        return [
            site_from_row(row, by_site.get((row.name, False), []),
                          by_site.get((row.name, True), []))
            for row in rows
        ]

    def get(self, name: str) -> Site | None:
        return next((site for site in self.sites() if site.name == name), None)

    def require(self, name: str) -> Site:
        site = self.get(name)
        if site is None:
            known = ", ".join(s.name for s in self.sites()) or "chưa có trang nào"
            raise RegistryError(f"Không có trang tên “{name}” (các trang: {known}).")
        return site

    def add(self, name: str, hosts: list[str], title: str = "", url: str = "",
            database_uri: str | None = None, media_root: str | None = None) -> Site:
        """Register a new site with its host names; refuse a taken name or host."""
        name = check_name(name)
        hosts = unique([check_host(h) for h in hosts])
        if not hosts:
            raise RegistryError("Cần ít nhất một tên miền (--host).")
        self.create()
        if self.get(name) is not None:
            raise RegistryError(f"Đã có trang tên “{name}”.")
        self.refuse_taken(hosts)
        with self.engine.begin() as connection:
            connection.execute(insert(site_table).values(
                name=name, title=title, enabled=True, url=url.rstrip("/"),
                database_uri=database_uri, media_root=media_root,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            ))
            insert_hosts(connection, name, hosts, start=0)
        return self.require(name)

    def refuse_taken(self, hosts: list[str]) -> None:
        owners = self.host_owners()
        for host in hosts:
            if host in owners:
                raise RegistryError(f"Tên miền “{host}” đã thuộc trang “{owners[host]}”.")

    def host_owners(self) -> dict[str, str]:
        return {
            host: site.name for site in self.sites() for host in site.hosts + site.moved_hosts
        }

    def add_moved_hosts(self, name: str, hosts: list[str]) -> Site:
        """Let a site answer, with redirects only, the host names of a commune merged into it
        that was never one of this province's sites (its backup was merged)."""
        site = self.require(name)
        hosts = unique([check_host(h) for h in hosts])
        self.refuse_taken(hosts)
        start = len(site.hosts) + len(site.moved_hosts)
        with self.engine.begin() as connection:
            connection.execute(insert(host_table), [
                {"host": host, "site_name": name, "position": start + i, "moved": True}
                for i, host in enumerate(hosts)
            ])
        return self.require(name)

    def move_hosts(self, old: str, new: str) -> Site:
        """Give a merged commune's host names to the site it was merged into, as moved hosts
        (they answer with redirects to the new site from now on)."""
        self.require(old)
        target = self.require(new)
        start = len(target.hosts) + len(target.moved_hosts)
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(host_table.c.host).where(host_table.c.site_name == old)
                .order_by(host_table.c.position)
            ).scalars().all()
            for offset, host in enumerate(rows):
                connection.execute(update(host_table).where(host_table.c.host == host).values(
                    site_name=new, moved=True, position=start + offset))
        return self.require(new)

    def set_enabled(self, name: str, enabled: bool) -> Site:
        self.require(name)
        with self.engine.begin() as connection:
            connection.execute(
                update(site_table).where(site_table.c.name == name).values(enabled=enabled)
            )
        return self.require(name)

    def add_host(self, name: str, host: str) -> Site:
        site = self.require(name)
        host = check_host(host)
        self.refuse_taken([host])
        with self.engine.begin() as connection:
            insert_hosts(connection, name, [host], start=len(site.hosts))
        return self.require(name)

    def rename_host(self, old: str, new: str) -> Site:
        """Replace one host name by another, keeping its place (the first names the site)."""
        old, new = normal_host(old), check_host(new)
        owner = self.host_owners().get(old)
        if owner is None:
            raise RegistryError(f"Không trang nào dùng tên miền “{old}”.")
        if new != old:
            self.refuse_taken([new])
        with self.engine.begin() as connection:
            connection.execute(update(host_table).where(host_table.c.host == old).values(host=new))
        return self.require(owner)

    def remove_host(self, name: str, host: str) -> Site:
        site = self.require(name)
        host = normal_host(host)
        if host not in site.hosts:
            raise RegistryError(f"Trang “{name}” không dùng tên miền “{host}”.")
        if len(site.hosts) == 1:
            raise RegistryError("Không bỏ được tên miền cuối cùng của một trang.")
        with self.engine.begin() as connection:
            connection.execute(delete(host_table).where(host_table.c.host == host))
        return self.require(name)

    def remove(self, name: str) -> None:
        self.require(name)
        with self.engine.begin() as connection:
            connection.execute(delete(host_table).where(host_table.c.site_name == name))
            connection.execute(delete(site_table).where(site_table.c.name == name))

    def record(self, operator: str, action: str, site: str = "", detail: str = "") -> None:
        """Write one line of the province's audit log."""
        self.ensure_created()  # a registry from before the log gets its table
        with self.engine.begin() as connection:
            connection.execute(insert(audit_table).values(
                operator=operator, action=action, site=site, detail=detail[:500],
                created_at=datetime.now(UTC).replace(tzinfo=None),
            ))

    def recent_actions(self, limit: int = 30) -> list:
        """The newest lines of the province's audit log."""
        self.ensure_created()
        with self.engine.connect() as connection:
            statement = select(audit_table).order_by(audit_table.c.id.desc()).limit(limit)
            return list(connection.execute(statement))

    def dispose(self) -> None:
        self.engine.dispose()


def insert_hosts(connection, name: str, hosts: list[str], start: int) -> None:
    connection.execute(insert(host_table), [
        {"host": host, "site_name": name, "position": start + i, "moved": False}
        for i, host in enumerate(hosts)
    ])


def site_from_row(row, hosts: list[str], moved: list[str]) -> Site:
    return Site(
        name=row.name, title=row.title, enabled=row.enabled, url=row.url, hosts=tuple(hosts),
        moved_hosts=tuple(moved),
        database_uri=row.database_uri, media_root=row.media_root,
        created_at=row.created_at and row.created_at.replace(tzinfo=UTC),
    )


def old_operators(connection: Connection) -> list | None:
    """The officers an older release kept in `province_operator`, or None when it is gone."""
    if not inspect(connection).has_table("province_operator"):
        return None
    statement = text("SELECT name, password_hash, created_at FROM province_operator")
    typed = statement.columns(name=String, password_hash=String, created_at=DateTime)
    return list(connection.execute(typed))


def adopt_operators(accounts: Connection, old: list | None) -> int:
    """Give each officer of an older release an account with the password hash they had."""
    if not old:
        return 0
    taken = set(accounts.scalars(select(User.username)))
    rows = [{"username": row.name, "display_name": row.name, "password_hash": row.password_hash,
             "role": "admin", "active": True, "email": "",
             "created_at": row.created_at.replace(tzinfo=UTC),
             "updated_at": row.created_at.replace(tzinfo=UTC)}
            for row in old if row.name not in taken]  # fmt: skip
    if rows:
        accounts.execute(insert(User.__table__), rows)
    return len(rows)


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def open_registry(uri: str) -> Registry | None:
    """The province's registry, or None for a single commune's install (nothing to open).

    A SQLite registry that was never created is not created by looking: a single commune's
    install must not grow a file it does not use.
    """
    registry = Registry(uri)
    if registry.exists() and registry.sites():
        return registry
    registry.dispose()
    return None
