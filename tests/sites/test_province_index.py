"""The province's one search index (sites/index.py): a combined search reads it, never the
communes' own databases, and each site keeps its share current as it writes."""

import pytest
from officers import add_article, run, site_app, text
from sqlalchemy import insert, select, update

import models
from extensions import data_imported
from models import Article, Category, Setting, db
from sites import index as province_index


def index_of(province) -> province_index.ProvinceIndex:
    return province_index.index_at(province.config["SITES_DATABASE_URI"])


def search(province, words: str, address: str = "10.9.9.9"):
    client = province.client()
    return client.client.get(f"/tim-kiem?q={words}", base_url="http://localhost",
                             environ_base={"REMOTE_ADDR": address})  # fmt: skip


def test_attack_a_new_combined_search_opens_no_communes_database(fresh, monkeypatch):
    """Issue 20.5: each new query ran every commune's own search (0.8–4 s at 150 sites)."""
    dispatcher = fresh.app.extensions["province"]

    def refuse(site):
        raise AssertionError(f"the search opened {site.name}'s app")

    monkeypatch.setattr(dispatcher, "app_for", refuse)
    page = text(search(fresh, "duong thon"))
    assert "traleng.test/tin/tin-ve-duong-thon" in page
    assert "hoason.test/tin/tin-ve-duong-thon" in page
    assert "<mark>đường</mark>" in page


def test_attack_new_searches_are_limited_per_address_but_kept_ones_are_free(fresh):
    for number in range(20):
        assert search(fresh, f"tu{number}khoa").status_code == 200
    refused = search(fresh, "mot-tu-nua")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "Tìm kiếm quá nhiều" in text(refused)
    assert search(fresh, "tu3khoa").status_code == 200  # a kept page: not counted
    assert search(fresh, "mot-tu-nua", address="10.8.8.8").status_code == 200


def test_publishing_reaches_the_combined_search_and_unpublishing_leaves_it(fresh):
    article_id = add_article(fresh, "tra-leng", "Khai trương chợ phiên Khoaimon")
    assert "Khai trương chợ phiên" in text(search(fresh, "khoaimon"))
    with site_app(fresh, "tra-leng").app_context():
        db.session.get(Article, article_id).status = "draft"
        db.session.commit()
    assert "Không tìm thấy kết quả nào" in text(search(fresh, "khoaimon"))
    with site_app(fresh, "tra-leng").app_context():
        article = db.session.get(Article, article_id)
        article.status = "published"
        db.session.commit()
        db.session.delete(article)
        db.session.commit()
    assert "Không tìm thấy kết quả nào" in text(search(fresh, "khoaimon"))


def test_documents_are_found_with_their_number(fresh):
    page = text(search(fresh, "quyet dinh"))
    assert "Văn bản" in page and "01/tra-leng" in page and "01/hoa-son" in page


def test_a_renamed_commune_shows_its_new_name_in_results(fresh):
    with site_app(fresh, "hoa-son").app_context():
        Setting.put("site_name", "Phường Hòa Sơn mới")
        db.session.commit()
    assert "Phường Hòa Sơn mới" in text(search(fresh, "duong thon"))


def test_rows_written_past_the_orm_are_indexed_after_an_import(fresh):
    app = site_app(fresh, "hoa-son")
    with app.app_context():
        category = db.session.scalar(select(Category.id))
        db.session.execute(insert(Article).values(
            title="Tin nhập Caphemuoi", slug="nhap", summary="", body="<p>x</p>", body_text="x",
            category_id=category, status="published", publish_at=models.utcnow()))  # fmt: skip
        db.session.commit()
    assert "Không tìm thấy kết quả nào" in text(search(fresh, "caphemuoi"))
    with app.app_context():  # as `flask import` and a restore send it
        data_imported.send(app)
    assert "Tin nhập <mark>Caphemuoi</mark>" in text(search(fresh, "caphemuoi"))


def test_upgrade_db_builds_a_missing_share_of_the_index(fresh, monkeypatch):
    index = index_of(fresh)
    index.forget_site("tra-leng")
    assert not index.has_site("tra-leng")
    monkeypatch.setenv("BANTIN_SITE", "tra-leng")
    result = run(fresh.app, "upgrade-db")
    assert result.exit_code == 0, result.output
    assert "Chỉ mục tìm kiếm chung của tỉnh" in result.output
    assert index.has_site("tra-leng")


def test_a_failed_index_write_never_fails_the_editors_save(fresh, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise province_index.SQLAlchemyError("registry unreachable")

    monkeypatch.setattr(province_index.ProvinceIndex, "replace", broken)
    article_id = add_article(fresh, "tra-leng", "Tin vẫn lưu được")
    with site_app(fresh, "tra-leng").app_context():
        assert db.session.get(Article, article_id).title == "Tin vẫn lưu được"
    assert "missed a change" in caplog.text


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_unpublished_work_never_enters_the_index(fresh, status):
    add_article(fresh, "tra-leng", f"Bài {status} Bimatxa", status=status)
    with site_app(fresh, "tra-leng").app_context():
        db.session.execute(update(Article).where(Article.title.contains("Bimatxa"))
                           .values(summary="đổi"))  # fmt: skip
        db.session.commit()
    assert "Bimatxa" not in text(search(fresh, "bimatxa"))
