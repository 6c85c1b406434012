"""The media library: find an image, reuse it in an article, delete what nobody uses."""

from flask import (
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import exists, or_, select

from admin.blueprint import answers_json, bp, json_error
from forms import ConfirmForm, MediaUploadForm
from media import files, markup, renditions, store, uploads
from models import TITLE_MAX, Article, Media, User, db
from web.limits import takes_files
from web.pagination import page_number

PER_PAGE = 24
KINDS = {"anh": "image", "tep": "file"}


def library_query(query: str, kind: str):
    """Select media newest first, matching a file name or the title or caption of an article."""
    statement = select(Media).order_by(Media.id.desc())
    if kind in KINDS:
        statement = statement.where(Media.kind == KINDS[kind])
    if query:
        pattern = f"%{query}%"
        # Only articles this user may learn of: a search must not reveal others' draft titles.
        used_by_match = exists().where(
            Article.image_id == Media.id,
            files.seen_by(current_user),
            or_(Article.title.ilike(pattern), Article.image_caption.ilike(pattern)),
        )
        statement = statement.where(or_(Media.original_name.ilike(pattern), used_by_match))
    return statement


def can_delete(item: Media) -> bool:
    """Editors and admins delete any media; authors only what they uploaded."""
    return current_user.can_publish or item.uploaded_by == current_user.id


@bp.get("/media")
def media_library():
    """List uploaded images and files, searchable, a page at a time."""
    query = request.args.get("q", "").strip()[:100]
    kind = request.args.get("loai", "")
    pagination = db.paginate(
        library_query(query, kind),
        page=page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "admin/media_library.html",
        pagination=pagination,
        query=query,
        kind=kind,
        form=MediaUploadForm(),
    )


@bp.post("/media")
@takes_files
def media_upload_form():
    """Store images chosen in the library's own form (no JavaScript needed)."""
    form = MediaUploadForm()
    if not form.validate_on_submit():
        for error in form.files.errors:
            flash(error, "error")
        return redirect(url_for("admin.media_library"))
    stored = []
    for upload in form.files.data:
        try:
            stored.append(uploads.store_image(upload.read(), upload.filename, current_user.id))
        except uploads.ImageRejected as err:
            flash(f"{store.safe_name(upload.filename)}: {err}", "error")
    db.session.commit()
    if stored:
        flash(f"Đã tải lên {len(stored)} ảnh.", "success")
    if len(stored) == 1:
        return redirect(url_for("admin.media_detail", media_id=stored[0].id))
    return redirect(url_for("admin.media_library"))


@bp.get("/media/<int:media_id>")
def media_detail(media_id: int):
    """Show one image or file: its sizes, where it is used, the code to reuse it."""
    item = db.get_or_404(Media, media_id)
    sizes = []
    if item.is_image:
        sizes = [
            (real, fmt, renditions.rendition_bytes(item, asked, fmt))
            for asked, real in renditions.srcset_widths(item, renditions.RENDITION_WIDTHS)
            for fmt in renditions.FORMATS
        ]
    return render_template(
        "admin/media_detail.html",
        item=item,
        uploader=db.session.get(User, item.uploaded_by) if item.uploaded_by else None,
        usage=files.shown_to(current_user, files.media_usage(item)),
        renditions=sizes,
        snippet=markup.figure_html(item, "") if item.is_image else "",
        can_delete=can_delete(item),
        form=ConfirmForm(),
    )


@bp.post("/media/<int:media_id>/delete")
def media_delete(media_id: int):
    """Delete an image or file nobody uses; refuse, naming the users, when it is in use."""
    item = db.get_or_404(Media, media_id)
    if not can_delete(item):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    usage = files.shown_to(current_user, files.media_usage(item))
    if usage:
        titles = "; ".join(f"{use.kind} “{use.title}”" for use in usage[:5])
        more = f" và {len(usage) - 5} nơi khác" if len(usage) > 5 else ""
        flash(f"Không xóa được: đang được dùng ở {titles}{more}.", "error")
        return redirect(url_for("admin.media_detail", media_id=item.id))
    name, paths = item.original_name or item.stored_name, store.stored_files(item)
    db.session.delete(item)
    db.session.commit()
    store.delete_files(paths)
    flash(f"Đã xóa “{name}”.", "success")
    return redirect(url_for("admin.media_library"))


@bp.get("/media/chon.json")
def media_pick():
    """Answer the article editor's image picker: recent or matching images, as JSON."""
    query = request.args.get("q", "").strip()[:100]
    pagination = db.paginate(
        library_query(query, "anh"),
        page=page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    items = [
        {
            "id": item.id,
            "name": item.original_name,
            "thumb": renditions.rendition_url(item, 160, "jpg"),
            "url": renditions.rendition_url(item, renditions.STORED_WIDTH, "jpg"),
            "html": markup.figure_html(item, ""),
            "width": item.width,
            "height": item.height,
        }
        for item in pagination.items
    ]
    return jsonify(items=items, has_next=pagination.has_next)


# --- The editor's upload endpoint -------------------------------------------------------------


@bp.post("/media/upload")
@answers_json
@takes_files
def upload():
    """Take an image from the article editor and answer with the <figure> to insert."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return json_error("Hãy chọn một ảnh để tải lên.", 400)
    try:
        item = uploads.store_image(upload.read(), upload.filename, current_user.id)
    except uploads.ImageRejected as err:
        return json_error(str(err), err.status)
    db.session.commit()
    caption = request.form.get("caption", "").strip()[:500]
    alt = request.form.get("alt", "").strip()[:TITLE_MAX]
    body = {
        "id": item.id,
        "html": markup.figure_html(item, caption, alt),
        "url": renditions.rendition_url(item, renditions.STORED_WIDTH, "jpg"),
    }
    return make_response(jsonify(body), 201)
