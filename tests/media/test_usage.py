"""Images are public only while something published shows them; the desk sees them all."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import MetaData, text

import models
from media import markup, uploads, usage
from models import Article, MediaUse, Page, db
from ops import schema
from sanitize import clean_html


def jpeg(colour=(30, 120, 200), size=(1000, 750)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def stored_image(colour=(30, 120, 200)):
    item = uploads.store_image(jpeg(colour), "anh.jpg")
    db.session.commit()
    return item


def fetch(client, url: str, **headers):
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def directives(response) -> set[str]:
    return {part.strip() for part in response.headers["Cache-Control"].split(",")}


def url(item, width=960, fmt="jpg") -> str:
    return f"/media/{item.id}-{width}.{fmt}"


def body_with(item) -> str:
    return clean_html("<p>Ảnh hiện trường.</p>" + markup.figure_html(item, "Hiện trường"))


@pytest.fixture
def embargoed(make_article):
    """A draft whose lead image and body image nothing published shows yet."""
    lead, inline = stored_image(), stored_image((200, 40, 40))
    draft = make_article(status="draft", image=lead, body=body_with(inline))
    return draft, lead, inline


def test_attack_reader_fetches_a_drafts_images_by_sequential_id(client, embargoed):
    _draft, lead, inline = embargoed
    for item in (lead, inline):
        for width in (160, 480, 960, 1600):
            assert fetch(client, url(item, width)).status_code == 404
            assert fetch(client, url(item, width, "webp")).status_code == 404


def test_attack_any_account_hosts_an_image_nothing_uses(client, auth):
    auth.login(role="author")
    response = client.post(
        "/admin/media/upload",
        data={"file": (io.BytesIO(jpeg()), "quang-cao.jpg")},
        content_type="multipart/form-data",
    )
    image_url = response.json["url"]
    assert fetch(client, image_url).status_code == 200  # the desk sees it
    auth.logout()
    assert fetch(client, image_url).status_code == 404


def test_publishing_shows_the_images_and_unpublishing_hides_them(client, embargoed, clock):
    draft, lead, inline = embargoed
    draft.status, draft.publish_at = "published", clock.now - timedelta(minutes=1)
    db.session.commit()
    for item in (lead, inline):
        response = fetch(client, url(item))
        assert response.status_code == 200
        assert directives(response) == {"public", "max-age=300"}
    draft.status = "draft"
    db.session.commit()
    assert fetch(client, url(lead)).status_code == 404
    assert fetch(client, url(inline)).status_code == 404


def test_attack_scheduled_and_expired_articles_images_follow_the_article(
    client, embargoed, clock
):
    draft, lead, _inline = embargoed
    draft.status, draft.publish_at = "published", clock.now + timedelta(hours=2)
    draft.expire_at = clock.now + timedelta(hours=4)
    db.session.commit()
    assert fetch(client, url(lead)).status_code == 404  # embargoed until the hour comes
    clock.advance(hours=3)
    assert fetch(client, url(lead)).status_code == 200
    clock.advance(hours=2)
    assert fetch(client, url(lead)).status_code == 404


def test_an_image_shared_with_a_published_article_stays_public(client, make_article, embargoed):
    draft, lead, _inline = embargoed
    make_article(body=body_with(lead))
    assert fetch(client, url(lead)).status_code == 200
    db.session.delete(draft)
    db.session.commit()
    assert fetch(client, url(lead)).status_code == 200


def test_a_page_shows_its_images_to_readers(client):
    item = stored_image()
    db.session.add(Page(title="Giới thiệu", slug="gioi-thieu", body=body_with(item)))
    db.session.commit()
    assert fetch(client, url(item)).status_code == 200


def test_removing_an_image_from_the_body_hides_it(client, make_article):
    item = stored_image()
    article = make_article(body=body_with(item))
    assert fetch(client, url(item)).status_code == 200
    article.body = "<p>Đã gỡ ảnh.</p>"
    db.session.commit()
    assert fetch(client, url(item)).status_code == 404


def test_signed_in_staff_see_unpublished_images_privately(client, auth, embargoed, clock):
    _draft, lead, _inline = embargoed
    auth.login(role="editor")
    response = fetch(client, url(lead))
    assert response.status_code == 200
    # Private, and revalidated each time (the site may add no-store for signed-in answers).
    assert {"private", "no-cache"} <= directives(response) and "public" not in directives(response)
    clock.advance(hours=3)  # the session ended by idle time: no more than a reader
    assert fetch(client, url(lead)).status_code == 404


def test_attack_image_revalidation_costs_no_body_and_no_round_trip_while_fresh(
    client, make_article
):
    item = stored_image()
    make_article(image=item)
    first = fetch(client, url(item, 480, "webp"))
    control = first.headers["Cache-Control"]
    # Issue 11: "no-cache" with "immutable" made every view a round trip; now neither.
    assert "no-cache" not in control and "immutable" not in control and "max-age=300" in control
    again = fetch(client, url(item, 480, "webp"), **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert directives(again) == {"public", "max-age=300"}


def test_the_uses_table_follows_saves_and_deletes(app, make_article):
    lead, inline = stored_image(), stored_image((0, 0, 0))
    article = make_article(image=lead, body=body_with(inline) + "<p>/media/99999999999-1.jpg</p>")
    pairs = db.session.execute(db.select(MediaUse.media_id, MediaUse.article_id)).all()
    assert sorted(pairs) == [(lead.id, article.id), (inline.id, article.id)]
    assert usage.rebuild(db.session.connection()) == 2  # a rebuild finds the same rows
    db.session.execute(db.delete(MediaUse))  # as an import past the ORM would leave it
    assert usage.rebuild(db.session.connection()) == 2
    db.session.delete(article)
    db.session.commit()
    assert db.session.scalars(db.select(MediaUse)).all() == []
    assert db.session.scalars(db.select(Article)).all() == []


def test_huge_ids_in_image_urls_are_not_found(client):
    assert fetch(client, "/media/99999999999999999999-480.jpg").status_code == 404


def test_the_migration_finds_the_images_existing_content_shows(empty_app):
    migration = "c41d7a2e9b10"
    schema.upgrade(schema.scripts().get_revision(migration).down_revision)
    tables = MetaData()
    tables.reflect(db.engine)
    now = models.utcnow().replace(tzinfo=None)
    rows = {
        "media": [{"id": n, "sha256": str(n) * 64, "kind": "image", "stored_name": f"{n}.jpg",
                   "original_name": "", "mime_type": "image/jpeg", "bytes": 1,
                   "created_at": now} for n in (1, 2, 3)],
        "category": [{"id": 1, "name": "Tin", "slug": "tin", "description": "", "position": 0,
                      "created_at": now, "updated_at": now}],
        "article": [{"id": 7, "title": "Tin", "slug": "tin", "summary": "",
                     "body": '<img src="/media/2-960.jpg"> /media/999-480.webp', "body_text": "",
                     "category_id": 1, "author": "", "source": "", "image_id": 1,
                     "image_caption": "", "image_alt": "", "status": "draft", "featured": False,
                     "version": 1, "search_folded": "", "created_at": now, "updated_at": now}],
        "page": [{"id": 4, "title": "Giới thiệu", "slug": "gioi-thieu", "position": 0,
                  "body": '<img src="/media/3-480.jpg">', "in_menu": True, "lang": "vi",
                  "show_officials": False, "created_at": now, "updated_at": now}],
    }  # fmt: skip
    with db.engine.begin() as connection:
        for table, values in rows.items():
            connection.execute(tables.tables[table].insert(), values)
    schema.upgrade(migration)
    with db.engine.connect() as connection:
        found = connection.execute(text("SELECT media_id, article_id, page_id FROM media_use"))
        assert sorted(tuple(row) for row in found) == [(1, 7, None), (2, 7, None), (3, None, 4)]


# --- The settings' images (emblem, banner, default share picture) -----------------------


def settings_with(**images) -> dict:
    """The settings form as stored now, with the given image fields."""
    from models import IMAGE_SETTINGS, Setting

    data = {k: v for k, v in Setting.values().items() if k not in IMAGE_SETTINGS}
    return data | {key: (io.BytesIO(value), f"{key}.jpg") for key, value in images.items()}


def test_the_settings_images_are_public_to_every_reader(client, auth):
    from models import Setting
    from tests.desk import switch_browser

    auth.login("admin")
    data = settings_with(banner=jpeg(size=(1600, 170)), share_image=jpeg((9, 9, 9), (1200, 630)))
    assert client.post("/admin/settings", data=data).status_code == 302
    stored = Setting.values()
    auth.logout()
    switch_browser()
    for key in ("banner", "share_image"):
        response = fetch(client, f"/media/{stored[key]}-960.jpg")
        assert response.status_code == 200, key
        assert directives(response) == {"public", "max-age=300"}
    home = client.get("/").get_data(as_text=True)
    assert f'<meta property="og:image" content="http://localhost/media/{stored["share_image"]}' \
        '-960.jpg">' in home
    # Once the settings stop naming it, the banner is no one's to see again.
    auth.login("admin")
    client.post("/admin/settings", data=settings_with() | {"banner_remove": "y"})
    auth.logout()
    switch_browser()
    assert fetch(client, f"/media/{stored['banner']}-960.jpg").status_code == 404
    assert fetch(client, f"/media/{stored['share_image']}-960.jpg").status_code == 200


def test_a_settings_image_cannot_be_deleted_from_the_library(client, auth):
    from models import Media, Setting

    auth.login("admin")
    client.post("/admin/settings", data=settings_with(logo=jpeg((90, 10, 10), (400, 400))))
    logo_id = int(Setting.values()["logo"])
    response = client.post(f"/admin/media/{logo_id}/delete", follow_redirects=True)
    assert "Không xóa được: đang được dùng ở Thông tin trang “Biểu trưng”." in (
        response.get_data(as_text=True)
    )
    assert db.session.get(Media, logo_id) is not None
    detail = client.get(f"/admin/media/{logo_id}").get_data(as_text=True)
    assert 'Thông tin trang: <a href="/admin/settings">Biểu trưng</a>' in detail


def test_the_uses_table_follows_the_settings(app):
    from models import Setting

    logo, banner = stored_image(), stored_image((1, 2, 3))
    Setting.put("logo", str(logo.id))
    Setting.put("banner", str(banner.id))
    Setting.put("site_name", str(banner.id))  # a number, but not an image setting
    db.session.commit()
    assert usage.settings_using(logo.id) == ["logo"]
    assert usage.shown_publicly(banner.id)
    db.session.execute(db.delete(MediaUse))  # as an import past the ORM would leave it
    assert usage.rebuild(db.session.connection()) == 2
    assert usage.settings_using(banner.id) == ["banner"]
    Setting.put("banner", "")
    db.session.commit()
    assert not usage.shown_publicly(banner.id)


def test_the_migration_finds_the_images_the_settings_name(empty_app):
    migration = "e2a9c4d7f1b3"
    schema.upgrade(schema.scripts().get_revision(migration).down_revision)
    now = models.utcnow().replace(tzinfo=None)
    with db.engine.begin() as connection:
        for n in (1, 2):
            connection.execute(
                text("INSERT INTO media (id, sha256, kind, stored_name, original_name, "
                     "mime_type, bytes, created_at) VALUES (:n, :h, 'image', 'a.jpg', '', "
                     "'image/jpeg', 1, :now)"), {"n": n, "h": str(n) * 64, "now": now})  # fmt: skip
        connection.execute(
            text("INSERT INTO setting (key, value) VALUES ('logo', '2'), ('banner', '77'), "
                 "('site_name', '1')")  # fmt: skip
        )
    schema.upgrade(migration)
    with db.engine.connect() as connection:
        found = connection.execute(text("SELECT media_id, setting_key FROM media_use"))
        assert [tuple(row) for row in found] == [(2, "logo")]


def test_attack_an_author_upload_becomes_the_emblem_after_it_is_deleted(client, auth):
    """The author uploads the commune's emblem file first; the admin's upload of the same file
    is the same image. Neither the author nor an editor may delete it while it is the emblem,
    and a deleted image's id is never given to the next upload."""
    from models import Media, Setting
    from tests.desk import switch_browser

    emblem = jpeg((150, 20, 20), (300, 300))
    auth.login("author")
    client.post("/admin/media", data={"files": [(io.BytesIO(emblem), "quoc-huy.jpg")]})
    auth.logout()
    switch_browser()
    auth.login("admin")
    client.post("/admin/settings", data=settings_with(logo=emblem))
    logo_id = int(Setting.values()["logo"])
    auth.logout()
    for role in ("author", "editor"):
        switch_browser()
        auth.login(role)
        client.post(f"/admin/media/{logo_id}/delete")
        assert db.session.get(Media, logo_id) is not None, role
        auth.logout()
    # Today's code refuses; a site whose emblem row went before it did must not hand that id
    # to the author's next upload.
    db.session.execute(db.delete(MediaUse).where(MediaUse.media_id == logo_id))
    db.session.execute(db.delete(Media).where(Media.id == logo_id))
    db.session.commit()
    switch_browser()
    auth.login("author")
    client.post("/admin/media", data={"files": [(io.BytesIO(jpeg((0, 0, 0))), "x.jpg")]})
    newest = db.session.scalar(db.select(db.func.max(Media.id)))
    assert newest != logo_id


# --- An article's list picture ----------------------------------------------------------------


def test_a_list_shows_the_bodys_first_picture_when_there_is_no_lead_image(client, make_article):
    first, second, lead = stored_image((10, 10, 10)), stored_image((20, 20, 20)), stored_image()
    body = clean_html(markup.figure_html(first, "Một") + markup.figure_html(second, "Hai"))
    from_body = make_article(title="Ảnh trong bài", body=body)
    with_lead = make_article(title="Có ảnh đại diện", image=lead, body=body)
    plain = make_article(title="Không ảnh", body="<p>Chữ thôi.</p>")
    assert (from_body.list_image_id, with_lead.list_image_id) == (first.id, lead.id)
    assert plain.list_image_id is None
    html = client.get(f"/chuyen-muc/{plain.category.slug}").get_data(as_text=True)
    items = {title: item.split("</li>")[0] for item in html.split('<li class="item')[1:]
             for title in ("Ảnh trong bài", "Có ảnh đại diện", "Không ảnh")
             if title in item.split("</li>")[0]}
    assert f"/media/{first.id}-160.jpg" in items["Ảnh trong bài"]
    assert f"/media/{lead.id}-160.jpg" in items["Có ảnh đại diện"]
    assert 'class="thumb' not in items["Không ảnh"] and "<img" not in items["Không ảnh"]
    # The picture a list shows is public like the article's own.
    assert fetch(client, f"/media/{first.id}-160.jpg").status_code == 200


def test_the_editor_may_choose_no_list_picture(client, auth, make_article):
    from tests.desk import article_data

    picture = stored_image()
    article = make_article(title="Ảnh không hợp danh sách", body=body_with(picture))
    auth.login("editor")
    data = article_data(article.category_id, action="update", version=article.version,
                        title=article.title, slug=article.slug, body=article.body,
                        hide_list_image="y")  # fmt: skip
    assert client.post(f"/admin/articles/{article.id}/edit", data=data).status_code == 302
    db.session.refresh(article)
    assert article.hide_list_image and article.list_image_id is None
    auth.logout()
    html = client.get(f"/chuyen-muc/{article.category.slug}").get_data(as_text=True)
    assert "Ảnh không hợp danh sách" in html and 'class="thumb' not in html.split("</head>")[1]
