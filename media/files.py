"""Files offered for download with articles and documents: names, types, who may fetch
them, and where a media item is used."""

import os
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, send_file, url_for
from sqlalchemy import or_, select, true

from media import inspection, usage
from media.store import storage_path
from models import IMAGE_SETTING_NAMES, Article, Attachment, Document, Media, User, db
from vietnamese import slugify

FILE_KINDS = {
    inspection.PDF: "PDF",
    inspection.DOC: "Word",
    inspection.DOCX: "Word",
    inspection.XLS: "Excel",
    inspection.XLSX: "Excel",
    inspection.PPTX: "PowerPoint",
    inspection.ODT: "ODT",
    inspection.ODS: "ODS",
    inspection.ZIP: "ZIP",
    "image/jpeg": "Ảnh JPEG",
    "image/png": "Ảnh PNG",
    "image/webp": "Ảnh WebP",
}


def file_kind(mime_type: str) -> str:
    """Name a file type the way readers know it: "PDF", "Word", "Excel"."""
    return FILE_KINDS.get(mime_type, "Tệp")


def attachment_is_public(attachment: Attachment) -> bool:
    """An article's files are public only while the article is; documents are public records."""
    if attachment.article_id is not None:
        article = db.session.get(Article, attachment.article_id)
        return article is not None and article.is_visible()
    return True


def may_see(user: User, article: Article) -> bool:
    """Tell whether a desk user may learn of an article: editors all, authors their own
    work and what readers see anyway (the desk's rule, `admin.articles.can_view`, plus
    published articles, whose titles are public)."""
    return user.can_publish or article.created_by == user.id or article.is_visible()


def seen_by(user: User):
    """Return the SQL condition for the articles `may_see` lets this user learn of."""
    if user.can_publish:
        return true()
    return or_(Article.created_by == user.id, Article.visibility())


def may_download(user: User, attachment: Attachment) -> bool:
    """Documents are public records; an article's file follows its article (`may_see`)."""
    if attachment.article_id is None:
        return True
    article = db.session.get(Article, attachment.article_id)
    return article is not None and may_see(user, article)


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the label, with the extension its content has."""
    media = attachment.media
    stem = attachment.title or os.path.splitext(media.original_name)[0] or "tep-dinh-kem"
    extension = inspection.EXTENSIONS.get(media.mime_type) or media.stored_name.rsplit(".", 1)[-1]
    return f"{stem}.{extension}"


def content_disposition(name: str) -> str:
    """Carry a Vietnamese file name by RFC 6266/5987, with an ASCII fallback for old browsers."""
    stem, _, extension = name.rpartition(".")
    fallback = f"{slugify(stem)}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def cache_headers(response, public: bool):
    """Give a stored file the one cache policy of media: readers' browsers reuse it for
    `PUBLIC_MAX_AGE` seconds, then revalidate by ETag (a 304 without a body).

    Never a year or `immutable`: what readers may fetch changes with publication, and an
    unpublished article's files must stop being served within minutes, as its page does.
    Signed-in staff get `private, no-cache`: no shared cache keeps a draft's file, and their
    browser asks again each time (cheaply, by ETag), so a withdrawn file is gone at once.
    """
    control = response.cache_control
    control.no_cache = None
    response.expires = None
    if public:
        control.public, control.private = True, None
        control.max_age = current_app.config["PUBLIC_MAX_AGE"]
    else:
        control.public, control.max_age = False, None
        control.private, control.no_cache = True, True
    return response


def send_stored(path: str, mimetype: str, etag: str | bool, public: bool):
    """Send a stored file conditionally (304 on a matching ETag) under the media cache policy."""
    response = send_file(path, mimetype=mimetype, etag=etag, conditional=True, max_age=0)
    return cache_headers(response, public)


def send_attachment(item: Attachment, public: bool):
    """Send a stored file as a download with its stored type, never to be sniffed or run."""
    response = send_stored(
        storage_path(item.media.stored_name), item.media.mime_type, item.media.sha256, public
    )
    response.headers["Content-Disposition"] = content_disposition(download_name(item))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Where media is used ----------------------------------------------------------------------


@dataclass
class Usage:
    kind: str
    title: str
    url: str | None = None
    article: Article | None = None


HIDDEN_TITLE = "một bài viết chưa đăng của người khác"


def shown_to(user: User, found: list[Usage]) -> list[Usage]:
    """Keep every use (deleting still needs them all) but name only articles the user may see."""
    return [
        use
        if use.article is None or may_see(user, use.article)
        else Usage(use.kind, HIDDEN_TITLE)
        for use in found
    ]


def edit_url(article: Article) -> str:
    return url_for("admin.article_edit", article_id=article.id)


def media_usage(media: Media) -> list[Usage]:
    """List the settings, articles, pages and documents that show or offer this media."""
    articles = db.session.scalars(usage.articles_using(media.id)).all()
    pages = db.session.scalars(usage.pages_using(media.id)).all()
    attached = db.session.scalars(select(Attachment).where(Attachment.media_id == media.id)).all()
    found = [
        Usage("Thông tin trang", IMAGE_SETTING_NAMES[key], url_for("admin.settings"))
        for key in usage.settings_using(media.id)
    ]
    found += [Usage("Bài viết", a.title, edit_url(a), a) for a in articles]
    found += [Usage("Trang", p.title) for p in pages]
    for item in attached:
        if item.article_id is not None:
            owner = db.session.get(Article, item.article_id)
            found.append(Usage("Tệp của bài", owner.title, edit_url(owner), owner))
        else:
            owner = db.session.get(Document, item.document_id)
            found.append(Usage("Tệp của văn bản", f"{owner.number} – {owner.title}"))
    return found
