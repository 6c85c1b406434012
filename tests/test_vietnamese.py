from datetime import UTC, datetime

import pytest

import vietnamese
from vietnamese import (
    file_size,
    first_sentences,
    fold,
    long_date_time,
    seconds_until_local_midnight,
    short_date,
    slugify,
    start_of_local_day,
    weekday_date,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (11, "Thứ hai, 11/05/2015"),
        (12, "Thứ ba, 12/05/2015"),
        (13, "Thứ tư, 13/05/2015"),
        (14, "Thứ năm, 14/05/2015"),
        (15, "Thứ sáu, 15/05/2015"),
        (16, "Thứ bảy, 16/05/2015"),
        (17, "Chủ nhật, 17/05/2015"),
    ],
)
def test_every_weekday_is_named_in_vietnamese(day, expected):
    assert weekday_date(datetime(2015, 5, day, 3, 0, tzinfo=UTC)) == expected


def test_half_past_five_utc_is_already_tomorrow_in_vietnam():
    evening_utc = datetime(2015, 5, 13, 17, 30, tzinfo=UTC)
    assert weekday_date(evening_utc) == "Thứ năm, 14/05/2015"
    assert long_date_time(evening_utc) == "Thứ năm, 14/05/2015, 00:30"


def test_just_before_vietnamese_midnight_is_still_today():
    assert short_date(datetime(2015, 5, 13, 16, 59, tzinfo=UTC)) == "13/05/2015"


def test_start_of_local_day_is_five_pm_utc_the_day_before():
    moment = datetime(2015, 5, 14, 3, 0, tzinfo=UTC)
    assert start_of_local_day(moment) == datetime(2015, 5, 13, 17, 0, tzinfo=UTC)


def test_seconds_until_local_midnight():
    assert seconds_until_local_midnight(datetime(2015, 5, 14, 16, 59, tzinfo=UTC)) == 60
    assert seconds_until_local_midnight(datetime(2015, 5, 14, 17, 0, tzinfo=UTC)) == 86400


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đường làng", "duong-lang"),
        ("ĐẠI HỘI Đảng bộ xã", "dai-hoi-dang-bo-xa"),
        ("Cải cách hành chính: 99% hồ sơ đúng hạn!", "cai-cach-hanh-chinh-99-ho-so-dung-han"),
        ("  --Tết   Nguyên đán-- ", "tet-nguyen-dan"),
        ("Khuổi Tát, Phiêng Lá", "khuoi-tat-phieng-la"),
        ("???", "bai-viet"),
    ],
)
def test_slugify_keeps_vietnamese_letters_readable(title, slug):
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary():
    slug = slugify("Hội nghị " * 30, max_length=40)
    assert len(slug) <= 40
    assert not slug.endswith("-")
    assert slug.startswith("hoi-nghi-hoi-nghi")


def test_fold_lowers_strips_marks_and_turns_d_bar_into_d():
    assert fold("Cải Cách Hành Chính") == "cai cach hanh chinh"
    assert fold("ĐƯỜNG đi") == "duong di"
    assert fold("Nguyễn Thị Ánh") == "nguyen thi anh"


@pytest.mark.parametrize(
    ("size", "text"),
    [(512, "512 B"), (48 * 1024, "48 KB"), (int(1.25 * 1024 * 1024), "1,2 MB")],
)
def test_file_size_reads_like_a_person_says_it(size, text):
    assert file_size(size) == text


def test_first_sentences_keep_whole_sentences_within_the_limit():
    text = "Sáng 12/5, xã họp dân. Bà con góp 2,5 km đường! Việc này kéo dài ba tháng."
    assert first_sentences(text, 50) == "Sáng 12/5, xã họp dân. Bà con góp 2,5 km đường!"
    assert first_sentences(text, 10) == "Sáng…"
    assert first_sentences("", 50) == ""


# --- Phone numbers in bodies become tel: links ------------------------------------------------

PHONES = [
    ("Gọi 0209 3 812 345.", 'Gọi <a class="tel" href="tel:02093812345">0209 3 812 345</a>.'),
    ("(0209) 3812346", '<a class="tel" href="tel:02093812346">(0209) 3812346</a>'),
    ("0912.345.678", '<a class="tel" href="tel:0912345678">0912.345.678</a>'),
    ("+84 912 345 678", '<a class="tel" href="tel:+84912345678">+84 912 345 678</a>'),
    ("1800 1234", '<a class="tel" href="tel:18001234">1800 1234</a>'),
    ("0912&nbsp;345&nbsp;678", '<a class="tel" href="tel:0912345678">0912&nbsp;345&nbsp;678</a>'),
]
NOT_PHONES = [
    "3.000.000 đồng", "ngày 25/10/2026", "1.300 hộ", "0,5 ha", "năm 2026", "113",
    "mã 012345678912", "0912345678901234", "v0912345678", "số 0912-345-678-9",
]


@pytest.mark.parametrize(("written", "linked"), PHONES)
def test_phone_numbers_become_tel_links(written, linked):
    assert vietnamese.link_phone_numbers(f"<p>{written}</p>") == f"<p>{linked}</p>"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_amounts_dates_and_codes_are_not_phones(text):
    assert vietnamese.link_phone_numbers(f"<p>{text}</p>") == f"<p>{text}</p>"


def test_attack_phone_links_touch_only_text_outside_links():
    body = ('<p title="0912345678"><a href="https://x.vn/0912345678">gọi 0912 345 678</a>'
            ' &lt;script&gt;0912 345 678&lt;/script&gt;</p><img alt="0912345678" src="/media/1-960.jpg">')  # noqa: E501
    linked = vietnamese.link_phone_numbers(body)
    assert linked.count("<a ") == 2 and "&lt;script&gt;" in linked and "<script" not in linked
    link = '<a class="tel" href="tel:0912345678">0912 345 678</a>'
    assert f"&lt;script&gt;{link}&lt;/script" in linked
    assert linked.replace('<a class="tel" href="tel:0912345678">0912 345 678</a>',
                          "0912 345 678") == body  # fmt: skip


def test_attack_a_phone_inside_a_quoted_attribute_stays_there():
    body = '<p><img alt="x>0912345678 <img src=x onerror=alert(1)>" src="/media/1-960.jpg"></p>'
    assert vietnamese.link_phone_numbers(body) == body
