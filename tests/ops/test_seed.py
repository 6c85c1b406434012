"""`flask seed-demo`: a believable demo site from nothing, and never twice."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from models import Article, Category, Media, Page, Setting, User, db


def count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_seed_demo_builds_a_whole_demo_site(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Mật khẩu .*: (\S+)", result.output)[1]

    assert count(Category) >= 6
    visible = db.session.scalars(Article.visible()).all()
    assert len(visible) >= 80
    span = visible[0].publish_at - visible[-1].publish_at
    assert timedelta(days=600) < span <= timedelta(days=731)
    assert len({a.title for a in visible}) == len(visible)
    assert sum(1 for a in visible if a.image_id) >= 20
    assert all(a.author and a.source and a.summary and a.body_text for a in visible)
    assert {a.category_id for a in visible} == set(db.session.scalars(select(Category.id)))
    assert count(Article, Article.featured) >= 3
    # A few the public must not see, so the editor desk has something to show.
    assert count(Article) > len(visible)

    assert count(Page) >= 4
    assert Setting.values()["site_name"].startswith("Cổng thông tin điện tử xã")
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    assert admin.username == "admin" and admin.check_password(password)


def test_seed_images_are_drawn_and_stored_once(app, runner):
    runner.invoke(args=["seed-demo"])
    images = db.session.scalars(select(Media).where(Media.kind == "image")).all()
    assert len(images) >= 10
    assert len({m.sha256 for m in images}) == len(images)
    assert all(m.width == 1600 and m.height == 900 for m in images)


def test_seed_demo_is_idempotent(app, runner):
    runner.invoke(args=["seed-demo"])
    articles, users = count(Article), count(User)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "không thêm dữ liệu mẫu" in again.output
    assert "Mật khẩu" not in again.output
    assert (count(Article), count(User)) == (articles, users)


def test_seed_demo_leaves_a_site_in_use_alone(app, runner, make_user):
    make_user(username="chutich", role="admin")
    result = runner.invoke(args=["seed-demo"])
    assert "không thêm dữ liệu mẫu" in result.output
    assert count(Article) == 0


def test_seeded_pages_render(app, client, runner):
    runner.invoke(args=["seed-demo"])
    article = db.session.scalars(Article.visible().where(Article.image_id.is_not(None))).first()
    for url in ("/", f"/tin/{article.slug}-{article.id}", "/trang/gioi-thieu", "/trang/contact"):
        assert client.get(url).status_code == 200, url
    image_url = f"/media/{article.image_id}-480.webp"
    with client.get(image_url) as response:
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.get_data()[8:12] == b"WEBP"


def test_seeded_documents_carry_a_downloadable_pdf(app, client, runner):
    from models import Document

    runner.invoke(args=["seed-demo"])
    documents = db.session.scalars(select(Document)).all()
    assert len(documents) >= 10
    assert all(len(d.attachments) == 1 for d in documents)
    item = documents[0].attachments[0]
    assert item.media.mime_type == "application/pdf"
    with client.get(f"/tep/{item.id}") as response:
        assert response.status_code == 200
        assert response.get_data().startswith(b"%PDF-")
        assert ".pdf" in response.headers["Content-Disposition"]
