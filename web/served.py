"""Which app a request is for, and what the WSGI layers in front of every app need of it.

A commune's server has one app; a province's has one per site, chosen by host name
(sites.dispatch). Either way the layers are built once (app.build_wsgi_stack) and read the
chosen app's own parts from one record, `Served`, put in the environ under SERVED: its Flask
app, what its kept pages are valid under, and its view counts. With 150 sites, each object a
kept page's answer reads is a trip to memory (BENCHMARKS.md, "Hot pages across 150 sites"): a
site's layers of its own were four objects more per request than this one record.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
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

    def place(self) -> tuple[mmap.mmap, int] | None:
        """Where `read()`'s value lies, for a hit to read it there, when `trusted()` is always
        true (a stamp every writer bumps on this machine); None otherwise."""


class Views(Protocol):
    """An app's count of article views (web.visits.Visits)."""

    def count(self, article: int, day: date, views: int) -> bool:
        """Add views of an article on `day`; tell whether the counts were empty before."""


@dataclass(slots=True, eq=False)
class Served:
    """The app a request goes to, as the shared layers see it. Compared and hashed as itself:
    the views noted in a batch are keyed by it (web.visits)."""

    wsgi: Callable  # the Flask app's own wsgi_app, without layers
    validity: Validity | None = None  # what its kept pages were made under (web.pagecache)
    visits: Views | None = None  # its article views not written yet (web.visits)
    # Where its validity's value lies, when a hit may read it there (`Validity.place`): a
    # kept page's answer then reads this record and that value, not the validity object,
    # which with 150 sites is one trip to memory more (BENCHMARKS.md, "Hot pages across 150
    # sites").
    stamps: mmap.mmap | None = field(default=None, init=False)
    at: int = field(default=0, init=False)

    def __post_init__(self):
        found = self.validity.place() if self.validity is not None else None
        if found is not None:
            self.stamps, self.at = found


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
