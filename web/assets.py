"""Static assets under content-hashed names, cached for a year and pre-compressed once.

The reader pages' stylesheet is inlined when a browser arrives from elsewhere, so that the
first text paints after one request on a weak link instead of two: a `<style>` with its text
(allowed by its CSP hash, never by 'unsafe-inline') and a print-only `<link>` to the hashed
file, which the browser fetches in the background without blocking anything, for the pages
that follow. A page reached from one of our own pages (`Sec-Fetch-Site: same-origin`) links
the file, which that first page put in the HTTP cache for a year.

Why the browser's own header and not a cookie set once the file is fetched: pages vary on
`Cookie` (the data saver), so a cookie that appears after the first visit makes the browser
fetch again the very page it holds, and every subresource that varies on it too; measured on
the weak link, a revisit went from 0.15 s to 1.06 s. The header costs nothing, sets no cookie
on any reader, and is absent in old browsers, which then simply get the inlined style.
"""

import base64
import gzip
import hashlib
import mimetypes
import os
from dataclasses import dataclass, field

from flask import Blueprint, Flask, abort, current_app, g, request
from markupsafe import Markup

from web.caching import ONE_YEAR
from web.compression import brotli

bp = Blueprint("assets", __name__)


COMPRESSIBLE_SUFFIXES = (".css", ".js", ".svg", ".txt", ".json", ".map")
# The stylesheet inlined for a browser arriving from elsewhere.
INLINED_STYLESHEET = "css/site.css"


@dataclass
class Asset:
    path: str
    data: bytes
    digest: str
    mimetype: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    def encoding_for(self, accepted) -> tuple[str | None, bytes]:
        """Pick the smallest encoding the client accepts, compressing once per process."""
        if not self.path.endswith(COMPRESSIBLE_SUFFIXES):
            return None, self.data
        if brotli and accepted["br"]:
            if "br" not in self.encoded:
                self.encoded["br"] = brotli.compress(self.data, quality=11)
            return "br", self.encoded["br"]
        if accepted["gzip"]:
            if "gzip" not in self.encoded:
                self.encoded["gzip"] = gzip.compress(self.data, compresslevel=9, mtime=0)
            return "gzip", self.encoded["gzip"]
        return None, self.data


def hashed_name(path: str, digest: str) -> str:
    """Insert the digest before the extension: css/site.css -> css/site.1a2b3c4d5e.css."""
    stem, ext = os.path.splitext(path)
    return f"{stem}.{digest}{ext}"


def scan(folder: str) -> dict[str, Asset]:
    """Read every file under the static folder into memory, keyed by its plain path."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            full = os.path.join(root, name)
            path = os.path.relpath(full, folder).replace(os.sep, "/")
            with open(full, "rb") as handle:
                data = handle.read()
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            digest = hashlib.sha256(data).hexdigest()[:10]
            found[path] = Asset(path, data, digest, mimetype)
    return found


def init_app(app: Flask) -> None:
    """Index the static folder and offer `asset_url()` to templates."""
    by_path = scan(os.path.join(app.root_path, "static"))
    inline_style = inline_text(by_path.get(INLINED_STYLESHEET))
    app.extensions["assets"] = {
        "by_path": by_path,
        "by_hashed": {hashed_name(p, a.digest): a for p, a in by_path.items()},
        "inline_style": inline_style,
        "style_hash": style_hash(inline_style),
    }
    app.jinja_env.globals["asset_url"] = asset_url


def inline_text(asset: Asset | None) -> str | None:
    """The stylesheet's text as it may sit inside <style>, or None when it cannot."""
    if asset is None:
        return None
    text = asset.data.decode("utf-8")
    return None if "</style" in text.lower() else text


def style_hash(text: str | None) -> str:
    """The CSP source that allows exactly this inline style, computed once at startup."""
    if text is None:
        return ""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def from_our_own_page() -> bool:
    """Tell whether the browser came here from one of our pages, which loaded the stylesheet."""
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def reader_stylesheet() -> Markup:
    """The reader pages' stylesheet: inlined on arrival, the cached file on the next pages."""
    g.varies_on_stylesheet = True
    url = asset_url(INLINED_STYLESHEET)
    text = current_app.extensions["assets"]["inline_style"]
    if text is None or from_our_own_page():
        return Markup('<link rel="stylesheet" href="{}">').format(url)
    # media="print" loads the file without blocking the paint (no script needed to swap it,
    # which our CSP would forbid); printing applies the same rules twice, to no effect.
    return Markup('<style>{}</style>\n<link rel="stylesheet" href="{}" media="print">').format(
        Markup(text), url
    )


def asset_url(path: str) -> str:
    """Return the hashed, forever-cacheable URL of a static file."""
    asset = current_app.extensions["assets"]["by_path"][path]
    return f"/static/{hashed_name(path, asset.digest)}"


@bp.get("/static/<path:filename>")
def static(filename: str):
    """Serve an asset: hashed names for a year, plain names briefly (old bookmarks, tools)."""
    index = current_app.extensions["assets"]
    asset = index["by_hashed"].get(filename)
    immutable = asset is not None
    asset = asset or index["by_path"].get(filename)
    if asset is None:
        abort(404)
    encoding, data = asset.encoding_for(request.accept_encodings)
    response = current_app.response_class(data, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if asset.path.endswith(COMPRESSIBLE_SUFFIXES):
        response.vary.add("Accept-Encoding")
    response.set_etag(asset.digest + (f"-{encoding}" if encoding else ""))
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR if immutable else 3600
    if immutable:
        response.cache_control.immutable = True
    return response.make_conditional(request)
