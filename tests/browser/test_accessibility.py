"""axe-core, the checker accessibility audits use, finds nothing on any page a reader or an
editor meets, at a phone's width and a desktop's.

The lists below name every HTML page by its endpoint; a test compares them with the app's
GET routes, so a new page fails here until it is added to a list (or, if it answers no
HTML page, to NOT_PAGES with the reason). Addresses are templates filled from the demo site
(`demo_values`): add a key there when a new page needs another id.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import sign_in_officer
from desk import app_rules, sign_in_as_admin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = [360, 1280]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, axe's best practices, and its experimental rules
# (among them a button's name holding its visible words, and headers for every table cell).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RULES = {
    "runOnly": {"type": "tag", "values": [*TAGS, "best-practice", "experimental"]},
    "resultTypes": ["violations"],
}

# What a reader may open: (endpoint, address).
PUBLIC_PAGES = [
    ("public.home", "/"),
    ("public.home", "/?trang=2"),
    ("public.category", "/chuyen-muc/{category_slug}"),
    ("public.article", "{article}"),
    ("public.article_print", "{article}/ban-in"),
    ("public.page", "/trang/{page_slug}"),
    ("public.page", "/trang/co-cau-to-chuc"),  # with the officials
    ("public.page", "/trang/contact"),  # in English
    ("public.search", "/tim-kiem?q=xa"),
    ("public.search", "/tim-kiem?q=khongcogica"),
    ("public.documents_list", "/van-ban"),
    ("public.document", "{document}"),
    ("citizens.questions", "/hoi-dap"),
    ("citizens.questions", "/hoi-dap?linh-vuc=dat-dai"),
    ("citizens.question", "{question}"),
    ("citizens.ask", "/hoi-dap/dat-cau-hoi"),
    ("citizens.schedule", "/lich-cong-tac"),
    ("citizens.polls", "/tham-do-y-kien"),
    ("citizens.comment", "{draft}/gop-y"),
    ("citizens.poll", "/tham-do-y-kien/{poll_id}"),
    ("public.not_found", "/khong-co-trang-nay"),
]

# What a signed-in admin may open: (endpoint, address). The login form is checked signed out.
DESK_PAGES = [
    ("admin.dashboard", "/admin/"),
    ("admin.article_list", "/admin/articles"),
    ("admin.article_list", "/admin/articles?status=pending"),
    ("admin.article_new", "/admin/articles/new"),
    ("admin.article_edit", "/admin/articles/{article_id}/edit"),
    ("admin.article_history", "/admin/articles/{article_id}/history"),
    ("admin.article_revision", "/admin/articles/{article_id}/history/{revision_id}"),
    ("admin.article_preview_saved", "/admin/articles/{article_id}/preview"),
    ("admin.article_delete", "/admin/articles/{article_id}/delete"),
    ("admin.media_library", "/admin/media"),
    ("admin.media_detail", "/admin/media/{media_id}"),
    ("admin.category_list", "/admin/categories"),
    ("admin.category_edit", "/admin/categories/new"),
    ("admin.category_edit", "/admin/categories/{category_id}/edit"),
    ("admin.category_delete", "/admin/categories/{category_id}/delete"),
    ("admin.documents", "/admin/documents"),
    ("admin.document_new", "/admin/documents/new"),
    ("admin.document_edit", "/admin/documents/{document_id}/edit"),
    ("admin.page_list", "/admin/pages"),
    ("admin.page_edit", "/admin/pages/new"),
    ("admin.page_edit", "/admin/pages/{page_id}/edit"),
    ("admin.page_delete", "/admin/pages/{page_id}/delete"),
    ("admin.main_menu", "/admin/menu"),
    ("admin.officials", "/admin/officials"),
    ("admin.official_new", "/admin/officials/new"),
    ("admin.official_edit", "/admin/officials/{official_id}/edit"),
    ("admin.redirect_list", "/admin/redirects"),
    ("admin.redirect_new", "/admin/redirects/new"),
    ("admin.redirect_edit", "/admin/redirects/{redirect_id}/edit"),
    ("admin.settings", "/admin/settings"),
    ("admin.backups", "/admin/backups"),
    ("admin.audit_log", "/admin/audit"),
    ("admin.user_list", "/admin/users"),
    ("admin.user_new", "/admin/users/new"),
    ("admin.user_edit", "/admin/users/{user_id}/edit"),
    ("admin.user_password", "/admin/users/{user_id}/password"),
    ("admin.sign_ins", "/admin/phien-dang-nhap"),
    ("admin.account_password", "/admin/tai-khoan/mat-khau"),
    ("admin.confirm_password", "/admin/xac-nhan-mat-khau"),
    ("admin.questions", "/admin/questions"),
    ("admin.questions", "/admin/questions?tinh-trang=published"),
    ("admin.question_answer", "/admin/questions/{waiting_question_id}"),
    ("admin.personal_data", "/admin/personal-data"),
    ("admin.schedule", "/admin/schedule"),
    ("admin.polls", "/admin/polls"),
    ("admin.comments", "/admin/comments"),
    ("admin.comments", "/admin/comments?tinh-trang=published"),
    ("admin.poll_edit", "/admin/polls/new"),
    ("admin.poll_edit", "/admin/polls/{poll_id}/edit"),
    ("admin.personal_data", "/admin/personal-data?person=0912345678"),
    ("admin.not_found", "/admin/khong-co-trang-nay"),
]

SIGNED_OUT_PAGES = [("auth.login", "/admin/login")]

# GET routes that answer no HTML page, and why.
NOT_PAGES = {
    "assets.static": "stylesheets, scripts, images",
    "health.healthz": "plain text for monitoring",
    "public.favicon": "an image",
    "public.icon": "an image",
    "public.rendition": "an image",
    "public.attachment": "a download",
    "public.article_by_id": "a redirect to the article's address",
    "public.article_download": "a saved copy, checked by test_saved_article_has_no_violations",
    "public.save_data_switch": "a redirect that sets a cookie",
    "public.robots": "plain text",
    "public.rss": "a feed",
    "public.category_rss": "a feed",
    "public.sitemap": "XML",
    "public.sitemap_part": "XML",
    "citizens.questions_rss": "a feed",
    "admin.attachment_download": "a download",
    "admin.backup_download": "a download",
    "admin.media_pick": "JSON for the editor's image picker",
    "auth.ping": "JSON that keeps the session alive",
}


def demo_values(live_server) -> dict[str, object]:
    """The ids and addresses of the demo site's rows that fill the address templates."""
    import participation
    from documents import document_slug
    from models import Article, Category, Document, Media, Page, Poll, Question, User, db

    def first(model, *where):
        return db.session.scalars(db.select(model).where(*where).order_by(model.id)).first()

    with live_server.app_context():
        article = db.session.scalars(
            Article.visible().where(Article.image_id.is_not(None)).limit(1)
        ).one()
        category = db.session.scalars(Category.menu()).first()
        page = first(Page)
        document = first(Document)
        question = db.session.scalars(Question.visible().limit(1)).one()
        waiting = first(Question, Question.status == "waiting")
        draft = first(Document, Document.comments_from.is_not(None))
        return {
            "draft": f"/van-ban/{document_slug(draft.number)}-{draft.id}",
            "poll_id": first(Poll).id,
            "question": f"/hoi-dap/{participation.question_slug(question)}-{question.id}",
            "waiting_question_id": waiting.id,
            "article": f"/tin/{article.slug}-{article.id}",
            "article_id": article.id,
            "category_slug": category.slug,
            "category_id": category.id,
            "page_slug": page.slug,
            "page_id": page.id,
            "document": f"/van-ban/{document_slug(document.number)}-{document.id}",
            "document_id": document.id,
            "media_id": first(Media).id,
            "user_id": first(User, User.username != "admin").id,
        }


@pytest.fixture(scope="module")
def values(live_server):
    """demo_values, plus what the demo lacks (an official, a redirect, an article's history)
    made for the module and removed afterwards, as other browser tests share the site."""
    import revisions
    from models import Article, Official, Redirect, db

    found = demo_values(live_server)
    with live_server.app_context():
        article = db.session.get(Article, found["article_id"])
        older = revisions.record(article, "Lưu nháp", None)
        older.data = older.data | {"summary": "Bản tóm tắt cũ hơn."}
        made = [
            older,
            revisions.record(article, "Đăng", None),
            Official(name="Nguyễn Văn An", title="Chủ tịch UBND xã", phone="0203 3871 234"),
            Redirect(old_path="/tin-cu/", target="/"),
        ]
        db.session.add_all(made)
        db.session.commit()
        ids = {"revision_id": made[0].id, "official_id": made[2].id, "redirect_id": made[3].id}
        keys = [(type(row), row.id) for row in made]
    yield found | ids
    with live_server.app_context():
        for model, key in keys:
            db.session.delete(db.session.get(model, key))
        db.session.commit()


def test_every_page_is_in_a_list():
    """A new GET route must be checked by axe, or say why it answers no page."""
    listed = {endpoint for endpoint, _ in PUBLIC_PAGES + DESK_PAGES + SIGNED_OUT_PAGES}
    routes = {endpoint for method, _url, endpoint in app_rules(("",)) if method == "GET"}
    forgotten = routes - listed - set(NOT_PAGES)
    assert not forgotten, f"add these endpoints to a page list or to NOT_PAGES: {forgotten}"
    stale = (listed | set(NOT_PAGES)) - routes - {"public.not_found", "admin.not_found"}
    assert not stale, f"these endpoints no longer exist: {stale}"


def violations(page) -> list[str]:
    """axe's findings on the page as it stands, one line per rule and element. The window is
    made as tall as the page first: a bar that stays on screen (the desk form's actions) then
    covers nothing that scrolling would uncover, which axe would count as a target too small."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    found = Axe().run(page, options=RULES).response["violations"]
    page.set_viewport_size(size)
    return [
        f"{item['id']} ({item['impact']}): {node['target']} {node['failureSummary']!r}"
        for item in found
        for node in item["nodes"]
    ]


def check_pages(context, base: str, pages, values) -> list[str]:
    page = context.new_page()
    problems = []
    for endpoint, template in pages:
        address = template.format(**values)
        response = page.goto(base + address)
        expected = 404 if endpoint.endswith("not_found") else 200
        assert response.status == expected, f"{address} answered {response.status}"
        problems += [f"{address}: {line}" for line in violations(page)]
    page.close()
    return problems


def new_context(browser, width: int):
    return browser.new_context(
        viewport={"width": width, "height": 740 if width == 360 else 900},
        locale="vi-VN",
        has_touch=width == 360,
        is_mobile=width == 360,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_pages_have_no_violations(live_server, browser, values, width):
    context = new_context(browser, width)
    problems = check_pages(context, live_server.url, PUBLIC_PAGES, values)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_desk_pages_have_no_violations(live_server, browser, values, width):
    context = new_context(browser, width)
    problems = check_pages(context, live_server.url, SIGNED_OUT_PAGES, values)
    page = context.new_page()
    sign_in_as_admin(page, live_server)
    page.close()
    problems += check_pages(context, live_server.url, DESK_PAGES, values)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_saved_article_has_no_violations(live_server, browser, values, width):
    context = new_context(browser, width)
    saved = context.request.get(live_server.url + values["article"] + "/luu")
    assert saved.ok and re.search("text/html", saved.headers["content-type"])
    page = context.new_page()
    page.set_content(saved.text())
    problems = violations(page)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_open_menus_have_no_violations(live_server, browser, width):
    """The menus as a reader and an editor open them: the phone's menu buttons, the desk's
    grouped pages."""
    context = new_context(browser, width)
    page = context.new_page()
    page.goto(live_server.url + "/")
    if width == 360:
        page.locator(".menu-button").click()
        expect(page.locator(".menu ul")).to_be_visible()
    problems = [f"/ (menu open): {line}" for line in violations(page)]
    sign_in_as_admin(page, live_server)
    if width == 360:
        page.locator(".desk-menu-button").click()
    for group in page.locator(".desk-menu summary").all():
        group.click()
        problems += [f"/admin/ ({group.inner_text()} open): {line}" for line in violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


# The province's own pages (province hosting), on its local address.
PROVINCE_PAGES = [
    ("province.home", "/"),
    ("province.search_page", "/tim-kiem?q=tin"),
    ("province.search_page", "/tim-kiem?q=khongcogica"),
    ("province.not_found", "/khong-co-trang-nay"),
]
PROVINCE_SIGNED_OUT = [("province.login", "/admin/login")]
PROVINCE_SIGNED_IN = [
    ("province.dashboard", "/admin/"),
    ("province.new_commune", "/admin/xa-phuong-moi"),
    ("province.site_page", "/admin/trang/tra-leng"),
]
PROVINCE_NOT_PAGES = {
    "province.rss": "a feed",
    "province.picture": "an image",
    "province.emblem": "an image",
}


def test_every_province_page_is_in_a_list(province_server):
    listed = {e for e, _ in PROVINCE_PAGES + PROVINCE_SIGNED_OUT + PROVINCE_SIGNED_IN}
    routes = {
        rule.endpoint
        for rule in province_server.app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint.startswith("province.")
    }
    forgotten = routes - listed - set(PROVINCE_NOT_PAGES)
    assert not forgotten, f"add these endpoints to a province list: {forgotten}"


@pytest.mark.parametrize("width", WIDTHS)
def test_province_pages_have_no_violations(province_server, browser, width):
    context = new_context(browser, width)
    base = province_server.url
    problems = check_pages(context, base, PROVINCE_PAGES + PROVINCE_SIGNED_OUT, {})
    page = context.new_page()
    sign_in_officer(page, province_server)
    page.close()
    problems += check_pages(context, base, PROVINCE_SIGNED_IN, {})
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_editor_dialogs_have_no_violations(live_server, browser, width):
    """The article form's dialogs as an editor opens them: a picture to insert, the library
    to choose from, and the lead picture's chooser."""
    context = new_context(browser, width)
    page = context.new_page()
    sign_in_as_admin(page, live_server)
    page.goto(live_server.url + "/admin/articles/new")
    page.get_by_role("button", name="Chèn ảnh có chú thích").click()
    dialog = page.locator("dialog.rte-dialog")
    expect(dialog).to_be_visible()
    problems = [f"insert a picture: {line}" for line in violations(page)]
    dialog.get_by_role("button", name="Hoặc chọn ảnh có sẵn…").click()
    expect(page.locator("dialog.picker .picker-item img").first).to_be_visible()
    problems += [f"the library, from the editor: {line}" for line in violations(page)]
    page.goto(live_server.url + "/admin/articles/new")
    page.get_by_role("button", name="Chọn ảnh có sẵn…").click()
    expect(page.locator("dialog.picker .picker-item img").first).to_be_visible()
    problems += [f"the library, for the lead picture: {line}" for line in violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


# What an author ("Cộng tác viên") sees differently: the dashboard, the list, the form.
AUTHOR_PAGES = [
    ("admin.dashboard", "/admin/"),
    ("admin.article_list", "/admin/articles"),
    ("admin.article_new", "/admin/articles/new"),
    ("admin.sign_ins", "/admin/phien-dang-nhap"),
]
AUTHOR_PASSWORD = "mat-khau-cong-tac-vien"


@pytest.fixture
def author(live_server):
    """An author of the test's own, removed afterwards."""
    from models import User, db

    with live_server.app_context():
        user = User(username="ctv-tiep-can", display_name="Lò Thị Tiếp", role="author")
        user.set_password(AUTHOR_PASSWORD)
        db.session.add(user)
        db.session.commit()
        key, name = user.id, user.username
    yield name
    with live_server.app_context():
        db.session.delete(db.session.get(User, key))
        db.session.commit()


@pytest.mark.parametrize("width", WIDTHS)
def test_author_desk_pages_have_no_violations(live_server, browser, author, width):
    context = new_context(browser, width)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login")
    page.get_by_label("Tên đăng nhập").fill(author)
    page.get_by_label("Mật khẩu").fill(AUTHOR_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.close()
    problems = check_pages(context, live_server.url, AUTHOR_PAGES, {})
    context.close()
    assert not problems, "\n".join(problems)
