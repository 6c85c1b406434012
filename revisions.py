"""Revisions of articles: a snapshot at every save, a readable diff, and restore as a new save."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher

import models
import sanitize
from models import STATUS_LABELS, TITLE_MAX, Article, Category, Media, Revision, User, db
from vietnamese import date_time

# Every field a snapshot keeps, with the label editors know it by.
FIELDS = {
    "title": "Tiêu đề",
    "slug": "Đường dẫn",
    "summary": "Tóm tắt",
    "body": "Nội dung",
    "category_id": "Chuyên mục",
    "author": "Tác giả",
    "source": "Nguồn tin",
    "image_id": "Ảnh đại diện",
    "image_caption": "Chú thích ảnh",
    "image_alt": "Mô tả ảnh",
    "status": "Trạng thái",
    "publish_at": "Thời điểm đăng",
    "expire_at": "Hết hạn lúc",
    "featured": "Tin nổi bật",
}
# What "Khôi phục" brings back: the content. Whether and when it is published stays a
# decision of its own (an author restoring an old text must not republish it).
CONTENT_FIELDS = (
    "title", "slug", "summary", "body", "category_id", "author", "source",
    "image_id", "image_caption", "image_alt",
)  # fmt: skip
TEXT_FIELDS = {"title", "slug", "summary", "body", "author", "source", "image_caption", "image_alt"}
TIMES = ("publish_at", "expire_at")
# Unchanged stretches longer than this are folded into "… N đoạn không đổi …".
CONTEXT = 1


def snapshot(source: Article | dict) -> dict:
    """Return the editable fields of an article (or of a dict of form values) as JSON data."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    data = {name: get(name) for name in FIELDS}
    for name in TIMES:
        data[name] = data[name].isoformat() if data[name] else None
    return data


def record(article: Article, note: str, user: User | None) -> Revision:
    """Keep a snapshot of the article as it is about to be saved (the caller commits)."""
    revision = Revision(
        article=article,
        data=snapshot(article),
        note=note[:TITLE_MAX],
        created_by=user.id if user else None,
        created_at=models.utcnow(),
    )
    db.session.add(revision)
    return revision


def restore(article: Article, revision: Revision, user: User) -> Revision:
    """Bring back a revision's content as a new save; publication settings stay as they are."""
    for name in CONTENT_FIELDS:
        value = revision.data.get(name)
        if name == "category_id" and db.session.get(Category, value or 0) is None:
            continue  # the category is gone: keep the current one
        if name == "image_id" and value is not None and db.session.get(Media, value) is None:
            value = None
        setattr(article, name, value if value is not None or name == "image_id" else "")
    article.body = sanitize.clean_html(article.body)
    article.body_text = sanitize.html_to_text(article.body)
    article.updated_by = user.id
    when = date_time(revision.created_at)
    return record(article, f"Khôi phục bản lưu lúc {when}", user)


# --- Readable differences -----------------------------------------------------------------


@dataclass
class Block:
    """One paragraph-level piece of a text diff: same, folded, or changed word by word."""

    kind: str  # "same", "folded" or "changed"
    text: str = ""
    count: int = 0
    parts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Change:
    name: str
    label: str
    old: str
    new: str
    blocks: list[Block] = field(default_factory=list)


# Words with the spaces after them, so that a change reads as whole words, not word-space-word.
WORDS = re.compile(r"^\s+|\S+\s*")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return [(op, text)] with op "equal", "delete" or "insert", comparing word by word
    (a word followed by a space and the same word at the end of a line are the same word)."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    matcher = SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(b[j1:j2])))
            continue
        if i1 < i2:
            parts.append(("delete", "".join(a[i1:i2])))
        if j1 < j2:
            parts.append(("insert", "".join(b[j1:j2])))
    return parts


def text_diff(old: str, new: str) -> list[Block]:
    """Compare paragraph by paragraph, then word by word inside the changed paragraphs."""
    a, b = old.splitlines(), new.splitlines()
    blocks = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            blocks.extend(fold(a[i1:i2]))
        else:
            parts = word_diff("\n".join(a[i1:i2]), "\n".join(b[j1:j2]))
            blocks.append(Block("changed", parts=parts))
    return blocks


def fold(same: list[str]) -> list[Block]:
    """Show a little unchanged context around changes and fold the rest."""
    if len(same) <= 2 * CONTEXT + 1:
        return [Block("same", text=line) for line in same]
    return [
        *(Block("same", text=line) for line in same[:CONTEXT]),
        Block("folded", count=len(same) - 2 * CONTEXT),
        *(Block("same", text=line) for line in same[-CONTEXT:]),
    ]


def readable(name: str, value) -> str:
    """Say a stored value the way the form shows it."""
    if value in (None, ""):
        return "(trống)"
    if name == "body":
        return sanitize.html_to_text(value)
    if name == "category_id":
        category = db.session.get(Category, value)
        return category.name if category else f"(chuyên mục số {value} đã xóa)"
    if name == "image_id":
        return f"Ảnh số {value}"
    if name == "status":
        return STATUS_LABELS.get(value, value)
    if name in TIMES:
        return date_time(datetime.fromisoformat(value))
    if name == "featured":
        return "Có" if value else "Không"
    return str(value)


def changes(old: dict, new: dict) -> list[Change]:
    """List what differs between two snapshots, field by field, in the form's order."""
    found = []
    for name, label in FIELDS.items():
        if old.get(name) == new.get(name):
            continue
        before, after = readable(name, old.get(name)), readable(name, new.get(name))
        if name in TIMES and before == after:
            continue  # the same minute, as the form shows it: seconds are not a change
        change = Change(name, label, before, after)
        if name in TEXT_FIELDS:
            change.blocks = text_diff(before, after)
            if before == after:  # the body's markup changed, its words did not
                change.blocks = [Block("same", text="Chỉ thay đổi định dạng, chữ giữ nguyên.")]
        found.append(change)
    return found
