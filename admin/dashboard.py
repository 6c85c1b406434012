"""The desk's front page: what needs attention now."""

from flask import render_template
from sqlalchemy import func, select

from admin.blueprint import bp
from models import Article, db


@bp.get("/")
def dashboard():
    """Show article counts by status and the latest changes."""
    counts = dict(
        db.session.execute(select(Article.status, func.count()).group_by(Article.status)).all()
    )
    recent = db.session.scalars(
        select(Article).order_by(Article.updated_at.desc()).limit(10)
    ).all()
    return render_template("admin/dashboard.html", counts=counts, recent=recent)
