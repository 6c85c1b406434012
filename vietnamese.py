"""Vietnamese text and time: dates as readers write them, slugs, folding for search, and
short texts cut at a word or a sentence."""

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Python counts Monday as 0.
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def to_local(moment: datetime) -> datetime:
    """Convert an aware datetime to Vietnam's time."""
    return moment.astimezone(VN_TZ)


def weekday_name(day: date) -> str:
    """Name a day of the week: "Thứ hai" ... "Chủ nhật"."""
    return WEEKDAYS[day.weekday()]


def weekday_date(moment: datetime) -> str:
    """Format as the header does: "Thứ năm, 14/05/2015"."""
    local = to_local(moment)
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}"


def short_date(moment: datetime) -> str:
    """Format a date for lists: "14/05/2015"."""
    return f"{to_local(moment):%d/%m/%Y}"


def date_time(moment: datetime) -> str:
    """Format a publication time: "14/05/2015 08:30"."""
    return f"{to_local(moment):%d/%m/%Y %H:%M}"


def long_date_time(moment: datetime) -> str:
    """Format a publication time in full: "Thứ năm, 14/05/2015, 08:30"."""
    return f"{weekday_date(moment)}, {to_local(moment):%H:%M}"


def start_of_local_day(moment: datetime) -> datetime:
    """Return midnight of the Vietnamese day containing `moment`, as aware UTC."""
    local = to_local(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


def seconds_until_local_midnight(moment: datetime) -> int:
    """Return how long a page showing today's date stays correct."""
    midnight = start_of_local_day(moment) + timedelta(days=1)
    return max(1, int((midnight - moment).total_seconds()))


def strip_marks(text: str) -> str:
    """Remove tone and vowel marks, turning đ/Đ into d/D rather than dropping them."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


def fold(text: str) -> str:
    """Fold text for matching: lower case, no marks, đ as d."""
    return strip_marks(text).lower()


def slugify(text: str, max_length: int = 80) -> str:
    """Make a readable ASCII slug: "Đường làng mới" -> "duong-lang-moi"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "bai-viet"


def file_size(num_bytes: int) -> str:
    """Format a size the way readers say it: "48 KB", "1,2 MB"."""
    if num_bytes < 1024:
        return f"{num_bytes} B"
    if num_bytes < 1024 * 1024:
        return f"{round(num_bytes / 1024)} KB"
    return f"{num_bytes / (1024 * 1024):.1f} MB".replace(".", ",")


def shorten(text: str, limit: int) -> str:
    """Cut text at a word before `limit` characters, marking the cut with an ellipsis."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=\S)")


def first_sentences(text: str, limit: int) -> str:
    """Return the text's first whole sentences within `limit` characters (a summary for an
    article that has none); a first sentence longer than that is cut at a word."""
    text = re.sub(r"\s+", " ", text or "").strip()
    taken = ""
    for match in SENTENCE_END.finditer(text):
        if match.start() > limit:
            break
        taken = text[: match.start()].rstrip()
    if not taken:
        return shorten(text, limit)
    return taken


# --- Phone numbers in bodies ----------------------------------------------------------------

# A Vietnamese number as people write it: 0 or +84 (84), then digits in groups split by a
# space, dot, hyphen or no-break space, the area code perhaps in brackets ("(0209) 3 812 345",
# "0912.345.678", "+84 912 345 678"); or a hotline of 1800/1900. Counted afterwards: a mobile
# has 10 digits, a landline 11 (8 or 10 for a hotline), so amounts and dates never match.
SEPARATOR = r"(?:[ .\-\u00a0]|&nbsp;|&#160;)"
PHONE = re.compile(
    r"(?<![\w.,/+-])"
    rf"(?:\(?(?:\+84{SEPARATOR}?\d{{1,3}}|0\d{{1,3}})\)?|\(?(?:1800|1900))"
    rf"(?:{SEPARATOR}?\d){{4,9}}"
    r"(?![\w/-]|[.,]\d)"
)
# A tag, quoted attribute values included: a ">" inside quotes does not end it (the sanitiser
# escapes it, and this does not depend on that).
TAG_OR_TEXT = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")


def phone_digits(written: str) -> str | None:
    """Return the digits to dial for a number as written, or None if it is not a phone."""
    digits = re.sub(r"&nbsp;|&#160;|\D", "", written)
    if digits.startswith(("1800", "1900")):
        return digits if len(digits) in (8, 10) else None
    international = written.lstrip("(").startswith("+84")
    national = "0" + digits[2:] if international else digits
    # Mobiles have 10 digits; landlines 11, after an area code 02x.
    wanted = 11 if national.startswith("02") else 10
    if not national.startswith("0") or len(national) != wanted:
        return None
    return "+" + digits if international else digits


def link_phone(match: re.Match) -> str:
    written = match.group(0)
    digits = phone_digits(written)
    return f'<a class="tel" href="tel:{digits}">{written}</a>' if digits else written


def link_phone_numbers(body: str) -> str:
    """Turn the phone numbers written in a sanitised body's text into tel: links.

    Done when a page is shown, not when it is saved: the stored body stays what the editor
    wrote (the editor never meets markup it did not type, and existing pages get the links
    without rewriting them), and a page is rendered once for many readers by the page cache.
    Only text outside links is touched; the href holds digits and "+" only.
    """
    parts = TAG_OR_TEXT.split(body or "")
    in_link = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].split(">")[0].lower() if part else ""
            if name == "a":
                in_link = max(0, in_link + (-1 if part.startswith("</") else 1))
        elif not in_link and part:
            parts[index] = PHONE.sub(link_phone, part)
    return "".join(parts)
