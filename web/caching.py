"""HTTP caching of public pages: validators, freshness, and 304 on revalidation."""

import hashlib

from flask import Response, current_app, g, request

import models
from vietnamese import seconds_until_local_midnight
from web import pagecache

# What never changes under its URL (hashed assets, image sizes) is cached this long.
ONE_YEAR = 365 * 24 * 3600


def freshness() -> int:
    """Seconds a page may be reused: short, and never past midnight, when the header date turns."""
    return min(current_app.config["PUBLIC_MAX_AGE"], midnight_in())


def cache_public_page(response: Response, horizon=None) -> Response:
    """Give a public page an ETag and freshness, and answer a matching revalidation with 304;
    the page cache may keep it until midnight or `horizon()` (web.pagecache.may_keep)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.direct_passthrough or "Cache-Control" in response.headers:
        return response
    response.cache_control.public = True
    response.cache_control.max_age = freshness()
    etag, _ = response.get_etag()
    if not etag:
        etag = hashlib.sha256(response.get_data()).hexdigest()[:20]
        # Weak: gzip and brotli bodies of the same page are the same page.
        response.set_etag(etag, weak=True)
    # Only the ETag decides a 304: Last-Modified is informative, since a page also changes
    # when neighbouring articles appear or expire.
    if request.if_none_match.contains_weak(etag):
        return not_modified(response)
    pagecache.may_keep(response, until=pagecache.now() + midnight_in(), horizon=horizon)
    return response


def midnight_in() -> int:
    return seconds_until_local_midnight(models.utcnow())


def not_modified(response: Response) -> Response:
    """Turn a full response into an empty 304 that keeps its validators and cache headers."""
    response.status_code = 304
    response.set_data(b"")
    for header in ("Content-Type", "Content-Length", "Content-Encoding"):
        response.headers.pop(header, None)
    return response


def vary_on_save_data(response: Response) -> Response:
    """A page that looked at the reader's Save-Data choice differs by it: caches keep both.
    So does one whose stylesheet is inlined or linked by where the browser came from."""
    if g.get("varies_on_save_data"):
        response.vary.update(("Save-Data", "Cookie"))
    if g.get("varies_on_stylesheet"):
        response.vary.add("Sec-Fetch-Site")
    return response
