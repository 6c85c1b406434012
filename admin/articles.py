"""Articles at the editor desk: the list, the form and its actions, previews and history.

Nothing an editor typed is ever thrown away: a rejected form comes back filled in, a stale
version leads to a conflict page with both texts, and an expired session or token shows the
same form with a login box (see auth.rescue).
"""

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import defer
from sqlalchemy.orm.exc import StaleDataError

import auth
import models
import public
import revisions
import sanitize
import workflow
from admin import attachments, notices
from admin.blueprint import bp, note_saved
from forms import ArticleForm, ConfirmForm, choices
from media import uploads
from models import (
    DRAFT,
    PUBLISHED,
    TITLE_MAX,
    Article,
    Attachment,
    Category,
    Media,
    Revision,
    User,
    db,
    parse_id,
)
from vietnamese import date_time, slugify
from web.limits import takes_files
from web.pagination import page_number

PER_PAGE = 20
CATEGORY_NAME_MAX = 120
TEXT_FIELDS = ("title", "summary", "author", "source", "image_caption", "image_alt")


# --- Finding articles and deciding who may do what ----------------------------------------


def can_view(article: Article) -> bool:
    return current_user.can_publish or article.created_by == current_user.id


def get_article_or_404(article_id: int, for_edit: bool = False) -> Article:
    """Find an article; 403 for one the user may not see (or, for_edit, may not change)."""
    article = db.get_or_404(Article, article_id)
    allowed = current_user.can_edit(article) if for_edit else can_view(article)
    if not allowed:
        abort(403)
    return article


def category_choices() -> list[tuple[int, str]]:
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [(c.id, f"— {c.name}" if c.parent_id else c.name) for c in categories]


def article_form(article: Article | None = None) -> ArticleForm:
    form = ArticleForm(obj=article)
    form.category_id.choices = choices(category_choices())
    return form


def category_makers() -> list[str]:
    """Who an author can ask for a category: the site's active editors and admins."""
    people = db.session.scalars(
        select(User).where(User.role.in_(("admin", "editor")), User.active).order_by(User.id)
    )
    return [person.name for person in people]


def first_category(form: ArticleForm) -> None:
    """On a site without any category an editor names the first one in the article form.
    It is created at once, like an uploaded picture, so that a later error in the form
    never asks for it again."""
    name = " ".join(request.form.get("new_category", "").split())[:CATEGORY_NAME_MAX]
    if not name or form.category_id.choices or not current_user.can_publish:
        return
    category = Category(name=name, slug=slugify(name) or "chuyen-muc")
    db.session.add(category)
    db.session.commit()
    form.category_id.choices = choices(category_choices())
    form.category_id.data = category.id
    form.category_id.raw_data = [str(category.id)]


def requested_action(article: Article | None) -> str:
    action = request.form.get("action", "")
    return action if action in workflow.ACTIONS else workflow.default_action(article)


def available_actions(article: Article | None) -> list[workflow.Action]:
    user = current_user if current_user.is_authenticated else None
    return workflow.available_actions(user, article)


# --- The list -----------------------------------------------------------------------------


def filtered_articles(args):
    statement = workflow.own_articles(select(Article), current_user)
    if args.get("status") in workflow.LIST_STATUSES:
        statement = statement.where(workflow.status_condition(args["status"]))
    if args.get("category", type=parse_id):
        statement = statement.where(Article.category_id == args.get("category", type=parse_id))
    if args.get("creator", type=parse_id):
        statement = statement.where(Article.created_by == args.get("creator", type=parse_id))
    query = args.get("q", "").strip()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(Article.title.ilike(pattern), Article.author.ilike(pattern))
        )
    return statement.order_by(Article.updated_at.desc(), Article.id.desc())


@bp.get("/articles")
def article_list():
    """List articles with filters by status, category and writer, and the counters."""
    pagination = db.paginate(
        filtered_articles(request.args),
        page=page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    writers = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template(
        "admin/article_list.html",
        pagination=pagination,
        counters=workflow.counters(current_user),
        statuses=workflow.LIST_STATUSES,
        categories=category_choices(),
        writers=writers if current_user.can_publish else [],
        args=request.args.to_dict(),
    )


# --- The form -----------------------------------------------------------------------------


def render_form(form: ArticleForm, article: Article | None, status: int = 200, **extra):
    """Show the article form with whatever the form holds (saved data or what was typed)."""
    action = extra.pop("form_action", None) or (
        url_for("admin.article_edit", article_id=article.id)
        if article
        else url_for("admin.article_new")
    )
    html = render_template(
        "admin/article_form.html",
        form=form,
        article=article,
        form_action=action,
        actions=available_actions(article),
        may_review=may_review(article),
        category_makers=[] if form.category_id.choices else category_makers(),
        pending=extra.pop("pending", None) or attachments.form_pending(),
        **extra,
    )
    return html, status


@bp.route("/articles/new", methods=["GET", "POST"])
@takes_files
def article_new():
    """Write a new article."""
    form = article_form()
    if request.method == "GET":
        form.category_id.data = request.args.get("category", type=parse_id)
        return render_form(form, None)
    return save(form, None)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@takes_files
def article_edit(article_id: int):
    """Edit an article the user may change."""
    article = db.session.get(Article, article_id)
    if article is None and request.method == "POST":
        return deleted_while_editing()
    article = get_article_or_404(article_id, for_edit=True)
    form = article_form(article)
    if request.method == "GET":
        return render_form(form, article)
    return save(form, article)


def deleted_while_editing():
    """Someone deleted the article meanwhile: offer the typed text as a new article."""
    form = article_form()
    form.version.data = ""
    notice = "Bài này đã bị xóa trong lúc bạn sửa. Nội dung bạn nhập vẫn còn: lưu để tạo bài mới."
    return render_form(form, None, 404, notice=notice)


def save(form: ArticleForm, article: Article | None):
    """Validate, check the version, store the image, apply the action, keep a revision."""
    action = requested_action(article)
    if action in workflow.PUBLISHING and not current_user.can_publish:
        abort(403)
    upload_error = store_upload(form)
    tokens, refused_files = attachments.stage_form_files()
    first_category(form)
    valid = form.validate_on_submit()
    if upload_error:
        form.image_upload.errors.append(upload_error)
    if not valid or upload_error or refused_files or not action_allowed(form, action):
        pending = attachments.read_pending(tokens)
        return render_form(form, article, 422, pending=pending, refused_files=refused_files)
    if article is not None and is_stale(form, article):
        return conflict(form, article)
    return commit_save(form, article, action, tokens)


def store_upload(form: ArticleForm) -> str | None:
    """Store a new lead image at once, so a later form error never makes the editor re-send it."""
    upload = form.image_upload.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        image = uploads.store_image(upload.read(), upload.filename, current_user.id)
    except uploads.ImageRejected as err:
        return str(err)
    db.session.commit()
    # As if the editor had typed the new image's number: it survives any other form error.
    form.image_id.process_errors = []
    form.image_id.data = image.id
    form.image_id.raw_data = [str(image.id)]
    return None


def action_allowed(form: ArticleForm, action: str) -> bool:
    """Check what depends on the button pressed: "Hẹn giờ" needs a time in the future."""
    if action == "schedule" and (
        form.publish_at.data is None or form.publish_at.data <= models.utcnow()
    ):
        form.publish_at.errors.append("Hãy chọn thời điểm đăng trong tương lai để hẹn giờ.")
        return False
    if form.image_id.data is not None:
        image = db.session.get(Media, form.image_id.data)
        if image is None or not image.is_image:
            form.image_id.errors.append("Không có ảnh nào mang mã số này.")
            return False
    return True


def is_stale(form: ArticleForm, article: Article) -> bool:
    """Tell whether the article changed since this form was opened."""
    return form.version.data != str(article.version)


def may_review(article: Article | None) -> bool:
    user = current_user if current_user.is_authenticated else None
    return workflow.may_review(user, article)


def chosen_slug(form: ArticleForm, article: Article | None) -> str:
    """A published article keeps its address unless the editor asks: by ticking "Đổi đường
    dẫn" or by typing another slug. Links readers shared must not break silently."""
    typed = form.slug.data or ""
    from_title = slugify(form.title.data or "")
    if article is None or article.status != PUBLISHED:
        return typed or from_title
    if request.form.get("change_slug"):
        return from_title if typed in ("", article.slug) else typed
    return typed if typed and typed != article.slug else article.slug


def same_minute(old, new) -> bool:
    """The form shows times to the minute: an untouched time must not lose its seconds."""
    return old is not None and new is not None and old.replace(second=0, microsecond=0) == new


def form_values(form: ArticleForm, article: Article | None = None) -> dict:
    """Return the article fields as typed, cleaned, ready to set on an Article."""
    values = {name: getattr(form, name).data or "" for name in TEXT_FIELDS}
    values.update(
        slug=chosen_slug(form, article),
        body=form.clean_body,
        body_text=sanitize.html_to_text(form.clean_body),
        category_id=form.category_id.data,
        image_id=form.image_id.data,
        publish_at=form.publish_at.data,
        expire_at=form.expire_at.data,
        featured=bool(form.featured.data),
        hide_list_image=bool(form.hide_list_image.data),
    )
    for name in ("publish_at", "expire_at"):
        if article is not None and same_minute(getattr(article, name), values[name]):
            values[name] = getattr(article, name)
    return values


def commit_save(form: ArticleForm, article: Article | None, action: str, tokens: list[str]):
    is_new = article is None
    status_before = None if is_new else article.status
    if is_new:
        article = Article(status=DRAFT, created_by=current_user.id, created_at=models.utcnow())
        db.session.add(article)
    was_live = article.status == PUBLISHED
    for name, value in form_values(form, None if is_new else article).items():
        setattr(article, name, value)
    article.updated_by = current_user.id
    attached = attachments.attach_pending(article, tokens)
    workflow.apply_action(article, action)
    revisions.record(article, workflow.action_label(action), current_user)
    audit_save(article, action, was_live, is_new)
    attachments.audit_attached(article, attached)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return conflict(form, db.get_or_404(Article, article.id))
    notices.after_save(article, status_before, current_user)
    note_saved(request.path)
    flash(saved_message(article, action), "success")
    return redirect(url_for("admin.article_edit", article_id=article.id))


def audit_save(article: Article, action: str, was_live: bool, is_new: bool) -> None:
    """Record every save in the audit log: edits, submissions, reviews and publishing."""
    if is_new:
        db.session.flush()  # the audit row names the article's id
    if was_live and article.status != PUBLISHED:
        auth.audit("unpublish", article, article.title)
        return
    name = workflow.AUDITED[action]
    detail = "Tạo bài mới" if is_new else workflow.action_label(action)
    if action == "schedule":
        detail = f"Hẹn giờ đăng lúc {date_time(article.publish_at)}"
    auth.audit("create" if is_new and name == "edit" else name, article, detail)


def saved_message(article: Article, action: str) -> str:
    if action == "schedule" or article.is_scheduled:
        return f"Đã lưu. Bài sẽ tự đăng lúc {date_time(article.publish_at)}."
    return {
        "draft": "Đã lưu bản nháp.",
        "submit": "Đã gửi bài để biên tập viên duyệt.",
        "publish": "Đã đăng bài. Bạn đọc đã thấy bài trên trang.",
        "approve": "Đã duyệt và đăng bài. Bạn đọc đã thấy bài trên trang.",
    }.get(action, "Đã lưu các thay đổi.")


def conflict(form: ArticleForm, article: Article):
    """Show both versions side by side; the editor decides, nothing is overwritten."""
    mine = form_values(form, article)
    mine["status"] = article.status
    theirs = revisions.snapshot(article)
    form.version.data = str(article.version)  # saving again now means "keep my version"
    form.version.raw_data = [str(article.version)]
    html = render_template(
        "admin/article_conflict.html",
        form=form,
        article=article,
        theirs=article,
        mine=mine,
        changes=revisions.changes(theirs, revisions.snapshot(mine)),
        form_action=url_for("admin.article_edit", article_id=article.id),
        actions=available_actions(article),
    )
    return html, 409


@auth.rescuer("admin.article_new")
@auth.rescuer("admin.article_edit")
def rescue_article_form(message: str) -> str:
    """Show the submitted article again after a lost session or token, never a bare error."""
    article = None
    article_id = (request.view_args or {}).get("article_id")
    if current_user.is_authenticated and article_id:
        found = db.session.get(Article, article_id)
        article = found if found and current_user.can_edit(found) else None
    form = article_form()
    html, _ = render_form(
        form,
        article,
        notice=message,
        relogin=not current_user.is_authenticated,
        lost_upload=bool(request.files.get("image_upload")),
        lost_files=any(item.filename for item in request.files.getlist(attachments.FILES)),
        form_action=request.path,
    )
    return html


# --- Previews ------------------------------------------------------------------------------

UNSAVED_NOTICE = "Bản xem trước những thay đổi CHƯA LƯU. Bạn đọc chưa thấy bản này."


@bp.get("/articles/<int:article_id>/preview")
def article_preview_saved(article_id: int):
    """Show the saved article in the reader's layout, with a notice of who can see it."""
    article = get_article_or_404(article_id)
    return public.render_article(article, preview=workflow.reader_visibility(article))


@bp.post("/articles/preview")
@bp.post("/articles/<int:article_id>/preview")
@takes_files
def article_preview(article_id: int | None = None):
    """Show what the form holds now, unsaved, in the reader's layout."""
    existing = get_article_or_404(article_id, for_edit=True) if article_id else None
    form = article_form()
    form.validate()
    if form.body.errors:
        return render_template("admin/preview_refused.html", errors=form.body.errors), 422
    article = transient_article(form, existing)
    notice = UNSAVED_NOTICE
    if existing is None or existing.status != PUBLISHED:
        notice += " Bài chưa đăng."
    return public.render_article(article, preview=notice)


def transient_article(form: ArticleForm, existing: Article | None) -> Article:
    """Build an Article that is never added to the session, so nothing can be flushed."""
    values = form_values(form)
    values["title"] = values["title"] or "(Chưa có tiêu đề)"
    with db.session.no_autoflush:
        category = db.session.get(Category, values.pop("category_id") or 0)
        category = category or db.session.scalars(select(Category).limit(1)).first()
        image_id = values.pop("image_id")
        article = Article(**values)
        article.id = existing.id if existing else 0
        article.status = existing.status if existing else DRAFT
        article.created_at = existing.created_at if existing else models.utcnow()
        article.category = category
        article.image = db.session.get(Media, image_id) if image_id else None
    return article


@bp.post("/articles/clean-paste")
def clean_paste():
    """Clean pasted HTML with the site's one policy, so the editor shows what will be saved."""
    try:
        cleaned = sanitize.clean_html(request.form.get("html", ""))
    except sanitize.BodyRejected as err:
        return jsonify(error=str(err)), 422
    return jsonify(html=cleaned)


# --- One-button actions ---------------------------------------------------------------------


def commit_unless_stale(again: str, back: str):
    """Commit; if someone saved the article meanwhile, say so and return the way back."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(f"Bài vừa được người khác lưu. Hãy xem lại rồi {again} lần nữa.", "error")
        return redirect(back)
    return None


def confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/articles/<int:article_id>/unpublish")
def article_unpublish(article_id: int):
    """Take a published article off the site (it becomes a draft)."""
    article = get_article_or_404(article_id, for_edit=True)
    if not current_user.can_publish:
        abort(403)
    confirmed()
    article.status = DRAFT
    article.updated_by = current_user.id
    revisions.record(article, "Gỡ bài", current_user)
    auth.audit("unpublish", article, article.title)
    db.session.commit()
    flash("Đã gỡ bài khỏi trang. Bài trở thành bản nháp.", "success")
    return redirect(url_for("admin.article_edit", article_id=article.id))


@bp.post("/articles/<int:article_id>/return")
def article_return(article_id: int):
    """Send a pending article back to its author with a reason ("Trả lại")."""
    article = get_article_or_404(article_id)
    if not may_review(article):
        abort(403)
    confirmed()
    reason = " ".join(request.form.get("reason", "").split())
    if not reason:
        flash("Hãy ghi lý do trả lại, để tác giả biết cần sửa gì.", "error")
        return redirect(url_for("admin.article_edit", article_id=article.id) + "#duyet-bai")
    workflow.return_to_author(article, reason, current_user)
    article.updated_by = current_user.id
    revisions.record(article, f"Trả lại: {reason}", current_user)
    auth.audit("return", article, reason)
    stale = commit_unless_stale("trả lại", url_for("admin.article_edit", article_id=article_id))
    if stale:
        return stale
    notices.returned(article, current_user)
    flash("Đã trả bài lại cho tác giả kèm lý do.", "success")
    return redirect(url_for("admin.dashboard"))


@bp.route("/articles/<int:article_id>/delete", methods=["GET", "POST"])
def article_delete(article_id: int):
    """Ask first, then delete an article with its revisions."""
    article = get_article_or_404(article_id, for_edit=True)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("admin/article_delete.html", article=article, form=form)
    auth.audit("delete", article, article.title)
    db.session.delete(article)
    db.session.commit()
    flash(f"Đã xóa bài “{article.title}”.", "success")
    return redirect(url_for("admin.article_list"))


COPIED_FIELDS = (
    "summary", "body", "body_text", "category_id", "author", "source",
    "image_id", "image_caption", "image_alt",
)  # fmt: skip


@bp.post("/articles/<int:article_id>/copy")
def article_copy(article_id: int):
    """Start a new draft from an existing article ("Sao chép bài")."""
    original = get_article_or_404(article_id)
    confirmed()
    copy = Article(
        **{name: getattr(original, name) for name in COPIED_FIELDS},
        title=f"{original.title} (bản sao)"[:TITLE_MAX],
        slug=original.slug,
        status=DRAFT,
        created_by=current_user.id,
        updated_by=current_user.id,
        created_at=models.utcnow(),
    )
    db.session.add(copy)
    for item in original.attachments:
        copy.attachments.append(
            Attachment(media_id=item.media_id, title=item.title, position=item.position)
        )
    revisions.record(copy, f"Sao chép từ bài số {original.id}", current_user)
    db.session.commit()
    flash("Đã tạo bản sao thành bản nháp mới. Hãy sửa tiêu đề rồi lưu.", "success")
    return redirect(url_for("admin.article_edit", article_id=copy.id))


# --- History --------------------------------------------------------------------------------


@bp.get("/articles/<int:article_id>/history")
def article_history(article_id: int):
    """List the saved revisions of an article: who, when, which action."""
    article = get_article_or_404(article_id)
    pagination = db.paginate(
        select(Revision)
        .where(Revision.article_id == article.id)
        .options(defer(Revision.data))
        .order_by(Revision.id.desc()),
        page=page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("admin/article_history.html", article=article, pagination=pagination)


def get_revision_or_404(article: Article, revision_id: int) -> Revision:
    return db.first_or_404(
        select(Revision).where(Revision.id == revision_id, Revision.article_id == article.id)
    )


@bp.get("/articles/<int:article_id>/history/<int:revision_id>")
def article_revision(article_id: int, revision_id: int):
    """Show what a revision changed, against the one before it or against the current text."""
    article = get_article_or_404(article_id)
    revision = get_revision_or_404(article, revision_id)
    against_current = request.args.get("so-voi") == "hien-tai"
    if against_current:
        old, new = revision.data, revisions.snapshot(article)
    else:
        previous = db.session.scalar(
            select(Revision)
            .where(Revision.article_id == article.id, Revision.id < revision.id)
            .order_by(Revision.id.desc())
            .limit(1)
        )
        old, new = (previous.data if previous else {}), revision.data
    return render_template(
        "admin/article_revision.html",
        article=article,
        revision=revision,
        changes=revisions.changes(old, new),
        against_current=against_current,
        form=ConfirmForm(),
    )


@bp.post("/articles/<int:article_id>/history/<int:revision_id>/restore")
def article_restore(article_id: int, revision_id: int):
    """Restore a revision's content as a new revision ("Khôi phục")."""
    article = get_article_or_404(article_id, for_edit=True)
    revision = get_revision_or_404(article, revision_id)
    confirmed()
    revisions.restore(article, revision, current_user)
    auth.audit("restore", article, f"Khôi phục bản lưu số {revision.id}")
    stale = commit_unless_stale(
        "khôi phục", url_for("admin.article_history", article_id=article_id)
    )
    if stale:
        return stale
    flash("Đã khôi phục nội dung thành một bản lưu mới.", "success")
    return redirect(url_for("admin.article_edit", article_id=article.id))
