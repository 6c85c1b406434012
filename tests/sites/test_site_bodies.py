"""A province's request bodies are timed as a commune's are (web.bodies): each site's app
with its own layer, the entry app for the province's own pages (tests/web/test_bodies.py holds
the rules)."""

from pacing import QUICK, assert_timeout_page, dribbled_login


def test_attack_dribbled_bodies_to_a_site_and_to_the_officers_page_get_a_408(fresh):
    dispatcher = fresh.app.extensions["province"]
    site = dispatcher.app_for(fresh.registry.require("tra-leng"))
    for app in (site, fresh.app):
        app.config.update(QUICK)
    assert_timeout_page(dribbled_login(fresh.client("tra-leng")))
    assert dribbled_login(fresh.client()).status_code == 408
