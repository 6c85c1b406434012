"""The province's entry (sites/dispatch.py): which site apps it keeps ready in a process."""

import logging

from flask import Flask
from sqlalchemy import func, select
from test_commands import run

from models import ArticleView, db
from sites.registry import Site
from web.served import Served


def bare_app(site: Site) -> Flask:
    app = Flask(site.name)
    app.extensions["served"] = Served(app.wsgi_app)
    return app


def test_past_the_limit_the_site_unused_longest_is_let_go(fresh, monkeypatch):
    dispatcher = fresh.app.extensions["province"]
    gone = []
    monkeypatch.setattr(dispatcher, "build", bare_app)
    monkeypatch.setattr(dispatcher, "let_go",
                        lambda name: gone.append(name) or dispatcher.apps.pop(name))
    monkeypatch.setattr(dispatcher, "live_max", 2)
    first, second, third = (Site(name, hosts=(f"{name}.test",)) for name in ("mot", "hai", "ba"))
    apps = {site.name: dispatcher.app_for(site) for site in (first, second)}
    assert dispatcher.app_for(first) is apps["mot"]  # ready: not built again
    dispatcher.app_for(third)
    assert gone == ["hai"]  # built after "mot", but "mot" answered since
    assert dispatcher.app_for(first) is apps["mot"]
    assert dispatcher.app_for(second) is not apps["hai"]  # built anew when asked again
    assert gone == ["hai", "ba"]


def test_a_ready_sites_hosts_follow_the_registry_at_once(fresh):
    """A site that answered is found by its host without its Site (`SiteDispatcher.ready`):
    disabling it, moving its host or merging another commune into it shows on the next
    request all the same."""
    client = fresh.app.test_client()
    assert client.get("/", base_url="http://traleng.test").status_code == 200
    assert fresh.app.extensions["province"].ready.get("traleng.test") is not None
    assert run(fresh, "site", "disable", "tra-leng").exit_code == 0
    assert client.get("/", base_url="http://traleng.test").status_code == 503
    assert run(fresh, "site", "enable", "tra-leng").exit_code == 0
    assert client.get("/", base_url="http://traleng.test").status_code == 200
    assert run(fresh, "site", "rename-host", "traleng.test", "traleng.danang.test").exit_code == 0
    assert client.get("/", base_url="http://traleng.test").status_code == 400
    assert client.get("/", base_url="http://traleng.danang.test").status_code == 200


def test_views_of_a_sites_kept_article_count_in_that_sites_own_table(fresh):
    """The province's one visit counter and page cache read the site's own parts from the
    record the dispatcher gives each request: its views reach its database, not another's."""
    reader = fresh.client("tra-leng")
    url = f"/tin/tin-ve-duong-thon-{fresh.ids['tra-leng']['article']}"
    for _ in range(3):  # rendered once, then answered from the cache
        assert reader.get(url).status_code == 200
    counted = {}
    for name in ("tra-leng", "hoa-son"):
        site = fresh.app.extensions["province"].app_for(fresh.registry.require(name))
        site.extensions["visits"].flush()
        with site.app_context():
            counted[name] = db.session.scalar(select(func.sum(ArticleView.count)))
    assert counted == {"tra-leng": 3, "hoa-son": None}


def test_a_refused_host_gets_its_request_id_and_log_line(province, caplog):
    """The request log is in front of the choice of site: a host no site owns is logged too."""
    with caplog.at_level(logging.INFO, logger="bantin.request"):
        response = province.app.test_client().get("/", base_url="http://la.test")
    assert response.status_code == 400
    assert response.headers["X-Request-ID"]
    assert any("GET / 400" in record.getMessage() for record in caplog.records)
