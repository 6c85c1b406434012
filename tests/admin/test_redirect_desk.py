"""The desk's redirect table: admins list, search, add, edit and delete old addresses; no
entry can send readers to another site or round in a loop."""

import pytest
from desk import PASSWORD, get_token
from sqlalchemy import select

from models import AuditLog, Redirect, db


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return client


def rows() -> list[tuple]:
    return list(db.session.execute(select(Redirect.host, Redirect.old_path, Redirect.target)))


def add(admin, **data):
    form = {"old_path": "", "target": "", "host": ""}
    form.update(data)
    return admin.post("/admin/redirects/new", data=form)


def test_an_admin_adds_a_redirect_that_then_works(admin, client, make_article):
    article = make_article(title="Hội thi nấu cơm")
    answer = add(admin, old_path="https://xa-cu.example/2019/05/hoi-thi/",
                 target=f"/tin/{article.slug}-{article.id}")
    assert answer.status_code == 302 and answer.location == "/admin/redirects"
    assert rows() == [(None, "/2019/05/hoi-thi", f"/tin/{article.slug}-{article.id}")]
    assert client.get("/2019/05/hoi-thi/").location == f"/tin/{article.slug}-{article.id}"
    action = db.session.scalar(select(AuditLog.action).order_by(AuditLog.id.desc()))
    assert action == "redirect_create"


def test_the_list_searches_both_addresses(admin):
    add(admin, old_path="/tin-tức/lễ-hội", target="/tin/le-hoi-3")
    add(admin, old_path="/?p=44", target="/trang/gioi-thieu")
    admin.get("/admin/redirects")  # shows (and so forgets) the messages of the two saves
    page = admin.get("/admin/redirects?q=lễ-hội").get_data(as_text=True)
    assert "/tin/le-hoi-3" in page and "/trang/gioi-thieu" not in page
    page = admin.get("/admin/redirects?q=gioi-thieu").get_data(as_text=True)
    assert "/?p=44" in page and "/tin/le-hoi-3" not in page
    assert "2 chuyển hướng" in admin.get("/admin/redirects").get_data(as_text=True)


def test_an_edited_redirect_leads_to_its_new_target(admin, client):
    add(admin, old_path="/gioi-thieu.html", target="/trang/gioi-thieu-cu")
    row = db.session.scalar(select(Redirect))
    answer = admin.post(f"/admin/redirects/{row.id}/edit",
                        data={"old_path": "/gioi-thieu.html", "target": "/trang/gioi-thieu",
                              "host": ""})  # fmt: skip
    assert answer.status_code == 302
    assert client.get("/gioi-thieu.html").location == "/trang/gioi-thieu"


def test_a_deleted_redirect_answers_404_again(admin, client):
    add(admin, old_path="/lien-he.html", target="/trang/lien-he")
    row = db.session.scalar(select(Redirect))
    assert admin.post(f"/admin/redirects/{row.id}/delete").status_code == 302
    assert client.get("/lien-he.html").status_code == 404


def test_the_same_old_address_twice_is_refused(admin):
    add(admin, old_path="/cu.html", target="/trang/a")
    answer = add(admin, old_path="/cu.html/", target="/trang/b")
    assert answer.status_code == 422
    assert "đã được chuyển tới /trang/a" in answer.get_data(as_text=True)


def test_the_home_page_cannot_be_moved(admin):
    answer = add(admin, old_path="/", target="/trang/a")
    assert answer.status_code == 422 and rows() == []


@pytest.mark.parametrize(
    "target",
    ["https://lua-dao.example/dang-nhap", "//lua-dao.example", "/\\lua-dao.example",
     "/\t/lua-dao.example", "javascript:alert(1)", "lua-dao.example"],
)
def test_attack_the_desk_cannot_make_an_open_redirect(admin, target):
    answer = add(admin, old_path="/bai-cu", target=target)
    assert answer.status_code == 422
    assert "trong trang này" in answer.get_data(as_text=True)
    assert rows() == []


def test_attack_a_loop_is_refused(admin):
    add(admin, old_path="/a", target="/b")
    add(admin, old_path="/b", target="/c")
    answer = add(admin, old_path="/c", target="/a")
    assert answer.status_code == 422 and "lặp" in answer.get_data(as_text=True)
    assert add(admin, old_path="/d", target="/d").status_code == 422
    assert len(rows()) == 2


def test_editors_and_authors_may_not_touch_redirects(client, auth):
    auth.login("editor")
    assert client.get("/admin/redirects").status_code == 403
    assert add(client, old_path="/x", target="/y").status_code == 403


def test_attack_a_post_without_the_csrf_token_is_refused(csrf_app, make_user):
    client = csrf_app.test_client()
    make_user("quantri", "admin", password=PASSWORD)
    token = get_token(client, "/admin/login")
    client.post("/admin/login", data={"username": "quantri", "password": PASSWORD,
                                      "csrf_token": token})  # fmt: skip
    answer = client.post("/admin/redirects/new", data={"old_path": "/x", "target": "/y"})
    assert answer.status_code in (400, 200) and rows() == []
    token = get_token(client, "/admin/redirects/new")
    answer = client.post("/admin/redirects/new",
                         data={"old_path": "/x", "target": "/y", "csrf_token": token})
    assert answer.status_code == 302 and len(rows()) == 1
