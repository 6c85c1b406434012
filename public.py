"""The reader site: home, categories, articles, static pages. Every article query starts
from `Article.visible()`, so nothing unpublished, scheduled or expired can leak."""

from datetime import datetime
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import and_, or_, select

import caching
import media
import models
from models import Article, Category, CategoryAlias, Page, db
from templating import absolute_url, article_url
from vietnamese import start_of_local_day

bp = Blueprint("public", __name__)
bp.after_request(caching.cache_public_page)

NEIGHBOURS = 10
FEATURED_ON_HOME = 4
PER_CATEGORY_ON_HOME = 4


class BadPageNumber(Exception):
    """The `trang` argument is not a page number; the reader goes to the first page."""


@bp.errorhandler(BadPageNumber)
def first_page(_error):
    args = request.args.to_dict()
    args.pop("trang", None)
    return redirect(url_for(request.endpoint, **request.view_args, **args), 301)


def page_number() -> int:
    """Read `?trang=N`; anything but a positive whole number sends the reader to page 1."""
    raw = request.args.get("trang")
    if raw is None:
        return 1
    if not raw.isdigit() or int(raw) < 1 or raw != str(int(raw)) or int(raw) == 1:
        raise BadPageNumber(raw)
    return int(raw)


def paginate(statement):
    """Paginate a visible-articles select; a page past the end does not exist."""
    number = page_number()
    pagination = db.paginate(
        statement, page=number, per_page=current_app.config["PER_PAGE"], error_out=False
    )
    if number > 1 and number > pagination.pages:
        abort(404)
    return pagination


def last_modified(*moments: datetime | None) -> datetime:
    """The newest of the given times, and never before today began (the header date)."""
    known = [m for m in moments if m is not None]
    return max([*known, start_of_local_day(models.utcnow())])


def cached(html: str, *moments: datetime | None):
    """Wrap rendered HTML in a response that tells caches when its content last changed."""
    response = make_response(html)
    response.last_modified = last_modified(*moments)
    return response


# --- Home and categories --------------------------------------------------------


@bp.get("/")
def home():
    """Show featured news, the latest news, and the latest of each category."""
    latest = paginate(Article.visible())
    if latest.page > 1:
        html = render_template("public/latest.html", pagination=latest)
        return cached(html, *(a.updated_at for a in latest.items))
    featured = db.session.scalars(
        Article.visible().where(Article.featured).limit(FEATURED_ON_HOME)
    ).all()
    sections = [
        (category, latest_in(category, PER_CATEGORY_ON_HOME))
        for category in db.session.scalars(Category.menu())
    ]
    html = render_template(
        "public/home.html", featured=featured, pagination=latest, sections=sections
    )
    return cached(html, *(a.updated_at for a in latest.items), *(a.updated_at for a in featured))


def latest_in(category: Category, limit: int) -> list[Article]:
    """Return the newest visible articles of a category and its sub-categories."""
    ids = [category.id, *(child.id for child in category.children)]
    return db.session.scalars(
        Article.visible().where(Article.category_id.in_(ids)).limit(limit)
    ).all()


def get_category_or_404(slug: str) -> Category:
    """Find a category by its slug; an old slug redirects to the current one."""
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category:
        return category
    alias = db.first_or_404(select(CategoryAlias).where(CategoryAlias.slug == slug))
    abort(redirect(url_for("public.category", slug=alias.category.slug, **request.args), 301))


@bp.get("/chuyen-muc/<slug>")
def category(slug: str):
    """List a category's articles, newest first, a page at a time."""
    category = get_category_or_404(slug)
    ids = [category.id, *(child.id for child in category.children)]
    pagination = paginate(Article.visible().where(Article.category_id.in_(ids)))
    html = render_template("public/category.html", category=category, pagination=pagination)
    return cached(html, category.updated_at, *(a.updated_at for a in pagination.items))


# --- Articles -----------------------------------------------------------------------


def get_visible_article_or_404(article_id: int) -> Article:
    """Find an article readers may see now; anything else is simply not found."""
    return db.first_or_404(Article.visible().where(Article.id == article_id))


def canonical_or_redirect(article: Article, slug: str, endpoint: str = "public.article"):
    """Send a reader who followed a stale slug to the article's current address."""
    if slug != article.slug:
        target = url_for(endpoint, slug=article.slug, article_id=article.id, **request.args)
        abort(redirect(target, 301))


def neighbours(article: Article, newer: bool) -> list[Article]:
    """Return the 10 nearest visible articles of the same category, newest first.

    Order is (publish_at, id), so articles published in the same second keep a fixed order.
    """
    same_time = Article.publish_at == article.publish_at
    if newer:
        after = or_(
            Article.publish_at > article.publish_at, and_(same_time, Article.id > article.id)
        )
        order = (Article.publish_at.asc(), Article.id.asc())
    else:
        after = or_(
            Article.publish_at < article.publish_at, and_(same_time, Article.id < article.id)
        )
        order = (Article.publish_at.desc(), Article.id.desc())
    statement = (
        Article.visible()
        .where(Article.category_id == article.category_id, after)
        .order_by(None)
        .order_by(*order)
        .limit(NEIGHBOURS)
    )
    found = db.session.scalars(statement).all()
    return list(reversed(found)) if newer else list(found)


def share_links(article: Article) -> dict[str, str]:
    """Plain share links: no third-party script runs on our pages."""
    url = quote(absolute_url(article_url(article)), safe="")
    return {
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={url}",
        "Zalo": f"https://sp.zalo.me/share?url={url}",
        "Email": f"mailto:?subject={quote(article.title)}&body={url}",
    }


def render_article(article: Article, preview: bool = False) -> str:
    """Render the "Chi tiết tin" page; the editor desk reuses it for previews."""
    return render_template(
        "public/article.html",
        article=article,
        newer=neighbours(article, newer=True) if article.publish_at else [],
        older=neighbours(article, newer=False) if article.publish_at else [],
        share=share_links(article),
        preview=preview,
    )


@bp.get("/tin/<slug>-<int:article_id>")
def article(slug: str, article_id: int):
    """Show one article with its neighbours in the same category."""
    article = get_visible_article_or_404(article_id)
    canonical_or_redirect(article, slug)
    return cached(render_article(article), article.updated_at, article.publish_at)


@bp.get("/tin/<int:article_id>")
def article_by_id(article_id: int):
    """Accept a bare id (read out over the phone, say) and redirect to the full address."""
    article = get_visible_article_or_404(article_id)
    return redirect(article_url(article), 301)


@bp.get("/tin/<slug>-<int:article_id>/ban-in")
def article_print(slug: str, article_id: int):
    """Show the article alone, laid out for paper."""
    article = get_visible_article_or_404(article_id)
    canonical_or_redirect(article, slug, "public.article_print")
    html = render_template("public/article_print.html", article=article)
    return cached(html, article.updated_at, article.publish_at)


@bp.get("/tin/<slug>-<int:article_id>/luu")
def article_download(slug: str, article_id: int):
    """Offer the article as one self-contained HTML file to keep and read offline."""
    article = get_visible_article_or_404(article_id)
    canonical_or_redirect(article, slug, "public.article_download")
    html = render_template(
        "public/article_saved.html",
        article=article,
        css=saved_page_css(),
        lead_image=media.data_uri(article.image) if article.image else None,
        body=media.embed_images(article.body),
    )
    response = cached(html, article.updated_at, article.publish_at)
    response.headers["Content-Disposition"] = f'attachment; filename="{article.slug}.html"'
    # The saved file carries its own style and pictures, which our page policy would block.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


def saved_page_css() -> str:
    """Return the stylesheet inlined into saved articles."""
    asset = current_app.extensions["assets"]["by_path"]["css/saved.css"]
    return asset.data.decode()


# --- Static pages ---------------------------------------------------------------------------------


@bp.get("/trang/<slug>")
def page(slug: str):
    """Show a static page: Giới thiệu, Cơ cấu tổ chức, Liên hệ..."""
    page = db.first_or_404(select(Page).where(Page.slug == slug))
    return cached(render_template("public/page.html", page=page), page.updated_at)

