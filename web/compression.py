"""Compress responses in the app itself, so even the embedded server sends few bytes."""

import gzip

from flask import Response, request

try:
    import brotli
except ImportError:  # brotli is optional: without it readers still get gzip.
    brotli = None

COMPRESSIBLE_TYPES = {
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
}
# Below this the headers outweigh the saving.
MIN_SIZE = 512


def should_compress(response: Response) -> bool:
    """Tell whether this response is text worth compressing and not yet encoded."""
    return (
        response.status_code not in (204, 206, 304)
        and not response.direct_passthrough
        and response.mimetype in COMPRESSIBLE_TYPES
        and "Content-Encoding" not in response.headers
    )


def encode(data: bytes, accepted) -> tuple[str | None, bytes]:
    """Compress with the best encoding the client accepts."""
    if brotli and accepted["br"]:
        # Quality 5 is as small as gzip -9 at a fraction of the time for dynamic pages.
        return "br", brotli.compress(data, quality=5)
    if accepted["gzip"]:
        return "gzip", gzip.compress(data, compresslevel=6, mtime=0)
    return None, data


def compress_response(response: Response) -> Response:
    """Compress a text response for clients that accept gzip or brotli."""
    if not should_compress(response):
        return response
    response.vary.add("Accept-Encoding")
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    encoding, encoded = encode(data, request.accept_encodings)
    if encoding:
        response.set_data(encoded)
        response.headers["Content-Encoding"] = encoding
        etag, weak = response.get_etag()
        if etag and not weak:
            # The bytes differ from the identity body, so a strong tag must differ too.
            response.set_etag(f"{etag}-{encoding}")
    return response
