"""Merging communes: the old site's content moves into the new one, and its old addresses,
on its old host names, answer 301 to the new ones."""

import os
import re

import pytest
from two_sites import HOSTS, MARKS

from models import Article, Category, ImportedItem, Media, User, db

OLD, NEW = "tra-leng", "hoa-son"


def run(province, *args):
    with province.app.app_context():
        return province.app.test_cli_runner().invoke(args=list(args))


def counts(province, name) -> dict:
    app = province.build(province.registry.require(name))
    with app.app_context():
        found = {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
                 for model in (Article, Category, Media, User, ImportedItem)}
        db.session.remove()
    return found


def test_merge_moves_the_content_under_a_category_naming_the_old_commune(fresh):
    before = counts(fresh, NEW)
    result = run(fresh, "merge-site", OLD, "--into", NEW)
    assert result.exit_code == 0, result.output
    assert "Tin xã tra-leng (cũ)" in result.output
    after = counts(fresh, NEW)
    assert after["Article"] == before["Article"] + 2  # the published one and the draft
    assert after["Media"] == before["Media"] + 3  # two images and the PDF
    new = fresh.client(NEW)
    category = new.get("/chuyen-muc/tin-tra-leng-cu")
    assert category.status_code == 200
    assert MARKS[OLD] in category.get_data(as_text=True)
    assert MARKS[OLD] in new.get("/tim-kiem?q=Tra+Leng+rieng").get_data(as_text=True)


def test_old_addresses_on_the_old_host_answer_301_to_the_new_ones(fresh):
    ids = fresh.ids[OLD]
    assert run(fresh, "merge-site", OLD, "--into", NEW).exit_code == 0
    old = fresh.client(OLD)
    moved = old.get(f"/tin/tin-ve-duong-thon-{ids['article']}?utm_source=zalo")
    assert moved.status_code == 301
    target = moved.headers["Location"]
    assert target.startswith(f"https://{HOSTS[NEW]}/tin/tin-ve-duong-thon-")
    page = fresh.client(NEW).get(target.removeprefix(f"https://{HOSTS[NEW]}"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and MARKS[OLD] in text
    shown = {int(n) for n in re.findall(r"/media/(\d+)-\d+\.", text)}
    own = 3  # the new site's own two images and its PDF come first
    assert shown and min(shown) > own, "the article shows the new site's copies of its images"
    image = fresh.client(NEW).get(f"/media/{min(shown)}-480.jpg")
    assert image.status_code == 200 and image.data[:2] == b"\xff\xd8"
    image.close()
    home = old.get("/")
    assert home.status_code == 301
    assert home.headers["Location"] == f"https://{HOSTS[NEW]}/chuyen-muc/tin-tra-leng-cu"
    for path in ("/trang/gioi-thieu", f"/van-ban/01-tra-leng-{ids['document']}",
                 "/chuyen-muc/tin-tuc", "/khong-con-nua"):
        response = old.get(path)
        assert response.status_code == 301, path
        assert response.headers["Location"].startswith(f"https://{HOSTS[NEW]}/"), path
    assert old.post("/admin/login").status_code == 301  # no desk on an old host
    draft = old.get(f"/tin/nhap-{ids['draft']}")
    assert draft.headers["Location"].endswith("/chuyen-muc/tin-tra-leng-cu"), \
        "a draft's address reveals nothing"


def test_the_old_communes_people_sign_in_to_the_new_site_but_not_as_admins(fresh):
    assert run(fresh, "merge-site", OLD, "--into", NEW).exit_code == 0
    client = fresh.client(NEW)
    assert client.login(fresh.ids[OLD]["user"]).status_code == 302
    app = fresh.build(fresh.registry.require(NEW))
    with app.app_context():
        moved = db.session.scalar(db.select(User).where(User.username == fresh.ids[OLD]["user"]))
        assert moved.role == "editor"
        db.session.remove()


def test_a_second_run_adds_nothing_and_a_dry_run_nothing_at_all(fresh):
    before = counts(fresh, NEW)
    dry = run(fresh, "merge-site", OLD, "--into", NEW, "--dry-run")
    assert dry.exit_code == 0 and "Chạy thử" in dry.output
    assert counts(fresh, NEW) == before
    assert fresh.registry.require(OLD).enabled
    assert run(fresh, "merge-site", OLD, "--into", NEW).exit_code == 0
    merged = counts(fresh, NEW)
    again = run(fresh, "merge-site", OLD, "--into", NEW)
    # The old site is disabled after the merge but still named: a repeat is harmless.
    assert again.exit_code == 0, again.output
    assert counts(fresh, NEW) == merged


def test_merging_a_backup_of_a_site_that_was_never_in_the_province(fresh, tmp_path):
    if fresh.registry.on_postgresql:
        pytest.skip("backups are of SQLite sites")
    with fresh.app.app_context():
        made = fresh.app.test_cli_runner().invoke(args=["backup"], env={"BANTIN_SITE": OLD})
    assert made.exit_code == 0, made.output
    folder = fresh.build(fresh.registry.require(OLD)).config["BACKUP_DIR"]
    archive = os.path.join(folder, os.listdir(folder)[0])
    assert run(fresh, "site", "remove", OLD, "--yes").exit_code == 0
    result = run(fresh, "merge-site", archive, "--into", NEW, "--name", "tra-leng",
                 "--host", "traleng.test", "--host", "www.traleng.test")
    assert result.exit_code == 0, result.output
    moved = fresh.app.test_client().get("/", base_url="http://www.traleng.test")
    assert moved.status_code == 301 and HOSTS[NEW] in moved.headers["Location"]


@pytest.mark.parametrize(("args", "message"), [
    (["merge-site", OLD, "--into", OLD], "chính nó"),
    (["merge-site", "khong-co", "--into", NEW], "Không có trang"),
    (["merge-site", OLD, "--into", "khong-co"], "Không có trang"),
    (["merge-site", "cu.zip", "--into", NEW], "--host"),
])
def test_merge_refuses_what_it_cannot_do_clearly(fresh, args, message):
    result = run(fresh, *args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_old_picture_addresses_answer_301_to_the_picture(fresh):
    """A picture linked from another site or a search engine stays a picture after a merge."""
    ids = fresh.ids[OLD]
    assert run(fresh, "merge-site", OLD, "--into", NEW).exit_code == 0
    old, new = fresh.client(OLD), fresh.client(NEW)
    for media_id, size in ((ids["lead"], "480.webp"), (ids["inline"], "960.jpg")):
        moved = old.get(f"/media/{media_id}-{size}")
        assert moved.status_code == 301
        target = moved.headers["Location"]
        assert re.fullmatch(rf"https://{re.escape(HOSTS[NEW])}/media/\d+-{size}", target), target
        assert "/chuyen-muc/" not in target
        image = new.get(target.removeprefix(f"https://{HOSTS[NEW]}"))
        assert image.status_code == 200 and image.mimetype.startswith("image/")
        image.close()
    unknown = old.get("/media/999999-480.jpg")  # not a picture of the old site: its home
    assert unknown.headers["Location"].endswith("/chuyen-muc/tin-tra-leng-cu")
