"""Page numbers: one parser for `?trang=N`, and article lists that link a few pages ahead
without counting the whole archive."""

import re

import pytest
from sqlalchemy import event

from models import db
from web.pagination import PAGES_AHEAD


def page_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pages".*?</nav>', html, re.S)
    return re.findall(r">([^<]+)</(?:a|span)>", nav[0]) if nav else []


@pytest.fixture
def category_of(make_article, make_category):
    def make(count: int):
        category = make_category(name="Nông nghiệp", slug="nong-nghiep")
        for _ in range(count):
            make_article(category=category)
        return "/chuyen-muc/nong-nghiep"

    return make


def test_the_first_page_links_two_pages_ahead(client, category_of):
    path = category_of(95)  # ten pages
    links = page_links(client.get(path).get_data(as_text=True))
    assert links == ["1", "2", "3", "Sau ›"]


def test_a_middle_page_links_back_to_the_first_and_ahead(client, category_of):
    path = category_of(95)
    links = page_links(client.get(path + "?trang=5").get_data(as_text=True))
    assert links[:2] == ["‹ Trước", "1"] and "…" in links
    assert links[-4:] == ["5", "6", "7", "Sau ›"]


def test_the_last_page_has_no_next_link_and_the_one_after_does_not_exist(client, category_of):
    path = category_of(95)
    links = page_links(client.get(path + "?trang=10").get_data(as_text=True))
    assert links[-1] == "10" and "Sau ›" not in links
    assert client.get(path + "?trang=11").status_code == 404


def test_no_listing_counts_the_whole_archive(app, client, category_of):
    path = category_of(35)
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client.get(path + "?trang=2")
    counting = [s for s in statements if "count(" in s.lower() and "FROM article" in s]
    assert counting == []
    assert PAGES_AHEAD == 2
