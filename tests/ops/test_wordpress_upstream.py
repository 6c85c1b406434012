"""The WordPress importer's own PHPUnit tests (phpunit/tests/import.php and parser.php in
WordPress/wordpress-importer), ported: every assertion that applies to a news site, on the
importer's own WXR files (tests/fixtures/upstream/wordpress-importer). What does not apply:
users (authors become a byline), tags, comments, post formats, term and comment meta, page
templates, and WordPress's regex parser that reads files that are not XML (crazy-cdata.xml;
its XML parsers refuse them, as we do)."""

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import Article, Category, Media, Page, db
from ops import wordpress
from sanitize import html_to_text

DATA = Path(__file__).resolve().parent.parent / "fixtures/upstream/wordpress-importer"
WP = "{http://wordpress.org/export/1.2/}"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def run(runner, name: str, *args):
    return runner.invoke(args=["import-wordpress", str(DATA / name), *args])


def imported(runner, name: str, *args):
    result = run(runner, name, *args)
    assert result.exit_code == 0, result.output
    return result


def article(title: str) -> Article:
    return db.session.scalar(select(Article).where(Article.title == title))


def page(title: str) -> Page:
    return db.session.scalar(select(Page).where(Page.title == title))


# --- import.php ---------------------------------------------------------------------------


def test_small_import(runner):
    """test_small_import: posts and pages with their status, slug, author and category."""
    result = imported(runner, "small-export.xml")
    assert count(Article, Article.status == "published") == 5
    assert count(Article, Article.status == "draft") == 1  # the private post, kept private
    assert count(Page) == 4  # the draft page is listed in the report, not made
    assert "#9 Draft Page: Trang chưa đăng" in result.output
    expected = [  # title, slug, author, status
        ("Many Categories", "many-categories", "admin", "published"),
        ("Non-standard post format", "non-standard-post-format", "admin", "published"),
        ("Top-level Foo", "top-level-foo", "admin", "published"),
        ("Foo-child", "foo-child", "editor", "published"),
        ("Private Post", "private-post", "admin", "draft"),
        ("Hello world!", "hello-world", "author", "published"),
    ]
    for title, slug, author, status in expected:
        post = article(title)
        assert (post.slug, post.author, post.status) == (slug, author, status), title
    for title, slug in [("1-col page", "1-col-page"), ("Parent Page", "parent-page"),
                        ("Child Page", "child-page"), ("Sample Page", "sample-page")]:  # fmt: skip
        assert page(title).slug == slug
    assert article("Top-level Foo").category.slug == "foo"
    foo_child = article("Foo-child").category  # nicename foo-bar, a child of bar
    assert foo_child.parent is not None and foo_child.parent.slug == "bar"
    assert article("Many Categories").category is not None  # ours: the first of its 27


def test_double_import(runner):
    """test_double_import: a second run adds nothing."""
    imported(runner, "small-export.xml")
    before = (count(Article), count(Page), count(Category))
    again = imported(runner, "small-export.xml")
    assert (count(Article), count(Page), count(Category)) == before
    assert "đã nhập lần trước" in again.output


def test_slashes_should_not_be_stripped(runner):
    """test_slashes_should_not_be_stripped (ticket 21007)."""
    imported(runner, "slashes.xml")
    assert db.session.scalar(select(Category.name).where(Category.slug == "alpha")) \
        == 'a \\"great\\" category'
    post = db.session.scalar(select(Article))
    assert html_to_text(post.body) == 'Slashes aren\\\'t \\"cool\\"'


def test_flat_attachment_import_rewrites_attachment_url(runner, tmp_path):
    """test_flat_attachment_import_rewrites_attachment_url: the body shows our copy."""
    folder = tmp_path / "uploads" / "2008" / "06"
    folder.mkdir(parents=True)
    Image.new("RGB", (100, 100), (200, 200, 40)).save(folder / "canola2.jpg", "JPEG")
    imported(runner, "wxr-flat-attachment-same-site.xml", "--uploads", str(tmp_path / "uploads"))
    assert count(Media) == 1 and count(Article) == 1
    body = article("Post with Attachment").body
    assert "wpthemetestdata" not in body and 'src="/media/' in body and 'alt="canola"' in body


# --- parser.php -----------------------------------------------------------------------------


def test_malformed_wxr(runner):
    """test_malformed_wxr: "There was an error when reading this WXR file"."""
    for name in ("malformed.xml", "malformed-simple.xml", "crazy-cdata.xml"):
        result = run(runner, name)
        assert result.exit_code != 0 and "không phải XML hợp lệ" in result.output, name
    assert count(Article) == 0


@pytest.mark.parametrize("name", ["missing-version-tag.xml", "invalid-version-tag.xml"])
def test_invalid_wxr(runner, name):
    """test_invalid_wxr: "This does not appear to be a WXR file, missing/invalid WXR version"."""
    result = run(runner, name)
    assert result.exit_code != 0 and "không phải tệp xuất WordPress" in result.output
    assert count(Article) == 0


def test_wxr_version_1_1(runner):
    """test_wxr_version_1_1: two posts (a post and a page), base_url http://localhost/."""
    imported(runner, "valid-wxr-1.1.xml")
    assert wordpress.scan(str(DATA / "valid-wxr-1.1.xml")).source == "http://localhost/"
    assert count(Article) + count(Page) == 2


def test_wxr_version_1_0(runner):
    """test_wxr_version_1_0: six posts; the category "alpha" with its name and no parent."""
    site = wordpress.scan(str(DATA / "valid-wxr-1.0.xml"))
    assert site.source == "http://localhost/" and site.version == "1.0"
    assert site.categories["alpha"] == ("alpha", "")
    imported(runner, "valid-wxr-1.0.xml")
    assert count(Article) + count(Page) == 6


def test_blank_lines_in_content(runner):
    """test_blank_lines_in_content: the content keeps its line breaks (3 newlines): here, two
    paragraphs, the first with a line break (wpautop, as the old site showed it)."""
    imported(runner, "post-content-blank-lines.xml")
    body = db.session.scalar(select(Article)).body
    assert body.count("<p>") == 2 and body.count("<br>") == 1


def test_escaped_cdata_closing_sequence(runner):
    """test_escaped_cdata_closing_sequence: the content is 'Content with nested <![CDATA[
    tags ]]> :)'; as HTML a browser shows the CDATA as a comment, and so does our body."""
    imported(runner, "crazy-cdata-escaped.xml")
    expected = html_to_text("Content with nested <![CDATA[ tags ]]> :)")
    assert html_to_text(db.session.scalar(select(Article)).body) == expected


def test_varied_taxonomy_term_spacing(runner):
    """test_varied_taxonomy_term_spacing: two categories, no post; nothing to import is an
    error here, not a silent success."""
    site = wordpress.scan(str(DATA / "term-formats.xml"))
    assert len(site.categories) == 2 and site.source == "http://localhost/"
    result = run(runner, "term-formats.xml")
    assert result.exit_code != 0 and "không có bài viết hay trang nào" in result.output


def test_parse_simple_wxr_content(runner):
    """test_parse_simple_wxr_content: version 1.2, its base URL, its author, its post."""
    site = wordpress.scan(str(DATA / "wxr-simple.xml"))
    assert site.version == "1.2" and site.source == "https://playground.internal/path"
    assert site.authors == {"admin": site.authors["admin"]}
    imported(runner, "wxr-simple.xml")
    post = article('"The Road Not Taken" by Robert Frost')
    assert post.status == "published" and post.author == site.authors["admin"]


def test_parse_wxr_with_sub_data(runner):
    """test_parse_wxr_with_sub_data: one post, 'Post with sub data', by admin, published."""
    assert wordpress.scan(str(DATA / "wxr-with-sub-data.xml")).version == "1.1"
    imported(runner, "wxr-with-sub-data.xml")
    post = article("Post with sub data")
    assert post.status == "published" and post.author == "admin"


def test_utf_8_challenges(runner):
    """wxr-utf-8-challenges.xml: emoji and bidirectional marks survive."""
    imported(runner, "wxr-utf-8-challenges.xml")
    title = '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    assert article(title) is not None


@pytest.mark.parametrize(
    ("name", "posts", "authors"),
    [("wxr-simple.xml", 1, 1), ("valid-wxr-1.0.xml", 6, 0), ("valid-wxr-1.1.xml", 2, 1),
     ("wxr-utf-8-challenges.xml", 1, 1), ("theme-unit-test-data.xml.gz", 186, 2),
     ("wxr-with-sub-data.xml", 1, 0), ("crazy-cdata-escaped.xml", 1, 0)],
)  # fmt: skip
def test_parse_multiple_wxr_files(runner, tmp_path, name, posts, authors):
    """test_parse_multiple_wxr_files: each file's items and authors, then a whole import in
    which every published post becomes a published article."""
    path = DATA / name
    if name.endswith(".gz"):
        path = tmp_path / name.removesuffix(".gz")
        path.write_bytes(gzip.decompress((DATA / name).read_bytes()))
    site = wordpress.scan(str(path))
    assert (site.items, len(site.authors)) == (posts, authors)
    result = runner.invoke(args=["import-wordpress", str(path)])
    assert result.exit_code == 0, result.output
    assert count(Article, Article.status == "published") == published_posts(path)


def published_posts(path: Path) -> int:
    """The file's posts published (or scheduled) and open to all, counted from the file."""
    tree = ET.parse(path)  # the importer's own test data, trusted here
    found = 0
    for item in tree.iter("item"):
        fields = {child.tag.split("}")[-1]: (child.text or "") for child in item}
        if fields.get("post_type") == "post" and fields.get("status") in ("publish", "future") \
                and not fields.get("post_password"):  # fmt: skip
            found += 1
    return found
