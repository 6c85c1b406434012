"""What citizens sent, in the desk: the "Hỏi đáp" queue, answers written in the desk's
editor, and an admin's answer to a person who asks what the site keeps about them.

Everyone at the desk may read the queue and draft answers; editors and admins publish,
set aside and delete (authors may not publish). Only editors and admins see a sender's
contact details, and each time they do the audit log says who looked.
"""

import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

import auth
import models
import participation
import sanitize
from admin.blueprint import bp, form_page
from forms import AnswerForm, BulkForm, ConfirmForm, PersonLookupForm, PollForm, choices
from models import (
    PUBLISHED,
    SPAM,
    SUBMISSION_LABELS,
    WAITING,
    DocumentComment,
    Poll,
    PollChoice,
    Question,
    db,
)
from web.pagination import page_number

PER_PAGE = 30
TABS = (WAITING, PUBLISHED, SPAM)


def may_moderate() -> bool:
    return current_user.is_authenticated and current_user.can_publish


def moderators_only() -> None:
    if not may_moderate():
        abort(403)


@bp.get("/questions")
def questions():
    """List the questions of one tab (waiting first) with their counts and the bulk actions.

    Senders' details past their retention time are erased here too, so that a site whose
    operator never set up the cron line still forgets them on time.
    """
    if participation.erase_expired():
        db.session.commit()
    tab = request.args.get("tinh-trang", WAITING)
    tab = tab if tab in TABS else WAITING
    statement = select(Question).where(Question.status == tab).order_by(Question.id.desc())
    pagination = db.paginate(statement, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/questions.html", pagination=pagination, tab=tab, labels=SUBMISSION_LABELS,
        counts=participation.queue_counts(), bulk=BulkForm(), topics=participation.TOPICS,
    )  # fmt: skip


BULK_DONE = {"approve": "Đã đăng {n} câu hỏi.", "spam": "Đã chuyển {n} mục vào thư rác.",
             "delete": "Đã xóa {n} mục."}  # fmt: skip


@bp.post("/questions/bulk")
def questions_bulk():
    """Approve, set aside or delete the ticked questions (editors and admins)."""
    moderators_only()
    form = BulkForm()
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:500]
    back = redirect(request.form.get("back") or url_for("admin.questions"), 303)
    if not form.validate() or not ids:
        flash("Hãy chọn ít nhất một câu hỏi và một thao tác.", "error")
        return back
    chosen = db.session.scalars(select(Question).where(Question.id.in_(ids))).all()
    done, skipped = apply_bulk(form.action.data, chosen)
    db.session.commit()
    flash(BULK_DONE[form.action.data].format(n=done), "success")
    if skipped:
        flash(f"{skipped} câu hỏi chưa có câu trả lời nên chưa được đăng.", "info")
    return back


def apply_bulk(action: str, chosen: list[Question]) -> tuple[int, int]:
    """Apply one bulk action; return how many were changed and how many were skipped (a
    question is published only with its answer)."""
    done = skipped = 0
    for question in chosen:
        if action == "approve" and not question.answer_text.strip():
            skipped += 1
            continue
        if action == "approve":
            participation.publish(question, current_user)
        elif action == "spam":
            participation.mark_spam(question)
        else:
            db.session.delete(question)
        auth.audit(f"question_{action}", question, question.title[:200])
        done += 1
    return done, skipped


def answer_form(question: Question, formdata=None) -> AnswerForm:
    form = AnswerForm(formdata=formdata, obj=question) if formdata is not None else \
        AnswerForm(obj=question)  # fmt: skip
    form.topic.choices = choices(participation.TOPICS.items())
    return form


def render_answer(question: Question, form: AnswerForm, notice: str = "", relogin=False):
    if question.has_contact and may_moderate() and not relogin:
        # Decree 13: who read a person's details is on record.
        auth.audit("contact_view", question, question.title[:200])
        db.session.commit()
    return form_page(
        "admin/question_answer.html", question=question, form=form, notice=notice,
        relogin=relogin, confirm=ConfirmForm(), may_moderate=may_moderate(),
    )  # fmt: skip


ACTIONS = {
    "save": "Đã lưu câu trả lời; câu hỏi chưa được đăng.",
    "publish": "Đã đăng câu hỏi cùng câu trả lời.",
    "unpublish": "Đã gỡ câu hỏi khỏi trang; câu hỏi trở lại hàng chờ.",
    "spam": "Đã chuyển câu hỏi vào thư rác.",
}


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def question_answer(question_id: int):
    """Show a question with its sender's details (to moderators) and the answer form."""
    question = db.get_or_404(Question, question_id)
    if request.method == "GET":
        return render_answer(question, answer_form(question))
    form = answer_form(question, request.form)
    action = request.form.get("action", "save")
    action = action if action in ACTIONS else "save"
    if action != "save":
        moderators_only()
    if not form.validate():
        return render_answer(question, form)
    if action == "publish" and not sanitize.html_to_text(form.clean_answer).strip():
        return render_answer(question, form, "Hãy viết câu trả lời trước khi đăng.")
    first_publication = action == "publish" and question.published_at is None
    save_answer(question, form, action)
    if first_publication and participation.tell_asker(question):
        flash("Đã gửi thư báo cho người hỏi.", "info")
    flash(ACTIONS[action], "success")
    return redirect(url_for("admin.question_answer", question_id=question.id), 303)


def save_answer(question: Question, form: AnswerForm, action: str) -> None:
    question.topic, question.title, question.body = form.topic.data, form.title.data, form.body.data
    if form.clean_answer != question.answer:
        participation.set_answer(question, form.clean_answer, current_user)
    if action == "publish":
        participation.publish(question, current_user)
    elif action == "unpublish":
        participation.unpublish(question)
    elif action == "spam":
        participation.mark_spam(question)
    auth.audit(f"question_{action}", question, question.title[:200])
    db.session.commit()


@auth.rescuer("admin.question_answer")
def rescue_answer(message: str) -> str:
    """A lost session or token shows the answer again with a login box, never an error."""
    question_id = (request.view_args or {}).get("question_id", 0)
    question = db.session.get(Question, question_id) if current_user.is_authenticated else None
    # Signed out, nothing of the stored question is shown: only what this browser sent.
    question = question or Question(id=question_id, status=WAITING, created_at=models.utcnow())
    html, _ = render_answer(
        question, answer_form(question, request.form), message,
        relogin=not current_user.is_authenticated,
    )  # fmt: skip
    return html


@bp.post("/questions/<int:question_id>/delete")
def question_delete(question_id: int):
    """Delete a question for good (editors and admins)."""
    moderators_only()
    question = db.get_or_404(Question, question_id)
    auth.audit("question_delete", question, question.title[:200])
    db.session.delete(question)
    db.session.commit()
    flash("Đã xóa câu hỏi.", "success")
    return redirect(url_for("admin.questions"), 303)


# --- A person's data (Decree 13/2023/NĐ-CP) ------------------------------------------------


@bp.get("/personal-data")
@auth.admins_only
def personal_data():
    """Find what the site keeps about one person, by e-mail address or phone number."""
    form = PersonLookupForm(request.args, meta={"csrf": False})
    found = []
    if form.person.data and form.validate():
        found = participation.questions_of(form.person.data)
        found += participation.comments_of(form.person.data)
        auth.audit("personal_data_view", None, f"{form.person.data}: {len(found)} mục")
        db.session.commit()
    return render_template(
        "admin/personal_data.html", form=form, found=found, confirm=ConfirmForm()
    )


def person_from_form() -> tuple[str, list[Question]]:
    form = PersonLookupForm()
    if not form.validate():
        abort(400)
    person = form.person.data
    return person, participation.questions_of(person) + participation.comments_of(person)


@bp.post("/personal-data/export")
@auth.admins_only
def personal_data_export():
    """Hand over, as a JSON file, everything kept about one person."""
    person, found = person_from_form()
    auth.audit("personal_data_export", None, f"{person}: {len(found)} mục")
    db.session.commit()
    records = [participation.export_record(item) if isinstance(item, Question)
               else participation.export_comment(item) for item in found]  # fmt: skip
    body = json.dumps({"nguoi_yeu_cau": person, "du_lieu": records}, ensure_ascii=False, indent=2)
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = "attachment; filename=du-lieu-ca-nhan.json"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/personal-data/erase")
@auth.admins_only
def personal_data_erase():
    """Erase one person's name and contact details from everything they sent."""
    person, found = person_from_form()
    participation.erase_person(found)
    auth.audit("personal_data_erase", None, f"{person}: {len(found)} mục")
    db.session.commit()
    flash(f"Đã xóa thông tin cá nhân trong {len(found)} mục.", "success")
    return redirect(url_for("admin.personal_data"), 303)


# --- Lịch công tác tuần ------------------------------------------------------------------------

BLANK_ROWS = 8


def week_rows(week) -> list[participation.EntryRow]:
    """The stored lines of a week as table rows, then blank ones to add more."""
    rows = [
        participation.EntryRow(entry.day.isoformat(), {
            name: getattr(entry, name) for name in participation.ENTRY_FIELDS
        })  # fmt: skip
        for entry in (week.entries if week else [])
    ]
    return rows + [participation.EntryRow(values=dict.fromkeys(participation.ENTRY_FIELDS, ""))
                   for _ in range(BLANK_ROWS)]  # fmt: skip


def render_week(monday, rows, published: bool, note: str = ""):
    return form_page(
        "admin/schedule.html", monday=monday, rows=rows, published=published,
        days=participation.week_days(monday), confirm=ConfirmForm(), notice=note,
        this_monday=participation.monday_of(participation.today()),
    )  # fmt: skip


@bp.route("/schedule", methods=["GET", "POST"])
@auth.editors_only
def schedule():
    """Fill a week of the leaders' schedule as a table, and publish it to readers."""
    monday = participation.parse_week(request.args.get("tuan")) or \
        participation.monday_of(participation.today())  # fmt: skip
    week = participation.week_at(monday)
    if request.method == "GET":
        return render_week(monday, week_rows(week), bool(week and week.published))
    ConfirmForm().validate_on_submit()  # the CSRF check ran before the view
    rows = participation.read_rows(request.form, monday)
    published = request.form.get("published") == "y"
    if any(row.error for row in rows):
        blank = [participation.EntryRow(values=dict.fromkeys(participation.ENTRY_FIELDS, ""))]
        return render_week(monday, rows + blank * BLANK_ROWS, published,
                           "Lịch chưa được lưu: hãy sửa các dòng có ghi chú lỗi.")  # fmt: skip
    week = participation.save_week(monday, rows, published)
    db.session.flush()
    auth.audit("schedule_save", week, f"Tuần {monday:%d/%m/%Y}: {len(rows)} dòng")
    db.session.commit()
    flash(f"Đã lưu lịch tuần {monday:%d/%m/%Y}" + (" và đăng lên trang." if published else
          " (chưa đăng)."), "success")  # fmt: skip
    return redirect(url_for("admin.schedule", tuan=monday.isoformat()), 303)


# --- Thăm dò ý kiến ------------------------------------------------------------------------


@bp.get("/polls")
@auth.editors_only
def polls():
    """List every poll, newest first, with its state and ballots."""
    found = db.session.scalars(select(Poll).order_by(Poll.opens_at.desc())).all()
    return render_template("admin/polls.html", polls=found, confirm=ConfirmForm())


@bp.route("/polls/new", methods=["GET", "POST"])
@bp.route("/polls/<int:poll_id>/edit", methods=["GET", "POST"])
@auth.editors_only
def poll_edit(poll_id: int | None = None):
    """Create a poll or change one; its choices are fixed once someone has voted."""
    poll = db.get_or_404(Poll, poll_id) if poll_id else None
    form = PollForm(obj=poll)
    if request.method == "GET" and poll:
        form.choices_text.data = "\n".join(choice.label for choice in poll.choices)
    if form.validate_on_submit():
        if poll is not None and poll.total and form.labels != [c.label for c in poll.choices]:
            form.choices_text.errors.append("Đã có người bình chọn: không thể đổi các phương án.")
        else:
            poll = save_poll(poll, form)
            flash("Đã lưu cuộc thăm dò.", "success")
            return redirect(url_for("admin.polls"), 303)
    return form_page("admin/poll_form.html", form=form, poll=poll)


def save_poll(poll: Poll | None, form: PollForm) -> Poll:
    poll = poll or Poll()
    poll.question, poll.multiple = form.question.data, form.multiple.data
    poll.opens_at, poll.closes_at = form.opens_at.data, form.closes_at.data
    if [choice.label for choice in poll.choices] != form.labels:
        poll.choices = [PollChoice(label=label, position=n) for n, label in enumerate(form.labels)]
    db.session.add(poll)
    db.session.flush()
    auth.audit("poll_save", poll, poll.question[:200])
    db.session.commit()
    return poll


@bp.post("/polls/<int:poll_id>/delete")
@auth.editors_only
def poll_delete(poll_id: int):
    poll = db.get_or_404(Poll, poll_id)
    auth.audit("poll_delete", poll, poll.question[:200])
    db.session.delete(poll)
    db.session.commit()
    flash("Đã xóa cuộc thăm dò.", "success")
    return redirect(url_for("admin.polls"), 303)


# --- Góp ý dự thảo -----------------------------------------------------------------------------

COMMENT_DONE = {"approve": "Đã đăng {n} góp ý.", "spam": "Đã chuyển {n} góp ý vào thư rác.",
                "delete": "Đã xóa {n} góp ý."}  # fmt: skip


@bp.get("/comments")
def comments():
    """List readers' comments on draft documents, one tab at a time, with bulk actions."""
    if participation.erase_expired():
        db.session.commit()
    tab = request.args.get("tinh-trang", WAITING)
    tab = tab if tab in TABS else WAITING
    statement = select(DocumentComment).where(DocumentComment.status == tab)
    pagination = db.paginate(statement.order_by(DocumentComment.id.desc()), page=page_number(),
                             per_page=PER_PAGE, error_out=False)  # fmt: skip
    counts = dict(db.session.execute(
        select(DocumentComment.status, func.count()).group_by(DocumentComment.status)
    ).all())  # fmt: skip
    if may_moderate() and any(c.name or c.email for c in pagination.items):
        auth.audit("contact_view", None, f"Góp ý dự thảo: {len(pagination.items)} mục")
        db.session.commit()
    return render_template(
        "admin/comments.html", pagination=pagination, tab=tab, labels=SUBMISSION_LABELS,
        counts={key: counts.get(key, 0) for key in TABS}, bulk=BulkForm(),
    )  # fmt: skip


@bp.post("/comments/bulk")
def comments_bulk():
    """Publish, set aside or delete the ticked comments (editors and admins)."""
    moderators_only()
    form = BulkForm()
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:500]
    back = redirect(request.form.get("back") or url_for("admin.comments"), 303)
    if not form.validate() or not ids:
        flash("Hãy chọn ít nhất một góp ý và một thao tác.", "error")
        return back
    chosen = db.session.scalars(select(DocumentComment).where(DocumentComment.id.in_(ids))).all()
    for comment in chosen:
        if form.action.data == "approve":
            comment.status = PUBLISHED
        elif form.action.data == "spam":
            comment.status = SPAM
        else:
            db.session.delete(comment)
        auth.audit(f"comment_{form.action.data}", comment, comment.body[:200])
    db.session.commit()
    flash(COMMENT_DONE[form.action.data].format(n=len(chosen)), "success")
    return back
