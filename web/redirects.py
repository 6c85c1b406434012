"""Old addresses that answer 301: the `Redirect` table, looked up only on the way to a 404.

Nothing here runs for a page that exists: `web.errors` asks `answer()` when no route (or no
row) answered, and the home page asks only when it is given WordPress's own query (`?p=12`,
`?page_id=3`), since `/` itself always answers. Addresses are compared normalised (see
`normalise`), and a target is always a path of this site, never another site's address, so
the table can never be turned into an open redirect, whoever edits it.
"""

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from flask import Flask, current_app, redirect, request
from sqlalchemy import or_, select

from models import Redirect, db

# Set in the WSGI environ on a request for a merged commune's old host name (province
# hosting's dispatcher marks it; `answer_moved_host` answers it).
MOVED_HOST = "bantin.moved_host"
# Query arguments that only track a click: an old link that carries them is the same link.
TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|zarsrc|_ga)$")
# WordPress's own query addresses; the home page hands them to the table.
LEGACY_QUERY = frozenset({"p", "page_id", "cat", "attachment_id"})
# Characters kept as they are in a normalised path (everything else percent-encoded).
PATH_SAFE = "/-._~!$&'()*+,;=:@"
QUERY_SAFE = PATH_SAFE + "?%"
MAX_LENGTH = 2000
MAX_HOPS = 20
# Browsers may keep a 301 forever; a day lets a corrected row take effect.
MAX_AGE = 86400
CONTROL = re.compile(r"[\x00-\x20\x7f\\]")


class BadAddress(ValueError):
    """An address that cannot be an old link or a target; the message is for the editor."""


def normalise_path(path: str) -> str:
    """Return a path spelled one way: decoded then encoded again, no trailing slash, no dots."""
    path = quote(unquote(path or "/"), safe=PATH_SAFE)
    path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
    return path.rstrip("/") or "/"


def normalise_query(query: str) -> str:
    """Return a query with its arguments sorted and click trackers dropped."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING.match(k)]
    return urlencode(sorted(pairs), quote_via=quote)


def normalise(address: str) -> tuple[str | None, str]:
    """Split an address (a full URL or a path) into its host, if any, and its normalised
    path with query: "https://Xa.vn/2019/05/tin/?utm_source=x" -> ("xa.vn", "/2019/05/tin")."""
    address = (address or "").strip()
    if not address:
        raise BadAddress("Hãy nhập địa chỉ.")
    try:
        parts = urlsplit(address if "://" in address or address.startswith("/") else "/" + address)
        host = parts.hostname
    except ValueError as err:  # "http://[::1": a broken host part
        raise BadAddress("Địa chỉ cũ không hợp lệ; hãy kiểm tra phần tên miền.") from err
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise BadAddress("Địa chỉ cũ phải là một đường dẫn hoặc một địa chỉ http(s).")
    path = normalise_path(parts.path)
    query = normalise_query(parts.query)
    found = path + ("?" + query if query else "")
    if len(found) > MAX_LENGTH:
        raise BadAddress(f"Địa chỉ quá dài (tối đa {MAX_LENGTH} ký tự).")
    return (host or None), found


def local_target(target: str) -> str:
    """Return the target as a path of this site, or raise BadAddress.

    Refused: another site ("https://...", "//host", "/\\host"), anything with spaces or
    control characters (browsers drop tabs and newlines, so "/\\t/host" is "//host").
    """
    target = (target or "").strip()
    if not target:
        raise BadAddress("Hãy nhập địa chỉ mới.")
    if CONTROL.search(target) or not target.startswith("/") or target.startswith("//"):
        raise BadAddress(
            "Địa chỉ mới phải là một đường dẫn trong trang này, bắt đầu bằng “/” "
            "(ví dụ /tin/le-hoi-lua-moi-12), không phải địa chỉ của trang khác."
        )
    try:
        parts = urlsplit(target)
    except ValueError as err:
        raise BadAddress("Địa chỉ mới không hợp lệ.") from err
    if parts.scheme or parts.netloc:
        raise BadAddress("Địa chỉ mới không được trỏ sang trang khác.")
    path = normalise_path(parts.path) if parts.path != "/" else "/"
    # A Location header is ASCII: letters in the query are sent percent-encoded.
    query = quote(parts.query, safe=QUERY_SAFE)
    found = path + ("?" + query if query else "")
    if len(found) > MAX_LENGTH:
        raise BadAddress(f"Địa chỉ quá dài (tối đa {MAX_LENGTH} ký tự).")
    return found


def find(host: str | None, old_path: str) -> Redirect | None:
    """Return the row for an address: one for this very host first, then one for every host."""
    statement = select(Redirect).where(Redirect.old_path == old_path)
    if host:
        statement = statement.where(or_(Redirect.host == host, Redirect.host.is_(None)))
        statement = statement.order_by(Redirect.host.is_(None), Redirect.id)
    else:
        statement = statement.where(Redirect.host.is_(None)).order_by(Redirect.id)
    return db.session.scalars(statement.limit(1)).first()


def loops(host: str | None, old_path: str, target: str, ignore_id: int | None = None) -> bool:
    """Tell whether following `target` through the table would come back to `old_path`."""
    seen = {old_path}
    current = target
    for _ in range(MAX_HOPS):
        try:
            _, current_key = normalise(current)
        except BadAddress:
            return False
        if current_key in seen:
            return True
        seen.add(current_key)
        row = find(host, current_key)
        if row is None or row.id == ignore_id:
            return False
        current = row.target
    return True  # a chain this long is as bad as a loop


def request_host() -> str | None:
    return (request.host.split(":")[0].lower() or None) if request.host else None


def answer():
    """Return a 301 to the new address of the requested old one, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        _, old_path = normalise(quote(request.path) + "?" + request.query_string.decode("latin-1"))
    except BadAddress:
        return None
    row = find(request_host(), old_path)
    if row is None:
        return None
    try:
        target = local_target(row.target)  # again: a row written past the desk is not trusted
    except BadAddress:
        return None
    if target == old_path:
        return None
    response = redirect(target, 301)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


def init_app(app: Flask) -> None:
    """Answer every request on a merged commune's old host name with a redirect."""
    app.before_request(answer_moved_host)


def answer_moved_host():
    """On an old host (MOVED_HOST marks it), 301 to the address's new home on this site:
    its row in the table, else the row for the old home page, else this site's home."""
    host = request.environ.get(MOVED_HOST)
    if host is None:
        return None
    try:
        _, old_path = normalise(quote(request.path) + "?" + request.query_string.decode("latin-1"))
    except BadAddress:
        old_path = "/"
    row = find(host, old_path)
    target = row.target if row is not None else moved_picture(host, request.path)
    if target is None:
        row = find(host, "/")
        target = row.target if row is not None else "/"
    try:
        target = local_target(target)
    except BadAddress:
        target = "/"
    response = redirect(current_app.config["SITE_URL"].rstrip("/") + target, 301)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


PICTURE = re.compile(r"^/media/(\d+)-(\d+)\.([a-z0-9]+)$")


def picture_key(media_id: int) -> str:
    """The row a merge writes for one picture: "/media/12" -> "/media/345". One row answers
    every size and format of it, which the old site's pages and other sites linked to."""
    return f"/media/{media_id}"


def moved_picture(host: str, path: str) -> str | None:
    """Return the new address of an old picture's web size, if the merge moved the picture."""
    found = PICTURE.match(path)
    row = find(host, picture_key(int(found[1]))) if found else None
    return f"{row.target}-{found[2]}.{found[3]}" if row is not None else None


def legacy_query():
    """On the home page: send WordPress's `?p=ID`-style links on, if the table knows them."""
    if LEGACY_QUERY.isdisjoint(request.args.keys()):
        return None
    return answer()


class Refused(BadAddress):
    """A redirect the desk may not save; `field` names the form field to show it under."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def host_key(host: str | None) -> str | None:
    """Return a host name as requests are matched: lower case, without a port."""
    return (host or "").strip().split(":")[0].lower().rstrip(".") or None


def checked(host: str | None, old: str, target: str, ignore_id: int | None = None):
    """Return (host, old_path, target) ready to store, or raise Refused: a malformed or
    foreign address, the home page, an address already taken, or a loop."""
    host = host_key(host)
    try:
        _, old_path = normalise(old)
    except BadAddress as err:
        raise Refused("old_path", str(err)) from err
    try:
        target = local_target(target)
    except BadAddress as err:
        raise Refused("target", str(err)) from err
    if old_path == "/":
        raise Refused("old_path", "Không thể chuyển hướng trang chủ.")
    same_host = Redirect.host.is_(None) if host is None else Redirect.host == host
    taken = db.session.scalar(select(Redirect).where(Redirect.old_path == old_path, same_host))
    if taken is not None and taken.id != ignore_id:
        raise Refused("old_path", f"Địa chỉ cũ này đã được chuyển tới {taken.target}.")
    if loops(host, old_path, target, ignore_id):
        raise Refused("target", "Địa chỉ mới dẫn ngược về địa chỉ cũ: chuyển hướng sẽ lặp mãi.")
    return host, old_path, target


def search(words: str):
    """Return the select of redirects whose addresses contain `words`, newest first."""
    statement = select(Redirect).order_by(Redirect.id.desc())
    words = words.strip()
    if words:
        encoded = quote(words, safe=PATH_SAFE + "?=")
        conditions = [column.icontains(term, autoescape=True)
                      for column in (Redirect.old_path, Redirect.target, Redirect.host)
                      for term in {words, encoded}]  # fmt: skip
        statement = statement.where(or_(*conditions))
    return statement
