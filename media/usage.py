"""Which articles, pages and settings show an image, kept in the small `MediaUse` table.

Every save of an article, a page or a setting rewrites its rows (ORM listeners, installed by
`init_app`), so the two questions asked often are indexed lookups instead of a `LIKE` over
every body: "may a reader fetch this image now?" (`shown_publicly`, asked by every image
request) and "where is this image used?" (`articles_using`, `pages_using`, `settings_using`,
for the library, which refuses to delete an image in use).

The settings' images (emblem, banner, default share picture) are on every page, so they are
public uses like a page's: without that the banner was a broken image for every reader.
An article's list picture (`list_image_id`: the lead image, else the body's first picture) is
chosen by the same saves, so lists read one column instead of parsing bodies.
"""

import re

from sqlalchemy import Connection, delete, event, insert, or_, select

from extensions import data_imported
from models import IMAGE_SETTINGS, MAX_ID, Article, Media, MediaUse, Page, Setting, db, id_or_none

# A rendition of ours in a stored body: <img src>, or a link to the picture itself.
MEDIA_REF = re.compile(r"/media/(\d+)-\d+\.(?:webp|jpg)")
# Ids past a 32-bit integer are typed junk; PostgreSQL's INTEGER would refuse them.
LARGEST_ID = MAX_ID
OWNERS = {Article: "article_id", Page: "page_id", Setting: "setting_key"}
USE_COLUMNS = ("media_id", "article_id", "page_id", "setting_key")


def referenced_ids(body: str | None, lead_id: int | None = None) -> set[int]:
    """Return the ids of our images a body shows, with the lead image's."""
    ids = {int(found) for found in MEDIA_REF.findall(body or "")}
    if lead_id:
        ids.add(lead_id)
    return {media_id for media_id in ids if media_id <= LARGEST_ID}


def setting_ids(key: str, value: str | None) -> set[int]:
    """Return the id of the image a setting names, if it is an image setting naming one."""
    media_id = id_or_none(value or "") if key in IMAGE_SETTINGS else None
    return {media_id} if media_id else set()


def owned_ids(target) -> set[int]:
    """Return the ids of our images an article, a page or a setting shows."""
    if isinstance(target, Setting):
        return setting_ids(target.key, target.value)
    return referenced_ids(target.body, getattr(target, "image_id", None))


def owner_key(target) -> int | str:
    return target.key if isinstance(target, Setting) else target.id


def write_uses(connection: Connection, column: str, owner_id, ids: set[int]) -> None:
    """Replace an owner's rows with one per image of ours it shows (unknown ids skipped)."""
    connection.execute(delete(MediaUse).where(getattr(MediaUse, column) == owner_id))
    if not ids:
        return
    known = connection.scalars(select(Media.id).where(Media.id.in_(ids))).all()
    if known:
        rows = [{"media_id": media_id, column: owner_id} for media_id in sorted(known)]
        connection.execute(insert(MediaUse), rows)


def list_image_id(connection: Connection, article: Article) -> int | None:
    """Return the picture lists show for an article: its lead image, else the first of our
    images its body shows, or None when the editor chose none or there is none."""
    if article.hide_list_image:
        return None
    if article.image_id:
        return article.image_id
    ordered = [int(found) for found in MEDIA_REF.findall(article.body or "")]
    ordered = [media_id for media_id in ordered if media_id <= LARGEST_ID]
    if not ordered:
        return None
    images = set(connection.scalars(
        select(Media.id).where(Media.id.in_(ordered), Media.kind == "image")
    ))  # fmt: skip
    return next((media_id for media_id in ordered if media_id in images), None)


def choose_list_image(_mapper, connection: Connection, article: Article) -> None:
    article.list_image_id = list_image_id(connection, article)


def owner_saved(_mapper, connection: Connection, target) -> None:
    if isinstance(target, Setting) and target.key not in IMAGE_SETTINGS:
        return  # a name, a phone number, the menu: never an image
    write_uses(connection, OWNERS[type(target)], owner_key(target), owned_ids(target))


def owner_deleted(_mapper, connection: Connection, target) -> None:
    # The foreign keys cascade too; this keeps a database without enforced ones right.
    write_uses(connection, OWNERS[type(target)], owner_key(target), set())


def derived_uses(connection: Connection) -> set[tuple]:
    """Return (media_id, article_id, page_id, setting_key) for every image the stored
    content and settings show."""
    known = set(connection.scalars(select(Media.id)))
    found = set()
    articles = connection.execute(select(Article.id, Article.body, Article.image_id))
    for owner_id, body, lead_id in articles:
        found |= {(media_id, owner_id, None, None) for media_id in referenced_ids(body, lead_id)}
    for owner_id, body in connection.execute(select(Page.id, Page.body)):
        found |= {(media_id, None, owner_id, None) for media_id in referenced_ids(body)}
    for key, value in connection.execute(select(Setting.key, Setting.value)):
        found |= {(media_id, None, None, key) for media_id in setting_ids(key, value)}
    return {use for use in found if use[0] in known}


def rebuild(connection: Connection) -> int:
    """Bring every row in line with the stored articles and pages; return how many there are.

    Rows already right are kept as they are (ids too), so a faithful import changes nothing.
    """
    wanted = derived_uses(connection)
    columns = [MediaUse.id, *(getattr(MediaUse, name) for name in USE_COLUMNS)]
    stale = []
    for row in connection.execute(select(*columns)):
        use = tuple(getattr(row, name) for name in USE_COLUMNS)
        if use in wanted:
            wanted.discard(use)  # already there; a second copy would be stale
        else:
            stale.append(row.id)
    if stale:
        connection.execute(delete(MediaUse).where(MediaUse.id.in_(stale)))
    if wanted:
        rows = [dict(zip(USE_COLUMNS, use, strict=True))
                for use in sorted(wanted, key=str)]  # fmt: skip
        connection.execute(insert(MediaUse), rows)
    return connection.scalar(select(db.func.count()).select_from(MediaUse))


def after_import(_app, **_extra) -> None:
    """An import writes rows past the ORM events: derive the uses again from what it wrote."""
    rebuild(db.session.connection())
    db.session.commit()


def shown_publicly(media_id: int) -> bool:
    """Tell whether the settings, a page or an article readers may see right now show this
    image."""
    statement = (
        select(MediaUse.id)
        .outerjoin(Article, Article.id == MediaUse.article_id)
        .where(
            MediaUse.media_id == media_id,
            or_(
                MediaUse.page_id.is_not(None),
                MediaUse.setting_key.is_not(None),
                Article.visibility(),
            ),
        )
        .limit(1)
    )
    return db.session.scalar(statement) is not None


def articles_using(media_id: int):
    """Return the select of the articles that show this image, newest first."""
    return (
        select(Article)
        .join(MediaUse, MediaUse.article_id == Article.id)
        .where(MediaUse.media_id == media_id)
        .order_by(Article.id.desc())
    )


def pages_using(media_id: int):
    """Return the select of the pages that show this image."""
    return (
        select(Page)
        .join(MediaUse, MediaUse.page_id == Page.id)
        .where(MediaUse.media_id == media_id)
        .order_by(Page.id)
    )


def settings_using(media_id: int) -> list[str]:
    """Return the keys of the settings that name this image (the emblem, the banner...)."""
    statement = select(MediaUse.setting_key).where(
        MediaUse.media_id == media_id, MediaUse.setting_key.is_not(None)
    )
    return sorted(db.session.scalars(statement), key=IMAGE_SETTINGS.index)


LISTENERS = (
    ("after_insert", owner_saved),
    ("after_update", owner_saved),
    ("after_delete", owner_deleted),
)


def init_app(_app) -> None:
    """Keep the uses in step with every write of an article, a page or a setting, whoever
    makes it."""
    for model in OWNERS:
        for name, function in LISTENERS:
            if not event.contains(model, name, function):
                event.listen(model, name, function)
    for name in ("before_insert", "before_update"):
        if not event.contains(Article, name, choose_list_image):
            event.listen(Article, name, choose_list_image)
    data_imported.connect(after_import)
