"""Comments on draft documents ("Góp ý dự thảo"): a window between two dates, moderated or
published at once by the site's choice, the summary report, and the privacy of senders."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import PUBLISHED, WAITING, Attachment, Document, DocumentComment, Media, Setting, db
from tests.asking import started

# The clock fixture's day: Thursday 14 May 2026 in Vietnam.
TODAY = date(2026, 5, 14)


def make_draft(**fields) -> Document:
    values = {"number": "DT-02/2026", "title": "Dự thảo quy chế văn hóa thôn",
              "issued_on": TODAY, "comments_from": TODAY - timedelta(days=2),
              "comments_until": TODAY + timedelta(days=10)}  # fmt: skip
    values.update(fields)
    document = Document(**values)
    db.session.add(document)
    db.session.commit()
    return document


def url(document) -> str:
    return f"/van-ban/x-{document.id}/gop-y"


def comment_data(**fields) -> dict:
    data = {
        "name": "Lý Văn Sáng",
        "email": "sang@example.vn",
        "consent": "y",
        "website": "",
        "body": "Đề nghị bổ sung quy định giữ gìn nhà văn hóa thôn.",
        "started": started(),
    }
    data.update(fields)
    return data


def count(*where) -> int:
    return db.session.scalar(select(func.count()).select_from(DocumentComment).where(*where))


def test_a_comment_waits_for_staff_by_default_and_the_name_stays_private(client, clock):
    document = make_draft()
    assert "Xem góp ý và gửi ý kiến" in client.get(
        f"/van-ban/x-{document.id}", follow_redirects=True
    ).get_data(as_text=True)
    response = client.post(url(document), data=comment_data(), follow_redirects=True)
    assert "Ý kiến sẽ được đăng sau khi cán bộ xã xem" in response.get_data(as_text=True)
    assert count(DocumentComment.status == WAITING) == 1
    assert "Đề nghị bổ sung" not in client.get(url(document)).get_data(as_text=True)


def test_a_site_may_publish_comments_at_once(client, clock):
    Setting.put("comments_moderated", "0")
    db.session.commit()
    document = make_draft()
    client.post(url(document), data=comment_data())
    page = client.get(url(document)).get_data(as_text=True)
    assert "Đề nghị bổ sung quy định giữ gìn nhà văn hóa thôn." in page
    assert "Lý Văn Sáng" not in page and "sang@example.vn" not in page


def test_the_form_closes_when_the_window_closes(client, clock):
    document = make_draft(comments_until=TODAY - timedelta(days=1))
    page = client.get(url(document)).get_data(as_text=True)
    assert "Gửi góp ý" not in page and "hiện không nhận góp ý" in page
    assert client.post(url(document), data=comment_data()).status_code == 409
    assert count() == 0


def test_a_document_never_opened_for_comments_has_no_comment_page(client):
    document = make_draft(comments_from=None, comments_until=None)
    assert client.get(url(document)).status_code == 404


def test_staff_attach_the_summary_report_and_readers_find_it(client, auth, clock):
    document = make_draft()
    media = Media(sha256="a" * 64, kind="file", stored_name="bao-cao.pdf",
                  original_name="bao-cao.pdf", mime_type="application/pdf", bytes=10)  # fmt: skip
    attachment = Attachment(media=media, document_id=document.id, title="Báo cáo tổng hợp ý kiến")
    db.session.add(attachment)
    db.session.commit()
    auth.login()
    data = {"number": document.number, "title": document.title, "doc_type": "Dự thảo",
            "issued_on": "2026-05-14", "comments_from": "2026-05-12",
            "comments_until": "2026-05-24", "comment_report_id": str(attachment.id)}  # fmt: skip
    assert client.post(f"/admin/documents/{document.id}/edit", data=data).status_code == 302
    db.session.refresh(document)
    assert document.comment_report_id == attachment.id
    auth.logout()
    assert "Báo cáo tổng hợp ý kiến:" in client.get(url(document)).get_data(as_text=True)


def test_the_window_needs_both_dates_in_order(client, auth):
    document = make_draft()
    auth.login()
    data = {
        "number": document.number,
        "title": document.title,
        "doc_type": "Dự thảo",
        "issued_on": "2026-05-14",
        "comments_from": "2026-05-20",
        "comments_until": "2026-05-10",
    }
    response = client.post(f"/admin/documents/{document.id}/edit", data=data)
    assert response.status_code == 422
    assert "Ngày kết thúc lấy ý kiến phải từ ngày bắt đầu trở đi." in response.get_data(
        as_text=True
    )


def test_the_desk_queue_publishes_marks_spam_and_deletes_in_bulk(client, auth, clock):
    document = make_draft()
    for n in range(3):
        client.post(url(document), data=comment_data(body=f"Góp ý số {n}"),
                    environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})  # fmt: skip
    ids = list(db.session.scalars(select(DocumentComment.id).order_by(DocumentComment.id)))
    auth.login()
    page = client.get("/admin/comments").get_data(as_text=True)
    assert "Góp ý số 0" in page and "sang@example.vn" in page
    client.post("/admin/comments/bulk", data={"action": "approve", "ids": [ids[0]]})
    client.post("/admin/comments/bulk", data={"action": "spam", "ids": [ids[1]]})
    client.post("/admin/comments/bulk", data={"action": "delete", "ids": [ids[2]]})
    assert count(DocumentComment.status == PUBLISHED) == 1 and count() == 2
    assert "Góp ý dự thảo chờ duyệt" not in client.get("/admin/").get_data(as_text=True)


def test_an_admin_exports_and_erases_a_commenters_data(client, auth, clock):
    document = make_draft()
    client.post(url(document), data=comment_data())
    auth.login("admin")
    exported = client.post("/admin/personal-data/export", data={"person": "sang@example.vn"})
    assert "Góp ý dự thảo" in exported.get_data(as_text=True)
    client.post("/admin/personal-data/erase", data={"person": "sang@example.vn"})
    comment = db.session.scalar(select(DocumentComment))
    assert (comment.name, comment.email) == ("", "")


def test_attack_csrf_missing_and_expired(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.test_request_context():
        document = make_draft(comments_from=date(2000, 1, 1), comments_until=date(2999, 1, 1))
        data = comment_data()
    assert client.post(url(document), data=data).status_code == 400
    response = client.post(url(document), data=data | {"csrf_token": "old"},
                           headers={"Sec-Fetch-Site": "same-origin"})  # fmt: skip
    assert response.status_code == 400
    assert "Đề nghị bổ sung quy định" in response.get_data(as_text=True)
    assert count() == 0


XSS = '"><script>alert(1)</script>'


@pytest.mark.parametrize("field", ["name", "email", "body", "started", "website"])
def test_attack_xss_in_every_field(client, auth, clock, field):
    Setting.put("comments_moderated", "0")
    db.session.commit()
    document = make_draft()
    response = client.post(url(document), data=comment_data(**{field: XSS}))
    assert XSS not in response.get_data(as_text=True)
    assert XSS not in client.get(url(document)).get_data(as_text=True)
    auth.login()
    assert XSS not in client.get("/admin/comments?tinh-trang=published").get_data(as_text=True)


def test_attack_oversized_comment_and_a_flood_from_one_address(app, client, clock):
    document = make_draft()
    response = client.post(url(document), data=comment_data(body="x" * 4001))
    assert response.status_code == 422 and "Tối đa 4000 ký tự." in response.get_data(as_text=True)
    app.config["CITIZENS_MAX_WAITING_PER_ADDRESS"] = 2
    codes = [client.post(url(document), data=comment_data()).status_code for _ in range(4)]
    assert codes == [303, 303, 429, 429] and count() == 2


def test_editors_hear_of_a_new_comment_by_mail(app, client, clock, make_user, inbox):
    make_user(username="bientap-lan", role="editor", email="lan@xa.example")
    document = make_draft()
    client.post(url(document), data=comment_data())
    received = inbox.messages()
    assert [str(m["To"]) for m in received] == ["lan@xa.example"]
    assert received[0]["Subject"].startswith("Góp ý mới về dự thảo")
    assert "/admin/comments" in received[0].get_content()
