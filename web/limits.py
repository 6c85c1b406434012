"""What one request may cost: the one size policy for bodies, and rate limits on anonymous POSTs.

Sizes. Every request body is small (`MAX_CONTENT_LENGTH`) unless its view is marked
`@takes_files` AND the browser holds a live staff sign-in, checked before a byte of the body
is read; then it may reach `MAX_UPLOAD_LENGTH`. Werkzeug refuses a larger `Content-Length`
with a 413 before reading, and stops a body of unknown length (chunked) at the limit while
streaming it. A URL-encoded body may carry at most `MAX_FORM_PARTS` fields: Werkzeug counts
parts only in multipart bodies, and a million tiny fields cost about 40 times their bytes in
memory. The hook runs before every other one (CSRF reads the form), so nothing reads a body
under any other rule. A body that arrives too slowly is ended by web.bodies (a 408), and in
production first by nginx, which reads bodies whole (README, ARCHITECTURE.md).

Rates. `@limit_public_post(name, per_address=Rate(...), overall=Rate(...))` on a view refuses
its POSTs beyond the rate from one address and beyond the rate from all addresses together,
with a 429 page that keeps what was typed (or the view's own form, through `keep`). Counts live
in the database (`models.PostCount`, sliding windows), so every worker process and every server
of a province agrees; ARCHITECTURE.md says why not Flask-Limiter.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, request
from sqlalchemy import delete, select
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

import models
from models import PostCount, db
from web import errors

# --- Sizes ------------------------------------------------------------------------------

URLENCODED = "application/x-www-form-urlencoded"


def takes_files(view):
    """Mark a view whose form carries files: signed-in staff may send it MAX_UPLOAD_LENGTH.

    Put it under the route decorator; `functools.wraps` carries the mark through any other
    decorator. tests/web/test_limits.py lists the views that carry it."""
    view.takes_files = True
    return view


def view_takes_files(app: Flask, endpoint: str | None) -> bool:
    return getattr(app.view_functions.get(endpoint or ""), "takes_files", False)


def body_limit(staff_signed_in: Callable[[], bool]) -> int:
    """Return the largest body this request may send (checking the session only when the
    view takes files)."""
    app = current_app._get_current_object()
    if view_takes_files(app, request.endpoint) and staff_signed_in():
        return app.config["MAX_UPLOAD_LENGTH"]
    return app.config["MAX_CONTENT_LENGTH"]


def apply_size_policy(staff_signed_in: Callable[[], bool]):
    """Return the before-request hook that sets this request's body limit, before any read."""

    def hook() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        request.max_content_length = body_limit(staff_signed_in)
        if request.mimetype == URLENCODED:
            refuse_many_fields()

    return hook


def refuse_many_fields() -> None:
    """Refuse a URL-encoded body with more fields than a form of ours has (read within the
    size limit, and kept for the form parser)."""
    data = request.get_data(cache=True)  # 413 past request.max_content_length, unread
    if data.count(b"&") >= current_app.config["MAX_FORM_PARTS"]:
        raise RequestEntityTooLarge()


def init_app(app: Flask, staff_signed_in: Callable[[], bool]) -> None:
    """Install the size policy; call it before anything that reads a body (CSRF)."""
    app.before_request(apply_size_policy(staff_signed_in))


# --- Rates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """At most `count` requests in any `seconds`."""

    count: int
    seconds: int


OVERALL = "*"


def now() -> float:
    return models.utcnow().timestamp()


def upsert_count(name: str, key: str, slot: int):
    """The statement adding one to a count, in this database's own words."""
    statement = models.upsert(PostCount).values(name=name, key=key, slot=slot, count=1)
    return statement.on_conflict_do_update(
        index_elements=["name", "key", "slot"], set_={"count": PostCount.count + 1}
    )


def recent(name: str, key: str, rate: Rate, moment: float) -> float:
    """Estimate the POSTs of the last `rate.seconds`: this window's count plus the share of
    the previous window's that still falls within the period (a sliding window)."""
    slot = int(moment // rate.seconds)
    rows = db.session.execute(
        select(PostCount.slot, PostCount.count).where(
            PostCount.name == name, PostCount.key == key, PostCount.slot.in_((slot - 1, slot))
        )
    )
    counts = dict(rows.all())
    elapsed = (moment % rate.seconds) / rate.seconds
    return counts.get(slot - 1, 0) * (1 - elapsed) + counts.get(slot, 0)


def wait_seconds(rate: Rate, moment: float) -> int:
    """Seconds until the current window ends: by then the estimate has dropped."""
    return max(1, math.ceil(rate.seconds - moment % rate.seconds))


def check(name: str, limits: dict[str, Rate]) -> int:
    """Count this POST against every limit and return 0, or refuse it (counting nothing) and
    return the seconds to wait."""
    moment = now()
    for key, rate in limits.items():
        if recent(name, key, rate, moment) >= rate.count:
            return wait_seconds(rate, moment)
    for key, rate in limits.items():
        slot = int(moment // rate.seconds)
        db.session.execute(upsert_count(name, key, slot))
        db.session.execute(
            delete(PostCount).where(
                PostCount.name == name, PostCount.key == key, PostCount.slot < slot - 1
            )
        )
    db.session.commit()
    return 0


def client_address() -> str:
    return (request.remote_addr or "")[:64]


KEPT_OUT = ("csrf_token",)


def typed_fields() -> list[tuple[str, str]]:
    """What the visitor typed, to show again (never a password or the CSRF token)."""
    return [
        (name, value)
        for name in request.form
        if name not in KEPT_OUT and "password" not in name
        for value in request.form.getlist(name)
    ]


def too_many(wait: int):
    """The generic refusal: a Vietnamese 429 page with what was typed, ready to send again."""
    return errors.render_page(TooManyRequests(), headers={"Retry-After": str(wait)}, wait=wait,
                              fields=typed_fields())


def limit_public_post(
    name: str,
    per_address: Rate,
    overall: Rate,
    keep: Callable[[int], object] | None = None,
):
    """Limit the POSTs a view accepts: `per_address` from one address, `overall` from all.

    `name` names the form's counts (e.g. "hoi-dap"); `keep(wait)`, when given, answers a
    refused POST with the view's own form filled in from request.form (its status should be
    429); otherwise the generic 429 page shows what was typed. GETs are never counted, nor
    are POSTs refused by CSRF (they never reach the view). Place it under the route decorator.
    """

    def decorator(view):
        @wraps(view)
        def limited(*args, **kwargs):
            if request.method == "POST":
                limits = {client_address(): per_address, OVERALL: overall}
                wait = check(name, limits)
                if wait:
                    return keep(wait) if keep else too_many(wait)
            return view(*args, **kwargs)

        return limited

    return decorator
