"""The site's structure and identity: categories (order, renames that keep old links),
static pages, and the settings a government site must show."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

import auth
from admin.blueprint import bp, form_page, note_saved
from forms import CategoryForm, ConfirmForm, PageForm, SettingsForm, choices
from media import uploads
from models import (
    DOCUMENTS_ENTRY,
    IMAGE_SETTING_NAMES,
    IMAGE_SETTINGS,
    POLLS_ENTRY,
    QUESTIONS_ENTRY,
    SCHEDULE_ENTRY,
    SETTING_CHOICES,
    SETTINGS,
    Article,
    Category,
    CategoryAlias,
    Media,
    Page,
    Setting,
    db,
    id_or_none,
    main_menu_entries,
    main_menu_removed,
    store_main_menu,
)
from vietnamese import slugify
from web.limits import takes_files

# --- Categories ---------------------------------------------------------------------------


@bp.get("/categories")
@auth.editors_only
def category_list():
    """Show the categories in menu order, sub-categories under their parent."""
    top = db.session.scalars(Category.menu()).all()
    counts = dict(
        db.session.execute(
            select(Article.category_id, func.count()).group_by(Article.category_id)
        ).all()
    )
    return render_template("admin/category_list.html", categories=top, counts=counts)


def parent_choices(category: Category | None) -> list[tuple[int, str]]:
    """Top-level categories other than this one: the menu has two levels, no more."""
    choices = [(0, "(Không — chuyên mục chính)")]
    for item in db.session.scalars(Category.menu()):
        if category is None or item.id != category.id:
            choices.append((item.id, item.name))
    return choices


def slug_problem(slug: str, category: Category | None) -> str | None:
    """Say why a slug cannot be used: another category has it, or it redirects elsewhere."""
    own_id = category.id if category else 0
    other = db.session.scalar(select(Category).where(Category.slug == slug, Category.id != own_id))
    if other:
        return f"Chuyên mục “{other.name}” đã dùng đường dẫn này."
    alias = db.session.scalar(select(CategoryAlias).where(CategoryAlias.slug == slug))
    if alias and alias.category_id != own_id:
        return f"Đường dẫn này đang chuyển tới chuyên mục “{alias.category.name}”."
    return None


def category_problems(form: CategoryForm, category: Category | None) -> bool:
    """Add the checks that need the database to the form's errors; True if any failed."""
    slug = form.slug.data or slugify(form.name.data)
    problem = slug_problem(slug, category)
    if problem:
        form.slug.errors.append(problem)
    if form.parent_id.data and category is not None and category.children:
        form.parent_id.errors.append("Chuyên mục này đang có chuyên mục con nên phải là mục chính.")
        problem = problem or "parent"
    return problem is not None


def change_slug(category: Category, slug: str) -> None:
    """Rename a category's address, keeping the old one as a redirect."""
    if slug == category.slug:
        return
    reused = db.session.scalar(select(CategoryAlias).where(CategoryAlias.slug == slug))
    if reused is not None:
        db.session.delete(reused)  # going back to an old name: it is the address again
        db.session.flush()
    db.session.add(CategoryAlias(slug=category.slug, category=category))
    category.slug = slug


@bp.route("/categories/new", methods=["GET", "POST"])
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@auth.editors_only
def category_edit(category_id: int | None = None):
    """Create or edit a category; a new slug keeps the old address working."""
    category = db.get_or_404(Category, category_id) if category_id else None
    form = CategoryForm(obj=category)
    form.parent_id.choices = choices(parent_choices(category))
    if request.method == "GET" and category is not None:
        form.parent_id.data = category.parent_id or 0
    elif request.method == "GET":
        form.position.data = db.session.scalar(select(func.count()).select_from(Category))
    if form.validate_on_submit() and not category_problems(form, category):
        slug = form.slug.data or slugify(form.name.data)
        if category is None:
            category = Category(slug=slug)
            db.session.add(category)
        change_slug(category, slug)
        category.name = form.name.data
        category.description = form.description.data or ""
        category.parent_id = form.parent_id.data or None
        category.position = form.position.data or 0
        db.session.commit()
        flash(f"Đã lưu chuyên mục “{category.name}”.", "success")
        return redirect(url_for("admin.category_list"))
    return form_page("admin/category_form.html", form=form, category=category)


@bp.post("/categories/<int:category_id>/move/<direction>")
@auth.editors_only
def category_move(category_id: int, direction: str):
    """Move a category one place up or down the menu among its siblings."""
    category = db.get_or_404(Category, category_id)
    if direction not in ("up", "down") or not ConfirmForm().validate_on_submit():
        abort(400)
    siblings = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None) if category.parent_id is None
               else Category.parent_id == category.parent_id)
        .order_by(Category.position, Category.name)
    ).all()  # fmt: skip
    index = siblings.index(category)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        item.position = position
    db.session.commit()
    return redirect(url_for("admin.category_list"))


@bp.route("/categories/<int:category_id>/delete", methods=["GET", "POST"])
@auth.editors_only
def category_delete(category_id: int):
    """Delete an empty category (after asking); one with articles must be emptied first."""
    category = db.get_or_404(Category, category_id)
    used = db.session.scalar(
        select(func.count()).select_from(Article).where(Article.category_id == category.id)
    )
    if used or category.children:
        flash(
            f"Chưa xóa được “{category.name}”: chuyên mục còn {used} bài và "
            f"{len(category.children)} chuyên mục con. Hãy chuyển chúng sang chỗ khác trước.",
            "error",
        )
        return redirect(url_for("admin.category_list"))
    return delete_after_asking(category, f"chuyên mục “{category.name}”", "admin.category_list")


def delete_after_asking(item, what: str, back: str):
    """Ask first (GET, or a POST without a valid token); on a confirmed POST delete the item,
    record it in the audit log and go back to the list."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/confirm_delete.html", form=form, what=what, back=url_for(back)
        )
    auth.audit("delete", item, what)
    db.session.delete(item)
    db.session.commit()
    flash(f"Đã xóa {what}.", "success")
    return redirect(url_for(back))


# --- Static pages ---------------------------------------------------------------------------


@bp.get("/pages")
@auth.editors_only
def page_list():
    """List the static pages: Giới thiệu, Cơ cấu tổ chức, Liên hệ..."""
    pages = db.session.scalars(select(Page).order_by(Page.position, Page.title)).all()
    return render_template("admin/page_list.html", pages=pages)


def page_slug_problem(slug: str, page: Page | None) -> str | None:
    own_id = page.id if page else 0
    other = db.session.scalar(select(Page).where(Page.slug == slug, Page.id != own_id))
    return f"Trang “{other.title}” đã dùng đường dẫn này." if other else None


@bp.route("/pages/new", methods=["GET", "POST"])
@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
@auth.editors_only
def page_edit(page_id: int | None = None):
    """Create or edit a static page; its body goes through the same HTML policy as articles."""
    page = db.get_or_404(Page, page_id) if page_id else None
    form = PageForm(obj=page)
    if form.validate_on_submit():
        slug = form.slug.data or slugify(form.title.data)
        problem = page_slug_problem(slug, page)
        if problem:
            form.slug.errors.append(problem)
        else:
            page = save_page(page, form, slug)
            note_saved(request.path)
            flash(f"Đã lưu trang “{page.title}”.", "success")
            return redirect(url_for("admin.page_edit", page_id=page.id))
    return form_page("admin/page_form.html", form=form, page=page)


def save_page(page: Page | None, form: PageForm, slug: str) -> Page:
    if page is None:
        page = Page()
        db.session.add(page)
    page.title = form.title.data
    page.slug = slug
    page.body = form.clean_body
    page.position = form.position.data or 0
    page.in_menu = form.in_menu.data
    page.show_officials = form.show_officials.data
    page.lang = form.lang.data
    db.session.commit()
    return page


@auth.rescuer("admin.page_edit")
def rescue_page_form(message: str) -> str:
    """Show a static page's submitted text again after a lost session or token."""
    page_id = (request.view_args or {}).get("page_id")
    page = db.session.get(Page, page_id) if page_id and current_user.is_authenticated else None
    return render_template(
        "admin/page_form.html",
        form=PageForm(),
        page=page,
        notice=message,
        relogin=not current_user.is_authenticated,
        form_action=request.path,
    )


@bp.route("/pages/<int:page_id>/delete", methods=["GET", "POST"])
@auth.editors_only
def page_delete(page_id: int):
    """Delete a static page after asking."""
    page = db.get_or_404(Page, page_id)
    return delete_after_asking(page, f"trang “{page.title}”", "admin.page_list")


# --- The main menu ----------------------------------------------------------------------------

MENU_ACTIONS = ("up", "down", "remove", "add")


def menu_choices() -> dict[str, str]:
    """Name every entry the main menu may hold: categories, pages and the documents list."""
    names = {f"category:{item.id}": f"Chuyên mục: {item.name}"
             for item in db.session.scalars(select(Category).order_by(Category.position))}
    names.update({f"page:{item.id}": f"Trang: {item.title}"
                  for item in db.session.scalars(select(Page).order_by(Page.position))})
    names[DOCUMENTS_ENTRY] = "Văn bản (danh sách văn bản)"
    names[QUESTIONS_ENTRY] = "Hỏi đáp (câu hỏi của người dân)"
    names[SCHEDULE_ENTRY] = "Lịch công tác tuần"
    names[POLLS_ENTRY] = "Thăm dò ý kiến"
    return names  # fmt: skip


@bp.get("/menu")
@auth.editors_only
def main_menu():
    """Show the main menu in order, with what may be added to it."""
    names = menu_choices()
    entries = [entry for entry in main_menu_entries() if entry in names]
    others = [entry for entry in names if entry not in entries]
    return render_template(
        "admin/menu.html", entries=entries, others=others, names=names, form=ConfirmForm()
    )


@bp.post("/menu/<action>")
@auth.editors_only
def main_menu_change(action: str):
    """Move an entry up or down, take it out, or add it at the end."""
    entry = request.args.get("muc", "")
    if action not in MENU_ACTIONS or entry not in menu_choices():
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    entries, removed = main_menu_entries(), main_menu_removed()
    entries, removed = changed_menu(action, entry, entries, removed)
    store_main_menu(entries, removed)
    db.session.commit()
    return redirect(url_for("admin.main_menu"))


def changed_menu(action: str, entry: str, entries: list[str], removed: list[str]):
    """Return the menu's entries and removed entries after one change."""
    entries = [item for item in entries if item != entry] if action in ("remove", "add") \
        else list(entries)  # fmt: skip
    removed = [item for item in removed if item != entry]
    if action == "remove":
        removed.append(entry)
    elif action == "add":
        entries.append(entry)
    elif entry in entries:
        index = entries.index(entry)
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(entries):
            entries[index], entries[other] = entries[other], entries[index]
    return entries, removed


# --- Settings -----------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@auth.role_required("admin")
@takes_files
def settings():
    """Edit the site's identity: name, emblem, colours, contacts, responsible person, portals."""
    current = Setting.values()
    form = SettingsForm(data={k: v for k, v in current.items() if k not in IMAGE_SETTINGS})
    if form.validate_on_submit() and not store_setting_images(form, current):
        wanted = {key: submitted_value(form, key, current) for key in SETTINGS}
        changed = [key for key in SETTINGS if wanted[key] != current[key]]
        for key in changed:
            Setting.put(key, wanted[key])
        if changed:
            auth.audit("settings", detail=describe_settings(changed, current, wanted))
        db.session.commit()
        flash("Đã lưu thông tin trang.", "success")
        return redirect(url_for("admin.settings"))
    return form_page(
        "admin/settings.html", form=form, keys=list(SETTINGS), images=setting_images(current)
    )


# How long one value may be in the audit log's description of a settings change.
SHOWN_VALUE_MAX = 80


def describe_settings(keys: list[str], old: dict[str, str], new: dict[str, str]) -> str:
    """Say in the desk's words what a settings change changed, for the audit log:
    "Tên cơ quan: A → B; Biểu trưng: đổi ảnh"."""
    return "; ".join(f"{setting_name(key)}: {describe_value_change(key, old[key], new[key])}"
                     for key in keys)  # fmt: skip


def setting_name(key: str) -> str:
    """A setting's name without the form's explanation in brackets."""
    return IMAGE_SETTING_NAMES.get(key) or SETTINGS[key][0].split(" (")[0]


def describe_value_change(key: str, old: str, new: str) -> str:
    if key in IMAGE_SETTINGS:
        return "thêm ảnh" if not old else ("bỏ ảnh" if not new else "đổi ảnh")
    return f"{shown_value(key, old)} → {shown_value(key, new)}"


def shown_value(key: str, value: str) -> str:
    value = SETTING_CHOICES.get(key, {}).get(value, value)
    if not value:
        return "(trống)"
    if len(value) > SHOWN_VALUE_MAX:
        return value[: SHOWN_VALUE_MAX - 1] + "…"
    return value


def store_setting_images(form: SettingsForm, current: dict[str, str]) -> bool:
    """Store the images uploaded for the logo or banner (small renditions are made at once);
    keep their ids on the form. Return True when one was refused (the error is on its field)."""
    refused = False
    for key in IMAGE_SETTINGS:
        upload = form[key].data
        form[key].stored = None
        if not upload or not getattr(upload, "filename", ""):
            continue
        try:
            media = uploads.store_image(upload.read(), upload.filename, current_user.id)
        except uploads.ImageRejected as err:
            form[key].errors = [*form[key].errors, str(err)]
            refused = True
            continue
        form[key].stored = str(media.id)
    return refused


def submitted_value(form: SettingsForm, key: str, current: dict[str, str]) -> str:
    """Return what the form asks a setting to become; an image keeps its id unless replaced
    or removed."""
    if key not in IMAGE_SETTINGS:
        return form[key].data or ""
    if form[key].stored:
        return form[key].stored
    return "" if form[SettingsForm.remove_field(key)].data else current[key]


def setting_images(current: dict[str, str]) -> dict[str, Media | None]:
    """Return the images the settings name now, for the form to show them."""
    found = {}
    for key in IMAGE_SETTINGS:
        value = current[key]
        media_id = id_or_none(value)
        media = db.session.get(Media, media_id) if media_id else None
        found[key] = media if media is not None and media.is_image else None
    return found
