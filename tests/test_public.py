from datetime import timedelta

import pytest

from models import CategoryAlias, Page, Setting, db


def get_text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def url_of(article):
    return f"/tin/{article.slug}-{article.id}"


# --- Home and layout -------------------------------------------------------------


def test_home_shows_header_date_welcome_menu_and_footer(client, clock, make_article):
    Setting.put("welcome", "Chào mừng bà con đến với trang tin xã")
    Setting.put("address", "Thôn Trung Tâm, xã Thử")
    Setting.put("operator", "Vận hành: Văn phòng UBND xã")
    db.session.commit()
    make_article(title="Tin đầu tiên")
    html = get_text(client, "/")
    assert "Thứ năm, 14/05/2026" in html
    assert "Chào mừng bà con đến với trang tin xã" in html
    assert "Tin đầu tiên" in html
    assert "Tin tức" in html  # the category menu
    assert "Thôn Trung Tâm, xã Thử" in html
    assert "Vận hành: Văn phòng UBND xã" in html
    assert 'action="/tim-kiem"' in html
    assert '<a href="/van-ban">Văn bản</a>' in html  # the documents registry is one tap away


def test_home_lists_featured_and_each_categorys_latest(client, make_article, make_category):
    sport = make_category(name="Thể thao", slug="the-thao")
    make_article(title="Tin nổi bật của tuần", featured=True)
    make_article(title="Giải bóng chuyền", category=sport)
    html = get_text(client, "/")
    assert "Tin nổi bật" in html
    assert "Tin nổi bật của tuần" in html
    assert "Thể thao" in html and "Giải bóng chuyền" in html


def test_home_page_two_lists_older_news(client, make_article):
    for number in range(15):
        make_article(title=f"Bản tin {number:02d}")
    first = get_text(client, "/")
    assert "Xem thêm" in first and "Bản tin 00" in first and "Bản tin 14" not in first
    second = get_text(client, "/?trang=2")
    assert "Bản tin 14" in second and "Bản tin 00" not in second


def test_the_header_date_follows_vietnamese_midnight(client, clock):
    clock.now = clock.now.replace(hour=17, minute=30)  # 00:30 on the 15th in Vietnam
    assert "Thứ sáu, 15/05/2026" in get_text(client, "/")


# --- Categories and pagination ------------------------------------------------------


@pytest.fixture
def crowded(make_category, make_article):
    category = make_category(name="Nông nghiệp", slug="nong-nghiep")
    for number in range(25):
        make_article(title=f"Vụ mùa {number:02d}", category=category)
    return category


def test_category_lists_its_articles_newest_first(client, crowded):
    html = get_text(client, "/chuyen-muc/nong-nghiep")
    assert html.index("Vụ mùa 00") < html.index("Vụ mùa 01")
    assert "Vụ mùa 10" not in html
    assert 'href="/chuyen-muc/nong-nghiep?trang=2"' in html


def test_category_page_three_is_the_last(client, crowded):
    html = get_text(client, "/chuyen-muc/nong-nghiep?trang=3")
    assert "Vụ mùa 24" in html and "Vụ mùa 19" not in html
    assert 'aria-current="page">3<' in html


def test_page_past_the_end_is_not_found(client, crowded):
    get_text(client, "/chuyen-muc/nong-nghiep?trang=4", status=404)


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "2.5", "", "01", "1"])
def test_bad_page_numbers_send_the_reader_to_the_first_page(client, crowded, bad):
    response = client.get(f"/chuyen-muc/nong-nghiep?trang={bad}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/chuyen-muc/nong-nghiep")


def test_empty_category_says_so(client, make_category):
    make_category(name="Trống", slug="trong")
    assert "chưa có tin bài" in get_text(client, "/chuyen-muc/trong")


def test_category_lists_only_visible_articles(client, clock, crowded, make_article):
    make_article(title="Bản nháp bí mật", status="draft", category=crowded)
    make_article(title="Tin hẹn giờ", category=crowded, publish_at=clock.now + timedelta(hours=1))
    html = get_text(client, "/chuyen-muc/nong-nghiep")
    assert "Bản nháp bí mật" not in html and "Tin hẹn giờ" not in html


def test_unknown_category_is_not_found(client):
    get_text(client, "/chuyen-muc/khong-co", status=404)


def test_renamed_category_keeps_its_old_address(client, make_category):
    category = make_category(name="Văn hóa", slug="van-hoa-moi")
    db.session.add(CategoryAlias(slug="van-hoa", category=category))
    db.session.commit()
    response = client.get("/chuyen-muc/van-hoa?trang=2")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/chuyen-muc/van-hoa-moi?trang=2")


def test_sub_category_articles_show_in_the_parent(client, make_category, make_article):
    parent = make_category(name="Kinh tế", slug="kinh-te")
    child = make_category(name="Chăn nuôi", slug="chan-nuoi", parent=parent)
    make_article(title="Nuôi gà đồi", category=child)
    html = get_text(client, "/chuyen-muc/kinh-te")
    assert "Nuôi gà đồi" in html and "Chăn nuôi" in html


# --- Article detail --------------------------------------------------------------------


def test_article_page_has_every_element_of_the_old_page(client, clock, make_article):
    article = make_article(
        title="Thôn Nà Khoang làm đường",
        summary="Bà con góp công làm 1,2 km đường.",
        body="<p>Nội dung <strong>chi tiết</strong>.</p>",
        author="Hoàng Thị Mai",
        source="Đài truyền thanh xã",
        publish_at=clock.now.replace(hour=1, minute=30),
    )
    html = get_text(client, url_of(article))
    assert "<h1>Thôn Nà Khoang làm đường</h1>" in html
    assert "Thứ năm, 14/05/2026, 08:30" in html
    assert "Bà con góp công làm 1,2 km đường." in html
    assert "Nội dung <strong>chi tiết</strong>." in html
    assert "Tác giả: <strong>Hoàng Thị Mai</strong>" in html
    assert "Nguồn tin: Đài truyền thanh xã" in html
    assert f'<a href="/chuyen-muc/{article.category.slug}">[Trở về]</a>' in html
    assert "Bản in" in html and "Lưu bài viết" in html
    assert "facebook.com/sharer" in html and "zalo.me" in html
    assert f'rel="canonical" href="http://localhost{url_of(article)}"' in html
    # The only script element is the NewsArticle data block, which browsers never run.
    assert html.count("<script") == html.count('<script type="application/ld+json">') == 1


def test_plain_text_fields_are_escaped(client, make_article):
    article = make_article(title="<script>alert(1)</script>", author="<b>Mai</b>")
    html = get_text(client, url_of(article))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Mai&lt;/b&gt;" in html


def test_stale_slug_redirects_permanently_to_the_canonical_address(client, make_article):
    article = make_article(slug="ten-moi")
    response = client.get(f"/tin/ten-cu-{article.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/tin/ten-moi-{article.id}")
    bare = client.get(f"/tin/{article.id}")
    assert bare.status_code == 301 and bare.headers["Location"].endswith(
        f"/tin/ten-moi-{article.id}"
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "pending"},
        {"status": "published", "publish_at_offset": timedelta(seconds=1)},
        {"status": "published", "expire_at_offset": timedelta(seconds=0)},
    ],
    ids=["draft", "pending", "scheduled", "expired"],
)
def test_invisible_articles_are_404_everywhere(client, clock, make_article, fields):
    fields = dict(fields)
    if "publish_at_offset" in fields:
        fields["publish_at"] = clock.now + fields.pop("publish_at_offset")
    if "expire_at_offset" in fields:
        fields["publish_at"] = clock.now - timedelta(days=1)
        fields["expire_at"] = clock.now + fields.pop("expire_at_offset")
    article = make_article(title="Tin không công khai", **fields)
    for suffix in ("", "/ban-in", "/luu"):
        get_text(client, url_of(article) + suffix, status=404)
    get_text(client, f"/tin/{article.id}", status=404)
    assert "Tin không công khai" not in get_text(client, "/")


def test_scheduled_article_opens_on_time(client, clock, make_article):
    article = make_article(publish_at=clock.now + timedelta(seconds=1))
    get_text(client, url_of(article), status=404)
    clock.advance(seconds=1)
    get_text(client, url_of(article))


# --- Newer and older lists ---------------------------------------------------------------


@pytest.fixture
def timeline(clock, make_category, make_article):
    """Fourteen articles one hour apart in one category, plus noise around them."""
    category = make_category(name="Thời sự", slug="thoi-su")
    other = make_category(name="Khác", slug="khac")
    start = clock.now - timedelta(days=1)
    articles = [
        make_article(
            title=f"Thời sự {n:02d}", category=category, publish_at=start + timedelta(hours=n)
        )
        for n in range(14)
    ]
    make_article(title="Tin chuyên mục khác", category=other, publish_at=start + timedelta(hours=5))
    return articles


def section(html, heading):
    if heading not in html:
        return ""
    rest = html.split(heading, 1)[1]
    return rest.split("</section>", 1)[0]


def test_neighbours_are_the_ten_nearest_of_the_same_category(client, timeline):
    html = get_text(client, url_of(timeline[5]))
    newer = section(html, "Các tin mới hơn:")
    older = section(html, "Các tin cũ hơn:")
    assert [f"Thời sự {n:02d}" in newer for n in range(14)] == [n > 5 for n in range(14)]
    assert [f"Thời sự {n:02d}" in older for n in range(14)] == [n < 5 for n in range(14)]
    assert "Tin chuyên mục khác" not in html
    # Both lists read newest first.
    assert newer.index("Thời sự 13") < newer.index("Thời sự 06")
    assert older.index("Thời sự 04") < older.index("Thời sự 00")


def test_neighbours_stop_at_ten(client, timeline):
    older = section(get_text(client, url_of(timeline[13])), "Các tin cũ hơn:")
    assert older.count("<li>") == 10
    assert "Thời sự 12" in older and "Thời sự 03" in older and "Thời sự 02" not in older


def test_newest_article_has_no_newer_list_and_oldest_no_older(client, timeline):
    newest = get_text(client, url_of(timeline[13]))
    oldest = get_text(client, url_of(timeline[0]))
    assert "Các tin mới hơn:" not in newest and "Các tin cũ hơn:" in newest
    assert "Các tin cũ hơn:" not in oldest and "Các tin mới hơn:" in oldest


def test_invisible_neighbours_are_skipped(client, clock, timeline):
    timeline[6].status = "draft"
    timeline[4].expire_at = clock.now - timedelta(minutes=1)
    db.session.commit()
    html = get_text(client, url_of(timeline[5]))
    assert "Thời sự 06" not in html and "Thời sự 04" not in html
    assert "Thời sự 07" in section(html, "Các tin mới hơn:")
    assert "Thời sự 03" in section(html, "Các tin cũ hơn:")


def test_articles_published_in_the_same_second_are_ordered_by_id(client, clock, make_article):
    moment = clock.now - timedelta(hours=1)
    first, middle, last = (make_article(title=f"Cùng giờ {n}", publish_at=moment) for n in "ABC")
    html = get_text(client, url_of(middle))
    assert "Cùng giờ C" in section(html, "Các tin mới hơn:")
    assert "Cùng giờ A" in section(html, "Các tin cũ hơn:")
    assert "Cùng giờ A" not in section(html, "Các tin mới hơn:")


# --- Print view, saved copy, static pages -----------------------------------------------------


def test_print_view_is_the_article_alone(client, make_article):
    article = make_article(title="Bản tin để in", author="Lý Thị Hà")
    html = get_text(client, url_of(article) + "/ban-in")
    assert "Bản tin để in" in html and "Tác giả: <strong>Lý Thị Hà</strong>" in html
    assert 'class="menu"' not in html
    assert 'name="robots" content="noindex"' in html


def test_saved_copy_is_one_self_contained_file(client, make_article):
    article = make_article(title="Bản tin để lưu", slug="ban-tin-de-luu")
    response = client.get(url_of(article) + "/luu")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == 'attachment; filename="ban-tin-de-luu.html"'
    assert "<style>" in html and "Bản tin để lưu" in html
    assert '<link rel="stylesheet"' not in html and "<script" not in html


def test_static_page_and_its_language(client):
    db.session.add(Page(title="Contact", slug="contact", lang="en", body="<p>Office hours</p>"))
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu", body="<p>Xã miền núi</p>"))
    db.session.commit()
    english = get_text(client, "/trang/contact")
    assert '<html lang="en">' in english and "Office hours" in english
    assert "Xã miền núi" in get_text(client, "/trang/gioi-thieu")
    assert 'href="/trang/contact"' in get_text(client, "/")
    get_text(client, "/trang/khong-co", status=404)


# --- Errors and health --------------------------------------------------------------------------


def test_not_found_page_is_vietnamese_in_the_site_layout(client):
    html = get_text(client, "/khong-co-trang-nay", status=404)
    assert "Không tìm thấy trang" in html and 'class="masthead"' in html


def test_server_error_page_hides_the_stack_trace(app, client, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    db.session.add(Page(title="a", slug="a"))
    db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr("public.render_template", explode)
    response = client.get("/trang/a")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Máy chủ gặp sự cố" in html and 'class="masthead"' in html
    assert "secret internals" not in html and "Traceback" not in html


def test_method_not_allowed_is_vietnamese(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "Thao tác không được hỗ trợ" in response.get_data(as_text=True)
