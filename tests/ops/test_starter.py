"""A new site begins with the usual categories of a commune portal (ops/starter.py), and the
demo replaces them without a clash."""

from sqlalchemy import func, select

from models import Article, Category, Setting, db
from ops import starter


def category_names() -> list[str]:
    return list(db.session.scalars(select(Category.name).order_by(Category.position)))


def test_upgrade_db_gives_a_new_database_the_usual_categories_once(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["upgrade-db"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo 7 chuyên mục thường dùng" in result.output
    names = category_names()
    assert names[0] == "Tin tức – Sự kiện" and "Thông báo" in names and len(names) == 7
    db.session.remove()
    again = runner.invoke(args=["upgrade-db"])
    assert "chuyên mục" not in again.output
    assert len(category_names()) == 7


def test_the_starter_menu_is_added_only_to_a_site_without_categories_or_articles(app,
                                                                                make_category):
    make_category(name="Tin xã", slug="tin-xa")
    assert starter.begin_site() == 0
    assert category_names() == ["Tin xã"]


def test_a_deleted_starter_menu_does_not_come_back(app):
    assert starter.begin_site() == 7
    db.session.execute(Category.__table__.delete())
    db.session.commit()
    assert starter.begin_site() == 0
    assert category_names() == []


def test_seed_demo_replaces_the_untouched_starter_menu(empty_app):
    runner = empty_app.test_cli_runner()
    runner.invoke(args=["upgrade-db"])
    db.session.remove()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Mật khẩu" in result.output
    names = category_names()
    assert "Tin hoạt động" in names and "Tin tức – Sự kiện" not in names
    assert db.session.get(Setting, starter.MARKER) is None
    assert db.session.scalar(select(func.count()).select_from(Article)) > 0


def test_seed_demo_keeps_off_a_site_whose_starter_menu_was_edited(app):
    starter.begin_site()
    category = db.session.scalar(select(Category).where(Category.slug == "kinh-te"))
    category.name = "Kinh tế – Nông nghiệp"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert "đã có nội dung" in result.output
    assert "Kinh tế – Nông nghiệp" in category_names() and len(category_names()) == 7
