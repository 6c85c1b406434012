"""What every template can use: the site's identity, its menus, Vietnamese dates, URLs."""

from flask import Flask, current_app, g, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

import media
import models
import vietnamese
from models import SETTINGS, Article, Category, Page, Setting, db


def site_settings() -> dict[str, str]:
    """Return the site's settings, read once per request."""
    if "site" not in g:
        g.site = Setting.values()
    return g.site


def menu() -> dict:
    """Return the categories and pages of the main menu, read once per request."""
    if "menu" not in g:
        g.menu = {
            "categories": db.session.scalars(Category.menu()).all(),
            "pages": db.session.scalars(
                select(Page).where(Page.in_menu).order_by(Page.position, Page.title)
            ).all(),
        }
    return g.menu


def inject_site() -> dict:
    try:
        return {"site": site_settings(), "menu": menu()}
    except SQLAlchemyError:
        # The error page must still render when the database itself is what failed.
        db.session.rollback()
        current_app.logger.exception("Could not read settings for the page layout")
        defaults = {key: default for key, (_, default) in SETTINGS.items()}
        return {"site": defaults, "menu": {"categories": [], "pages": []}}


def article_url(article: Article, _external: bool = False, **params) -> str:
    """Return the canonical URL of an article: /tin/<slug>-<id>."""
    return url_for(
        "public.article", slug=article.slug, article_id=article.id, _external=_external, **params
    )


def absolute_url(path: str) -> str:
    """Prefix a path with SITE_URL when set (behind a proxy), else with this request's host."""
    base = current_app.config.get("SITE_URL") or ""
    if base:
        return base.rstrip("/") + path
    return url_for("public.home", _external=True).rstrip("/") + path


def now():
    """Return the current UTC time (through models, so tests can move the clock)."""
    return models.utcnow()


def init_app(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(inject_site)
    app.jinja_env.globals.update(
        article_url=article_url, absolute_url=absolute_url, now=now
    )
    app.jinja_env.filters.update(
        weekday_date=vietnamese.weekday_date,
        short_date=vietnamese.short_date,
        date_time=vietnamese.date_time,
        long_date_time=vietnamese.long_date_time,
        file_kind=media.file_kind,
        file_size=vietnamese.file_size,
    )
