"""Demo content for a first look: settings, categories, pages, an admin, and two years of
invented news with pictures drawn by Pillow (no binary files live in the repository)."""

import io
import os
import random
import secrets
from datetime import datetime, timedelta
from html import escape

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from media import markup, uploads
from models import (
    Article,
    Attachment,
    Category,
    Document,
    Official,
    Page,
    Setting,
    User,
    db,
    utcnow,
)
from ops import seed_content as content
from sanitize import clean_html, html_to_text
from vietnamese import VN_TZ, slugify

VISIBLE_ARTICLES = 84
DEJAVU_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
IMAGE_COUNT = 12
CAPTIONS = (
    "Ruộng bậc thang thôn {thon} mùa nước đổ",
    "Toàn cảnh một góc xã Hòa Sơn nhìn từ đồi chè",
    "Đường vào thôn {thon} sau khi được bê tông hóa",
    "Núi rừng Hòa Sơn buổi sớm",
    "Cánh đồng thôn {thon} vào vụ mới",
)


def database_is_empty() -> bool:
    """Tell whether nothing has been created yet (no user, no category, no article)."""
    return all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in (User, Category, Article)
    )


def seed_demo(now: datetime | None = None) -> str | None:
    """Fill an empty database with demo content; return the admin's one-time password."""
    if not database_is_empty():
        return None
    now = now or utcnow()
    rng = random.Random(2015)
    for key, value in content.SETTINGS.items():
        Setting.put(key, value)
    categories = seed_categories()
    seed_pages()
    admin, password = seed_admin()
    images = [uploads.store_image(landscape(i), f"anh-minh-hoa-{i + 1}.jpg", admin.id)
              for i in range(IMAGE_COUNT)]  # fmt: skip
    seed_articles(categories, images, admin, now, rng)
    seed_documents(admin, now)
    seed_officials()
    db.session.commit()
    return password


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


def seed_admin() -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    admin = User(username="admin", display_name="Quản trị viên", role="admin")
    admin.set_password(password)
    db.session.add(admin)
    db.session.flush()
    return admin, password


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


def publication_times(now: datetime, count: int, rng: random.Random) -> list[datetime]:
    """Spread `count` times over the two years before `now`, in office hours, newest first."""
    step = timedelta(days=730) / count
    times = []
    for index in range(count):
        day = (now - step * index - timedelta(days=rng.random())).astimezone(VN_TZ)
        local = day.replace(
            hour=rng.randint(7, 16), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0
        )
        times.append(min(local, now.astimezone(VN_TZ) - timedelta(minutes=5)))
    return times


def article_from_story(story, values, category, admin, rng) -> Article:
    _slug, title, summary, parts = story
    title = title.format(**values)
    body = clean_html(story_html(parts, values))
    return Article(
        title=title,
        slug=slugify(title),
        summary=summary.format(**values),
        body=body,
        body_text=html_to_text(body),
        category=category,
        author=rng.choice(content.AUTHORS),
        source=rng.choice(content.SOURCES),
        created_by=admin.id,
        updated_by=admin.id,
    )


def story_values(rng: random.Random, when: datetime) -> dict:
    return {
        "thon": rng.choice(content.HAMLETS),
        "nam": when.astimezone(VN_TZ).year,
        "so": rng.randint(3, 60),
    }


def seed_articles(categories, images, admin, now, rng) -> None:
    """Add the visible demo articles, then a few that readers must not see."""
    times = publication_times(now, VISIBLE_ARTICLES, rng)
    titles: set[str] = set()
    index = 0
    while len(titles) < VISIBLE_ARTICLES:
        story = content.STORIES[index % len(content.STORIES)]
        index += 1
        when = times[len(titles)]
        values = story_values(rng, when)
        article = article_from_story(story, values, categories[story[0]], admin, rng)
        if article.title in titles:
            continue
        titles.add(article.title)
        article.status, article.publish_at = "published", when
        article.created_at = article.updated_at = when
        article.featured = len(titles) in (1, 3, 6, 10)
        illustrate(article, images, values, rng)
        db.session.add(article)
    seed_hidden_articles(categories, admin, now, rng)


def illustrate(article: Article, images, values, rng) -> None:
    """Give about half the articles a lead image, and some an image inside the body."""
    if rng.random() < 0.55:
        article.image = rng.choice(images)
        article.image_caption = rng.choice(CAPTIONS).format(**values)
        article.image_alt = article.image_caption
    if rng.random() < 0.2:
        figure = markup.figure_html(rng.choice(images), rng.choice(CAPTIONS).format(**values))
        paragraphs = article.body.split("\n", 1)
        article.body = clean_html("\n".join([paragraphs[0], figure, *paragraphs[1:]]))
        article.body_text = html_to_text(article.body)  # the caption is searchable text too


def seed_hidden_articles(categories, admin, now, rng) -> None:
    """Add a draft, one awaiting review, two scheduled and one expired, for the editor desk."""
    hidden = [
        ("draft", None, None),
        ("pending", None, None),
        ("published", now + timedelta(days=1), None),
        ("published", now + timedelta(days=3), None),
        ("published", now - timedelta(days=40), now - timedelta(days=10)),
    ]
    for number, (status, publish_at, expire_at) in enumerate(hidden):
        story = content.STORIES[(number * 7 + 3) % len(content.STORIES)]
        values = story_values(rng, now)
        article = article_from_story(story, values, categories[story[0]], admin, rng)
        article.title = f"{article.title} (bản chưa công khai {number + 1})"
        article.slug = slugify(article.title)
        article.status, article.publish_at, article.expire_at = status, publish_at, expire_at
        db.session.add(article)


def landscape(seed: int, size: tuple[int, int] = (1600, 900)) -> bytes:
    """Draw a mountain landscape (sky, ridges, terraces, sun) as a JPEG."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top, bottom = (rng.randint(90, 150), rng.randint(150, 200), 235), (235, 226, 200)
    for y in range(height):
        mix = y / height
        colour = tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    sun = (rng.randint(200, width - 200), rng.randint(80, 220))
    draw.ellipse([sun[0] - 60, sun[1] - 60, sun[0] + 60, sun[1] + 60], fill=(255, 236, 170))
    for layer in range(4):
        base = int(height * (0.35 + layer * 0.13))
        shade = (40 + layer * 25, 90 + layer * 22, 60 + layer * 10)
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.randint(0, 160 - layer * 30)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    for row in range(8):
        y = int(height * 0.72) + row * 30
        draw.arc([-200, y - 40, width + 200, y + 80], 190, 350, fill=(120, 170, 70), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def seed_documents(admin: User, now: datetime) -> None:
    """Add the registry's documents, dated back from today, some in force and some not."""
    today = now.astimezone(VN_TZ).date()
    for number, doc_type, title, issuer, signer, field, age, delay, lifetime in content.DOCUMENTS:
        issued = today - timedelta(days=age)
        years = {"nam": issued.year, "nam2": issued.year + 1}
        document = Document(
            number=number.format(**years),
            title=title.format(**years),
            doc_type=doc_type,
            issuer=issuer,
            signer=signer,
            field=field,
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
    """Draw a one-page A4 PDF at 100 dpi: header, number, abstract, and a sample notice."""
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    lines = [
        ("ỦY BAN NHÂN DÂN XÃ HÒA SƠN", 22), (f"Số: {document.number}", 20), ("", 20),
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
