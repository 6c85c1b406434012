"""Files attached to articles and documents: upload, delete, and a download for editors."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

import auth
from admin.blueprint import bp
from forms import AttachmentUploadForm, ConfirmForm
from media import files, store, uploads
from models import Article, Attachment, Document, db, id_or_none
from web.limits import takes_files
from web.security import is_safe_next

OWNERS = {"article": Article, "document": Document}


def get_owner_or_404(owner_type: str, owner_id: str):
    model = OWNERS.get(owner_type)
    owner_id = id_or_none(owner_id)
    owner = db.session.get(model, owner_id) if model and owner_id else None
    if owner is None:
        abort(404)
    if not current_user.can_attach(owner):
        abort(403)
    return owner


def back(target: str | None):
    """Return to the page the form was on, when that is a local path."""
    return redirect(target if is_safe_next(target) else url_for("admin.dashboard"))


def owner_field(owner) -> dict:
    key = "article_id" if isinstance(owner, Article) else "document_id"
    return {key: owner.id}


def next_position(owner) -> int:
    field, value = next(iter(owner_field(owner).items()))
    last = db.session.scalar(
        select(func.max(Attachment.position)).where(getattr(Attachment, field) == value)
    )
    return (last or 0) + 1


def described(item: Attachment) -> str:
    """Name an attachment for the audit log: its title, and its file's name if different."""
    name = item.media.original_name
    return f"“{item.label}”" if item.label == name else f"“{item.label}” ({name})"


@bp.post("/attachments/upload")
@takes_files
def attachment_upload():
    """Attach an uploaded document to an article or a document, then go back."""
    form = AttachmentUploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return back(form.next.data)
    owner = get_owner_or_404(form.owner_type.data, form.owner_id.data)
    upload = form.file.data
    try:
        stored = uploads.store_file(upload.read(), upload.filename, current_user.id)
    except uploads.FileRejected as err:
        flash(f"{store.safe_name(upload.filename)}: {err}", "error")
        return back(form.next.data)
    item = Attachment(
        media=stored,
        title=form.title.data.strip(),
        position=next_position(owner),
        **owner_field(owner),
    )
    db.session.add(item)
    auth.audit("attach", owner, f"Đính kèm {described(item)}")
    db.session.commit()
    flash(f"Đã đính kèm “{item.label}”.", "success")
    return back(form.next.data)


@bp.post("/attachments/<int:attachment_id>/delete")
def attachment_delete(attachment_id: int):
    """Remove an attachment; its file goes too when nothing else offers it."""
    item = db.get_or_404(Attachment, attachment_id)
    owner = (
        db.session.get(Article, item.article_id)
        if item.article_id is not None
        else db.session.get(Document, item.document_id)
    )
    if not current_user.can_attach(owner):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stored, label = item.media, item.label
    auth.audit("detach", owner, f"Gỡ tệp {described(item)}")
    db.session.delete(item)
    db.session.flush()
    paths = []
    if stored.kind == "file" and not files.media_usage(stored):
        paths = store.stored_files(stored)
        db.session.delete(stored)
    db.session.commit()
    store.delete_files(paths)
    flash(f"Đã gỡ tệp “{label}”.", "success")
    return back(request.form.get("next"))


@bp.get("/attachments/<int:attachment_id>")
def attachment_download(attachment_id: int):
    """Let the desk download an attachment, published or not, if its article may be seen."""
    item = db.get_or_404(Attachment, attachment_id)
    if not files.may_download(current_user, item):
        abort(403)
    return files.send_attachment(item, public=False)
