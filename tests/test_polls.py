"""Polls ("Thăm dò ý kiến"): one vote per browser and a few per address, results after voting
or closing, no JavaScript, and the desk that makes them."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import models
import participation
from models import Poll, PollBallot, PollChoice, db
from tests.asking import started
from tests.desk import get_token
from web.stamps import listen_to


def make_poll(multiple=False, **fields) -> Poll:
    now = models.utcnow()
    poll = Poll(question="Xã nên ưu tiên việc gì?", multiple=multiple,
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=5))  # fmt: skip
    for name, value in fields.items():
        setattr(poll, name, value)
    poll.choices = [PollChoice(label=label, position=n)
                    for n, label in enumerate(["Làm đường", "Kéo điện", "Sửa trường"])]  # fmt: skip
    db.session.add(poll)
    db.session.commit()
    return poll


def ballot(poll, *picks, **extra) -> dict:
    data = {"lua-chon": [str(poll.choices[n].id) for n in picks], "started": started()}
    data.update(extra)
    return data


def votes(poll) -> list[int]:
    db.session.expire_all()
    return [choice.votes for choice in db.session.get(Poll, poll.id).choices]


def test_a_reader_votes_without_javascript_and_then_sees_the_results(client):
    poll = make_poll()
    page = client.get(f"/tham-do-y-kien/{poll.id}").get_data(as_text=True)
    assert 'type="radio" name="lua-chon"' in page and "<script" not in page.split("<main")[1]
    assert "lượt chọn" not in page
    response = client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 1))
    assert response.status_code == 303
    assert votes(poll) == [0, 1, 0]
    page = client.get(f"/tham-do-y-kien/{poll.id}").get_data(as_text=True)
    assert "Cảm ơn bạn đã bình chọn" in page and "1 lượt chọn" in page and "100%" in page
    assert 'name="lua-chon"' not in page


def test_one_vote_per_browser(client):
    poll = make_poll()
    client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0))
    response = client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0))
    assert response.status_code == 409 and "đã bình chọn" in response.get_data(as_text=True)
    assert votes(poll) == [1, 0, 0]


def test_attack_a_forged_cookie_counts_for_nothing_and_the_address_cap_holds(client):
    poll = make_poll()
    for _ in range(participation.VOTES_PER_ADDRESS + 2):
        client.delete_cookie(participation.VOTED_COOKIE)
        client.set_cookie(participation.VOTED_COOKIE, "forged")
        client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 2))
    assert votes(poll) == [0, 0, participation.VOTES_PER_ADDRESS]
    other = client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 2),
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})  # fmt: skip
    assert other.status_code in (303, 409)


def test_the_page_says_honestly_how_votes_are_limited(client):
    poll = make_poll()
    page = client.get(f"/tham-do-y-kien/{poll.id}").get_data(as_text=True)
    assert "Mỗi trình duyệt được bình chọn một lần" in page
    assert "không thể bảo đảm tuyệt đối mỗi người một phiếu" in page


def test_multiple_choices_only_where_allowed(client):
    single, several = make_poll(), make_poll(multiple=True)
    assert client.post(f"/tham-do-y-kien/{single.id}", data=ballot(single, 0, 1)).status_code == 422
    assert (
        client.post(f"/tham-do-y-kien/{several.id}", data=ballot(several, 0, 1)).status_code == 303
    )
    assert votes(several) == [1, 1, 0] and votes(single) == [0, 0, 0]


def test_a_closed_poll_shows_results_and_takes_no_vote(client, clock):
    poll = make_poll()
    clock.advance(days=6)
    page = client.get(f"/tham-do-y-kien/{poll.id}").get_data(as_text=True)
    assert "Đã kết thúc" in page and "Kết quả" in page and 'name="lua-chon"' not in page
    assert client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0)).status_code == 409
    assert votes(poll) == [0, 0, 0]


def test_a_poll_not_yet_open_does_not_exist(client):
    poll = make_poll(opens_at=models.utcnow() + timedelta(days=1))
    assert client.get(f"/tham-do-y-kien/{poll.id}").status_code == 404
    assert "Xã nên ưu tiên" not in client.get("/tham-do-y-kien").get_data(as_text=True)


def test_attack_unknown_choices_a_bot_and_a_hurried_click_count_nothing(client):
    poll = make_poll()
    assert client.post(f"/tham-do-y-kien/{poll.id}", data={"lua-chon": ["999999"],
                       "started": started()}).status_code == 422  # fmt: skip
    client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0, website="x"))
    client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0, started=started(0)))
    assert votes(poll) == [0, 0, 0]
    assert db.session.scalar(select(func.count()).select_from(PollBallot)) == 0


def test_attack_vote_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    poll = make_poll()
    with csrf_app.test_request_context():
        data = ballot(poll, 0)
    assert client.post(f"/tham-do-y-kien/{poll.id}", data=data).status_code == 400
    data["csrf_token"] = get_token(client, f"/tham-do-y-kien/{poll.id}")
    assert client.post(f"/tham-do-y-kien/{poll.id}", data=data).status_code == 303
    assert votes(poll) == [1, 0, 0]


def test_a_vote_leaves_cached_pages_valid_and_poll_pages_are_never_cached(app, client):
    poll = make_poll()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql"):
        # The poll's own commit is announced by NOTIFY: let it arrive before reading the stamp.
        assert listen_to(uri).up_to_date()
    stamp = app.extensions["page_cache"].read()
    client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0))
    assert app.extensions["page_cache"].read() == stamp
    assert client.get(f"/tham-do-y-kien/{poll.id}").headers["Cache-Control"] == "no-store"


XSS = '"><script>alert(1)</script>'


def test_attack_xss_in_a_poll_is_shown_as_text(client, auth):
    auth.login()
    data = {"question": XSS, "choices_text": f"{XSS}\nHai", "opens_at": "2020-01-01 08:00",
            "closes_at": "2099-01-01 08:00"}  # fmt: skip
    assert client.post("/admin/polls/new", data=data).status_code == 303
    poll = db.session.scalar(select(Poll))
    for url in ("/tham-do-y-kien", f"/tham-do-y-kien/{poll.id}", "/admin/polls"):
        assert XSS not in client.get(url).get_data(as_text=True)


def test_an_editor_makes_a_poll_and_its_choices_are_fixed_once_voted(client, auth):
    auth.login()
    data = {
        "question": "Giờ tiếp dân nào thuận tiện?",
        "choices_text": "Sáng\nChiều\n\nTối",
        "multiple": "y",
        "opens_at": "2020-01-01 08:00",
        "closes_at": "2099-01-01 08:00",
    }
    assert client.post("/admin/polls/new", data=data).status_code == 303
    poll = db.session.scalar(select(Poll))
    assert [c.label for c in poll.choices] == ["Sáng", "Chiều", "Tối"] and poll.multiple
    auth.logout()
    client.post(f"/tham-do-y-kien/{poll.id}", data=ballot(poll, 0))
    auth.login()
    response = client.post(
        f"/admin/polls/{poll.id}/edit", data=data | {"choices_text": "Khác\nHai"}
    )
    assert response.status_code == 422 and "không thể đổi các phương án" in response.get_data(
        as_text=True
    )
    bad = client.post("/admin/polls/new", data=data | {"choices_text": "Chỉ một"})
    assert bad.status_code == 422 and "Cần từ 2 đến 20 phương án." in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["author"])
def test_authors_do_not_make_polls(client, auth, role):
    auth.login(role)
    assert client.get("/admin/polls").status_code == 403
