"""What a new site begins with: the usual categories of a commune portal, so that the first
article can be filed at once (`flask upgrade-db` on a new database, `flask site add`), and
the first-day checklist on its admins' dashboard.

They are ordinary categories, renamed or removed in the desk like any other. The
`starter_categories` setting lists their ids, so that the demo (`flask seed-demo`) can put
its own menu in place of those nobody touched, and a second run adds nothing.
"""

import json

from sqlalchemy import delete, func, select

from models import Article, Category, Setting, db

MARKER = "starter_categories"
# What the demo added (`flask seed-demo`, ops/seed.py): read here too, so that the first-day
# checklist tells the demo's settings from a site's own without importing the demo's code.
DEMO_MARKER = "demo_seeded"
# Present while a new site's admins see the first-day checklist (admin/firstday.py): "open"
# until dismissed. A site made before the checklist existed has none, and sees none.
FIRST_DAY = "first_day"

# Name, slug, description: the menu most communes' portals open with.
CATEGORIES = (
    ("Tin tức – Sự kiện", "tin-tuc-su-kien", "Tin hoạt động và sự kiện trên địa bàn xã."),
    ("Chính quyền", "chinh-quyen",
     "Hoạt động của Đảng ủy, HĐND, UBND, Ủy ban MTTQ và các đoàn thể xã."),
    ("Kinh tế", "kinh-te", "Nông nghiệp, sản xuất, kinh doanh và việc làm."),
    ("Văn hóa – Xã hội", "van-hoa-xa-hoi", "Văn hóa, giáo dục, y tế, thể thao và an sinh xã hội."),
    ("Quốc phòng – An ninh", "quoc-phong-an-ninh", "Quân sự, công an xã và trật tự an toàn."),
    ("Cải cách hành chính", "cai-cach-hanh-chinh",
     "Thủ tục hành chính và dịch vụ công trực tuyến."),
    ("Thông báo", "thong-bao", "Thông báo, kế hoạch và lịch tiếp công dân của UBND xã."),
)  # fmt: skip


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def begin_site() -> int:
    """Give a site without categories or articles the starter menu; return how many were
    added (none on a site that has content or had its menu before)."""
    if count(Category) or count(Article) or db.session.get(Setting, MARKER):
        return 0
    open_first_day()
    rows = [
        Category(name=name, slug=slug, description=description, position=position)
        for position, (name, slug, description) in enumerate(CATEGORIES)
    ]
    db.session.add_all(rows)
    db.session.flush()
    Setting.put(MARKER, json.dumps([row.id for row in rows]))
    db.session.commit()
    return len(rows)


def untouched() -> list[Category]:
    """The starter categories still as they were made, which no article files under."""
    row = db.session.get(Setting, MARKER)
    if row is None:
        return []
    made = {slug: (name, description) for name, slug, description in CATEGORIES}
    used = select(Article.id).where(Article.category_id == Category.id).exists()
    found = db.session.scalars(
        select(Category).where(Category.id.in_(json.loads(row.value)), ~used)
    )
    return [
        category for category in found
        if category.parent_id is None
        and made.get(category.slug) == (category.name, category.description)
    ]


def only_starters() -> bool:
    """Tell whether every category of the site is an untouched starter one."""
    return count(Category) == len(untouched())


def withdraw() -> None:
    """Remove the untouched starter categories (the demo brings its own menu); the caller
    commits."""
    ids = [category.id for category in untouched()]
    if ids:
        db.session.execute(delete(Category).where(Category.id.in_(ids)))
    db.session.execute(delete(Setting).where(Setting.key == MARKER))


def open_first_day() -> None:
    """Show the first-day checklist to this new site's admins (the caller commits)."""
    if db.session.get(Setting, FIRST_DAY) is None:
        Setting.put(FIRST_DAY, "open")


def first_day_open() -> bool:
    row = db.session.get(Setting, FIRST_DAY)
    return row is not None and row.value == "open"


def close_first_day() -> None:
    """Put the checklist away for good (the caller commits)."""
    Setting.put(FIRST_DAY, "dismissed")


def demo_marker() -> dict | None:
    """Return what the demo added, or None when this site was not made by seed-demo."""
    row = db.session.get(Setting, DEMO_MARKER)
    return json.loads(row.value) if row else None
