"""The desk's side of "Hỏi đáp": the queue, answers, roles, bulk actions, and a person's data."""

import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

import models
from media import uploads
from models import PUBLISHED, SPAM, WAITING, AuditLog, Question, db
from tests.asking import ASKER, make_question


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def answer_data(**fields) -> dict:
    data = {
        "topic": "dat-dai",
        "title": "Hỏi về thủ tục cấp đổi giấy chứng nhận",
        "body": "Tôi cần chuẩn bị những giấy tờ gì?",
        "answer": "<p>Mang theo <strong>giấy chứng nhận cũ</strong>.</p><script>x()</script>",
        "action": "publish",
    }
    data.update(fields)
    return data


def test_the_dashboard_counts_waiting_questions(client, auth):
    make_question(WAITING)
    make_question(WAITING)
    auth.login()
    page = client.get("/admin/").get_data(as_text=True)
    assert "Hỏi đáp chờ trả lời" in page and '<span class="badge">2</span>' in page


def test_the_queue_lists_waiting_questions_with_counts(client, auth):
    make_question(WAITING, title="Câu hỏi đang chờ")
    make_question(title="Câu hỏi đã đăng")
    auth.login()
    page = client.get("/admin/questions").get_data(as_text=True)
    assert "Câu hỏi đang chờ" in page and "Câu hỏi đã đăng" not in page
    page = client.get("/admin/questions?tinh-trang=published").get_data(as_text=True)
    assert "Câu hỏi đã đăng" in page


def test_an_editor_answers_and_publishes_question_and_answer_together(client, auth):
    question = make_question(WAITING, answer="", answer_text="")
    auth.login()
    response = client.post(f"/admin/questions/{question.id}", data=answer_data())
    assert response.status_code == 303
    db.session.refresh(question)
    assert question.status == PUBLISHED and question.published_at is not None
    assert "<strong>giấy chứng nhận cũ</strong>" in question.answer
    assert "script" not in question.answer
    assert question.answerer_name == "editor"
    assert question.contact_until > models.utcnow() + timedelta(days=360)
    page = client.get(f"/hoi-dap/x-{question.id}", follow_redirects=True).get_data(as_text=True)
    assert "giấy chứng nhận cũ" in page


def test_publishing_without_an_answer_is_refused_and_keeps_the_text(client, auth):
    question = make_question(WAITING, answer="", answer_text="")
    auth.login()
    response = client.post(
        f"/admin/questions/{question.id}", data=answer_data(answer="", title="Sửa tiêu đề")
    )
    assert response.status_code == 422
    assert "Hãy viết câu trả lời trước khi đăng." in response.get_data(as_text=True)
    assert "Sửa tiêu đề" in response.get_data(as_text=True)
    db.session.refresh(question)
    assert question.status == WAITING


def test_an_author_drafts_an_answer_but_may_not_publish_nor_see_contacts(client, auth):
    question = make_question(WAITING, answer="", answer_text="")
    auth.login("author")
    page = client.get(f"/admin/questions/{question.id}").get_data(as_text=True)
    assert ASKER["phone"] not in page and ASKER["email"] not in page and ASKER["name"] not in page
    assert client.post(f"/admin/questions/{question.id}", data=answer_data()).status_code == 403
    response = client.post(f"/admin/questions/{question.id}", data=answer_data(action="save"))
    assert response.status_code == 303
    db.session.refresh(question)
    assert question.status == WAITING and "giấy chứng nhận cũ" in question.answer_text
    assert (
        client.post(
            "/admin/questions/bulk", data={"action": "approve", "ids": [question.id]}
        ).status_code
        == 403
    )


def test_reading_contact_details_is_recorded_in_the_audit_log(client, auth):
    question = make_question(WAITING)
    auth.login()
    page = client.get(f"/admin/questions/{question.id}").get_data(as_text=True)
    assert ASKER["phone"] in page and ASKER["email"] in page
    assert "contact_view" in audit_actions()


def test_bulk_actions_approve_answered_mark_spam_and_delete(client, auth):
    answered = make_question(WAITING)
    unanswered = make_question(WAITING, answer="", answer_text="")
    spam = make_question(WAITING, title="Mua thuốc giá rẻ")
    gone = make_question(WAITING, title="Trùng lặp")
    auth.login()
    ids = [answered.id, unanswered.id]
    page = client.post("/admin/questions/bulk", data={"action": "approve", "ids": ids},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Đã đăng 1 câu hỏi." in page and "1 câu hỏi chưa có câu trả lời" in page
    client.post("/admin/questions/bulk", data={"action": "spam", "ids": [spam.id]})
    client.post("/admin/questions/bulk", data={"action": "delete", "ids": [gone.id]})
    statuses = dict(db.session.execute(select(Question.id, Question.status)).all())
    assert statuses == {answered.id: PUBLISHED, unanswered.id: WAITING, spam.id: SPAM}


def test_unpublishing_takes_the_question_off_the_site(client, auth):
    question = make_question()
    auth.login()
    client.post(f"/admin/questions/{question.id}", data=answer_data(action="unpublish"))
    assert client.get(f"/hoi-dap/x-{question.id}").status_code == 404


def test_contact_details_are_erased_after_the_retention_time(client, auth, runner, clock):
    question = make_question()
    question.contact_until = models.utcnow() + timedelta(days=365)
    db.session.commit()
    clock.advance(days=366)
    result = runner.invoke(args=["erase-contacts"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.refresh(question)
    assert (question.name, question.phone, question.email) == ("", "", "")
    assert question.contact_erased_at is not None
    assert question.title  # the published question itself stays


def test_the_queue_erases_expired_details_by_itself(client, auth, clock):
    question = make_question()
    question.contact_until = models.utcnow() + timedelta(days=1)
    db.session.commit()
    clock.advance(days=2)
    auth.login()
    client.get("/admin/questions")
    db.session.refresh(question)
    assert question.email == "" and question.contact_erased_at is not None


def test_an_admin_exports_one_persons_data_and_it_is_logged(client, auth):
    make_question(WAITING)
    make_question(WAITING, email="", phone="", name="Người khác")
    auth.login("admin")
    page = client.get("/admin/personal-data?person=0912345678").get_data(as_text=True)
    assert "Tìm thấy 1 mục" in page
    response = client.post("/admin/personal-data/export", data={"person": ASKER["email"]})
    assert response.headers["Content-Disposition"].startswith("attachment")
    exported = json.loads(response.get_data(as_text=True))
    assert exported["du_lieu"][0]["dien_thoai"] == ASKER["phone"]
    assert {"personal_data_view", "personal_data_export"} <= set(audit_actions())


def test_an_admin_erases_one_persons_data_and_it_is_logged(client, auth):
    question = make_question(WAITING)
    auth.login("admin")
    response = client.post("/admin/personal-data/erase", data={"person": ASKER["email"]})
    assert response.status_code == 303
    db.session.refresh(question)
    assert question.email == "" and question.name == ""
    assert "personal_data_erase" in audit_actions()


@pytest.mark.parametrize("role", ["editor", "author"])
def test_only_admins_handle_personal_data_requests(client, auth, role):
    auth.login(role)
    assert client.get("/admin/personal-data").status_code == 403
    assert client.post("/admin/personal-data/erase", data={"person": "a@b.vn"}).status_code == 403


def test_a_deleted_question_is_gone(client, auth):
    question = make_question(WAITING)
    auth.login()
    client.post(f"/admin/questions/{question.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_answer_sent_after_the_session_ended_comes_back_with_a_login_box(client):
    question = make_question(WAITING, answer="", answer_text="")
    response = client.post(
        f"/admin/questions/{question.id}",
        data=answer_data(answer="<p>Câu trả lời dài viết cả buổi sáng</p>", action="save"),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Câu trả lời dài viết cả buổi sáng" in page and 'name="relogin_password"' in page
    assert ASKER["phone"] not in page and ASKER["name"] not in page
    db.session.refresh(question)
    assert question.answer == ""


def test_the_asker_hears_by_mail_once_the_answer_is_published(client, auth, inbox):
    question = make_question(WAITING, answer="", answer_text="")
    auth.login()
    client.post(f"/admin/questions/{question.id}", data=answer_data())
    received = inbox.to(ASKER["email"])
    assert len(received) == 1
    text = received[0].get_content()
    assert "đã được trả lời" in text and "/hoi-dap/" in text and f"-{question.id}" in text
    # Saving the published answer again sends nothing more.
    client.post(f"/admin/questions/{question.id}", data=answer_data())
    assert len(inbox.to(ASKER["email"])) == 1


def test_without_mail_settings_publishing_still_works(client, auth):
    question = make_question(WAITING, answer="", answer_text="")
    auth.login()
    assert client.post(f"/admin/questions/{question.id}", data=answer_data()).status_code == 303
    db.session.refresh(question)
    assert question.status == PUBLISHED


def test_an_answer_with_a_picture_is_refused_and_keeps_the_text(client, auth):
    """A picture in an answer would be a broken image for readers (only articles and pages
    make one public): the desk says so and gives the answer back."""
    question = make_question(WAITING, answer="", answer_text="")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 60)).save(buffer, "JPEG")
    picture = uploads.store_image(buffer.getvalue(), "so-do.jpg")
    db.session.commit()
    auth.login()
    answer = (f'<p>Xem sơ đồ thửa đất.</p><p><img src="/media/{picture.id}-960.jpg" '
              'alt="Sơ đồ"></p>')
    response = client.post(f"/admin/questions/{question.id}", data=answer_data(answer=answer))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Câu trả lời không chèn ảnh được" in page and "Xem sơ đồ thửa đất." in page
    db.session.refresh(question)
    assert question.status == WAITING and question.answer == ""
