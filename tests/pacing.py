"""Request bodies that arrive at a pace of their own, for the tests of web.bodies (the rules
in tests/web/test_bodies.py, a province's layers in tests/sites/test_site_bodies.py)."""

import io
import threading
import time

URLENCODED = "application/x-www-form-urlencoded"
# Shrunk deadlines: a body must average 2,000 B/s once it has made the app wait 0.4 s, and
# may never send nothing for 1 s.
QUICK = {"BODY_GRACE_SECONDS": 0.4, "BODY_MIN_RATE": 2000, "BODY_IDLE_SECONDS": 1}


class PacedBody(io.RawIOBase):
    """A body whose bytes arrive `step` at a time, one packet every `pause` seconds, as from a
    socket: a read returns what has arrived (waiting for the next packet when nothing has).
    After `stop_after` bytes nothing more comes until `hang_up()` (the client closing its
    connection), when reads return nothing. The first `kept` bytes are there at once, as
    when the server kept them while the app was busy with an earlier request."""

    def __init__(self, data: bytes, step: int, pause: float, stop_after: int | None = None,
                 kept: int = 0):
        self.data, self.step, self.pause, self.kept = data, step, pause, kept
        self.stop_after = len(data) if stop_after is None else stop_after
        self.sent = 0
        self.started = None
        self.closed_by_client = threading.Event()

    def readable(self):
        return True

    def arrived(self) -> int:
        packets = int((time.monotonic() - self.started) / self.pause) if self.pause else 10**9
        return min(self.stop_after, self.kept + packets * self.step)

    def readinto(self, buffer):
        self.started = self.started or time.monotonic()
        if self.sent == len(self.data):
            return 0  # the whole body: its end
        while self.arrived() <= self.sent and not self.closed_by_client.is_set():
            if self.sent >= self.stop_after:
                self.closed_by_client.wait()
            else:
                time.sleep(self.pause / 4)
        if self.closed_by_client.is_set():
            return 0
        size = min(len(buffer), self.arrived() - self.sent)
        buffer[:size] = self.data[self.sent : self.sent + size]
        self.sent += size
        return size

    def hang_up(self):
        self.closed_by_client.set()


class GranianBody(PacedBody):
    """A paced body read as granian 2.8's `wsgi.input` reads: a read returns only once all it
    asked for has come, or at the end of the body."""

    def readinto(self, buffer):
        filled = 0
        while filled < len(buffer):
            got = super().readinto(memoryview(buffer)[filled:])
            if not got:
                break
            filled += got
        return filled


def assert_timeout_page(response):
    assert response.status_code == 408
    assert response.headers["Connection"] == "close"
    page = response.get_data(as_text=True)
    assert "Gửi quá chậm" in page and "CHƯA được lưu" in page


def dribbled_login(client):
    """POST the sign-in form one byte every 20 ms (50 B/s, far under QUICK's floor)."""
    body = PacedBody(b"username=a&password=" + b"b" * 980, step=1, pause=0.02)
    environ = {"wsgi.input": body, "CONTENT_LENGTH": "1000", "CONTENT_TYPE": URLENCODED}
    try:
        return client.post("/admin/login", environ_overrides=environ)
    finally:
        body.hang_up()
