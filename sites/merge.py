"""Merging communes: one commune's site folded into the site of the commune it joined.

Since July 2025 two to four old communes make one new one. `merge_site` copies everything
readers and editors had on the old site (articles, categories, pages, documents, their images
and files, user accounts) into the new site, under a parent category naming the old commune
("Tin xã Trà Leng (cũ)"), and writes, for each of the old site's host names, a redirect from
every old address to its new one. The old host names then belong to the new site as moved
hosts (sites.registry): every request on them answers 301, for as long as the row stays.

Reading and writing happen in two apps (the old site's, the new site's), so the old site's rows
are read into plain values first. The new site's writes are one transaction; what each old
row became is kept in `ImportedItem` (source `merge:NAME`), so a second run adds nothing.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from flask import Flask, url_for
from sqlalchemy import inspect, select

from documents import document_url
from media.store import find_by_hash, storage_path, write_atomically
from models import (
    Article,
    Attachment,
    Category,
    Document,
    ImportedItem,
    Media,
    Page,
    Redirect,
    Setting,
    User,
    db,
)
from ops import backup, schema
from sites.registry import Site
from web import redirects
from web.urls import article_url

# Old site rows, in the order their references need (users and media before what uses them).
MODELS = (User, Media, Category, Article, Page, Document, Attachment, Redirect)
MEDIA_URL = re.compile(r"/media/(\d+)-")
# What the old commune's admins become: the new commune's admins decide who runs the site.
ROLE_AFTER_MERGE = {"admin": "editor"}


@dataclass
class MergeReport:
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    label: str = ""


def columns(model) -> list[str]:
    return [attr.key for attr in inspect(model).mapper.column_attrs]


def read_site(app: Flask) -> dict:
    """Every row the merge moves, as plain values, plus the site's name and media folder."""
    with app.app_context():
        rows = {
            model.__name__: [
                {key: getattr(obj, key) for key in columns(model)}
                for obj in db.session.scalars(select(model).order_by(model.id))
            ]
            for model in MODELS
        }
        rows["title"] = Setting.values()["site_name"]
        db.session.remove()
    rows["media_root"] = app.config["MEDIA_ROOT"]
    return rows


def default_label(title: str) -> str:
    """"Cổng thông tin điện tử xã Trà Leng" -> "Tin xã Trà Leng (cũ)"."""
    name = re.sub(r"^(Cổng|Trang) thông tin (điện tử )?", "", title.strip(), flags=re.I)
    if name[:1].isupper() and name.split(" ", 1)[0] in ("Xã", "Phường", "Thị"):
        name = name[0].lower() + name[1:]
    return f"Tin {name} (cũ)"


class Merger:
    """The new site's side of one merge, run inside the new site's app context."""

    def __init__(self, old: dict, old_name: str, hosts: list[str], label: str):
        self.old = old
        self.source = f"merge:{old_name}"
        self.prefix = old_name
        self.hosts = hosts
        self.label = label
        self.report = MergeReport(label=label)
        self.done = {
            (item.kind, item.key): item.object_id
            for item in db.session.scalars(
                select(ImportedItem).where(ImportedItem.source == self.source)
            )
        }
        self.ids: dict[str, dict[int, int]] = {model.__name__: {} for model in MODELS}
        self.paths: dict[str, str] = {}

    # --- bookkeeping ---------------------------------------------------------------------

    def known(self, kind: str, old_id: int) -> int | None:
        new_id = self.done.get((kind, str(old_id)))
        if new_id is not None:
            self.ids[kind][old_id] = new_id
            self.report.skipped[kind] += 1
        return new_id

    def made(self, kind: str, old_id: int, obj) -> None:
        db.session.add(obj)
        db.session.flush()
        self.ids[kind][old_id] = obj.id
        db.session.add(ImportedItem(source=self.source, key=str(old_id), kind=kind,
                                    object_id=obj.id))
        self.report.counts[kind] += 1

    def copy(self, model, row: dict, **changes):
        values = {k: v for k, v in row.items() if k != "id"}
        values.update(changes)
        return model(**values)

    def user_id(self, old_id):
        return self.ids["User"].get(old_id) if old_id else None

    def media_id(self, old_id):
        return self.ids["Media"].get(old_id) if old_id else None

    def body(self, html: str) -> str:
        """Point the body's images at the new site's copies of them."""

        def new_id(match):
            found = self.ids["Media"].get(int(match[1]))
            return f"/media/{found}-" if found else match[0]

        return MEDIA_URL.sub(new_id, html or "")

    # --- rows ----------------------------------------------------------------------------

    def users(self) -> None:
        taken = set(db.session.scalars(select(User.username)))
        for row in self.old["User"]:
            if self.known("User", row["id"]):
                continue
            name = row["username"]
            if name in taken:
                name = f"{name}-{self.prefix}"[:64]
            taken.add(name)
            role = ROLE_AFTER_MERGE.get(row["role"], row["role"])
            self.made("User", row["id"], self.copy(User, row, username=name, role=role))

    def media(self, dry_run: bool) -> None:
        for row in self.old["Media"]:
            if self.known("Media", row["id"]):
                continue
            same = find_by_hash(row["sha256"])
            if same is not None:
                self.ids["Media"][row["id"]] = same.id
                self.report.skipped["Media"] += 1
                continue
            source = os.path.join(self.old["media_root"], "originals", row["stored_name"][:2],
                                  row["stored_name"])
            if not os.path.exists(source):
                self.report.problems.append(
                    f"Thiếu tệp gốc của ảnh/tệp số {row['id']} ({row['original_name']}).")
                continue
            if not dry_run:
                with open(source, "rb") as handle:
                    write_atomically(storage_path(row["stored_name"]), handle.read())
            uploader = self.user_id(row["uploaded_by"])
            self.made("Media", row["id"], self.copy(Media, row, uploaded_by=uploader))

    def categories(self) -> None:
        slug = f"tin-{self.prefix}-cu"
        parent = db.session.scalar(select(Category).where(Category.slug == slug))
        if parent is None:
            highest = max(db.session.scalars(select(Category.position)), default=0)
            parent = Category(name=self.label, slug=slug, position=highest + 1,
                              description=f"Tin bài của {self.label.removeprefix('Tin ')}.")
            db.session.add(parent)
            db.session.flush()
            self.report.counts["Category"] += 1
        self.parent = parent
        for row in self.old["Category"]:
            if self.known("Category", row["id"]):
                continue
            child = self.copy(Category, row, slug=f"{self.prefix}-{row['slug']}"[:120],
                              parent_id=parent.id)
            self.made("Category", row["id"], child)

    def articles(self) -> None:
        for row in self.old["Article"]:
            if self.known("Article", row["id"]):
                continue
            category = self.ids["Category"].get(row["category_id"], self.parent.id)
            article = self.copy(
                Article, row, category_id=category, image_id=self.media_id(row["image_id"]),
                created_by=self.user_id(row["created_by"]),
                updated_by=self.user_id(row["updated_by"]), body=self.body(row["body"]),
                version=1,
            )
            self.made("Article", row["id"], article)

    def pages(self) -> None:
        for row in self.old["Page"]:
            if self.known("Page", row["id"]):
                continue
            page = self.copy(Page, row, slug=f"{self.prefix}-{row['slug']}"[:120],
                             title=f"{row['title']} ({self.label.removeprefix('Tin ')})"[:250],
                             in_menu=False, body=self.body(row["body"]))
            self.made("Page", row["id"], page)

    def documents(self) -> None:
        for row in self.old["Document"]:
            if self.known("Document", row["id"]):
                continue
            self.made("Document", row["id"],
                      self.copy(Document, row, created_by=self.user_id(row["created_by"])))

    def attachments(self) -> None:
        for row in self.old["Attachment"]:
            if self.known("Attachment", row["id"]):
                continue
            media = self.media_id(row["media_id"])
            owner_article = self.ids["Article"].get(row["article_id"]) if row["article_id"] \
                else None
            owner_document = self.ids["Document"].get(row["document_id"]) \
                if row["document_id"] else None
            if media is None or (owner_article is None and owner_document is None):
                self.report.problems.append(f"Bỏ qua tệp đính kèm số {row['id']}: thiếu tệp.")
                continue
            self.made("Attachment", row["id"], self.copy(
                Attachment, row, media_id=media, article_id=owner_article,
                document_id=owner_document))

    # --- old addresses -------------------------------------------------------------------

    def old_paths(self, old_app: Flask) -> dict[str, tuple[str, int]]:
        """Each old public address of a moved row, with the row it shows (kind, old id)."""
        found = {}
        with request_context(old_app):
            for row in self.old["Article"]:
                found[article_url(Article(**row))] = ("Article", row["id"])
            for row in self.old["Category"]:
                found[url_for("public.category", slug=row["slug"])] = ("Category", row["id"])
                found[url_for("public.category_rss", slug=row["slug"])] = ("Category", row["id"])
            for row in self.old["Page"]:
                found[url_for("public.page", slug=row["slug"])] = ("Page", row["id"])
            for row in self.old["Document"]:
                found[document_url(Document(**row))] = ("Document", row["id"])
            for row in self.old["Attachment"]:
                found[url_for("public.attachment", attachment_id=row["id"])] = \
                    ("Attachment", row["id"])
        return found

    def new_path(self, kind: str, new_id: int) -> str:
        if kind == "Article":
            return article_url(db.session.get(Article, new_id))
        if kind == "Category":
            category = db.session.get(Category, new_id)
            return url_for("public.category", slug=category.slug)
        if kind == "Page":
            return url_for("public.page", slug=db.session.get(Page, new_id).slug)
        if kind == "Document":
            return document_url(db.session.get(Document, new_id))
        return url_for("public.attachment", attachment_id=new_id)

    def redirects(self, old_app: Flask) -> None:
        """Write, for every old host, a 301 from each old address to its new one."""
        home = url_for("public.category", slug=self.parent.slug)
        targets = {"/": home}
        for path, (kind, old_id) in self.old_paths(old_app).items():
            new_id = self.ids[kind].get(old_id)
            if new_id is not None and (kind != "Article" or self.visible(old_id)):
                targets[path] = self.new_path(kind, new_id)
        for row in self.old["Redirect"]:  # the old site's own old addresses (an import's)
            targets.setdefault(row["old_path"], targets.get(row["target"], home))
        for row in self.old["Media"]:  # each picture's sizes, found by web.redirects
            new_id = self.ids["Media"].get(row["id"])
            if new_id is not None and row["mime_type"].startswith("image/"):
                targets[redirects.picture_key(row["id"])] = redirects.picture_key(new_id)
        existing = {
            (r.host, r.old_path)
            for r in db.session.scalars(select(Redirect).where(Redirect.host.in_(self.hosts)))
        }
        rows = [
            {"host": host, "old_path": old, "target": new, "source": "merge"}
            for host in self.hosts for old, new in targets.items()
            if (host, old) not in existing
        ]
        if rows:
            db.session.execute(Redirect.__table__.insert(), rows)
        self.report.counts["Redirect"] += len(rows)

    def visible(self, old_id: int) -> bool:
        """An unpublished article gets no public old address (it would reveal its title)."""
        row = next(r for r in self.old["Article"] if r["id"] == old_id)
        return row["status"] == "published"


def archive_site(build, path: str, name: str, staging: str) -> Flask:
    """An app reading a backup archive of a Bantin site, checked and unpacked in `staging`
    and brought to this release's schema; it serves nothing and is thrown away after."""
    os.makedirs(staging, exist_ok=True)
    database = os.path.join(staging, "database", "bantin.db")
    site = Site(name=name, database_uri="sqlite:///" + database,
                media_root=os.path.join(staging, "media"))
    app = build(site)
    app.instance_path = staging  # keep the unpacked copy's bits out of the sites' folders
    with app.app_context():
        backup.verify_archive(path, staging)
        schema.upgrade()
        db.session.remove()
    return app


def request_context(app: Flask):
    """A request to the site's own address, so that url_for builds its paths."""
    return app.test_request_context("/", base_url=app.config["SITE_URL"] or None)


def merge_site(old_app: Flask, new_app: Flask, old_name: str, hosts: list[str],
               label: str = "", dry_run: bool = False) -> MergeReport:
    """Fold the old site into the new one; with dry_run, only count what would move."""
    old = read_site(old_app)
    with new_app.app_context(), request_context(new_app):
        merger = Merger(old, old_name, hosts, label or default_label(old["title"]))
        merger.users()
        merger.media(dry_run)
        merger.categories()
        merger.articles()
        merger.pages()
        merger.documents()
        merger.attachments()
        merger.redirects(old_app)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        db.session.remove()
    return merger.report
