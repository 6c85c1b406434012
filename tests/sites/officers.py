"""Helpers of the province pages' tests: a site's own app, articles written in it, the
province's IT officers made by the command and signed in through the form."""

from datetime import timedelta

from base_config import PASSWORD  # noqa: F401 - re-exported for the tests

import models
from models import Article, Category, db

OFFICER, OFFICER_PASSWORD = "can-bo-tinh", "mat-khau-cua-tinh"


def text(response) -> str:
    return response.get_data(as_text=True)


def site_app(province, name):
    return province.app.extensions["province"].app_for(province.registry.require(name))


def add_article(province, name, title, **fields):
    """Write an article on one site, inside that site's own app, and return its id."""
    with site_app(province, name).app_context():
        category = db.session.scalar(db.select(Category))
        fields.setdefault("status", "published")
        fields.setdefault("publish_at", models.utcnow() - timedelta(minutes=5))
        article = Article(title=title, slug="them", summary="", body="<p>x</p>", body_text="x",
                          category=category, **fields)
        db.session.add(article)
        db.session.commit()
        return article.id


def run(app, *args, **kwargs):
    with app.app_context():  # as `flask` pushes it
        return app.test_cli_runner().invoke(args=list(args), **kwargs)


def make_officer(province, name=OFFICER, password=OFFICER_PASSWORD):
    result = run(province.app, "site", "operator", name, "--password", password)
    assert result.exit_code == 0, result.output
    return result


def sign_in(province, name=OFFICER, password=OFFICER_PASSWORD, address="10.1.1.1"):
    client = province.app.test_client()
    response = client.post("/admin/login", data={"username": name, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return client, response


def csrf_token_of(client) -> str:
    page = text(client.get("/admin/login"))
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
