"""web.templating: the one registry of template helpers, which the province extends."""

import pytest

from web import templating


def test_a_helper_name_registered_twice_is_refused(app):
    with pytest.raises(ValueError, match="now, short_date"):
        templating.extend(app, globals_={"now": lambda: None},
                          filters={"short_date": str})  # fmt: skip
    assert app.jinja_env.globals["now"] is templating.now


def test_the_shared_helpers_are_in_every_sites_templates(app):
    for name, helper in templating.SHARED_GLOBALS.items():
        assert app.jinja_env.globals[name] is helper
    for name, helper in templating.SHARED_FILTERS.items():
        assert app.jinja_env.filters[name] is helper
    assert "rfc822" not in app.jinja_env.filters  # the province's own
