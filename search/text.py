"""Words, folding and highlighting, the same for every database.

Readers type on phone keyboards, often without marks: every text is indexed in a folded form
(lower case, marks stripped, đ as d; see `vietnamese.fold`) and the query is folded the same way.
Words written with marks are also kept as written, for exact-match ranking. The folded text of
a row (`folded_record`) is what its `search_folded` column holds and what each dialect indexes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from vietnamese import fold

TOKEN = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 32


# --- Words and folding -------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Split text into lower-case words, composing marks first (Word pastes may be NFD)."""
    return TOKEN.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """Fold one word, remembered: a rebuild folds the same few thousand words millions of times."""
    return fold(word)


def has_marks(word: str) -> bool:
    return fold_word(word) != word


def unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def folded_field(text: str | None) -> str:
    return " ".join(fold_word(word) for word in words(text or ""))


def marked_words(texts) -> str:
    """Return each word written with marks once, as written, for exact-match ranking."""
    return " ".join(unique(w for text in texts for w in words(text or "") if has_marks(w)))


def folded_record(texts: list[str]) -> str:
    """Return the text of `search_folded`: folded fields, then the marked words.

    Words are separated by single spaces and the fields by " | ", with spaces around, so that
    `LIKE '% word %'` matches whole words and a phrase never spans two fields.
    """
    folded = " | ".join(folded_field(text) for text in texts)
    return f" {folded} || {marked_words(texts)} "


# --- Showing what matched -----------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """What to mark in results: folded words (any marks) and words with their marks."""

    folded: frozenset[str]
    marked: frozenset[str] = frozenset()

    def matches(self, folded: str, written: str) -> bool:
        return folded in self.folded or written.lower() in self.marked


def fold_aligned(text: str) -> str:
    """Fold text so that each character stays at its index, for mapping matches back."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    # A few letters fold to more or fewer characters (İ, ligatures): fold one by one.
    return "".join((fold(ch) or ch)[:1] for ch in text)


def mark_up(text: str, terms: Highlight | set[str], window: int | None = None) -> Markup:
    """Escape text and wrap the words that match the query in <mark>.

    With `window`, keep only that many words around the densest cluster of matches.
    """
    if not isinstance(terms, Highlight):
        terms = Highlight(frozenset(terms))
    text = unicodedata.normalize("NFC", text or "")
    tokens = list(TOKEN.finditer(fold_aligned(text)))
    if not tokens:
        return escape(text)
    hits = {i for i, t in enumerate(tokens) if terms.matches(t.group(), text[t.start() : t.end()])}
    first, last = 0, len(tokens)
    if window is not None:
        first = best_window(tokens, sorted(hits), window)
        last = min(len(tokens), first + window)
    begin = tokens[first].start() if first else 0
    end = tokens[last - 1].end() if last < len(tokens) else len(text)
    pieces = [Markup("… ") if begin else Markup("")]
    position = begin
    for index in range(first, last):
        token = tokens[index]
        if index in hits:
            pieces += [escape(text[position : token.start()]), Markup("<mark>")]
            pieces += [escape(text[token.start() : token.end()]), Markup("</mark>")]
            position = token.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(Markup(" …"))
    return Markup("").join(pieces)


def best_window(tokens: list[re.Match], hits: list[int], window: int) -> int:
    """Return the first word of the window showing the most distinct terms (then the most)."""
    matches = hits[:200]
    best, best_key = 0, (0, 0)
    for index in matches:
        start = max(0, index - 4)
        inside = [tokens[i].group() for i in matches if start <= i < start + window]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best, best_key = start, key
    return best
