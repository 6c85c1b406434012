"""A province of two commune sites served by one app, each with content only it has (built
by the fixtures in conftest.py).

Every word that marks a site's content (MARKS) must never appear in a response for the other
site's host: that is what the isolation tests look for.
"""

from __future__ import annotations

import copy
import io
import os
from datetime import timedelta

import pypdf
from base_config import PASSWORD, make_config
from folders import copy_site
from PIL import Image
from sqlalchemy import create_engine, text

import models
from app import create_app, create_site_app
from media import uploads
from models import Article, Attachment, Category, Document, Page, User, db
from sanitize import clean_html
from sites import databases, manage
from sites import index as province_index
from sites.registry import ACCOUNTS_SCHEMA, Registry, metadata

HOSTS = {"tra-leng": "traleng.test", "hoa-son": "hoason.test"}
# A word only that site's content holds: titles, bodies, pages, documents, users.
MARKS = {"tra-leng": "Trà-Leng-riêng", "hoa-son": "Hòa-Sơn-riêng"}


def province_config(folder, **overrides) -> dict:
    uri = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'sites.db'}"
    return make_config(folder, SITES_DATABASE_URI=uri, SERVER_NAME=None, **overrides)


def jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def fill(app, name: str) -> dict:
    """Give a site a user, a category, an article with images, a page and a document."""
    mark = MARKS[name]
    with app.app_context():
        user = User(username=f"nguoi-{name}", role="admin", display_name=f"Cán bộ {mark}")
        user.set_password(PASSWORD)
        category = Category(name="Tin tức", slug="tin-tuc", position=1)
        lead = uploads.store_image(jpeg((30, 120, 200) if name == "tra-leng" else (200, 90, 20)))
        inline = uploads.store_image(jpeg((10, 200, 90) if name == "tra-leng" else (90, 20, 200)))
        body = clean_html(f'<p>Nội dung {mark}.</p><p><img src="/media/{inline.id}-960.jpg" '
                          f'alt="Ảnh {mark}"></p>')
        article = Article(
            title=f"Tin {mark} về đường thôn", slug="tin-ve-duong-thon", summary=f"Sapo {mark}",
            body=body, body_text=f"Nội dung {mark}.", category=category, status="published",
            publish_at=models.utcnow() - timedelta(hours=1), image=lead, author=f"Tác giả {mark}",
        )
        draft = Article(title=f"Nháp {mark}", slug="nhap", body="<p>x</p>", body_text="x",
                        category=category, status="draft")
        page = Page(title=f"Giới thiệu {mark}", slug="gioi-thieu", body=f"<p>{mark}</p>",
                    position=1, in_menu=True)
        pdf = uploads.store_file(marked_pdf(mark), f"{name}.pdf")
        document = Document(number=f"01/{name}", title=f"Quyết định {mark}", doc_type="Quyết định")
        db.session.add_all([user, category, article, draft, page, document])
        db.session.flush()
        db.session.add(Attachment(media=pdf, document_id=document.id, title=f"Tệp {mark}"))
        db.session.commit()
        return {"article": article.id, "draft": draft.id, "lead": lead.id, "inline": inline.id,
                "pdf": pdf.id, "document": document.id, "user": user.username}


def marked_pdf(mark: str) -> bytes:
    """A blank one-page PDF whose bytes end with the site's mark (a comment readers skip)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + b"% " + mark.encode() + b"\n"


def drop_sites(uri: str) -> None:
    """Remove a PostgreSQL province's schemas and registry (a SQLite one goes with its folder)."""
    if not uri.startswith("postgresql"):
        return
    engine = create_engine(uri)
    with engine.begin() as connection:
        for name in HOSTS:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "site_{name.replace("-", "_")}" '
                                    "CASCADE"))
    metadata.drop_all(engine)
    with engine.begin() as connection:  # the officers' accounts and the rate limits' counts
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{ACCOUNTS_SCHEMA}" CASCADE'))
    engine.dispose()
    province_index.index_at(uri).drop()


def close_province(app) -> None:
    """Close what a province app opened: its registry, the sites' shared PostgreSQL pools."""
    app.extensions["registry"].dispose()
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    for engine in databases.SHARED_ENGINES.values():
        engine.dispose()


class Province:
    """The province's entry app, its registry and each site's ids.

    Province(folder) adds the two sites with the `site add` code (every migration) and fills
    them; Province(folder, like=other) copies instead the folder of a SQLite province that was
    built so, which is what most tests need and costs a fraction of the time.
    """

    def __init__(self, folder, like: Province | None = None):
        self.folder = folder
        self.config = province_config(folder)
        if like is None:
            self.build_sites()
        else:
            copy_site(like.folder, folder)
            self.registry = Registry(self.config["SITES_DATABASE_URI"])
            self.ids = copy.deepcopy(like.ids)
        self.app = create_app(self.config)

    def build_sites(self) -> None:
        drop_sites(self.config["SITES_DATABASE_URI"])
        self.registry = Registry(self.config["SITES_DATABASE_URI"])
        self.ids = {}
        for name, host in HOSTS.items():
            site = manage.add_site(self.registry, self.build, name, [host], f"Xã {name}", "",
                                  None, self.config["INSTANCE_PATH"])
            self.ids[name] = fill(self.build(site), name)

    def build(self, site):
        return create_site_app(self.config, site)

    def client(self, name: str | None = None):
        """A browser on one site's host (or on the province's own address), each from an
        address of its own, as the people of a province are (the sign-in's rate limit counts
        per address, and a module's tests share one province)."""
        self.browsers = getattr(self, "browsers", 0) + 1
        address = f"2001:db8::{self.browsers:x}"
        return SiteClient(self.app.test_client(), HOSTS.get(name, "localhost"), address)

    def close(self) -> None:
        close_province(self.app)
        self.registry.dispose()
        drop_sites(self.config["SITES_DATABASE_URI"])


class SiteClient:
    """A test client whose every request goes to one host."""

    def __init__(self, client, host: str, address: str = "127.0.0.1"):
        self.client = client
        self.host = host
        self.client.environ_base["REMOTE_ADDR"] = address

    def get(self, url, **kwargs):
        return self.client.get(url, base_url=f"http://{self.host}", **kwargs)

    def post(self, url, **kwargs):
        return self.client.post(url, base_url=f"http://{self.host}", **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        return self.post("/admin/login", data={"username": username, "password": password})
