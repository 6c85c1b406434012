"""WordPress's `wpautop`, as the old site showed a post: paragraphs from blank lines.

WordPress stores a classic-editor post as typed: text separated by blank lines, single
newlines for line breaks, HTML mixed in. `wpautop` (wp-includes/formatting.php) turned that
into paragraphs each time a page was shown, so an export holds the text before it. This is
the same sequence of steps, checked against WordPress's own test cases
(tests/fixtures/upstream/wordpress-develop/autop-cases.json): text that runs into a list
stays a paragraph followed by the list, with no `<br />` between the items.
"""

from __future__ import annotations

import re

# The elements wpautop treats as blocks (never wrapped in <p>, never followed by <br />).
BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    r"article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
OPENING_BLOCK = re.compile(rf"(<{BLOCKS}[\s/>])")
CLOSING_BLOCK = re.compile(rf"(</{BLOCKS}>)")
# A tag, a comment or a CDATA section: the newlines inside them are not line breaks.
HTML_PART = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<[^>]*>?", re.S)
NEWLINE_IN_TAG = " <!-- wpnl --> "
KEEP_NEWLINES = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
PRESERVED = "<WPPreserveNewline />"
PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)


def autop(text: str) -> str:
    """Return `text` with paragraphs and line breaks as WordPress's wpautop makes them."""
    if not text.strip():
        return ""
    text, pres = hide_pre(text + "\n")
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = OPENING_BLOCK.sub(r"\n\n\1", text)
    text = CLOSING_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = HTML_PART.sub(lambda m: m[0].replace("\n", NEWLINE_IN_TAG), text)
    text = tighten_embedded(text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)
    text = unwrap_blocks(text)
    text = line_breaks(text)
    text = re.sub(rf"(</?{BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for index, pre in enumerate(pres):
        text = text.replace(f"<pre wp-pre-tag-{index}></pre>", pre)
    return text.replace(NEWLINE_IN_TAG, "\n").replace("<!-- wpnl -->", "\n")


def hide_pre(text: str) -> tuple[str, list[str]]:
    """Set <pre> blocks aside: nothing inside them changes."""
    pres: list[str] = []

    def hide(match: re.Match) -> str:
        pres.append(match[0])
        return f"<pre wp-pre-tag-{len(pres) - 1}></pre>"

    return PRE.sub(hide, text), pres


def tighten_embedded(text: str) -> str:
    """No paragraph or break between <option>s, an object's params, a video's sources, or
    before a figure's caption."""
    text = re.sub(r"\s*<option", "<option", text)
    text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    return text


def unwrap_blocks(text: str) -> str:
    """Take block tags out of the <p> the split wrapped them in."""
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = re.sub(r"</blockquote></p>", "</p></blockquote>", text, flags=re.I)
    text = re.sub(rf"<p>\s*(</?{BLOCKS}[^>]*>)", r"\1", text)
    return re.sub(rf"(</?{BLOCKS}[^>]*>)\s*</p>", r"\1", text)


def line_breaks(text: str) -> str:
    """A newline left inside a paragraph is a line break (not inside scripts and SVG)."""
    text = KEEP_NEWLINES.sub(lambda m: m[0].replace("\n", PRESERVED), text)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    return text.replace(PRESERVED, "\n")
