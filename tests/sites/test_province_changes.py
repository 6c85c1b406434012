"""The province's own pages as sites change: what appears and disappears on the front page,
feed and search at once, the admin page's figures, the officers' sessions, throttling and the
command (each test with a province of its own, since each writes)."""

import re
from datetime import timedelta

import pytest
from officers import (
    OFFICER,
    OFFICER_PASSWORD,
    add_article,
    make_officer,
    run,
    sign_in,
    site_app,
    text,
)
from two_sites import HOSTS, MARKS

import models
from models import Article, db
from ops import backup
from sites import databases, manage


def test_front_page_feed_and_search_hide_drafts_scheduled_expired_and_disabled_sites(fresh):
    now = models.utcnow()
    add_article(fresh, "tra-leng", "Tin hẹn giờ vuonchuoi", publish_at=now + timedelta(days=1))
    add_article(fresh, "tra-leng", "Tin hết hạn vuonchuoi", publish_at=now - timedelta(days=2),
                expire_at=now - timedelta(days=1))
    add_article(fresh, "tra-leng", "Bản nháp vuonchuoi", status="draft")
    add_article(fresh, "tra-leng", "Chờ duyệt vuonchuoi", status="pending")
    client = fresh.client()
    for url in ("/", "/rss.xml", "/tim-kiem?q=vuonchuoi", "/tim-kiem?q=Nháp"):
        body = text(client.get(url))
        assert "vuonchuoi</a>" not in body and "vuonchuoi</title>" not in body, url
        assert "Nháp Trà" not in body and "Nháp Hòa" not in body, url
    assert "Không tìm thấy kết quả nào" in text(client.get("/tim-kiem?q=vuonchuoi"))

    fresh.registry.set_enabled("hoa-son", False)
    manage.registry_changed(fresh.registry, fresh.config["INSTANCE_PATH"])
    for url in ("/", "/rss.xml", "/tim-kiem?q=duong+thon"):
        body = text(client.get(url))
        assert MARKS["hoa-son"] not in body and "hoason.test" not in body, url
        assert MARKS["tra-leng"] in body, url


def test_an_edit_on_one_site_shows_on_the_front_page_at_once(fresh):
    client = fresh.client()
    before = client.get("/")
    assert "Đường mới làm xong" not in text(before)
    with site_app(fresh, "hoa-son").app_context():
        article = db.session.get(Article, fresh.ids["hoa-son"]["article"])
        article.title = "Đường mới làm xong"
        db.session.commit()
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Đường mới làm xong" in text(after)
    assert "Đường mới làm xong" in text(client.get("/rss.xml"))
    found = text(client.get("/tim-kiem?q=duong+moi+lam+xong"))
    assert "<mark>Đường</mark> <mark>mới</mark>" in found and "hoason.test/tin/" in found
    with site_app(fresh, "hoa-son").app_context():
        db.session.get(Article, fresh.ids["hoa-son"]["article"]).status = "draft"
        db.session.commit()
    assert "Đường mới làm xong" not in text(client.get("/"))


def test_a_scheduled_article_appears_on_the_front_page_when_its_time_comes(fresh, monkeypatch):
    start = models.utcnow()
    add_article(fresh, "tra-leng", "Lịch tiêm phòng tháng sau", publish_at=start
                + timedelta(hours=1))
    client = fresh.client()
    assert "Lịch tiêm phòng" not in text(client.get("/"))
    monkeypatch.setattr(models, "utcnow", lambda: start + timedelta(hours=2))
    assert "Lịch tiêm phòng" in text(client.get("/"))


def test_a_renamed_commune_shows_its_new_name_at_once(fresh):
    client = fresh.client()
    assert "Xã Trà Leng mới" not in text(client.get("/"))
    with site_app(fresh, "tra-leng").app_context():
        models.Setting.put("site_name", "Xã Trà Leng mới")
        db.session.commit()
    assert "Xã Trà Leng mới" in text(client.get("/"))


def test_admin_page_shows_every_site_with_its_figures(fresh):
    make_officer(fresh)
    fresh.registry.set_enabled("hoa-son", False)
    manage.registry_changed(fresh.registry, fresh.config["INSTANCE_PATH"])
    on_sqlite = fresh.config["SITES_DATABASE_URI"].startswith("sqlite")
    if on_sqlite:  # PostgreSQL sites back up with pg_dump, outside Bantin
        with site_app(fresh, "tra-leng").app_context():
            backup.create_backup(backup.new_archive_path(backup.backup_folder()))
    client, response = sign_in(fresh)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = text(client.get("/admin/"))
    assert "traleng.test" in page and "hoason.test" in page
    assert "Đang chạy" in page and "Tạm ngừng" in page
    rows = {name: row for name in HOSTS for row in page.split("<tr") if f">{name}<" in row}
    for row in rows.values():  # each site's article, published an hour ago
        assert re.search(r'data-label="Tin mới nhất">\d\d/\d\d/\d{4} \d\d:\d\d<', row)
    assert " KB" in rows["tra-leng"] or " MB" in rows["tra-leng"]
    if on_sqlite:
        assert 'class="trouble"' not in rows["tra-leng"] and "Tốt" in rows["tra-leng"]
        assert "Chưa sao lưu" in rows["hoa-son"] and 'class="trouble"' in rows["hoa-son"]
    else:
        assert "PostgreSQL (pg_dump)" in rows["tra-leng"] and "Tốt" in rows["tra-leng"]
    assert "Cơ sở dữ liệu" not in rows["tra-leng"]


def test_a_merged_communes_hosts_show_as_redirects_and_leave_the_front_page(fresh):
    make_officer(fresh)
    fresh.registry.move_hosts("hoa-son", "tra-leng")
    manage.registry_changed(fresh.registry, fresh.config["INSTANCE_PATH"])
    client, _ = sign_in(fresh)
    page = text(client.get("/admin/"))
    row = next(row for row in page.split("<tr") if ">tra-leng<" in row)
    assert "hoason.test (chuyển hướng)" in row
    front = text(fresh.client().get("/"))
    assert MARKS["hoa-son"] not in front and MARKS["tra-leng"] in front


def test_admin_page_marks_a_site_not_at_the_newest_schema(fresh):
    make_officer(fresh)
    with site_app(fresh, "hoa-son").app_context():
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '44ea13cbcc70'"))
        db.session.commit()
    client, _ = sign_in(fresh)
    page = text(client.get("/admin/"))
    row = next(row for row in page.split("<tr") if ">hoa-son<" in row)
    assert 'class="trouble"' in row and "đang ở 44ea13cbcc70" in row


def test_attack_guessing_is_throttled_per_address_without_locking_the_owner_out(fresh):
    make_officer(fresh)
    limit = fresh.app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(fresh, OFFICER, "doan-mo", address="10.6.6.6")
    _, blocked = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.6.6.6")
    assert blocked.status_code == 401 and "Đăng nhập sai quá nhiều lần" in text(blocked)
    client, owner = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.7.7.7")
    assert owner.status_code == 302 and client.get("/admin/").status_code == 200


def test_attack_many_names_from_one_address_are_throttled_too(fresh):
    make_officer(fresh)
    fresh.app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 4
    for number in range(4):
        sign_in(fresh, f"ten-{number}", "doan-mo", address="10.8.8.8")
    _, blocked = sign_in(fresh, OFFICER, OFFICER_PASSWORD, address="10.8.8.8")
    assert "Đăng nhập sai quá nhiều lần" in text(blocked)


def test_attack_a_copied_cookie_dies_at_logout(fresh):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    copied = client.get_cookie("session", domain="localhost").value
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/logout").status_code == 405  # logout is a POST only
    response = client.post("/admin/logout")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert "Bạn đã đăng xuất." in text(client.get(response.headers["Location"]))
    thief = fresh.app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    assert thief.get("/admin/").status_code == 302


def test_attack_a_new_password_ends_every_sign_in(fresh):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    assert client.get("/admin/").status_code == 200
    result = make_officer(fresh, password="mat-khau-moi")
    assert "Đã đặt mật khẩu mới" in result.output
    assert client.get("/admin/").status_code == 302
    assert sign_in(fresh, password=OFFICER_PASSWORD)[1].status_code == 401
    assert sign_in(fresh, password="mat-khau-moi")[1].status_code == 302


def test_attack_an_idle_sign_in_ends(fresh, monkeypatch):
    make_officer(fresh)
    client, _ = sign_in(fresh)
    later = models.utcnow() + timedelta(minutes=fresh.app.config["SESSION_IDLE_MINUTES"] + 1)
    monkeypatch.setattr(models, "utcnow", lambda: later)
    assert client.get("/admin/").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite(fresh):
    make_officer(fresh)
    _, response = sign_in(fresh)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_operator_command_prompts_for_the_password_and_refuses_bad_names(fresh):
    result = run(fresh.app, "site", "operator", "Can-Bo", input="bi-mat\nbi-mat\n")
    assert result.exit_code == 0 and "Đã tạo tài khoản quản trị tỉnh “can-bo”" in result.output
    assert sign_in(fresh, "can-bo", "bi-mat")[1].status_code == 302
    bad = run(fresh.app, "site", "operator", "cán bộ", "--password", "x")
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output
    gone = run(fresh.app, "site", "operator", "can-bo", "--remove")
    assert gone.exit_code == 0 and "Đã xóa tài khoản quản trị tỉnh “can-bo”" in gone.output
    assert sign_in(fresh, "can-bo", "bi-mat")[1].status_code == 401


def test_operator_command_is_refused_on_a_single_communes_install(app, runner):
    result = runner.invoke(args=["site", "operator", "can-bo", "--password", "x"])
    assert result.exit_code != 0 and "nhiều trang" in result.output


def test_a_site_whose_idle_connection_was_closed_still_shows_its_own_edits(fresh, monkeypatch):
    """Only the most recent sites keep a connection open between requests (memory); a site
    past them opens one again on its next request and shows what was saved meanwhile."""
    if fresh.registry.on_postgresql:
        pytest.skip("SQLite sites each have an engine; PostgreSQL's sites share the process's")
    monkeypatch.setattr(databases, "SQLITE_IDLE_SITES", 1)
    path = f"/tin/tin-ve-duong-thon-{fresh.ids['tra-leng']['article']}"
    assert fresh.client("tra-leng").get(path).status_code == 200
    # Pages of this test's own (the process's page store may hold another test's "/").
    assert fresh.client("hoa-son").get("/?ket-noi=1").status_code == 200
    with site_app(fresh, "tra-leng").app_context():
        assert db.engine.pool.checkedin() == 0  # its idle connection was closed
    with site_app(fresh, "tra-leng").app_context():
        db.session.get(Article, fresh.ids["tra-leng"]["article"]).title = "Cầu mới thông xe"
        db.session.commit()
    assert fresh.client("hoa-son").get("/?ket-noi=2").status_code == 200
    page = fresh.client("tra-leng").get(path, follow_redirects=True)
    assert page.status_code == 200 and "Cầu mới thông xe" in text(page)
    with site_app(fresh, "hoa-son").app_context():
        assert db.engine.pool.checkedin() == 0
