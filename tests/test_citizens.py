"""Readers who speak: the "Hỏi đáp" pages, the ask form, its guards, and the privacy of askers."""

import pytest
from sqlalchemy import func, select

from models import PUBLISHED, WAITING, Question, db
from tests.asking import ASKER, make_question, question_data, started
from tests.desk import get_token


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


def test_the_list_shows_answered_questions_by_topic(client):
    make_question(title="Hỏi về đất ở", topic="dat-dai")
    make_question(title="Hỏi về khai sinh", topic="ho-tich")
    make_question(WAITING, title="Chưa trả lời")
    page = client.get("/hoi-dap").get_data(as_text=True)
    assert "Hỏi về đất ở" in page and "Hỏi về khai sinh" in page
    assert "Chưa trả lời" not in page
    page = client.get("/hoi-dap?linh-vuc=ho-tich").get_data(as_text=True)
    assert "Hỏi về khai sinh" in page and "Hỏi về đất ở" not in page


def test_an_unknown_topic_leads_back_to_every_topic(client):
    response = client.get("/hoi-dap?linh-vuc=khong-co")
    assert response.status_code == 301 and response.location.endswith("/hoi-dap")


def test_a_question_page_shows_question_and_answer(client):
    question = make_question()
    response = client.get(f"/hoi-dap/hoi-ve-thu-tuc-cap-doi-giay-chung-nhan-{question.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tôi cần chuẩn bị những giấy tờ gì?" in page
    assert "<p>Ông bà mang theo giấy chứng nhận cũ và căn cước.</p>" in page


def test_a_stale_slug_redirects_and_a_waiting_question_is_not_found(client):
    question = make_question()
    response = client.get(f"/hoi-dap/ten-cu-{question.id}")
    assert response.status_code == 301
    assert response.location.endswith(
        f"/hoi-dap/hoi-ve-thu-tuc-cap-doi-giay-chung-nhan-{question.id}"
    )
    waiting = make_question(WAITING)
    assert client.get(f"/hoi-dap/x-{waiting.id}").status_code == 404


def test_asking_stores_a_waiting_question_and_says_so(client):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Câu hỏi của bạn đã được gửi" in page
    question = db.session.scalar(select(Question))
    assert question.status == WAITING
    assert (question.name, question.phone, question.email) == (
        ASKER["name"],
        ASKER["phone"],
        ASKER["email"],
    )
    assert question.sender_key and "127.0.0.1" not in question.sender_key
    # The browser may now drop its local copy of the question.
    assert 'data-clear-drafts="hoi-dap"' in page


def test_the_form_says_what_is_kept_why_and_how_long(client):
    page = client.get("/hoi-dap/dat-cau-hoi").get_data(as_text=True)
    assert "Những gì được lưu" in page and "Để làm gì" in page
    assert "đến 12 tháng sau khi câu hỏi được trả lời" in page
    assert 'name="consent"' in page and "Nghị định 13/2023/NĐ-CP" in page


def test_the_form_is_never_kept_by_a_cache(client):
    response = client.get("/hoi-dap/dat-cau-hoi")
    assert response.headers["Cache-Control"] == "no-store"


def test_without_consent_nothing_is_kept_and_the_text_stays(client):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(consent=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hãy đánh dấu ô đồng ý" in page
    assert "Gia đình tôi ở thôn Đông muốn cấp đổi giấy chứng nhận" in page
    assert count() == 0


def test_a_form_sent_too_fast_comes_back_filled_in(client):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(started=started(1)))
    assert response.status_code == 422
    assert "quá nhanh" in response.get_data(as_text=True)
    assert "Thủ tục cấp đổi sổ đỏ mất bao lâu?" in response.get_data(as_text=True)
    assert count() == 0


def test_a_long_pause_before_sending_is_fine(client):
    client.post("/hoi-dap/dat-cau-hoi", data=question_data(started=started(6 * 3600)))
    assert count() == 1


def test_attack_a_bot_filling_the_hidden_field_is_told_nothing_and_kept_nothing(client):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(website="http://spam"))
    assert response.status_code == 303
    assert count() == 0


def test_attack_a_forged_fill_stamp_is_refused(client):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(started="1700000000"))
    assert response.status_code == 422 and count() == 0


def test_attack_flood_from_one_address_stops_at_the_waiting_cap(app, client):
    app.config["CITIZENS_MAX_WAITING_PER_ADDRESS"] = 3
    codes = [client.post("/hoi-dap/dat-cau-hoi", data=question_data()).status_code
             for _ in range(6)]  # fmt: skip
    assert codes == [303, 303, 303, 429, 429, 429]
    assert count() == 3
    # Another address is not held back by it.
    other = client.post(
        "/hoi-dap/dat-cau-hoi", data=question_data(), environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 303 and count() == 4


def test_attack_flood_from_many_addresses_stops_at_the_queue_cap(app, client):
    app.config["CITIZENS_MAX_WAITING"] = 4
    for n in range(6):
        client.post("/hoi-dap/dat-cau-hoi", data=question_data(),
                    environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})  # fmt: skip
    assert count() == 4
    page = client.post("/hoi-dap/dat-cau-hoi", data=question_data()).get_data(as_text=True)
    assert "quá nhiều câu hỏi đang chờ" in page and "Thủ tục cấp đổi sổ đỏ" in page


@pytest.mark.parametrize("name, limit", [("name", 120), ("phone", 40), ("email", 254),
                                         ("title", 200), ("body", 4000)])  # fmt: skip
def test_attack_oversized_fields_are_refused_with_a_message(client, name, limit):
    value = "9" * (limit + 1) if name == "phone" else "a" * (limit - 5) + "@b.vn" + "x" * 10
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(**{name: value}))
    assert response.status_code == 422
    assert f"Tối đa {limit} ký tự." in response.get_data(as_text=True)
    assert count() == 0


def test_attack_oversized_body_is_refused_before_it_is_read(app, client):
    response = client.post(
        "/hoi-dap/dat-cau-hoi",
        data=question_data(body="x" * (app.config["MAX_CONTENT_LENGTH"] + 1)),
    )
    assert response.status_code == 413
    assert count() == 0


XSS = '"><script>alert(1)</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("field", ["name", "phone", "email", "topic", "title", "body",
                                   "website", "started"])  # fmt: skip
def test_attack_xss_in_every_field_is_shown_as_text(client, auth, field):
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data(**{field: XSS}))
    assert XSS not in response.get_data(as_text=True)
    question = db.session.scalar(select(Question))
    if question is None:
        return  # refused: the form came back, escaped
    question.status, question.answer_text = PUBLISHED, "Trả lời"
    question.published_at = question.created_at
    db.session.commit()
    for url in ("/hoi-dap", f"/hoi-dap/x-{question.id}", "/hoi-dap/rss.xml", "/sitemap.xml"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert XSS not in page and "<script>alert" not in page
    auth.login()
    for url in ("/admin/questions?tinh-trang=published", f"/admin/questions/{question.id}"):
        assert XSS not in client.get(url).get_data(as_text=True)


def test_attack_missing_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.test_request_context():
        data = question_data()
    response = client.post("/hoi-dap/dat-cau-hoi", data=data)
    assert response.status_code == 400
    assert count() == 0


def test_an_expired_token_gives_the_question_back_filled_in(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.test_request_context():
        data = question_data(csrf_token="expired-or-forged")
    response = client.post(
        "/hoi-dap/dat-cau-hoi", data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn nên câu hỏi chưa được gửi" in page
    assert "Gia đình tôi ở thôn Đông muốn cấp đổi giấy chứng nhận" in page
    # The page carries a fresh token: sending it again goes through.
    data["csrf_token"] = get_token(client, "/hoi-dap/dat-cau-hoi")
    assert client.post("/hoi-dap/dat-cau-hoi", data=data).status_code == 303
    assert count() == 1


def test_attack_a_cross_site_post_with_a_bad_token_echoes_nothing(csrf_app):
    client = csrf_app.test_client()
    with csrf_app.test_request_context():
        data = question_data(csrf_token="forged")
    response = client.post(
        "/hoi-dap/dat-cau-hoi", data=data, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 400
    assert "Gia đình tôi" not in response.get_data(as_text=True)


# --- Privacy: the asker is never shown to readers --------------------------------------------


def test_contact_details_never_appear_in_public_pages_feeds_or_search(client):
    question = make_question(title="Hỏi về đường thôn Đông", body="Đường thôn Đông khi nào làm?")
    urls = ["/hoi-dap", f"/hoi-dap/x-{question.id}", "/hoi-dap/rss.xml", "/sitemap.xml",
            "/tim-kiem?q=duong+thon+dong", "/rss.xml", "/"]  # fmt: skip
    for url in urls:
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        for secret in (ASKER["name"], ASKER["phone"], ASKER["email"], "buoi"):
            assert secret not in page, (url, secret)


def test_answered_questions_are_found_by_the_site_search_without_marks(client):
    make_question(title="Hỏi về đường thôn Đông", body="Đường thôn Đông khi nào làm?")
    make_question(WAITING, title="Đường thôn Đông chưa trả lời")
    page = client.get("/tim-kiem?q=duong+thon+dong").get_data(as_text=True)
    assert "Trong mục Hỏi đáp" in page and "Hỏi về đường thôn Đông" in page
    assert "chưa trả lời" not in page


def test_feeds_and_sitemap_list_answered_questions(client):
    question = make_question(title="Hỏi về học phí năm học mới")
    feed = client.get("/hoi-dap/rss.xml").get_data(as_text=True)
    assert "Hỏi về học phí năm học mới" in feed and "căn cước" in feed
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"/hoi-dap/hoi-ve-hoc-phi-nam-hoc-moi-{question.id}" in sitemap


# --- A flood of questions leaves readers' cached pages warm ----------------------------------


def test_a_waiting_question_leaves_cached_pages_warm_and_a_published_one_shows(client, auth):
    page = client.get("/hoi-dap")
    assert page.status_code == 200
    stamp_before = stamp(client)
    client.post("/hoi-dap/dat-cau-hoi", data=question_data())
    assert count() == 1
    assert stamp(client) == stamp_before, "a waiting question must not make pages stale"
    question = db.session.scalar(select(Question))
    auth.login()
    client.post(f"/admin/questions/{question.id}", data={
        "topic": "dat-dai", "title": question.title, "body": question.body,
        "answer": "<p>Trả lời</p>", "action": "publish"})  # fmt: skip
    auth.logout()
    client.delete_cookie("session")
    assert question.title in client.get("/hoi-dap").get_data(as_text=True)


def stamp(client) -> bytes:
    return client.application.extensions["page_cache"].read()


def test_attack_flood_is_rate_limited_per_address_and_the_text_kept(app, client):
    app.config["CITIZENS_MAX_WAITING_PER_ADDRESS"] = 100
    codes = [client.post("/hoi-dap/dat-cau-hoi", data=question_data()).status_code
             for _ in range(12)]  # fmt: skip
    assert codes.count(303) == 10 and codes[-1] == 429
    response = client.post("/hoi-dap/dat-cau-hoi", data=question_data())
    assert "Hãy gửi lại sau khoảng" in response.get_data(as_text=True)
    assert "Thủ tục cấp đổi sổ đỏ mất bao lâu?" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    assert count() == 10


def test_editors_hear_of_new_questions_by_mail_at_most_once_an_hour(app, client, make_user,
                                                                   inbox):  # fmt: skip
    make_user(username="bientap-lan", role="editor", email="lan@xa.example")
    make_user(username="tacgia-minh", role="author", email="minh@xa.example")
    for number in range(3):
        client.post("/hoi-dap/dat-cau-hoi",
                    data=question_data(title=f"Câu hỏi số {number} về đất đai"),
                    environ_base={"REMOTE_ADDR": f"10.3.3.{number}"})  # fmt: skip
    received = inbox.messages()
    assert [str(m["To"]) for m in received] == ["lan@xa.example"]  # editors, not authors
    body = received[0].get_content()
    assert received[0]["Subject"].startswith("Câu hỏi mới chờ trả lời")
    assert "Câu hỏi số 0 về đất đai" in body and "/admin/questions" in body
    assert "một lần mỗi giờ" in body
