"""One HTML policy for news bodies, applied once when an editor saves (nh3, not bleach)."""

import html
import re

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


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Allow images only from our own media; everything else the allow-list already judged."""
    if tag == "img" and attribute in ("src", "srcset"):
        urls = [part.strip().split(" ")[0] for part in value.split(",")]
        if not all(url.startswith(MEDIA_PREFIX) for url in urls if url):
            return None
    return value


def clean_html(dirty: str) -> str:
    """Return the body reduced to the news allow-list."""
    cleaned = nh3.clean(
        dirty,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <img> whose src was refused is useless; drop it rather than show a broken box.
    return re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned)


BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr|caption)>|<br\s*/?>", re.I)


def html_to_text(fragment: str) -> str:
    """Return the readable text of an HTML fragment, one block per line."""
    spaced = BLOCK_END.sub("\n", fragment)
    text = html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT))
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
