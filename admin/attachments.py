"""Files attached to articles and documents: upload, delete, and a download for editors.

A new article takes files before its first save: each is stored at once (by the form's own
submit, or in the background by static/js/article-form.js through `attachment_stage`) and
the form carries a signed token for it, which names the file and the person it was handed to.
The save attaches the files the tokens name; a rejected form, a conflict or a form rescued
after an expired session or token shows them again from the same tokens.
"""

from flask import abort, current_app, flash, jsonify, make_response, redirect, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

import auth
from admin.blueprint import answers_json, bp, json_error
from forms import AttachmentUploadForm, ConfirmForm
from media import files, store, uploads
from models import Article, Attachment, Document, Media, db, id_or_none
from vietnamese import file_size
from web.limits import takes_files
from web.security import is_safe_next

OWNERS = {"article": Article, "document": Document}
# The article form's fields for files sent before the first save.
PENDING = "attachment_pending"
FILES = "attachment_file"


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


# --- Files sent with a new article, before its first save -----------------------------------


def signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="pending-attachment")


def pending_token(media: Media, name: str) -> str:
    """A token naming a stored file, the person it was handed to and the name they gave it
    (identical bytes are stored once, under the name they first came with)."""
    return signer().dumps([media.id, current_user.id, store.safe_name(name)])


def read_pending(tokens: list[str], anyone: bool = False) -> list[tuple[str, Media, str]]:
    """The files the tokens name (token, media, name), each once, in order; only those handed
    to the signed-in person unless `anyone` (a form shown again after its session ended)."""
    found: dict[int, tuple[str, Media, str]] = {}
    for token in tokens:
        try:
            media_id, owner, name = signer().loads(token)
        except (BadSignature, ValueError, TypeError):
            continue  # a token we never signed names nothing
        if not anyone and owner != current_user.id:
            continue
        media = db.session.get(Media, media_id)
        if media is not None and media.kind == "file":
            found.setdefault(media.id, (token, media, name))
    return list(found.values())


def form_pending() -> list[tuple[str, Media, str]]:
    """The files the submitted form still carries (ticked), to show in the form again."""
    return read_pending(request.form.getlist(PENDING), anyone=not current_user.is_authenticated)


def stage_form_files() -> tuple[list[str], list[str]]:
    """Store the files sent with the form itself (without JavaScript) at once, as the lead
    image is, so that a later error in the form never asks for them again. Return the
    tokens of every file the form now carries, and the refusals."""
    errors, tokens = [], request.form.getlist(PENDING)
    for upload in request.files.getlist(FILES):
        if not upload or not upload.filename:
            continue
        try:
            media = uploads.store_file(upload.read(), upload.filename, current_user.id)
        except uploads.FileRejected as err:
            errors.append(f"{store.safe_name(upload.filename)}: {err}")
            continue
        db.session.commit()
        tokens.append(pending_token(media, upload.filename))
    return tokens, errors


def attach_pending(article: Article, tokens: list[str]) -> list[Attachment]:
    """Attach the files the saved form carries to the article and return the new ones (the
    caller audits them once the article has its id, and commits, meeting a concurrent save
    there: nothing is flushed here)."""
    if not tokens:
        return []
    with db.session.no_autoflush:
        present = {item.media_id for item in article.attachments}
        found = read_pending(tokens)
    added = []
    for _, media, name in found:
        if media.id not in present:
            title = "" if name == media.original_name else name
            added.append(Attachment(media=media, title=title, position=len(present) + 1))
            article.attachments.append(added[-1])
            present.add(media.id)
    return added


def audit_attached(article: Article, added: list[Attachment]) -> None:
    for item in added:
        auth.audit("attach", article, f"Đính kèm {described(item)}")


@bp.post("/attachments/stage")
@answers_json
@takes_files
def attachment_stage():
    """Store a file chosen in a new article's form; answer with the token the form sends
    back on save (static/js/article-form.js)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return json_error("Hãy chọn một tệp để đính kèm.", 400)
    try:
        media = uploads.store_file(upload.read(), upload.filename, current_user.id)
    except uploads.FileRejected as err:
        return json_error(f"{store.safe_name(upload.filename)}: {err}", err.status)
    db.session.commit()
    name = store.safe_name(upload.filename)
    body = {"token": pending_token(media, name), "name": name, "size": file_size(media.bytes)}
    return make_response(jsonify(body), 201)
