"""Addresses the site hands out: an article's canonical path and absolute links."""

from flask import current_app, url_for

from models import Article


def article_url(article: Article, _external: bool = False, **params) -> str:
    """Return the canonical URL of an article: /tin/<slug>-<id>."""
    return url_for(
        "public.article", slug=article.slug, article_id=article.id, _external=_external, **params
    )


def absolute_url(path: str) -> str:
    """Prefix a path with SITE_URL when set (behind a proxy), else with this request's host."""
    base = current_app.config["SITE_URL"]
    if base:
        return base.rstrip("/") + path
    return url_for("public.home", _external=True).rstrip("/") + path
