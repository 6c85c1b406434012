"""Security headers and the rule for where a login may send the user next."""

from urllib.parse import urlsplit

from flask import Response, abort, current_app, request

# No inline scripts anywhere: scripts ship as files from /static. The one inline style is the
# reader stylesheet on a first visit (web/assets.py), allowed by its hash and nothing else.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'{styles}; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
)


# The site uses no camera, microphone, location or payment: no page, nor anything embedded in
# one, may ask the reader's browser for them.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
)

DESK_PREFIX = "/admin"


def is_desk_path(path: str) -> bool:
    """Tell whether a path belongs to the editor desk (the login included)."""
    return path == DESK_PREFIX or path.startswith(DESK_PREFIX + "/")


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff and a referrer policy; forbid framing of the editor desk."""
    desk = is_desk_path(request.path)
    ancestors = "'none'" if desk else "'self'"
    styles = current_app.extensions["assets"]["style_hash"]
    response.headers.setdefault(
        "Content-Security-Policy",
        CSP.format(ancestors=ancestors, styles=f" {styles}" if styles else ""),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if desk:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def is_safe_next(target: str | None) -> bool:
    """Accept only a local path such as /admin/articles, never another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def refuse_nul_bytes() -> None:
    """Answer 400 to an address carrying a NUL byte: no text of the site holds one, and
    PostgreSQL refuses it in a query, which would otherwise be a 500."""
    values = [request.path]
    for name, given in request.args.lists():
        values += [name, *given]
    if any("\x00" in value for value in values):
        abort(400)
