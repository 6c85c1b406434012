"""The publishing rules: the buttons an article form offers, the status each one sets, the
desk's list filters and counters, and how an article's state is described to staff.

Views and the dashboard ask this module; none of them compares status strings itself. Who may
do what is decided by `User.can_publish` / `User.can_edit` in models.py.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select

import models
from models import DRAFT, PENDING, PUBLISHED, STATUS_LABELS, Article, AuditLog, User, db
from vietnamese import date_time

# action -> (button label, status it sets; None keeps the status)
ACTIONS = {
    "draft": ("Lưu nháp", DRAFT),
    "submit": ("Gửi duyệt", PENDING),
    "publish": ("Đăng", PUBLISHED),
    "approve": ("Duyệt và đăng", PUBLISHED),
    "schedule": ("Hẹn giờ", PUBLISHED),
    "update": ("Cập nhật", None),
}
PUBLISHING = {"publish", "approve", "schedule"}
# What the audit log calls each save (every save is recorded, not only publishing).
AUDITED = {
    "draft": "edit",
    "update": "edit",
    "submit": "submit",
    "publish": "publish",
    "approve": "approve",
    "schedule": "publish",
}
# The desk's list filters, with the labels of their tabs.
LIST_STATUSES = {
    "draft": "Bản nháp",
    "returned": "Bị trả lại",
    "pending": "Chờ duyệt",
    "live": "Đang hiển thị",
    "scheduled": "Hẹn giờ",
    "expired": "Hết hạn",
}
# What the dashboard and the list count for attention.
COUNTED = ("pending", "scheduled", "expired")
REASON_MAX = 1000
# A writer hears of their articles others published for this long, or until they look.
NEWS_DAYS = 14
NEWS_MAX = 20


class Action(NamedTuple):
    """One save button: what it sends, what it says, whether it is the page's main action."""

    name: str
    label: str
    primary: bool


def action_label(action: str) -> str:
    return ACTIONS[action][0]


def default_action(article: Article | None) -> str:
    """The action of a form sent without a known button (Enter in a field)."""
    return "update" if article is not None else "draft"


def action_names(user: User | None, article: Article | None) -> tuple[list[str], str]:
    """Return the buttons for this user and article, the safest first, and the primary one."""
    publisher = user is None or user.can_publish
    if article is not None and article.status == PUBLISHED:
        return (["update", "publish", "schedule"] if article.is_scheduled else ["update"]), "update"
    if not publisher:
        return ["draft", "submit"], "submit"
    if article is not None and article.status == PENDING:
        return ["update", "approve", "schedule"], "approve"
    return ["draft", "publish", "schedule"], "publish"


def available_actions(user: User | None, article: Article | None) -> list[Action]:
    """The save buttons this user sees for this article, the safest first (Enter presses it):
    "Đăng" is the main one for those who may publish, "Gửi duyệt" for authors."""
    names, primary = action_names(user, article)
    return [Action(name, action_label(name), name == primary) for name in names]


def may_review(user: User | None, article: Article | None) -> bool:
    """Tell whether this user may approve or return this article ("Duyệt" / "Trả lại")."""
    return (
        user is not None
        and user.can_publish
        and article is not None
        and article.status == PENDING
    )


def return_to_author(article: Article, reason: str, reviewer: User) -> None:
    """Send a pending article back as a draft, with the reason its author will read."""
    article.status = DRAFT
    article.review_note = reason[:REASON_MAX]
    article.returned_at = models.utcnow()
    article.returned_by = reviewer.name[:120]


def clear_return(article: Article) -> None:
    """Forget a return once the article goes on (resubmitted or published)."""
    article.review_note = ""
    article.returned_at = None
    article.returned_by = ""


def apply_action(article: Article, action: str, now: datetime | None = None) -> None:
    """Set the status the button asks for; "Đăng" with no time (or a future one) means now."""
    now = now or models.utcnow()
    status = ACTIONS[action][1]
    if status:
        article.status = status
    if status in (PENDING, PUBLISHED):
        clear_return(article)
    if action == "publish" and (article.publish_at is None or article.publish_at > now):
        article.publish_at = now
    if article.status == PUBLISHED and article.publish_at is None:
        article.publish_at = now


def status_condition(name: str, now: datetime | None = None):
    """Return the SQL condition of one of the desk's list filters (None if unknown)."""
    now = now or models.utcnow()
    return {
        "draft": Article.status == DRAFT,
        "returned": (Article.status == DRAFT) & Article.returned_at.is_not(None),
        "pending": Article.status == PENDING,
        "live": Article.visibility(now),
        "scheduled": (Article.status == PUBLISHED) & (Article.publish_at > now),
        "expired": Article.expire_at <= now,
    }.get(name)


def own_articles(statement, user: User):
    """Authors work on their own articles; editors and admins see everyone's."""
    if user.can_publish:
        return statement
    return statement.where(Article.created_by == user.id)


def counters(user: User) -> dict[str, int]:
    """Count what needs attention: awaiting review, scheduled, expired."""
    now = models.utcnow()
    return {
        name: db.session.scalar(
            own_articles(select(func.count(Article.id)).where(status_condition(name, now)), user)
        )
        for name in COUNTED
    }


def awaiting_review(user: User) -> list[Article]:
    """Articles sent for review, for those who may publish them (nobody else reviews)."""
    if not user.can_publish:
        return []
    return db.session.scalars(
        select(Article).where(Article.status == PENDING).order_by(Article.updated_at.desc())
    ).all()


def returned_to(user: User) -> list[Article]:
    """This user's articles sent back by an editor, the latest return first."""
    return db.session.scalars(
        select(Article)
        .where(status_condition("returned"), Article.created_by == user.id)
        .order_by(Article.returned_at.desc())
    ).all()


def submitted_by(user: User) -> list[Article]:
    """This user's articles waiting for an editor."""
    return db.session.scalars(
        select(Article)
        .where(Article.status == PENDING, Article.created_by == user.id)
        .order_by(Article.updated_at.desc())
    ).all()


class Publication(NamedTuple):
    """One of a writer's articles that someone else published: who, and when."""

    article: Article
    by: str
    at: datetime


def news_since(user: User, now: datetime) -> datetime:
    """Publications after this time are news to the user: since they last looked, at most
    NEWS_DAYS back."""
    oldest = now - timedelta(days=NEWS_DAYS)
    seen = user.notices_seen_at
    return max(seen, oldest) if seen else oldest


def news_of(statement, user: User, now: datetime):
    """Limit `statement` (on AuditLog) to publications of this user's articles by others
    since they last looked."""
    return statement.join(Article, Article.id == AuditLog.object_id).where(
        AuditLog.object_type == "article",
        AuditLog.action.in_(("publish", "approve")),
        AuditLog.user_id != user.id,
        AuditLog.created_at > news_since(user, now),
        Article.created_by == user.id,
        Article.status == PUBLISHED,
    )


def published_for(user: User, now: datetime | None = None) -> list[Publication]:
    """This user's articles that someone else published (or approved) since they last looked,
    the latest first."""
    now = now or models.utcnow()
    statement = select(Article, AuditLog.user_id, AuditLog.username, AuditLog.created_at)
    rows = db.session.execute(
        news_of(statement.select_from(AuditLog), user, now)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(NEWS_MAX)
    ).all()
    names = people_names({row.user_id for row in rows})
    latest = {}
    for article, user_id, username, at in rows:
        latest.setdefault(article.id, Publication(article, names.get(user_id, username), at))
    return list(latest.values())


def news_count(user: User) -> int:
    statement = select(func.count(func.distinct(AuditLog.object_id))).select_from(AuditLog)
    return db.session.scalar(news_of(statement, user, models.utcnow()))


def people_names(ids: set[int]) -> dict[int, str]:
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    return {user.id: user.name for user in users}


def mark_news_seen(user: User) -> None:
    """The user has seen their notices (the caller commits)."""
    user.notices_seen_at = models.utcnow()


def waiting_count(user: User) -> int:
    """What the desk's menu counts for this user: articles awaiting their review, their own
    articles returned to them, and those of theirs others published since they last looked."""
    count = db.session.scalar(
        select(func.count(Article.id))
        .where(status_condition("returned"), Article.created_by == user.id)
    )  # fmt: skip
    if user.can_publish:
        count += db.session.scalar(select(func.count(Article.id)).where(Article.status == PENDING))
    return count + news_count(user)


def reviewers(sender: User) -> list[User]:
    """Who hears of a submission: every active editor and admin but the one who sent it."""
    return db.session.scalars(
        select(User).where(
            User.role.in_(("admin", "editor")), User.active.is_(True), User.id != sender.id
        ).order_by(User.id)
    ).all()


def writer_to_tell(article: Article, actor: User) -> User | None:
    """Who hears of a return or a publication: the article's writer, unless it was them."""
    writer = article.creator
    if writer is None or writer.id == actor.id or not writer.active:
        return None
    return writer


def state(article: Article) -> str:
    """Name the state the desk colours: draft, returned, pending, scheduled, live or expired."""
    if article.is_returned:
        return "returned"
    if article.status != PUBLISHED:
        return article.status
    if article.is_scheduled:
        return "scheduled"
    return "expired" if article.is_expired else "live"


def describe(article: Article) -> str:
    """Describe an article's state as the desk's lists show it."""
    if article.is_scheduled:
        return f"Hẹn giờ ({date_time(article.publish_at)})"
    if article.status == PUBLISHED and article.is_expired:
        return "Hết hạn"
    if article.is_returned:
        return "Bị trả lại"
    return STATUS_LABELS[article.status]


def reader_visibility(article: Article, now: datetime | None = None) -> str:
    """Tell staff whether readers can see this article now, and why not."""
    now = now or models.utcnow()
    if article.status != PUBLISHED:
        return f"Bài chưa đăng ({article.status_label}): bạn đọc chưa thấy bài này."
    if article.publish_at and article.publish_at > now:
        return f"Bài hẹn giờ đăng lúc {date_time(article.publish_at)}: bạn đọc chưa thấy."
    if article.expire_at and article.expire_at <= now:
        return f"Bài đã hết hạn lúc {date_time(article.expire_at)}: bạn đọc không còn thấy."
    return "Bài đang hiển thị với bạn đọc."
