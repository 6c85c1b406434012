"""One HTML policy for news bodies, applied once when an editor saves (nh3, not bleach).

The order matters: the size and nesting caps run first (sanitisers slow down worse than
linearly with nesting), then a small pass that understands Word and Google Docs pastes (their
lists, bold spans and wrappers would otherwise lose meaning), then nh3, the only judge of what is
safe, and last a tidy-up of what nh3 leaves (empty paragraphs, `rel` on external links).

nh3 is imported when a body is first cleaned: every worker imports this module (the desk's
forms name it), and nh3's library costs one that serves only readers 1.4 MB it never uses.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "ul", "ol", "li",
    "blockquote", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "hr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "title"}
MEDIA_PREFIX = "/media/"
# Our own media URLs only: no "..", no "//", no query that could smuggle anything.
MEDIA_URL = re.compile(r"/media/[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
NUMBER = re.compile(r"[0-9]{1,5}")
ATTRIBUTE_VALUES = {"loading": {"lazy", "eager"}, "scope": {"row", "col", "rowgroup", "colgroup"}}

# Caps checked before any parsing, so that one save costs at most about 200 ms of this
# machine's CPU (bench/sanitize.py): nh3 needs about 22 s for 100,000 nested tags, and even
# flat markup costs about 8 µs a tag in our Word pass and nh3 together, so 2 MB of "<p>a"
# took 5 s. Counting "<" is the cheap upper bound of the tags (0.7 ms for 2 MB); the
# character cap bounds what attributes cost. 300,000 characters are a hundred pages of text.
MAX_BODY_CHARS = 300_000
MAX_TAGS = 10_000
MAX_NESTING = 100


class BodyRejected(ValueError):
    """A body too large or too deeply nested to clean; the message is for the editor."""


# --- Limits ---------------------------------------------------------------------------


def check_size(dirty: str) -> None:
    """Refuse a body longer than the caps, with a message the editor can act on."""
    if len(dirty) > MAX_BODY_CHARS:
        raise BodyRejected(
            f"Nội dung quá dài ({thousands(len(dirty))} ký tự, tối đa "
            f"{thousands(MAX_BODY_CHARS)}). Hãy chia thành nhiều bài, hoặc dán dưới dạng "
            "văn bản thuần rồi định dạng lại."
        )
    tags = dirty.count("<")
    if tags > MAX_TAGS:
        raise BodyRejected(
            f"Nội dung có quá nhiều thẻ định dạng ({thousands(tags)} thẻ HTML, tối đa "
            f"{thousands(MAX_TAGS)}), thường do dán từ Word hoặc trang web. Hãy dán dưới dạng "
            "văn bản thuần (Ctrl+Shift+V) rồi định dạng lại, hoặc chia thành nhiều bài."
        )


def thousands(number: int) -> str:
    """Format 1234567 as Vietnamese readers do: 1.234.567."""
    return f"{number:,}".replace(",", ".")


def too_deep() -> BodyRejected:
    return BodyRejected(
        f"Nội dung lồng nhau quá nhiều tầng (hơn {MAX_NESTING} thẻ HTML lồng trong nhau), "
        "thường do dán từ trang web hoặc phần mềm khác. Hãy dán dưới dạng văn bản thuần "
        "(Ctrl+Shift+V) rồi định dạng lại."
    )


# --- A small tree, enough to understand Word and Google Docs -----------------------------

VOID = {"br", "img", "hr", "meta", "link", "col", "input", "wbr", "area", "source", "base"}
# Opening one of these closes an open element of the same name, as browsers do.
SELF_CLOSING_SIBLINGS = {"p", "li", "tr", "td", "th", "dt", "dd", "option"}
# Elements that end an open paragraph, as in the HTML standard (plus li and table parts).
BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "ul", "xmp", "html", "body",
}  # fmt: skip
DROPPED = DROPPED_WITH_CONTENT | {"xml", "head", "meta", "link", "base", "o:p", "colgroup"}


class Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list = []

    def style(self) -> dict[str, str]:
        """Return the inline style as {property: value}, lower-cased."""
        declarations = (part.split(":", 1) for part in self.attrs.get("style", "").split(";"))
        return {d[0].strip().lower(): d[1].strip().lower() for d in declarations if len(d) == 2}

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    """Parse leniently into Nodes, refusing input nested deeper than MAX_NESTING."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.list_marker: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.list_marker is not None:
            return
        if tag in SELF_CLOSING_SIBLINGS and self.stack[-1].tag == tag:
            self.stack.pop()
        elif tag in BLOCKS and self.stack[-1].tag == "p":
            self.stack.pop()
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)
            if len(self.stack) > MAX_NESTING + 1:
                raise too_deep()

    def handle_startendtag(self, tag, attrs):
        if self.list_marker is None:
            self.stack[-1].children.append(Node(tag, {n: v or "" for n, v in attrs}))

    def handle_endtag(self, tag):
        if self.list_marker is not None:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if self.list_marker is not None:
            self.list_marker.append(data)
        else:
            self.stack[-1].children.append(data)

    def parse_marked_section(self, i, report=1):
        """Treat a broken <![...> as the bogus comment a browser sees, instead of failing."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i)

    def close(self):
        super().close()
        if self.list_marker is not None:  # a Word marker never closed: keep its text
            self.stack[-1].children.extend(self.list_marker)
            self.list_marker = None

    def unknown_decl(self, data):
        self.conditional(data)

    def handle_comment(self, data):
        # Newer Pythons report Word's <![if ...]> markers as bogus comments.
        if data.startswith("[if") or data.startswith("[endif"):
            self.conditional(data.strip("[]"))

    def conditional(self, data: str) -> None:
        """Word writes its fake list bullets between <![if !supportLists]> and <![endif]>."""
        data = data.strip().lower()
        if data.startswith("if") and "supportlists" in data:
            self.list_marker = []
        elif data.startswith("endif") and self.list_marker is not None:
            marker = "".join(self.list_marker).strip()
            self.list_marker = None
            self.stack[-1].attrs["data-list-marker"] = marker


def parse(dirty: str) -> Node:
    builder = TreeBuilder()
    try:
        builder.feed(dirty)
        builder.close()
    except AssertionError as err:  # html.parser's way of giving up on broken markup
        raise BodyRejected(
            "Không đọc được mã HTML của nội dung này. Hãy dán dưới dạng văn bản thuần "
            "(Ctrl+Shift+V) rồi định dạng lại."
        ) from err
    return builder.root


# --- Word and Google Docs -----------------------------------------------------------------

MSO_LIST = re.compile(r"l(\d+)\s+level(\d+)")
ORDERED_MARKER = re.compile(r"^\(?([0-9]{1,3}|[a-z]|[ivxlc]{1,5})[.)]", re.I)
RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "b": "strong", "i": "em"}
TAG_NAME = re.compile(r"[a-z][a-z0-9-]*")


def tidy(node: Node) -> None:
    """Rewrite Word and Docs markup, depth first, into the plain elements of our policy."""
    children = []
    for child in node.children:
        if isinstance(child, str):
            children.append(child)
            continue
        tidy(child)
        children.extend(rewrite(child))
    node.children = group_word_lists(children)
    if node.tag == "li":
        node.children = unwrap_lone_paragraph(node.children)
    if node.tag == "#root":
        node.children = paragraphs_at_top(node.children)


def rewrite(node: Node) -> list:
    """Return what replaces this element: itself, renamed, wrapped, or only its children."""
    tag = node.tag
    if tag in DROPPED or ":" in tag:
        return []  # Office namespaces (o:p, v:shape, w:...) carry no text worth keeping
    if not TAG_NAME.fullmatch(tag):
        return node.children
    if is_word_bullet(node):
        return []
    node.tag = word_heading(node) or RENAMED.get(tag, tag)
    if node.tag in ("strong", "em") and style_says_plain(node):
        return node.children  # Google Docs wraps everything in <b style="font-weight:normal">
    if tag == "a" and not node.attrs.get("href"):
        return node.children  # Word bookmarks: <a name="_Toc...">
    if tag in ("span", "font"):
        return styled(node)
    if node.tag in ALLOWED_TAGS:
        return [node]
    if tag in BLOCKS:  # div, section, form...: a paragraph, or nothing around its blocks
        return node.children if has_block(node) else [retag(node, "p")]
    return node.children


def is_word_bullet(node: Node) -> bool:
    """Word marks the bullet of a fake list item with `mso-list: Ignore`."""
    return node.style().get("mso-list") == "ignore"


def word_heading(node: Node) -> str | None:
    classes = node.attrs.get("class", "").lower().split()
    if "msotitle" in classes:
        return "h2"
    if "msosubtitle" in classes:
        return "h3"
    return None


def style_says_plain(node: Node) -> bool:
    weight = node.style().get("font-weight", "")
    style = node.style().get("font-style", "")
    if node.tag == "strong":
        return weight in ("normal", "400", "300", "100", "200")
    return style == "normal"


def has_block(node: Node) -> bool:
    return any(not isinstance(c, str) and c.tag in BLOCKS for c in node.children)


def retag(node: Node, tag: str) -> Node:
    node.tag = tag
    return node


def styled(node: Node) -> list:
    """Keep the meaning of Docs' styled spans (bold, italic, underline) as real elements."""
    style = node.style()
    content = node.children
    wrappers = []
    if style.get("font-weight", "") in ("bold", "bolder", "600", "700", "800", "900"):
        wrappers.append("strong")
    if style.get("font-style") == "italic":
        wrappers.append("em")
    if "underline" in style.get("text-decoration", ""):
        wrappers.append("u")
    if style.get("vertical-align") in ("super", "sub"):
        wrappers.append("sup" if style["vertical-align"] == "super" else "sub")
    for tag in wrappers:
        wrapper = Node(tag)
        wrapper.children = content
        content = [wrapper]
    return content


def word_list_level(node) -> tuple[str, int] | None:
    """Return (list id, level) for a Word paragraph that is really a list item."""
    if isinstance(node, str) or node.tag != "p":
        return None
    found = MSO_LIST.search(node.style().get("mso-list", ""))
    return (found[1], int(found[2])) if found else None


def group_word_lists(children: list) -> list:
    """Turn runs of Word's list paragraphs into nested <ul>/<ol> with <li> items."""
    result: list = []
    stack: list[tuple[int, Node]] = []
    for child in children:
        level = word_list_level(child)
        if level is None:
            if stack and isinstance(child, str) and not child.strip():
                continue  # whitespace between two items of one list
            stack = []
            result.append(child)
            continue
        add_list_item(result, stack, child, level[1])
    return result


def add_list_item(result: list, stack: list, paragraph: Node, level: int) -> None:
    while stack and stack[-1][0] > level:
        stack.pop()
    if not stack or stack[-1][0] < level:
        marker = paragraph.attrs.get("data-list-marker", "")
        new_list = Node("ol" if ORDERED_MARKER.match(marker) else "ul")
        if stack and stack[-1][1].children:
            stack[-1][1].children[-1].children.append(new_list)
        else:
            result.append(new_list)
        stack.append((level, new_list))
    item = Node("li")
    item.children = paragraph.children
    stack[-1][1].children.append(item)


def is_inline(child) -> bool:
    return isinstance(child, str) or child.tag not in BLOCKS


def paragraphs_at_top(children: list) -> list:
    """Put loose text and inline elements at the top level into paragraphs."""
    result: list = []
    run: list = []
    for child in [*children, None]:
        if child is not None and is_inline(child):
            run.append(child)
            continue
        if any(not isinstance(c, str) or c.strip() for c in run):
            paragraph = Node("p")
            paragraph.children = run
            result.append(paragraph)
        else:
            result.extend(run)
        run = []
        if child is not None:
            result.append(child)
    return result


def unwrap_lone_paragraph(children: list) -> list:
    """Docs writes <li><p>text</p></li>; the paragraph only adds a gap."""
    elements = [c for c in children if not isinstance(c, str)]
    texts = [c for c in children if isinstance(c, str) and c.strip()]
    if len(elements) == 1 and not texts and elements[0].tag == "p":
        return elements[0].children
    return children


def serialize(node: Node) -> str:
    parts: list[str] = []
    write(node, parts)
    return "".join(parts)


def write(node: Node, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            parts.append(html.escape(child, quote=False))
            continue
        attrs = "".join(
            f' {name}="{html.escape(value, quote=True)}"'
            for name, value in child.attrs.items()
            if name in ALLOWED_ATTRIBUTES.get(child.tag, ())
        )
        parts.append(f"<{child.tag}{attrs}>")
        if child.tag not in VOID:
            write(child, parts)
            parts.append(f"</{child.tag}>")


# --- nh3 and the tidy-up after it -----------------------------------------------------------


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Allow images only from our own media; numbers only where numbers belong."""
    if tag == "img" and attribute in ("src", "srcset"):
        urls = [part.strip().split(" ")[0] for part in value.split(",")]
        if not all(MEDIA_URL.fullmatch(url) for url in urls if url):
            return None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if NUMBER.fullmatch(value.strip()) else None
    if attribute in ATTRIBUTE_VALUES:
        return value if value in ATTRIBUTE_VALUES[attribute] else None
    return value


@functools.cache
def cleaner() -> nh3.Cleaner:
    """The news allow-list as nh3 applies it (made once per process)."""
    import nh3  # lazy: see the module's docstring

    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )

IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
EMPTY_ELEMENT = re.compile(
    r"<(p|h[2-4]|strong|em|u|b|i|sub|sup|li|blockquote|ul|ol)>(?:\s|&nbsp;|\xa0|<br>)*</\1>"
)
BREAK_BETWEEN_BLOCKS = re.compile(
    r"(</(?:p|h[2-4]|ul|ol|table|blockquote|figure)>|<hr>)\s*(?:<br>\s*)+"
)
ANCHOR = re.compile(r'<a((?:\s+[a-z-]+="[^"]*")*)>(.*?)</a>', re.S)
EXTERNAL_URL = re.compile(r'\shref="\s*(?:https?:)?[\\/]{2}', re.I)


def finish(cleaned: str) -> str:
    """Tidy nh3's output: no broken images or links, no empty paragraphs, rel on external links."""
    # An <img> whose src was refused is useless; drop it rather than show a broken box.
    cleaned = IMG_WITHOUT_SRC.sub("", cleaned)
    cleaned = ANCHOR.sub(judge_link, cleaned)
    previous = None
    while previous != cleaned:  # an empty <li> can leave its list empty
        previous = cleaned
        cleaned = EMPTY_ELEMENT.sub("", cleaned)
    return BREAK_BETWEEN_BLOCKS.sub(r"\1", cleaned).strip()


def judge_link(link: re.Match) -> str:
    """Unwrap a link whose address was refused; mark links that leave the site, so the
    target can neither reach back to our page nor see its address."""
    attributes, content = link[1], link[2]
    if ' href="' not in attributes:
        return content
    if EXTERNAL_URL.search(attributes):
        return f'<a{attributes} rel="noopener noreferrer">{content}</a>'
    return link[0]


def looks_like_plain_text(dirty: str) -> bool:
    """Tell whether an editor typed text without markup (the no-JavaScript textarea)."""
    return not re.search(r"<[a-zA-Z!/]", dirty)


def paragraphs(text: str) -> str:
    """Turn typed text into paragraphs: blank lines split them, single breaks stay breaks.

    The text holds no tags (see looks_like_plain_text), so nh3 may read it as HTML text:
    a lone "<" stays a character and entities mean what they mean in the rich editor.
    """
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return "".join(
        "<p>" + "<br>".join(block.split("\n")) + "</p>" for block in blocks if block.strip()
    )


def clean_html(dirty: str) -> str:
    """Return the body reduced to the news allow-list; raise BodyRejected if too big or deep."""
    check_size(dirty)
    if looks_like_plain_text(dirty):
        return cleaner().clean(paragraphs(dirty))
    tree = parse(dirty)
    tidy(tree)
    return finish(cleaner().clean(serialize(tree)))


BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr|caption)>|<br\s*/?>", re.I)
# Table cells sit side by side: keep their words apart ("Tiêu chí Kết quả", not "Tiêu chíKết quả").
CELL_END = re.compile(r"</(td|th)>", re.I)


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment, one block per line."""
    import nh3  # lazy: see the module's docstring

    spaced = CELL_END.sub(" ", BLOCK_END.sub("\n", fragment))
    text = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT))
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
