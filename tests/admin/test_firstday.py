"""The first-day checklist on a new site's dashboard (admin/firstday.py): each step ticks
itself from the site's state; the list goes away when all is done or when it is dismissed."""

import os
import re

import pytest
from base_config import PASSWORD
from desk import get_token

from models import AuditLog, Category, Setting, db
from ops import starter


@pytest.fixture
def new_site(app):
    """A site as `flask upgrade-db` or `flask site add` leaves it: the starter menu."""
    starter.begin_site()
    return app


def steps(client) -> dict[str, bool]:
    """The checklist's steps on the dashboard, each with whether it is ticked."""
    html = client.get("/admin/").get_data(as_text=True)
    found = re.findall(r'<li class="step-(done|todo)">.*?<strong>(?:<a [^>]*>)?([^<]+)<', html,
                       re.S)
    return {label: state == "done" for state, label in found}


def test_a_new_sites_admin_sees_every_step_to_do(new_site, client, auth):
    auth.login("admin")
    found = steps(client)
    assert list(found) == [
        "Đổi mật khẩu", "Tên trang và cơ quan chủ quản", "Biểu trưng và ảnh đầu trang",
        "Thông tin liên hệ", "Chuyên mục", "Bài viết đầu tiên", "Sao lưu",
        "Địa chỉ công khai (SITE_URL)",
    ]
    assert not any(found.values())
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/tai-khoan/mat-khau">Đổi mật khẩu</a>' in html


def test_each_step_ticks_itself_from_what_the_site_holds(new_site, client, auth, make_article):
    auth.login("admin")
    client.post("/admin/tai-khoan/mat-khau", data={
        "current": PASSWORD, "password": "mat-khau-moi-cua-xa", "confirm": "mat-khau-moi-cua-xa"})
    for key, value in {"site_name": "Cổng thông tin điện tử xã Trà Leng",
                       "agency": "Ủy ban nhân dân xã Trà Leng", "address": "Thôn 1, xã Trà Leng",
                       "phone": "0235 3 123 456", "email": "ubnd@traleng.vn", "logo": "7"}.items():
        Setting.put(key, value)
    db.session.add(Category(name="Nông thôn mới", slug="nong-thon-moi", position=9))
    db.session.add(AuditLog(action="publish", object_type="article", object_id=1))
    db.session.commit()
    folder = new_site.config["BACKUP_DIR"]
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, "bantin-20260101.zip"), "wb").close()
    found = steps(client)
    assert found.pop("Địa chỉ công khai (SITE_URL)") is False
    assert all(found.values()), found


def test_the_list_goes_away_when_every_step_is_done(new_site, client, auth, monkeypatch):
    auth.login("admin")
    monkeypatch.setattr("admin.firstday.steps", lambda: [])
    assert "Việc cần làm ngày đầu" not in client.get("/admin/").get_data(as_text=True)


def test_demo_values_do_not_count_and_removing_the_demo_is_a_step(demo_site, client):
    client.post("/admin/login", data={"username": "admin", "password": demo_site})
    found = steps(client)
    assert found["Xóa dữ liệu mẫu"] is False
    assert found["Thông tin liên hệ"] is False and found["Tên trang và cơ quan chủ quản"] is False


def test_only_admins_of_a_new_site_see_it(new_site, client, auth):
    auth.login("editor")
    assert "Việc cần làm ngày đầu" not in client.get("/admin/").get_data(as_text=True)


def test_a_site_older_than_the_checklist_is_not_asked_again(app, client, auth):
    auth.login("admin")
    assert "Việc cần làm ngày đầu" not in client.get("/admin/").get_data(as_text=True)


def test_dismissing_needs_the_token_and_lasts(csrf_app, make_user):
    starter.begin_site()
    db.session.commit()
    client = csrf_app.test_client()
    make_user("quantri", "admin")
    token = get_token(client, "/admin/login")
    client.post("/admin/login", data={"username": "quantri", "password": PASSWORD,
                                      "csrf_token": token})
    client.post("/admin/first-day/dismiss", headers={"Sec-Fetch-Site": "same-origin"})
    assert "Việc cần làm ngày đầu" in client.get("/admin/").get_data(as_text=True)
    token = get_token(client, "/admin/")
    response = client.post("/admin/first-day/dismiss", data={"csrf_token": token})
    assert response.status_code == 302
    html = client.get("/admin/").get_data(as_text=True)
    assert "Đã ẩn danh sách việc ngày đầu" in html
    assert "Việc cần làm ngày đầu" not in client.get("/admin/").get_data(as_text=True)
    assert not starter.first_day_open()


def test_an_editor_cannot_dismiss_it(new_site, client, auth):
    auth.login("editor")
    assert client.post("/admin/first-day/dismiss").status_code == 403
    assert starter.first_day_open()
