from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import models
from models import Article, Category, Revision, Setting, User, db


def visible_ids():
    return [a.id for a in db.session.scalars(Article.visible())]


def test_published_article_in_the_past_is_visible(clock, make_article):
    article = make_article(publish_at=clock.now - timedelta(minutes=1))
    assert visible_ids() == [article.id]
    assert article.is_visible()


def test_scheduled_article_appears_when_its_time_comes_without_any_job(clock, make_article):
    article = make_article(publish_at=clock.now + timedelta(seconds=1))
    assert visible_ids() == []
    assert not article.is_visible()
    clock.advance(seconds=1)
    assert visible_ids() == [article.id]
    assert article.is_visible()


def test_article_disappears_at_its_expiry(clock, make_article):
    article = make_article(
        publish_at=clock.now - timedelta(days=1), expire_at=clock.now + timedelta(seconds=1)
    )
    assert visible_ids() == [article.id]
    clock.advance(seconds=1)
    assert visible_ids() == []
    assert not article.is_visible()


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_unpublished_articles_are_never_visible(clock, make_article, status):
    make_article(status=status, publish_at=clock.now - timedelta(days=1))
    assert visible_ids() == []


def test_published_without_a_date_is_not_visible(make_article):
    make_article(status="published", publish_at=None)
    assert visible_ids() == []


def test_visible_orders_newest_first_and_breaks_ties_by_id(clock, make_article):
    same_time = clock.now - timedelta(hours=1)
    first = make_article(publish_at=same_time)
    second = make_article(publish_at=same_time)
    newest = make_article(publish_at=clock.now - timedelta(minutes=1))
    assert visible_ids() == [newest.id, second.id, first.id]


def test_datetimes_come_back_aware_in_utc(make_article):
    article = make_article()
    db.session.expire_all()
    reloaded = db.session.get(Article, article.id)
    assert reloaded.publish_at.tzinfo is not None
    assert reloaded.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(make_article):
    from datetime import datetime

    with pytest.raises(Exception, match="naive"):
        make_article(publish_at=datetime(2026, 1, 1))
    db.session.rollback()


def test_a_stale_version_is_refused_instead_of_overwriting(app, make_article):
    article = make_article()
    article.title = "Sửa lần một"
    db.session.commit()
    assert article.version == 2
    # I keep my copy (version 2) while another editor saves version 3.
    db.session.expunge(article)
    db.session.rollback()
    with db.engine.begin() as other:
        other.execute(Article.__table__.update().values(version=3, title="Bản của người khác"))
    db.session.add(article)
    article.title = "Sửa lần hai"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Article, article.id).title == "Bản của người khác"


def test_status_must_be_one_of_the_three(make_article):
    with pytest.raises(IntegrityError):
        make_article(status="archived")
    db.session.rollback()


def test_user_password_is_hashed_and_checked(make_user):
    user = make_user(password="bí mật 123")
    assert "bí mật" not in user.password_hash
    assert user.check_password("bí mật 123")
    assert not user.check_password("bi mat 123")


def test_production_hashing_is_scrypt(app):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    user = User(username="x", role="author")
    user.set_password("abc")
    assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("role", "own", "status", "allowed"),
    [
        ("admin", False, "published", True),
        ("editor", False, "published", True),
        ("author", True, "draft", True),
        ("author", True, "pending", True),
        ("author", True, "published", False),
        ("author", False, "draft", False),
    ],
)
def test_who_may_edit_an_article(make_user, make_article, role, own, status, allowed):
    user = make_user(username=f"u-{role}", role=role)
    other = make_user(username="someone-else", role="author")
    article = make_article(status=status, created_by=user.id if own else other.id)
    assert user.can_edit(article) is allowed


def test_settings_fall_back_to_defaults(app):
    Setting.put("site_name", "Cổng thông tin xã A")
    db.session.commit()
    values = Setting.values()
    assert values["site_name"] == "Cổng thông tin xã A"
    assert values["portal_national"] == "https://dichvucong.gov.vn"
    assert set(values) == set(models.SETTINGS)


def test_deleting_an_article_deletes_its_revisions(make_article):
    article = make_article()
    db.session.add(Revision(article=article, data={"title": article.title}))
    db.session.commit()
    db.session.delete(article)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 0


# --- Every public listing reads its own index ------------------------------------------------


def query_plan(statement) -> str:
    """The database's plan for a statement, as one string (SQLite or PostgreSQL)."""
    compiled = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(text("EXPLAIN QUERY PLAN " + compiled)).all()
        return " / ".join(row[-1] for row in rows)
    # A test table is tiny, so PostgreSQL would rightly read it whole: ask whether the
    # index can serve the query, which is what matters at 100,000 articles.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    return " / ".join(row[0] for row in db.session.execute(text("EXPLAIN " + compiled)))


LISTINGS = {
    "latest news (home, RSS, sitemap)": (lambda: Article.visible().limit(10), "ix_article_visible"),
    "featured news": (
        lambda: Article.visible().where(Article.featured).limit(4),
        "ix_article_featured_visible",
    ),
    "a category, far page": (
        lambda: Article.visible().where(Article.category_id == 3).offset(150).limit(10),
        "ix_article_category_visible",
    ),
    # Every visible row matches, so any index holding the visibility columns serves.
    "counting visible articles": (
        lambda: select(func.count()).select_from(Article).where(Article.visibility()),
        "ix_article_",
    ),
}


@pytest.fixture
def archive(app):
    """A few thousand articles in twenty categories, few featured, and fresh statistics, so
    that the planners choose as they would at 100,000."""
    now = models.utcnow()
    db.session.execute(
        insert(Category.__table__),
        [{"name": f"Mục {n}", "slug": f"muc-{n}", "description": "", "position": n,
          "created_at": now, "updated_at": now} for n in range(20)],
    )  # fmt: skip
    category_ids = list(db.session.scalars(select(Category.id)))
    rows = [
        {"title": f"Tin {n}", "slug": f"tin-{n}", "summary": "", "body": "", "body_text": "",
         "category_id": category_ids[n % 20], "author": "", "source": "", "image_caption": "",
         "image_alt": "", "status": "published", "featured": n % 100 == 0, "version": 1,
         "search_folded": "", "publish_at": now - timedelta(hours=n), "created_at": now,
         "updated_at": now}
        for n in range(4000)
    ]  # fmt: skip
    db.session.execute(insert(Article.__table__), rows)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


@pytest.mark.parametrize("name", LISTINGS)
def test_each_listing_is_served_by_its_index(archive, name):
    build, index = LISTINGS[name]
    plan = query_plan(build())
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, f"sorting outside the index: {plan}"


def test_the_sitemap_reads_one_index_step_per_category(app, archive):
    import feeds

    plan = query_plan(feeds.categories_with_newest())
    assert "ix_article_category_visible" in plan, plan
    if db.engine.dialect.name == "sqlite":
        # The one sort is the categories' menu order, never the articles.
        assert plan.count("TEMP B-TREE") == 1 and "SCAN article" not in plan, plan


def test_a_sitemap_file_walks_only_its_range_of_ids(app, archive):
    import feeds

    plan = query_plan(feeds.articles_in_range(1000, 2000))
    if db.engine.dialect.name == "sqlite":
        assert "USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "Index Cond: ((id > 1000) AND (id <= 2000))" in plan, plan


def test_counting_never_reads_the_table(archive):
    plan = query_plan(select(func.count()).select_from(Article).where(Article.visibility()))
    if db.engine.dialect.name == "sqlite":
        assert "COVERING INDEX ix_article_visible" in plan
    else:
        assert "Index Only Scan" in plan or "Bitmap Index Scan" in plan, plan


def test_sqlite_sites_share_compiled_sql_and_each_reads_its_own_file(make_app, tmp_path):
    """A province's second site finds its SQL already compiled, yet reads only its own rows."""
    apps = [make_app(tmp_path / name, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}.db")
            for name in ("tra-leng", "hoa-son")]  # fmt: skip
    query = select(Category.name).where(Category.slug == "tin-xa")
    seen = []
    for app in apps:
        with app.app_context():
            db.create_all()
            db.session.add(Category(name=f"Tin {app.instance_path}", slug="tin-xa", position=1))
            db.session.commit()
            with db.engine.connect() as connection:
                result = connection.execute(query)
                hit = result.context.cache_hit == db.engine.dialect.CACHE_HIT
                seen.append((result.scalar_one(), hit))
    (first, _), (second, second_found_it_compiled) = seen
    assert first.endswith("tra-leng/instance") and second.endswith("hoa-son/instance")
    assert second_found_it_compiled
