"""The demo site: invented news of one commune with drawn pictures (`flask seed-demo`), a big
site of N articles for benchmarks (`seed-demo --articles N`), and the way back to a clean site
(`flask remove-demo`). Every row the demo adds is listed in the `demo_seeded` setting, so that
removing the demo touches nothing an operator made."""

import hashlib
import io
import json
import os
import random
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import delete, func, insert, or_, select

import search
from media import markup, store, uploads, usage
from models import (
    Article,
    Attachment,
    AuditLog,
    Category,
    Document,
    DocumentComment,
    Media,
    Official,
    Page,
    Poll,
    PollChoice,
    Question,
    Revision,
    ScheduleEntry,
    ScheduleWeek,
    Setting,
    User,
    db,
    utcnow,
)
from ops import seed_content as content
from ops import starter
from ops.seed_pictures import draw_scene
from sanitize import clean_html, html_to_text
from vietnamese import VN_TZ, slugify

MARKER = starter.DEMO_MARKER
DEJAVU_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
FOUNDED = datetime(*content.FOUNDED, tzinfo=VN_TZ)
BATCH = 5_000
# The big site publishes about this many articles a day, so N articles span N / 25 days.
ARTICLES_PER_DAY = 25


class DemoError(Exception):
    """The demo cannot be added or removed; the message says why, in Vietnamese."""


# What makes a site no longer empty for the demo; accounts and settings do not.
CONTENT_MODELS = (Article, Document, Media, Page, Official)


def site_is_empty() -> bool:
    """Tell whether the site holds no content yet: accounts and settings (`site add`, then
    `create-user`) may exist, and no category but the untouched starter menu of a new site,
    which the demo replaces."""
    return starter.only_starters() and all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in CONTENT_MODELS
    )


# --- Remembering what the demo added ---------------------------------------------------------


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Compress ids into [first, last] runs: a big site's 100,000 ids take a few bytes."""
    runs: list[list[int]] = []
    for number in sorted(ids):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


def expand(runs: list[list[int]]) -> list[int]:
    """Turn [first, last] runs back into the ids they stand for."""
    return [number for first, last in runs for number in range(first, last + 1)]


def fingerprint(row, columns: tuple[str, ...]) -> str:
    """Hash what an operator could edit in a row, to tell later whether they did."""
    values = json.dumps([str(getattr(row, name)) for name in columns], ensure_ascii=False)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


# What an operator may change in the structure the demo sets up (kept if changed).
EDITABLE = {
    "category": (Category, ("name", "slug", "description", "parent_id")),
    "page": (Page, ("title", "slug", "body", "in_menu", "lang")),
    "official": (Official, ("name", "title", "title_en", "phone", "email")),
}
# Demo rows removed whatever became of them (accounts unless people used them).
CONTENT = {"article": Article, "document": Document, "media": Media, "user": User,
           "question": Question, "schedule_week": ScheduleWeek, "poll": Poll}
# What changes in a demo account once someone takes it over (a new password, say).
ACCOUNT_COLUMNS = ("password_hash", "display_name", "role", "active", "email")


def demo_admin() -> User | None:
    """The admin account the demo was made with (its own, or the site's)."""
    marker = starter.demo_marker()
    return db.session.get(User, marker["admin"]) if marker else None


def write_marker(marker: dict) -> None:
    """Remember what the demo added (the caller commits)."""
    Setting.put(MARKER, json.dumps(marker, ensure_ascii=False, separators=(",", ":")))


def existing_ids() -> dict[str, set[int]]:
    """The ids of the rows the site had before the demo (its accounts, most likely)."""
    models = {**CONTENT, **{name: model for name, (model, _) in EDITABLE.items()}}
    return {name: set(db.session.scalars(select(model.id))) for name, model in models.items()}


def new_marker(admin: User, now: datetime, before: dict[str, set[int]],
               settings_before: dict[str, str | None]) -> dict:  # fmt: skip
    """List every row the demo added (flushed, so they have ids), the settings it set and
    what they were before."""
    marker = {"seeded_at": now.isoformat(), "admin": admin.id, "settings": content.SETTINGS,
              "settings_before": settings_before}  # fmt: skip
    marker["ids"] = {
        name: id_ranges(set(db.session.scalars(select(model.id))) - before[name])
        for name, model in CONTENT.items()
    }
    marker["fingerprints"] = {
        name: {str(row.id): fingerprint(row, columns) for row in db.session.scalars(select(model))
               if row.id not in before[name]}  # fmt: skip
        for name, (model, columns) in EDITABLE.items()
    }
    accounts = expand(marker["ids"]["user"])
    marker["accounts"] = {
        str(user.id): fingerprint(user, ACCOUNT_COLUMNS)
        for user in db.session.scalars(select(User).where(User.id.in_(accounts)))
    }
    return marker


# --- The demo site ---------------------------------------------------------------------------


def seed_demo(now: datetime | None = None) -> str | None:
    """Fill a site that holds no content with the demo (its accounts stay as they are).

    Return the one-time password of the demo's admin account, or "" when the site already had
    an admin, who then stands in for it; None when the site has content (nothing is added).
    """
    if not site_is_empty():
        return None
    now = now or utcnow()
    rng = random.Random(2025)
    before = existing_ids()
    settings_before = {key: stored_setting(key) for key in content.SETTINGS}
    starter.withdraw()
    starter.open_first_day()
    for key, value in content.SETTINGS.items():
        Setting.put(key, value)
    categories = seed_categories()
    seed_pages()
    admin, password, author = seed_users()
    seed_articles(categories, admin, author, now, rng)
    seed_documents(admin, now)
    seed_officials()
    seed_questions(now)
    seed_schedule(now)
    seed_poll(now)
    seed_draft(now, admin)
    db.session.flush()
    write_marker(new_marker(admin, now, before, settings_before))
    db.session.commit()
    return password


def stored_setting(key: str) -> str | None:
    row = db.session.get(Setting, key)
    return None if row is None else row.value


def seed_categories() -> dict[str, Category]:
    categories = {}
    for position, (name, slug, description) in enumerate(content.CATEGORIES):
        categories[slug] = Category(
            name=name, slug=slug, description=description, position=position
        )
        db.session.add(categories[slug])
    return categories


def seed_pages() -> None:
    for position, (title, slug, lang, body) in enumerate(content.PAGES):
        db.session.add(
            Page(title=title, slug=slug, lang=lang, body=clean_html(body), position=position)
        )


def seed_users() -> tuple[User, str, User]:
    """Add the admin (whose password is shown once) unless the site has one, and the demo's
    editor and author unless their names are taken; return the admin, its password ("" for
    the site's own admin) and the author of the article awaiting review."""
    admin = db.session.scalar(
        select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    )
    password = ""
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = User(username=free_username("admin"), display_name="Quản trị viên", role="admin")
        admin.set_password(password)
        db.session.add(admin)
    author = admin
    for username, name, role in content.USERS:
        if db.session.scalar(select(User.id).where(User.username == username)):
            continue  # someone's own account: never the demo's
        user = User(username=username, display_name=name, role=role)
        user.set_password(secrets.token_urlsafe(16))  # the admin sets a real one if needed
        db.session.add(user)
        author = user if role == "author" else author
    db.session.flush()
    return admin, password, author


def free_username(wanted: str) -> str:
    """`wanted`, or `wanted-mau` when an account (not an admin) already has that name."""
    taken = db.session.scalar(select(User.id).where(User.username == wanted))
    return f"{wanted}-mau" if taken else wanted


def story_html(parts: list, values: dict) -> str:
    """Turn a story's parts (paragraphs, headings, lists, tables, quotes) into HTML."""
    blocks = []
    for part in parts:
        if isinstance(part, str):
            blocks.append(f"<p>{escape(part.format(**values))}</p>")
        elif "heading" in part:
            blocks.append(f"<h2>{escape(part['heading'])}</h2>")
        elif "list" in part:
            items = "".join(f"<li>{escape(item.format(**values))}</li>" for item in part["list"])
            blocks.append(f"<ul>{items}</ul>")
        elif "table" in part:
            blocks.append(table_html(part["table"], values))
        else:
            quote = escape(part["quote"].format(**values))
            by = escape(part["by"].format(**values))
            blocks.append(f"<blockquote><p>“{quote}”</p><p>– {by}</p></blockquote>")
    return "\n".join(blocks)


def table_html(rows: list[list[str]], values: dict) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell.format(**values))}</td>" for cell in row) + "</tr>"
        for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def date_values(when: datetime) -> dict:
    """The placeholders a story may use, from its publication time."""
    local = when.astimezone(VN_TZ)
    later = local + timedelta(days=7)
    return {
        "nam": local.year,
        "nam_truoc": local.year - 1,
        "nam_sau": local.year + 1,
        "thang": local.month,
        "ngay": f"ngày {local.day} tháng {local.month}",
        "ngay_sau": f"{later.day}/{later.month}/{later.year}",
    }


def earliest(now: datetime) -> datetime:
    """Start the demo at the commune's founding, or two years back if that is too recent."""
    two_years = now - timedelta(days=730)
    if now - FOUNDED >= timedelta(days=300):
        return max(two_years, FOUNDED.astimezone(UTC))
    return two_years


def story_time(story: content.Story, index: int, now: datetime, rng: random.Random) -> datetime:
    """Date a story in its own month (harvest, Tết, school year), every other one a year older."""
    start, latest = earliest(now), now - timedelta(hours=2)
    if story.month is None:
        moment = start + (latest - start) * rng.random()
    else:
        candidates = [
            datetime(year, story.month, rng.randint(1, 28), tzinfo=VN_TZ)
            for year in range(latest.year, start.year - 1, -1)
        ]
        fitting = [day for day in candidates if start <= day <= latest] or [latest]
        moment = fitting[min(index % 2, len(fitting) - 1)]
    local = moment.astimezone(VN_TZ).replace(
        hour=rng.randint(7, 16), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0
    )
    return min(max(local, start), latest)


def article_from_story(story: content.Story, when: datetime, admin: User, rng) -> Article:
    values = date_values(when)
    title = story.title.format(**values)
    body = clean_html(story_html(story.parts, values))
    return Article(
        title=title,
        slug=slugify(title),
        summary=story.summary.format(**values),
        body=body,
        body_text=html_to_text(body),
        category_id=None,
        author=rng.choice(content.AUTHORS),
        source=rng.choice(content.SOURCES),
        created_by=admin.id,
        updated_by=admin.id,
    )


def seed_articles(categories, admin: User, author: User, now: datetime,
                  rng: random.Random) -> None:  # fmt: skip
    """Add each story once, dated in its month, then a few that readers must not see."""
    dated = sorted(
        ((story_time(story, number, now, rng), story)
         for number, story in enumerate(content.STORIES)),  # fmt: skip
        key=lambda pair: pair[0],
        reverse=True,
    )
    for number, (when, story) in enumerate(dated):
        article = article_from_story(story, when, admin, rng)
        article.category = categories[story.category]
        article.status, article.publish_at = "published", when
        article.created_at = article.updated_at = when
        article.featured = number in (0, 2, 5, 9)
        illustrate(article, story, admin)
        db.session.add(article)
    seed_hidden_articles(categories, admin, author, now, rng)


def scene_image(scene: str, variant: int, admin: User) -> Media:
    """Draw and store one picture of a scene (each variant is a different drawing).

    Stories of the same scene share its picture, as a commune reuses its photo of the health
    station. Each web size is made when a page first shows it, as for imported images: making
    all ten of every picture up front was most of the time `make run` took to seed.
    """
    name = f"{scene}-{variant + 1}.jpg"
    known = db.session.scalar(select(Media).where(Media.original_name == name))
    if known:
        return known
    return uploads.store_image(draw_scene(scene, variant), name, admin.id, web_sizes=False)


def illustrate(article: Article, story: content.Story, admin: User) -> None:
    """Give the article its story's picture, and the picture inside the body some stories have."""
    if story.scene:
        article.image = scene_image(story.scene, 0, admin)
        article.image_caption = article.image_alt = story.caption
    if story.figure:
        scene, caption = story.figure
        figure = markup.figure_html(scene_image(scene, 1, admin), caption)
        first, *rest = article.body.split("\n", 1)
        article.body = clean_html("\n".join([first, figure, *rest]))
        article.body_text = html_to_text(article.body)  # the caption is searchable text too


def seed_hidden_articles(categories, admin: User, author: User, now: datetime,
                         rng: random.Random) -> None:  # fmt: skip
    """Add a draft, one awaiting review (by the demo author), two scheduled and one expired."""
    hidden = [
        ("draft", None, None, admin),
        ("pending", None, None, author),
        ("published", now + timedelta(days=1), None, admin),
        ("published", now + timedelta(days=3), None, admin),
        ("published", now - timedelta(days=40), now - timedelta(days=10), admin),
    ]
    for story, (status, publish_at, expire_at, user) in zip(
        content.HIDDEN_STORIES, hidden, strict=True
    ):
        article = article_from_story(story, publish_at or now, user, rng)
        article.category = categories[story.category]
        article.status, article.publish_at, article.expire_at = status, publish_at, expire_at
        db.session.add(article)


def seed_documents(admin: User, now: datetime) -> None:
    """Add the registry's documents, dated back from today, some in force and some not."""
    today = now.astimezone(VN_TZ).date()
    for number, doc_type, title, issuer, signer, field_, age, delay, lifetime in content.DOCUMENTS:
        issued = today - timedelta(days=age)
        years = {"nam": issued.year, "nam2": issued.year + 1}
        document = Document(
            number=number.format(**years),
            title=title.format(**years),
            doc_type=doc_type,
            issuer=issuer,
            signer=signer,
            field=field_,
            issued_on=issued,
            effective_on=issued + timedelta(days=delay) if delay else None,
            expires_on=issued + timedelta(days=lifetime) if lifetime else None,
            created_by=admin.id,
        )
        attach_scan(document, admin)
        db.session.add(document)


def attach_scan(document: Document, admin: User) -> None:
    """Attach the document's "scanned" full text, as communes publish their signed copies."""
    name = f"{document.doc_type} {document.number.replace('/', '-')}.pdf"
    scan = uploads.store_file(document_pdf(document), name, admin.id)
    document.attachments.append(Attachment(media=scan, title="Toàn văn (bản quét)"))


def document_pdf(document: Document) -> bytes:
    """Draw a one-page A4 PDF at 100 dpi: header, number, date, abstract, and a notice."""
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    issuer = document.issuer.upper().replace("UBND", "ỦY BAN NHÂN DÂN").replace(
        "HĐND", "HỘI ĐỒNG NHÂN DÂN"
    )
    day = document.issued_on or date.today()
    lines = [
        (issuer, 22), (f"Số: {document.number}", 20),
        (f"Hòa Sơn, ngày {day.day} tháng {day.month} năm {day.year}", 18), ("", 20),
        (document.doc_type.upper(), 30), *((line, 22) for line in wrap(document.title, 52)),
        ("", 20), ("(Văn bản minh họa – dữ liệu mẫu, không có giá trị pháp lý)", 18),
    ]  # fmt: skip
    y = 90
    for text, size in lines:
        font = pdf_font(size)
        width = draw.textlength(text, font=font)
        draw.text(((827 - width) / 2, y), text, fill=0, font=font)
        y += int(size * 1.7)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=100.0)
    return buffer.getvalue()


def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def pdf_font(size: int) -> ImageFont.ImageFont:
    """DejaVu Sans draws Vietnamese marks; Pillow's own font is the fallback."""
    for path in DEJAVU_FONTS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def seed_officials() -> None:
    """Add the leadership table and show it on the organisation pages."""
    for position, (name, title, title_en, phone, email) in enumerate(content.OFFICIALS):
        db.session.add(
            Official(
                name=name, title=title, title_en=title_en, phone=phone, email=email,
                position=position + 1,
            )
        )  # fmt: skip
    pages = db.session.scalars(select(Page).where(Page.slug.in_(content.OFFICIALS_PAGES)))
    for page in pages:
        page.show_officials = True


# --- A big site: `seed-demo --articles N` ----------------------------------------------------


def seed_questions(now: datetime) -> None:
    """Add residents' questions: answered and published, and one waiting for the desk.

    The askers are invented and left without contact details: nothing personal is seeded.
    """
    for item in content.QUESTIONS:
        asked = now - timedelta(days=item.days_ago, hours=5)
        question = Question(
            topic=item.topic, title=item.title, body=item.body, created_at=asked,
            name="Người dân (mẫu)", status="waiting",
        )  # fmt: skip
        if item.answer:
            answer = clean_html(item.answer)
            question.answer, question.answer_text = answer, html_to_text(answer)
            question.answerer_name, question.status = item.answerer, "published"
            question.answered_at = question.published_at = asked + timedelta(days=1)
        db.session.add(question)


def seed_schedule(now: datetime) -> None:
    """Publish the leaders' schedule of last week, this week and the next."""
    this_monday = now.astimezone(VN_TZ).date()
    this_monday -= timedelta(days=this_monday.weekday())
    for monday in (this_monday + timedelta(days=n) for n in (-7, 0, 7)):
        week = ScheduleWeek(starts_on=monday, published=True)
        for position, (weekday, *line) in enumerate(content.SCHEDULE):
            fields = dict(zip(("time", "what", "place", "chair", "attendees"), line, strict=True))
            week.entries.append(ScheduleEntry(
                day=monday + timedelta(days=weekday), position=position, **fields
            ))  # fmt: skip
        db.session.add(week)


def seed_poll(now: datetime) -> None:
    """Open a poll for a month, with the votes residents already cast."""
    question, choices = content.POLL
    poll = Poll(question=question, opens_at=now - timedelta(days=5),
                closes_at=now + timedelta(days=25))  # fmt: skip
    poll.choices = [PollChoice(label=label, votes=votes, position=n)
                    for n, (label, votes) in enumerate(choices)]  # fmt: skip
    db.session.add(poll)


def seed_draft(now: datetime, admin: User) -> None:
    """Open a draft resolution for residents' comments for a month, with two published."""
    today = now.astimezone(VN_TZ).date()
    draft = Document(issued_on=today - timedelta(days=3), comments_from=today - timedelta(days=3),
                     comments_until=today + timedelta(days=27), **content.DRAFT)  # fmt: skip
    db.session.add(draft)
    attach_scan(draft, admin)
    for n, body in enumerate(content.DRAFT_COMMENTS):
        db.session.add(DocumentComment(document=draft, body=body, status="published",
                                       created_at=now - timedelta(days=2 - n)))  # fmt: skip


def seed_big(total: int, progress: Callable[[str], None], now: datetime | None = None) -> int:
    """Grow the demo site to `total` articles in bulk; return how many were added."""
    now = now or utcnow()
    if site_is_empty():
        seed_demo(now)
    marker = starter.demo_marker()
    if marker is None:
        raise DemoError(
            "Trang đã có nội dung thật: chỉ thêm hàng loạt tin bài vào một trang mẫu "
            "(cơ sở dữ liệu trống hoặc do seed-demo tạo)."
        )
    have = db.session.scalar(select(func.count()).select_from(Article))
    missing = max(0, total - have)
    if missing:
        added = insert_articles(missing, marker, now, progress)
        marker["ids"]["article"] = id_ranges([*expand(marker["ids"]["article"]), *added])
        write_marker(marker)
        db.session.commit()
        started = time.perf_counter()
        progress("Đang lập chỉ mục tìm kiếm...")
        # Bulk rows skip the ORM listeners: derive the search index and image uses at once.
        search.rebuild(db.session.connection())
        usage.rebuild(db.session.connection())
        db.session.commit()
        progress(f"Đã lập chỉ mục tìm kiếm ({time.perf_counter() - started:.0f} giây).")
    return missing


@dataclass
class Corpus:
    """What generated articles are made of: each category's paragraphs and summaries."""

    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    summaries: dict[str, list[str]] = field(default_factory=dict)
    pictures: list[tuple[int, str]] = field(default_factory=list)


def corpus(marker: dict) -> Corpus:
    """Gather the stories' paragraphs and summaries by category, and a few demo pictures."""
    found = Corpus()
    for story in content.STORIES:
        found.paragraphs.setdefault(story.category, []).extend(
            part for part in story.parts if isinstance(part, str)
        )
        found.summaries.setdefault(story.category, []).append(story.summary)
    # A few of the demo's own pictures with their captions: the big site draws no new ones.
    demo = set(expand(marker["ids"]["article"]))
    rows = db.session.execute(
        select(Article.id, Article.image_id, Article.image_caption).where(
            Article.image_id.is_not(None)
        )
    )
    found.pictures = [(image, caption) for id_, image, caption in rows if id_ in demo][:8]
    return found


def generated_article(number: int, when: datetime, category: tuple[int, str], words: Corpus,
                      rng: random.Random, admin: int) -> dict:  # fmt: skip
    """Return the row of one generated article: a headline and paragraphs of its category."""
    category_id, slug = category
    values = {**date_values(when), "thon": rng.choice(content.HAMLETS), "so": rng.randint(2, 60)}
    title = rng.choice(content.HEADLINES[slug]).format(**values)
    pool = words.paragraphs[slug]
    chosen = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
    paragraphs = [text.format(**values) for text in chosen]
    # One article in nine reuses a demo picture, with the caption written for it.
    illustrated = words.pictures and number % 9 == 0
    image, caption = rng.choice(words.pictures) if illustrated else (None, "")
    return {
        "title": title, "slug": slugify(title),
        "summary": rng.choice(words.summaries[slug]).format(**values),
        "body": "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs),
        "body_text": "\n\n".join(paragraphs), "category_id": category_id,
        "author": rng.choice(content.AUTHORS), "source": rng.choice(content.SOURCES),
        "image_id": image, "image_caption": caption, "image_alt": caption,
        "status": "published", "publish_at": when, "expire_at": None, "featured": False,
        "created_by": admin, "updated_by": admin, "version": 1, "search_folded": "",
        "created_at": when, "updated_at": when,
    }  # fmt: skip


def insert_articles(count: int, marker: dict, now: datetime, progress) -> list[int]:
    """Insert `count` articles older than the demo's, in batches past the ORM; return ids."""
    rng = random.Random(count)
    words = corpus(marker)
    categories = [
        (row.id, row.slug)
        for row in db.session.execute(select(Category.id, Category.slug))
        if row.slug in content.HEADLINES
    ]
    if not categories:
        raise DemoError("Không còn chuyên mục mẫu nào để thêm tin bài.")
    oldest = db.session.scalar(select(func.min(Article.publish_at))) or now
    step = timedelta(days=1) / ARTICLES_PER_DAY
    before = db.session.scalar(select(func.max(Article.id))) or 0
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = [
            generated_article(number, working_hours(oldest - step * (number + 1), rng),
                              rng.choice(categories), words, rng, marker["admin"])
            for number in range(first, min(count, first + BATCH))
        ]  # fmt: skip
        db.session.execute(insert(Article.__table__), rows)
        done = first + len(rows)
        elapsed = time.perf_counter() - started
        progress(f"Đã thêm {thousands(done)}/{thousands(count)} tin bài ({elapsed:.0f} giây).")
    return list(db.session.scalars(select(Article.id).where(Article.id > before)))


def thousands(number: int) -> str:
    """Write 100000 as Vietnamese readers do: 100.000."""
    return f"{number:,}".replace(",", ".")


def working_hours(moment: datetime, rng: random.Random) -> datetime:
    """Keep the day of a generated time but publish it in office hours, as communes do."""
    local = moment.astimezone(VN_TZ)
    return local.replace(hour=rng.randint(7, 16), minute=rng.randint(0, 59)).astimezone(UTC)


# --- Back to a clean site: `flask remove-demo` -----------------------------------------------


@dataclass
class Removal:
    """What `remove_demo` removed, and what it kept and why."""

    removed: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def demo_summary() -> dict[str, int] | None:
    """Count the demo rows still present, by kind (None when no demo was seeded)."""
    marker = starter.demo_marker()
    if marker is None:
        return None
    counts = {}
    for name, model in CONTENT.items():
        # A demo seeded before a kind of content existed has no list for it.
        ids = expand(marker["ids"].get(name, []))
        counts[name] = count_present(model, ids)
    for name, (model, _columns) in EDITABLE.items():
        counts[name] = count_present(model, [int(key) for key in marker["fingerprints"][name]])
    return counts


def count_present(model, ids: list[int]) -> int:
    """Count the rows of `model` among `ids` that still exist."""
    total = 0
    for chunk in chunks(ids):
        total += db.session.scalar(select(func.count()).where(model.id.in_(chunk)))
    return total


def chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    """Split id lists so that IN (...) stays within every database's parameter limit."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def delete_ids(model, ids: list[int]) -> int:
    """Delete rows by id in one statement per chunk (cascades are the database's)."""
    removed = 0
    for chunk in chunks(ids):
        removed += db.session.execute(delete(model).where(model.id.in_(chunk))).rowcount
    return removed


def remove_demo(keep_categories: bool = False) -> Removal:
    """Remove every row the demo added; keep structure the operator changed or uses."""
    marker = starter.demo_marker()
    if marker is None:
        raise DemoError("Không có dữ liệu mẫu để xóa (trang không được tạo bằng seed-demo).")
    report = Removal()
    ids = {name: expand(runs) for name, runs in marker["ids"].items()}
    report.removed["article"] = delete_ids(Article, ids["article"])
    report.removed["document"] = delete_ids(Document, ids["document"])
    report.removed["question"] = delete_ids(Question, ids.get("question", []))
    report.removed["schedule_week"] = delete_ids(ScheduleWeek, ids.get("schedule_week", []))
    report.removed["poll"] = delete_ids(Poll, ids.get("poll", []))
    remove_media(ids["media"], report)
    remove_edited(marker, "official", report)
    remove_edited(marker, "page", report)
    if keep_categories:
        report.kept.append("Giữ lại các chuyên mục (--keep-categories).")
    else:
        remove_categories(marker, report)
    remove_accounts(marker, ids["user"], report)
    remove_settings(marker, report)
    db.session.delete(db.session.get(Setting, MARKER))
    db.session.flush()
    search.rebuild(db.session.connection())
    db.session.commit()
    store.delete_files(report.files)
    return report


def media_in_use(media: Media) -> bool:
    """Tell whether content the demo did not add still shows or offers this media."""
    uses = (
        usage.articles_using(media.id),
        usage.pages_using(media.id),
        select(Attachment.id).where(Attachment.media_id == media.id),
    )
    return any(db.session.scalar(statement.limit(1)) is not None for statement in uses)


def remove_media(ids: list[int], report: Removal) -> None:
    """Delete the demo's pictures and files unless real content uses them; list their files."""
    db.session.flush()
    removed = 0
    for chunk in chunks(ids):
        for media in db.session.scalars(select(Media).where(Media.id.in_(chunk))):
            if media_in_use(media):
                report.kept.append(f"Giữ tệp “{media.original_name}”: nội dung thật đang dùng.")
                continue
            report.files += store.stored_files(media)
            db.session.delete(media)
            removed += 1
    report.removed["media"] = removed


def remove_edited(marker: dict, name: str, report: Removal) -> int:
    """Delete the demo's rows of one kind unless the operator edited them since."""
    model, columns = EDITABLE[name]
    removed = 0
    for key, seeded in marker["fingerprints"][name].items():
        row = db.session.get(model, int(key))
        if row is None:
            continue
        if fingerprint(row, columns) != seeded:
            label = getattr(row, "title", None) if name == "page" else row.name
            report.kept.append(f"Giữ {LABELS[name]} “{label}”: đã được sửa sau khi tạo mẫu.")
            continue
        db.session.delete(row)
        removed += 1
    report.removed[name] = removed
    return removed


def remove_categories(marker: dict, report: Removal) -> None:
    """Delete unchanged demo categories that no remaining article or subcategory uses."""
    db.session.flush()
    for key in list(marker["fingerprints"]["category"]):
        category = db.session.get(Category, int(key))
        if category is None:
            continue
        articles = select(Article.id).where(Article.category_id == category.id).limit(1)
        children = select(Category.id).where(Category.parent_id == category.id).limit(1)
        if db.session.scalar(articles) or db.session.scalar(children):
            report.kept.append(f"Giữ chuyên mục “{category.name}”: còn tin bài hoặc mục con.")
            del marker["fingerprints"]["category"][key]
    remove_edited(marker, "category", report)


def remove_accounts(marker: dict, ids: list[int], report: Removal) -> None:
    """Delete the demo's accounts (never its admin) unless people used them since."""
    db.session.flush()
    removed = 0
    seeded = marker.get("accounts", {})  # demos made before this was kept have none
    for chunk in chunks([number for number in ids if number != marker["admin"]]):
        for user in db.session.scalars(select(User).where(User.id.in_(chunk))):
            uses = account_uses(user, seeded.get(str(user.id)))
            if uses:
                report.kept.append(f"Giữ tài khoản mẫu “{user.username}” ({user.name}): đã "
                                   f"được dùng ({', '.join(uses)}).")  # fmt: skip
                continue
            db.session.delete(user)
            removed += 1
    report.removed["user"] = removed


# Rows that name an account as the one who did something. Once the demo's own articles and
# documents are gone, any of these left means a person worked with the account.
TRACES = (Revision.created_by, Document.created_by, Media.uploaded_by, AuditLog.user_id)


def account_uses(user: User, seeded: str | None) -> list[str]:
    """Say how people used a demo account since the demo was made (empty: never)."""
    uses = []
    if user.last_login_at is not None:
        uses.append("đã có người đăng nhập")
    if seeded is not None and fingerprint(user, ACCOUNT_COLUMNS) != seeded:
        uses.append("mật khẩu hoặc thông tin đã đổi")
    written = db.session.scalar(
        select(func.count(Article.id))
        .where(or_(Article.created_by == user.id, Article.updated_by == user.id))
    )  # fmt: skip
    if written:
        uses.append(f"viết hoặc sửa {written} tin bài")
    elif any(db.session.scalar(select(column).where(column == user.id).limit(1)) is not None
             for column in TRACES):  # fmt: skip
        uses.append("có việc đã làm trong nhật ký")
    return uses


def remove_settings(marker: dict, report: Removal) -> None:
    """Give each setting the demo set its value from before the demo, unless the operator
    changed it since."""
    before = marker.get("settings_before", {})
    removed = 0
    for key, value in marker["settings"].items():
        row = db.session.get(Setting, key)
        if row is None:
            continue
        if row.value != value:
            report.kept.append(f"Giữ cài đặt “{key}”: đã được sửa.")
            continue
        if before.get(key) is None:
            db.session.delete(row)
        else:
            row.value = before[key]
        removed += 1
    report.removed["setting"] = removed


LABELS = {
    "article": "tin bài",
    "document": "văn bản",
    "question": "câu hỏi",
    "schedule_week": "tuần lịch công tác",
    "poll": "cuộc thăm dò",
    "media": "ảnh và tệp",
    "user": "tài khoản mẫu",
    "category": "chuyên mục",
    "page": "trang",
    "official": "cán bộ",
    "setting": "cài đặt",
}
