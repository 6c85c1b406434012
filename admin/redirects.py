"""Old addresses that answer 301 (web.redirects): the ones imports made, and any the desk adds
for links an importer could not know. Admins only: a redirect changes where readers land."""

from flask import flash, redirect, render_template, request, url_for

import auth
from admin.blueprint import bp, form_page
from forms import ConfirmForm, RedirectForm
from models import Redirect, db
from web import redirects
from web.pagination import page_number

PER_PAGE = 50


@bp.get("/redirects")
@auth.admins_only
def redirect_list():
    """List the redirects, newest first, filtered by words in either address."""
    words = request.args.get("q", "")
    pagination = db.paginate(
        redirects.search(words), page=page_number(), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "admin/redirects.html", pagination=pagination, q=words, confirm=ConfirmForm()
    )


def saved(form: RedirectForm, row: Redirect) -> bool:
    """Copy a valid form onto the row; on a refusal, show it under its field instead."""
    try:
        host, old_path, target = redirects.checked(
            form.host.data, form.old_path.data, form.target.data, row.id
        )
    except redirects.Refused as err:
        getattr(form, err.field).errors.append(str(err))
        return False
    row.host, row.old_path, row.target = host, old_path, target
    return True


@bp.route("/redirects/new", methods=["GET", "POST"])
@auth.admins_only
def redirect_new():
    """Add an old address and where it now leads."""
    form = RedirectForm()
    row = Redirect(source="desk")
    if form.validate_on_submit() and saved(form, row):
        db.session.add(row)
        db.session.flush()
        auth.audit("redirect_create", row, f"{row.old_path} → {row.target}")
        db.session.commit()
        flash(f"Đã thêm chuyển hướng {row.old_path} → {row.target}.", "success")
        return redirect(url_for("admin.redirect_list"))
    return form_page("admin/redirect_edit.html", form=form, row=None)


@bp.route("/redirects/<int:redirect_id>/edit", methods=["GET", "POST"])
@auth.admins_only
def redirect_edit(redirect_id: int):
    """Change an old address or where it leads."""
    row = db.get_or_404(Redirect, redirect_id)
    form = RedirectForm(obj=row)
    if form.validate_on_submit() and saved(form, row):
        auth.audit("redirect_update", row, f"{row.old_path} → {row.target}")
        db.session.commit()
        flash(f"Đã lưu chuyển hướng {row.old_path} → {row.target}.", "success")
        return redirect(url_for("admin.redirect_list"))
    return form_page("admin/redirect_edit.html", form=form, row=row)


@bp.post("/redirects/<int:redirect_id>/delete")
@auth.admins_only
def redirect_delete(redirect_id: int):
    """Let an old address answer 404 again."""
    row = db.get_or_404(Redirect, redirect_id)
    auth.audit("redirect_delete", row, f"{row.old_path} → {row.target}")
    db.session.delete(row)
    db.session.commit()
    flash(f"Đã xóa chuyển hướng {row.old_path}.", "success")
    return redirect(url_for("admin.redirect_list"))
