"""`flask seed-demo`: a demo a commune would recognise, built from nothing and never twice;
`seed-demo --articles N` for a big site; `flask remove-demo` back to a clean site."""

import io
import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import current_app
from PIL import Image, ImageChops, ImageStat
from sqlalchemy import func, select

from models import (
    Article,
    Category,
    Document,
    DocumentComment,
    Media,
    Official,
    Page,
    Poll,
    PollChoice,
    Question,
    Revision,
    ScheduleEntry,
    ScheduleWeek,
    Setting,
    User,
    db,
)
from ops import seed
from ops import seed_content as content
from vietnamese import fold

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def seed_by_command() -> str:
    """Run `flask seed-demo` as `make run` does, on NOW; return what it said."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seed, "utcnow", lambda: NOW)
        result = current_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def seeded_output(seeded):
    """What `flask seed-demo` said as it seeded the test's site, on NOW.

    The site is a copy of one seeded per session (on SQLite): seeding draws and encodes 18
    pictures."""
    return seeded("demo-at-now", seed_by_command)


@pytest.fixture
def demo(seeded_output):
    """The demo site as `make run` seeds it, on NOW; returns the admin's password."""
    return re.search(r"Mật khẩu .*: (\S+)", seeded_output)[1]


def seeded_texts() -> list[str]:
    """Every text the demo put where a reader or an editor sees it."""
    texts = []
    for article in db.session.scalars(select(Article)):
        texts += [article.title, article.summary, article.body_text, article.image_caption,
                  article.body, article.author, article.source]  # fmt: skip
    for page in db.session.scalars(select(Page)):
        texts += [page.title, page.body]
    for document in db.session.scalars(select(Document)):
        texts += [document.number, document.title, document.issuer, document.field]
    for official in db.session.scalars(select(Official)):
        texts += [official.name, official.title]
    for question in db.session.scalars(select(Question)):
        texts += [question.title, question.body, question.answer_text]
    texts += [c.name + " " + c.description for c in db.session.scalars(select(Category))]
    texts += list(Setting.values().values())
    return texts


def sentences(text: str) -> set[str]:
    parts = re.split(r"(?<=[.!?:;])\s+|\n+", text)
    return {fold(part).strip(" .") for part in parts if len(part.split()) >= 4}


# --- What the demo holds ---------------------------------------------------------------------


def test_seed_demo_builds_a_whole_demo_site(seeded_output, demo):
    assert "Đã tạo dữ liệu mẫu" in seeded_output and "Tài khoản quản trị: admin" in seeded_output
    password = demo

    assert count(Category) >= 6
    visible = db.session.scalars(Article.visible()).all()
    assert len(visible) >= 40
    assert len({a.title for a in visible}) == len(visible)
    assert sum(1 for a in visible if a.image_id) >= 20
    assert all(a.author and a.source and a.summary and a.body_text for a in visible)
    assert {a.category_id for a in visible} == set(db.session.scalars(select(Category.id)))
    assert count(Article, Article.featured) >= 3
    # A few the public must not see, so the editor desk has something to show.
    assert count(Article) > len(visible)
    pending = db.session.scalar(select(Article).where(Article.status == "pending"))
    assert pending.creator.role == "author"

    assert count(Page) >= 4
    assert Setting.values()["site_name"].startswith("Cổng thông tin điện tử xã")
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    assert admin.role == "admin" and admin.check_password(password)
    assert {u.role for u in db.session.scalars(select(User))} == {"admin", "editor", "author"}


def test_the_demo_shows_answered_questions_from_the_menu(demo, client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/hoi-dap"' in home
    page = client.get("/hoi-dap").get_data(as_text=True)
    assert "Cấp đổi giấy chứng nhận quyền sử dụng đất bị rách" in page
    assert count(Question, Question.status == "waiting") >= 1  # the desk has one to answer
    schedule = client.get("/lich-cong-tac?tuan=2026-11-30").get_data(as_text=True)
    assert "Tiếp công dân định kỳ" in schedule and 'href="/lich-cong-tac"' in home
    assert 'href="/tham-do-y-kien"' in home
    assert "Bà con mong xã ưu tiên" in client.get("/tham-do-y-kien").get_data(as_text=True)
    draft = db.session.scalar(select(Document).where(Document.comments_from.is_not(None)))
    page = client.get(f"/van-ban/x-{draft.id}/gop-y").get_data(as_text=True)
    assert "Gửi góp ý" in page and "vùng cao" in page


def test_demo_news_is_dated_from_the_new_commune_to_today(demo):
    visible = db.session.scalars(Article.visible(NOW)).all()
    newest, oldest = visible[0].publish_at, visible[-1].publish_at
    assert newest <= NOW and oldest >= datetime(2025, 6, 30, 17, 0, tzinfo=UTC)
    assert newest - oldest > timedelta(days=300)
    # Seasonal stories fall in their month: Tết gifts in January, the school year in September.
    opening = db.session.scalar(select(Article).where(Article.title.contains("khai giảng")))
    assert opening.publish_at.month == 9


def test_no_district_in_a_commune_of_the_two_level_administration(demo):
    """Districts were abolished on 1 July 2025; the demo's news is dated after that."""
    offending = [text for text in seeded_texts() if "huyện" in text.lower()]
    assert offending == []
    everything = " ".join(seeded_texts())
    for name in ("UBND xã", "HĐND xã", "Đảng ủy xã", "tỉnh Lâm Vân"):
        assert name in everything


DAY_MONTH = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?")
NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
MONTH = re.compile(r"tháng\s+(\d{1,2})\b")


def test_every_date_in_the_demo_is_a_real_date(demo):
    found = 0
    for text in seeded_texts():
        for day, month, year in DAY_MONTH.findall(text) + NUMERIC.findall(text):
            date(int(year or 2024), int(month), int(day))  # 2024: 29 February is real
            found += 1
        for month in MONTH.findall(text):
            assert 1 <= int(month) <= 12, text
    assert found >= 5  # the test reads real dates, not nothing


def test_each_story_is_told_once(demo):
    bodies = [(a.title, sentences(a.body_text)) for a in db.session.scalars(select(Article))]
    for (title, one), (other, two) in itertools.combinations(bodies, 2):
        shared = one & two
        assert len(shared) <= 0.1 * min(len(one), len(two)), (title, other, shared)


def test_document_numbers_look_like_real_ones(demo):
    numbers = list(db.session.scalars(select(Document.number)))
    kinds = "QĐ|KH|TB|NQ|CT|BC|HD|TTr"
    pattern = re.compile(rf"^\d{{1,4}}/(\d{{4}}/)?({kinds})-(UBND|HĐND)$|^\d+/UBND-\w+$")
    assert numbers and all(pattern.match(number) for number in numbers), numbers
    assert len(set(numbers)) == len(numbers)
    assert "12/KH-UBND" in numbers and "08/TB-UBND" in numbers


# --- Pictures ----------------------------------------------------------------------------------


def thumbnail(media: Media) -> Image.Image:
    from media.store import storage_path

    with open(storage_path(media.stored_name), "rb") as original:
        return Image.open(io.BytesIO(original.read())).convert("RGB").resize((64, 36))


def test_demo_pictures_are_different_drawings(demo):
    images = db.session.scalars(select(Media).where(Media.kind == "image")).all()
    assert len(images) >= 14
    assert len({m.sha256 for m in images}) == len(images)
    assert all((m.width, m.height) == (1280, 720) for m in images)
    small = [thumbnail(m) for m in images]
    for (one, a), (two, b) in itertools.combinations(zip(images, small, strict=True), 2):
        difference = sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3
        assert difference > 8, (one.original_name, two.original_name, difference)


def test_captions_say_what_the_picture_shows(demo):
    illustrated = db.session.scalars(select(Article).where(Article.image_id.is_not(None))).all()
    scenes_used = set()
    for article in illustrated:
        scene = article.image.original_name.rsplit("-", 1)[0]
        scenes_used.add(scene)
        words = content.SCENES[scene]
        assert any(fold(word) in fold(article.image_caption) for word in words), (
            article.image.original_name, article.image_caption,
        )  # fmt: skip
    assert len(scenes_used) == len(content.SCENES)
    for story in content.STORIES:
        if story.figure:
            scene, caption = story.figure
            assert any(fold(word) in fold(caption) for word in content.SCENES[scene]), caption


# --- Idempotent, and only on an empty site ----------------------------------------------------


def test_seed_demo_is_idempotent(demo, runner):
    articles, users = count(Article), count(User)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "không thêm dữ liệu mẫu" in again.output
    assert "Mật khẩu" not in again.output
    assert (count(Article), count(User)) == (articles, users)


def test_seed_demo_leaves_a_site_in_use_alone(app, runner, make_user, make_article):
    make_user(username="chutich", role="admin")
    make_article(title="Thông báo họp dân")
    result = runner.invoke(args=["seed-demo"])
    assert "không thêm dữ liệu mẫu" in result.output
    assert count(Article) == 1
    big = runner.invoke(args=["seed-demo", "--articles", "50"])
    assert big.exit_code != 0 and "nội dung thật" in big.output
    assert count(Article) == 1


def test_seed_demo_on_a_site_that_holds_only_accounts_then_back(app, runner, make_user):
    """The README's province order: `site add` (a title), `create-user`, then `seed-demo`."""
    Setting.put("site_name", "Cổng thông tin điện tử xã Trà Leng")
    db.session.commit()
    quantri = make_user(username="quantri", role="admin")
    mai = make_user(username="bientap_mai", role="author", display_name="Mai của xã")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Tài khoản quản trị: quantri" in result.output and "Mật khẩu" not in result.output
    assert count(Article) == 45
    assert count(Article, Article.created_by == quantri.id) > 0
    assert {u.username for u in db.session.scalars(select(User))} == {
        "quantri", "bientap_mai", "phongvien_son"}
    db.session.refresh(mai)
    assert mai.display_name == "Mai của xã" and mai.role == "author"  # her own, untouched

    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Tài khoản quantri được giữ lại" in result.output
    assert {u.username for u in db.session.scalars(select(User))} == {"quantri", "bientap_mai"}
    assert Setting.values()["site_name"] == "Cổng thông tin điện tử xã Trà Leng"
    assert count(Article) == 0


def test_remove_demo_keeps_a_demo_account_people_used_and_says_so(demo, runner, client):
    """One demo account got its own password and published; the untouched one goes."""
    assert runner.invoke(args=["set-password", "phongvien_son", "--password", "mat-khau-cua-son"]
                         ).exit_code == 0  # fmt: skip
    client.post("/admin/login", data={"username": "phongvien_son",
                                      "password": "mat-khau-cua-son"})  # fmt: skip
    category = db.session.scalar(select(Category).where(Category.slug == "thong-bao"))
    son = db.session.scalar(select(User).where(User.username == "phongvien_son"))
    article = Article(title="Lịch tiêm chủng tháng 6", slug="lich-tiem-chung", status="draft",
                      category=category, body="<p>Tiêm chủng tại trạm y tế.</p>",
                      body_text="Tiêm chủng tại trạm y tế.", created_by=son.id)  # fmt: skip
    db.session.add(article)
    db.session.commit()

    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Giữ tài khoản mẫu “phongvien_son” (Nông Văn Sơn): đã được dùng" in result.output
    assert "đã có người đăng nhập" in result.output and "viết hoặc sửa 1 tin bài" in result.output
    db.session.expire_all()
    assert {u.username for u in db.session.scalars(select(User))} == {"admin", "phongvien_son"}
    assert db.session.get(Article, article.id).created_by == son.id  # her article keeps her


def test_remove_demo_keeps_a_demo_account_whose_password_was_set(demo, runner):
    runner.invoke(args=["set-password", "bientap_mai", "--password", "mat-khau-cua-mai"])
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert "Giữ tài khoản mẫu “bientap_mai”" in result.output
    assert "mật khẩu hoặc thông tin đã đổi" in result.output


def test_seeded_pages_render(demo, client):
    article = db.session.scalars(Article.visible().where(Article.image_id.is_not(None))).first()
    for url in ("/", f"/tin/{article.slug}-{article.id}", "/trang/gioi-thieu", "/trang/contact"):
        assert client.get(url).status_code == 200, url
    image_url = f"/media/{article.image_id}-480.webp"
    with client.get(image_url) as response:
        assert response.status_code == 200 and response.mimetype == "image/webp"
        assert response.get_data()[8:12] == b"WEBP"


def test_seeded_documents_carry_a_downloadable_pdf(demo, client):
    documents = db.session.scalars(select(Document)).all()
    assert len(documents) >= 10
    assert all(len(d.attachments) == 1 for d in documents)
    item = documents[0].attachments[0]
    assert item.media.mime_type == "application/pdf"
    with client.get(f"/tep/{item.id}") as response:
        assert response.status_code == 200
        assert response.get_data().startswith(b"%PDF-")
        assert ".pdf" in response.headers["Content-Disposition"]


# --- A big site on demand ------------------------------------------------------------------


def test_seed_demo_articles_grows_the_demo_to_n_articles(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--articles", "400"])
    assert result.exit_code == 0, result.output
    assert "Đã thêm" in result.output and "Mật khẩu" in result.output
    assert count(Article) == 400
    generated = db.session.scalars(
        select(Article).where(Article.publish_at.is_not(None)).order_by(Article.publish_at)
    ).all()
    years = {a.publish_at.year for a in generated}
    assert len(years) >= 2
    assert {a.category_id for a in generated} == set(db.session.scalars(select(Category.id)))
    assert not any("huyện" in a.title + a.body_text for a in generated)
    # The generated articles are found by search like any other: the index was rebuilt.
    oldest = generated[0]
    word = oldest.title.split()[0]
    assert f"/tin/{oldest.slug}-{oldest.id}" in client.get(
        "/tim-kiem", query_string={"q": oldest.title}
    ).get_data(as_text=True), word
    # Asking again for the same size adds nothing; asking for more tops the demo up.
    again = runner.invoke(args=["seed-demo", "--articles", "400"])
    assert again.exit_code == 0 and "đã có" in again.output and count(Article) == 400
    more = runner.invoke(args=["seed-demo", "--articles", "450"])
    assert more.exit_code == 0 and count(Article) == 450


# --- Back to a clean site --------------------------------------------------------------------


def real_content(make_user):
    """What an operator adds beside the demo: an editor and an article with a demo picture."""
    editor = make_user(username="chutich", role="editor")
    category = db.session.scalar(select(Category).where(Category.slug == "thong-bao"))
    picture = db.session.scalar(select(Media).where(Media.kind == "image"))
    article = Article(
        title="Thông báo họp dân thôn Trung Tâm", slug="thong-bao-hop-dan", status="published",
        publish_at=NOW, category=category, body="<p>Họp dân lúc 19 giờ.</p>",
        body_text="Họp dân lúc 19 giờ.", image=picture, created_by=editor.id,
    )  # fmt: skip
    db.session.add(article)
    db.session.commit()
    return editor, article, picture


def test_remove_demo_leaves_a_clean_site_and_the_admin(demo, runner, app):
    files = [m.stored_name for m in db.session.scalars(select(Media))]
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Đã xóa dữ liệu mẫu: 45 tin bài, 16 văn bản" in result.output
    for model in (Article, Document, Media, Page, Official, Category, Revision, Question,
                  ScheduleWeek, ScheduleEntry, Poll, PollChoice, DocumentComment):
        assert count(model) == 0, model
    assert [u.username for u in db.session.scalars(select(User))] == ["admin"]
    assert Setting.values()["site_name"] == "Cổng thông tin điện tử xã"  # back to the default
    assert db.session.get(Setting, seed.MARKER) is None
    from media.store import storage_path

    assert files and not any(__import__("os").path.exists(storage_path(f)) for f in files)
    again = runner.invoke(args=["remove-demo", "--yes"])
    assert again.exit_code != 0 and "Không có dữ liệu mẫu" in again.output


def test_remove_demo_asks_first(demo, runner):
    refused = runner.invoke(args=["remove-demo"], input="n\n")
    assert refused.exit_code != 0 and "45 tin bài" in refused.output
    assert "Đã hủy, không thay đổi gì." in refused.output and "Aborted" not in refused.output
    assert count(Article) == 45
    accepted = runner.invoke(args=["remove-demo"], input="y\n")
    assert accepted.exit_code == 0 and count(Article) == 0


def test_remove_demo_keeps_what_the_operator_made_or_changed(demo, runner, make_user):
    editor, article, picture = real_content(make_user)
    Setting.put("site_name", "Cổng thông tin điện tử xã Tân Lập")
    page = db.session.scalar(select(Page).where(Page.slug == "lien-he"))
    page.body = "<p>Điện thoại: 0210 3 555 000</p>"
    db.session.commit()

    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalars(select(Article)).all() == [article]
    assert article.image == picture  # the demo picture it uses stays
    assert {u.username for u in db.session.scalars(select(User))} == {"admin", "chutich"}
    assert Setting.values()["site_name"] == "Cổng thông tin điện tử xã Tân Lập"
    assert [p.slug for p in db.session.scalars(select(Page))] == ["lien-he"]
    assert [c.slug for c in db.session.scalars(select(Category))] == ["thong-bao"]
    assert "Liên hệ" in result.output and "Thông báo" in result.output


def test_remove_demo_can_keep_the_menu(demo, runner):
    result = runner.invoke(args=["remove-demo", "--yes", "--keep-categories"])
    assert result.exit_code == 0, result.output
    assert count(Category) == len(content.CATEGORIES) and count(Article) == 0


def test_remove_demo_on_a_site_that_never_had_one(app, runner, make_user):
    make_user(username="chutich", role="admin")
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code != 0 and "Không có dữ liệu mẫu" in result.output
    assert count(User) == 1


def test_remove_demo_removes_a_big_site_too(demo, runner, client):
    assert runner.invoke(args=["seed-demo", "--articles", "300"]).exit_code == 0
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0 and "300 tin bài" in result.output
    assert count(Article) == 0
    assert "Không tìm thấy" in client.get("/tim-kiem?q=thon").get_data(as_text=True)
