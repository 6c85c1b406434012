"""The province's desk in the browser: what `flask site` does, done by an IT officer signed in
to the province's admin page, each action behind the password asked again and audited."""

import pytest
from officers import OFFICER, OFFICER_PASSWORD, make_officer, run, sign_in, site_app, text

from models import User, db
from sites.registry import audit_table

NEW = {"title": "Xã Tây Giang", "name": "tay-giang", "hosts": "taygiang.test\nwww.taygiang.test"}


@pytest.fixture
def officer(fresh):
    make_officer(fresh)
    client, response = sign_in(fresh)
    assert response.status_code == 302
    return client


def audit_lines(province) -> list:
    with province.registry.engine.connect() as connection:
        return list(connection.execute(audit_table.select().order_by(audit_table.c.id)))


def test_an_officer_adds_a_commune_that_answers_at_once(fresh, officer):
    assert "Thêm trang của một xã, phường" in text(officer.get("/admin/xa-phuong-moi"))
    response = officer.post("/admin/xa-phuong-moi", data={**NEW, "password": OFFICER_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/admin/trang/tay-giang")
    site = fresh.registry.require("tay-giang")
    assert site.hosts == ("taygiang.test", "www.taygiang.test") and site.title == "Xã Tây Giang"
    home = fresh.app.test_client().get("/", base_url="http://taygiang.test")
    assert home.status_code == 200 and "Xã Tây Giang" in text(home)
    page = text(officer.get("/admin/trang/tay-giang"))
    assert "Đã thêm trang “Xã Tây Giang”" in page
    line = audit_lines(fresh)[-1]
    assert (line.operator, line.action, line.site) == (OFFICER, "thêm trang", "tay-giang")


def test_attack_every_action_asks_for_the_password_again(fresh, officer):
    """A session left open (or a stolen cookie) alone adds, disables or backs up nothing."""
    bad = {"password": "khong-dung"}
    assert officer.post("/admin/xa-phuong-moi", data={**NEW, **bad}).status_code == 422
    assert fresh.registry.get("tay-giang") is None
    page = officer.post("/admin/trang/hoa-son/trang-thai", data={"state-password": "sai"})
    assert page.status_code == 422 and "Mật khẩu không đúng." in text(page)
    assert fresh.registry.require("hoa-son").enabled
    assert officer.post("/admin/trang/hoa-son/quan-tri",
                        data={"admin-username": "ke-gian", "admin-password": ""}).status_code == 422
    with site_app(fresh, "hoa-son").app_context():
        assert db.session.scalar(db.select(User).where(User.username == "ke-gian")) is None
    assert audit_lines(fresh) == []


def test_an_anonymous_visitor_reaches_no_action(fresh):
    client = fresh.app.test_client()
    for url in ("/admin/xa-phuong-moi", "/admin/trang/hoa-son/trang-thai",
                "/admin/trang/hoa-son/sao-luu", "/admin/sao-luu-tat-ca"):
        answer = client.post(url, data={"password": OFFICER_PASSWORD})
        assert answer.status_code == 302 and "/admin/login" in answer.location, url
    assert client.get("/admin/trang/hoa-son").status_code == 302


def test_disabling_a_site_closes_it_and_enabling_opens_it(fresh, officer):
    answer = officer.post("/admin/trang/hoa-son/trang-thai",
                          data={"state-password": OFFICER_PASSWORD})
    assert answer.status_code == 302
    assert not fresh.registry.require("hoa-son").enabled
    assert fresh.client("hoa-son").get("/").status_code == 503
    assert "Đã tạm ngừng trang" in text(officer.get("/admin/trang/hoa-son"))
    officer.post("/admin/trang/hoa-son/trang-thai", data={"state-password": OFFICER_PASSWORD})
    assert fresh.client("hoa-son").get("/").status_code == 200
    assert [line.action for line in audit_lines(fresh)] == ["tạm ngừng trang", "mở lại trang"]


def test_a_host_name_is_added_and_moved_between_sites(fresh, officer):
    data = {"host-host": "hoason2.test", "host-password": OFFICER_PASSWORD}
    assert officer.post("/admin/trang/hoa-son/ten-mien", data=data).status_code == 302
    assert "hoason2.test" in fresh.registry.require("hoa-son").hosts
    taken = officer.post("/admin/trang/tra-leng/ten-mien", data=data)
    assert taken.status_code == 422 and "đang thuộc trang “hoa-son”" in text(taken)
    moved = officer.post("/admin/trang/tra-leng/ten-mien", data={**data, "host-move": "y"})
    assert moved.status_code == 302
    assert "hoason2.test" in fresh.registry.require("tra-leng").hosts
    assert "hoason2.test" not in fresh.registry.require("hoa-son").hosts
    assert audit_lines(fresh)[-1].detail == "hoason2.test (chuyển từ hoa-son)"


def test_a_communes_first_admin_gets_a_password_shown_once(fresh, officer):
    answer = officer.post("/admin/trang/hoa-son/quan-tri", data={
        "admin-username": "quantri-hoason", "admin-display_name": "Lê Thị Hoa",
        "admin-password": OFFICER_PASSWORD}, follow_redirects=True)
    page = text(answer)
    password = page.split("với mật khẩu ")[1].split(" ")[0]
    assert len(password) == 14
    login = fresh.client("hoa-son").login("quantri-hoason", password)
    assert login.status_code == 302 and "/admin" in login.location
    again = officer.post("/admin/trang/hoa-son/quan-tri", data={
        "admin-username": "quantri-hoason", "admin-password": OFFICER_PASSWORD})
    assert again.status_code == 422 and "đã có tài khoản" in text(again)
    assert password not in str(audit_lines(fresh))  # the password is never logged


def test_a_backup_is_taken_from_the_browser_and_shown(fresh, officer):
    answer = officer.post("/admin/trang/tra-leng/sao-luu",
                          data={"backup-password": OFFICER_PASSWORD}, follow_redirects=True)
    assert "Đã sao lưu vào" in text(answer)
    assert "Chưa sao lưu" not in text(officer.get("/admin/trang/tra-leng"))


def test_the_dashboard_links_each_site_and_shows_the_log(fresh, officer):
    officer.post("/admin/trang/hoa-son/trang-thai", data={"state-password": OFFICER_PASSWORD})
    page = text(officer.get("/admin/"))
    assert 'href="/admin/trang/tra-leng"' in page and 'href="/admin/xa-phuong-moi"' in page
    assert "Nhật ký quản trị tỉnh" in page and "tạm ngừng trang" in page


def test_the_cli_still_works_beside_the_desk(fresh):
    result = run(fresh.app, "site", "list")
    assert result.exit_code == 0 and "tra-leng" in result.output


HOSTILE = ("99999999999999999999", "x\x00y", "%ff%fe%00", "a" * 10_000, "'\"<script>", "../../etc",
           "//evil.example", "Đường xã 🙂", " ", "-1", "tra-leng", "hoason.test", "LOCALHOST.")
FIELDS = ("password", "name", "title", "hosts", "host", "move", "username", "display_name")
PREFIXES = ("", "state-", "host-", "admin-", "backup-", "remove-", "all-")
POSTS = ("/admin/xa-phuong-moi", "/admin/trang/hoa-son/trang-thai",
         "/admin/trang/hoa-son/ten-mien", "/admin/trang/hoa-son/ten-mien/xoa",
         "/admin/trang/hoa-son/quan-tri", "/admin/trang/{value}/sao-luu",
         "/admin/trang/{value}", "/admin/sao-luu-tat-ca")  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_attack_hostile_values_in_every_desk_form_never_give_a_500(fresh, officer, value):
    data = {f"{prefix}{name}": value for prefix in PREFIXES for name in FIELDS}
    data |= {"host": value, "password": OFFICER_PASSWORD}
    for url in POSTS:
        path = url.format(value=value.replace("/", "%2F"))
        answer = officer.post(path, data=data)
        assert answer.status_code < 500, (path, answer.status_code)
        assert officer.get(path).status_code < 500, path
    assert fresh.registry.require("hoa-son").enabled in (True, False)


def test_attack_a_flood_of_officer_sign_ins_is_limited_per_address(fresh):
    """Each sign-in costs a password hash: one address gets 60 a minute, then a 429 with the
    form again; another address still signs in."""
    make_officer(fresh)
    client = fresh.app.test_client()
    for _ in range(60):
        client.post("/admin/login", data={"username": "ai-do", "password": "doan-mo"},
                    environ_base={"REMOTE_ADDR": "10.6.6.6"})  # fmt: skip
    refused = client.post("/admin/login", data={"username": OFFICER, "password": OFFICER_PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.6.6.6"})  # fmt: skip
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "Có quá nhiều lần đăng nhập" in text(refused)
    _, other = sign_in(fresh, address="10.7.7.7")
    assert other.status_code == 302
