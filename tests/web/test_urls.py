"""URL rules are parsed once per process and shared by every app that adds the same rule (a
province's sites): each app still matches and builds every address as if it parsed its own."""

import pytest
from flask import Flask

import internals

ADDRESSES = [
    ("/", "public.home", {}),
    ("/tin/duong-thon-moi-12", "public.article", {"slug": "duong-thon-moi", "article_id": 12}),
    ("/chuyen-muc/tin-xa", "public.category", {"slug": "tin-xa"}),
    ("/admin/articles/7/edit", "admin.article_edit", {"article_id": 7}),
]


@pytest.mark.parametrize(("path", "endpoint", "values"), ADDRESSES)
def test_a_second_app_matches_and_builds_like_the_first(make_app, tmp_path, path, endpoint,
                                                        values):
    for app in (make_app(tmp_path / "mot"), make_app(tmp_path / "hai")):
        adapter = app.url_map.bind("localhost")
        assert adapter.match(path) == (endpoint, values)
        assert adapter.build(endpoint, values) == path


def test_a_shared_rule_keeps_its_own_defaults():
    """The same rule with defaults in one app and none in another builds in both."""
    apps = []
    for defaults in ({"trang": 1}, None):
        app = Flask(__name__)
        app.url_rule_class = internals.LazyRule
        app.add_url_rule("/thu/<slug>", "thu", lambda **_: "", defaults=defaults)
        apps.append(app)
    with_defaults, without = (app.url_map.bind("localhost") for app in apps)
    assert with_defaults.build("thu", {"slug": "a", "trang": 1}) == "/thu/a"
    assert without.build("thu", {"slug": "a"}) == "/thu/a"
    assert without.match("/thu/b") == ("thu", {"slug": "b"})
