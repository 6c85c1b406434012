"""The leaders' weekly schedule: editors fill a week as a table; readers see published weeks."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

import participation
from models import ScheduleEntry, ScheduleWeek, db

# The clock fixture's moment: Thursday 14 May 2026, 10:00 in Vietnam.
MONDAY = date(2026, 5, 11)


def make_week(monday=MONDAY, published=True, **line) -> ScheduleWeek:
    week = ScheduleWeek(starts_on=monday, published=published)
    values = {"day": monday + timedelta(days=3), "time": "08h00",
              "what": "Họp giao ban tuần", "place": "Hội trường UBND xã",
              "chair": "Chủ tịch UBND xã", "attendees": "Trưởng các thôn"}  # fmt: skip
    values.update(line)
    week.entries.append(ScheduleEntry(**values))
    db.session.add(week)
    db.session.commit()
    return week


def rows(*lines) -> dict:
    data = {"rows": str(len(lines))}
    for n, line in enumerate(lines):
        for name, value in line.items():
            data[f"{name}-{n}"] = value
    return data


def test_readers_see_this_weeks_published_schedule(client, clock):
    make_week()
    page = client.get("/lich-cong-tac").get_data(as_text=True)
    assert "Họp giao ban tuần" in page and "Hội trường UBND xã" in page
    assert "Thứ năm" in page and "(tuần này)" in page
    assert 'class="today"' in page


def test_an_unpublished_week_stays_hidden(client, clock):
    make_week(published=False)
    page = client.get("/lich-cong-tac").get_data(as_text=True)
    assert "Họp giao ban tuần" not in page and "chưa được đăng" in page


def test_next_week_shows_only_once_published(client, clock):
    make_week()
    make_week(MONDAY + timedelta(days=7), published=False, what="Hội nghị tổng kết",
              day=MONDAY + timedelta(days=8))  # fmt: skip
    assert client.get("/lich-cong-tac?tuan=2026-05-18").status_code == 404
    assert "Tuần sau" not in client.get("/lich-cong-tac").get_data(as_text=True)
    db.session.scalar(
        select(ScheduleWeek).where(ScheduleWeek.published.is_(False))
    ).published = True
    db.session.commit()
    assert "Tuần sau" in client.get("/lich-cong-tac").get_data(as_text=True)
    assert "Hội nghị tổng kết" in client.get("/lich-cong-tac?tuan=2026-05-20").get_data(
        as_text=True
    )


def test_past_weeks_are_listed_and_open(client, clock):
    make_week(MONDAY - timedelta(days=7), what="Việc tuần trước", day=MONDAY - timedelta(days=6))
    page = client.get("/lich-cong-tac").get_data(as_text=True)
    assert "Các tuần trước" in page and "?tuan=2026-05-04" in page
    assert "Việc tuần trước" in client.get("/lich-cong-tac?tuan=2026-05-04").get_data(as_text=True)


def test_a_bad_week_leads_to_this_week(client, clock):
    assert client.get("/lich-cong-tac?tuan=khong-phai-ngay").status_code == 301


def test_the_home_page_shows_todays_entries(client, clock):
    make_week(what="Tiếp công dân định kỳ")
    make_week(MONDAY - timedelta(days=7), what="Không phải hôm nay", day=MONDAY - timedelta(days=4))
    page = client.get("/").get_data(as_text=True)
    assert "Lịch công tác hôm nay" in page and "Tiếp công dân định kỳ" in page
    assert "Không phải hôm nay" not in page


def test_the_schedule_is_printable(client, clock):
    make_week()
    page = client.get("/lich-cong-tac").get_data(as_text=True)
    assert "In lịch" in page and "js/print" in page


def test_an_editor_fills_and_publishes_a_week(client, auth, clock):
    auth.login()
    assert "Lịch công tác tuần 11/05–17/05/2026" in client.get("/admin/schedule").get_data(
        as_text=True
    )
    data = rows(
        {
            "day": "2026-05-14",
            "time": "14h00",
            "what": "Kiểm tra đường thôn",
            "place": "Thôn Nà Mò",
            "chair": "Phó Chủ tịch",
            "attendees": "Phòng Kinh tế",
        },
        {"day": "", "time": "", "what": "", "place": "", "chair": "", "attendees": ""},
    )
    data["published"] = "y"
    response = client.post("/admin/schedule?tuan=2026-05-11", data=data)
    assert response.status_code == 303
    week = participation.week_at(MONDAY)
    assert week.published and [e.what for e in week.entries] == ["Kiểm tra đường thôn"]
    auth.logout()
    assert "Kiểm tra đường thôn" in client.get("/lich-cong-tac").get_data(as_text=True)


def test_a_line_without_its_work_comes_back_with_the_text(client, auth, clock):
    auth.login()
    data = rows({"day": "2026-05-14", "time": "14h00", "what": "", "place": "Thôn Nà Mò"})
    response = client.post("/admin/schedule?tuan=2026-05-11", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Hãy ghi nội dung công việc." in page and "Thôn Nà Mò" in page
    assert participation.week_at(MONDAY) is None


def test_attack_a_day_outside_the_week_and_huge_rows_are_refused(client, auth, clock):
    auth.login()
    data = rows({"day": "2030-01-01", "what": "x"}, {"day": "2026-05-14", "what": "y" * 5000})
    data["rows"] = "999999999999"
    response = client.post("/admin/schedule?tuan=2026-05-11", data=data)
    assert response.status_code == 422
    assert participation.week_at(MONDAY) is None


@pytest.mark.parametrize("role", ["author"])
def test_authors_do_not_edit_the_schedule(client, auth, role):
    auth.login(role)
    assert client.get("/admin/schedule").status_code == 403
