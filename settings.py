"""Every configuration key Bantin reads, with its default and its meaning: the one table.

`create_app` loads these defaults first, then `instance/config.py`, then `FLASK_*` variables
(or a test's config). Code reads `current_app.config[NAME]` and never keeps a fallback of its
own. The README's settings table is checked against `DOCUMENTED` by a test, so the two agree.
"""

import os
from dataclasses import dataclass
from datetime import timedelta

# A development value; a production start with it refuses to run (ops.production).
DEFAULT_SECRET_KEY = "dev-only-not-secret"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Option:
    """One configuration key: its default (a callable takes the instance folder) and meaning."""

    name: str
    default: object
    shown: str
    meaning: str

    def value(self, instance_path: str):
        return self.default(instance_path) if callable(self.default) else self.default


def sqlite_uri(instance_path: str) -> str:
    return "sqlite:///" + os.path.join(instance_path, "bantin.db")


def under(*parts: str):
    """Return a default that lives under the instance folder."""
    return lambda instance_path: os.path.join(instance_path, *parts)


# The settings an IT officer may change, in the order the README lists them.
DOCUMENTED = (
    Option("SECRET_KEY", DEFAULT_SECRET_KEY, "a development value",
           "signs sessions; a production start with the default refuses to run, a debug start "
           "replaces it with a random key for that run (`make config` writes a random one)"),
    Option("SQLALCHEMY_DATABASE_URI", sqlite_uri, "`sqlite:///instance/bantin.db`",
           "the database (PostgreSQL: `postgresql+psycopg://...`)"),
    Option("MEDIA_ROOT", under("media"), "`instance/media`",
           "uploaded files and their derived sizes"),
    Option("MAX_CONTENT_LENGTH", 2 * MEGABYTE, "2 MB",
           "the largest request body accepted from anyone; a larger one is refused (413) "
           "before it is read"),
    Option("MAX_UPLOAD_LENGTH", 25 * MEGABYTE, "25 MB",
           "the largest request body of a form that takes files, from signed-in staff only "
           "(keep it above the per-file limits)"),
    Option("BODY_IDLE_SECONDS", 10, "10",
           "seconds a request body may send nothing before it is ended with a 408 (granian "
           "has no timeout of its own; behind nginx, `client_body_timeout` ends it first)"),
    Option("BODY_MIN_RATE", 500, "500",
           "bytes a second a request body must average once it has made the server wait "
           "`BODY_GRACE_SECONDS` (the slowest 2G phone sends about 3,750); slower: 408"),
    Option("BODY_GRACE_SECONDS", 5, "5",
           "seconds of waiting for a body before `BODY_MIN_RATE` applies"),
    Option("BODY_STALLED_EXIT_SECONDS", 10, "10",
           "under granian, seconds a worker may stay frozen by a body ended with a 408 whose "
           "client went silent without closing; then the worker ends and granian starts a "
           "fresh one (0: never)"),
    Option("MEDIA_MAX_IMAGE_BYTES", 15 * MEGABYTE, "15 MB",
           "the largest image file; bigger ones get a clear message"),
    Option("MEDIA_MAX_FILE_BYTES", 20 * MEGABYTE, "20 MB",
           "the largest attachment (PDF, Word, Excel, PowerPoint, ODT, ODS, ZIP)"),
    Option("MEDIA_MAX_PIXELS", 40_000_000, "40 000 000",
           "the largest image in pixels (guards against decompression bombs)"),
    Option("MEDIA_MAX_CONCURRENT", 2, "2",
           "images decoded and resized at once by each server process; more wait their turn "
           "(each costs up to about 150 MB, see BENCHMARKS.md)"),
    Option("PER_PAGE", 10, "10", "articles per list page"),
    Option("PUBLIC_MAX_AGE", 300, "300",
           "seconds a reader's browser may reuse a page without asking"),
    Option("SITE_URL", "", "empty",
           "the public address (`https://xahoason.gov.vn`): every absolute link (canonical, "
           "feeds, sitemap, share links) starts with it; `flask check` and a production start "
           "warn when it is empty"),
    Option("TRUSTED_HOSTS", None, "`SITE_URL`'s host, `localhost`, `127.0.0.1`",
           "the host names the site answers for; any other `Host` gets a 400 "
           "(a list, or `FLASK_TRUSTED_HOSTS=\"a.gov.vn, b.gov.vn\"`)"),
    Option("TRUSTED_PROXIES", 0, "0",
           "proxies in front of the app whose `X-Forwarded-*` headers count (nginx: 1)"),
    Option("SESSION_COOKIE_SECURE", False, "false",
           "send the login cookie over HTTPS only: set `true` behind TLS"),
    Option("LOG_DIR", under("logs"), "`instance/logs`",
           "where `bantin.log` rotates (5 MB × 10); empty: stderr only"),
    Option("LOG_LEVEL", "INFO", "`INFO`", "`WARNING` keeps only problems"),
    Option("LOG_FLUSH_SECONDS", 1, "1",
           "seconds a request's line may wait to be written with others (a cached page then "
           "takes half the time); problems are written at once; 0: every line at once"),
    Option("BACKUP_DIR", under("backups"), "`instance/backups`",
           "where `flask backup` without a file and the desk's backups go"),
    Option("SESSION_IDLE_MINUTES", 60, "60",
           "an editor's session ends after this long without a request (typing keeps it alive)"),
    Option("LOGIN_WINDOW_MINUTES", 15, "15",
           "how long failed logins count against an account or an address"),
    Option("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, "5",
           "failed logins for one account from one IP address within the window before "
           "that address must wait for it (the owner elsewhere still signs in)"),
    Option("LOGIN_MAX_FAILURES_PER_ADDRESS", 30, "30",
           "failed logins per IP address within the window before it is refused"),
    Option("LOGIN_ACCOUNT_UNDER_ATTACK", 20, "20",
           "failed logins for one account from all addresses within the window after which "
           "each address that failed for it waits, except addresses it signed in from before"),
    Option("PASSWORD_CONFIRM_MINUTES", 10, "10",
           "minutes after typing the password during which accounts may be changed and "
           "backups taken without typing it again"),
    Option("SITEMAP_MAX_URLS", 50_000, "50000",
           "addresses per sitemap file; past it `/sitemap.xml` becomes an index"),
    # 8 MB holds about 930 kept pages (a commune's 310 most read in 3 variants each; the demo
    # site's every page takes 1.4 MB) and keeps a worker under 80 MB (BENCHMARKS.md,
    # "Lighter processes").
    Option("PAGE_CACHE_MAX_BYTES", 8 * MEGABYTE, "8 MB",
           "memory each server process may keep finished public pages in; 0 turns the cache off"),
    Option("MAIL_SERVER", "", "empty",
           "the SMTP server that sends the desk's notices (`smtp.gmail.com`, a province's "
           "mail server); empty: no e-mail is sent and nothing fails"),
    Option("MAIL_PORT", 587, "587", "its port; 465 means TLS from the start (SMTPS)"),
    Option("MAIL_USE_TLS", True, "true",
           "upgrade the connection with STARTTLS before signing in (`false` only for a relay "
           "on the same machine)"),
    Option("MAIL_USERNAME", "", "empty", "the account to sign in with; empty: no sign-in"),
    Option("MAIL_PASSWORD", "", "empty", "its password (an app password for Gmail)"),
    Option("MAIL_DEFAULT_SENDER", "", "`MAIL_USERNAME`",
           "the From address (`UBND xã Hòa Sơn <no-reply@hoason.gov.vn>`); empty: "
           "`MAIL_USERNAME`, or `no-reply@` the host of `SITE_URL`"),
    Option("SITES_DATABASE_URI", lambda path: "sqlite:///" + os.path.join(path, "sites.db"),
           "`sqlite:///instance/sites.db`",
           "province hosting: the list of sites and their host names; on PostgreSQL each site's "
           "tables are a schema of this database (a single commune never creates it)"),
    Option("SITES_ROOT", under("sites"), "`instance/sites`",
           "province hosting: one folder per site (media, backups, SQLite file); a shared "
           "volume when several servers serve the sites"),
    Option("SITES_LIVE_MAX", 200, "200",
           "province hosting: sites each server process keeps ready; the least recently "
           "visited is let go beyond it (memory, about 2 MB a site)"),
    Option("SITES_HUGE_PAGES", True, "true",
           "province hosting: put the sites' objects on 2 MB memory pages soon after each site "
           "is built (Linux; hot pages across 150 sites answer faster); false: 4 KB pages"),
    Option("PROVINCE_HOSTS", (), "none",
           "province hosting: host names of the province's own front page (combined news, "
           "feed and search); every other host must belong to a site"),
    Option("PROVINCE_TITLE", "Tin tức các xã, phường", "Tin tức các xã, phường",
           "province hosting: the name at the top of the province's front page"),
    Option("PROVINCE_EMBLEM", "", "none (Bantin's icon)",
           "province hosting: the path of the province's emblem (PNG, JPEG or WebP), shown "
           "beside its name at the top of the front page"),
    Option("PROVINCE_URL", "", "`https://` and the first of `PROVINCE_HOSTS`",
           "province hosting: the public address of the province's front page, from which its "
           "feed's links are built (never from the request's host)"),
    Option("CITIZENS_CONTACT_MONTHS", 12, "12",
           "months a question's sender details (name, phone, e-mail) are kept after the "
           "answer, then erased by `flask erase-contacts` or when the desk opens its queue"),
    Option("CITIZENS_MAX_WAITING_PER_ADDRESS", 5, "5",
           "questions one network address may have waiting for staff at once"),
    Option("CITIZENS_MAX_WAITING", 2000, "2000",
           "questions waiting in all; beyond it the form asks readers to come back later"),
    Option("CITIZENS_MIN_FILL_SECONDS", 4, "4",
           "a public form sent back sooner than this after it was shown is taken for a bot's"),
)

# Settings fixed by the design or tuned only by tests; not part of the README's table.
INTERNAL = (
    # A minute: in a province each write opens, writes and closes every site read since the
    # last (3 ms a site; 150 sites every 10 s were 4-5 % of a worker, BENCHMARKS.md,
    # "Beside the hits"), and a day's counts need no fresher figure (a page shows them when
    # it is rendered again); a worker writes what it holds as it ends.
    Option("VISITS_FLUSH_SECONDS", 60, "", "how often a process writes its visit counts "
           "(web.visits); 0 writes them only when asked, as the tests do"),
    Option("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True}, "", "checked connections"),
    Option("SESSION_COOKIE_HTTPONLY", True, "", "scripts never read the session cookie"),
    Option("SESSION_COOKIE_SAMESITE", "Lax", "", "no session cookie on cross-site POSTs"),
    Option("REMEMBER_COOKIE_HTTPONLY", True, "", "the same for Flask-Login's cookie"),
    Option("REMEMBER_COOKIE_SAMESITE", "Lax", "", "the same for Flask-Login's cookie"),
    Option("PERMANENT_SESSION_LIFETIME", timedelta(hours=2), "", "the longest a cookie lives"),
    # Tokens live as long as the session: a form left open for hours still saves.
    Option("WTF_CSRF_TIME_LIMIT", None, "", "CSRF tokens expire with the session"),
    # A body's text must reach its field's own check (a message that keeps the text), so a
    # multipart field may hold the longest body sanitize accepts, in UTF-8.
    Option("MAX_FORM_MEMORY_SIZE", MEGABYTE, "", "the largest text field of a multipart form"),
    Option("PASSWORD_HASH_METHOD", "scrypt", "", "Werkzeug's default; tests use a cheap one"),
    Option("LOG_MAX_BYTES", 5 * MEGABYTE, "", "size of one log file before it rotates"),
    Option("LOG_BACKUPS", 10, "", "rotated log files kept"),
    Option("MAIL_TIMEOUT", 10, "", "seconds the background sender waits on an SMTP server"),
    # Province hosting sets these per site (sites.config); a single commune keeps the defaults.
    Option("SITE_NAME", "", "", "the site's name in the province registry"),
    Option("DATABASE_SCHEMA", None, "", "the PostgreSQL schema of a site's tables"),
    Option("PAGE_CACHE_STAMP", None, "", "the stamp file (default instance/page-cache.stamp)"),
)


def defaults(instance_path: str) -> dict:
    """Return every setting's default for an app whose instance folder is `instance_path`."""
    return {option.name: option.value(instance_path) for option in DOCUMENTED + INTERNAL}


def readme_rows() -> list[str]:
    """Return the README's settings table rows, as `tests/test_settings.py` compares them."""
    return [f"| `{o.name}` | {o.shown} | {o.meaning} |" for o in DOCUMENTED]
