"""The province's IT officers sign in by the commune's own code (auth.py), as accounts of the
registry's database: the same throttle, sessions, password rules and log; and a sign-in of one
database never opens the other's desk, whatever its cookie is signed with."""

import os

from officers import OFFICER, OFFICER_PASSWORD, PASSWORD, make_officer, run, sign_in, site_app, text
from sqlalchemy import inspect, select
from sqlalchemy import text as sql
from two_sites import HOSTS
from werkzeug.security import generate_password_hash

from app import create_app
from models import AuditLog, User, db
from sites.registry import ACCOUNT_TABLES, ACCOUNTS_SCHEMA


def resigned(cookie: str, source, target) -> str:
    """The session a cookie of `source` holds, signed with `target`'s key: what an attacker
    who knew every key could present."""
    data = source.session_interface.get_signing_serializer(source).loads(cookie)
    return target.session_interface.get_signing_serializer(target).dumps(dict(data))


def test_attack_a_communes_admin_cookie_opens_nothing_on_the_province_host(fresh):
    make_officer(fresh)
    commune = fresh.client("tra-leng")
    assert commune.login(fresh.ids["tra-leng"]["user"]).status_code == 302
    cookie = commune.client.get_cookie("session", domain=HOSTS["tra-leng"]).value
    for value in (cookie, resigned(cookie, site_app(fresh, "tra-leng"), fresh.app)):
        stranger = fresh.app.test_client()
        stranger.set_cookie("session", value, domain="localhost")
        assert stranger.get("/admin/").status_code == 302
        assert "Đăng nhập quản trị tỉnh" in text(stranger.get("/admin/login"))
        assert stranger.post("/admin/trang/hoa-son/trang-thai",
                             data={"state-password": PASSWORD}).status_code == 302
    assert fresh.registry.require("hoa-son").enabled


def test_attack_an_officers_cookie_opens_no_communes_desk(fresh):
    make_officer(fresh)
    officer, _ = sign_in(fresh)
    assert officer.get("/admin/").status_code == 200
    cookie = officer.get_cookie("session", domain="localhost").value
    site = site_app(fresh, "hoa-son")
    for value in (cookie, resigned(cookie, fresh.app, site)):
        visitor = fresh.client("hoa-son")
        visitor.client.set_cookie("session", value, domain=HOSTS["hoa-son"])
        desk = visitor.get("/admin/")
        assert desk.status_code == 302 and "/admin/login" in desk.location
    # Nor is the officer an account of the commune.
    login = fresh.client("hoa-son").login(OFFICER, OFFICER_PASSWORD)
    assert login.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng." in text(login)


def test_attack_brute_force_on_an_officer_is_slowed_by_the_desks_own_throttle(fresh):
    """The commune's rule, not a copy of part of it: an account guessed at from many addresses
    makes each guessing address wait even with the right password, while the owner's own
    address (one they signed in from before) still signs in."""
    make_officer(fresh)
    fresh.app.config.update(LOGIN_ACCOUNT_UNDER_ATTACK=3, LOGIN_MAX_FAILURES_PER_ACCOUNT=5)
    owner, _ = sign_in(fresh, address="10.0.0.1")
    owner.post("/admin/logout", data={})
    for number in range(3):
        sign_in(fresh, OFFICER, "doan-mo", address=f"10.5.5.{number}")
    _, attacker = sign_in(fresh, address="10.5.5.0")
    assert attacker.status_code == 401 and "Đăng nhập sai quá nhiều lần" in text(attacker)
    sign_in(fresh, OFFICER, "go-nham", address="10.0.0.1")  # the owner mistypes once
    client, again = sign_in(fresh, address="10.0.0.1")
    assert again.status_code == 302 and client.get("/admin/").status_code == 200
    with fresh.app.app_context():
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions.count("login_failed") == 4 and actions.count("login") == 2


def test_attack_wrong_passwords_asked_again_on_the_desk_are_counted_as_guesses(fresh):
    make_officer(fresh)
    fresh.app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    officer, _ = sign_in(fresh)
    for _ in range(3):
        wrong = officer.post("/admin/trang/hoa-son/trang-thai", data={"state-password": "sai"})
        assert "Mật khẩu không đúng." in text(wrong)
    blocked = officer.post("/admin/trang/hoa-son/trang-thai",
                           data={"state-password": OFFICER_PASSWORD})
    assert blocked.status_code == 422 and "Đăng nhập sai quá nhiều lần" in text(blocked)
    assert fresh.registry.require("hoa-son").enabled


def test_signing_in_starts_a_fresh_session_and_is_logged_with_the_address(fresh):
    make_officer(fresh)
    client = fresh.app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone before the sign-in"
    response = client.post("/admin/login", data={"username": OFFICER,
                                                 "password": OFFICER_PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.4.4.4"})  # fmt: skip
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
    with fresh.app.app_context():
        line = db.session.scalar(select(AuditLog).where(AuditLog.action == "login"))
        assert (line.username, line.ip) == (OFFICER, "10.4.4.4")


def test_removing_an_officer_ends_their_sessions(fresh):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    assert client.get("/admin/").status_code == 200
    assert run(fresh.app, "site", "operator", OFFICER, "--remove").exit_code == 0
    assert client.get("/admin/").status_code == 302


def old_release_registry(province, name: str, password: str) -> None:
    """Make the registry look like one of a release whose officers had tables of their own."""
    engine = province.registry.engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sql(f'DROP SCHEMA IF EXISTS "{ACCOUNTS_SCHEMA}" CASCADE'))
        else:
            for table in reversed(ACCOUNT_TABLES):
                connection.execute(sql(f'DROP TABLE IF EXISTS "{table.name}"'))
        connection.execute(sql("CREATE TABLE province_operator (name VARCHAR(64) PRIMARY KEY, "
                               "password_hash VARCHAR(255) NOT NULL, created_at TIMESTAMP "
                               "NOT NULL)"))
        connection.execute(sql("CREATE TABLE province_sign_in (id INTEGER PRIMARY KEY, "
                               "operator VARCHAR(64) REFERENCES province_operator(name))"))
        connection.execute(sql("CREATE TABLE province_login_failure (id INTEGER PRIMARY KEY)"))
        connection.execute(
            sql("INSERT INTO province_operator VALUES (:name, :hash, '2025-08-01 07:00:00')"),
            {"name": name, "hash": generate_password_hash(password, "pbkdf2:sha256:1")})


def test_an_older_releases_officers_sign_in_after_the_upgrade_with_their_password(fresh):
    old_release_registry(fresh, "cntt-cu", "mat-khau-cu")
    app = create_app(fresh.config)
    try:
        client = app.test_client()
        signed = client.post("/admin/login", data={"username": "cntt-cu",
                                                   "password": "mat-khau-cu"})  # fmt: skip
        assert signed.status_code == 302 and client.get("/admin/").status_code == 200
        tables = inspect(fresh.registry.engine).get_table_names()
        assert "province_operator" not in tables and "province_sign_in" not in tables
        # The command keeps its name and behaviour on the upgraded account.
        assert run(app, "site", "operator", "cntt-cu", "--password", "moi").exit_code == 0
        assert client.get("/admin/").status_code == 302
    finally:
        app.extensions["registry"].dispose()
    with fresh.app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "cntt-cu"))
        assert officer.role == "admin" and officer.created_at.year == 2025


def test_upgrade_db_brings_an_older_releases_officers_over_before_any_request(fresh):
    old_release_registry(fresh, "cntt-cu", "mat-khau-cu")
    app = create_app(fresh.config)
    try:
        result = run(app, "upgrade-db")
        assert result.exit_code == 0, result.output
        assert "Đã chuyển 1 tài khoản quản trị tỉnh" in result.output
        assert "Đã chuyển" not in run(app, "upgrade-db").output  # once only
        signed = app.test_client().post("/admin/login", data={"username": "cntt-cu",
                                                              "password": "mat-khau-cu"})
        assert signed.status_code == 302
    finally:
        app.extensions["registry"].dispose()


def test_the_officers_tables_are_apart_from_any_communes(fresh):
    """On PostgreSQL the registry's database may also hold an adopted commune's tables: the
    officers' accounts are in a schema of their own."""
    make_officer(fresh)
    if not os.environ.get("TEST_DATABASE_URL"):
        assert "user" in inspect(fresh.registry.engine).get_table_names()
        return
    names = inspect(fresh.registry.engine).get_table_names(schema=ACCOUNTS_SCHEMA)
    assert "user" in names and "sign_in" in names
    assert "user" not in inspect(fresh.registry.engine).get_table_names()


def test_an_officer_sent_to_sign_in_comes_back_to_the_page_asked_for(fresh):
    make_officer(fresh)
    client = fresh.app.test_client()
    asked = client.get("/admin/trang/hoa-son")
    assert asked.status_code == 302
    assert asked.location.endswith("/admin/login?next=/admin/trang/hoa-son")
    form = text(client.get(asked.location))
    assert 'name="next" type="hidden" value="/admin/trang/hoa-son"' in form
    signed = client.post("/admin/login", data={"username": OFFICER, "password": OFFICER_PASSWORD,
                                               "next": "/admin/trang/hoa-son"})
    assert signed.status_code == 302 and signed.location.endswith("/admin/trang/hoa-son")


def test_attack_the_province_sign_in_goes_nowhere_but_its_own_desk(fresh):
    make_officer(fresh)
    for target in ("https://evil.example/", "//evil.example/admin", "/rss.xml", "/\\evil"):
        client = fresh.app.test_client()
        signed = client.post("/admin/login", data={"username": OFFICER,
                                                   "password": OFFICER_PASSWORD, "next": target})
        assert signed.status_code == 302 and signed.location.endswith("/admin/"), target
