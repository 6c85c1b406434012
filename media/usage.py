"""Which articles and pages show an image, kept in the small `MediaUse` table.

Every save of an article or a page rewrites its rows (ORM listeners, installed by
`init_app`), so the two questions asked often are indexed lookups instead of a `LIKE` over
every body: "may a reader fetch this image now?" (`shown_publicly`, asked by every image
request) and "where is this image used?" (`articles_using`, `pages_using`, for the library).
"""

import re

from sqlalchemy import Connection, delete, event, insert, or_, select

from extensions import data_imported
from models import Article, Media, MediaUse, Page, db

# A rendition of ours in a stored body: <img src>, or a link to the picture itself.
MEDIA_REF = re.compile(r"/media/(\d+)-\d+\.(?:webp|jpg)")
# Ids past a 32-bit integer are typed junk; PostgreSQL's INTEGER would refuse them.
LARGEST_ID = 2**31 - 1
OWNERS = {Article: "article_id", Page: "page_id"}


def referenced_ids(body: str | None, lead_id: int | None = None) -> set[int]:
    """Return the ids of our images a body shows, with the lead image's."""
    ids = {int(found) for found in MEDIA_REF.findall(body or "")}
    if lead_id:
        ids.add(lead_id)
    return {media_id for media_id in ids if media_id <= LARGEST_ID}


def write_uses(connection: Connection, column: str, owner_id: int, ids: set[int]) -> None:
    """Replace an owner's rows with one per image of ours it shows (unknown ids skipped)."""
    connection.execute(delete(MediaUse).where(getattr(MediaUse, column) == owner_id))
    if not ids:
        return
    known = connection.scalars(select(Media.id).where(Media.id.in_(ids))).all()
    if known:
        rows = [{"media_id": media_id, column: owner_id} for media_id in sorted(known)]
        connection.execute(insert(MediaUse), rows)


def owner_saved(_mapper, connection: Connection, target) -> None:
    lead_id = getattr(target, "image_id", None)
    write_uses(connection, OWNERS[type(target)], target.id, referenced_ids(target.body, lead_id))


def owner_deleted(_mapper, connection: Connection, target) -> None:
    # The foreign keys cascade too; this keeps a database without enforced ones right.
    write_uses(connection, OWNERS[type(target)], target.id, set())


def derived_uses(connection: Connection) -> set[tuple[int, int | None, int | None]]:
    """Return (media_id, article_id, page_id) for every image the stored content shows."""
    known = set(connection.scalars(select(Media.id)))
    found = set()
    articles = connection.execute(select(Article.id, Article.body, Article.image_id))
    for owner_id, body, lead_id in articles:
        found |= {(media_id, owner_id, None) for media_id in referenced_ids(body, lead_id)}
    for owner_id, body in connection.execute(select(Page.id, Page.body)):
        found |= {(media_id, None, owner_id) for media_id in referenced_ids(body)}
    return {use for use in found if use[0] in known}


def rebuild(connection: Connection) -> int:
    """Bring every row in line with the stored articles and pages; return how many there are.

    Rows already right are kept as they are (ids too), so a faithful import changes nothing.
    """
    wanted = derived_uses(connection)
    columns = (MediaUse.id, MediaUse.media_id, MediaUse.article_id, MediaUse.page_id)
    stale = []
    for row in connection.execute(select(*columns)):
        use = (row.media_id, row.article_id, row.page_id)
        if use in wanted:
            wanted.discard(use)  # already there; a second copy would be stale
        else:
            stale.append(row.id)
    if stale:
        connection.execute(delete(MediaUse).where(MediaUse.id.in_(stale)))
    if wanted:
        rows = [dict(zip(("media_id", "article_id", "page_id"), use, strict=True))
                for use in sorted(wanted, key=str)]  # fmt: skip
        connection.execute(insert(MediaUse), rows)
    return connection.scalar(select(db.func.count()).select_from(MediaUse))


def after_import(_app, **_extra) -> None:
    """An import writes rows past the ORM events: derive the uses again from what it wrote."""
    rebuild(db.session.connection())
    db.session.commit()


def shown_publicly(media_id: int) -> bool:
    """Tell whether a page or an article readers may see right now shows this image."""
    statement = (
        select(MediaUse.id)
        .outerjoin(Article, Article.id == MediaUse.article_id)
        .where(
            MediaUse.media_id == media_id,
            or_(MediaUse.page_id.is_not(None), Article.visibility()),
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


LISTENERS = (
    ("after_insert", owner_saved),
    ("after_update", owner_saved),
    ("after_delete", owner_deleted),
)


def init_app(_app) -> None:
    """Keep the uses in step with every write of an article or a page, whoever makes it."""
    for model in OWNERS:
        for name, function in LISTENERS:
            if not event.contains(model, name, function):
                event.listen(model, name, function)
    data_imported.connect(after_import)
