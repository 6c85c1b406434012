"""A reader searches without marks on a phone, browses the documents registry, and reads the
organisation page; the article page's metadata does not trip the browser's script policy."""

import json

import pytest

pytestmark = pytest.mark.browser


def test_reader_finds_news_typed_without_marks(live_server, phone, screenshot):
    phone.goto(live_server.url + "/")
    phone.fill("header input[name=q]", "cai cach hanh chinh")
    phone.press("header input[name=q]", "Enter")
    phone.wait_for_url("**/tim-kiem?q=cai+cach+hanh+chinh")
    assert "Tìm thấy" in phone.inner_text("p.found")
    first = phone.locator("ol.hits li").first
    assert first.locator("mark").count() >= 2
    assert "cải cách hành chính" in first.inner_text().lower()
    screenshot(phone, "search-phone")
    # Filters narrow the results to documents only, and the page keeps the query.
    phone.click("form.finder summary")  # the filters fold away on a phone
    phone.select_option("#finder-muc", "van-ban")
    phone.click("form.finder button[type=submit]")
    phone.wait_for_url("**muc=van-ban**")
    assert phone.input_value("#finder-q") == "cai cach hanh chinh"
    assert phone.locator("ol.hits li").count() == phone.locator("ol.hits .tag").count() > 0


def test_one_letter_query_is_explained(live_server, phone):
    phone.goto(live_server.url + "/tim-kiem?q=x")
    assert "Từ khóa quá ngắn" in phone.inner_text("main")


def test_search_results_on_a_desktop(live_server, desktop, screenshot):
    desktop.goto(live_server.url + "/tim-kiem?q=duong+thon")
    assert desktop.locator("ol.hits li").count() == 10
    assert desktop.locator("nav.pages a[rel=next]").count() == 1
    screenshot(desktop, "search-desktop")


def test_documents_registry_filters_and_detail(live_server, phone, desktop, screenshot):
    desktop.goto(live_server.url + "/van-ban")
    screenshot(desktop, "documents-desktop")
    phone.goto(live_server.url + "/van-ban")
    phone.click("form.finder summary")  # the filters fold away on a phone
    phone.select_option("#doc-loai", "Quyết định")
    phone.click("form.finder button[type=submit]")
    phone.wait_for_url("**loai=**")
    items = phone.locator("ul.docs li")
    assert items.count() > 0
    for text in items.all_inner_texts():
        assert "Quyết định" in text
    screenshot(phone, "documents-phone")
    with phone.expect_navigation():  # the checks below must read the detail, not the list
        items.first.locator("h3 a").click()
    assert "/van-ban/" in phone.url
    for label in ("Số ký hiệu", "Trích yếu", "Cơ quan ban hành", "Người ký", "Lĩnh vực",
                  "Ngày ban hành", "Ngày hiệu lực", "Ngày hết hiệu lực", "Tình trạng"):  # fmt: skip
        assert phone.locator("th", has_text=label).count() == 1
    screenshot(phone, "document-phone")


def test_organisation_page_lists_the_officials(live_server, phone, screenshot):
    phone.goto(live_server.url + "/trang/co-cau-to-chuc")
    rows = phone.locator("section.officials tbody tr")
    assert rows.count() >= 5
    assert "Chủ tịch UBND xã" in rows.first.inner_text()
    screenshot(phone, "organisation-phone")


def test_article_metadata_passes_the_content_security_policy(live_server, desktop):
    errors = []
    desktop.on("console", lambda message: errors.append(message.text))
    desktop.goto(live_server.url + "/")
    with desktop.expect_navigation():
        desktop.locator("section[aria-labelledby=latest-title] h3 a").first.click()
    data = json.loads(desktop.inner_html("script[type='application/ld+json']"))
    assert data["@type"] == "NewsArticle" and data["datePublished"].endswith("+07:00")
    assert desktop.title().startswith(data["headline"][:20])
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
