"""`flask import-wordpress`: a hand-written export with WordPress's quirks becomes articles,
pages and images, and every old address answers 301 to its new one."""

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Article, AuditLog, Category, ImportedItem, Media, Page, Redirect, db
from ops import importing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WXR = str(FIXTURES / "wordpress.xml")
UPSTREAM = FIXTURES / "upstream" / "wordpress-importer"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def article(title: str) -> Article:
    return db.session.scalar(select(Article).where(Article.title == title))


@pytest.fixture
def uploads(tmp_path) -> str:
    """The old site's wp-content/uploads: the two photos the export's attachments name."""
    folder = tmp_path / "uploads" / "2019" / "05"
    folder.mkdir(parents=True)
    for name, colour in (("le-hoi.jpg", (200, 40, 40)), ("cau-moi.jpg", (40, 90, 200))):
        Image.new("RGB", (640, 480), colour).save(folder / name, "JPEG")
    return str(tmp_path / "uploads")


@pytest.fixture
def imported(runner, uploads):
    result = runner.invoke(args=["import-wordpress", WXR, "--uploads", uploads])
    assert result.exit_code == 0, result.output
    return result


def test_a_post_keeps_its_text_date_author_category_and_images(imported):
    festival = article("Lễ hội đình làng Phú Mỹ năm 2019")
    assert festival.status == "published"
    assert festival.publish_at == datetime(2019, 5, 14, 1, 30, tzinfo=UTC)  # post_date_gmt
    assert festival.author == "Nguyễn Thu Hà"
    assert festival.category.name == "Văn hóa – Xã hội"
    assert festival.category.slug == "van-hoa"  # the old site's own slug, still free
    assert festival.category.parent.name == "Tin tức"
    # No excerpt: the teaser before <!--more--> is the summary.
    assert festival.summary.startswith("Sáng 14/5, hàng nghìn người dân")
    body = festival.body
    assert "<p>Lễ hội năm nay có nhiều hoạt động mới: đua thuyền, kéo co" in body
    assert "nấu cơm.<br>" in body
    assert "<figcaption>Cây cầu mới bắc qua suối Đá</figcaption>" in body
    assert "<figure>" in body and 'src="/media/' in body
    assert "contact-form-7" not in body and "[caption" not in body and "more" not in body
    assert "[Trở về]" in body
    assert "<p>Ban tổ chức cảm ơn bà con đã tham gia.</p>" in body
    assert 'href="/?p=25"' in body  # a link to the old site now goes through the redirects
    assert "xa-hoa-phong.example" not in body
    assert festival.image is not None
    assert festival.image_caption == "Người dân xem đua thuyền"
    assert festival.image_alt == "Thuyền đua trên sông"


def test_images_go_through_the_pipeline_once(imported, client):
    assert count(Media) == 2  # the resized copy in the body is the original cau-moi.jpg
    lead = article("Lễ hội đình làng Phú Mỹ năm 2019").image
    assert (lead.width, lead.height) == (640, 480) and lead.mime_type == "image/jpeg"
    with client.get(f"/media/{lead.id}-480.webp") as answer:  # made when first asked for
        assert answer.status_code == 200 and answer.mimetype == "image/webp"


def test_the_report_lists_what_could_not_be_imported(imported):
    output = imported.output
    assert "khong-co.jpg" in output and "Không có tệp ảnh" in output
    assert "Trang chưa đăng" in output  # the draft page
    assert "riêng tư" in output
    assert "4 tin bài" not in output and "6 tin bài" in output


def test_drafts_private_pending_and_future_posts(imported):
    draft = article("Dự thảo kế hoạch sửa đường liên thôn")
    # post_date_gmt is 0000-00-00: 08:00 in Asia/Ho_Chi_Minh is 01:00 UTC.
    assert draft.status == "draft" and draft.publish_at is None
    assert draft.created_at == datetime(2019, 6, 1, 1, 0, tzinfo=UTC)
    assert article("Ghi chú nội bộ của văn phòng").status == "draft"
    assert article("Bài chờ duyệt về nông thôn mới").status == "pending"
    scheduled = article("Thông báo lịch tiếp công dân năm 2031")
    assert scheduled.is_scheduled
    assert article("Bài đã xóa") is None
    assert article("Kế hoạch phát triển kinh tế năm 2019").summary == (
        "Ba mục tiêu cho năm 2019 của xã Hòa Phong."
    )


def test_pages_become_static_pages(imported, client):
    page = db.session.scalar(select(Page).where(Page.title == "Giới thiệu chung"))
    assert "<p>Xã Hòa Phong nằm bên bờ sông Cẩm.</p>" in page.body
    assert "<p>Diện tích tự nhiên 42 km².</p>" in page.body
    assert not page.in_menu
    assert db.session.scalar(select(Page).where(Page.title == "Trang đang soạn")) is None
    for old in ("/gioi-thieu-chung/", "/?page_id=30"):
        answer = client.get(old)
        assert answer.status_code == 301 and answer.location == "/trang/gioi-thieu-chung"


@pytest.mark.parametrize(
    "old",
    [
        "/2019/05/14/le-hoi-dinh-lang/",
        "/2019/05/14/le-hoi-dinh-lang",
        "/2019/05/le-hoi-dinh-lang/",
        "/?p=21",
        "/?p=21&utm_source=zalo",
    ],
)
def test_old_links_answer_301_to_the_article(imported, client, old):
    festival = article("Lễ hội đình làng Phú Mỹ năm 2019")
    answer = client.get(old)
    assert answer.status_code == 301
    assert answer.location == f"/tin/{festival.slug}-{festival.id}"
    assert client.get(answer.location).status_code == 200


def test_old_category_pages_answer_301(imported, client):
    answer = client.get("/category/van-hoa/")
    assert answer.status_code == 301 and answer.location == "/chuyen-muc/van-hoa"


def test_unpublished_posts_get_no_old_address(imported, client):
    """A redirect would tell anyone the new address, and so the title, of a draft."""
    for old in ("/?p=22", "/?p=23", "/?p=24", "/2019/06/02/ghi-chu-noi-bo/"):
        answer = client.get(old)
        assert answer.status_code in (200, 404) and answer.status_code != 301, old


def test_running_twice_adds_nothing(imported, runner, uploads):
    before = {model: count(model) for model in (Article, Page, Media, Category, Redirect)}
    again = runner.invoke(args=["import-wordpress", WXR, "--uploads", uploads])
    assert again.exit_code == 0, again.output
    assert "đã nhập lần trước" in again.output
    assert {model: count(model) for model in before} == before


def test_a_dry_run_writes_nothing(runner, uploads, app):
    result = runner.invoke(args=["import-wordpress", WXR, "--uploads", uploads, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Chạy thử" in result.output and "6 tin bài" in result.output
    # Three for each published post and the page, and the two used categories' two each.
    assert "13 địa chỉ cũ" in result.output
    assert "khong-co.jpg" in result.output
    for model in (Article, Page, Media, Category, Redirect, ImportedItem, AuditLog):
        assert count(model) == 0
    assert not os.path.exists(os.path.join(app.config["MEDIA_ROOT"], "originals"))


def test_without_uploads_the_articles_still_come(runner):
    result = runner.invoke(args=["import-wordpress", WXR])
    assert result.exit_code == 0, result.output
    assert count(Article) == 6 and count(Media) == 0
    assert "chưa chỉ thư mục --uploads" in result.output


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_attack_hostile_xml_is_refused(runner, name):
    result = runner.invoke(args=["import-wordpress", str(FIXTURES / name)])
    assert result.exit_code != 0
    assert "DTD" in result.output and "tấn công" in result.output
    assert "root:" not in result.output
    assert count(Article) == 0


def test_attack_an_attachment_cannot_read_outside_the_uploads_folder(runner, tmp_path, uploads):
    secret = tmp_path / "bi-mat.jpg"
    Image.new("RGB", (64, 64), (0, 0, 0)).save(secret, "JPEG")
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        Path(WXR).read_text(encoding="utf-8").replace("2019/05/le-hoi.jpg]]", "../bi-mat.jpg]]"),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-wordpress", str(hostile), "--uploads", uploads])
    assert result.exit_code == 0, result.output
    assert article("Lễ hội đình làng Phú Mỹ năm 2019").image is None


def test_not_xml_gets_a_clear_message(runner, tmp_path):
    broken = tmp_path / "hong.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    result = runner.invoke(args=["import-wordpress", str(broken)])
    assert result.exit_code != 0 and "không phải XML hợp lệ" in result.output


def test_old_category_query_links_answer_301(imported, client):
    answer = client.get("/?cat=4")
    assert answer.status_code == 301 and answer.location == "/chuyen-muc/van-hoa"


def test_attack_one_huge_item_is_refused_before_it_fills_memory(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ITEM_BYTES", 64 * 1024)
    huge = tmp_path / "lon.xml"
    huge.write_text(
        Path(WXR).read_text(encoding="utf-8").replace(
            "Nội dung dự thảo, chưa đăng.", "Lặp lại mãi. " * 20_000
        ),
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-wordpress", str(huge)])
    assert result.exit_code != 0 and "Một mục trong tệp dài hơn" in result.output
    assert count(Article) == 0


def test_attack_a_file_over_the_limit_is_refused(runner, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 4096)
    result = runner.invoke(args=["import-wordpress", WXR])
    assert result.exit_code != 0 and "Tệp quá lớn" in result.output
    assert count(Article) == 0


def test_attack_script_and_foreign_images_in_a_body_are_removed(runner, tmp_path):
    hostile = tmp_path / "doc.xml"
    hostile.write_text(
        Path(WXR).read_text(encoding="utf-8")
        .replace("<p>Kế hoạch gồm ba mục tiêu chính.</p>",
                 '<p onclick="alert(1)">Kế hoạch</p><script>alert("x")</script>'
                 '<a href="javascript:alert(2)">xem</a><img src="https://theo-doi.example/p.gif">')
        .replace("Kế hoạch phát triển kinh tế năm 2019", "Kế hoạch &#8220;Kinh tế&#8221; 2019"),
        encoding="utf-8",
    )  # fmt: skip
    assert runner.invoke(args=["import-wordpress", str(hostile)]).exit_code == 0
    plan = article("Kế hoạch “Kinh tế” 2019")  # WordPress's entities in titles are decoded
    assert "<p>Kế hoạch</p>" in plan.body and "xem" in plan.body
    for planted in ("script", "alert", "javascript", "onclick", "theo-doi"):
        assert planted not in plan.body


def test_an_import_is_written_in_the_audit_log(imported):
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "import"))
    assert "WordPress https://xa-hoa-phong.example" in entry.detail
    assert "6 tin bài" in entry.detail


def with_password(tmp_path, post_id: str) -> str:
    """The export with one item behind a WordPress password."""
    protected = tmp_path / "mat-khau.xml"
    protected.write_text(
        Path(WXR).read_text(encoding="utf-8").replace(
            f"<wp:post_id>{post_id}</wp:post_id>",
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_password><![CDATA[bimat]]>"
            "</wp:post_password>",
        ),
        encoding="utf-8",
    )
    return str(protected)


@pytest.mark.parametrize("dry_run", [False, True])
def test_attack_a_password_protected_post_is_not_published(runner, client, tmp_path, dry_run):
    """A post its author hid behind a password stays hidden: a draft, no old address."""
    args = ["import-wordpress", with_password(tmp_path, "25")] + ["--dry-run"] * dry_run
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "#25 Kế hoạch phát triển kinh tế năm 2019: Bài có mật khẩu" in result.output
    assert "bản nháp" in result.output
    if dry_run:
        assert "10 địa chỉ cũ" in result.output  # three fewer than the open post would have
        return
    plan = article("Kế hoạch phát triển kinh tế năm 2019")
    assert plan.status == "draft" and plan.publish_at is None
    for old in ("/?p=25", "/2019/04/20/ke-hoach-nam/", "/2019/04/ke-hoach-nam/"):
        assert client.get(old).status_code != 301, old
    assert "Kế hoạch gồm ba mục tiêu" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/tin/{plan.slug}-{plan.id}").status_code == 404


def test_attack_a_password_protected_page_is_not_imported(runner, client, tmp_path):
    result = runner.invoke(args=["import-wordpress", with_password(tmp_path, "30")])
    assert result.exit_code == 0, result.output
    assert "#30 Giới thiệu chung: Trang có mật khẩu" in result.output
    assert db.session.scalar(select(Page).where(Page.title == "Giới thiệu chung")) is None
    assert client.get("/?page_id=30").status_code != 301


@pytest.mark.parametrize(
    "namespace",
    ["https://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/",
     "https://wordpress.org/export/1.0/"],
)  # fmt: skip
def test_every_export_namespace_is_read(runner, tmp_path, namespace):
    """WordPress.com writes https://wordpress.org/export/1.2/; older sites 1.0 and 1.1."""
    export = tmp_path / "wordpress-com.xml"
    export.write_text(
        Path(WXR).read_text(encoding="utf-8")
        .replace("http://wordpress.org/export/1.2/", namespace),
        encoding="utf-8",
    )  # fmt: skip
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    assert count(Article) == 6 and count(Page) == 1


def test_an_ordinary_feed_is_refused_with_the_reason(runner):
    result = runner.invoke(args=["import-wordpress", str(FIXTURES / "feed.rss")])
    assert result.exit_code != 0
    assert "không phải tệp xuất WordPress" in result.output and "import-feed" in result.output
    assert count(Article) == 0


def test_an_unknown_namespace_is_refused_not_reported_as_success(runner, tmp_path):
    export = tmp_path / "sai.xml"
    export.write_text(
        Path(WXR).read_text(encoding="utf-8")
        .replace("http://wordpress.org/export/1.2/", "http://example.org/export/9/"),
        encoding="utf-8",
    )  # fmt: skip
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code != 0 and "wp:wxr_version" in result.output
    assert "Đã nhập" not in result.output


def test_an_export_without_posts_exits_with_an_error(runner, tmp_path):
    export = tmp_path / "rong.xml"
    text = Path(WXR).read_text(encoding="utf-8")
    export.write_text(text[: text.index("<item>")] + "</channel></rss>", encoding="utf-8")
    for args in ([], ["--dry-run"]):
        result = runner.invoke(args=["import-wordpress", str(export), *args])
        assert result.exit_code != 0
        assert "không có bài viết hay trang nào" in result.output
    assert count(Category) == 0


@pytest.mark.parametrize("prefix", [b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \n"])
def test_a_blank_line_or_bom_before_the_declaration_is_tolerated(runner, tmp_path, prefix):
    """The stray newline a WordPress plugin prints before <?xml must not lose the archive."""
    export = tmp_path / "dong-trong.xml"
    export.write_bytes(prefix + Path(WXR).read_bytes())
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    assert count(Article) == 6


def cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: a base letter it has, then the tone as a mark."""
    out = b""
    for letter in text:
        try:
            out += letter.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", letter)
            for mark in list(marks):  # keep "ô" whole, the tone apart
                joined = unicodedata.normalize("NFC", base + mark)
                if len(joined) == 1 and joined.encode("cp1258", "ignore"):
                    base = joined
                    marks.remove(mark)
            out += (base + "".join(marks)).encode("cp1258")
    return out


def tiny_wxr(encoding: str, title: str, author: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version><link>https://cu.example</link>"
        f"<item><title>{title}</title><dc:creator>{author}</dc:creator>"
        f"<content:encoded><![CDATA[{title}: {author}.]]></content:encoded>"
        "<wp:post_id>1</wp:post_id><wp:post_date_gmt>2019-05-14 01:30:00</wp:post_date_gmt>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize(
    ("encoding", "title", "author"),
    [("windows-1258", "Lễ hội đình làng Phú Mỹ", "Nguyễn Thu Hà"),
     ("utf-16", "Lễ hội đình làng Phú Mỹ", "Nguyễn Thu Hà"),
     ("big5", "鄉村新聞", "阮秋河"), ("gb2312", "乡村新闻", "阮秋河"),
     ("euc-kr", "마을 소식", "응우옌 투 하"), ("shift_jis", "村のニュース", "グエン")],
)  # fmt: skip
def test_a_declared_multibyte_encoding_is_decoded(runner, tmp_path, encoding, title, author):
    text = tiny_wxr(encoding.upper(), title, author)
    export = tmp_path / "bang-ma.xml"
    export.write_bytes(cp1258(text) if encoding == "windows-1258" else text.encode(encoding))
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    post = article(title)  # composed (NFC) as typed, so search and slugs find it
    assert post.author == author and f"{title}: {author}." in post.body


def test_a_whole_export_in_windows_1258(runner, tmp_path):
    text = Path(WXR).read_text(encoding="utf-8").replace('encoding="UTF-8"',
                                                         'encoding="windows-1258"')
    export = tmp_path / "cp1258.xml"
    export.write_bytes(cp1258(text))
    assert "\u0303".encode("cp1258") in export.read_bytes()  # the tone as a separate mark
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    assert article("Lễ hội đình làng Phú Mỹ năm 2019").author == "Nguyễn Thu Hà"


@pytest.mark.parametrize(
    ("declaration", "said"),
    [("x-khong-ton-tai", "không biết"), ("euc-kr", "không đúng bảng mã")],
)
def test_an_unknown_or_wrong_encoding_gets_a_vietnamese_message(runner, tmp_path, declaration,
                                                                said):  # fmt: skip
    export = tmp_path / "bang-ma.xml"
    export.write_bytes(Path(WXR).read_bytes().replace(b'encoding="UTF-8"',
                                                      f'encoding="{declaration}"'.encode()))
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code != 0 and said in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert count(Article) == 0


def counts_line(output: str) -> str:
    line = next(x for x in output.splitlines() if x.startswith(("Chạy thử", "Đã nhập")))
    return line.split(": ", 1)[1]


@pytest.mark.parametrize("export", [WXR, str(UPSTREAM / "small-export.xml")],
                         ids=["xa-hoa-phong", "small-export"])
def test_the_dry_run_gives_the_same_counts_as_the_real_run(runner, export):
    """The export declares its categories (with parents): a dry run counts them and their
    old addresses just as the real run makes them."""
    dry = runner.invoke(args=["import-wordpress", export, "--dry-run"])
    real = runner.invoke(args=["import-wordpress", export])
    assert dry.exit_code == real.exit_code == 0, dry.output + real.output
    assert counts_line(dry.output) == counts_line(real.output)
    assert "chuyên mục mới" in counts_line(real.output)


def test_same_named_categories_under_different_parents_stay_two(runner, tmp_path):
    export = tmp_path / "hai-chuyen-muc.xml"
    text = Path(WXR).read_text(encoding="utf-8")
    declared = (
        "<wp:category><wp:term_id>7</wp:term_id><wp:category_nicename>thong-bao-xa"
        "</wp:category_nicename><wp:category_parent>tin-t%e1%bb%a9c</wp:category_parent>"
        "<wp:cat_name><![CDATA[Thông báo]]></wp:cat_name></wp:category>"
        "<wp:category><wp:term_id>8</wp:term_id><wp:category_nicename>thong-bao-doan"
        "</wp:category_nicename><wp:category_parent>van-hoa</wp:category_parent>"
        "<wp:cat_name><![CDATA[Thông báo]]></wp:cat_name></wp:category>\n\t<item>"
    )
    text = text.replace("\n\t<item>", declared, 1)
    text = text.replace('nicename="tin-t%e1%bb%a9c"><![CDATA[Tin tức]]>',
                        'nicename="thong-bao-xa"><![CDATA[Thông báo]]>', 1)  # post 22
    text = text.replace('nicename="van-hoa"><![CDATA[Văn hóa – Xã hội]]>',
                        'nicename="thong-bao-doan"><![CDATA[Thông báo]]>', 1)  # post 21
    export.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    notices = db.session.scalars(select(Category).where(Category.name == "Thông báo")).all()
    assert sorted(c.parent.name for c in notices) == ["Tin tức", "Văn hóa – Xã hội"]
    assert len({c.slug for c in notices}) == 2
    assert article("Lễ hội đình làng Phú Mỹ năm 2019").category.parent.name == "Văn hóa – Xã hội"


def test_a_post_without_excerpt_gets_its_first_sentences_as_summary(runner, client, tmp_path):
    export = tmp_path / "khong-tom-tat.xml"
    long_body = (
        "<p>Kế hoạch gồm ba mục tiêu chính. Thứ nhất, làm xong đường liên thôn trước mùa mưa! "
        "Thứ hai, mở thêm hai lớp học nghề cho thanh niên. " + "Chi tiết từng việc. " * 30
        + "</p>"
    )
    export.write_text(
        Path(WXR).read_text(encoding="utf-8")
        .replace("<![CDATA[Ba mục tiêu cho năm 2019 của xã Hòa Phong.]]>", "<![CDATA[]]>")
        .replace("<p>Kế hoạch gồm ba mục tiêu chính.</p>", long_body),
        encoding="utf-8",
    )  # fmt: skip
    result = runner.invoke(args=["import-wordpress", str(export)])
    assert result.exit_code == 0, result.output
    assert "tóm tắt lấy từ câu đầu của bài" in result.output
    plan = article("Kế hoạch phát triển kinh tế năm 2019")
    assert plan.summary.startswith(
        "Kế hoạch gồm ba mục tiêu chính. Thứ nhất, làm xong đường liên thôn trước mùa mưa! "
        "Thứ hai, mở thêm hai lớp học nghề cho thanh niên.")
    assert plan.summary.endswith(".") and len(plan.summary) <= 300
    page = client.get(f"/tin/{plan.slug}-{plan.id}").get_data(as_text=True)
    assert '<meta name="description" content="Kế hoạch gồm ba mục tiêu chính.' in page
    assert article("Lễ hội đình làng Phú Mỹ năm 2019").summary.startswith("Sáng 14/5")


def test_a_paragraph_running_into_a_list_imports_without_breaks_between_items(runner, tmp_path):
    export = tmp_path / "danh-sach.xml"
    export.write_text(
        Path(WXR).read_text(encoding="utf-8").replace(
            "<p>Kế hoạch gồm ba mục tiêu chính.</p>",
            "Kế hoạch gồm ba mục tiêu chính:\n<ol>\n<li>Làm đường</li>\n<li>Mở lớp nghề</li>\n"
            "<li>Trồng rừng</li>\n</ol>\nThực hiện trong năm 2019.",
        ),
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-wordpress", str(export)]).exit_code == 0
    body = article("Kế hoạch phát triển kinh tế năm 2019").body
    assert "<br>" not in body
    assert "<p>Kế hoạch gồm ba mục tiêu chính:</p>" in body
    assert "<li>Làm đường</li>\n<li>Mở lớp nghề</li>" in body
    assert "<p>Thực hiện trong năm 2019.</p>" in body


def test_twice_encoded_utf8_in_an_export_is_mended(runner, tmp_path):
    """A site whose MySQL tables were latin1 exports "LÃª há»™i" for "Lễ hội"."""
    export = tmp_path / "mojibake.xml"
    twice = "Lễ hội đình làng Phú Mỹ năm 2019".encode().decode("cp1252", "ignore")
    assert twice.encode("cp1252").decode() == "Lễ hội đình làng Phú Mỹ năm 2019"
    export.write_text(Path(WXR).read_text(encoding="utf-8").replace(
        "Lễ hội đình làng Phú Mỹ năm 2019", twice).replace(
            "Nguyễn Thu Hà", "Nguyễn Thu Hương".encode().decode("cp1252")),
        encoding="utf-8")  # fmt: skip
    assert runner.invoke(args=["import-wordpress", str(export)]).exit_code == 0
    festival = article("Lễ hội đình làng Phú Mỹ năm 2019")
    assert festival is not None and festival.author == "Nguyễn Thu Hương"
