"""Search: Vietnamese folding, ranking, hostile input, filters, and the index kept in step."""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, text

import models
import search
from models import Article, db
from tests.test_documents import add as add_document
from vietnamese import VN_TZ

HITS = re.compile(r'<h2><a href="[^"]*"><span>(.*?)</span></a></h2>')


def titles(html: str) -> list[str]:
    """Return the result titles in order, without the <mark> highlighting."""
    return [re.sub(r"</?mark>", "", title) for title in HITS.findall(html)]


def find(client, q: str, **args) -> list[str]:
    response = client.get("/tim-kiem", query_string={"q": q, **args})
    assert response.status_code == 200
    return titles(response.get_data(as_text=True))


@pytest.fixture
def backend(app):
    """The database's own search: FTS5 on SQLite, the words tables on PostgreSQL (the suite
    runs on both: TEST_DATABASE_URL)."""
    return search.backend()


@pytest.fixture
def newsroom(make_article, make_category):
    """A handful of articles whose words the query table below must and must not find."""
    farming = make_category(name="Kinh tế", slug="kinh-te")
    make_article(
        title="Đường làng mới ở thôn Nà Khoang",
        body_text="Bà con góp công làm đường bê tông dài 1,2 km.",
        summary="Thôn Nà Khoang hoàn thành tuyến đường.",
    )
    make_article(
        title="Cải cách hành chính tại xã",
        summary="Người dân làm thủ tục nhanh hơn.",
        body_text="Bộ phận một cửa tiếp nhận hồ sơ trực tuyến.",
    )
    make_article(
        title="Lễ hội Lồng tồng xuống đồng",
        body_text="Hội thi kéo co và ném còn thu hút đông bà con.",
        author="Hoàng Thị Mai",
    )
    make_article(
        title="Tiêm phòng cho đàn gia súc",
        body_text="Trâu bò được tiêm vắc-xin lở mồm long móng.",
        source="Trạm Y tế xã",
        category=farming,
    )
    make_article(
        title="Tuyên dương học sinh giỏi",
        body_text="Mười em được khen thưởng cuối năm học.",
        summary="Lễ tuyên dương tổ chức tại nhà văn hóa.",
    )


ROAD = "Đường làng mới ở thôn Nà Khoang"
REFORM = "Cải cách hành chính tại xã"
FESTIVAL = "Lễ hội Lồng tồng xuống đồng"
CATTLE = "Tiêm phòng cho đàn gia súc"
PRAISE = "Tuyên dương học sinh giỏi"
EVERYONE = {ROAD, REFORM, FESTIVAL, CATTLE, PRAISE}

# (query, articles it must find, in order when `ordered`; every other article must not show)
QUERIES = [
    ("cai cach hanh chinh", [REFORM], True),
    ("cải cách hành chính", [REFORM], True),
    ("CẢI CÁCH HÀNH CHÍNH", [REFORM], True),
    ("Cai Cach", [REFORM], True),
    ("duong lang", [ROAD], True),
    ("Đường làng", [ROAD], True),
    ("đường", [ROAD], True),  # marks typed are marks meant: not "dương"
    ("dương", [PRAISE], True),
    ("DUONG", [ROAD, PRAISE], False),
    ("duong", [ROAD, PRAISE], False),
    ("hanh chinh mot cua", [REFORM], True),  # title and body together
    ("cải cách một cửa", [REFORM], True),
    ("hoang thi mai", [FESTIVAL], True),  # author
    ("tram y te", [CATTLE], True),  # source
    ("lo mom long mong", [CATTLE], True),
    ("vac xin", [CATTLE], True),
    ("Lồng tồng", [FESTIVAL], True),
    ("long tong", [FESTIVAL], True),
    ("le hoi", [FESTIVAL], True),
    (unicodedata.normalize("NFD", "đường làng"), [ROAD], True),  # keyboards that decompose
    ("hành chính xã đường", [], True),  # every word must match
    ("cải cách nông nghiệp", [], True),
    ("dong", [FESTIVAL], True),  # "đồng" and "đông"
    ("đồng", [FESTIVAL], True),
]


@pytest.mark.parametrize(("query", "expected", "ordered"), QUERIES, ids=[q[0] for q in QUERIES])
def test_query_table(client, newsroom, backend, query, expected, ordered):
    found = find(client, query)
    if ordered:
        assert found[: len(expected)] == expected
    assert set(found) == set(expected)
    assert not (set(found) - set(expected)) & EVERYONE


@pytest.fixture
def party_news(make_article):
    """Three stories whose words fold alike: "Đảng bộ", "đăng ký ... cán bộ", "Đồng Đăng"."""
    make_article(title="Đảng bộ xã sơ kết nửa nhiệm kỳ", body_text="Hội nghị tại hội trường.")
    make_article(title="Hướng dẫn đăng ký tạm trú", body_text="Cán bộ tư pháp trực mỗi sáng.")
    make_article(title="Chợ phiên thôn Đồng Đăng", body_text="Bà con và bộ đội cùng dựng lều.")


PARTY = "Đảng bộ xã sơ kết nửa nhiệm kỳ"
REGISTER = "Hướng dẫn đăng ký tạm trú"
MARKET = "Chợ phiên thôn Đồng Đăng"


def test_a_query_typed_with_marks_matches_those_marks(client, party_news, backend):
    assert find(client, "Đảng bộ") == [PARTY]
    assert find(client, "ĐẢNG BỘ") == [PARTY]
    assert set(find(client, "đăng")) == {REGISTER, MARKET}
    # Unmarked words still fold as before, beside marked ones and alone.
    assert set(find(client, "Đảng bo")) == {PARTY}
    assert set(find(client, "dang bo")) == {PARTY, REGISTER, MARKET}
    html = client.get("/tim-kiem?q=Đảng+bộ").get_data(as_text=True)
    assert "<mark>Đảng</mark> <mark>bộ</mark>" in html
    assert "kết quả tìm theo chữ không dấu" not in html


def test_marks_that_match_nothing_fall_back_to_folding_and_say_so(client, party_news, backend):
    response = client.get("/tim-kiem", query_string={"q": "Đang bộ"})  # "Đảng" mistyped
    html = response.get_data(as_text=True)
    assert set(titles(html)) == {PARTY, REGISTER, MARKET}
    assert "Không có kết quả nào có đúng các chữ có dấu “đang bộ”" in html
    assert "kết quả tìm theo chữ không dấu" in html
    # Unmarked queries never need a fallback, so they never show the note.
    assert "chữ có dấu" not in client.get("/tim-kiem?q=dang+bo").get_data(as_text=True)


def test_highlighting_respects_the_marks_typed(client, party_news, backend):
    html = client.get("/tim-kiem?q=bộ+đội").get_data(as_text=True)
    assert titles(html) == [MARKET]
    assert "<mark>bộ</mark> <mark>đội</mark>" in html
    html = client.get("/tim-kiem?q=đăng").get_data(as_text=True)
    assert "<mark>đăng</mark> ký" in html and "Đồng <mark>Đăng</mark>" in html
    assert "<mark>Đảng</mark>" not in html


HOSTILE = [
    '"', '""', "'", "*", "a*", "AND", "OR", "NOT", "hoi AND", "AND hoi", "NEAR(le hoi)",
    "le NEAR hoi", "-hoi", "le -hoi", "(", ")", "((le hoi", "le hoi))", "{title}: hoi",
    "title:hoi", "^hoi", "hoi^", "+hoi", ":", "le:hoi", "' OR 1=1 --", "hoi\x00", "%", "_",
    "%hoi%", "h_i", "\\", "🎉 lễ hội", "lễ" * 500, "x" * 1000, "lễ hội " * 200,
    "<script>alert(1)</script>", "NEAR", "*hoi*", '"le hoi', "le*hoi", "rowid:1",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, newsroom, backend, query):
    response = client.get("/tim-kiem", query_string={"q": query})
    # No one types a NUL byte (and PostgreSQL refuses one): the address is refused outright.
    assert response.status_code == (400 if "\x00" in query else 200)
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html


def test_operators_are_searched_as_words(client, newsroom, backend):
    assert find(client, "le AND hoi") == []  # "and" is a word that no article has
    assert find(client, "(le hoi") == [FESTIVAL]
    assert find(client, '"le hoi"') == [FESTIVAL]
    assert find(client, "le-hoi*") == [FESTIVAL]


def test_results_highlight_matches_and_escape_everything_else(client, make_article):
    make_article(
        title="<b>Đường</b> mới & đẹp",
        body_text="Con đường <script>alert(1)</script> dẫn vào thôn.",
    )
    html = client.get("/tim-kiem?q=duong").get_data(as_text=True)
    assert "&lt;b&gt;<mark>Đường</mark>&lt;/b&gt; mới &amp; đẹp" in html
    assert "Con <mark>đường</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_snippet_is_short_and_centred_on_the_match(client, make_article):
    filler = " ".join(f"chữ{i}" for i in range(300))
    make_article(title="Tin dài", body_text=f"{filler} thủy lợi nội đồng {filler}")
    html = client.get("/tim-kiem?q=thuy+loi").get_data(as_text=True)
    snippet = re.search(r'<p class="sum">(.*?)</p>', html, re.S).group(1)
    assert "<mark>thủy</mark> <mark>lợi</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.split()) < 45


def test_search_page_is_not_indexed(client, newsroom):
    for q in ("", "a", "duong", "khongcogi"):
        html = client.get("/tim-kiem", query_string={"q": q}).get_data(as_text=True)
        assert '<meta name="robots" content="noindex">' in html


def test_one_letter_and_empty_queries_get_a_friendly_page(client, newsroom):
    html = client.get("/tim-kiem?q=a").get_data(as_text=True)
    assert "Từ khóa quá ngắn" in html and "ít nhất 2 chữ cái" in html
    html = client.get("/tim-kiem?q=%2A%2A").get_data(as_text=True)
    assert "Từ khóa quá ngắn" in html
    html = client.get("/tim-kiem").get_data(as_text=True)
    assert "Nhập từ khóa để tìm" in html


def test_no_results_page_suggests_what_to_try(client, newsroom):
    html = client.get("/tim-kiem?q=tau+vu+tru").get_data(as_text=True)
    assert "Không tìm thấy kết quả nào cho “tau vu tru”" in html
    assert "gõ không dấu" in html
    html = client.get("/tim-kiem?q=duong&muc=van-ban").get_data(as_text=True)
    assert "với bộ lọc đã chọn" in html and "Tìm lại trong toàn bộ trang" in html


def test_results_are_paginated_with_page_links(client, make_article, backend):
    for number in range(13):
        make_article(title=f"Họp dân lần {number}")
    html = client.get("/tim-kiem?q=hop+dan").get_data(as_text=True)
    assert "Tìm thấy <strong>13</strong> kết quả" in html
    assert len(titles(html)) == 10
    assert 'href="/tim-kiem?q=hop+dan&amp;trang=2"' in html
    second = client.get("/tim-kiem?q=hop+dan&trang=2").get_data(as_text=True)
    assert len(titles(second)) == 3
    assert not set(titles(html)) & set(titles(second))
    assert client.get("/tim-kiem?q=hop+dan&trang=3").status_code == 404
    assert client.get("/tim-kiem?q=hop+dan&trang=x").status_code == 301


def test_filter_by_category_includes_its_subcategories(
    client, newsroom, make_article, make_category, backend
):
    parent = make_category(name="Xã hội", slug="xa-hoi")
    child = make_category(name="Giáo dục", slug="giao-duc", parent_id=parent.id)
    make_article(title="Đường đến trường", category=child)
    assert find(client, "duong", muc="xa-hoi") == ["Đường đến trường"]
    assert find(client, "duong", muc="kinh-te") == []
    html = client.get("/tim-kiem?q=duong&muc=khong-co").get_data(as_text=True)
    assert "Không có chuyên mục này" in html and len(titles(html)) == 3


def test_filter_by_date_range_uses_vietnamese_days(client, make_article, clock, backend):
    # 16:59 UTC on 13 May is 23:59 on 13 May in Vietnam; 17:00 UTC is already 14 May.
    make_article(title="Họp tối 13", publish_at=datetime(2026, 5, 13, 16, 59, tzinfo=UTC))
    make_article(title="Họp sáng 14", publish_at=datetime(2026, 5, 13, 17, 0, tzinfo=UTC))
    assert find(client, "hop", tu="2026-05-14") == ["Họp sáng 14"]
    assert find(client, "hop", den="13/05/2026") == ["Họp tối 13"]
    assert set(find(client, "hop", tu="2026-05-13", den="2026-05-14")) == {
        "Họp tối 13", "Họp sáng 14",
    }  # fmt: skip
    # Dates given the wrong way round are swapped rather than finding nothing.
    assert len(find(client, "hop", tu="2026-05-14", den="2026-05-13")) == 2
    html = client.get("/tim-kiem?q=hop&tu=31/02/2026").get_data(as_text=True)
    assert "Từ ngày “31/02/2026” không hợp lệ" in html and len(titles(html)) == 2


def test_documents_appear_in_search(client, newsroom, backend):
    decision = add_document().title
    html = client.get("/tim-kiem?q=cai+cach+hanh+chinh").get_data(as_text=True)
    assert set(titles(html)) == {REFORM, decision}
    assert '<span class="tag">Văn bản</span>' in html and "45/QĐ-UBND" in html
    assert find(client, "qd ubnd") == [decision]
    assert find(client, "cai cach", muc="van-ban") == [decision]
    assert find(client, "cai cach", tu="2026-04-01", muc="van-ban") == []


# --- The index follows every change -----------------------------------------------------------


def test_edits_are_found_at_once_and_old_words_are_not(client, make_article, backend):
    article = make_article(title="Khai giảng năm học mới")
    article.title = "Tổng kết năm học"
    db.session.commit()
    assert find(client, "tong ket") == ["Tổng kết năm học"]
    assert find(client, "khai giang") == []


def test_an_article_moved_to_another_category_is_found_there_at_once(
    client, make_article, make_category, backend
):
    article = make_article(title="Tiêm phòng cho đàn gia súc", category=make_category(slug="y-te"))
    make_category(slug="kinh-te")
    assert find(client, "tiem phong", muc="y-te") == ["Tiêm phòng cho đàn gia súc"]
    article.category = db.session.scalar(select(models.Category).filter_by(slug="kinh-te"))
    db.session.commit()
    assert find(client, "tiem phong", muc="y-te") == []
    assert find(client, "tiem phong", muc="kinh-te") == ["Tiêm phòng cho đàn gia súc"]


def test_unpublished_and_deleted_articles_leave_results_and_feed(client, make_article, backend):
    article = make_article(title="Thông báo cắt điện")
    assert find(client, "cat dien") == ["Thông báo cắt điện"]
    article.status = "draft"
    db.session.commit()
    assert find(client, "cat dien") == []
    assert "cắt điện" not in client.get("/rss.xml").get_data(as_text=True)
    article.status = "published"
    db.session.commit()
    assert find(client, "cat dien") == ["Thông báo cắt điện"]
    db.session.delete(article)
    db.session.commit()
    assert find(client, "cat dien") == []


def test_restoring_an_old_text_makes_it_findable_again(client, make_article, backend):
    article = make_article(title="Mùa vàng thôn Bản Mòng", body_text="Lúa chín rộ.")
    saved = {"title": article.title, "body_text": article.body_text}
    article.title, article.body_text = "Tin đã sửa", "Nội dung khác."
    db.session.commit()
    assert find(client, "lua chin") == []
    for name, value in saved.items():  # what "Khôi phục" does with a revision
        setattr(article, name, value)
    db.session.commit()
    assert find(client, "lua chin") == ["Mùa vàng thôn Bản Mòng"]


def test_scheduled_and_expired_articles_follow_the_clock(client, make_article, clock, backend):
    make_article(title="Lịch tiêm chủng tháng sáu", publish_at=clock.now + timedelta(hours=2))
    make_article(
        title="Lịch tiêm chủng tháng năm",
        publish_at=clock.now - timedelta(days=3),
        expire_at=clock.now + timedelta(hours=1),
    )
    make_article(title="Lịch tiêm chủng nháp", status="pending")
    assert find(client, "tiem chung") == ["Lịch tiêm chủng tháng năm"]
    clock.advance(hours=3)
    assert find(client, "tiem chung") == ["Lịch tiêm chủng tháng sáu"]


def test_a_phrase_ranks_first_only_when_written_inside_one_field(client, make_article, backend):
    """The whole phrase ranks a match first, but the end of a title and the start of a
    summary are not a phrase (on PostgreSQL, neighbouring fields' words differ in weight)."""
    make_article(title="Bê tông hóa đường vào thôn", body_text="Bà con góp công.",
                 summary="Bàn giao cho thôn trước mùa mưa.")  # fmt: skip
    make_article(title="Họp thôn", summary="Bàn kế hoạch làm đường.", body_text="Cả thôn dự.")
    old = make_article(title="Góp ý làm đường", summary="Thôn họp dân.",
                       body_text="Các hộ họp thôn bàn việc làm đường bê tông.",
                       publish_at=models.utcnow() - timedelta(days=30))  # fmt: skip
    assert find(client, "thon ban")[0] == old.title
    assert find(client, "hop thon ban")[0] == old.title


def test_search_folded_column_holds_folded_and_marked_words(make_article):
    article = make_article(title="Đường LÀNG", summary="", body_text="Bê tông bê")
    assert article.search_folded == " duong lang |  | be tong be |  |  || đường làng bê tông "


def lose_the_index() -> None:
    """Empty the index behind the site's back, as a restore from an old backup might."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("DELETE FROM article_fts"))
        db.session.execute(text("DELETE FROM document_fts"))
    else:
        db.session.execute(text("DELETE FROM article_search"))
        db.session.execute(text("DELETE FROM document_search"))
    db.session.execute(text("UPDATE article SET search_folded = ''"))
    db.session.execute(text("UPDATE document SET search_folded = ''"))
    db.session.commit()


def test_reindex_command_rebuilds_a_lost_index(client, runner, newsroom):
    add_document()
    lose_the_index()
    assert find(client, "duong lang") == []
    assert find(client, "qd ubnd") == []
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0
    assert "Đã lập lại chỉ mục tìm kiếm: 5 tin bài, 1 văn bản." in result.output
    assert find(client, "duong lang") == [ROAD]
    assert find(client, "qd ubnd") == ["Quyết định ban hành kế hoạch cải cách hành chính"]


def test_reindex_keeps_the_times_readers_see(runner, make_article):
    article = make_article(title="Giữ nguyên ngày cập nhật")
    before = article.updated_at
    runner.invoke(args=["reindex"])
    db.session.expire_all()
    assert db.session.get(Article, article.id).updated_at == before


def test_search_pages_are_cacheable_and_revalidate(client, newsroom):
    first = client.get("/tim-kiem?q=duong")
    assert first.headers["ETag"]
    again = client.get("/tim-kiem?q=duong", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# --- A common word costs what a rare one does ------------------------------------------------


@pytest.fixture
def many_matches(make_article, make_category):
    other = make_category(name="Y tế", slug="y-te")
    for number in range(8):
        make_article(title=f"Họp thôn lần {number}", body_text="Họp thôn bàn việc chung.")
    make_article(title="Họp thôn ở trạm y tế", category=other, body_text="Họp thôn.")


def titles_found(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r"<h2><a.*?</h2>", html, re.S)]


def test_a_filtered_search_finds_an_old_match_behind_newer_ones_elsewhere(
    client, make_article, make_category, monkeypatch
):
    """The filter applies while the newest matches are walked, not after the bound: the
    article added first (the oldest row) is found behind eight newer rows the filter refuses."""
    monkeypatch.setattr(search.backend(), "CANDIDATES", 5)
    day = models.utcnow() - timedelta(days=40)
    make_article(title="Họp thôn ở trạm y tế", category=make_category(slug="y-te"),
                 body_text="Họp thôn.", publish_at=day)
    for number in range(8):
        make_article(title=f"Họp thôn lần {number}", body_text="Họp thôn bàn việc chung.")
    by_category = client.get("/tim-kiem?q=hop+thon&muc=y-te").get_data(as_text=True)
    assert titles_found(by_category) == ["Họp thôn ở trạm y tế"]
    on_its_day = day.astimezone(VN_TZ).date().isoformat()
    by_date = client.get("/tim-kiem", query_string={
        "q": "hop thon", "tu": on_its_day, "den": on_its_day}).get_data(as_text=True)  # fmt: skip
    assert titles_found(by_date) == ["Họp thôn ở trạm y tế"]


@pytest.mark.parametrize(("address", "newest", "refused"), [
    ("/tim-kiem?q=hop+thon", "Họp thôn ở trạm y tế", None),
    ("/tim-kiem?q=hop+thon&muc=tin-tuc", "Họp thôn lần 7", "Họp thôn ở trạm y tế"),
])  # fmt: skip
def test_a_search_ranks_only_the_newest_matches_its_filters_let_through(
    client, many_matches, monkeypatch, address, newest, refused
):
    """A common word costs what a rare one does, in the whole site or in a big category."""
    monkeypatch.setattr(search.backend(), "CANDIDATES", 5)
    html = client.get(address).get_data(as_text=True)
    assert "Tìm thấy hơn <strong>5</strong> kết quả" in html
    shown = titles_found(html)
    assert newest in shown, "the newest match is a candidate"
    assert "Họp thôn lần 0" not in shown, "the oldest match is past the bound"
    assert refused not in shown, "the filter holds"


def test_a_search_page_finds_its_matches_once(client, app, newsroom, backend):
    """The count of results comes with the ranked page: finding the matches a second time to
    count them was up to a third of a search's time at 100,000 articles. (PostgreSQL's
    backend also asks the planner's estimates with `EXPLAIN`, which plans and reads no row.)"""
    searched = []

    def note(_conn, _cursor, statement, *_args):
        if statement.startswith("EXPLAIN "):
            return
        if "article_fts" in statement or "article_search" in statement:
            searched.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        html = client.get("/tim-kiem?q=duong").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert "Tìm thấy <strong>2</strong> kết quả" in html
    assert len(searched) == 1
