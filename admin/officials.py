"""The officials listed on "Cơ cấu tổ chức" and the English page: an admin-edited table."""

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

import auth
from admin.blueprint import bp, form_page
from forms import ConfirmForm, OfficialForm
from models import Official, Page, db


@bp.get("/officials")
@auth.admins_only
def officials():
    """List the officials in the order the public page shows them."""
    people = db.session.scalars(Official.in_order()).all()
    pages = db.session.scalars(select(Page).where(Page.show_officials)).all()
    return render_template(
        "admin/officials.html", people=people, pages=pages, confirm=ConfirmForm()
    )


@bp.route("/officials/new", methods=["GET", "POST"])
@auth.admins_only
def official_new():
    """Add a person to the organisation table."""
    form = OfficialForm()
    if form.validate_on_submit():
        person = Official()
        form.populate_obj(person)
        db.session.add(person)
        db.session.flush()
        auth.audit("official_create", person, person.name)
        db.session.commit()
        flash(f"Đã thêm {person.name}.", "success")
        return redirect(url_for("admin.officials"))
    return form_page("admin/officials_edit.html", form=form, person=None)


@bp.route("/officials/<int:official_id>/edit", methods=["GET", "POST"])
@auth.admins_only
def official_edit(official_id: int):
    """Change a person's name, title, contacts or place in the table."""
    person = db.get_or_404(Official, official_id)
    form = OfficialForm(obj=person)
    if form.validate_on_submit():
        form.populate_obj(person)
        auth.audit("official_update", person, person.name)
        db.session.commit()
        flash(f"Đã lưu thông tin của {person.name}.", "success")
        return redirect(url_for("admin.officials"))
    return form_page("admin/officials_edit.html", form=form, person=person)


@bp.post("/officials/<int:official_id>/delete")
@auth.admins_only
def official_delete(official_id: int):
    """Take a person off the organisation table."""
    person = db.get_or_404(Official, official_id)
    auth.audit("official_delete", person, person.name)
    db.session.delete(person)
    db.session.commit()
    flash(f"Đã xóa {person.name} khỏi danh sách.", "success")
    return redirect(url_for("admin.officials"))
