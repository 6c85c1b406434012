"""Database models: the commune's articles, pages, documents, media, people and settings."""

from __future__ import annotations

import functools
import hashlib
import importlib
import secrets
import sqlite3
from datetime import UTC, date, datetime

from flask import current_app
from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    and_,
    delete,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from internals import share_compiled_sql
from vietnamese import first_sentences

# Stable constraint names, so that Alembic can alter SQLite tables in batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Table, "after_parent_attach")
def never_reuse_ids(table: Table, _metadata: MetaData) -> None:
    """Give every table AUTOINCREMENT on SQLite, so that a deleted row's id is never handed
    out again (PostgreSQL's sequences never reuse one either).

    Without it SQLite reuses the highest id once its row is deleted: the next upload became
    the deleted emblem, and a new article inherited a deleted one's audit history and links.
    Every table, not only the models': a migration's `create_table` and the copy batch mode
    makes of a SQLite table (reflection does not carry AUTOINCREMENT) get it too, so no later
    migration can take it away. Part of the schema's declaration, like the naming convention,
    so it is set as each table is declared rather than by init_app; only integer
    single-column keys are affected.
    """
    table.dialect_options["sqlite"]["autoincrement"] = True


# The app extension that makes an app's engines its own way (a callable of the engine options
# and of the default maker): province hosting shares one pool among its sites' PostgreSQL
# schemas (sites.databases).
ENGINE_MAKER = "bantin.engine_maker"


class Databases(SQLAlchemy):
    """Flask-SQLAlchemy, for processes that may hold many apps: SQLite engines share one
    dialect and compiled-SQL cache per set of options, and an app may make its engines its own
    way (ENGINE_MAKER)."""

    # An initialised in-memory engine per set of engine options: its dialect and compiled SQL.
    sqlite_prototypes: dict[tuple, Engine] = {}

    def _make_engine(self, bind_key, options, app):
        default = functools.partial(super()._make_engine, bind_key, options, app)
        maker = app.extensions.get(ENGINE_MAKER)
        engine = default() if maker is None else maker(options, default)
        if engine.dialect.name == "sqlite":
            share_compiled_sql(engine, options, self.sqlite_prototypes)
        return engine


db = Databases(model_class=Base)


# The largest id every id column holds (PostgreSQL's INTEGER is 32 bits): past it, nothing.
MAX_ID = 2**31 - 1


def parse_id(value) -> int:
    """Read an id that anyone typed or sent: ASCII digits within every id column's range,
    else ValueError, so that `request.args.get(name, type=parse_id)` gives None and a form
    field an error, and no number ever overflows the database (a 500)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_ID:
        raise ValueError(f"not an id: {text[:20]!r}")
    return int(text)


def id_or_none(value) -> int | None:
    """Return the id `value` names, or None when it names none."""
    try:
        return parse_id(value)
    except ValueError:
        return None


def upsert(model):
    """Return an INSERT of `model` in the database's own dialect, which alone spells
    ON CONFLICT. Only that dialect's module is imported: a SQLite worker that loaded
    PostgreSQL's too kept about 1 MB it never used (BENCHMARKS.md, "Lighter processes")."""
    name = db.session.get_bind().dialect.name
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert(model)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store naive UTC in the database and hand back aware UTC datetimes.

    SQLite has no time zones and PostgreSQL's would shift values by the server's
    zone; storing naive UTC behaves the same on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def render_migration_item(type_, obj, autogen_context):
    """Write UTCDateTime into migrations as the plain DateTime column it is stored in."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """Make every SQLite connection safe for a site that serves while editors save."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # WAL lets readers read while a writer writes; it is a no-op on :memory:.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


# The longest title, name or caption line anywhere (forms check it; columns hold it).
TITLE_MAX = 250


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# --- People -----------------------------------------------------------------

ROLES = ("admin", "editor", "author")
ROLE_LABELS = {"admin": "Quản trị", "editor": "Biên tập viên", "author": "Cộng tác viên"}


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10), default="author")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the desk's notices go (work to review, an article returned or published); optional.
    email: Mapped[str] = mapped_column(String(120), default="")
    # When the user last saw their notices on the dashboard: newer publications count as news.
    notices_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("role IN ('admin', 'editor', 'author')", name="role"),)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def set_password(self, password: str) -> None:
        """Hash and store a new password; every browser signed in with the old one is signed out."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sign_ins()

    def end_sign_ins(self, keep: SignIn | None = None) -> None:
        """Revoke every open sign-in of this account, except `keep` when given."""
        if self.id is None:
            return  # a new account has none yet
        statement = update(SignIn).where(SignIn.user_id == self.id, SignIn.revoked_at.is_(None))
        if keep is not None:
            statement = statement.where(SignIn.id != keep.id)
        db.session.execute(statement.values(revoked_at=utcnow()))

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def can_publish(self) -> bool:
        return self.role in ("admin", "editor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can_edit(self, article: Article) -> bool:
        """Editors and admins edit everything; authors only their own unpublished work."""
        if self.can_publish:
            return True
        return article.created_by == self.id and article.status != PUBLISHED

    def can_attach(self, owner: Article | Document) -> bool:
        """Articles follow `can_edit`; documents are edited by editors and admins."""
        if isinstance(owner, Article):
            return self.can_edit(owner)
        return self.can_publish


class LoginAttempt(db.Model):
    """A failed sign-in, kept for a while in the database so that every worker throttles
    password guessing per account and per address alike."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased as typed: unknown names are throttled exactly like real ones.
    username: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (
        Index("ix_login_attempt_username_created_at", "username", "created_at"),
        Index("ix_login_attempt_ip_created_at", "ip", "created_at"),
    )

    @staticmethod
    def key(username: str) -> str:
        """The name failures count against: as typed, trimmed, lower-cased."""
        return username.strip().lower()[:64]

    @classmethod
    def forget(cls, username: str, ip: str | None = None) -> None:
        """Forget an account's failed attempts from one address (its owner signed in there),
        or from everywhere (the account got a new password)."""
        statement = delete(cls).where(cls.username == cls.key(username))
        if ip is not None:
            statement = statement.where(cls.ip == ip)
        db.session.execute(statement)


class ArticleView(db.Model):
    """How many times readers opened an article on one day (Vietnam's date): counted on the
    server (web.visits), pages the cache answered included; no address, no cookie, no person."""

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

    @classmethod
    def total(cls, article_id: int):
        """Return the select of an article's views on every day so far."""
        return select(func.coalesce(func.sum(cls.count), 0)).where(cls.article_id == article_id)


class PostCount(db.Model):
    """POSTs a rate limit let through, per limit, key (an address, or "*" for everyone) and
    window of the limit's period: in the database, so every process and server counts alike
    (web.limits)."""

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Seconds since the epoch divided by the limit's period.
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(default=0)


class SignIn(db.Model):
    """One browser signed in to the desk. The session cookie carries only a random token whose
    digest is stored here; every worker checks this row, so that logging out, a new password
    or a locked account ends the session everywhere, and a copied cookie dies with it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the password was last typed in this session (sign-in or a confirmation).
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def open(cls, user: User, ip: str, user_agent: str) -> tuple[SignIn, str]:
        """Record a new sign-in and return it with the token its cookie will carry."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        sign_in = cls(
            user=user, token_hash=cls.digest(token), created_at=now, last_seen_at=now,
            confirmed_at=now, ip=ip[:64], user_agent=user_agent[:200],
        )  # fmt: skip
        db.session.add(sign_in)
        return sign_in, token

    @classmethod
    def find(cls, token: object) -> SignIn | None:
        """Return the open sign-in a cookie's token belongs to, if any."""
        if not isinstance(token, str) or not token:
            return None
        statement = select(cls).options(joinedload(cls.user))
        statement = statement.where(cls.token_hash == cls.digest(token))
        return db.session.scalar(statement.where(cls.revoked_at.is_(None)))

    @classmethod
    def prune(cls, before: datetime) -> None:
        """Forget sign-ins ended or unused since `before`."""
        db.session.execute(
            delete(cls).where(or_(cls.revoked_at < before, cls.last_seen_at < before))
        )


# --- Site structure -----------------------------------------------------------


class Category(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(
        back_populates="parent", order_by="Category.position"
    )
    aliases: Mapped[list[CategoryAlias]] = relationship(
        back_populates="category", cascade="all, delete-orphan"
    )

    @classmethod
    def menu(cls):
        """Return the select for top-level categories in menu order."""
        return select(cls).where(cls.parent_id.is_(None)).order_by(cls.position, cls.name)


class CategoryAlias(db.Model):
    """A slug a category used to have, so that old links keep working."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))

    category: Mapped[Category] = relationship(back_populates="aliases")


class Page(TimestampMixin, db.Model):
    """A static page: Giới thiệu, Cơ cấu tổ chức, Liên hệ, Contact."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    in_menu: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(8), default="vi")
    # "Cơ cấu tổ chức" and the English page list the officials below their text.
    show_officials: Mapped[bool] = mapped_column(Boolean, default=False)


class Official(db.Model):
    """A person of the commune's leadership, listed on the organisation pages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_en: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    @classmethod
    def in_order(cls):
        """Return the select listing officials as the page shows them."""
        return select(cls).order_by(cls.position, cls.id)


# --- Media --------------------------------------------------------------------


class Media(db.Model):
    """A stored upload: an image (with derived sizes) or a document file."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="image")
    stored_name: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(100))
    bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("kind IN ('image', 'file')", name="kind"),)

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class Attachment(db.Model):
    """A file offered for download with an article or a document."""

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="RESTRICT"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    media: Mapped[Media] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(article_id IS NULL) != (document_id IS NULL)", name="one_owner"
        ),
    )

    @property
    def label(self) -> str:
        return self.title or self.media.original_name


# Exactly one of a use's owners is set (CASE, since PostgreSQL adds no booleans).
ONE_OWNER = " + ".join(
    f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"
    for column in ("article_id", "page_id", "setting_key")
) + " = 1"


class MediaUse(db.Model):
    """An image shown by an article (lead image or body), a page, or the site's settings (the
    emblem, the banner, the default share picture), rewritten at each save (media.usage), so
    "may a reader fetch this image?" is one indexed query, never a scan of every body."""

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    page_id: Mapped[int | None] = mapped_column(
        ForeignKey("page.id", ondelete="CASCADE"), index=True
    )
    # The setting naming the image (a key of IMAGE_SETTINGS): every page shows it.
    setting_key: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (CheckConstraint(ONE_OWNER, name="one_owner"),)


# --- Articles -----------------------------------------------------------------

DRAFT, PENDING, PUBLISHED = "draft", "pending", "published"
STATUSES = (DRAFT, PENDING, PUBLISHED)
STATUS_LABELS = {DRAFT: "Bản nháp", PENDING: "Chờ duyệt", PUBLISHED: "Đã đăng"}


# What the visibility rule reads and the listings sort by, in index order.
VISIBLE_KEY = ("status", "publish_at", "id", "expire_at")
# A description without a summary: what search results show of it (about two lines).
DESCRIPTION_LENGTH = 200


class Article(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    slug: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"))
    author: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    image_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    image_caption: Mapped[str] = mapped_column(String(500), default="")
    image_alt: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    # The picture lists show: the lead image, else the body's first picture, unless the editor
    # chose none (hide_list_image). Kept at each save by media.usage, never chosen in a view.
    list_image_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    hide_list_image: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # "Trả lại": why an editor sent the article back, when and who (a name, kept as text like
    # the audit log's); the author reads it on the article and the dashboard until resubmitting.
    review_note: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by: Mapped[str] = mapped_column(String(120), default="")
    # Folded words for search, kept by search's ORM listeners (see search.index.fill_folded).
    search_folded: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[Category] = relationship()
    image: Mapped[Media | None] = relationship(foreign_keys=[image_id])
    list_image: Mapped[Media | None] = relationship(foreign_keys=[list_image_id])
    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])
    updater: Mapped[User | None] = relationship(foreign_keys=[updated_by])
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article",
        order_by="Revision.id.desc()",
        cascade="all, delete-orphan",
    )

    # The visibility rule reads status, publish_at and expire_at, and listings sort by
    # (publish_at, id): each listing's index holds them all, so sorting, counting and skipping
    # to a far page never leave the index (a covering scan, even at 100,000 articles).
    __table_args__ = (
        Index("ix_article_visible", *VISIBLE_KEY),
        Index("ix_article_category_visible", "category_id", *VISIBLE_KEY),
        Index("ix_article_featured_visible", "featured", *VISIBLE_KEY),
        # The page cache asks when the next article expires.
        Index("ix_article_status_expire_at", "status", "expire_at"),
        CheckConstraint("status IN ('draft', 'pending', 'published')", name="status"),
    )
    # SQLAlchemy bumps `version` on every UPDATE and refuses a stale one.
    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def visibility(cls, now: datetime | None = None):
        """Return the SQL condition for "a reader may see this article now"."""
        now = now or utcnow()
        return and_(
            cls.status == PUBLISHED,
            cls.publish_at <= now,
            or_(cls.expire_at.is_(None), cls.expire_at > now),
        )

    @classmethod
    def visible(cls, now: datetime | None = None):
        """Return the select every public view starts from, newest first."""
        return (
            select(cls)
            .where(cls.visibility(now))
            .order_by(cls.publish_at.desc(), cls.id.desc())
        )

    def is_visible(self, now: datetime | None = None) -> bool:
        """Tell whether this loaded article passes the same rule as `visibility`."""
        now = now or utcnow()
        return (
            self.status == PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PUBLISHED
            and self.publish_at is not None
            and self.publish_at > utcnow()
        )

    @property
    def is_expired(self) -> bool:
        return self.expire_at is not None and self.expire_at <= utcnow()

    @property
    def is_returned(self) -> bool:
        """Sent back to its author with a reason, and not resubmitted since."""
        return self.status == DRAFT and self.returned_at is not None

    @property
    def shown_at(self) -> datetime:
        """Return the date readers see: publication, or creation for unpublished work."""
        return self.publish_at or self.created_at

    @property
    def description(self) -> str:
        """What search engines and shared links show under the title: the summary, or for an
        article without one (an imported post) the body's first sentences."""
        return self.summary or first_sentences(self.body_text, DESCRIPTION_LENGTH)


class Revision(db.Model):
    """A snapshot of an article's editable fields, taken at each save."""

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()


# --- Documents ("Văn bản") ----------------------------------------------------


class Document(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str] = mapped_column(String(100), default="")
    issuer: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    signer: Mapped[str] = mapped_column(String(120), default="")
    field: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    search_folded: Mapped[str] = mapped_column(Text, default="")
    # "Góp ý dự thảo": readers may comment from the first day to the last (Vietnam's dates).
    comments_from: Mapped[date | None] = mapped_column(Date)
    comments_until: Mapped[date | None] = mapped_column(Date)
    # "Báo cáo tổng hợp ý kiến": the attachment staff chose as the summary of comments.
    comment_report_id: Mapped[int | None] = mapped_column(Integer)

    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_document_issued_on", "issued_on"),)

    @property
    def comment_report(self) -> Attachment | None:
        return next((a for a in self.attachments if a.id == self.comment_report_id), None)


# --- Site identity and accountability ----------------------------------------

# The identity a government site must show, with the label editors see and a default.
SETTINGS = {
    "agency": ("Cơ quan chủ quản (dòng trên tên trang, ví dụ: Ủy ban nhân dân xã Hòa Sơn)", ""),
    "site_name": ("Tên cơ quan (tên trang)", "Cổng thông tin điện tử xã"),
    "welcome": ("Dòng chào mừng", "Chào mừng bạn đến với Cổng thông tin điện tử của xã"),
    "address": ("Địa chỉ", ""),
    "phone": ("Điện thoại", ""),
    "fax": ("Fax", ""),
    "email": ("Thư điện tử", ""),
    "responsible": ("Người chịu trách nhiệm nội dung", ""),
    "licence": ("Giấy phép", ""),
    "operator": ("Đơn vị vận hành", ""),
    "portal_district": ("Cổng thông tin điện tử của tỉnh (địa chỉ web)", ""),
    "portal_province": ("Cổng dịch vụ công cấp tỉnh (địa chỉ web)", ""),
    "portal_national": ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    "rss_full_text": ("Nguồn tin RSS", "1"),
    "theme": ("Màu giao diện", "do"),
    "show_views": ("Số lượt xem dưới mỗi bài", "0"),
    "comments_moderated": ("Góp ý dự thảo", "1"),
    "national_motto": ("Quốc hiệu ở đầu trang", "0"),
    "logo": ("Biểu trưng (logo)", ""),
    "banner": ("Ảnh đầu trang (banner, không bắt buộc)", ""),
    "share_image": ("Ảnh chia sẻ mặc định (khi trang hay bài không có ảnh riêng)", ""),
}
# Settings chosen from a list: stored value -> what the desk shows.
SETTING_CHOICES = {
    "rss_full_text": {"1": "Đăng toàn văn bài", "0": "Chỉ đăng tóm tắt"},
    # The colours themselves live in static/css/site.css (body.theme-<value>).
    "theme": {"do": "Đỏ", "xanh-lam": "Xanh lam", "xanh-luc": "Xanh lục"},
    "show_views": {"0": "Không hiện", "1": "Hiện “Lượt xem” dưới mỗi bài"},
    "comments_moderated": {"1": "Duyệt trước khi đăng", "0": "Đăng ngay khi gửi"},
    "national_motto": {
        "0": "Không hiện",
        "1": "Hiện “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM – Độc lập – Tự do – Hạnh phúc”",
    },
}
# Settings that hold the id of an uploaded image (Media), empty when none; each is a public
# use of its image (media.usage), with the name the media library gives that use.
IMAGE_SETTINGS = ("logo", "banner", "share_image")
IMAGE_SETTING_NAMES = {
    "logo": "Biểu trưng",
    "banner": "Ảnh đầu trang",
    "share_image": "Ảnh chia sẻ mặc định",
}


class Setting(db.Model):
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")

    @classmethod
    def values(cls) -> dict[str, str]:
        """Return every known setting, stored values over defaults."""
        stored = dict(db.session.execute(select(cls.key, cls.value)).all())
        return {key: stored.get(key, default) for key, (_, default) in SETTINGS.items()}

    @classmethod
    def put(cls, key: str, value: str) -> None:
        """Store one setting (the caller commits)."""
        row = db.session.get(cls, key) or cls(key=key)
        row.value = value
        db.session.add(row)


# The main menu's order, kept apart from SETTINGS (it has its own desk page, not a field):
# entries "category:ID", "page:ID", "documents", "questions" and "schedule" separated by commas;
# "-ENTRY" marks one the desk took out, so that it does not come back as a newcomer.
MAIN_MENU = "main_menu"
DOCUMENTS_ENTRY = "documents"
QUESTIONS_ENTRY = "questions"
SCHEDULE_ENTRY = "schedule"
POLLS_ENTRY = "polls"


def stored_main_menu() -> list[str]:
    row = db.session.get(Setting, MAIN_MENU)
    return [entry for entry in (row.value if row else "").split(",") if entry]


def main_menu_removed() -> list[str]:
    """Return the entries the desk took out of the main menu."""
    return [entry[1:] for entry in stored_main_menu() if entry.startswith("-")]


def main_menu_entries() -> list[str]:
    """Return the main menu's entries in the desk's order; top-level categories it never
    placed follow in their own order, then the documents and the questions unless taken out."""
    stored = stored_main_menu()
    placed = [entry for entry in stored if not entry.startswith("-")]
    known = set(placed) | {entry[1:] for entry in stored if entry.startswith("-")}
    newcomers = [f"category:{item.id}" for item in db.session.scalars(Category.menu())]
    newcomers += [DOCUMENTS_ENTRY, QUESTIONS_ENTRY, SCHEDULE_ENTRY, POLLS_ENTRY]
    return placed + [entry for entry in newcomers if entry not in known]


def store_main_menu(entries: list[str], removed: list[str]) -> None:
    """Store the main menu's order and what was taken out (the caller commits)."""
    Setting.put(MAIN_MENU, ",".join([*entries, *(f"-{entry}" for entry in removed)]))


# What the audit log calls each kind of object it records: object_type -> attribute.
AUDIT_NAMES = {
    "article": "title",
    "category": "name",
    "page": "title",
    "user": "username",
    "document": "number",
    "official": "name",
    "redirect": "old_path",
}


def audit_name(obj) -> str:
    """Return what the audit log calls an object (a title, a name, a number), as it is now."""
    attribute = AUDIT_NAMES.get(type(obj).__name__.lower()) if obj is not None else None
    return str(getattr(obj, attribute, "") or "")[:TITLE_MAX] if attribute else ""


class AuditLog(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as text so the log still names people whose accounts are gone.
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    # The object's name when the entry was written (audit_name): the log tells what happened
    # to it then, whatever it is called now or if it is gone.
    object_name: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    @classmethod
    def record(cls, action: str, obj=None, detail: str = "", user: User | None = None,
               ip: str = "") -> AuditLog:
        """Add one line: who (a user, or nobody for a command), did what, to which object,
        keeping the name the object has now (the caller commits). The desk writes through
        auth.audit, which adds the signed-in user and the address; commands call it directly."""
        entry = cls(
            user_id=user.id if user else None, username=user.username if user else "",
            action=action, object_type=type(obj).__name__.lower() if obj is not None else "",
            object_id=getattr(obj, "id", None), object_name=audit_name(obj), detail=detail,
            ip=ip, created_at=utcnow(),
        )  # fmt: skip
        db.session.add(entry)
        return entry


# --- Old addresses and imported archives ------------------------------------------------


class Redirect(db.Model):
    """An old address that answers 301 to a page of this site: links to an imported archive,
    or any address the desk adds. Looked up only when nothing else answered (a 404)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # The host the old address was on, or None for every host this site serves; merged
    # communes key their old sites' addresses by their host names.
    host: Mapped[str | None] = mapped_column(String(255))
    # Path and query, normalised by web.redirects.normalise ("/2019/05/14/tin/", "/?p=12").
    old_path: Mapped[str] = mapped_column(String(2000), index=True)
    # A local path only ("/tin/slug-12"): never another site's address.
    target: Mapped[str] = mapped_column(String(2000))
    # Who made it: "wordpress", "feed", "desk", ...
    source: Mapped[str] = mapped_column(String(40), default="desk")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportedItem(db.Model):
    """What an import made of one item of its source, so that running it again adds nothing.

    `source` names the archive (a WordPress site's address, a feed's), `key` the item in it
    (a post id, a guid); `kind` and `object_id` say which row it became.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_imported_item_source_key", "source", "key", "kind", unique=True),
    )


# --- Citizens' part ("Hỏi đáp", ...) ----------------------------------------------------------

# A citizen's submission: waiting for staff, published by them, or set aside as spam.
WAITING, SPAM = "waiting", "spam"
SUBMISSION_STATUSES = (WAITING, PUBLISHED, SPAM)
SUBMISSION_LABELS = {WAITING: "Chờ xử lý", PUBLISHED: "Đã đăng", SPAM: "Thư rác"}


class Question(db.Model):
    """A reader's question ("Hỏi đáp") and the commune's answer, published together.

    The asker's name and contact details are for staff only: no public page, feed or search
    result reads them, and `contact_until` says when they are erased (participation.py).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), default="khac")
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    # Private: the asker. Emptied when erased (on request or after the retention time).
    name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # A keyed digest of the sender's address: caps per address, never the address itself.
    sender_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    contact_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    answer: Mapped[str] = mapped_column(Text, default="")
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as text like the audit log's, so that an answer still says who gave it.
    answerer_name: Mapped[str] = mapped_column(String(120), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Folded words of title, question and answer, for the site's search (participation.py).
    search_folded: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_question_status_published_at", "status", "published_at"),
        CheckConstraint("status IN ('waiting', 'published', 'spam')", name="status"),
    )

    @classmethod
    def visible(cls):
        """Return the select of published questions, newest first: all readers ever see."""
        return (
            select(cls)
            .where(cls.status == PUBLISHED)
            .order_by(cls.published_at.desc(), cls.id.desc())
        )

    @property
    def status_label(self) -> str:
        return SUBMISSION_LABELS[self.status]

    @property
    def has_contact(self) -> bool:
        return bool(self.name or self.phone or self.email)


class ScheduleWeek(db.Model):
    """A week of the leaders' schedule ("Lịch công tác tuần"), Monday first; readers see it
    once an editor publishes it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date, unique=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    entries: Mapped[list[ScheduleEntry]] = relationship(
        back_populates="week", cascade="all, delete-orphan",
        order_by="(ScheduleEntry.day, ScheduleEntry.position, ScheduleEntry.id)",
    )  # fmt: skip


class ScheduleEntry(db.Model):
    """One line of the week's table: day, time, what, where, who chairs, who attends."""

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("schedule_week.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    time: Mapped[str] = mapped_column(String(40), default="")
    what: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    chair: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    week: Mapped[ScheduleWeek] = relationship(back_populates="entries")


class Poll(db.Model):
    """"Thăm dò ý kiến": a question with choices, open between two moments."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(TITLE_MAX))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    choices: Mapped[list[PollChoice]] = relationship(
        back_populates="poll", cascade="all, delete-orphan", order_by="PollChoice.position"
    )

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    @property
    def total(self) -> int:
        return sum(choice.votes for choice in self.choices)


class PollChoice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(TITLE_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    votes: Mapped[int] = mapped_column(Integer, default=0)

    poll: Mapped[Poll] = relationship(back_populates="choices")


class PollBallot(db.Model):
    """That a vote came from one (keyed digest of an) address: the per-address limit's count,
    nothing about what was chosen."""

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    sender_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_poll_ballot_poll_id_sender_key", "poll_id", "sender_key"),)


class DocumentComment(db.Model):
    """A reader's comment on a draft document ("Góp ý dự thảo"). Name and e-mail are for staff
    only and erased like a question's (participation.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    sender_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    contact_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'published', 'spam')", name="status"),
    )

    @property
    def status_label(self) -> str:
        return SUBMISSION_LABELS[self.status]
