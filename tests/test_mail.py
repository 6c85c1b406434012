"""mail.send_mail against a real local SMTP server (aiosmtpd): what arrives, what a missing,
dead or slow server does (nothing the caller sees), and addresses that are not addresses."""

import socket

import pytest
from inbox import PASSWORD, USERNAME, Inbox, free_port

import mail


def test_without_a_mail_server_nothing_is_sent_and_nothing_fails(app):
    with app.app_context():
        assert not mail.is_enabled()
        assert mail.send_mail("bientap@hoason.example", "Bài chờ duyệt", "Nội dung") is False


def test_a_message_arrives_in_vietnamese_one_per_recipient(app, inbox):
    subject = "Bài “Lễ hội đình làng” đang chờ bạn duyệt"
    text = "Chào chị Lan,\n\nBài viết đang chờ duyệt: đường liên xã Hòa Sơn.\n"
    with app.app_context():
        sent = mail.send_mail(["lan@hoason.example", "minh@hoason.example"], subject, text)
    assert sent is True
    received = inbox.messages()
    assert sorted(str(m["To"]) for m in received) == ["lan@hoason.example", "minh@hoason.example"]
    for message in received:
        assert message["Subject"] == subject
        assert message.get_content().replace("\r\n", "\n") == text
        assert message["From"].addresses[0].display_name == "UBND xã Hòa Sơn"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Message-ID"].endswith("@hoason.example>")


def test_the_site_signs_in_to_its_mail_account(app):
    server = Inbox(with_account=True).start()
    try:
        app.config.update(server.settings())
        with app.app_context():
            assert mail.send_mail("lan@hoason.example", "Thử", "Thư thử.")
        assert len(server.messages()) == 1
        assert server.logins == [(USERNAME, PASSWORD)]
    finally:
        server.stop()


def test_a_wrong_mail_password_is_logged_not_raised(app, caplog):
    server = Inbox(with_account=True).start()
    try:
        app.config.update(server.settings(), MAIL_PASSWORD="sai-mat-khau")
        with app.app_context():
            assert mail.send_mail("lan@hoason.example", "Thử", "Thư thử.")
        assert server.messages() == []
    finally:
        server.stop()
    assert "Mail to lan@hoason.example not sent" in caplog.text


def test_a_server_that_does_not_answer_costs_the_caller_nothing(app, caplog):
    """A server that accepts the connection and never greets: the caller returns at once,
    while the background sender still waits; it gives up after MAIL_TIMEOUT and logs it."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1],
                          MAIL_USE_TLS=False, MAIL_TIMEOUT=1)  # fmt: skip
        with app.app_context():
            assert mail.send_mail("lan@hoason.example", "Thử", "Thư thử.")
        assert not mail.OUTBOX.wait(0), "the message was already given up"
        assert mail.OUTBOX.wait(10)
    assert "Mail to lan@hoason.example not sent" in caplog.text


def test_a_dead_server_is_logged_and_the_next_message_still_leaves(app, inbox, caplog):
    app.config.update(MAIL_PORT=free_port())
    with app.app_context():
        assert mail.send_mail("lan@hoason.example", "Lần một", "Thư một.")
        assert mail.OUTBOX.wait(10)
        app.config.update(inbox.settings())
        assert mail.send_mail("lan@hoason.example", "Lần hai", "Thư hai.")
    assert [m["Subject"] for m in inbox.messages()] == ["Lần hai"]
    assert "Mail to lan@hoason.example not sent" in caplog.text


@pytest.mark.parametrize(
    "address",
    ["", "khong-phai-dia-chi", "lan@", "lan@hoason.example\r\nBcc: ke-xau@example.com",
     "Lan <lan@hoason.example>, ke-xau@example.com"],
)  # fmt: skip
def test_attack_an_unusable_address_sends_nothing_and_raises_nothing(app, inbox, address):
    with app.app_context():
        assert mail.send_mail(address, "Thử", "Thư thử.") is False
    assert inbox.messages() == []


def test_attack_a_subject_cannot_add_headers(app, inbox):
    with app.app_context():
        mail.send_mail("lan@hoason.example", "Tiêu đề\r\nBcc: ke-xau@example.com", "Thư.")
    (message,) = inbox.messages()
    assert message["Subject"] == "Tiêu đề Bcc: ke-xau@example.com"
    assert message["Bcc"] is None


def test_settings_that_are_not_usable_are_logged_not_raised(app, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT="cổng")
    with app.app_context():
        assert mail.send_mail("lan@hoason.example", "Thử", "Thư thử.") is False
    assert "MAIL_* settings are not usable" in caplog.text


def test_the_sender_defaults_to_the_account_then_the_public_address(app):
    app.config.update(MAIL_DEFAULT_SENDER="", MAIL_USERNAME="", SITE_URL="https://hoason.gov.vn")
    with app.app_context():
        assert mail.sender() == "no-reply@hoason.gov.vn"
        app.config.update(MAIL_USERNAME="ubnd.hoason@gmail.com")
        assert mail.sender() == "ubnd.hoason@gmail.com"


def test_a_long_vietnamese_subject_keeps_every_space(app, inbox):
    subject = ("Bài đã được duyệt, sẽ đăng lúc 07:30 ngày 14/05/2026: Đường làng mới ở thôn "
               "Đồng Tâm khánh thành sau ba tháng bà con góp công góp của")  # fmt: skip
    with app.app_context():
        mail.send_mail("lan@hoason.example", subject, "Thư.")
    (message,) = inbox.messages()
    assert message["Subject"] == subject
