"""`flask import-nukeviet`: a NukeViet 4.5 site's database dump (built from its installer's
schema by tests/ops/nukeviet_dump.py) becomes categories, articles with their pictures and
files, and documents, and every address the old site gave answers 301."""

import io
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Article, Category, Document, ImportedItem, Media, Redirect, db, utcnow
from ops import importing, sqldump
from tests.ops.nukeviet_dump import Law, NewsArticle, NewsCategory, NukeVietSite, write_dump

NOW = int(datetime.now(UTC).timestamp())
DAY = 86400
BODY = (
    '<p>Sáng 12/6, Ủy ban nhân dân xã Tân Lập tổ chức lễ khánh thành đường bê tông thôn Nà Pục.'
    ' Con đường dài 2,4 km; kinh phí do Nhà nước và nhân dân cùng góp.</p>'
    '<p style="text-align: center;"><img alt="Đường mới" src="/uploads/news/2025_06/duong.jpg"'
    ' width="800" height="600" /></p><p>Bà con nói: "Đi chợ không còn lội bùn nữa".</p>'
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def article(title: str) -> Article:
    return db.session.scalar(select(Article).where(Article.title == title))


def commune() -> NukeVietSite:
    """A commune portal as it was before July 2025: three categories (one under another), a
    source, articles in every state, and two documents."""
    return NukeVietSite(
        categories=[
            NewsCategory(1, "Tin hoạt động", "tin-hoat-dong-nv", weight=1),
            NewsCategory(2, "Kinh tế &amp; nông nghiệp", "kinh-te-nong-nghiep-nv", weight=2),
            NewsCategory(3, "Khuyến nông", "khuyen-nong-nv", parentid=2, weight=1),
        ],
        sources={1: "Đài truyền thanh xã"},
        authors={2: ["Hà Thị Lan", "Vi Văn Toản"]},
        articles=[
            NewsArticle(1, 1, "Khánh thành đường bê tông thôn Nà Pục", "khanh-thanh-duong-na-puc",
                        BODY, hometext="Con đường mới nối thôn với trung tâm xã.",
                        author="Lò Thị Mai", sourceid=1, homeimgfile="2025_06/duong.jpg",
                        homeimgalt="Đường bê tông mới", homeimgthumb=1,
                        files="2025_06/ke-hoach.pdf", publtime=NOW - 10 * DAY),
            NewsArticle(2, 3, "Hướng dẫn phòng bệnh cho đàn trâu; bò mùa rét", "phong-benh-trau-bo",
                        "<p>Cán bộ khuyến nông hướng dẫn bà con che chắn chuồng trại. Không thả"
                        " rông gia súc khi trời rét dưới 12 độ C.</p><p>Mọi thắc mắc xin gọi"
                        " cán bộ thú y xã.</p>", publtime=NOW - 5 * DAY),
            NewsArticle(3, 1, "Lịch tiếp công dân tháng tới", "lich-tiep-cong-dan", "<p>Hẹn.</p>",
                        status=2, publtime=NOW + 3 * DAY),
            NewsArticle(4, 1, "Thông báo nghỉ lễ năm trước", "thong-bao-nghi-le", "<p>Cũ.</p>",
                        status=3, publtime=NOW - 400 * DAY, exptime=NOW - 30 * DAY),
            NewsArticle(5, 1, "Bài đang viết dở", "bai-dang-viet", "<p>Nháp.</p>", status=4),
            NewsArticle(6, 2, "Bài chờ lãnh đạo duyệt", "bai-cho-duyet", "<p>Chờ.</p>", status=5),
            NewsArticle(7, 2, "Bài bị ngưng hiệu lực", "bai-ngung", "<p>Ngưng.</p>", status=0),
        ],
        laws=[
            Law(1, "15/QĐ-UBND", "Quyết định ban hành quy chế làm việc", "15-qd-ubnd",
                publtime=NOW - 60 * DAY, startvalid=NOW - 50 * DAY, files="2025_05/15-qd.pdf",
                area_ids="1,2"),
            Law(2, "03/TB-UBND", "Thông báo đã thu hồi", "03-tb-ubnd", cid=2, status=0),
        ],
    )


def blank_pdf() -> bytes:
    """A one-page PDF the attachment policy reads (media.inspection refuses what pypdf cannot)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = blank_pdf()


@pytest.fixture
def uploads(tmp_path) -> str:
    """The old site's uploads/ folder: the road's photo, a plan and the decision's file."""
    news = tmp_path / "uploads" / "news" / "2025_06"
    news.mkdir(parents=True)
    Image.new("RGB", (800, 600), (120, 160, 60)).save(news / "duong.jpg", "JPEG")
    (news / "ke-hoach.pdf").write_bytes(PDF)
    laws = tmp_path / "uploads" / "laws" / "2025_05"
    laws.mkdir(parents=True)
    (laws / "15-qd.pdf").write_bytes(PDF + b"% 15/QD\n")
    return str(tmp_path / "uploads")


@pytest.fixture
def dump(tmp_path) -> str:
    return str(write_dump(tmp_path / "nv4.sql", commune()))


@pytest.fixture
def imported(runner, dump, uploads):
    result = runner.invoke(args=["import-nukeviet", dump, "--uploads", uploads])
    assert result.exit_code == 0, result.output
    return result


def test_articles_keep_their_text_author_source_category_and_picture(imported):
    road = article("Khánh thành đường bê tông thôn Nà Pục")
    assert road.status == "published"
    assert road.publish_at == datetime.fromtimestamp(NOW - 10 * DAY, UTC)
    assert road.author == "Lò Thị Mai" and road.source == "Đài truyền thanh xã"
    assert road.summary == "Con đường mới nối thôn với trung tâm xã."
    assert road.category.name == "Tin hoạt động"
    assert road.image is not None and road.image_alt == "Đường bê tông mới"
    assert 'src="/media/' in road.body and "/uploads/news" not in road.body
    assert "Đi chợ không còn lội bùn nữa" in road.body_text  # quotes escaped in the dump
    assert [a.media.original_name for a in road.attachments] == ["ke-hoach.pdf"]
    # The lead picture and the body's are the same file: stored once.
    assert count(Media) == 3


def test_categories_keep_their_tree_and_unescaped_names(imported):
    child = db.session.scalar(select(Category).where(Category.slug == "khuyen-nong-nv"))
    assert child.parent.name == "Kinh tế & nông nghiệp"
    cows = article("Hướng dẫn phòng bệnh cho đàn trâu; bò mùa rét")
    assert cows.category == child
    # No summary in the old site: the first sentences of the body, and the report says so.
    assert cows.summary.startswith("Cán bộ khuyến nông hướng dẫn bà con che chắn chuồng trại.")
    assert importing.DERIVED in imported.output
    assert cows.author == "Hà Thị Lan, Vi Văn Toản"


def test_statuses_follow_nukeviet(imported):
    now = utcnow()
    scheduled = article("Lịch tiếp công dân tháng tới")
    assert scheduled.status == "published" and scheduled.publish_at > now
    expired = article("Thông báo nghỉ lễ năm trước")
    assert expired.status == "published" and expired.expire_at < now
    assert article("Bài đang viết dở").status == "draft"
    assert article("Bài chờ lãnh đạo duyệt").status == "pending"
    assert article("Bài bị ngưng hiệu lực").status == "draft"
    visible = db.session.scalars(Article.visible()).all()
    assert {a.title for a in visible} >= {"Khánh thành đường bê tông thôn Nà Pục"}
    assert "Lịch tiếp công dân tháng tới" not in {a.title for a in visible}


@pytest.mark.parametrize("old", [
    "/vi/news/tin-hoat-dong-nv/khanh-thanh-duong-na-puc-1.html",
    "/news/tin-hoat-dong-nv/khanh-thanh-duong-na-puc-1.html",
    "/tin-hoat-dong-nv/khanh-thanh-duong-na-puc-1.html",  # news was the home module
    "/index.php?language=vi&nv=news&op=tin-hoat-dong-nv/khanh-thanh-duong-na-puc-1.html",
    "/index.php?nv=news&language=vi&op=tin-hoat-dong-nv%2Fkhanh-thanh-duong-na-puc-1.html",
])  # fmt: skip
def test_every_old_article_address_answers_301(imported, client, old):
    road = article("Khánh thành đường bê tông thôn Nà Pục")
    answer = client.get(old)
    assert answer.status_code == 301
    assert answer.location.endswith(f"/tin/{road.slug}-{road.id}")


def test_old_category_and_document_addresses_answer_301(imported, client):
    assert client.get("/vi/news/khuyen-nong-nv/").location.endswith("/chuyen-muc/khuyen-nong-nv")
    answer = client.get("/index.php?language=vi&nv=van-ban&op=detail/15-qd-ubnd")
    document = db.session.scalar(select(Document).where(Document.number == "15/QĐ-UBND"))
    assert answer.status_code == 301 and answer.location.endswith(f"-{document.id}")
    assert client.get("/vi/van-ban/").location.endswith("/van-ban")


def test_unpublished_articles_get_no_old_address(imported, client):
    for alias in ("bai-dang-viet-5", "bai-cho-duyet-6", "lich-tiep-cong-dan-3"):
        assert client.get(f"/vi/news/tin-hoat-dong-nv/{alias}.html").status_code == 404
    targets = db.session.scalars(select(Redirect.target)).all()
    hidden = article("Bài chờ lãnh đạo duyệt")
    assert not any(t.endswith(f"-{hidden.id}") for t in targets)


def test_documents_come_with_their_fields_and_files(imported):
    document = db.session.scalar(select(Document).where(Document.number == "15/QĐ-UBND"))
    assert document.title == "Quyết định ban hành quy chế làm việc"
    assert document.doc_type == "Quyết định"
    assert document.issuer == "Ủy ban nhân dân xã Tân Lập"
    assert document.signer == "Lò Văn Khánh"
    assert document.field == "Đất đai, Y tế"
    assert document.issued_on == (datetime.fromtimestamp(NOW - 60 * DAY, UTC)
                                  + timedelta(hours=7)).date()  # fmt: skip
    assert [a.media.original_name for a in document.attachments] == ["15-qd.pdf"]
    assert count(Document) == 1
    assert "Văn bản đang ẩn" in imported.output  # the withdrawn notice, reported


def counted(output: str, lead: str) -> str:
    """Return what an import's summary line counts."""
    return next(line for line in output.splitlines() if line.startswith(lead))[len(lead):]


def test_a_dry_run_counts_the_same_and_writes_nothing(runner, dump, uploads, tmp_path):
    media_folder = tmp_path / "instance" / "media"
    before = sorted(media_folder.rglob("*")) if media_folder.exists() else []
    dry = runner.invoke(args=["import-nukeviet", dump, "--uploads", uploads, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert count(Article) == 0 and count(Redirect) == 0 and count(Document) == 0
    assert (sorted(media_folder.rglob("*")) if media_folder.exists() else []) == before
    real = runner.invoke(args=["import-nukeviet", dump, "--uploads", uploads])
    assert counted(dry.output, "Chạy thử (không ghi gì): ") == counted(real.output, "Đã nhập: ")
    assert "5 địa chỉ cũ" not in counted(real.output, "Đã nhập: ")


def test_a_second_run_adds_nothing(runner, imported, dump, uploads):
    before = (count(Article), count(Category), count(Redirect), count(Media), count(Document))
    again = runner.invoke(args=["import-nukeviet", dump, "--uploads", uploads])
    assert again.exit_code == 0, again.output
    assert "đã nhập lần trước" in again.output
    assert (count(Article), count(Category), count(Redirect), count(Media),
            count(Document)) == before  # fmt: skip
    assert count(ImportedItem) > 0


@pytest.mark.parametrize("style", ["phpmyadmin", "data-only"])
def test_other_export_shapes_import_the_same(runner, tmp_path, uploads, style):
    path = write_dump(tmp_path / f"{style}.sql", commune(), style=style, per_statement=2)
    result = runner.invoke(args=["import-nukeviet", str(path), "--uploads", uploads])
    assert result.exit_code == 0, result.output
    road = article("Khánh thành đường bê tông thôn Nà Pục")
    assert "Đi chợ không còn lội bùn nữa" in road.body_text
    assert count(Article) == 7 and count(Document) == 1


def test_a_bilingual_site_imports_vietnamese_unless_told(runner, tmp_path, uploads):
    site = commune()
    site.langs = ("en", "vi")
    path = str(write_dump(tmp_path / "two.sql", site))
    result = runner.invoke(args=["import-nukeviet", path, "--uploads", uploads, "--dry-run"])
    assert result.exit_code == 0, result.output
    english = runner.invoke(args=["import-nukeviet", path, "--language", "fr"])
    assert english.exit_code != 0 and "không có ngôn ngữ “fr”" in english.output


def test_a_file_that_is_not_a_nukeviet_dump_is_refused_with_a_reason(runner, tmp_path):
    path = tmp_path / "other.sql"
    path.write_text("CREATE TABLE wp_posts (ID int);\nINSERT INTO wp_posts VALUES (1);\n")
    result = runner.invoke(args=["import-nukeviet", str(path)])
    assert result.exit_code != 0
    assert "Không tìm thấy mô-đun tin tức" in result.output
    assert "Traceback" not in result.output


def test_a_statement_past_the_bound_is_refused(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(sqldump, "MAX_STATEMENT_BYTES", 4096)
    site = commune()
    site.articles[0].bodyhtml = "<p>" + "Rất dài. " * 2000 + "</p>"
    path = write_dump(tmp_path / "long.sql", site)
    result = runner.invoke(args=["import-nukeviet", str(path)])
    assert result.exit_code != 0 and "dài hơn" in result.output
    assert count(Article) == 0


def test_the_report_lists_missing_pictures_without_uploads(runner, dump):
    result = runner.invoke(args=["import-nukeviet", dump])
    assert result.exit_code == 0, result.output
    assert "chưa chỉ thư mục --uploads" in result.output
    assert article("Khánh thành đường bê tông thôn Nà Pục").image is None


# --- The dump reader on its own ----------------------------------------------------------------


def statements(text: str, chunk: int = 7) -> list[str]:
    import io

    reader = sqldump.Reader(io.BytesIO(text.encode()))
    original = sqldump.CHUNK
    sqldump.CHUNK = chunk  # tiny chunks: every state must survive a cut anywhere
    try:
        return list(reader.statements())
    finally:
        sqldump.CHUNK = original


def test_statements_split_only_outside_strings_and_comments():
    text = ("-- a comment; not a statement\n/*!40101 SET NAMES utf8mb4 */;\n"
            "INSERT INTO `t` VALUES (1,'a;b\\'c','x''y'),(2,\"q;\\\"\",NULL);\n"
            "# another; comment\nINSERT INTO t VALUES (3,'Đường làng; ngõ xóm');")  # fmt: skip
    found = statements(text)
    assert found == ["INSERT INTO `t` VALUES (1,'a;b\\'c','x''y'),(2,\"q;\\\"\",NULL)",
                     "INSERT INTO t VALUES (3,'Đường làng; ngõ xóm')"]  # fmt: skip
    rows = list(sqldump.tuples(found[0]))
    assert rows[0] == [1, "a;b'c", "x'y"]
    assert list(sqldump.tuples(found[1])) == [[3, "Đường làng; ngõ xóm"]]


def test_values_are_unescaped_as_mysql_writes_them():
    text = r"INSERT INTO t VALUES ('a\nb\tc\\d\0e\Zf\%g', -3, 2.5, 0x4869, _binary 'x', b'101')"
    assert list(sqldump.tuples(text)) == [["a\nb\tc\\d\0e\x1af\\%g", -3, 2.5, "Hi", "x", 5]]


def test_a_broken_tuple_is_refused_with_a_reason():
    with pytest.raises(sqldump.DumpError):
        list(sqldump.tuples("INSERT INTO t VALUES (1, 'open"))
