"""Signing in and out: throttled guessing kept in the database, sessions that end, `next`
only to local paths, every desk URL closed to anonymous visitors, and the CLI accounts."""

import pytest
from desk import PASSWORD, admin_rules, get_token, second_worker

from admin.blueprint import JSON_ENDPOINTS
from models import AuditLog, LoginAttempt, User, db

FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần"
ADMIN_RULES = admin_rules()


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/admin/login", data={"username": username, "password": password, **extra})


# --- Signing in --------------------------------------------------------------------------


def test_login_signs_in_records_it_and_lands_on_the_dashboard(client, make_user, clock):
    make_user("bientap", "editor", password=PASSWORD, display_name="Nguyễn Văn Biên")
    response = sign_in(client, "bientap")
    assert response.status_code == 302 and response.location == "/admin/"
    assert "Nguyễn Văn Biên" in client.get("/admin/").get_data(as_text=True)
    entry = db.session.scalars(db.select(AuditLog)).one()
    assert (entry.action, entry.username, entry.ip) == ("login", "bientap", "127.0.0.1")
    assert db.session.scalars(db.select(User)).one().last_login_at == clock.now


@pytest.mark.parametrize(
    ("username", "password"),
    [("khongco", PASSWORD), ("bientap", "sai-mat-khau"), ("khoa", PASSWORD), ("bientap", "")],
)
def test_unknown_user_bad_password_and_locked_account_get_the_same_answer(
    client, make_user, username, password
):
    make_user("bientap", "editor", password=PASSWORD)
    make_user("khoa", "editor", password=PASSWORD, active=False)
    response = sign_in(client, username, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert FAILED in html or "Hãy nhập mật khẩu." in html
    assert client.get("/admin/").status_code == 302


def test_login_page_has_no_remember_me_that_would_outlive_the_idle_timeout(client):
    html = client.get("/admin/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html
    assert "remember" not in html


# --- Throttling, in the database ------------------------------------------------------------


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(
    client, make_user, clock
):
    make_user("bientap", "editor", password=PASSWORD)
    for _ in range(5):
        assert FAILED in sign_in(client, "BienTap ", "doan-mo").get_data(as_text=True)
    html = sign_in(client, "bientap").get_data(as_text=True)
    assert THROTTLED in html and "15 phút" in html
    assert client.get("/admin/").status_code == 302
    clock.advance(minutes=16)
    assert sign_in(client, "bientap").status_code == 302


def test_unknown_names_are_throttled_like_real_ones(client, clock):
    for _ in range(5):
        sign_in(client, "khongco", "x")
    assert THROTTLED in sign_in(client, "khongco", "x").get_data(as_text=True)


def test_an_address_is_throttled_across_accounts(app, client, make_user, clock):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    make_user("bientap", "editor", password=PASSWORD)
    for name in ("a", "b", "c"):
        sign_in(client, name, "x")
    assert THROTTLED in sign_in(client, "bientap").get_data(as_text=True)
    other = app.test_client()
    response = other.post(
        "/admin/login",
        data={"username": "bientap", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert response.status_code == 302


def test_throttling_holds_across_workers_sharing_the_database(app, client, make_user):
    make_user("bientap", "editor", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "bientap", "x")
    worker = second_worker(app)
    with worker.app_context():
        response = sign_in(worker.test_client(), "bientap")
        assert THROTTLED in response.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()  # its pooled connection must not outlive the test


def test_a_successful_login_forgets_the_accounts_failures(client, make_user, clock):
    make_user("bientap", "editor", password=PASSWORD)
    for _ in range(4):
        sign_in(client, "bientap", "x")
    assert sign_in(client, "bientap").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginAttempt)) == 0


def test_old_failures_are_pruned(client, clock):
    sign_in(client, "a", "x")
    clock.advance(hours=1)
    sign_in(client, "b", "x")
    names = db.session.scalars(db.select(LoginAttempt.username)).all()
    assert names == ["b"]


# --- Where a login may lead ---------------------------------------------------------------


def test_login_redirect_keeps_the_page_asked_for(client, make_user):
    make_user("bientap", "editor", password=PASSWORD)
    response = client.get("/admin/articles?status=pending")
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=")
    response = sign_in(client, "bientap", next="/admin/articles?status=pending")
    assert response.location == "/admin/articles?status=pending"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/admin\r\nLocation: https://evil.example",
        "",
    ],
)
def test_next_goes_only_to_local_paths(client, make_user, target):
    make_user("bientap", "editor", password=PASSWORD)
    assert sign_in(client, "bientap", next=target).location == "/admin/"


# --- Sessions that end --------------------------------------------------------------------


def test_a_session_ends_after_an_hour_without_activity(client, make_user, clock):
    make_user("bientap", "editor", password=PASSWORD)
    sign_in(client, "bientap")
    clock.advance(minutes=50)
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=50)  # activity 50 minutes ago: still signed in
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=61)
    response = client.get("/admin/articles")
    assert response.status_code == 302 and "/admin/login" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert "lâu không thao tác" in html
    assert client.get("/admin/").status_code == 302


def test_ping_keeps_a_typing_editor_signed_in_and_says_when_the_session_ended(
    client, make_user, clock
):
    make_user("bientap", "editor", password=PASSWORD)
    assert client.get("/admin/ping").status_code == 401
    sign_in(client, "bientap")
    for _ in range(4):
        clock.advance(minutes=40)
        assert client.get("/admin/ping").status_code == 204
    clock.advance(minutes=61)
    assert client.get("/admin/ping").status_code == 401


def test_logout_ends_the_session(client, make_user):
    make_user("bientap", "editor", password=PASSWORD)
    sign_in(client, "bientap")
    response = client.post("/admin/logout")
    assert response.location == "/admin/login"
    assert "Bạn đã đăng xuất." in client.get("/admin/login").get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, make_user):
    user = make_user("bientap", "editor", password=PASSWORD)
    sign_in(client, "bientap")
    user.active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_a_new_password_ends_the_other_sessions(app, client, make_user):
    user = make_user("bientap", "editor", password=PASSWORD)
    sign_in(client, "bientap")
    user.set_password("mat-khau-moi-123")
    db.session.commit()
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, "bientap", "mat-khau-moi-123").status_code == 302


def test_the_session_cookie_is_httponly_and_lax(client, make_user):
    make_user("bientap", "editor", password=PASSWORD)
    cookie = sign_in(client, "bientap").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- Every desk URL is closed to anonymous visitors --------------------------------------


@pytest.mark.parametrize(("url", "endpoint"), [(u, e) for m, u, e in ADMIN_RULES if m == "GET"])
def test_every_desk_page_sends_an_anonymous_visitor_to_login(client, url, endpoint):
    response = client.get(url)
    assert response.status_code == 302, endpoint
    assert response.location.startswith("/admin/login?next=")


FORM_POSTS = [(u, e) for m, u, e in ADMIN_RULES if m == "POST" and e not in JSON_ENDPOINTS]
SCRIPT_POSTS = [(u, e) for m, u, e in ADMIN_RULES if m == "POST" and e in JSON_ENDPOINTS]


@pytest.mark.parametrize(("url", "endpoint"), SCRIPT_POSTS)
def test_every_script_post_from_an_anonymous_visitor_gets_a_json_401(client, url, endpoint):
    response = client.post(url, data={"caption": "x"})
    assert response.status_code == 401, endpoint
    assert "đăng nhập" in response.get_json()["error"]


@pytest.mark.parametrize(("url", "endpoint"), FORM_POSTS)
def test_every_desk_post_from_an_anonymous_visitor_only_asks_for_a_login(
    client, make_article, url, endpoint
):
    article = make_article(title="Bài không được đụng tới")
    response = client.post(url, data={"title": "Ghi đè", "action": "publish"})
    assert response.status_code == 401, endpoint
    assert 'name="relogin_password"' in response.get_data(as_text=True)
    db.session.refresh(article)
    assert article.title == "Bài không được đụng tới"


def test_the_rule_table_covers_the_desk():
    endpoints = {endpoint for _, _, endpoint in ADMIN_RULES}
    assert {"admin.article_edit", "admin.category_edit", "admin.settings", "admin.user_new"} <= (
        endpoints
    )
    assert len(ADMIN_RULES) >= 40


def test_login_form_itself_survives_an_expired_token(csrf_app, make_user):
    client = csrf_app.test_client()
    make_user("bientap", "editor", password=PASSWORD)
    response = client.post(
        "/admin/login", data={"username": "bientap", "password": PASSWORD, "csrf_token": "old"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="bientap"' in html and "nhập lại mật khẩu" in html
    token = get_token(client, "/admin/login")
    response = client.post(
        "/admin/login", data={"username": "bientap", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


# --- Accounts from the command line --------------------------------------------------------


def test_create_user_then_sign_in(runner, client):
    result = runner.invoke(
        args=["create-user", "phongvh", "--role", "author", "--password", "mat-khau-dai-1"]
    )
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản 'phongvh' với vai trò author." in result.output
    assert sign_in(client, "phongvh", "mat-khau-dai-1").status_code == 302


def test_set_password_unlocks_a_throttled_account(runner, client, make_user, clock):
    make_user("bientap", "editor", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "bientap", "x")
    result = runner.invoke(args=["set-password", "bientap", "--password", "mat-khau-moi-123"])
    assert result.exit_code == 0, result.output
    assert sign_in(client, "bientap", "mat-khau-moi-123").status_code == 302


def test_set_password_for_a_missing_account_fails_loudly(runner):
    result = runner.invoke(args=["set-password", "khongco", "--password", "x"])
    assert result.exit_code != 0 and "Không có tài khoản 'khongco'." in result.output


def test_login_attempts_expire_from_the_count_not_from_the_table_only(client, clock):
    for _ in range(5):
        sign_in(client, "khongco", "x")
    clock.advance(minutes=15, seconds=1)
    assert FAILED in sign_in(client, "khongco", "x").get_data(as_text=True)
