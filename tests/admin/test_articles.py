"""The article desk: the form and its actions, previews, the list, roles, and every path by
which an editor's text could be lost (validation, CSRF, ended session, conflicts, uploads)."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from desk import (
    PASSWORD,
    admin_rules,
    article_data,
    get_token,
    hostile_markup,
    switch_browser,
    token_from,
)
from PIL import Image
from sqlalchemy import func, select, text
from xss_vectors import VECTORS

from admin.blueprint import JSON_ENDPOINTS
from auth import NOT_RESCUED
from models import Article, AuditLog, Media, Revision, User, db

LONG_BODY = "<p>" + "Bà con thôn Đồng Tâm góp công góp của. " * 200 + "</p>"


@pytest.fixture
def category(make_category):
    return make_category(name="Tin hoạt động", slug="tin-hoat-dong")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def only_article() -> Article:
    return db.session.scalars(select(Article)).one()


def jpeg(size=(640, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def audit_actions() -> list[str]:
    return db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()


# --- The form ------------------------------------------------------------------------------


def test_the_form_has_every_field_named_as_the_model(client, auth, category):
    auth.login("editor")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    for name in ("title", "slug", "summary", "body", "category_id", "author", "source",
                 "image_upload", "image_id", "image_caption", "image_alt", "publish_at",
                 "expire_at", "featured", "version"):  # fmt: skip
        assert f'name="{name}"' in html, name
    for label in ("Lưu nháp", "Đăng", "Hẹn giờ", "Xem trước"):
        assert f">{label}</button>" in html
    assert 'enctype="multipart/form-data"' in html and "data-rich-editor" in html


def test_an_author_sees_only_draft_and_review_buttons(client, auth, category):
    auth.login("author")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert ">Lưu nháp</button>" in html and ">Gửi duyệt</button>" in html
    assert ">Đăng</button>" not in html and ">Hẹn giờ</button>" not in html
    assert main_action(html) == "Gửi duyệt"


def main_action(html: str) -> str:
    """The label of the form's one primary button (there must be exactly one)."""
    [label] = re.findall(r'class="btn primary main-action">([^<]+)</button>', html)
    return label


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_publishers_see_dang_as_the_one_main_action_and_no_gui_duyet(client, auth, category, role):
    auth.login(role)
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert main_action(html) == "Đăng"
    assert "Gửi duyệt" not in html
    assert 'class="btn secondary">Lưu nháp</button>' in html


def test_saving_a_draft_keeps_every_field_cleans_the_body_and_records_a_revision(
    client, auth, category, clock
):
    auth.login("editor")
    body = "<p class=MsoNormal>Khánh thành <b>đường mới</b><o:p></o:p></p><script>x()</script>"
    response = client.post(
        "/admin/articles/new",
        data=article_data(category.id, body=body, image_caption="Đường mới", featured="y"),
    )
    article = only_article()
    assert response.status_code == 302
    assert response.location == f"/admin/articles/{article.id}/edit"
    assert article.status == "draft" and article.publish_at is None
    assert article.slug == "duong-lang-moi-o-thon-dong-tam"
    assert article.body == "<p>Khánh thành <strong>đường mới</strong></p>"
    assert article.body_text == "Khánh thành đường mới"
    assert (article.summary, article.author, article.source, article.image_caption) == (
        "Bà con góp công làm 2 km đường bê tông.", "Lý Thị Hà", "Đài truyền thanh xã", "Đường mới"
    )  # fmt: skip
    assert article.featured and article.created_by == article.updated_by
    revision = db.session.scalars(select(Revision)).one()
    assert revision.note == "Lưu nháp" and revision.data["title"] == article.title
    page = client.get(response.location).get_data(as_text=True)
    assert "Đã lưu bản nháp." in page
    assert 'data-clear-drafts="/admin/articles/new"' in page


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Tin Đặc Biệt!", "tin-dac-biet"),
        ("duong-lang", "duong-lang"),
        ("  ", "duong-lang-moi-o-thon-dong-tam"),
    ],
)
def test_the_slug_is_editable_and_always_ascii(client, auth, category, typed, slug):
    auth.login("editor")
    client.post("/admin/articles/new", data=article_data(category.id, slug=typed))
    assert only_article().slug == slug


def test_publishing_makes_the_article_visible_and_is_audited(client, auth, category, clock):
    auth.login("editor")
    client.post("/admin/articles/new", data=article_data(category.id, action="publish"))
    article = only_article()
    assert article.status == "published" and article.publish_at == clock.now
    assert client.get(f"/tin/{article.slug}-{article.id}").status_code == 200
    assert audit_actions()[-1] == "publish"


def test_publishing_keeps_a_past_time_and_replaces_a_future_one(client, auth, category, clock):
    auth.login("editor")
    client.post(
        "/admin/articles/new",
        data=article_data(category.id, action="publish", publish_at="2026-05-13T08:30"),
    )
    assert only_article().publish_at == datetime(2026, 5, 13, 1, 30, tzinfo=UTC)
    article = only_article()
    client.post(
        f"/admin/articles/{article.id}/edit",
        data=article_data(
            category.id, action="publish", publish_at="2026-06-01T08:00", version=article.version
        ),
    )
    db.session.refresh(article)
    assert article.publish_at == clock.now


def test_scheduling_publishes_later_by_itself(client, auth, category, clock):
    auth.login("editor")
    response = client.post(
        "/admin/articles/new",
        data=article_data(category.id, action="schedule", publish_at="2026-05-14T18:00"),
    )
    article = only_article()
    assert article.status == "published"
    assert article.publish_at == datetime(2026, 5, 14, 11, 0, tzinfo=UTC)  # 18:00 in Vietnam
    assert "Bài sẽ tự đăng lúc 14/05/2026 18:00" in client.get(response.location).get_data(
        as_text=True
    )
    url = f"/tin/{article.slug}-{article.id}"
    assert client.get(url).status_code == 404
    clock.advance(hours=8, minutes=1)
    assert client.get(url).status_code == 200
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "publish")).one()
    assert "Hẹn giờ đăng lúc 14/05/2026 18:00" in entry.detail


@pytest.mark.parametrize("when", ["", "2026-05-14T09:00"])
def test_scheduling_needs_a_time_in_the_future_and_keeps_the_text(
    client, auth, category, clock, when
):
    auth.login("editor")
    response = client.post(
        "/admin/articles/new",
        data=article_data(category.id, action="schedule", publish_at=when, body=LONG_BODY),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hãy chọn thời điểm đăng trong tương lai để hẹn giờ." in html
    assert "Bà con thôn Đồng Tâm góp công góp của." in html
    assert count(Article) == 0


def test_expiry_must_come_after_publication(client, auth, category):
    auth.login("editor")
    response = client.post(
        "/admin/articles/new",
        data=article_data(category.id, publish_at="2026-05-20T08:00", expire_at="2026-05-19T08:00"),
    )
    assert response.status_code == 422
    assert "Thời điểm hết hạn phải sau thời điểm đăng." in response.get_data(as_text=True)


def test_times_are_shown_back_in_vietnam_time(client, auth, make_article, clock):
    auth.login("editor")
    article = make_article(publish_at=datetime(2026, 5, 13, 1, 30, tzinfo=UTC))
    html = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert 'value="2026-05-13T08:30"' in html


@pytest.mark.parametrize("action", [None, "update"])
def test_a_new_article_saved_without_a_status_button_is_a_draft(client, auth, category, action):
    auth.login("author")
    data = article_data(category.id, action=action or "")
    if action is None:
        del data["action"]  # Enter pressed in a field of an old browser
    client.post("/admin/articles/new", data=data)
    assert only_article().status == "draft"
    assert db.session.scalars(select(Revision)).one().data["status"] == "draft"


def test_an_author_submits_for_review(client, auth, category):
    auth.login("author")
    client.post("/admin/articles/new", data=article_data(category.id, action="submit"))
    assert only_article().status == "pending"


def test_unpublish_turns_the_article_into_a_draft(client, auth, make_article):
    auth.login("editor")
    article = make_article()
    response = client.post(f"/admin/articles/{article.id}/unpublish")
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.status == "draft"
    assert client.get(f"/tin/{article.slug}-{article.id}").status_code == 404
    assert audit_actions() == ["login", "unpublish"]
    assert db.session.scalars(select(Revision.note)).all() == ["Gỡ bài"]


def test_delete_asks_first_then_deletes_and_audits(client, auth, make_article):
    auth.login("editor")
    article = make_article(title="Bài sắp xóa")
    page = client.get(f"/admin/articles/{article.id}/delete").get_data(as_text=True)
    assert "Bài sắp xóa" in page and "Xóa vĩnh viễn" in page
    assert count(Article) == 1
    response = client.post(f"/admin/articles/{article.id}/delete")
    assert response.location == "/admin/articles"
    assert count(Article) == 0
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "delete")).one()
    assert entry.detail == "Bài sắp xóa" and entry.object_type == "article"


def test_copy_starts_a_new_draft_from_an_article(client, auth, make_article):
    auth.login("editor")
    original = make_article(title="Lịch tiếp dân tháng 5", body="<p>Thứ hai, thứ tư.</p>")
    response = client.post(f"/admin/articles/{original.id}/copy")
    copy = db.session.scalars(select(Article).where(Article.id != original.id)).one()
    assert response.location == f"/admin/articles/{copy.id}/edit"
    assert copy.title == "Lịch tiếp dân tháng 5 (bản sao)"
    assert copy.body == original.body and copy.category_id == original.category_id
    assert copy.status == "draft" and copy.publish_at is None
    assert copy.created_by == db.session.scalars(select(User.id)).one()
    assert db.session.scalars(select(Revision.note)).one() == f"Sao chép từ bài số {original.id}"
    db.session.refresh(original)
    assert original.title == "Lịch tiếp dân tháng 5" and original.status == "published"


def test_a_plain_text_body_from_a_browser_without_javascript_becomes_paragraphs(
    client, auth, category
):
    auth.login("editor")
    body = "Đoạn một, dòng một\r\ndòng hai\r\n\r\nĐoạn hai"
    client.post("/admin/articles/new", data=article_data(category.id, body=body))
    assert only_article().body == "<p>Đoạn một, dòng một<br>dòng hai</p><p>Đoạn hai</p>"


def test_clean_paste_answers_with_the_cleaned_html(client, auth):
    auth.login("author")
    response = client.post(
        "/admin/articles/clean-paste", data={"html": "<p class=MsoNormal>Chữ<o:p></o:p></p>"}
    )
    assert response.get_json() == {"html": "<p>Chữ</p>"}
    response = client.post("/admin/articles/clean-paste", data={"html": "<b>" * 5000})
    assert response.status_code == 422 and "lồng nhau" in response.get_json()["error"]


# --- Previews --------------------------------------------------------------------------------


def test_preview_of_unsaved_changes_shows_them_and_saves_nothing(client, auth, make_article):
    auth.login("editor")
    article = make_article(title="Tiêu đề đã lưu", status="draft")
    version = article.version
    response = client.post(
        f"/admin/articles/{article.id}/preview",
        data=article_data(article.category_id, title="Tiêu đề chưa lưu", body="<p>Mới</p>"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tiêu đề chưa lưu" in html and "<p>Mới</p>" in html
    assert "CHƯA LƯU" in html and "Bài chưa đăng." in html
    assert 'name="robots" content="noindex"' in html
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    assert (article.title, article.version) == ("Tiêu đề đã lưu", version)
    assert count(Article) == 1 and count(Revision) == 0


def test_preview_of_a_new_article_adds_nothing(client, auth, category):
    auth.login("author")
    response = client.post(
        "/admin/articles/preview",
        data=article_data(category.id, body="<p>Xem <script>x</script>thử</p>"),
    )
    html = response.get_data(as_text=True)
    assert "Đường làng mới ở thôn Đồng Tâm" in html and "<p>Xem thử</p>" in html
    assert count(Article) == 0


@pytest.mark.parametrize(
    ("fields", "notice"),
    [
        ({"status": "draft"}, "Bài chưa đăng (Bản nháp): bạn đọc chưa thấy bài này."),
        ({"status": "pending"}, "Bài chưa đăng (Chờ duyệt)"),
        ({"publish_at": datetime(2026, 5, 20, 1, 0, tzinfo=UTC)}, "Bài hẹn giờ đăng lúc 20/05"),
        (
            {
                "expire_at": datetime(2026, 5, 1, tzinfo=UTC),
                "publish_at": datetime(2026, 4, 1, tzinfo=UTC),
            },
            "Bài đã hết hạn lúc 01/05/2026",
        ),
        ({}, "Bài đang hiển thị với bạn đọc."),
    ],
)
def test_editors_previewing_a_saved_article_are_told_who_can_see_it(
    client, auth, make_article, clock, fields, notice
):
    auth.login("editor")
    article = make_article(**fields)
    html = client.get(f"/admin/articles/{article.id}/preview").get_data(as_text=True)
    assert notice in html and article.title in html


# --- The list ---------------------------------------------------------------------------


@pytest.fixture
def assorted(make_article, make_user, make_category, clock):
    writer = make_user("ctv", "author", password=PASSWORD)
    sport = make_category(name="Thể thao", slug="the-thao")
    now = clock.now
    make_article(title="Bài nháp", status="draft", created_by=writer.id)
    make_article(title="Bài chờ duyệt", status="pending", category=sport)
    make_article(title="Bài chờ duyệt hai", status="pending", created_by=writer.id)
    make_article(title="Bài hẹn giờ", publish_at=now + timedelta(days=1))
    make_article(title="Bài hết hạn", publish_at=now - timedelta(days=9), expire_at=now)
    make_article(title="Bài đang hiện")
    return writer, sport


def test_the_list_counts_what_needs_attention(client, auth, assorted):
    auth.login("editor")
    html = client.get("/admin/articles").get_data(as_text=True)
    assert re.search(r"<strong>2</strong> Chờ duyệt", html)
    assert re.search(r"<strong>1</strong> Hẹn giờ", html)
    assert re.search(r"<strong>1</strong> Hết hạn", html)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=pending", ["Bài chờ duyệt", "Bài chờ duyệt hai"], ["Bài nháp", "Bài đang hiện"]),
        ("status=scheduled", ["Bài hẹn giờ"], ["Bài đang hiện", "Bài hết hạn"]),
        ("status=expired", ["Bài hết hạn"], ["Bài hẹn giờ"]),
        ("status=live", ["Bài đang hiện"], ["Bài hẹn giờ", "Bài hết hạn", "Bài nháp"]),
        ("status=draft", ["Bài nháp"], ["Bài chờ duyệt"]),
        ("q=hẹn", ["Bài hẹn giờ"], ["Bài nháp"]),
    ],
)
def test_the_list_filters_by_status_and_words(client, auth, assorted, query, shown, hidden):
    auth.login("editor")
    html = client.get(f"/admin/articles?{query}").get_data(as_text=True)
    for title in shown:
        assert f">{title}</a>" in html, title
    for title in hidden:
        assert f">{title}</a>" not in html, title


def test_the_list_filters_by_category_and_writer(client, auth, assorted):
    writer, sport = assorted
    auth.login("editor")
    html = client.get(f"/admin/articles?category={sport.id}").get_data(as_text=True)
    assert ">Bài chờ duyệt</a>" in html and ">Bài nháp</a>" not in html
    html = client.get(f"/admin/articles?creator={writer.id}").get_data(as_text=True)
    assert ">Bài nháp</a>" in html and ">Bài chờ duyệt hai</a>" in html
    assert ">Bài hẹn giờ</a>" not in html


def test_an_author_lists_only_their_own_articles(client, auth, assorted):
    client.post("/admin/login", data={"username": "ctv", "password": PASSWORD})
    html = client.get("/admin/articles").get_data(as_text=True)
    assert ">Bài nháp</a>" in html and ">Bài chờ duyệt hai</a>" in html
    assert "Bài hẹn giờ" not in html and "Bài đang hiện" not in html
    assert re.search(r"<strong>1</strong> Chờ duyệt", html)


# --- Roles × actions -------------------------------------------------------------------------


@pytest.fixture
def owned(make_article, make_user, category):
    """Articles of an author named "tacgia" and of somebody else, in each state."""
    me = make_user("tacgia", "author", password=PASSWORD)
    other = make_user("khac", "author")
    return {
        "own_draft": make_article(status="draft", created_by=me.id, category=category),
        "own_published": make_article(created_by=me.id, category=category),
        "other_draft": make_article(status="draft", created_by=other.id, category=category),
        "other_published": make_article(created_by=other.id, category=category),
    }


def sign_in_as(client, make_user, role: str) -> None:
    username = "tacgia" if role == "author" else role
    if db.session.scalar(select(User).where(User.username == username)) is None:
        make_user(username, role, password=PASSWORD)
    client.post("/admin/login", data={"username": username, "password": PASSWORD})


ROLE_ACTIONS = [
    # (role, method, url template, target, data, allowed)
    ("author", "POST", "/admin/articles/new", None, {"action": "draft"}, True),
    ("author", "POST", "/admin/articles/new", None, {"action": "submit"}, True),
    ("author", "POST", "/admin/articles/new", None, {"action": "publish"}, False),
    ("author", "POST", "/admin/articles/new", None, {"action": "schedule"}, False),
    ("author", "GET", "/admin/articles/{id}/edit", "own_draft", None, True),
    ("author", "POST", "/admin/articles/{id}/edit", "own_draft", {"action": "submit"}, True),
    ("author", "POST", "/admin/articles/{id}/edit", "own_draft", {"action": "publish"}, False),
    ("author", "GET", "/admin/articles/{id}/edit", "own_published", None, False),
    ("author", "POST", "/admin/articles/{id}/edit", "own_published", {"action": "update"}, False),
    ("author", "GET", "/admin/articles/{id}/edit", "other_draft", None, False),
    ("author", "POST", "/admin/articles/{id}/edit", "other_draft", {"action": "draft"}, False),
    ("author", "POST", "/admin/articles/{id}/unpublish", "own_published", {}, False),
    ("author", "POST", "/admin/articles/{id}/delete", "own_draft", {}, True),
    ("author", "POST", "/admin/articles/{id}/delete", "own_published", {}, False),
    ("author", "POST", "/admin/articles/{id}/delete", "other_draft", {}, False),
    ("author", "POST", "/admin/articles/{id}/copy", "own_published", {}, True),
    ("author", "POST", "/admin/articles/{id}/copy", "other_draft", {}, False),
    ("author", "GET", "/admin/articles/{id}/history", "own_published", None, True),
    ("author", "GET", "/admin/articles/{id}/history", "other_draft", None, False),
    ("author", "GET", "/admin/articles/{id}/preview", "other_draft", None, False),
    ("author", "POST", "/admin/articles/{id}/preview", "other_draft", {}, False),
    ("editor", "POST", "/admin/articles/new", None, {"action": "publish"}, True),
    ("editor", "POST", "/admin/articles/new", None, {"action": "schedule"}, True),
    ("editor", "GET", "/admin/articles/{id}/edit", "other_published", None, True),
    ("editor", "POST", "/admin/articles/{id}/edit", "other_draft", {"action": "publish"}, True),
    ("editor", "POST", "/admin/articles/{id}/unpublish", "other_published", {}, True),
    ("editor", "POST", "/admin/articles/{id}/delete", "other_published", {}, True),
    ("editor", "POST", "/admin/articles/{id}/copy", "other_draft", {}, True),
    ("admin", "POST", "/admin/articles/{id}/edit", "other_published", {"action": "update"}, True),
    ("admin", "POST", "/admin/articles/{id}/unpublish", "other_published", {}, True),
    ("admin", "POST", "/admin/articles/{id}/delete", "other_draft", {}, True),
]


@pytest.mark.parametrize(
    ("role", "method", "url", "target", "data", "allowed"),
    ROLE_ACTIONS,
    ids=[f"{r}-{m}-{u}-{t}-{(d or {}).get('action', '')}" for r, m, u, t, d, _ in ROLE_ACTIONS],
)
def test_role_and_action(client, make_user, owned, clock, role, method, url, target, data, allowed):
    sign_in_as(client, make_user, role)
    article = owned[target] if target else None
    url = url.format(id=article.id if article else 0)
    if method == "GET":
        response = client.get(url)
    else:
        form = article_data(owned["own_draft"].category_id, publish_at="2026-06-01T08:00", **data)
        form["version"] = str(article.version) if article else ""
        response = client.post(url, data=form)
    if allowed:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert "Bạn không có quyền" in html


# --- Never losing work -------------------------------------------------------------------


def test_a_rejected_form_shows_everything_typed_again(client, auth, category):
    auth.login("editor")
    data = article_data(
        category.id,
        title="",
        body=LONG_BODY,
        summary="Sapo đã gõ",
        author="Tác giả đã gõ",
        source="Nguồn đã gõ",
        image_caption="Chú thích đã gõ",
        image_alt="Mô tả đã gõ",
        slug="duong-da-go",
        publish_at="2026-05-20T08:30",
        featured="y",
    )
    response = client.post("/admin/articles/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hãy nhập tiêu đề." in html and "Nội dung bạn nhập vẫn còn nguyên." in html
    for value in ("Sapo đã gõ", "Tác giả đã gõ", "Nguồn đã gõ", "Chú thích đã gõ", "Mô tả đã gõ",
                  "duong-da-go", "2026-05-20T08:30", "Bà con thôn Đồng Tâm góp công"):  # fmt: skip
        assert value in html, value
    assert re.search(r'name="featured"[^>]*checked|checked[^>]*name="featured"', html)
    assert count(Article) == 0


def test_a_body_over_the_cap_is_refused_with_a_clear_message_and_kept(client, auth, category):
    auth.login("editor")
    body = "<div>" * 150 + "Chữ vẫn còn" + "</div>" * 150
    response = client.post("/admin/articles/new", data=article_data(category.id, body=body))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "lồng nhau quá nhiều tầng" in html and "Chữ vẫn còn" in html


def test_a_lead_image_is_stored_and_used(client, auth, category):
    auth.login("editor")
    data = article_data(category.id, image_caption="Cầu mới")
    data["image_upload"] = (io.BytesIO(jpeg()), "cau-moi.jpg")
    response = client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    article = only_article()
    assert article.image is not None and article.image.original_name == "cau-moi.jpg"


def test_a_rejected_upload_is_a_field_error_and_keeps_the_article(client, auth, category):
    auth.login("editor")
    data = article_data(category.id, body=LONG_BODY, image_caption="Chú thích giữ lại")
    data["image_upload"] = (io.BytesIO(b"%PDF-1.4 not an image"), "anh.jpg")
    response = client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "không phải là ảnh hợp lệ" in html
    assert "Chú thích giữ lại" in html and "Bà con thôn Đồng Tâm góp công" in html
    assert count(Article) == 0


def test_a_good_upload_survives_a_form_error_elsewhere(client, auth, category):
    auth.login("editor")
    data = article_data(category.id, title="")
    data["image_upload"] = (io.BytesIO(jpeg()), "giu-lai.jpg")
    response = client.post("/admin/articles/new", data=data, content_type="multipart/form-data")
    image = db.session.scalars(select(Media)).one()
    assert response.status_code == 422
    assert f'name="image_id" type="number" value="{image.id}"' in response.get_data(
        as_text=True
    ) or f'value="{image.id}"' in response.get_data(as_text=True)
    data = article_data(category.id, image_id=image.id)
    client.post("/admin/articles/new", data=data)
    assert only_article().image_id == image.id


def test_an_unknown_image_number_is_refused(client, auth, category):
    auth.login("editor")
    response = client.post("/admin/articles/new", data=article_data(category.id, image_id=999))
    assert response.status_code == 422
    assert "Không có ảnh nào mang mã số này." in response.get_data(as_text=True)


def edit(client, article, **fields):
    data = article_data(article.category_id, version=article.version, **fields)
    return client.post(f"/admin/articles/{article.id}/edit", data=data)


def test_two_editors_saving_the_same_article_get_a_conflict_not_an_overwrite(
    app, client, auth, make_article, make_user
):
    article = make_article(title="Bản gốc", body="<p>Đoạn gốc.</p>")
    opened_version = article.version
    auth.login("editor")
    colleague = app.test_client()
    make_user("dongnghiep", "editor", password=PASSWORD)
    switch_browser()
    colleague.post("/admin/login", data={"username": "dongnghiep", "password": PASSWORD})
    first = edit(colleague, article, title="Bản của đồng nghiệp", body="<p>Đoạn đồng nghiệp.</p>")
    assert first.status_code == 302
    switch_browser()

    data = article_data(
        article.category_id,
        title="Bản của tôi",
        body="<p>Đoạn của tôi.</p>",
        version=opened_version,
        action="update",
    )
    response = client.post(f"/admin/articles/{article.id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bài vừa được người khác sửa" in html and "dongnghiep" in html
    assert "Bản của đồng nghiệp" in html and "Đoạn đồng nghiệp." in html
    assert "Bản của tôi" in html and "Đoạn của tôi." in html
    assert "<del>" in html and "<ins>" in html
    db.session.expire_all()
    saved = db.session.get(Article, article.id)
    assert saved.title == "Bản của đồng nghiệp"

    # Saving again from the conflict page is a conscious choice, and it keeps both in history.
    data["version"] = token_version(html)
    assert client.post(f"/admin/articles/{article.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Bản của tôi"
    notes = db.session.scalars(select(Revision.data)).all()
    assert {n["title"] for n in notes} == {"Bản của đồng nghiệp", "Bản của tôi"}


def token_version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html)[1]


def test_a_save_racing_past_the_version_check_still_ends_on_the_conflict_page(
    client, auth, make_article, monkeypatch
):
    import admin.articles

    article = make_article(title="Bản gốc")
    auth.login("editor")

    def someone_saves_meanwhile(form, current):
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE article SET title = 'Bản chen ngang', version = version + 1 "
                     "WHERE id = :id"),
                {"id": current.id},
            )  # fmt: skip
        return False

    monkeypatch.setattr(admin.articles, "is_stale", someone_saves_meanwhile)
    response = edit(client, article, title="Bản của tôi", action="update")
    assert response.status_code == 409
    assert "Bản chen ngang" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Bản chen ngang"


def test_an_article_deleted_while_editing_can_be_saved_as_a_new_one(client, auth, make_article):
    article = make_article(title="Sắp bị xóa")
    auth.login("editor")
    data = article_data(article.category_id, title="Bản tôi đang sửa", version=article.version)
    db.session.delete(article)
    db.session.commit()
    response = client.post(f"/admin/articles/{article.id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "đã bị xóa trong lúc bạn sửa" in html and "Bản tôi đang sửa" in html
    assert 'action="/admin/articles/new"' in html


# What a browser says of a form posted from the site's own page.
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def test_a_session_that_ended_while_editing_asks_for_a_login_then_shows_the_form_to_save(
    client, make_user, make_article, clock
):
    article = make_article(title="Bản cũ")
    make_user("bientap", "editor", password=PASSWORD)
    client.post("/admin/login", data={"username": "bientap", "password": PASSWORD})
    clock.advance(hours=3)
    data = article_data(article.category_id, title="Viết suốt ba tiếng", body=LONG_BODY,
                        version=article.version, action="update")  # fmt: skip
    url = f"/admin/articles/{article.id}/edit"
    response = client.post(url, data=data, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "lâu không thao tác" in html and 'name="relogin_password"' in html
    assert "Viết suốt ba tiếng" in html and "Bà con thôn Đồng Tâm góp công" in html

    wrong = client.post(
        url, data={**data, "relogin_username": "bientap", "relogin_password": "sai"},
        headers=SAME_ORIGIN,
    )  # fmt: skip
    assert wrong.status_code == 401
    assert "không đúng" in wrong.get_data(as_text=True)
    assert "Viết suốt ba tiếng" in wrong.get_data(as_text=True)

    right = client.post(
        url, data={**data, "relogin_username": "bientap", "relogin_password": PASSWORD},
        headers=SAME_ORIGIN,
    )  # fmt: skip
    html = right.get_data(as_text=True)
    assert right.status_code == 200
    assert "CHƯA được lưu" in html and "Viết suốt ba tiếng" in html
    assert 'name="relogin_password"' not in html
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Bản cũ"  # nothing applied yet

    assert client.post(url, data=data).status_code == 302  # the editor presses Lưu again
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Viết suốt ba tiếng"


# --- CSRF on, as in production -------------------------------------------------------------

MARK = "Chữ không được mất 2026"


@pytest.fixture
def csrf_desk(csrf_app, make_article, make_category, make_user):
    """A signed-in editor on an app with CSRF on, an article, a category and a page."""
    from models import Page

    client = csrf_app.test_client()
    make_user("bientap", "admin", password=PASSWORD)
    token = get_token(client, "/admin/login")
    client.post(
        "/admin/login", data={"username": "bientap", "password": PASSWORD, "csrf_token": token}
    )
    article = make_article(title="Bài có sẵn")
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu", body="<p>Cũ</p>"))
    db.session.commit()
    return client, article


# Fields every desk form might carry; each POST below sends all of them, marked.
MARKED = {"title": MARK, "name": MARK, "display_name": MARK, "site_name": MARK,
          "description": MARK, "html": MARK, "body": f"<p>{MARK}</p>"}  # fmt: skip
DESK_POSTS = [
    (url, endpoint) for method, url, endpoint in admin_rules()
    if method == "POST" and endpoint not in JSON_ENDPOINTS
]
JSON_POSTS = [
    url
    for method, url, endpoint in admin_rules()
    if method == "POST" and endpoint in JSON_ENDPOINTS
]


@pytest.mark.parametrize("token", [None, "het-han-hoac-gia-mao"])
@pytest.mark.parametrize(("url", "endpoint"), DESK_POSTS)
def test_every_post_without_a_valid_token_is_refused_without_losing_the_text(
    csrf_desk, url, endpoint, token
):
    client, article = csrf_desk
    form = {**article_data(article.category_id), **MARKED}
    if token:
        form["csrf_token"] = token
    response = client.post(url, data=form, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "hết hạn" in html and "400 Bad Request" not in html
    if endpoint in NOT_RESCUED:
        # Accounts, roles, settings, backups: a message and a link back, never a filled form.
        assert MARK not in html and "Mở lại trang" in html
    else:
        assert MARK in html, "the submitted text must be on the page"
        assert f'action="{url}"' in html
    db.session.expire_all()
    assert count(Article) == 1
    kept = db.session.get(Article, article.id)
    assert (kept.title, kept.status) == ("Bài có sẵn", "published")
    assert client.get("/admin/").status_code == 200  # still signed in


def test_the_forms_never_handed_back_filled_in_are_the_sensitive_ones():
    endpoints = {endpoint for _, endpoint in DESK_POSTS}
    sensitive = {"admin.user_new", "admin.user_edit", "admin.user_password", "admin.settings",
                 "admin.backup_create", "admin.account_password"}  # fmt: skip
    assert sensitive <= endpoints & NOT_RESCUED
    assert "admin.article_edit" not in NOT_RESCUED


# What browsers send with a form posted from another site, or from nowhere they will name.
ELSEWHERE = [{}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
             {"Origin": "https://ke-gian.example"}, {"Origin": "null"},
             {"Referer": "https://ke-gian.example/trang"},
             {"Sec-Fetch-Site": "cross-site", "Referer": "http://localhost/admin/"}]  # fmt: skip
FORGED = [(url, endpoint, ELSEWHERE[n % len(ELSEWHERE)])
          for n, (url, endpoint) in enumerate(DESK_POSTS)]  # fmt: skip


@pytest.mark.parametrize(("url", "endpoint", "headers"), FORGED)
def test_attack_a_forged_post_from_elsewhere_gets_a_plain_400_and_keeps_the_victims_cookie(
    csrf_desk, url, endpoint, headers
):
    victim, article = csrf_desk
    # SameSite=Lax: the browser sends no session cookie with another site's POST, so any
    # cookie set by the answer would replace the victim's session.
    forged = csrf_desk[0].application.test_client()
    form = {**article_data(article.category_id), **MARKED}
    response = forged.post(url, data=form, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 400, endpoint
    assert MARK not in html and "csrf_token" not in html and "relogin" not in html
    assert "Set-Cookie" not in response.headers
    assert victim.get("/admin/").status_code == 200


@pytest.mark.parametrize("headers", ELSEWHERE)
def test_attack_a_forged_post_carrying_the_cookie_changes_nothing(csrf_desk, headers):
    client, article = csrf_desk
    form = {**article_data(article.category_id), **MARKED, "role": "admin"}
    response = client.post(f"/admin/articles/{article.id}/edit", data=form, headers=headers)
    assert response.status_code == 400
    assert MARK not in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200  # the session was left alone


def test_attack_a_forged_role_change_does_not_land_when_the_victim_signs_in(
    csrf_app, make_user
):
    author = make_user("tacgia", "author", password=PASSWORD)
    make_user("quantri", "admin", password=PASSWORD)
    victim = csrf_app.test_client()
    forged = {"display_name": "tacgia", "role": "admin", "active": "y"}
    response = victim.post(f"/admin/users/{author.id}/edit", data=forged,
                           headers={"Sec-Fetch-Site": "cross-site"})  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "relogin" not in html
    if 'name="csrf_token"' in html:  # what the old rescue did: the victim signs in there
        victim.post(f"/admin/users/{author.id}/edit", headers=SAME_ORIGIN, data={
            **forged, "csrf_token": token_from(html),
            "relogin_username": "quantri", "relogin_password": PASSWORD,
        })  # fmt: skip
    db.session.expire_all()
    assert db.session.get(User, author.id).role == "author"


@pytest.mark.parametrize("token", [None, "het-han-hoac-gia-mao"])
@pytest.mark.parametrize("url", JSON_POSTS)
def test_every_script_post_without_a_valid_token_gets_a_json_refusal(csrf_desk, url, token):
    client, _ = csrf_desk
    form = {"caption": MARK, **({"csrf_token": token} if token else {})}
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "hết hạn" in response.get_json()["error"]
    assert count(Media) == 0


def test_the_script_endpoints_are_known():
    assert sorted(JSON_POSTS) == ["/admin/attachments/stage", "/admin/media/upload"]


def test_logout_without_a_token_does_not_sign_out(csrf_desk):
    client, _ = csrf_desk
    assert client.post("/admin/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_after_a_refused_token_the_rescued_form_saves(csrf_desk):
    client, article = csrf_desk
    data = article_data(article.category_id, title=MARK, version=article.version, action="update")
    url = f"/admin/articles/{article.id}/edit"
    refused = client.post(url, data={**data, "csrf_token": "x"}, headers=SAME_ORIGIN)
    data["csrf_token"] = token_from(refused.get_data(as_text=True))
    assert client.post(url, data=data, headers=SAME_ORIGIN).status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == MARK


def test_attack_a_lost_session_cookie_rescue_signs_in_but_saves_only_when_pressed_again(
    csrf_app, make_category
):
    category = make_category()
    browser = csrf_app.test_client()  # no cookie at all: the session is gone
    data = article_data(category.id, title=MARK, body=LONG_BODY, action="publish")
    response = browser.post("/admin/articles/new", data={**data, "csrf_token": "cu"},
                            headers=SAME_ORIGIN)  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert MARK in html and 'name="relogin_username"' in html
    assert "Bà con thôn Đồng Tâm góp công" in html
    user = User(username="bientap", role="editor")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    relogin = {"relogin_username": "bientap", "relogin_password": PASSWORD}
    old_token = token_from(html)
    data_with_login = {**data, **relogin, "csrf_token": old_token}
    response = browser.post("/admin/articles/new", data=data_with_login, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert MARK in html and "CHƯA được lưu" in html and 'name="relogin_username"' not in html
    assert count(Article) == 0  # signed in, and nothing published behind the editor's back
    token = token_from(html)
    assert token != old_token
    saved = browser.post("/admin/articles/new", data={**data, "csrf_token": token})
    assert saved.status_code == 302
    assert only_article().title == MARK


# --- Plain-text fields stay plain text ---------------------------------------------------


PLAIN_FIELDS = ("title", "summary", "author", "source", "image_caption", "image_alt")


def test_hostile_text_in_every_field_stays_text_on_every_page(client, auth, category, clock):
    auth.login("editor")
    baseline = hostile_markup(client.get("/").get_data(as_text=True))
    assert baseline == []
    for number, (_, vector) in enumerate(VECTORS):
        fields = dict.fromkeys(PLAIN_FIELDS, vector[:120])
        data = article_data(category.id, body=vector, action="publish", **fields)
        response = client.post("/admin/articles/new", data=data)
        assert response.status_code in (302, 422), vector
        if number % 10:
            continue  # render a sample of the pages: the escaping is the same for all
        article = db.session.scalars(select(Article).order_by(Article.id.desc())).first()
        for url in (f"/tin/{article.slug}-{article.id}", f"/admin/articles/{article.id}/edit",
                    "/admin/articles", f"/admin/articles/{article.id}/preview", "/"):  # fmt: skip
            html = client.get(url, follow_redirects=True).get_data(as_text=True)
            assert hostile_markup(html) == [], (url, vector)
    assert count(Article) >= 100
    for article in db.session.scalars(select(Article)):
        assert hostile_markup(article.body) == [], article.body


# --- Review: "Duyệt và đăng" and "Trả lại" with a reason ------------------------------------


def test_review_round_trip_tells_each_side_what_waits_for_them(client, auth, category, clock):
    auth.login("author", "tacgia")
    client.post("/admin/articles/new", data=article_data(category.id, action="submit"))
    article = only_article()
    assert article.status == "pending"
    auth.logout()

    auth.login("editor", "bientap")
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Chờ bạn duyệt" in dashboard and article.title in dashboard
    form = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert main_action(form) == "Duyệt và đăng" and ">Trả lại</button>" in form
    reason = "Thiếu nguồn tin; hãy ghi rõ tên thôn."
    response = client.post(f"/admin/articles/{article.id}/return", data={"reason": reason})
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.status == "draft" and article.review_note == reason
    assert "Chờ bạn duyệt" in client.get("/admin/").get_data(as_text=True)
    assert article.title not in client.get("/admin/").get_data(as_text=True).split("Thay đổi")[0]
    auth.logout()

    auth.login("author", "tacgia")
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Bài bị trả lại, cần bạn sửa" in dashboard and reason in dashboard
    own = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert "Bài bị trả lại" in own and reason in own and "bientap" in own
    data = article_data(category.id, action="submit", version=article.version, source="Thôn 3")
    client.post(f"/admin/articles/{article.id}/edit", data=data)
    db.session.refresh(article)
    assert article.status == "pending" and article.review_note == ""
    assert "Đã gửi, chờ biên tập viên duyệt" in client.get("/admin/").get_data(as_text=True)
    auth.logout()

    auth.login("editor", "bientap")
    data = article_data(category.id, action="approve", version=article.version, source="Thôn 3")
    client.post(f"/admin/articles/{article.id}/edit", data=data)
    db.session.refresh(article)
    assert article.status == "published" and article.publish_at == clock.now
    assert client.get(f"/tin/{article.slug}-{article.id}").status_code == 200
    notes = db.session.scalars(select(Revision.note).order_by(Revision.id)).all()
    assert notes == ["Gửi duyệt", f"Trả lại: {reason}", "Gửi duyệt", "Duyệt và đăng"]
    article_actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "article").order_by(AuditLog.id)
    ).all()
    assert article_actions == ["submit", "return", "submit", "approve"]


def test_returning_needs_a_reason_and_changes_nothing_without_one(client, auth, make_article):
    auth.login("editor")
    article = make_article(status="pending")
    response = client.post(f"/admin/articles/{article.id}/return", data={"reason": "   "})
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.status == "pending" and article.review_note == ""
    page = client.get(response.location).get_data(as_text=True)
    assert "Hãy ghi lý do trả lại" in page


def test_only_a_pending_article_can_be_returned(client, auth, make_article):
    auth.login("editor")
    article = make_article()
    response = client.post(f"/admin/articles/{article.id}/return", data={"reason": "Sai"})
    assert response.status_code == 403
    db.session.refresh(article)
    assert article.status == "published"


def test_attack_an_author_cannot_return_or_approve_articles(client, auth, make_user, make_article):
    other = make_user("khac", "author")
    pending = make_article(status="pending", created_by=other.id)
    auth.login("author")
    response = client.post(f"/admin/articles/{pending.id}/return", data={"reason": "Xấu"})
    assert response.status_code == 403
    mine = make_article(status="pending", created_by=db.session.scalar(
        select(User.id).where(User.username == "author")))
    data = article_data(mine.category_id, action="approve", version=mine.version)
    assert client.post(f"/admin/articles/{mine.id}/edit", data=data).status_code == 403
    db.session.refresh(pending)
    db.session.refresh(mine)
    assert (pending.status, mine.status) == ("pending", "pending")
    assert pending.review_note == ""


# --- The published address ----------------------------------------------------------------


def update(client, article, **fields):
    fields = {"slug": article.slug, **fields}  # the form shows the saved slug
    data = article_data(article.category_id, action="update", version=article.version, **fields)
    response = client.post(f"/admin/articles/{article.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(article)


def test_a_published_title_edit_keeps_the_address(client, auth, make_article):
    auth.login("editor")
    article = make_article(title="Họp dân thôn Đồng Tâm", slug="hop-dan-thon-dong-tam")
    update(client, article, title="Họp dân thôn Đồng Tâm bàn làm đường")
    assert article.slug == "hop-dan-thon-dong-tam"
    update(client, article, title="Họp dân thôn Đồng Tâm bàn làm đường", slug="")
    assert article.slug == "hop-dan-thon-dong-tam"  # an emptied field is no request either
    html = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert "Đổi đường dẫn theo tiêu đề mới" in html and "data-slug-locked" in html


def test_a_published_address_changes_when_the_editor_asks(client, auth, make_article):
    auth.login("editor")
    article = make_article(title="Họp dân", slug="hop-dan")
    update(client, article, title="Họp dân bàn làm đường", change_slug="y")
    assert article.slug == "hop-dan-ban-lam-duong"
    update(client, article, title="Họp dân bàn làm đường", slug="hop-dan-thang-5")
    assert article.slug == "hop-dan-thang-5"
    old = client.get(f"/tin/hop-dan-{article.id}")
    assert old.status_code == 301 and old.location.endswith(f"/tin/hop-dan-thang-5-{article.id}")


def test_a_draft_title_still_names_its_address(client, auth, make_article):
    auth.login("editor")
    article = make_article(status="draft", title="Tin nháp", slug="tin-nhap")
    update(client, article, title="Tin nháp đã sửa", slug="")
    assert article.slug == "tin-nhap-da-sua"


def test_an_untouched_publication_time_keeps_its_seconds(client, auth, category, clock):
    auth.login("editor")
    clock.now = clock.now.replace(second=42, microsecond=123000)
    client.post("/admin/articles/new", data=article_data(category.id, action="publish"))
    article = only_article()
    shown = re.search(r'name="publish_at"[^>]*value="([^"]+)"',
                      client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True))
    update(client, article, publish_at=shown[1], summary="Sửa sapo")
    assert article.publish_at == clock.now


# --- The audit log ------------------------------------------------------------------------


def test_the_audit_log_names_articles_by_title_and_records_edits(client, auth, category):
    auth.login("admin")
    client.post("/admin/articles/new", data=article_data(category.id, title="Lễ khai giảng"))
    article = only_article()
    update(client, article, title="Lễ khai giảng năm học mới")
    assert audit_actions()[-2:] == ["create", "edit"]
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "“Lễ khai giảng năm học mới”" in html and "Sửa bài" in html
    assert f"Bài số {article.id}" not in html and f"số {article.id}" not in html
    client.post(f"/admin/articles/{article.id}/delete")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "“Lễ khai giảng năm học mới” (đã xóa)" in html


# --- A site without categories: a way forward, never a dead end ----------------------------


def test_an_editor_names_the_first_category_in_the_article_form(client, auth):
    auth.login("editor")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert "trang chưa có chuyên mục nào. Đặt tên chuyên mục đầu tiên" in html
    assert 'href="/admin/categories"' in html
    data = article_data(0, new_category="  Tin tức –  Sự kiện ", action="publish")
    del data["category_id"]
    response = client.post("/admin/articles/new", data=data)
    assert response.status_code == 302
    article = only_article()
    assert article.status == "published" and article.category.name == "Tin tức – Sự kiện"
    assert article.category.slug == "tin-tuc-su-kien"


def test_a_rejected_form_keeps_the_first_category_it_named(client, auth):
    auth.login("editor")
    data = article_data(0, new_category="Thông báo", title="")
    del data["category_id"]
    response = client.post("/admin/articles/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'name="category_id" value="\d+" checked> Thông báo</label>', html)
    assert "Đặt tên chuyên mục đầu tiên" not in html


def test_an_author_is_told_whom_to_ask_for_a_category(client, auth, make_user):
    make_user("mai", "editor", display_name="Hoàng Thị Mai")
    auth.login("author")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert "Trang chưa có chuyên mục nào" in html and "Hãy nhờ Hoàng Thị Mai" in html
    assert 'name="new_category"' not in html
    data = article_data(0, new_category="Tin của tôi", action="submit")
    del data["category_id"]
    assert client.post("/admin/articles/new", data=data).status_code == 422
    assert count(Article) == 0


# --- The form's order and its category choice ------------------------------------------------


def test_the_form_follows_the_work_with_the_buttons_last(client, auth, category):
    auth.login("editor")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    marks = ['name="title"', 'name="summary"', 'name="body"', 'name="category_id"',
             'name="image_upload"', 'name="action" value="draft"']
    places = [html.index(mark) for mark in marks]
    assert places == sorted(places)


def test_a_few_categories_are_one_tap_each_and_none_is_chosen_for_the_editor(
        client, auth, make_category):
    for number in range(3):
        make_category(name=f"Mục {number}", slug=f"muc-{number}")
    auth.login("editor")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert html.count('type="radio" name="category_id"') == 3 and " checked>" not in html
    data = article_data(0, action="publish")
    del data["category_id"]
    response = client.post("/admin/articles/new", data=data)
    assert response.status_code == 422 and "Hãy chọn chuyên mục." in response.get_data(True)


def test_many_categories_stay_a_list(client, auth, make_category):
    for number in range(13):
        make_category(name=f"Mục {number}", slug=f"muc-{number}")
    auth.login("editor")
    html = client.get("/admin/articles/new").get_data(as_text=True)
    assert '<select id="category_id"' in html and 'type="radio"' not in html


def test_attack_a_sanitiser_bomb_is_a_field_message_that_keeps_the_text(client, auth, category):
    auth.login("author")
    bomb = "<p>a" * 20_000 + "<p>Đoạn cuối do tác giả viết"
    response = client.post("/admin/articles/new", data=article_data(category.id, body=bomb))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "quá nhiều thẻ định dạng (20.001 thẻ HTML, tối đa 10.000)" in page
    assert "Đoạn cuối do tác giả viết" in page  # the text is in the form again
    assert count(Article) == 0
