"""Citizens speak too: the rules of what readers send (questions for "Hỏi đáp"), kept apart
from the views that receive and moderate it.

What every public write obeys here: plain text with size caps, a hidden field and a minimum
fill time against bots, a cap on how many items one address may have waiting, and the
privacy of the sender (Decree 13/2023/NĐ-CP): name and contact details are for staff only,
and erased a set time after the answer (`erase_expired`, run by `flask erase-contacts` and,
lazily, whenever the desk opens its queue).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import event, func, or_, select, update

import mail
import models
import sanitize
import search
from models import (
    PUBLISHED,
    SPAM,
    WAITING,
    Document,
    DocumentComment,
    Poll,
    PollBallot,
    PollChoice,
    Question,
    ScheduleEntry,
    ScheduleWeek,
    Setting,
    User,
    db,
)
from vietnamese import slugify, to_local

# Topics of "Hỏi đáp": the address's slug and the label readers see.
TOPICS = {
    "dat-dai": "Đất đai, nhà ở",
    "ho-tich": "Hộ tịch, chứng thực",
    "chinh-sach": "Chính sách xã hội",
    "xay-dung": "Xây dựng, giao thông",
    "moi-truong": "Môi trường, nông nghiệp",
    "y-te-giao-duc": "Y tế, giáo dục",
    "khac": "Lĩnh vực khác",
}

# Field caps of the public forms (the columns hold at least this much).
NAME_MAX, PHONE_MAX, EMAIL_MAX = 120, 40, 254
TITLE_MAX = 200
TEXT_MAX = 4000

# What the form says is kept, why and for how long (shown beside the consent box).
FILL_SALT = "citizens-form-started"


# --- Against bots and floods -----------------------------------------------------------------


def form_started_token() -> str:
    """Sign the moment a form was shown, so that its submission can prove a human's pace."""
    return URLSafeSerializer(current_app.secret_key, salt=FILL_SALT).dumps(int(time.time()))


def filled_too_fast(token: str | None) -> bool:
    """Tell whether a form came back faster than a person types, or without a valid stamp.

    No upper bound: a reader may take an afternoon over a long question.
    """
    try:
        started = URLSafeSerializer(current_app.secret_key, salt=FILL_SALT).loads(token or "")
    except BadSignature:
        return True
    if not isinstance(started, int):
        return True
    return time.time() - started < current_app.config["CITIZENS_MIN_FILL_SECONDS"]


def sender_key(address: str) -> str:
    """A keyed digest of the sender's network address: enough to cap one address, useless to
    anyone who would like the address back (without the site's secret key)."""
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def waiting_from(key: str) -> int:
    """Count the questions from one address that wait for staff."""
    return db.session.scalar(
        select(func.count()).select_from(Question)
        .where(Question.sender_key == key, Question.status == WAITING)
    )  # fmt: skip


def queue_full() -> bool:
    """Tell whether the queue holds as many waiting items as staff can be asked to sort."""
    waiting = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.status == WAITING)
    )
    return waiting >= current_app.config["CITIZENS_MAX_WAITING"]


# --- Questions ---------------------------------------------------------------------------------


def topic_label(slug: str) -> str:
    return TOPICS.get(slug, TOPICS["khac"])


def question_slug(question: Question) -> str:
    return slugify(question.title, max_length=80) or "cau-hoi"


def question_url(question: Question, _external: bool = False) -> str:
    """Return /hoi-dap/<slug>-<id> for a question."""
    return url_for(
        "citizens.question", slug=question_slug(question), question_id=question.id,
        _external=_external,
    )  # fmt: skip


def retention() -> timedelta:
    """How long contact details are kept after the answer (CITIZENS_CONTACT_MONTHS)."""
    return timedelta(days=round(current_app.config["CITIZENS_CONTACT_MONTHS"] * 365 / 12))


def publish(question: Question, user: models.User) -> None:
    """Publish a question with its answer; its sender's details are kept for the retention
    time from now, then erased."""
    now = models.utcnow()
    question.status = PUBLISHED
    question.published_at = question.published_at or now
    question.answered_at = question.answered_at or now
    question.answered_by = question.answered_by or user.id
    question.answerer_name = question.answerer_name or user.name
    question.contact_until = now + retention()


def unpublish(question: Question) -> None:
    """Take a question off the site; it waits again (its details keep their erase date)."""
    question.status = WAITING


def mark_spam(question: Question) -> None:
    """Set a question aside as spam: it is never shown, and its sender's details go soon."""
    question.status = SPAM
    question.contact_until = models.utcnow() + timedelta(days=30)


def set_answer(question: Question, html: str, user: models.User) -> None:
    """Store an answer already cleaned by sanitize.clean_html, and who wrote it."""
    question.answer = html
    question.answer_text = sanitize.html_to_text(html)
    question.answered_by = user.id
    question.answerer_name = user.name
    question.answered_at = models.utcnow()


def tell_asker(question: Question) -> bool:
    """E-mail the asker, when they left an address and the site sends mail, that the answer
    is published (call after the commit); return whether a message was handed over."""
    if not question.email:
        return False
    site = Setting.values()["site_name"]
    text = (
        f"Kính gửi {question.name or 'ông (bà)'},\n\n"
        f"Câu hỏi “{question.title}” bạn gửi đến {site} đã được trả lời. Câu hỏi và câu trả "
        f"lời được đăng tại:\n{question_url(question, _external=True)}\n\n"
        "Thư này được gửi tự động vì bạn đã ghi địa chỉ thư điện tử khi đặt câu hỏi; địa chỉ "
        "của bạn không được đăng lên trang.\n"
    )
    return mail.send_mail(question.email, f"Câu hỏi của bạn đã được trả lời – {site}", text)


def tell_staff(subject: str, text: str) -> bool:
    """E-mail every active editor and admin who gave an address (call after the commit);
    return whether a message was handed over."""
    addresses = list(db.session.scalars(select(User.email).where(
        User.role.in_(("admin", "editor")), User.active.is_(True), User.email != "")))
    return bool(addresses) and mail.send_mail(addresses, subject, text)


def fill_folded(_mapper, _connection, target: Question) -> None:
    """Keep a question's folded words, which the site's search reads, in step with it."""
    target.search_folded = search.folded_record([target.title, target.body, target.answer_text])


def init_app(_app) -> None:
    """Install the listener that keeps questions searchable (once per process)."""
    for name in ("before_insert", "before_update"):
        if not event.contains(Question, name, fill_folded):
            event.listen(Question, name, fill_folded)


def search_questions(query: search.Query, limit: int = 5) -> list[Question]:
    """Return the newest published questions holding every word of a reader's search.

    The same folding as articles (search.folded_record), read by LIKE: a commune answers
    hundreds of questions, not the hundred thousand articles FTS5 is there for.
    """
    if not query.searchable:
        return []
    words = query.terms + query.required_marks
    folded = Question.search_folded
    conditions = [folded.contains(f" {word} ", autoescape=True) for word in words]
    return db.session.scalars(Question.visible().where(*conditions).limit(limit)).all()


# --- Personal data -----------------------------------------------------------------------------

ERASED = {"name": "", "phone": "", "email": "", "sender_key": ""}
COMMENT_ERASED = {"name": "", "email": "", "sender_key": ""}


def erase_expired(now: datetime | None = None) -> int:
    """Erase the senders' details whose retention time has passed; return how many."""
    now = now or models.utcnow()
    erased = 0
    for model, values in ((Question, ERASED), (DocumentComment, COMMENT_ERASED)):
        erased += db.session.execute(
            update(model)
            .where(model.contact_until <= now, model.contact_erased_at.is_(None))
            .values(contact_erased_at=now, **values)
        ).rowcount
    return erased


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def questions_of(person: str) -> list[Question]:
    """Find the questions sent with this e-mail address or phone number (as typed or in
    another spacing), for a person who asks what the site keeps about them."""
    person = person.strip()
    if not person:
        return []
    conditions = []
    if "@" in person:
        conditions.append(func.lower(Question.email) == person.lower())
    elif len(digits(person)) >= 6:
        conditions.append(Question.phone.contains(person))
        phones = db.session.execute(select(Question.id, Question.phone).where(Question.phone != ""))
        same = [row.id for row in phones if digits(row.phone) == digits(person)]
        conditions.append(Question.id.in_(same))
    if not conditions:
        return []
    return db.session.scalars(select(Question).where(or_(*conditions)).order_by(Question.id)).all()


def export_record(question: Question) -> dict:
    """What the site keeps about the sender of one question, for a copy handed to them."""
    return {
        "loai": "Hỏi đáp",
        "ma_cau_hoi": question.id,
        "ho_ten": question.name,
        "dien_thoai": question.phone,
        "thu_dien_tu": question.email,
        "tieu_de": question.title,
        "noi_dung": question.body,
        "tinh_trang": question.status_label,
        "gui_luc": question.created_at.isoformat(),
        "xoa_thong_tin_lien_he_luc": (
            question.contact_until.isoformat() if question.contact_until else None
        ),
    }


def erase_person(items: list) -> None:
    """Erase the sender's details from these questions and comments now (their text stays,
    as the commune's record; staff edit it if the text itself names the person)."""
    now = models.utcnow()
    for item in items:
        for name, value in (ERASED if isinstance(item, Question) else COMMENT_ERASED).items():
            setattr(item, name, value)
        item.contact_erased_at = now


@dataclass
class QueueCounts:
    waiting: int
    published: int
    spam: int


def queue_counts() -> QueueCounts:
    """Count questions by status, for the desk's tabs and dashboard."""
    rows = dict(
        db.session.execute(select(Question.status, func.count()).group_by(Question.status)).all()
    )
    return QueueCounts(rows.get(WAITING, 0), rows.get(PUBLISHED, 0), rows.get(SPAM, 0))


# --- Lịch công tác tuần ------------------------------------------------------------------------

# Fields of one schedule line and their caps (the desk's week table posts them by row).
ENTRY_FIELDS = {"time": 40, "what": 1000, "place": 250, "chair": 250, "attendees": 1000}
# The most lines a week's table takes (a busy commune fills thirty or so).
MAX_ROWS = 80


def today() -> date:
    """Today in Vietnam, through the models' clock (tests move it)."""
    return to_local(models.utcnow()).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(raw: str | None) -> date | None:
    """Read `?tuan=2026-12-07` as the Monday of that week; None when it is not a date."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        return None
    return monday_of(day) if date(2000, 1, 1) <= day <= date(2999, 1, 1) else None


def week_end(monday: date) -> date:
    return monday + timedelta(days=6)


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(7)]


def week_at(monday: date) -> ScheduleWeek | None:
    return db.session.scalar(select(ScheduleWeek).where(ScheduleWeek.starts_on == monday))


def published_week(monday: date) -> ScheduleWeek | None:
    week = week_at(monday)
    return week if week is not None and week.published else None


def past_weeks(before: date, limit: int = 12) -> list[ScheduleWeek]:
    """The published weeks before `before`, newest first."""
    return db.session.scalars(
        select(ScheduleWeek)
        .where(ScheduleWeek.published, ScheduleWeek.starts_on < before)
        .order_by(ScheduleWeek.starts_on.desc())
        .limit(limit)
    ).all()


def entries_on(day: date) -> list[ScheduleEntry]:
    """The published schedule's lines of one day (the home page shows today's)."""
    return db.session.scalars(
        select(ScheduleEntry)
        .join(ScheduleWeek)
        .where(ScheduleWeek.published, ScheduleEntry.day == day)
        .order_by(ScheduleEntry.position, ScheduleEntry.id)
    ).all()


@dataclass
class EntryRow:
    """One row of the desk's week table as typed, and what is wrong with it."""

    day: str = ""
    values: dict = field(default_factory=dict)
    error: str = ""

    @property
    def empty(self) -> bool:
        return not any(value.strip() for value in self.values.values())


def read_rows(form, monday: date) -> list[EntryRow]:
    """Read the week table's rows (`day-N`, `time-N`, ...) as typed, checking each."""
    days = {day.isoformat() for day in week_days(monday)}
    raw = str(form.get("rows", ""))
    rows = []
    for n in range(min(int(raw), MAX_ROWS) if raw.isdigit() else 0):
        row = EntryRow(form.get(f"day-{n}", ""), {
            name: " ".join(str(form.get(f"{name}-{n}", "")).split())[: cap + 1]
            for name, cap in ENTRY_FIELDS.items()
        })  # fmt: skip
        if row.empty:
            continue
        if row.day not in days:
            row.error = "Hãy chọn một ngày trong tuần."
        elif not row.values["what"]:
            row.error = "Hãy ghi nội dung công việc."
        elif any(len(row.values[name]) > cap for name, cap in ENTRY_FIELDS.items()):
            row.error = "Nội dung quá dài."
        rows.append(row)
    return rows


def save_week(monday: date, rows: list[EntryRow], published: bool) -> ScheduleWeek:
    """Replace a week's lines with the rows typed (the caller commits)."""
    week = week_at(monday) or ScheduleWeek(starts_on=monday)
    db.session.add(week)
    week.entries.clear()
    for position, row in enumerate(rows):
        week.entries.append(ScheduleEntry(
            day=date.fromisoformat(row.day), position=position, **row.values
        ))  # fmt: skip
    week.published = published
    return week


# --- Thăm dò ý kiến ------------------------------------------------------------------------

VOTED_COOKIE = "da-binh-chon"
VOTED_SALT = "citizens-polls-voted"
# Votes one network address may cast in one poll: a family or an office shares an address.
VOTES_PER_ADDRESS = 5


def polls_newest_first():
    return select(Poll).where(Poll.opens_at <= models.utcnow()).order_by(Poll.opens_at.desc())


def voted_polls(cookie: str | None) -> set[int]:
    """The polls this browser voted in, from its signed cookie (a forged one counts nothing)."""
    try:
        ids = URLSafeSerializer(current_app.secret_key, salt=VOTED_SALT).loads(cookie or "")
    except BadSignature:
        return set()
    return {i for i in ids if isinstance(i, int)} if isinstance(ids, list) else set()


def voted_cookie(ids: set[int]) -> str:
    return URLSafeSerializer(current_app.secret_key, salt=VOTED_SALT).dumps(sorted(ids)[-200:])


def ballots_from(poll: Poll, key: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PollBallot)
        .where(PollBallot.poll_id == poll.id, PollBallot.sender_key == key)
    )  # fmt: skip


def chosen(poll: Poll, raw: list[str]) -> list[PollChoice] | None:
    """The choices a ballot names, or None when it names none, too many or unknown ones."""
    ids = {int(value) for value in raw[:50] if value.isdigit()}
    found = [choice for choice in poll.choices if choice.id in ids]
    if not found or len(found) != len(ids) or (len(found) > 1 and not poll.multiple):
        return None
    return found


def cast(poll: Poll, choices: list[PollChoice], key: str) -> None:
    """Count one ballot: an increment per choice, and the address's mark (the caller commits).

    Increments in SQL, so that two workers voting at once both count.
    """
    for choice in choices:
        db.session.execute(
            update(PollChoice).where(PollChoice.id == choice.id)
            .values(votes=PollChoice.votes + 1)
        )  # fmt: skip
    db.session.add(PollBallot(poll_id=poll.id, sender_key=key))


# --- Góp ý dự thảo -----------------------------------------------------------------------------


def comments_open(document: Document, on: date | None = None) -> bool:
    """Tell whether readers may comment on the document today (both dates included)."""
    on = on or today()
    start, end = document.comments_from, document.comments_until
    return start is not None and end is not None and start <= on <= end


def takes_comments(document: Document) -> bool:
    """Tell whether the document was ever opened for comments (its page shows the section)."""
    return document.comments_from is not None and document.comments_until is not None


def published_comments(document: Document) -> list[DocumentComment]:
    return db.session.scalars(
        select(DocumentComment)
        .where(DocumentComment.document_id == document.id, DocumentComment.status == PUBLISHED)
        .order_by(DocumentComment.id)
    ).all()


def comment_status() -> str:
    """Published at once or waiting for staff, as the site chose (desk setting)."""
    return WAITING if Setting.values()["comments_moderated"] != "0" else PUBLISHED


def comments_waiting_from(key: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DocumentComment)
        .where(DocumentComment.sender_key == key, DocumentComment.status == WAITING)
    )  # fmt: skip


def comments_of(person: str) -> list[DocumentComment]:
    """The comments sent with this e-mail address (comments take no phone number)."""
    person = person.strip().lower()
    if "@" not in person:
        return []
    return db.session.scalars(
        select(DocumentComment).where(func.lower(DocumentComment.email) == person)
    ).all()


def export_comment(comment: DocumentComment) -> dict:
    return {
        "loai": "Góp ý dự thảo",
        "ma_gop_y": comment.id,
        "van_ban": comment.document.number,
        "ho_ten": comment.name,
        "thu_dien_tu": comment.email,
        "noi_dung": comment.body,
        "tinh_trang": comment.status_label,
        "gui_luc": comment.created_at.isoformat(),
    }


def comment_window_ended(comment: DocumentComment) -> datetime:
    """When a comment's sender details go: the retention time after the window closed."""
    closed = comment.document.comments_until or today()
    return datetime.combine(closed, datetime.min.time(), tzinfo=UTC) + retention()


def comments_waiting() -> int:
    """Count the comments that wait for staff (the dashboard shows it)."""
    return db.session.scalar(
        select(func.count()).select_from(DocumentComment)
        .where(DocumentComment.status == WAITING)
    )  # fmt: skip
