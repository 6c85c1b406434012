"""Static assets under content-hashed names, cached for a year and pre-compressed once."""

import gzip
import hashlib
import mimetypes
import os
from dataclasses import dataclass, field

from flask import Blueprint, Flask, abort, current_app, request

from web.caching import ONE_YEAR
from web.compression import brotli

bp = Blueprint("assets", __name__)


COMPRESSIBLE_SUFFIXES = (".css", ".js", ".svg", ".txt", ".json", ".map")


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
    app.extensions["assets"] = {
        "by_path": by_path,
        "by_hashed": {hashed_name(p, a.digest): a for p, a in by_path.items()},
    }
    app.jinja_env.globals["asset_url"] = asset_url


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
