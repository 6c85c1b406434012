"""Request bodies that come too slowly end with a 408 (web.bodies); steady ones, however slow
a real phone link is, are read whole.

The tests hand the app bodies that arrive at a pace of their own (`PacedBody`), with the
deadlines shrunk to fractions of a second so that the rules, not the clock, are what is
tested. tests/ops/test_production.py performs the attack against granian itself.
"""

import io
import threading
import time

import pytest
from pacing import (
    QUICK,
    URLENCODED,
    GranianBody,
    PacedBody,
    assert_timeout_page,
    dribbled_login,
)
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from models import Media, db
from web import bodies
from web.bodies import Pace, TimedInput


def post_paced(client, url, body: PacedBody, content_type=URLENCODED):
    environ = {
        "wsgi.input": body,
        "CONTENT_LENGTH": str(len(body.data)),
        "CONTENT_TYPE": content_type,
        "HTTP_SEC_FETCH_SITE": "same-origin",
    }
    try:
        return client.post(url, environ_overrides=environ)
    finally:
        body.hang_up()


def readers_left() -> int:
    return sum(thread.name == "body-read" for thread in threading.enumerate())


def wait_for_no_reader() -> bool:
    deadline = time.monotonic() + 10
    while readers_left() and time.monotonic() < deadline:
        time.sleep(0.02)
    return readers_left() == 0


@pytest.fixture
def quick(app):
    app.config.update(QUICK)
    return app


def test_attack_a_body_dribbled_one_byte_at_a_time_gets_a_408(quick, client):
    assert_timeout_page(dribbled_login(client))
    assert wait_for_no_reader()


def test_a_server_that_forbids_hop_by_hop_headers_gets_its_408_without_one(quick, client):
    client.environ_base["SERVER_SOFTWARE"] = "waitress"
    response = dribbled_login(client)
    assert response.status_code == 408
    assert "Connection" not in response.headers


def test_attack_a_body_that_stops_sending_gets_a_408_and_its_reader_ends_with_the_connection(
    quick, client
):
    body = PacedBody(b"username=a&password=" + b"b" * 980, step=1000, pause=0, stop_after=900)
    response = post_paced(client, "/admin/login", body)  # hangs up once answered
    assert_timeout_page(response)
    assert wait_for_no_reader()


class FakeFaulthandler:
    """Records the watchdog's timer instead of arming one that would end the test run."""

    def __init__(self):
        self.calls = []

    def dump_traceback_later(self, seconds, exit=False):
        self.calls.append(("arm", seconds, exit))

    def cancel_dump_traceback_later(self):
        self.calls.append(("cancel",))


@pytest.fixture
def watchdog(monkeypatch):
    fake = FakeFaulthandler()
    monkeypatch.setattr(bodies, "faulthandler", fake)
    return fake


def stalled_login(client):
    body = PacedBody(b"username=a&password=" + b"b" * 980, step=1000, pause=0, stop_after=900)
    return post_paced(client, "/admin/login", body)  # hangs up once answered


def test_attack_a_stalled_body_under_granian_arms_the_watchdog_until_its_read_returns(
    quick, client, watchdog
):
    """granian's worker stays frozen while the ended body's read is pending: unless the read
    returns, the watchdog ends the worker (and granian starts another)."""
    quick.config["BODY_STALLED_EXIT_SECONDS"] = 7
    client.environ_base["SERVER_SOFTWARE"] = "Granian"
    assert_timeout_page(stalled_login(client))
    assert wait_for_no_reader()  # the client hung up: the read returned
    assert watchdog.calls == [("arm", 7.0, True), ("cancel",)]


@pytest.mark.parametrize("server, seconds", [("waitress", 10), ("Werkzeug/3.1", 10),
                                             ("Granian", 0)])
def test_the_watchdog_stays_off_where_no_worker_freezes_or_it_is_turned_off(
    quick, client, watchdog, server, seconds
):
    quick.config["BODY_STALLED_EXIT_SECONDS"] = seconds
    client.environ_base["SERVER_SOFTWARE"] = server
    assert stalled_login(client).status_code == 408
    assert wait_for_no_reader()
    assert watchdog.calls == []


def test_a_slow_but_steady_upload_from_a_weak_phone_link_is_stored(quick, client, auth):
    """An editor's photo at five times the floor, in small packets: never cut."""
    auth.login()
    picture = io.BytesIO()
    Image.effect_noise((128, 128), 40).convert("RGB").save(picture, "JPEG", quality=95)
    photo = FileStorage(io.BytesIO(picture.getvalue()), "anh.jpg", content_type="image/jpeg")
    boundary, data = encode_multipart({"file": photo})
    body = GranianBody(data, step=500, pause=0.05)  # 10,000 B/s in packets of 500 bytes
    response = post_paced(
        client, "/admin/media/upload", body, f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert body.sent == len(data)
    assert db.session.scalar(select(func.count(Media.id))) == 1


def test_a_steady_body_after_a_kept_part_is_read_whole(quick, client):
    """Bytes waiting at once must not make the next read ask for more than a slow link
    brings within the idle time (granian counts nothing of a read until all of it came)."""
    data = b"username=a&password=" + b"b" * 19_980
    body = GranianBody(data, step=500, pause=0.1, kept=8000)  # then 5,000 B/s: over the floor
    response = post_paced(client, "/admin/login", body)
    assert response.status_code == 200  # the form came back with its message, not a 408
    assert body.sent == len(data)


def test_an_ordinary_form_is_read_whole_through_the_timed_input(client, auth):
    response = auth.login()
    assert response.status_code == 302  # signed in: the password came through whole


class Untouchable(io.RawIOBase):
    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def test_the_size_policy_still_refuses_an_oversized_body_before_any_read(quick, client):
    environ = {
        "wsgi.input": Untouchable(),
        "CONTENT_LENGTH": str(24 * 1024 * 1024),
        "CONTENT_TYPE": URLENCODED,
    }
    response = client.post("/admin/login", environ_overrides=environ)
    assert response.status_code == 413
    assert readers_left() == 0


def test_a_cut_body_is_never_read_again_as_if_it_were_whole():
    body = PacedBody(b"x" * 100, step=1, pause=0.05)
    timed = TimedInput(body, Pace(idle=0.1, min_rate=1000, grace=0.1))
    with pytest.raises(Exception) as first:
        timed.read(100)
    assert first.value.code == 408
    with pytest.raises(Exception) as again:
        timed.read(100)
    assert again.value.code == 408
    body.hang_up()


def test_the_timed_input_reads_like_the_stream_it_wraps():
    data = b"first line\nsecond line\n" + b"z" * 100_000
    timed = TimedInput(io.BytesIO(data), Pace(idle=5, min_rate=1, grace=5))
    assert timed.readline() == b"first line\n"
    assert timed.read(7) == b"second "
    assert timed.read() == data[len(b"first line\nsecond ") :]
    assert timed.read(10) == b""
