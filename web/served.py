"""Which app a request is for, and what the WSGI layers in front of every app need of it.

A commune's server has one app; a province's has one per site, chosen by host name
(sites.dispatch). Either way the layers are built once (app.build_wsgi_stack) and read the
chosen app's own parts from one record, `Served`, put in the environ under SERVED: its Flask
app, what its kept pages are valid under, and its view counts. With 150 sites, each object a
kept page's answer reads is a trip to memory (BENCHMARKS.md, "Hot pages across 150 sites"): a
site's layers of its own were four objects more per request than this one record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

# The WSGI environ key holding the request's `Served`.
SERVED = "bantin.served"


class Validity(Protocol):
    """What an app's kept pages were made under (web.pagecache.SiteStamp for a commune's, the
    province's newsroom for its own): the extension point through which the province's own
    pages use the same store and rules as a commune's."""

    def trusted(self, environ: dict) -> bool:
        """Tell whether a change made anywhere would already show in `read()`."""

    def read(self, environ: dict) -> bytes:
        """The value an entry must have been made under to be served now."""


class Views(Protocol):
    """An app's count of article views (web.visits.Visits)."""

    def note(self, environ: dict, status: str) -> None:
        """Count one view of an article, if this request was one."""


@dataclass(slots=True)
class Served:
    """The app a request goes to, as the shared layers see it."""

    wsgi: Callable  # the Flask app's own wsgi_app, without layers
    validity: Validity | None = None  # what its kept pages were made under (web.pagecache)
    visits: Views | None = None  # its article views not written yet (web.visits)


class OneSite:
    """WSGI middleware of a commune's server: every request is for its one app."""

    __slots__ = ("wsgi_app", "served")

    def __init__(self, wsgi_app, served: Served):
        self.wsgi_app = wsgi_app
        self.served = served

    def __call__(self, environ, start_response):
        environ[SERVED] = self.served
        return self.wsgi_app(environ, start_response)


def served_app(environ, start_response):
    """The innermost WSGI app: the Flask app the request was given to."""
    return environ[SERVED].wsgi(environ, start_response)
