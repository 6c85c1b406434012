import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from models import CategoryAlias, Page, Setting, db
from web import urls


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
    assert f'<a href="/chuyen-muc/{article.category.slug}">Trở về</a>' in html
    assert "Bản in" in html and "Lưu bài viết" in html
    assert "facebook.com/sharer" in html and "zalo.me" in html
    assert f'rel="canonical" href="http://localhost{url_of(article)}"' in html
    # Scripts: the NewsArticle data block, which browsers never run, and the deferred
    # "Nghe đọc bài" file; nothing inline.
    assert html.count('<script type="application/ld+json">') == 1
    assert re.findall(r'<script src="/static/js/([a-z-]+)\.\w+\.js" defer>', html) == ["listen"]
    assert html.count("<script") == 2


def test_plain_text_fields_are_escaped(client, make_article):
    article = make_article(title="<script>alert(1)</script>", author="<b>Mai</b>")
    html = get_text(client, url_of(article))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Mai&lt;/b&gt;" in html


def test_article_without_summary_is_described_by_its_first_sentences(client, make_article):
    body = (
        "Sáng 12/5, UBND xã tổ chức lễ khánh thành nhà văn hóa thôn Phiêng Là. "
        "Công trình do Nhà nước và nhân dân cùng làm. " + "Bà con góp ngày công. " * 20
    )
    article = make_article(summary="", body=f"<p>{body}</p>", body_text=body)
    html = get_text(client, url_of(article))
    described = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert described, "an imported article without a summary has no meta description"
    text = described[1]
    assert text.startswith("Sáng 12/5, UBND xã tổ chức lễ khánh thành")
    assert text.endswith(".") and len(text) <= 200
    assert f'<meta property="og:description" content="{text}">' in html
    assert f'"description":"{text}"' in html


def test_article_with_summary_is_described_by_it(client, make_article):
    article = make_article(summary="Bà con góp công làm 1,2 km đường.")
    html = get_text(client, url_of(article))
    assert '<meta name="description" content="Bà con góp công làm 1,2 km đường.">' in html


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


# --- Identity: emblem, favicon, colour themes ------------------------------------------------


def png_bytes(size=(300, 200), colour=(200, 30, 30, 255)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).size


@pytest.mark.parametrize("size", [32, 180])
def test_without_a_logo_the_shipped_icon_is_served(client, size):
    html = get_text(client, "/")
    assert 'href="/icon-32.png?v=0"' in html and 'rel="apple-touch-icon"' in html
    response = client.get(f"/icon-{size}.png?v=0")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert png_size(response.data) == (size, size)
    assert response.cache_control.max_age == 365 * 24 * 3600


def test_unknown_icon_sizes_are_not_found_and_favicon_ico_points_to_the_png(client):
    assert client.get("/icon-4000.png").status_code == 404
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.location.endswith("/icon-32.png")


def test_a_logo_set_in_the_desk_becomes_the_emblem_and_the_favicon(client, auth):
    from io import BytesIO

    from tests.desk import switch_browser

    auth.login("admin")
    data = {key: value for key, value in Setting.values().items() if key not in ("logo", "banner")}
    data["logo"] = (BytesIO(png_bytes((400, 300), (0, 0, 0, 0))), "bieu-trung.png")
    response = client.post("/admin/settings", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    logo = Setting.values()["logo"]
    assert logo.isdigit()
    auth.logout()
    switch_browser()
    html = get_text(client, "/")
    assert f'<img class="emblem" src="/icon-96.png?v={logo}"' in html
    assert f'href="/icon-32.png?v={logo}"' in html
    icon = client.get(f"/icon-180.png?v={logo}")
    assert png_size(icon.data) == (180, 180)
    from PIL import Image

    # The logo's transparency survives: a coloured header shows through it.
    assert Image.open(BytesIO(icon.data)).convert("RGBA").getpixel((0, 0))[3] == 0
    # A bare address (an old bookmark) is revalidated rather than kept a year.
    assert client.get("/icon-32.png").cache_control.max_age < 365 * 24 * 3600


def test_attack_a_scripted_svg_logo_is_refused_and_the_form_kept(client, auth):
    from io import BytesIO

    auth.login("admin")
    data = {key: value for key, value in Setting.values().items() if key not in ("logo", "banner")}
    data["site_name"] = "UBND xã Hòa Sơn"
    data["logo"] = (BytesIO(b"<svg onload=alert(1)></svg>"), "logo.svg")
    response = client.post("/admin/settings", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không nhận ảnh SVG" in html and "UBND xã Hòa Sơn" in html
    assert Setting.values()["logo"] == ""


def test_settings_use_lists_for_choices_and_uploads_for_images(client, auth):
    auth.login("admin")
    html = get_text(client, "/admin/settings")
    assert 'enctype="multipart/form-data"' in html
    assert '<select id="theme" name="theme">' in html and ">Xanh lam</option>" in html
    assert '<select id="rss_full_text" name="rss_full_text">' in html
    assert "1: có, 0" not in html  # nobody types 1 or 0 any more
    assert 'type="file"' in html and 'name="logo"' in html and 'name="banner"' in html


@pytest.mark.parametrize("stored", ["xanh-luc", "xanh-lam", "do"])
def test_the_chosen_colour_theme_dresses_every_page(client, stored):
    Setting.put("theme", stored)
    db.session.commit()
    assert f'<body class="theme-{stored}">' in get_text(client, "/")


def test_attack_a_theme_value_cannot_inject_markup(client):
    Setting.put("theme", '"><script>alert(1)</script>')
    db.session.commit()
    html = get_text(client, "/")
    assert '<body class="theme-do">' in html and "<script>alert" not in html


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def theme_colours() -> dict[str, dict[str, str]]:
    """Read each theme's colours from the stylesheet readers get."""
    import re
    from pathlib import Path

    import models

    css = (Path(__file__).parent.parent / "static/css/site.css").read_text()
    found = {}
    for name in models.SETTING_CHOICES["theme"]:
        block = re.search(rf"\.theme-{name}\{{([^}}]*)\}}", css)
        assert block, name
        found[name] = dict(re.findall(r"--([a-z-]+):(#[0-9a-f]{6})", block[1]))
    return found


@pytest.mark.parametrize("theme", ["do", "xanh-lam", "xanh-luc"])
def test_every_theme_keeps_text_contrast_at_least_4_5_to_1(theme):
    colours = theme_colours()[theme]
    pairs = {
        "white on the header": ("#ffffff", colours["brand"]),
        "white on the menu and date strip": ("#ffffff", colours["brand-dark"]),
        "welcome line on the header": (colours["on-brand"], colours["brand"]),
        "welcome line on the date strip": (colours["on-brand"], colours["brand-dark"]),
        "section titles on the page": (colours["brand"], "#ffffff"),
    }
    for what, (text, background) in pairs.items():
        ratio = contrast(text, background)
        print(f"{theme}: {what} {ratio:.1f}:1")
        assert ratio >= 4.5, what


# --- Layout: each story once, a side column, phones, data savers ----------------------------


def test_home_shows_each_story_once(client, make_article, make_category):
    sport = make_category(name="Thể thao", slug="the-thao")
    for number in range(3):
        make_article(title=f"Tin nổi bật số {number}", featured=True, category=sport)
    for number in range(4):
        make_article(title=f"Tin thường số {number}", category=sport)
    html = get_text(client, "/")
    for number in range(3):
        assert html.count(f"Tin nổi bật số {number}<") == 1
    for number in range(4):
        assert html.count(f"Tin thường số {number}<") == 1


def test_home_page_two_leaves_out_the_featured_stories(client, make_article):
    make_article(title="Tin nổi bật cũ", featured=True)
    for number in range(12):
        make_article(title=f"Bản tin {number:02d}")
    second = get_text(client, "/?trang=2")
    assert "Tin nổi bật cũ" not in second
    assert "Bản tin 11" in second and "Bản tin 09" not in second


def test_inner_pages_have_a_side_column_of_news_documents_and_services(client, make_article):
    from datetime import date

    from models import Document

    Setting.put("portal_province", "https://dichvucong.tinh.gov.vn")
    plan = Document(number="12/KH-UBND", title="Kế hoạch tiêm phòng", issued_on=date(2026, 5, 4))
    db.session.add(plan)
    db.session.commit()
    article = make_article(title="Tin ở cột bên")
    html = get_text(client, url_of(article))
    side = html[html.index('<aside class="side"') :]
    assert "Tin mới nhất" in side and "Tin ở cột bên" in side
    assert "Văn bản mới" in side and "12/KH-UBND" in side
    assert 'href="https://dichvucong.tinh.gov.vn"' in side


def test_phone_numbers_are_tel_links(client):
    Setting.put("phone", "0209 3 812 345")
    db.session.commit()
    assert '<a class="tel" href="tel:02093812345">0209 3 812 345</a>' in get_text(client, "/")


def test_the_menu_opens_without_javascript(client):
    html = get_text(client, "/")
    assert '<input type="checkbox" id="menu-open" class="menu-toggle"' in html
    assert '<label for="menu-open" class="menu-button">' in html
    assert "<script" not in html


def test_save_data_lists_have_no_thumbnail_boxes(client, make_article, app):
    from media.uploads import store_image

    with_picture = make_article(title="Tin có ảnh")
    with_picture.image = store_image(png_bytes(), "anh.png")
    db.session.commit()
    make_article(title="Tin không ảnh")
    normal = get_text(client, "/chuyen-muc/tin-tuc")
    assert normal.count('class="item has-thumb"') == 1  # no empty box for the other one
    assert normal.count('<li class="item">') == 1
    saving = client.get("/chuyen-muc/tin-tuc", headers={"Save-Data": "on"}).get_data(as_text=True)
    saving = saving.split("</head>", 1)[1]  # the stylesheet, inlined on a first visit, names both
    assert 'class="thumb' not in saving and "has-thumb" not in saving


# --- Open Graph on every page, the print button ----------------------------------------------


def test_every_public_page_carries_open_graph_tags(client, make_article):
    from datetime import date

    from models import Document

    article = make_article(title="Tin chia sẻ")
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu", body="<p>Xã</p>"))
    document = Document(number="12/KH-UBND", title="Kế hoạch", issued_on=date(2026, 5, 4))
    db.session.add(document)
    db.session.commit()
    paths = ["/", "/chuyen-muc/tin-tuc", url_of(article), "/trang/gioi-thieu", "/van-ban",
             "/tim-kiem?q=tin", f"/van-ban/12-kh-ubnd-{document.id}"]  # fmt: skip
    for path in paths:
        html = get_text(client, path)
        for prop in ("og:type", "og:title", "og:url", "og:site_name", "og:image"):
            assert html.count(f'property="{prop}"') == 1, (path, prop)
    assert '<meta property="og:title" content="Giới thiệu – Cổng thông tin điện tử xã">' in (
        get_text(client, "/trang/gioi-thieu")
    )


def test_print_view_has_a_print_button_from_a_script_file(client, make_article):
    article = make_article(title="Bản tin để in")
    html = get_text(client, url_of(article) + "/ban-in")
    assert '<button type="button" class="print-button" hidden>In bài này</button>' in html
    assert '<script src="/static/js/print.' in html and "<script>" not in html
    assert 'class="print-keys"' in html  # the Ctrl+P advice, hidden on touch screens by CSS


def test_a_reader_saving_data_gets_no_emblem_either(client):
    assert '<img class="emblem"' in get_text(client, "/")
    saving = client.get("/", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert "<img" not in saving and "Cổng thông tin điện tử xã" in saving


def test_a_banner_shows_on_wide_screens_and_a_data_saver_never_loads_it(client, auth):
    from io import BytesIO

    from tests.desk import switch_browser

    auth.login("admin")
    data = {key: value for key, value in Setting.values().items() if key not in ("logo", "banner")}
    data["banner"] = (BytesIO(png_bytes((1600, 170), (20, 90, 40, 255))), "bang-ron.png")
    assert client.post("/admin/settings", data=data).status_code == 302
    banner = Setting.values()["banner"]
    assert f'src="/media/{banner}-480.jpg" alt="Ảnh đầu trang đang dùng"' in (
        get_text(client, "/admin/settings")
    )
    auth.logout()
    switch_browser()
    html = get_text(client, "/")
    picture = html[html.index('<div class="banner">') :]
    # Lazy, so a phone, where the stylesheet hides it, never downloads it.
    assert f"/media/{banner}-960.webp" in picture and 'loading="lazy"' in picture
    saving = client.get("/", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert 'class="banner"' not in saving
    # Removing it takes one tick.
    switch_browser()
    auth.login("admin")
    client.post("/admin/settings", data=data | {"banner": "", "banner_remove": "y"})
    assert Setting.values()["banner"] == ""


# --- The Host header: links come from the public address, other hosts are refused --------

SITE = "https://xahoason.gov.vn"


@pytest.fixture
def public_address(app):
    """The site configured with its public address, as a production install is."""
    app.config["SITE_URL"] = SITE
    app.config["TRUSTED_HOSTS"] = urls.trusted_hosts(SITE)
    return SITE


def attacked_paths(article) -> list[str]:
    return [
        "/", url_of(article), url_of(article) + "/luu", url_of(article) + "/ban-in",
        "/rss.xml", "/chuyen-muc/tin-tuc/rss.xml", "/sitemap.xml", "/robots.txt",
        "/tim-kiem?q=tin", "/healthz",
    ]  # fmt: skip


@pytest.mark.parametrize("configured", [False, True], ids=["no SITE_URL", "SITE_URL"])
@pytest.mark.parametrize(
    "host", ["evil.example", "xahoason.gov.vn.evil.example", "evil.example:5000"]
)
def test_attack_a_forged_host_header_is_refused(app, make_article, configured, host):
    if configured:
        app.config["SITE_URL"] = SITE
        app.config["TRUSTED_HOSTS"] = urls.trusted_hosts(SITE)
    article = make_article()
    client = app.test_client()
    for path in attacked_paths(article):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, path
        assert "evil" not in response.get_data(as_text=True)
        assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_attack_a_forged_host_cannot_reach_the_links_through_base_url(app, make_article):
    article = make_article()
    client = app.test_client()
    response = client.get(url_of(article), base_url="https://evil.example")
    assert response.status_code == 400


def test_attack_a_forwarded_host_is_checked_like_the_host(make_app, tmp_path):
    database = f"sqlite:///{tmp_path / 'proxied.db'}"
    app = make_app(TRUSTED_PROXIES=1, SITE_URL=SITE, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    forged = client.get("/robots.txt", headers={"X-Forwarded-Host": "evil.example"})
    assert forged.status_code == 400
    honest = client.get("/robots.txt", headers={"X-Forwarded-Host": "xahoason.gov.vn"})
    assert honest.status_code == 200
    assert f"Sitemap: {SITE}/sitemap.xml" in honest.get_data(as_text=True)


def test_absolute_links_come_from_the_public_address(client, make_article, public_address):
    article = make_article(title="Lễ hội làng", slug="le-hoi-lang")
    address = f"{SITE}/tin/le-hoi-lang-{article.id}"
    page = get_text(client, url_of(article))
    assert f'<link rel="canonical" href="{address}">' in page
    assert f'<meta property="og:url" content="{address}">' in page
    assert f'"url": "{address}"' in page or f'"url":"{address}"' in page
    assert quote(address, safe="") in page  # the share links
    for path in attacked_paths(article)[1:-2]:
        text = get_text(client, path)
        assert "localhost" not in text, path
    assert f"<link>{address}</link>" in get_text(client, "/rss.xml")
    assert f"<loc>{address}</loc>" in get_text(client, "/sitemap.xml")
    assert f"Sitemap: {SITE}/sitemap.xml" in get_text(client, "/robots.txt")


def test_without_a_public_address_a_first_look_answers_on_the_local_names(app, make_article):
    article = make_article()
    for host in urls.LOCAL_HOSTS:
        response = app.test_client().get(url_of(article), headers={"Host": f"{host}:5000"})
        assert response.status_code == 200
        assert f'<link rel="canonical" href="http://localhost{url_of(article)}">' in (
            response.get_data(as_text=True)
        )


@pytest.mark.parametrize(
    "path", ["/", "/khong-co", "/rss.xml", "/robots.txt", "/healthz", "/admin/login"]
)
def test_attack_no_page_may_ask_for_camera_microphone_or_location(client, path):
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
