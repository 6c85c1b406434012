"""The reader site: home, categories, articles, static pages. Every article query starts
from `Article.visible()`, so nothing unpublished, scheduled or expired can leak."""

import os
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
from flask_login import current_user
from sqlalchemy import select, tuple_

import auth
import documents
import feeds
import models
import participation
import search as search_module
from media import files, markup, renditions, usage
from models import (
    Article,
    ArticleView,
    Attachment,
    Category,
    CategoryAlias,
    Document,
    Media,
    Official,
    Page,
    Setting,
    db,
)
from vietnamese import start_of_local_day
from web import caching, redirects, security, templating
from web.caching import ONE_YEAR
from web.pagination import page_number, paginate
from web.security import is_safe_next
from web.urls import absolute_url, article_url, same_page_url

bp = Blueprint("public", __name__)
bp.before_request(security.refuse_nul_bytes)
bp.after_request(caching.cache_public_page)

NEIGHBOURS = 10
FEATURED_ON_HOME = 4
PER_CATEGORY_ON_HOME = 4


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
    """Show featured news, the latest news, and the latest of each category, each story once."""
    moved = redirects.legacy_query()  # an imported WordPress site's "/?p=12"
    if moved is not None:
        return moved
    featured = db.session.scalars(
        Article.visible().where(Article.featured).limit(FEATURED_ON_HOME)
    ).all()
    shown = [article.id for article in featured]
    latest = paginate(Article.visible().where(Article.id.not_in(shown)))
    if latest.page > 1:
        html = render_template("public/latest.html", pagination=latest)
        return cached(html, *(a.updated_at for a in latest.items))
    shown += [article.id for article in latest.items]
    sections = [
        (category, latest_in(category, PER_CATEGORY_ON_HOME, shown))
        for category in db.session.scalars(Category.menu())
    ]
    html = render_template(
        "public/home.html", featured=featured, pagination=latest, sections=sections
    )
    return cached(html, *(a.updated_at for a in latest.items), *(a.updated_at for a in featured))


def latest_in(category: Category, limit: int, shown: list[int] = ()) -> list[Article]:
    """Return the newest visible articles of a category and its sub-categories, leaving out
    those the page already shows."""
    ids = [category.id, *(child.id for child in category.children)]
    return db.session.scalars(
        Article.visible()
        .where(Article.category_id.in_(ids), Article.id.not_in(shown))
        .limit(limit)
    ).all()


def get_category_or_404(slug: str) -> Category:
    """Find a category by its slug; an old slug redirects to the current one."""
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category:
        return category
    alias = db.first_or_404(select(CategoryAlias).where(CategoryAlias.slug == slug))
    target = same_page_url("public.category", {"slug": alias.category.slug}, request.args)
    abort(redirect(target, 301))


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
        view_args = {"slug": article.slug, "article_id": article.id}
        target = same_page_url(endpoint, view_args, request.args)
        abort(redirect(target, 301))


def neighbours(article: Article, newer: bool) -> list[Article]:
    """Return the 10 nearest visible articles of the same category, newest first.

    Order is (publish_at, id), so articles published in the same second keep a fixed order.
    """
    # A row-value comparison, which both databases read as a range of the category's index.
    key, here = tuple_(Article.publish_at, Article.id), (article.publish_at, article.id)
    if newer:
        after, order = key > here, (Article.publish_at.asc(), Article.id.asc())
    else:
        after, order = key < here, (Article.publish_at.desc(), Article.id.desc())
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
        views=views_shown(article),
    )


def views_shown(article: Article) -> int | None:
    """The article's views so far, where the site chooses to show them ("Lượt xem")."""
    if Setting.values().get("show_views") != "1" or article.id is None:
        return None
    return db.session.scalar(ArticleView.total(article.id))


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
        lead_image=markup.data_uri(article.image) if article.image else None,
        body=markup.embed_images(article.body, absolute_url("")),
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
    html = render_template("public/page.html", page=page, officials=officials_for(page))
    return cached(html, page.updated_at)


# --- Search ---------------------------------------------------------------------------------


@bp.get("/tim-kiem")
def search():
    """Find visible articles and documents by their words, typed with or without marks."""
    query = search_module.parse_query(request.args)
    results = None
    if query.searchable:
        results = search_module.run(query, page_number(), current_app.config["PER_PAGE"])
        if results.page > 1 and results.page > results.pages:
            abort(404)
    # Answered questions ("Hỏi đáp") matching every word, beside the first page of results.
    first_page = results is not None and results.page == 1 and not query.filtered
    html = render_template(
        "public/search.html",
        query=query.typed,
        search=query,
        results=results,
        questions=participation.search_questions(query) if first_page else [],
        categories=db.session.scalars(select(Category).order_by(Category.position)).all(),
    )
    return cached(html)


# --- Documents ("Văn bản") -----------------------------------------------------------------


@bp.get("/van-ban")
def documents_list():
    """List the commune's documents, newest first, narrowed by the reader's filters."""
    filters = documents.DocumentFilter.from_args(request.args)
    pagination = paginate(filters.apply(documents.newest_first()), counted=True)
    html = render_template(
        "public/documents.html",
        pagination=pagination,
        filters=filters,
        choices=documents.choices(),
    )
    return cached(html, *(d.updated_at for d in pagination.items))


@bp.get("/van-ban/<slug>-<int:document_id>")
def document(slug: str, document_id: int):
    """Show one document with every field of the registry and its files."""
    document = db.get_or_404(Document, document_id)
    if slug != documents.document_slug(document.number):
        abort(redirect(documents.document_url(document), 301))
    html = render_template("public/document.html", document=document)
    return cached(html, document.updated_at)


# --- Organisation ---------------------------------------------------------------------------


def officials_for(page: Page) -> list[Official]:
    """Return the officials listed on the organisation pages (none on other pages)."""
    if not page.show_officials:
        return []
    return db.session.scalars(Official.in_order()).all()


# --- Feeds, sitemaps, robots -----------------------------------------------------------------


def xml_response(html: str, mimetype: str, *moments: datetime | None):
    response = cached(html, *moments)
    response.mimetype = mimetype
    return response


@bp.get("/rss.xml")
def rss():
    """Offer the latest news as an RSS 2.0 feed."""
    return render_feed(None)


@bp.get("/chuyen-muc/<slug>/rss.xml")
def category_rss(slug: str):
    """Offer a category's latest news as an RSS 2.0 feed."""
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        alias = db.first_or_404(select(CategoryAlias).where(CategoryAlias.slug == slug))
        return redirect(url_for("public.category_rss", slug=alias.category.slug), 301)
    return render_feed(category)


def render_feed(category: Category | None):
    items, changed = feeds.feed_items(category)
    page = url_for("public.category", slug=category.slug) if category else url_for("public.home")
    xml = render_template(
        "public/rss.xml",
        category=category,
        items=items,
        page_url=absolute_url(page),
        self_url=absolute_url(request.path),
        built=feeds.rfc822(changed or models.utcnow()),
    )
    return xml_response(xml, "application/rss+xml", changed)


@bp.get("/sitemap.xml")
def sitemap():
    """List every public address for search engines, or an index when there are too many."""
    parts = feeds.sitemap_part_count()
    if parts == 1:
        return render_sitemap(1)
    links = [absolute_url(url_for("public.sitemap_part", number=n)) for n in range(1, parts + 1)]
    xml = render_template("public/sitemap_index.xml", links=links)
    return xml_response(xml, "application/xml")


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    """Serve one file of a sitemap split at 50,000 addresses."""
    if not 1 <= number <= feeds.sitemap_part_count():
        abort(404)
    return render_sitemap(number)


def render_sitemap(number: int):
    urls = feeds.sitemap_part(number)
    return xml_response(render_template("public/sitemap.xml", urls=urls), "application/xml")


@bp.get("/robots.txt")
def robots():
    """Point crawlers to the sitemap and keep them out of the desk and search results."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem",
        f"Sitemap: {absolute_url(url_for('public.sitemap'))}",
    ]
    response = make_response("\n".join(lines) + "\n")
    response.mimetype = "text/plain"
    return response


# --- Images, files and the data saver -------------------------------------------------------


@bp.get("/media/<int:media_id>-<int:width>.<fmt>")
def rendition(media_id: int, width: int, fmt: str):
    """Serve a web-sized copy of an image while something published shows it; signed-in
    staff get any image, privately (files.cache_headers says how long each may keep it)."""
    if width not in renditions.RENDITION_WIDTHS or fmt not in renditions.FORMATS:
        abort(404)
    media = db.session.get(Media, media_id) if media_id <= usage.LARGEST_ID else None
    if media is None or not media.is_image:
        abort(404)
    public = usage.shown_publicly(media.id)
    if not public and not signed_in_staff():
        abort(404)
    try:
        path = renditions.rendition_path(media, width, fmt)
    except renditions.Busy:
        abort(503)  # a lost size is remade when an image slot frees up; the reader retries
    return files.send_stored(path, renditions.FORMATS[fmt][1], True, public)


def signed_in_staff() -> bool:
    """Tell whether a live desk session (not an idle or revoked one) made this request."""
    auth.check_session()
    return current_user.is_authenticated


@bp.get("/icon-<int:size>.png")
def icon(size: int):
    """Serve the site's logo as a square PNG (favicon, home-screen icon, header emblem), or
    the icon shipped with Bantin when no logo is set.

    Pages link it with `?v=<logo id>`, so that address can be kept a year; a bare address
    (an old bookmark, a crawler) is revalidated like a page.
    """
    if size not in renditions.ICON_SIZES:
        abort(404)
    logo = templating.site_image("logo")
    if logo is None:
        path = os.path.join(current_app.root_path, "static", "img", f"icon-{size}.png")
    else:
        path = renditions.icon_path(logo, size)
    with open(path, "rb") as handle:  # a few kilobytes: read at once, no file left open
        response = make_response(handle.read())
    response.mimetype = "image/png"
    response.add_etag()
    response.cache_control.public = True
    if request.args.get("v") == str(logo.id if logo else 0):
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
    return response.make_conditional(request)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico when a page names no icon (feeds, images): send the PNG."""
    return redirect(url_for("public.icon", size=32), 301)


@bp.get("/tep/<int:attachment_id>")
def attachment(attachment_id: int):
    """Download an attachment under its original (Vietnamese) name and stored type."""
    item = db.get_or_404(Attachment, attachment_id)
    if not files.attachment_is_public(item):
        abort(404)
    return files.send_attachment(item, public=True)


@bp.get("/tiet-kiem-du-lieu")
def save_data_switch():
    """Turn the reader's data saver on (`?bat=1`) or off (`?bat=0`), then go back.

    A plain GET link, on purpose: it works without JavaScript and needs no session, while a
    POST form would need a CSRF token and so a session cookie on every reader, which would
    make every public page uncacheable. The worst a forged link can do is switch pictures on
    or off in one browser, which the reader sees and undoes with one tap. The answer is never
    cached, and the link carries rel=nofollow so crawlers leave it alone.
    """
    target = request.args.get("next", "")
    response = redirect(target if is_safe_next(target) else url_for("public.home"))
    response.set_cookie(
        markup.SAVE_DATA_COOKIE,
        "1" if request.args.get("bat") == "1" else "0",
        max_age=ONE_YEAR,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    response.cache_control.no_store = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response
