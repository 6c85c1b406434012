"""The desk's front page: what needs attention now."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

import workflow
from admin.blueprint import bp
from models import Article, db

RECENT = 10


@bp.get("/")
def dashboard():
    """Show the counters, articles awaiting review, and the latest changes."""
    recent = db.session.scalars(
        workflow.own_articles(select(Article), current_user)
        .order_by(Article.updated_at.desc())
        .limit(RECENT)
    ).all()
    return render_template(
        "admin/dashboard.html",
        counters=workflow.counters(current_user),
        pending=workflow.awaiting_review(current_user),
        recent=recent,
    )
