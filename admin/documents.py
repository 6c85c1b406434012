"""The documents registry ("Văn bản") in the editor desk: list, add, edit, delete."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

import auth
from admin.blueprint import bp, form_page
from forms import DOCUMENT_TYPES, ConfirmForm, DocumentForm, choices
from models import Document, db
from web.pagination import page_number

PER_PAGE = 30




def document_form(document: Document | None) -> DocumentForm:
    """The document form, whose summary-report list offers the document's own attachments."""
    form = DocumentForm(obj=document)
    attachments = document.attachments if document else []
    form.comment_report_id.choices = choices(
        [("", "— Chưa có —"), *((str(item.id), item.label) for item in attachments)]
    )
    return form


@bp.get("/documents")
@auth.editors_only
def documents():
    """List documents, newest first, with a quick filter by number or abstract."""
    typed = (request.args.get("q") or "").strip()
    statement = select(Document).order_by(Document.issued_on.desc(), Document.id.desc())
    if typed:
        statement = statement.where(
            or_(Document.number.contains(typed), Document.title.contains(typed))
        )
    pagination = db.paginate(statement, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/documents.html", pagination=pagination, typed=typed, confirm=ConfirmForm()
    )


@bp.route("/documents/new", methods=["GET", "POST"])
@auth.editors_only
def document_new():
    """Add a document to the registry."""
    form = document_form(None)
    if form.validate_on_submit():
        document = Document(created_by=current_user.id)
        form.populate_obj(document)
        document.comment_report_id = None  # no attachment yet
        db.session.add(document)
        db.session.flush()
        auth.audit("document_create", document, document.number)
        db.session.commit()
        flash(f"Đã thêm văn bản {document.number}. Bây giờ có thể đính kèm tệp.", "success")
        return redirect(url_for("admin.document_edit", document_id=document.id))
    return form_page("admin/documents_edit.html", form=form, document=None, types=DOCUMENT_TYPES)


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
@auth.editors_only
def document_edit(document_id: int):
    """Change a document's fields; its files are managed on the same page."""
    document = db.get_or_404(Document, document_id)
    form = document_form(document)
    if form.validate_on_submit():
        form.populate_obj(document)
        if document.comment_report_id not in {item.id for item in document.attachments}:
            document.comment_report_id = None
        auth.audit("document_update", document, document.number)
        db.session.commit()
        flash(f"Đã lưu văn bản {document.number}.", "success")
        return redirect(url_for("admin.document_edit", document_id=document.id))
    return form_page(
        "admin/documents_edit.html",
        form=form,
        document=document,
        types=DOCUMENT_TYPES,
        confirm=ConfirmForm(),
    )


@bp.post("/documents/<int:document_id>/delete")
@auth.editors_only
def document_delete(document_id: int):
    """Remove a document and its attachments from the registry."""
    document = db.get_or_404(Document, document_id)
    number = document.number
    auth.audit("document_delete", document, number)
    db.session.delete(document)
    db.session.commit()
    flash(f"Đã xóa văn bản {number}.", "success")
    return redirect(url_for("admin.documents"))
