"""The desk's front page: what waits for whom. Editors see what awaits their review; authors
see what came back to them, with the reason, and what they sent; everyone sees which of their
articles others published since they last looked (then those are no longer news)."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

import participation
import workflow
from admin import firstday
from admin.blueprint import bp
from models import Article, db
from web import visits

RECENT = 10
MOST_READ_DAYS = 7


@bp.get("/")
def dashboard():
    """Show the counters, what waits for this user, and the latest changes."""
    published = workflow.published_for(current_user)
    if published:
        workflow.mark_news_seen(current_user._get_current_object())
        db.session.commit()
    recent = db.session.scalars(
        workflow.own_articles(select(Article), current_user)
        .order_by(Article.updated_at.desc())
        .limit(RECENT)
    ).all()
    return render_template(
        "admin/dashboard.html",
        counters=workflow.counters(current_user),
        pending=workflow.awaiting_review(current_user),
        returned=workflow.returned_to(current_user),
        published=published,
        submitted=[] if current_user.can_publish else workflow.submitted_by(current_user),
        recent=recent,
        first_day=firstday.checklist(),
        citizens=participation.queue_counts(),
        comments_waiting=participation.comments_waiting(),
        most_read=db.session.execute(visits.most_read(MOST_READ_DAYS)).all(),
    )
