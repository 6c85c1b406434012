"""A province's request bodies are timed as a commune's are (web.bodies): by the province's one
layer, in front of every site's app and of the province's own pages, under the province's
settings (tests/web/test_bodies.py holds the rules)."""

from pacing import QUICK, assert_timeout_page, dribbled_login


def test_attack_dribbled_bodies_to_a_site_and_to_the_officers_page_get_a_408(fresh):
    fresh.app.config.update(QUICK)
    assert_timeout_page(dribbled_login(fresh.client("tra-leng")))
    assert dribbled_login(fresh.client()).status_code == 408
