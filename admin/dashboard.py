"""The desk's front page: what needs attention now."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from admin.articles import counters, own_articles
from admin.blueprint import bp
from models import Article, db

RECENT = 10


@bp.get("/")
def dashboard():
    """Show the counters, articles awaiting review, and the latest changes."""
    pending = []
    if current_user.can_publish:
        pending = db.session.scalars(
            select(Article).where(Article.status == "pending").order_by(Article.updated_at.desc())
        ).all()
    recent = db.session.scalars(
        own_articles(select(Article)).order_by(Article.updated_at.desc()).limit(RECENT)
    ).all()
    return render_template(
        "admin/dashboard.html", counters=counters(), pending=pending, recent=recent
    )
