"""Readers who speak: "Hỏi đáp" (questions answered by the commune) and the form to ask.

Lists and answers are ordinary cached public pages. The forms are never cached (they carry a
CSRF token) and go through one guard before anything is stored: a hidden field only bots fill
in, a minimum fill time, and caps per address and overall (participation.py). A form whose
token expired comes back filled in, so a reader's long question is never lost.
"""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError

import auth
import feeds
import mail
import models
import participation
from forms import CommentForm, QuestionForm, ReaderForm, choices
from models import PUBLISHED, WAITING, Document, DocumentComment, Poll, Question, db
from public import cached, xml_response
from web import caching, errors, limits, pagecache, security
from web.limits import Rate, limit_public_post
from web.pagination import paginate
from web.templating import SAVED_DRAFTS
from web.urls import absolute_url, same_page_url

bp = Blueprint("citizens", __name__)
bp.before_request(security.refuse_nul_bytes)
bp.after_request(caching.cache_public_page)

ASK_DRAFT = "hoi-dap"
SENT = (
    "Câu hỏi của bạn đã được gửi. Cán bộ xã sẽ trả lời và đăng cùng câu hỏi trên trang Hỏi "
    "đáp; thông tin liên hệ của bạn không được đăng."
)
TOO_FAST = "Biểu mẫu được gửi quá nhanh. Hãy kiểm tra lại nội dung rồi bấm “Gửi câu hỏi”."
TOO_MANY_FROM_YOU = (
    "Bạn đã có nhiều câu hỏi đang chờ trả lời. Hãy chờ cán bộ xã trả lời rồi gửi thêm; nội "
    "dung bạn vừa nhập vẫn còn dưới đây."
)
QUEUE_FULL = (
    "Hiện có quá nhiều câu hỏi đang chờ xử lý. Hãy gửi lại sau ít giờ; nội dung bạn vừa nhập "
    "vẫn còn dưới đây."
)
COMMENT_EXPIRED = (
    "Phiên làm việc đã hết hạn nên góp ý chưa được gửi. Nội dung bạn nhập vẫn còn dưới đây: "
    "hãy kiểm tra rồi bấm “Gửi góp ý” lần nữa."
)
TOKEN_EXPIRED = (
    "Phiên làm việc đã hết hạn nên câu hỏi chưa được gửi. Nội dung bạn nhập vẫn còn dưới "
    "đây: hãy kiểm tra rồi bấm “Gửi câu hỏi” lần nữa."
)


# --- Hỏi đáp: reading ---------------------------------------------------------------------


@bp.get("/hoi-dap")
def questions():
    """List answered questions, newest first, of one topic when the reader picks one."""
    topic = request.args.get("linh-vuc", "")
    statement = Question.visible()
    if topic:
        if topic not in participation.TOPICS:
            return redirect(url_for("citizens.questions"), 301)
        statement = statement.where(Question.topic == topic)
    pagination = paginate(statement)
    html = render_template(
        "citizens/questions.html", pagination=pagination, topic=topic,
        topics=participation.TOPICS,
    )  # fmt: skip
    return cached(html, *(q.updated_at for q in pagination.items))


@bp.get("/hoi-dap/<slug>-<int:question_id>")
def question(slug: str, question_id: int):
    """Show one question with its answer."""
    question = db.first_or_404(Question.visible().where(Question.id == question_id))
    if slug != participation.question_slug(question):
        view_args = {"slug": participation.question_slug(question), "question_id": question.id}
        return redirect(same_page_url("citizens.question", view_args, request.args), 301)
    html = render_template("citizens/question.html", question=question)
    return cached(html, question.updated_at)


@bp.get("/hoi-dap/rss.xml")
def questions_rss():
    """Offer the latest answered questions as an RSS 2.0 feed."""
    items, changed = feeds.question_items()
    xml = render_template(
        "public/rss.xml",
        category={"name": "Hỏi đáp", "description": "Câu hỏi của người dân và trả lời của xã"},
        items=items,
        page_url=absolute_url(url_for("citizens.questions")),
        self_url=absolute_url(request.path),
        built=feeds.rfc822(changed or models.utcnow()),
    )
    return xml_response(xml, "application/rss+xml", changed)


# --- Lịch công tác tuần -----------------------------------------------------------------------


@bp.get("/lich-cong-tac")
def schedule():
    """Show a published week of the leaders' schedule: this week unless `?tuan=` names one."""
    this_monday = participation.monday_of(participation.today())
    asked = request.args.get("tuan")
    monday = participation.parse_week(asked) if asked else this_monday
    if monday is None:
        return redirect(url_for("citizens.schedule"), 301)
    week = participation.published_week(monday)
    if week is None and monday != this_monday:
        abort(404)  # an unpublished week, next week's included, does not exist for readers
    next_monday = monday + timedelta(days=7)
    html = render_template(
        "citizens/schedule.html", week=week, monday=monday,
        days=participation.week_days(monday), this_monday=this_monday,
        previous=participation.published_week(monday - timedelta(days=7)),
        following=participation.published_week(next_monday),
        past=participation.past_weeks(this_monday),
    )  # fmt: skip
    return cached(html, week.updated_at if week else None)


# --- Thăm dò ý kiến ----------------------------------------------------------------------------

VOTED = "Cảm ơn bạn đã bình chọn. Kết quả hiện tại ở dưới đây."
VOTE_EXPIRED = "Phiên làm việc đã hết hạn; hãy chọn lại rồi bấm “Bình chọn”."
ALREADY = "Trình duyệt này đã bình chọn trong cuộc thăm dò này."
TOO_MANY_VOTES = (
    "Đã có nhiều lượt bình chọn từ cùng địa chỉ mạng của bạn cho cuộc thăm dò này, nên lượt "
    "này không được tính."
)


def not_stored(response):
    """Poll pages show live counts and carry a form: never kept by a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/tham-do-y-kien")
def polls():
    """List the polls, open ones first."""
    now = models.utcnow()
    found = db.session.scalars(participation.polls_newest_first().limit(100)).all()
    html = render_template(
        "citizens/polls.html", open_polls=[p for p in found if p.is_open(now)],
        closed=[p for p in found if not p.is_open(now)],
    )  # fmt: skip
    return not_stored(make_response(html))


def render_poll(poll, message: str = "", status: int = 200):
    voted = poll.id in participation.voted_polls(request.cookies.get(participation.VOTED_COOKIE))
    form = ReaderForm(formdata=None)
    form.started.data = participation.form_started_token()
    html = render_template(
        "citizens/poll.html", poll=poll, message=message, voted=voted,
        show_form=poll.is_open() and not voted, form=form,
        per_address=participation.VOTES_PER_ADDRESS,
    )  # fmt: skip
    return not_stored(make_response(html, status))


def get_poll_or_404(poll_id: int):
    poll = db.session.get(Poll, poll_id) if poll_id < 2**31 else None
    if poll is None or poll.opens_at > models.utcnow():
        abort(404)
    return poll


@bp.get("/tham-do-y-kien/<int:poll_id>")
def poll(poll_id: int):
    """Show a poll: its form while it is open and this browser has not voted, else results."""
    return render_poll(get_poll_or_404(poll_id))


def vote_again_later(wait: int):
    poll = get_poll_or_404((request.view_args or {}).get("poll_id", 0))
    minutes = max(1, -(-wait // 60))
    message = f"Có quá nhiều lượt bình chọn lúc này; hãy thử lại sau {minutes} phút."
    return render_poll(poll, message, 429)


@bp.post("/tham-do-y-kien/<int:poll_id>")
@limit_public_post(
    "tham-do", per_address=Rate(30, 3600), overall=Rate(3000, 3600), keep=vote_again_later
)
def vote(poll_id: int):
    """Count one ballot: once per browser (a signed cookie), a few times per address."""
    poll = get_poll_or_404(poll_id)
    voted = participation.voted_polls(request.cookies.get(participation.VOTED_COOKIE))
    if not poll.is_open():
        return render_poll(poll, "Cuộc thăm dò đã kết thúc.", 409)
    if poll.id in voted:
        return render_poll(poll, ALREADY, 409)
    if request.form.get("website"):
        return redirect(url_for("citizens.poll", poll_id=poll.id), 303)  # a bot: nothing counted
    if participation.filled_too_fast(request.form.get("started")):
        return render_poll(poll, "Bạn bấm nhanh quá; hãy chọn lại rồi bấm “Bình chọn”.", 422)
    choices = participation.chosen(poll, request.form.getlist("lua-chon"))
    if choices is None:
        hint = "một hoặc nhiều" if poll.multiple else "một"
        return render_poll(poll, f"Hãy chọn {hint} phương án rồi bấm “Bình chọn”.", 422)
    key = participation.sender_key(auth.client_address())
    if participation.ballots_from(poll, key) >= participation.VOTES_PER_ADDRESS:
        return render_poll(poll, TOO_MANY_VOTES, 429)
    with pagecache.unseen_by_readers():  # counts show only on poll pages, never cached
        participation.cast(poll, choices, key)
        db.session.flush()
    db.session.commit()
    flash(VOTED, "success")
    response = redirect(url_for("citizens.poll", poll_id=poll.id), 303)
    response.set_cookie(
        participation.VOTED_COOKIE, participation.voted_cookie(voted | {poll.id}),
        max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )  # fmt: skip
    return response


# --- Góp ý dự thảo ---------------------------------------------------------------------------

COMMENT_SENT = {
    WAITING: "Cảm ơn bạn đã góp ý. Ý kiến sẽ được đăng sau khi cán bộ xã xem.",
    PUBLISHED: "Cảm ơn bạn đã góp ý. Ý kiến của bạn đã được đăng.",
}
COMMENTS_CLOSED = "Văn bản này hiện không lấy ý kiến góp ý."
COMMENT_TOO_FAST = "Biểu mẫu được gửi quá nhanh. Hãy kiểm tra lại nội dung rồi bấm “Gửi góp ý”."
COMMENT_TOO_MANY = (
    "Bạn đã có nhiều góp ý đang chờ cán bộ xã xem. Hãy chờ rồi gửi thêm; nội dung bạn vừa "
    "nhập vẫn còn dưới đây."
)


def get_draft_or_404(document_id: int) -> Document:
    document = db.session.get(Document, document_id) if document_id < 2**31 else None
    if document is None or not participation.takes_comments(document):
        abort(404)
    return document


def comment_response(document: Document, form: CommentForm, message: str = "", status=200):
    """The comment form of a draft: never cached, with a fresh fill stamp."""
    form.started.data = participation.form_started_token()
    html = render_template(
        "citizens/comment.html", document=document, form=form, message=message,
        is_open=participation.comments_open(document),
        comments=participation.published_comments(document), draft_key=f"gop-y-{document.id}",
    )  # fmt: skip
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def comment_again_later(wait: int):
    document = get_draft_or_404((request.view_args or {}).get("document_id", 0))
    minutes = max(1, -(-wait // 60))
    message = f"Hệ thống đang nhận quá nhiều góp ý. Hãy gửi lại sau khoảng {minutes} phút; " \
        "nội dung bạn vừa nhập vẫn còn dưới đây."  # fmt: skip
    return comment_response(document, CommentForm(request.form), message, 429)


@bp.route("/van-ban/<slug>-<int:document_id>/gop-y", methods=["GET", "POST"])
@limit_public_post(
    "gop-y", per_address=Rate(10, 3600), overall=Rate(300, 3600), keep=comment_again_later
)
def comment(slug: str, document_id: int):
    """Show a draft's comments and take a reader's, while the window is open."""
    document = get_draft_or_404(document_id)
    if request.method == "GET":
        return comment_response(document, CommentForm(formdata=None))
    form = CommentForm(request.form)
    if not participation.comments_open(document):
        return comment_response(document, form, COMMENTS_CLOSED, 409)
    if form.website.data:
        return redirect(url_for("citizens.comment", slug=slug, document_id=document.id), 303)
    message = comment_refusal(form)
    if message:
        status = 422 if message == COMMENT_TOO_FAST else 429
        return comment_response(document, form, message, status)
    if not form.validate():
        return comment_response(document, form, status=422)
    status = store_comment(document, form)
    tell_staff_at_most_hourly("gop-y", f"Góp ý mới về dự thảo {document.number}",
                              f"Người dân vừa góp ý về “{document.title}”.",
                              "admin.comments")  # fmt: skip
    flash(COMMENT_SENT[status], "success")
    session[SAVED_DRAFTS] = [f"gop-y-{document.id}"]
    return redirect(url_for("citizens.comment", slug=slug, document_id=document.id), 303)


def comment_refusal(form: CommentForm) -> str | None:
    if participation.filled_too_fast(form.started.data):
        return COMMENT_TOO_FAST
    key = participation.sender_key(auth.client_address())
    limit = current_app.config["CITIZENS_MAX_WAITING_PER_ADDRESS"]
    if participation.comments_waiting_from(key) >= limit:
        return COMMENT_TOO_MANY
    return None


def store_comment(document: Document, form: CommentForm) -> str:
    comment = DocumentComment(
        document=document, body=form.body.data, name=form.name.data,
        email=form.email.data or "", status=participation.comment_status(),
        sender_key=participation.sender_key(auth.client_address()),
    )  # fmt: skip
    comment.contact_until = participation.comment_window_ended(comment)
    db.session.add(comment)
    if comment.status == PUBLISHED:
        db.session.commit()  # shown on the document's page: its cached copies must go
    else:
        with pagecache.unseen_by_readers():
            db.session.flush()
        db.session.commit()
    return comment.status


# --- Hỏi đáp: asking ----------------------------------------------------------------------


def new_question_form(formdata=None) -> QuestionForm:
    form = QuestionForm(formdata=formdata) if formdata is not None else QuestionForm()
    form.topic.choices = choices(participation.TOPICS.items())
    return form


def form_response(form: QuestionForm, message: str = "", status: int = 200):
    """Render the ask form: never cached (it holds this reader's token), a fresh fill stamp."""
    form.started.data = participation.form_started_token()
    html = render_template(
        "citizens/ask.html", form=form, message=message, draft_key=ASK_DRAFT,
        months=participation.retention().days * 12 // 365,
    )  # fmt: skip
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def refusal(form: QuestionForm) -> str | None:
    """Say why a submission is not taken before it is even validated, or None."""
    if participation.filled_too_fast(form.started.data):
        return TOO_FAST
    if participation.queue_full():
        return QUEUE_FULL
    key = participation.sender_key(auth.client_address())
    limit = current_app.config["CITIZENS_MAX_WAITING_PER_ADDRESS"]
    if participation.waiting_from(key) >= limit:
        return TOO_MANY_FROM_YOU
    return None


def store_question(form: QuestionForm) -> Question:
    question = Question(
        topic=form.topic.data, title=form.title.data, body=form.body.data,
        name=form.name.data, phone=form.phone.data or "", email=form.email.data or "",
        sender_key=participation.sender_key(auth.client_address()),
    )  # fmt: skip
    db.session.add(question)
    with pagecache.unseen_by_readers():
        db.session.flush()  # a waiting question changes no page: cached pages stay valid
    db.session.commit()
    return question


# Editors and admins hear of citizens' new writes by e-mail at most once an hour for each
# kind, counted like the rate limits (every process and server agrees): a flood must not
# become a flood of mail. The desk's counts show every one.
NOTICE_EVERY = Rate(1, 3600)


def tell_staff_at_most_hourly(kind: str, subject: str, first: str, queue: str) -> None:
    """Tell the desk that something waits for it, unless it was told within the hour."""
    if not mail.is_enabled() or limits.check(f"thu-bao-{kind}", {limits.OVERALL: NOTICE_EVERY}):
        return
    site = models.Setting.values()["site_name"]
    text = (f"{first}\n\nMọi mục đang chờ xử lý: {absolute_url(url_for(queue))}\n\n"
            f"Thư báo này gửi nhiều nhất một lần mỗi giờ; số mục chờ luôn hiện trên trang "
            f"Tổng quan của bàn biên tập.\n")  # fmt: skip
    participation.tell_staff(f"{subject} – {site}", text)


def sent():
    """The reader's question is in: the form comes back empty, and the browser may drop its
    local copy (static/js/article-form.js reads data-clear-drafts)."""
    flash(SENT, "success")
    session[SAVED_DRAFTS] = [ASK_DRAFT]
    return redirect(url_for("citizens.ask"), 303)


def ask_again_later(wait: int):
    """Too many questions from this address, or from everyone: the form back, filled in."""
    minutes = max(1, -(-wait // 60))
    message = f"Hệ thống đang nhận quá nhiều câu hỏi. Hãy gửi lại sau khoảng {minutes} phút; " \
        "nội dung bạn vừa nhập vẫn còn dưới đây."  # fmt: skip
    response = form_response(new_question_form(request.form), message, 429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/hoi-dap/dat-cau-hoi", methods=["GET", "POST"])
@limit_public_post(
    "hoi-dap", per_address=Rate(10, 3600), overall=Rate(300, 3600), keep=ask_again_later
)
def ask():
    """Take a reader's question; it waits for staff, who answer and publish it."""
    if request.method == "GET":
        form = new_question_form()
        form.topic.data = request.args.get("linh-vuc") or "khac"
        return form_response(form)
    form = new_question_form(request.form)
    if form.website.data:
        return sent()  # a bot filled the hidden field: it is told nothing, nothing is kept
    message = refusal(form)
    if message:
        return form_response(form, message, 429 if message != TOO_FAST else 422)
    if not form.validate():
        return form_response(form, status=422)
    question = store_question(form)
    tell_staff_at_most_hourly("hoi-dap", "Câu hỏi mới chờ trả lời",
                              f"Người dân vừa gửi câu hỏi “{question.title}”.",
                              "admin.questions")  # fmt: skip
    return sent()


@bp.errorhandler(CSRFError)
def token_failed(error: CSRFError):
    """A form whose token expired comes back filled in, from the site's own pages only."""
    if request.endpoint not in ("citizens.ask", "citizens.vote", "citizens.comment") or \
            not auth.same_origin():  # fmt: skip
        return errors.render_error(error)
    if request.endpoint == "citizens.comment":
        document = get_draft_or_404((request.view_args or {}).get("document_id", 0))
        return comment_response(document, CommentForm(request.form), COMMENT_EXPIRED, 400)
    if request.endpoint == "citizens.vote":
        poll = get_poll_or_404((request.view_args or {}).get("poll_id", 0))
        return render_poll(poll, VOTE_EXPIRED, 400)
    return form_response(new_question_form(request.form), TOKEN_EXPIRED, 400)

