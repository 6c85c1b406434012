"""The one size policy and the rate limits on anonymous POSTs (web.limits).

A body is refused before it is read: the tests hand the app a stream that counts what is
read from it and assert that nothing (or no more than the limit) was.
"""

import io

import pytest
from desk import PASSWORD
from sqlalchemy import func, select
from werkzeug.test import encode_multipart

from models import PostCount, db
from web.limits import Rate, limit_public_post, view_takes_files

MEGABYTE = 1024 * 1024
URLENCODED = "application/x-www-form-urlencoded"


class Dribble(io.RawIOBase):
    """An endless body of `a=1&`, counting the bytes anyone reads from it."""

    def __init__(self, size: int | None = None):
        self.size = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        left = len(buffer) if self.size is None else min(len(buffer), self.size - self.read_bytes)
        pattern = (b"a=1&" * (left // 4 + 1))[:left]
        buffer[:left] = pattern
        self.read_bytes += left
        return left


def post_body(client, url, stream, length, content_type=URLENCODED):
    """POST `stream` as the body from one of the site's pages, announcing `length` bytes
    (None: chunked)."""
    environ = {
        "wsgi.input": stream,
        "CONTENT_TYPE": content_type,
        "HTTP_SEC_FETCH_SITE": "same-origin",
    }
    if length is None:
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(length)
    return client.post(url, environ_overrides=environ)


def test_attack_a_huge_sign_in_post_is_refused_before_it_is_read(client):
    stream = Dribble(24 * MEGABYTE)
    response = post_body(client, "/admin/login", stream, 24 * MEGABYTE)
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    assert stream.read_bytes == 0


def test_attack_a_body_of_unknown_length_stops_at_the_limit(app, client):
    stream = Dribble()  # chunked: no Content-Length, the server ends the stream
    response = post_body(client, "/admin/login", stream, None)
    assert response.status_code == 413
    assert stream.read_bytes <= app.config["MAX_CONTENT_LENGTH"] + 64 * 1024


def test_attack_a_small_body_of_countless_fields_is_refused(client):
    response = client.post("/admin/login", data=b"a&" * 50_000, content_type=URLENCODED)
    assert response.status_code == 413


def test_a_sign_in_of_ordinary_size_still_works(auth):
    assert auth.login().status_code == 302


def test_attack_signed_in_staff_send_no_large_body_to_a_form_without_files(app, client, auth):
    auth.login()
    stream = Dribble(3 * MEGABYTE)
    response = post_body(client, "/admin/categories/new", stream, 3 * MEGABYTE)
    assert response.status_code == 413
    assert stream.read_bytes == 0


def test_attack_anonymous_uploads_get_only_the_small_limit(client):
    stream = Dribble(10 * MEGABYTE)
    response = post_body(
        client, "/admin/media/upload", stream, 10 * MEGABYTE, "multipart/form-data; boundary=x"
    )
    assert stream.read_bytes == 0
    # The editor's script is told the session ended, the real reason, not the size.
    assert response.status_code == 401
    assert "Phiên đăng nhập đã hết" in response.get_json()["error"]


def test_attack_a_session_that_ended_gets_the_small_limit_on_the_article_form(app, client):
    stream = Dribble(10 * MEGABYTE)
    response = post_body(
        client, "/admin/articles/new", stream, 10 * MEGABYTE, "multipart/form-data; boundary=x"
    )
    assert stream.read_bytes == 0
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Phiên đăng nhập đã hết" in page
    assert "đăng nhập lại" in page


def test_signed_in_staff_may_send_a_large_body_to_a_form_with_files(app, client, auth):
    auth.login()
    # Encoded in memory: the test client would spool it to a file it never closes.
    boundary, body = encode_multipart({"file": (io.BytesIO(b"x" * 3 * MEGABYTE), "anh.jpg")})
    response = client.post(
        "/admin/media/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    # Read whole, past the small limit, and then judged as a file: not an image.
    assert response.status_code == 400
    assert "quá lớn" not in response.get_json()["error"]


def test_attack_even_staff_uploads_stop_at_the_upload_limit(app, client, auth):
    auth.login()
    size = app.config["MAX_UPLOAD_LENGTH"] + 1
    stream = Dribble(size)
    response = post_body(
        client, "/admin/media/upload", stream, size, "multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_json()["error"]
    assert stream.read_bytes == 0


def test_a_desk_form_refused_for_its_size_says_it_was_not_saved(app, client, auth):
    auth.login()
    size = app.config["MAX_UPLOAD_LENGTH"] + 1
    response = post_body(
        client, "/admin/articles/new", Dribble(size), size, "multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "CHƯA được lưu" in page
    assert "bản sao trên trình duyệt" in page
    assert 'href="/admin/articles/new"' in page


# The views whose forms carry files; a new one is added here and marked @takes_files.
FILE_VIEWS = {
    "admin.article_new", "admin.article_edit", "admin.article_preview", "admin.upload",
    "admin.media_upload_form", "admin.attachment_upload", "admin.settings",
    "admin.attachment_stage",
}  # fmt: skip


def test_the_views_that_take_files_are_the_declared_ones(app):
    marked = {endpoint for endpoint in app.view_functions if view_takes_files(app, endpoint)}
    assert marked == FILE_VIEWS


# --- Rate limits ------------------------------------------------------------------------


def sign_in(client, address, username="ai-do", password="sai"):
    return client.post(
        "/admin/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_attack_a_sign_in_flood_from_one_address_gets_429_and_keeps_the_name(client, clock):
    for _ in range(60):
        assert sign_in(client, "203.0.113.9").status_code == 200
    response = sign_in(client, "203.0.113.9", username="nguyenvana")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) <= 60
    page = response.get_data(as_text=True)
    assert "Hãy chờ" in page
    assert 'value="nguyenvana"' in page
    # Another address is not held back by this one.
    assert sign_in(client, "198.51.100.7").status_code == 200


def test_the_owner_signs_in_again_once_the_window_has_passed(client, make_user, clock):
    make_user("quantri", "admin", password=PASSWORD)
    for _ in range(61):
        sign_in(client, "192.0.2.1")
    assert sign_in(client, "192.0.2.1", "quantri", PASSWORD).status_code == 429
    clock.advance(seconds=121)
    assert sign_in(client, "192.0.2.1", "quantri", PASSWORD).status_code == 302


@pytest.fixture
def limited_form(app):
    """A public form limited to 2 POSTs per address and 3 overall a minute."""

    @limit_public_post("thu", per_address=Rate(2, 60), overall=Rate(3, 60))
    def ask():
        return "đã nhận"

    app.add_url_rule("/thu", "thu", ask, methods=["GET", "POST"])
    return "/thu"


def test_attack_anonymous_posts_are_limited_per_address_and_overall(client, limited_form, clock):
    def post(address):
        data = {"cau_hoi": "Đường thôn Đồng Tâm bao giờ làm xong?"}
        return client.post(limited_form, data=data, environ_base={"REMOTE_ADDR": address})

    assert [post("203.0.113.1").status_code for _ in range(3)] == [200, 200, 429]
    assert post("203.0.113.2").status_code == 200  # the third overall
    refused = post("203.0.113.3")  # a fresh address, but the site has had enough
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Đường thôn Đồng Tâm bao giờ làm xong?" in page  # what was typed is kept
    assert "Gửi lại" in page
    assert client.get(limited_form).status_code == 200  # reading is never limited
    clock.advance(seconds=121)
    assert post("203.0.113.3").status_code == 200


def test_counts_are_shared_by_every_process(app, limited_form, clock):
    from desk import second_worker

    other = second_worker(app)
    other.add_url_rule(
        "/thu",
        "thu",
        limit_public_post("thu", per_address=Rate(2, 60), overall=Rate(3, 60))(lambda: "ok"),
        methods=["POST"],
    )
    address = {"REMOTE_ADDR": "203.0.113.1"}
    assert app.test_client().post(limited_form, environ_base=address).status_code == 200
    assert other.test_client().post(limited_form, environ_base=address).status_code == 200
    assert app.test_client().post(limited_form, environ_base=address).status_code == 429
    assert db.session.scalar(select(func.sum(PostCount.count))) == 4
