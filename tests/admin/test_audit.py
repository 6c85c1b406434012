"""The audit log tells what happened to each object as it was then: ids are never handed out
again, and each entry keeps the name its object had when it was written."""

import re

import pytest
from desk import article_data
from sqlalchemy import select, text

import models
from models import Article, AuditLog, db
from ops import schema


def newest_article() -> Article:
    return db.session.scalars(select(Article).order_by(Article.id.desc())).first()


def audit_rows(html: str) -> list[str]:
    """The log's rows as text, tags and runs of spaces removed."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_attack_a_reused_id_rewrites_the_audit_history(client, auth, make_category):
    category = make_category(name="Tin hoạt động", slug="tin-hoat-dong")
    auth.login("admin")
    client.post("/admin/articles/new", data=article_data(category.id, title="Tin cần gỡ"))
    deleted = newest_article()
    deleted_id = deleted.id
    client.post(f"/admin/articles/{deleted_id}/delete")
    client.post("/admin/articles/new", data=article_data(category.id, title="Tin mới hoàn toàn"))
    new = newest_article()
    assert new.id != deleted_id  # SQLite used to hand the deleted row's id out again
    html = client.get("/admin/audit").get_data(as_text=True)
    rows = audit_rows(html)
    assert any("Viết bài mới Bài “Tin cần gỡ” (đã xóa)" in row for row in rows), rows
    assert any("Xóa Bài “Tin cần gỡ” (đã xóa)" in row for row in rows), rows
    assert not any("Tin cần gỡ" in row and "Tin mới hoàn toàn" in row for row in rows)
    # Only the new article's own entry links to it.
    assert html.count(f'href="/admin/articles/{new.id}/edit"') == 1


def test_the_log_keeps_the_name_an_object_had_then(client, auth, make_category):
    category = make_category(name="Tin hoạt động", slug="tin-hoat-dong")
    auth.login("admin")
    client.post("/admin/articles/new", data=article_data(category.id, title="Tên đầu tiên"))
    article = newest_article()
    data = article_data(category.id, action="update", version=article.version, title="Tên sau",
                        slug=article.slug)  # fmt: skip
    client.post(f"/admin/articles/{article.id}/edit", data=data)
    names = db.session.scalars(select(AuditLog.object_name).where(
        AuditLog.object_type == "article").order_by(AuditLog.id)).all()  # fmt: skip
    assert names == ["Tên đầu tiên", "Tên sau"]
    rows = audit_rows(client.get("/admin/audit").get_data(as_text=True))
    assert any("Viết bài mới Bài “Tên đầu tiên”" in row for row in rows), rows


def test_every_table_with_an_integer_id_never_reuses_one(migrated_app):
    """Made by the migrations as production is (PostgreSQL's sequences never reuse)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's; PostgreSQL's sequences never reuse an id")
    with db.engine.connect() as connection:
        declared = dict(connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())  # fmt: skip
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and keys[0].type.python_type is int:
            assert "AUTOINCREMENT" in declared[table.name], table.name


def test_the_migration_names_old_entries_and_starts_ids_past_them(empty_app):
    migration = "f4c8a1e6b2d9"
    schema.upgrade(schema.scripts().get_revision(migration).down_revision)
    now = models.utcnow().replace(tzinfo=None)
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO category (id, name, slug, description, position, created_at, "
            "updated_at) VALUES (1, 'Tin', 'tin', '', 0, :now, :now)"), {"now": now})
        # Article 3 was deleted, then its id was handed to another article (the old SQLite
        # behaviour); article 9 was deleted and nothing took its id yet.
        connection.execute(text(
            "INSERT INTO article (id, title, slug, summary, body, body_text, category_id, "
            "author, source, image_caption, image_alt, status, featured, version, "
            "search_folded, review_note, returned_by, created_at, updated_at) VALUES "
            "(3, 'Bài mới', 'bai-moi', '', '', '', 1, '', '', '', '', 'draft', :no, 1, '', "
            "'', '', :now, :now)"), {"now": now, "no": False})
        entries = [("create", 3, ""), ("delete", 3, "Bài cũ đã gỡ"), ("create", 3, ""),
                   ("create", 9, ""), ("delete", 9, "Bài số chín")]
        for action, object_id, detail in entries:
            connection.execute(text(
                "INSERT INTO audit_log (username, action, object_type, object_id, detail, ip, "
                "created_at) VALUES ('admin', :a, 'article', :o, :d, '', :now)"),
                {"a": action, "o": object_id, "d": detail, "now": now})  # fmt: skip
    schema.upgrade(migration)
    with db.engine.begin() as connection:
        names = connection.execute(text(
            "SELECT object_name FROM audit_log ORDER BY id")).scalars().all()  # fmt: skip
        assert names == ["Bài cũ đã gỡ", "Bài cũ đã gỡ", "Bài mới", "Bài số chín",
                         "Bài số chín"]  # fmt: skip
        new_id = connection.execute(text(
            "INSERT INTO article (title, slug, summary, body, body_text, category_id, author, "
            "source, image_caption, image_alt, status, featured, version, search_folded, "
            "review_note, returned_by, created_at, updated_at) VALUES ('Sau', 'sau', '', '', "
            "'', 1, '', '', '', '', 'draft', :no, 1, '', '', '', :now, :now) RETURNING id"),
            {"now": now, "no": False}).scalar()
        if connection.dialect.name == "sqlite":  # PostgreSQL: the sequence was never behind
            assert new_id == 10
