"""The province's entry (sites/dispatch.py): which site apps it keeps ready in a process."""

from flask import Flask

from sites.registry import Site


def test_past_the_limit_the_site_unused_longest_is_let_go(fresh, monkeypatch):
    dispatcher = fresh.app.extensions["province"]
    gone = []
    monkeypatch.setattr(dispatcher, "build", lambda site: Flask(site.name))
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
