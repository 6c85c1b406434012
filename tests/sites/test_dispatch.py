"""The province's entry (sites/dispatch.py): which site apps it keeps ready in a process."""

from flask import Flask
from test_commands import run

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
