"""People hear about work waiting for them: an article sent for review reaches the editors and
admins, a returned or published one its writer, by e-mail (a real local SMTP server) when the
site sends mail, and always as a count in the desk's menu and lists on the dashboard."""

import re

import pytest
from base_config import PASSWORD
from desk import article_data
from inbox import free_port
from sqlalchemy import select

import mail
from models import Article, User, db


@pytest.fixture
def newsroom(make_user, make_category):
    """A commune's desk: two editors and an admin who review, and a writer."""
    people = {
        "lan": make_user("lan", "editor", display_name="Trần Thị Lan", email="lan@hoason.example"),
        "minh": make_user("minh", "admin", display_name="Lê Văn Minh",
                          email="minh@hoason.example"),
        "hung": make_user("hung", "editor", display_name="Phạm Hùng"),  # no address
        "cu": make_user("cu", "editor", email="cu@hoason.example", active=False),
        "ha": make_user("ha", "author", display_name="Lý Thị Hà", email="ha@hoason.example"),
    }  # fmt: skip
    people["category"] = make_category(name="Tin hoạt động", slug="tin-hoat-dong")
    return people


def sign_in(client, username: str) -> None:
    client.post("/admin/logout")
    response = client.post("/admin/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def submit(client, newsroom) -> Article:
    sign_in(client, "ha")
    client.post("/admin/articles/new", data=article_data(newsroom["category"].id, action="submit"))
    return db.session.scalars(select(Article)).one()


def waiting_badge(html: str) -> int:
    found = re.search(r'id="desk-waiting">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_an_article_sent_for_review_mails_every_reviewer_with_an_address(
    app, client, newsroom, inbox
):
    article = submit(client, newsroom)
    received = inbox.messages()
    assert sorted(str(m["To"]) for m in received) == ["lan@hoason.example", "minh@hoason.example"]
    message = received[0]
    assert message["Subject"] == f"Bài chờ duyệt: {article.title}"
    body = message.get_content()
    assert "Lý Thị Hà đã gửi bài “Đường làng mới ở thôn Đồng Tâm” để duyệt." in body
    assert f"http://localhost/admin/articles/{article.id}/edit" in body
    assert "Thư tự động từ bàn biên tập" in body


def test_a_returned_article_mails_its_writer_the_reason(app, client, newsroom, inbox):
    article = submit(client, newsroom)
    inbox.messages()
    inbox.received.clear()
    sign_in(client, "lan")
    reason = "Thiếu nguồn tin; hãy ghi rõ tên thôn."
    client.post(f"/admin/articles/{article.id}/return", data={"reason": reason})
    (message,) = inbox.messages()
    assert str(message["To"]) == "ha@hoason.example"
    assert message["Subject"] == f"Bài bị trả lại: {article.title}"
    assert "Trần Thị Lan đã trả lại bài" in message.get_content()
    assert f"Lý do: {reason}" in message.get_content()


def test_a_published_article_mails_its_writer_where_readers_see_it(app, client, newsroom, inbox):
    article = submit(client, newsroom)
    sign_in(client, "lan")
    data = article_data(newsroom["category"].id, action="approve", version=article.version)
    client.post(f"/admin/articles/{article.id}/edit", data=data)
    (message,) = inbox.to("ha@hoason.example")
    assert message["Subject"] == f"Bài đã được đăng: {article.title}"
    assert f"http://localhost/tin/{article.slug}-{article.id}" in message.get_content()
    # Saving the published article again is no news.
    inbox.received.clear()
    data = article_data(newsroom["category"].id, action="update", version=article.version + 1)
    client.post(f"/admin/articles/{article.id}/edit", data=data)
    assert inbox.messages() == []


def test_editors_publishing_their_own_work_mail_nobody(app, client, newsroom, inbox):
    sign_in(client, "lan")
    data = article_data(newsroom["category"].id, action="publish")
    assert client.post("/admin/articles/new", data=data).status_code == 302
    assert inbox.messages() == []


def test_a_dead_mail_server_never_stops_a_submission(app, client, newsroom, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    sign_in(client, "ha")
    data = article_data(newsroom["category"].id, action="submit")
    response = client.post("/admin/articles/new", data=data, follow_redirects=True)
    assert "Đã gửi bài để biên tập viên duyệt." in response.get_data(as_text=True)
    assert db.session.scalars(select(Article)).one().status == "pending"
    assert mail.OUTBOX.wait(10)
    assert "not sent" in caplog.text


def test_without_mail_the_desk_counts_what_waits_for_each(app, client, newsroom):
    """No MAIL_SERVER: nothing is sent, and the menu counts the work on every desk page."""
    article = submit(client, newsroom)
    assert waiting_badge(client.get("/admin/articles").get_data(as_text=True)) == 0

    sign_in(client, "lan")
    assert waiting_badge(client.get("/admin/articles").get_data(as_text=True)) == 1
    client.post(f"/admin/articles/{article.id}/return", data={"reason": "Thiếu ảnh."})
    assert waiting_badge(client.get("/admin/articles").get_data(as_text=True)) == 0

    sign_in(client, "ha")
    page = client.get("/admin/articles").get_data(as_text=True)
    assert waiting_badge(page) == 1 and "việc chờ bạn" in page
    db.session.refresh(article)
    data = article_data(newsroom["category"].id, action="submit", version=article.version)
    client.post(f"/admin/articles/{article.id}/edit", data=data)

    sign_in(client, "minh")
    db.session.refresh(article)
    data = article_data(newsroom["category"].id, action="approve", version=article.version)
    client.post(f"/admin/articles/{article.id}/edit", data=data)

    sign_in(client, "ha")
    assert waiting_badge(client.get("/admin/articles").get_data(as_text=True)) == 1
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Bài của bạn vừa được đăng" in dashboard and "Lê Văn Minh đăng lúc" in dashboard
    assert f'href="/tin/{article.slug}-{article.id}"' in dashboard
    # Seen once on the dashboard, it is no longer news.
    assert waiting_badge(client.get("/admin/articles").get_data(as_text=True)) == 0
    assert "Bài của bạn vừa được đăng" not in client.get("/admin/").get_data(as_text=True)


def test_everyone_sets_the_address_their_notices_go_to(app, client, newsroom):
    sign_in(client, "hung")
    page = client.get("/admin/phien-dang-nhap").get_data(as_text=True)
    assert "Thư điện tử nhận thông báo" in page and "Trang chưa cài máy chủ thư" in page
    response = client.post("/admin/tai-khoan/thu-dien-tu", data={"email": "khong-phai-thu"})
    assert response.status_code == 422
    assert "Địa chỉ thư điện tử không hợp lệ." in response.get_data(as_text=True)
    response = client.post("/admin/tai-khoan/thu-dien-tu", data={"email": " hung@hoason.example "},
                           follow_redirects=True)  # fmt: skip
    assert "Đã lưu địa chỉ thư nhận thông báo." in response.get_data(as_text=True)
    assert db.session.scalar(select(User.email).where(User.username == "hung")) == (
        "hung@hoason.example"
    )


def test_an_admin_gives_an_account_its_address(app, client, newsroom):
    sign_in(client, "minh")
    hung = db.session.scalar(select(User).where(User.username == "hung"))
    data = {"display_name": "Phạm Hùng", "email": "hung@hoason.example", "role": "editor",
            "active": "y"}  # fmt: skip
    response = client.post(f"/admin/users/{hung.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(hung)
    assert hung.email == "hung@hoason.example"
