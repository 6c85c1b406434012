"""The province's own pages, on its own host names (PROVINCE_HOSTS): the front page with every
commune's latest news, a combined RSS feed and search, and the admin page where the province's
IT officers see every site's figures and health.

Each commune's content is read inside that site's own app (`sites.front`), so its visibility
rule is the one applied; the officers are accounts of the registry's database, never of a
commune's, signed in by the commune's own code (auth.py). Mounted only by `app.build_province`,
which also gives the pages their error layout (`ERROR_LAYOUT`) and template filter (`FILTERS`).
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests

import auth
import feeds
import models
import search
from forms import ConfirmForm, LoginForm
from media import renditions
from ops import backup, health
from sites import front
from sites import index as province_index
from sites import manage as site_ops
from sites.forms import HostForm, NewCommuneForm, OfficerActionForm, SiteAdminForm
from sites.registry import Registry, RegistryError, Site, normal_host
from vietnamese import fold
from web import caching, errors, limits, security
from web.security import is_desk_path, is_safe_next

bp = Blueprint("province", __name__)

# Stories on the front page's "latest" list and in the combined feed.
LATEST = 20
FEED_ITEMS = 50
# New searches (answered from the index, not from a kept page) one address and everyone may
# make: a reader types a few a minute; a crawler walking every word is slowed down.
SEARCH_PER_ADDRESS = limits.Rate(20, 60)
SEARCH_OVERALL = limits.Rate(600, 60)


# The template filter the province's pages add to the shared ones (its combined feed's dates).
FILTERS = {"rfc822": feeds.rfc822}


def registry() -> Registry:
    return current_app.extensions["registry"]


def newsroom() -> front.Newsroom:
    """The process's reader of every site's news (one per entry app, `front.init_app`)."""
    return current_app.extensions["newsroom"]


@bp.before_request
def refuse_bad_addresses() -> None:
    security.refuse_nul_bytes()
    if request.method == "POST":
        ensure_tables()  # in the registry's database: rate limits' counts, officers' accounts


# --- Errors: web.errors' pages, in the province's layout --------------------------------------

# Never kept: the entry app's pages are the officers' as much as the readers'.
ERROR_LAYOUT = errors.Layout(frame="province/base.html", home="province.home", no_store=True)


# --- Kept pages: the front page, the feed, searches -----------------------------------------


def kept_page(render, mimetype: str = "text/html"):
    """Render a page from the province's index; the page cache keeps it like a commune's
    pages (web.pagecache: one store, one rule, one list of variants) until midnight or the
    index's next scheduled publication or expiry, and answers without this view while the
    newsroom's stamps stay the same. `render(sites)` makes the page's text."""
    sites = newsroom().sites()
    response = make_response(render(sites))
    response.mimetype = mimetype
    names = [site.name for site in sites]
    return caching.cache_public_page(response, horizon=lambda: next_change(names))


def next_change(names: list[str]) -> float:
    """When a story of these sites next appears or disappears by itself (a UNIX time)."""
    moment = index().horizon(names, models.utcnow())
    return moment.timestamp() if moment else float("inf")


def latest(sites: list[Site], limit: int) -> list[front.Story]:
    """The newest visible articles of these sites, from the province's index."""
    urls = site_urls(sites)
    rows = index().latest([site.name for site in sites], models.utcnow(), limit)
    return [front.story_of(row, urls[row.site], row.site) for row in rows]


def communes(sites: list[Site]) -> list[front.Commune]:
    """Every site by name, each with its newest visible story (one indexed step each)."""
    urls = site_urls(sites)
    newest = index().newest_of_each([site.name for site in sites], models.utcnow())
    found = []
    for site in sites:
        row = newest.get(site.name)
        story = front.story_of(row, urls[site.name], site.name) if row else None
        title = row.site_title if row else (site.title or site.name)
        found.append(front.Commune(title, urls[site.name], story))
    return sorted(found, key=lambda commune: fold(commune.title))


def site_urls(sites: list[Site]) -> dict[str, str]:
    return {site.name: site.public_url.rstrip("/") + "/" for site in sites}


@bp.get("/")
def home():
    """Every commune's latest news, newest first, and the list of every commune's site."""

    def render(sites):
        return render_template("province/home.html", latest=latest(sites, LATEST),
                               sites=communes(sites))  # fmt: skip

    return kept_page(render)


def public_url() -> str:
    """The province's own address, for absolute links: PROVINCE_URL, else https:// and its
    first host name. Never the request's Host, which an attacker chooses (`localhost`, an
    extra port) and which a kept page would then show to every reader. Only a first look
    without any configured name (the local names alone are trusted then) uses the request's
    host, and the page is kept apart for each."""
    config = current_app.config
    if config.get("PROVINCE_URL"):
        return config["PROVINCE_URL"].strip().rstrip("/")
    if config["PROVINCE_HOSTS"]:
        return f"https://{config['PROVINCE_HOSTS'][0]}"
    return request.host_url.lower().rstrip("/").rstrip(".")


# --- Pictures: each story's, and the province's emblem ------------------------------------


@bp.get("/anh/<name>/<int:media_id>-<int:width>.<fmt>")
def picture(name: str, media_id: int, width: int, fmt: str):
    """Serve a commune's picture on the province's own host (the page's CSP allows only
    its own images), by asking that site's app exactly as its readers do: only what the
    site shows publicly is served, under the same cache policy."""
    site = next((each for each in newsroom().sites() if each.name == name), None)
    if site is None:
        abort(404)
    app = newsroom().dispatcher.app_for(site)
    path = f"/media/{media_id}-{width}.{fmt}"
    kept = {key: value for key, value in request.headers.items()
            if key.lower() in ("if-none-match", "if-modified-since")}  # fmt: skip
    with app.test_request_context(path, base_url=f"http://{site.hosts[0]}", headers=kept):
        rendition = app.view_functions["public.rendition"]
        return rendition(media_id=media_id, width=width, fmt=fmt)


@bp.get("/bieu-trung.png")
def emblem():
    """The province's emblem (PROVINCE_EMBLEM) as a 96 px square PNG, or Bantin's icon."""
    response = make_response(emblem_png(current_app.config.get("PROVINCE_EMBLEM") or ""))
    response.mimetype = "image/png"
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
    response.add_etag()
    return response.make_conditional(request)


def emblem_png(path: str) -> bytes:
    """Fit the configured emblem into a 96 px square; without one, Bantin's own icon."""
    default = os.path.join(current_app.root_path, "static", "img", "icon-96.png")
    with open(path or default, "rb") as handle:
        return renditions.square_png(handle.read(), 96)


@bp.get("/rss.xml")
def rss():
    """One RSS 2.0 feed of the latest articles of every commune."""
    base = public_url()

    def render(sites):
        items = latest(sites, FEED_ITEMS)
        built = max((item.published for item in items), default=models.utcnow())
        return render_template("province/rss.xml", items=items, built=built, home=base + "/",
                               feed=base + url_for("province.rss"))  # fmt: skip

    return kept_page(render, "application/rss+xml")


@bp.get("/tim-kiem")
def search_page():
    """Search every commune's articles and documents in the province's one index; never
    indexed by search engines."""
    query = search.parse_query({"q": request.args.get("q", "")})
    if query.searchable:
        response = kept_search(query)
    else:
        html = render_template("province/search.html", query=query, per_site=[], hits=[])
        response = make_response(html)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def kept_search(query: search.Query):
    """A search's page, kept like the front page; a new search (one the page cache could not
    answer) is counted against the per-address and overall limits first."""
    wait = search_allowed()
    if wait:
        return make_response(too_many_searches(wait))

    def render(sites):
        matches = index().search(query.terms, [site.name for site in sites], models.utcnow())
        urls = site_urls(sites)
        return render_template(
            "province/search.html", query=query,
            hits=front.merged_matches(matches, search.highlighted(query), urls),
            per_site=front.per_site_totals(matches, query.typed, urls),
        )  # fmt: skip

    return kept_page(render)


def search_allowed() -> int:
    """Count a search the kept pages could not answer against the per-address and overall
    limits (in the registry's database, so every process and server counts alike); return 0,
    or the seconds to wait. Kept answers cost nothing and are never counted."""
    ensure_tables()
    limits_ = {limits.client_address(): SEARCH_PER_ADDRESS, limits.OVERALL: SEARCH_OVERALL}
    return limits.check("tim-kiem-tinh", limits_)


def ensure_tables() -> None:
    """The registry's database holds the rate limits' counts (web.limits) and the officers'
    accounts (auth's tables): make them, and bring an older release's officers into them,
    the first time a process needs them."""
    registry().ensure_created()


def login_again_later(wait: int):
    """An officer's sign-in refused by the rate limit: the form again, with the wait."""
    html = render_template("province/login.html", form=LoginForm(), notice="",
                           message=f"Có quá nhiều lần đăng nhập từ máy này. Xin thử lại sau "
                                   f"{wait} giây.")  # fmt: skip
    return html, 429, {"Retry-After": str(wait)}


def too_many_searches(wait: int):
    words = errors.Words("Tìm kiếm quá nhiều", "Bạn đã tìm nhiều lần trong thời gian ngắn.")
    return errors.render_page(TooManyRequests(), words, {"Retry-After": str(wait)}, wait=wait)


def index() -> province_index.ProvinceIndex:
    return province_index.index_at(current_app.config["SITES_DATABASE_URI"])


# --- The province's admin page ---------------------------------------------------------------


def operators_only(view):
    """Let only a signed-in officer of the province through; send anyone else to sign in.

    The session is checked by the commune's own code (auth.check_session) against the
    registry's database, the only one the entry app reads: a commune's sign-in is not there."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        ensure_tables()
        auth.check_session()
        if not current_user.is_authenticated:
            return redirect(url_for("province.login", next=return_path()))
        g.operator = current_user.username
        return view(*args, **kwargs)

    return wrapped


def return_path() -> str | None:
    """Where an officer sent to sign in comes back to: the page asked for, when it is one
    to read (a form sent without a session is not sent again) and not the desk's front."""
    if request.method != "GET" or request.path == url_for("province.dashboard"):
        return None
    return request.full_path.rstrip("?")


def after_sign_in(target: str | None):
    """Go back to the page that asked for a sign-in, if it is one of the province's desk."""
    if is_safe_next(target) and is_desk_path(urlsplit(target).path):
        return redirect(target)
    return redirect(url_for("province.dashboard"))


@bp.route("/admin/login", methods=["GET", "POST"])
# As the desk's sign-in: a flood of password hashes from many addresses must not take the
# server's cores, whatever the per-name throttle of failures says.
@limits.limit_public_post("dang-nhap-tinh", per_address=limits.Rate(60, 60),
                          overall=limits.Rate(300, 60), keep=login_again_later)
def login():
    """Sign a province IT officer in, in a fresh session, as a commune's desk signs in."""
    ensure_tables()
    auth.check_session()
    if current_user.is_authenticated:
        return redirect(url_for("province.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    notice = "Bạn đã đăng xuất." if "da-dang-xuat" in request.args else ""
    message, status = "", 200
    if form.validate_on_submit():
        user, message = auth.sign_in(form.username.data, form.password.data)
        if user is not None:
            return after_sign_in(form.next.data)
        status = 401
    elif request.method == "POST":
        status = 422
    html = render_template("province/login.html", form=form, message=message, notice=notice)
    return html, status


@bp.post("/admin/logout")
def logout():
    """Sign out: the sign-in is revoked, so no copy of the cookie opens the page again."""
    if ConfirmForm().validate_on_submit():
        ensure_tables()
        auth.sign_out()
    return redirect(url_for("province.login", **{"da-dang-xuat": ""}))


def report_for(site: Site, moment: datetime) -> site_ops.SiteReport:
    """A site's figures; a site whose app cannot even be built is shown with the reason."""
    try:
        return site_ops.site_report(newsroom().dispatcher.app_for(site), site, moment)
    except (OSError, SQLAlchemyError) as err:  # shown to the officer, not hidden in a 500
        current_app.logger.warning("Site %s could not be checked: %s", site.name, err)
        failed = health.Check("Mở trang", False, str(err)[:200])
        return site_ops.SiteReport(site=site, title=site.title, checks=[failed])


@bp.get("/admin/")
@operators_only
def dashboard():
    """Every site with its hosts, state, last publication, size, last backup and health."""
    moment = datetime.now(UTC)
    every = registry().sites()
    reports = [report_for(site, moment) for site in every]
    html = render_template(
        "province/admin.html", reports=reports, operator=g.operator, form=ConfirmForm(),
        total_bytes=sum((r.database_bytes or 0) + r.media_bytes for r in reports),
        enabled=sum(1 for r in reports if r.site.enabled),
        troubled=sum(1 for r in reports if r.problems), backup_days=health.BACKUP_MAX_AGE_DAYS,
        actions=registry().recent_actions(), backup_form=OfficerActionForm(prefix="all"),
    )
    return html


# --- The province's desk: what the `flask site` commands do, in the browser -------------------


def confirmed(form: OfficerActionForm) -> bool:
    """Every action asks for the officer's password again: a session left open on a shared
    computer, or a stolen cookie, changes nothing alone. Checked as a sign-in is (throttled,
    counted, logged), as the commune's desk asks for it again."""
    user, message = auth.authenticate(g.operator, form.password.data)
    if user is not None and user.id == current_user.id:
        auth.note_password_typed()
        models.db.session.commit()
        return True
    wrong = message in ("", auth.LOGIN_FAILED)
    form.password.errors = ["Mật khẩu không đúng." if wrong else message]
    return False


def done(action: str, site: str, detail: str, message: str):
    """Log an action in the province's audit log, tell the officer, go back to the site."""
    registry().record(g.operator, action, site, detail)
    site_ops.registry_changed(registry(), current_app.instance_path)
    flash(message)
    return redirect(url_for("province.site_page", name=site) if site else
                    url_for("province.dashboard"))  # fmt: skip


def build_site(site: Site):
    return current_app.extensions["site_build"](site)


@bp.route("/admin/xa-phuong-moi", methods=["GET", "POST"])
@operators_only
def new_commune():
    """Add a commune's site: its name, title and host names, and its database made at once."""
    form = NewCommuneForm()
    status = 200
    if form.validate_on_submit() and confirmed(form):
        hosts = form.hosts.data.replace(",", " ").split()
        try:
            site = site_ops.add_site(registry(), build_site, form.name.data.strip(), hosts,
                                     form.title.data.strip(), "", None,
                                     current_app.instance_path)  # fmt: skip
        except RegistryError as err:
            form.name.errors = [str(err)]
        else:
            province_index.refresh(build_site(site))
            return done("thêm trang", site.name, ", ".join(site.hosts),
                        f"Đã thêm trang “{site.title}”. Hãy tạo tài khoản quản trị cho xã.")
    if request.method == "POST":
        status = 422
    return render_template("province/new_site.html", form=form, operator=g.operator), status


def site_forms() -> dict:
    return {"state_form": OfficerActionForm(prefix="state"), "host_form": HostForm(prefix="host"),
            "admin_form": SiteAdminForm(prefix="admin"),
            "backup_form": OfficerActionForm(prefix="backup"),
            "remove_host_form": OfficerActionForm(prefix="remove")}  # fmt: skip


def site_page_html(site: Site, forms: dict, status: int = 200):
    report = report_for(site, datetime.now(UTC))
    actions = [a for a in registry().recent_actions(200) if a.site == site.name][:20]
    html = render_template("province/site.html", site=site, report=report, operator=g.operator,
                           actions=actions, **forms)  # fmt: skip
    return html, status


def site_or_404(name: str) -> Site:
    site = registry().get(name)
    if site is None:
        abort(404)
    return site


@bp.get("/admin/trang/<name>")
@operators_only
def site_page(name: str):
    """One site: its state, host names, health, backups, and what officers did to it."""
    return site_page_html(site_or_404(name), site_forms())


def site_action(name: str, form_name: str):
    """The site and its forms, with the one posted validated and confirmed (else None)."""
    site = site_or_404(name)
    forms = site_forms()
    form = forms[form_name]
    ok = form.validate_on_submit() and confirmed(form)
    return site, forms, form if ok else None


@bp.post("/admin/trang/<name>/trang-thai")
@operators_only
def site_state(name: str):
    """Disable a site (its readers get a notice, its data stays) or enable it again."""
    site, forms, form = site_action(name, "state_form")
    if form is None:
        return site_page_html(site, forms, 422)
    enabled = not site.enabled
    registry().set_enabled(site.name, enabled)
    if enabled:
        return done("mở lại trang", site.name, "", f"Trang “{site.title}” đã hoạt động trở lại.")
    return done("tạm ngừng trang", site.name, "", f"Đã tạm ngừng trang “{site.title}”.")


@bp.post("/admin/trang/<name>/ten-mien")
@operators_only
def site_host(name: str):
    """Give the site a host name; with "move", take it from the site that has it."""
    site, forms, form = site_action(name, "host_form")
    if form is None:
        return site_page_html(site, forms, 422)
    host = form.host.data.strip()
    try:
        detail = give_host(site, host, form.move.data)
    except RegistryError as err:
        form.host.errors = [str(err)]
        return site_page_html(site, forms, 422)
    return done("thêm tên miền", site.name, detail, f"Trang “{site.title}” giờ dùng {host}.")


def give_host(site: Site, host: str, move: bool) -> str:
    """Add the host to the site, moving it from its owner when asked; say what was done."""
    owner = registry().host_owners().get(normal_host(host))
    if owner and owner != site.name:
        if not move:
            raise RegistryError(f"Tên miền “{host}” đang thuộc trang “{owner}”: đánh dấu ô "
                                "chuyển để chuyển nó sang trang này.")
        registry().remove_host(owner, host)
        registry().add_host(site.name, host)
        return f"{host} (chuyển từ {owner})"
    registry().add_host(site.name, host)
    return host


@bp.post("/admin/trang/<name>/ten-mien/xoa")
@operators_only
def site_host_remove(name: str):
    """Take a host name from the site (its last one cannot go)."""
    site, forms, form = site_action(name, "remove_host_form")
    host = request.form.get("host", "")
    if form is None:
        return site_page_html(site, forms, 422)
    try:
        registry().remove_host(site.name, host)
    except RegistryError as err:
        form.password.errors = [str(err)]
        return site_page_html(site, forms, 422)
    return done("bỏ tên miền", site.name, host, f"Đã bỏ tên miền {host}.")


@bp.post("/admin/trang/<name>/quan-tri")
@operators_only
def site_admin(name: str):
    """Give a commune its first administrator, with a password shown once."""
    site, forms, form = site_action(name, "admin_form")
    if form is None:
        return site_page_html(site, forms, 422)
    username = form.username.data.strip()
    try:
        password = site_ops.create_site_admin(build_site(site), username,
                                              (form.display_name.data or "").strip())  # fmt: skip
    except RegistryError as err:
        form.username.errors = [str(err)]
        return site_page_html(site, forms, 422)
    return done("tạo quản trị viên xã", site.name, username,
                f"Đã tạo tài khoản “{username}” với mật khẩu {password} . Hãy trao mật khẩu này "
                "cho xã; lần đăng nhập đầu tiên hãy đổi mật khẩu.")


@bp.post("/admin/trang/<name>/sao-luu")
@operators_only
def site_backup(name: str):
    """Back one site up now."""
    site, forms, form = site_action(name, "backup_form")
    if form is None:
        return site_page_html(site, forms, 422)
    try:
        where = site_ops.backup_site(build_site(site))
    except (OSError, RegistryError, backup.BackupError) as err:
        form.password.errors = [f"Không sao lưu được: {err}"]
        return site_page_html(site, forms, 422)
    return done("sao lưu", site.name, os.path.basename(where), f"Đã sao lưu vào {where}.")


@bp.post("/admin/sao-luu-tat-ca")
@operators_only
def backup_all():
    """Back every site up, one after another, in the background: the page shows each site's
    newest backup as they finish."""
    form = OfficerActionForm(prefix="all")
    if not (form.validate_on_submit() and confirmed(form)):
        flash(form.password.errors[0] if form.password.errors else "Hãy nhập lại mật khẩu.")
        return redirect(url_for("province.dashboard"))
    every = [site for site in registry().sites() if site.enabled]
    threading.Thread(target=back_up_each, args=(current_app._get_current_object(), every),
                     daemon=True).start()  # fmt: skip
    return done("sao lưu tất cả", "", f"{len(every)} trang",
                f"Đang sao lưu {len(every)} trang, lần lượt từng trang; tải lại trang này để "
                "xem bản sao lưu mới nhất của từng trang.")


def back_up_each(app, every: list[Site]) -> None:
    """Back each site up in turn; one failing is logged and the others go on."""
    build = app.extensions["site_build"]
    for site in every:
        try:
            site_ops.backup_site(build(site))
        except (OSError, RegistryError, backup.BackupError) as err:
            app.logger.warning("Backup of %s failed: %s", site.name, err)
