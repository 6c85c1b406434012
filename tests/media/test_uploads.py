"""Images: what is accepted, what is refused, what is stored, and what readers download."""

import io
import os
import re
import struct
import zlib
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

import models
from media import markup, renditions, store, uploads
from models import Article, Category, Media, db
from sanitize import clean_html, html_to_text

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112
SECRET_COMMENT = b"secret-comment-from-the-camera"


def photo(size=(1200, 900), colour=(40, 120, 60)) -> Image.Image:
    """Draw a small scene, so encoders have something to work on."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(200, 40, 40))
    draw.ellipse([size[0] // 2, size[1] // 3, size[0] - 10, size[1] - 10], fill=(240, 220, 90))
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION_TAG] = orientation
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 7.0)})
    return exif


def phone_jpeg(size=(1200, 900), orientation: int = 1) -> bytes:
    """A JPEG as phones make them: EXIF with GPS and orientation, and a comment segment."""
    exif = exif_with_gps(orientation)
    return encoded(photo(size), "JPEG", quality=90, exif=exif, comment=SECRET_COMMENT)


def all_stored_files(app) -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(app.config["MEDIA_ROOT"]):
        found += [os.path.join(folder, name) for name in files]
    return sorted(found)


def upload(client, data: bytes, name: str = "anh.jpg", **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post("/admin/media/upload", data=form, content_type="multipart/form-data")


def fetch(client, url: str):
    """GET a file and close it, so no file handle outlives the test."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def editor(auth):
    auth.login(role="editor")
    return auth


# --- Accepted formats --------------------------------------------------------------------


def animated_gif() -> bytes:
    frames = [photo((300, 200), colour) for colour in ((10, 10, 200), (200, 10, 10))]
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def multi_picture_jpeg() -> bytes:
    """A JPEG with a second picture appended (MPO), as many phones write them."""
    depth = photo((300, 200), (0, 0, 0))
    return encoded(photo((600, 400)), "MPO", save_all=True, append_images=[depth])


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return encoded(photo((200, 150)), "PNG", pnginfo=info)


ACCEPTED = {
    "jpeg": (lambda: phone_jpeg(), "image/jpeg"),
    "multi-picture jpeg": (multi_picture_jpeg, "image/jpeg"),
    "png with a harmless text": (lambda: png_with_text("Chụp tại xã"), "image/png"),
    "png": (lambda: encoded(photo().convert("RGBA"), "PNG"), "image/png"),
    "webp": (lambda: encoded(photo(), "WEBP", quality=80), "image/webp"),
    "gif": (animated_gif, "image/png"),
}


@pytest.mark.parametrize("kind", ACCEPTED)
def test_each_accepted_format_is_stored_with_web_sizes(client, editor, kind):
    make, stored_type = ACCEPTED[kind]
    # A misleading name changes nothing: the content decides.
    response = upload(client, make(), name="khong-phai-anh.txt")
    assert response.status_code == 201, response.json
    item = db.session.get(Media, response.json["id"])
    assert item.kind == "image" and item.mime_type == stored_type
    assert item.stored_name.startswith(item.sha256)
    assert fetch(client, f"/media/{item.id}-480.webp").status_code == 200


def test_a_gif_keeps_its_first_frame(client, editor):
    item = db.session.get(Media, upload(client, animated_gif(), "dong.gif").json["id"])
    with Image.open(store.storage_path(item.stored_name)) as stored:
        assert stored.convert("RGB").getpixel((5, 5)) == (10, 10, 200)
        assert getattr(stored, "n_frames", 1) == 1


def test_upload_answers_with_a_figure_the_sanitiser_keeps(client, editor):
    response = upload(client, phone_jpeg(), caption="Họp dân thôn Đồng Tâm", alt="Người dân họp")
    body = response.json
    assert response.status_code == 201
    assert body["html"].startswith("<figure><img") and body["html"].endswith("</figure>")
    assert "<figcaption>Họp dân thôn Đồng Tâm</figcaption>" in body["html"]
    assert 'alt="Người dân họp"' in body["html"]
    assert body["url"] == f"/media/{body['id']}-960.jpg"
    assert clean_html(body["html"]) == body["html"]


# --- Refused inputs -------------------------------------------------------------------------


def polyglot_comment() -> bytes:
    """A valid JPEG whose comment segment is an HTML page."""
    return encoded(photo((200, 150)), "JPEG", comment=b"<html><script>alert(1)</script></html>")


def polyglot_appended() -> bytes:
    """A valid JPEG followed by an HTML page after its end marker."""
    return encoded(photo((200, 150)), "JPEG") + b"<html><body><script>alert(1)</script>"


def decompression_bomb() -> bytes:
    """A tiny PNG that claims 30000 x 30000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
REFUSED = {
    "svg with script": (SVG, "ve.svg", "SVG"),
    "html renamed .jpg": (b"<!doctype html><html><body>hi</body></html>", "anh.jpg", "HTML"),
    "jpeg/html polyglot in a comment": (polyglot_comment(), "anh.jpg", "mã HTML"),
    "jpeg/html polyglot after the image": (polyglot_appended(), "anh.jpg", "mã HTML"),
    "png hiding a script in a text chunk": (
        png_with_text("<script>alert(1)</script>"),
        "anh.png",
        "mã HTML",
    ),
    "gif hiding a page in its comment": (
        encoded(photo((50, 50)), "GIF", comment=b"<html><body>x</body></html>"),
        "anh.gif",
        "mã HTML",
    ),
    "truncated jpeg": (phone_jpeg()[:3000], "anh.jpg", "bị hỏng"),
    "decompression bomb": (decompression_bomb(), "bom.png", "quá nhiều điểm ảnh"),
    "empty file": (b"", "rong.jpg", "rỗng"),
    "bmp": (encoded(photo((50, 50)), "BMP"), "anh.bmp", "Chỉ nhận"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_uploads_get_a_vietnamese_reason_and_store_nothing(app, client, editor, case):
    data, name, reason = REFUSED[case]
    response = upload(client, data, name)
    assert response.status_code == 400
    assert reason in response.json["error"]
    assert db.session.scalars(db.select(Media)).all() == []
    assert all_stored_files(app) == []


def test_refused_directly_by_store_image(app):
    with pytest.raises(uploads.ImageRejected, match="SVG"):
        uploads.store_image(SVG, "ve.svg")


def test_path_traversal_names_never_reach_the_disk(app, client, editor):
    response = upload(client, phone_jpeg(), name="../../../etc/cron.d/evil.jpg")
    item = db.session.get(Media, response.json["id"])
    assert item.original_name == "evil.jpg"
    root = os.path.realpath(app.config["MEDIA_ROOT"])
    for path in all_stored_files(app):
        assert os.path.realpath(path).startswith(root + os.sep)
        assert "evil" not in path


def test_an_image_over_the_per_file_limit_is_413_with_a_message(app, client, editor):
    app.config["MEDIA_MAX_IMAGE_BYTES"] = 10_000
    response = upload(client, phone_jpeg())
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.json["error"]


def test_a_request_over_the_upload_limit_is_a_json_413(app, client, editor):
    app.config["MAX_UPLOAD_LENGTH"] = 10_000
    response = upload(client, phone_jpeg())
    assert response.status_code == 413
    assert "tối đa" in response.json["error"]


def test_anonymous_upload_is_told_to_log_in_again(client):
    response = upload(client, phone_jpeg())
    assert response.status_code == 401
    assert "đăng nhập" in response.json["error"]


def test_upload_without_a_file_is_refused(client, editor):
    response = client.post("/admin/media/upload", data={"caption": "x"})
    assert response.status_code == 400
    assert "Hãy chọn" in response.json["error"]


def test_upload_needs_a_csrf_token_in_the_form_or_a_header(csrf_editor):
    client, token = csrf_editor
    refused = upload(client, phone_jpeg())
    assert refused.status_code == 400 and "hết hạn" in refused.json["error"]
    by_header = client.post(
        "/admin/media/upload",
        data={"file": (io.BytesIO(phone_jpeg()), "a.jpg")},
        headers={"X-CSRFToken": token},
    )
    assert by_header.status_code == 201
    assert upload(client, phone_jpeg(), csrf_token=token).status_code == 201


# --- What is stored --------------------------------------------------------------------------


def test_gps_exif_and_comments_are_gone_from_every_stored_file(app, client, editor):
    upload(client, phone_jpeg(size=(2000, 1500)), "gps.jpg")
    files = all_stored_files(app)
    assert len(files) >= 1 + 2 * len(renditions.CONTENT_WIDTHS)
    for path in files:
        with open(path, "rb") as handle:
            raw = handle.read()
        assert SECRET_COMMENT not in raw, path
        assert b"PhoneMaker" not in raw and b"Exif\x00\x00" not in raw, path
        with Image.open(path) as stored:
            assert GPS_TAG not in stored.getexif(), path
            assert not stored.getexif(), path
            assert "comment" not in stored.info, path


def test_exif_orientation_is_applied_before_the_metadata_goes(client, editor):
    # Orientation 6: the camera was turned; the picture must come out portrait.
    response = upload(client, phone_jpeg(size=(800, 600), orientation=6))
    item = db.session.get(Media, response.json["id"])
    assert (item.width, item.height) == (600, 800)


def test_the_same_photo_twice_is_stored_once(app, client, editor):
    data = phone_jpeg()
    first = upload(client, data, "lan-1.jpg").json["id"]
    files = all_stored_files(app)
    second = upload(client, data, "lan-2.jpg").json["id"]
    assert first == second
    assert len(db.session.scalars(db.select(Media)).all()) == 1
    assert all_stored_files(app) == files


def test_renditions_have_the_promised_widths_and_formats(app, client, editor):
    item_id = upload(client, phone_jpeg(size=(2400, 1800))).json["id"]
    for width in (160, 320, 480, 960, 1600):
        for fmt, pil_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            response = fetch(client, f"/media/{item_id}-{width}.{fmt}")
            assert response.status_code == 200
            assert response.mimetype == f"image/{'jpeg' if fmt == 'jpg' else 'webp'}"
            # Not yet in any published article: only the desk sees it, privately.
            assert {"private", "no-cache"} <= set(response.headers["Cache-Control"].split(", "))
            with Image.open(io.BytesIO(response.data)) as image:
                assert image.format == pil_format
                assert image.size == (width, width * 3 // 4)


def test_renditions_are_made_once_and_small_images_are_not_enlarged(app, client, editor):
    item = db.session.get(Media, upload(client, phone_jpeg(size=(700, 500))).json["id"])
    path = renditions.rendition_path(item, 1600, "webp")
    made = os.stat(path).st_mtime_ns
    assert renditions.rendition_path(item, 960, "webp") == path  # 960 and 1600 are both 700 wide
    fetch(client, f"/media/{item.id}-1600.webp")
    assert os.stat(path).st_mtime_ns == made
    with Image.open(path) as image:
        assert image.size == (700, 500)


def test_a_lost_rendition_is_made_again_on_request(app, client, editor):
    item = db.session.get(Media, upload(client, phone_jpeg()).json["id"])
    os.remove(renditions.rendition_path(item, 480, "webp"))
    assert fetch(client, f"/media/{item.id}-480.webp").status_code == 200
    assert os.path.exists(renditions.rendition_file(item, 480, "webp"))


def test_unknown_sizes_and_media_are_not_found(client, editor):
    item_id = upload(client, phone_jpeg()).json["id"]
    assert client.get(f"/media/{item_id}-500.webp").status_code == 404
    assert client.get(f"/media/{item_id}-480.png").status_code == 404
    assert client.get("/media/999-480.webp").status_code == 404


def test_transparent_png_renditions_sit_on_white(app):
    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    item = uploads.store_image(encoded(image, "PNG"), "trong-suot.png")
    with Image.open(renditions.rendition_path(item, 480, "jpg")) as rendition:
        assert rendition.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


# --- What readers get --------------------------------------------------------------------------


def illustrate() -> int:
    """Store three images and publish an article showing them; return the article's id."""
    lead = uploads.store_image(phone_jpeg(size=(2000, 1500)), "dau.jpg")
    first = uploads.store_image(encoded(photo((1600, 1200), (90, 90, 200)), "JPEG"), "mot.jpg")
    second = uploads.store_image(encoded(photo((400, 300), (200, 90, 90)), "JPEG"), "hai.jpg")
    body = clean_html(
        "<p>Mở đầu.</p>"
        + markup.figure_html(first, "Cánh đồng", "Cánh đồng lúa")
        + "<p>Giữa bài.</p>"
        + markup.figure_html(second, "Nhà văn hóa")
    )
    article = Article(
        title="Tin có ảnh", slug="tin-co-anh", summary="Tóm tắt tin có ảnh.", body=body,
        body_text=html_to_text(body), status="published", image=lead,
        image_caption="Ảnh đầu bài", image_alt="Toàn cảnh",
        category=Category(name="Tin tức", slug="tin-tuc", position=1),
        publish_at=models.utcnow() - timedelta(hours=1),
    )
    db.session.add(article)
    db.session.commit()
    return article.id


@pytest.fixture
def illustrated(seeded):
    """A published article with a lead image and two images in its body (a copy of the one
    stored once per session: the three images cost 30 web sizes)."""
    return db.session.get(Article, seeded("illustrated", illustrate))


def page_of(client, article, **headers):
    return client.get(f"/tin/{article.slug}-{article.id}", headers=headers)


def test_article_images_are_responsive_pictures(client, illustrated):
    html = page_of(client, illustrated).get_data(as_text=True)
    lead, first, second = re.findall(r"<picture>.*?</picture>", html, re.S)
    lead_id = illustrated.image_id
    assert f"/media/{lead_id}-480.webp 480w, /media/{lead_id}-960.webp 960w" in lead
    assert 'width="1600" height="1200"' in lead
    assert 'loading="lazy"' not in lead  # above the fold: fetched at once
    assert 'loading="lazy"' in first and 'loading="lazy"' in second
    assert 'alt="Cánh đồng lúa"' in first
    # The small image offers only its own width, never an enlargement.
    assert "480w" not in second and "400w" in second and 'width="400"' in second


def test_save_data_header_gives_links_with_sizes_and_no_images(client, illustrated):
    html = page_of(client, illustrated, **{"Save-Data": "on"}).get_data(as_text=True)
    assert "<img" not in html and "<picture" not in html
    links = re.findall(r'<a class="img-link" href="([^"]+)">Xem ảnh \((\d+) KB\)</a>', html)
    assert len(links) == 3
    for url, kilobytes in links:
        path = url.removeprefix("/media/")
        item = db.session.get(Media, int(path.split("-")[0]))
        size = os.path.getsize(renditions.rendition_path(item, 480, "jpg"))
        assert int(kilobytes) == round(size / 1024)
    assert "Ảnh đầu bài" in html and "Cánh đồng" in html  # captions stay


def test_save_data_varies_the_cache_and_the_etag(client, illustrated):
    normal = page_of(client, illustrated)
    saving = page_of(client, illustrated, **{"Save-Data": "on"})
    for response in (normal, saving):
        assert {"Save-Data", "Cookie"} <= set(response.vary)
    assert normal.headers["ETag"] != saving.headers["ETag"]
    again = page_of(
        client, illustrated, **{"Save-Data": "on", "If-None-Match": normal.headers["ETag"]}
    )
    assert again.status_code == 200 and "<img" not in again.get_data(as_text=True)


def test_the_switch_sets_a_cookie_and_returns_to_a_local_page(client, illustrated):
    path = f"/tin/{illustrated.slug}-{illustrated.id}"
    response = client.get(f"/tiet-kiem-du-lieu?bat=1&next={path}")
    assert response.status_code == 302 and response.location.endswith(path)
    assert response.cache_control.no_store
    assert "tiet_kiem_du_lieu=1" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get(path).get_data(as_text=True)
    assert "<img" not in html and "Hiện ảnh" in html
    client.get(f"/tiet-kiem-du-lieu?bat=0&next={path}")
    assert "<img" in client.get(path).get_data(as_text=True)


def test_the_switch_never_redirects_to_another_site(client):
    response = client.get("/tiet-kiem-du-lieu?bat=1&next=//evil.example/x")
    assert response.location in ("/", "http://localhost/")


def test_the_readers_choice_wins_over_the_browser_header(client, illustrated):
    client.get("/tiet-kiem-du-lieu?bat=0")
    html = page_of(client, illustrated, **{"Save-Data": "on"}).get_data(as_text=True)
    assert "<picture>" in html


def test_pages_link_the_switch_without_javascript(client, illustrated):
    html = page_of(client, illustrated).get_data(as_text=True)
    switch = re.search(r'<a href="(/tiet-kiem-du-lieu[^"]+)" rel="nofollow">', html)[1]
    assert "bat=1" in switch and f"{illustrated.id}" in switch


def test_lists_drop_thumbnails_for_data_savers(client, illustrated):
    assert "<img" in client.get("/").get_data(as_text=True)
    html = client.get("/", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert "<img" not in html and illustrated.title in html


def test_print_view_and_saved_copy_respect_save_data(client, illustrated):
    base = f"/tin/{illustrated.slug}-{illustrated.id}"
    printed = client.get(base + "/ban-in", headers={"Save-Data": "on"}).get_data(as_text=True)
    saved = client.get(base + "/luu", headers={"Save-Data": "on"}).get_data(as_text=True)
    for html in (printed, saved):
        assert "<img" not in html and "Xem ảnh (" in html
    assert 'href="http://localhost/media/' in saved  # a saved file needs absolute links
    full = client.get(base + "/luu").get_data(as_text=True)
    assert full.count('src="data:image/jpeg;base64,') == 3


def test_a_deleted_image_leaves_no_broken_box_for_data_savers(client, make_article):
    article = make_article(body='<figure><img src="/media/4242-960.jpg" alt="x"></figure>')
    html = page_of(client, article, **{"Save-Data": "on"}).get_data(as_text=True)
    assert "/media/4242" not in html


# --- The media library -----------------------------------------------------------------------


def test_library_lists_and_finds_images_by_article_caption(client, illustrated, editor):
    html = client.get("/admin/media").get_data(as_text=True)
    assert "dau.jpg" in html and "mot.jpg" in html
    found = client.get("/admin/media?q=đầu bài").get_data(as_text=True)
    assert "dau.jpg" in found and "mot.jpg" not in found


def test_library_upload_form_works_without_javascript(client, editor):
    response = client.post(
        "/admin/media",
        data={"files": [(io.BytesIO(phone_jpeg()), "a.jpg"), (io.BytesIO(SVG), "b.svg")]},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Đã tải lên 1 ảnh." in html and "b.svg: Không nhận ảnh SVG" in html


def test_deleting_an_image_in_use_is_refused_with_the_articles(client, illustrated, editor):
    lead_id = illustrated.image_id
    body_id = int(re.search(r"/media/(\d+)-", illustrated.body)[1])
    for item_id in (lead_id, body_id):
        response = client.post(f"/admin/media/{item_id}/delete", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "Không xóa được" in html and illustrated.title in html
        assert db.session.get(Media, item_id) is not None


def test_deleting_an_unused_image_removes_its_files(app, client, editor):
    item = db.session.get(Media, upload(client, phone_jpeg()).json["id"])
    item_id, sha = item.id, item.sha256
    response = client.post(f"/admin/media/{item_id}/delete", follow_redirects=True)
    assert "Đã xóa" in response.get_data(as_text=True)
    assert db.session.get(Media, item_id) is None
    assert not [path for path in all_stored_files(app) if sha in path]


def test_authors_may_not_delete_other_peoples_images(client, auth, app):
    item = uploads.store_image(phone_jpeg(), "cua-nguoi-khac.jpg")
    db.session.commit()
    auth.login(role="author")
    assert client.post(f"/admin/media/{item.id}/delete").status_code == 403


def test_media_detail_shows_sizes_usage_and_the_reuse_code(client, illustrated, editor):
    html = client.get(f"/admin/media/{illustrated.image_id}").get_data(as_text=True)
    assert "480 px" in html and "WebP" in html
    assert illustrated.title in html
    assert f"/media/{illustrated.image_id}-960.jpg" in html


def test_the_picker_answers_json_for_the_editor(client, illustrated, editor):
    items = client.get("/admin/media/chon.json").json["items"]
    assert len(items) == 3 and all(item["html"].startswith("<figure>") for item in items)


@pytest.mark.parametrize("url", ["/admin/media", "/admin/media/1", "/admin/media/chon.json"])
def test_library_pages_need_a_login(client, url):
    assert client.get(url).status_code == 302


# --- media-check ---------------------------------------------------------------------------------


def test_media_check_remakes_renditions_and_reports_problems(app, runner, illustrated):
    lead = illustrated.image
    os.remove(renditions.rendition_file(lead, 480, "webp"))
    orphan = os.path.join(app.config["MEDIA_ROOT"], "originals", "ab", "abandoned.jpg")
    os.makedirs(os.path.dirname(orphan), exist_ok=True)
    with open(orphan, "wb") as handle:
        handle.write(b"x")
    result = runner.invoke(args=["media-check"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo lại 1 cỡ ảnh" in result.output
    assert "Tệp mồ côi" in result.output and "abandoned.jpg" in result.output
    assert os.path.exists(renditions.rendition_file(lead, 480, "webp"))
    result = runner.invoke(args=["media-check", "--delete-orphans"])
    assert not os.path.exists(orphan)


def test_media_check_fails_on_a_missing_or_damaged_original(app, runner, illustrated):
    lead = illustrated.image
    os.remove(store.storage_path(lead.stored_name))
    result = runner.invoke(args=["media-check", "--verify"])
    assert result.exit_code == 1
    assert "Thiếu tệp gốc" in result.output and "dau.jpg" in result.output


def test_articles_keep_working_when_an_image_row_is_unknown(client, make_article):
    article = make_article(body='<p>a</p><figure><img src="/media/77-960.jpg" alt="b"></figure>')
    html = page_of(client, article).get_data(as_text=True)
    assert '<img src="/media/77-960.jpg" alt="b">' in html
    assert db.session.scalar(db.select(Article).where(Article.id == article.id))


# --- Bounded cost: size, memory, concurrency, and nothing left behind ------------------------


def flat_png(size) -> bytes:
    """A large, nearly empty PNG: a few kilobytes on the wire, many megabytes decoded."""
    return encoded(Image.new("RGB", size, (250, 250, 245)), "PNG", optimize=True)


def test_attack_an_image_too_tall_for_webp_is_refused_and_leaves_no_file(app, client, editor):
    response = upload(client, flat_png((900, 17_000)), "infographic.png")
    assert response.status_code == 400
    error = response.json["error"]
    assert "Ảnh quá dài" in error and "17.000" in error and "16.383" in error
    assert db.session.scalars(db.select(Media)).all() == []
    assert all_stored_files(app) == []


def test_a_tall_image_that_fits_once_scaled_is_accepted(client, editor):
    # 2,000 px wide: its 1,600 px web size is 14,400 px tall, within WebP's limit.
    response = upload(client, flat_png((2000, 18_000)), "ban-do.png")
    assert response.status_code == 201
    item = db.session.get(Media, response.json["id"])
    assert renditions.tallest_rendition(item.width, item.height) == 14_400


def test_a_failing_rendition_leaves_no_file_behind(app, client, editor, monkeypatch):
    real_encode = renditions.encode

    def broken(image, fmt):
        if image.width == 480:
            raise OSError("encoder failed")
        return real_encode(image, fmt)

    monkeypatch.setattr(renditions, "encode", broken)
    response = upload(client, phone_jpeg())
    assert response.status_code == 400 and "không phải là ảnh hợp lệ" in response.json["error"]
    assert db.session.scalars(db.select(Media)).all() == []
    assert all_stored_files(app) == []


def test_attack_a_huge_png_is_kept_at_a_bounded_size(client, editor):
    # The attack sent 6,300 x 6,300 px in 131 KB; the original kept is at most 3,200 px wide.
    response = upload(client, flat_png((4000, 4000)), "bom-nho.png")
    assert response.status_code == 201
    item = db.session.get(Media, response.json["id"])
    assert (item.width, item.height) == (2000, 2000)  # halved: the smallest factor that fits
    assert uploads.KEEP_WIDTH <= item.width <= uploads.ORIGINAL_MAX_WIDTH


def test_a_large_jpeg_is_decoded_at_reduced_scale(client, editor):
    # Draft mode: a 4000 px photo decodes at 1/2 scale, still above the largest web width.
    response = upload(client, phone_jpeg(size=(4000, 3000)))
    item = db.session.get(Media, response.json["id"])
    assert (item.width, item.height) == (2000, 1500)
    assert item.width >= max(renditions.CONTENT_WIDTHS)


def test_attack_uploads_beyond_the_concurrency_limit_wait_and_are_told_to_retry(
    app, client, editor, monkeypatch
):
    app.config["MEDIA_MAX_CONCURRENT"] = 2
    monkeypatch.setattr(renditions, "SLOT_WAIT_SECONDS", 0.01)
    slots = renditions.slots()
    assert slots.acquire(blocking=False) and slots.acquire(blocking=False)  # two at work
    try:
        response = upload(client, phone_jpeg())
    finally:
        slots.release()
        slots.release()
    assert response.status_code == 503 and "đang bận" in response.json["error"]
    assert db.session.scalars(db.select(Media)).all() == []
    assert upload(client, phone_jpeg()).status_code == 201  # a slot is free again
