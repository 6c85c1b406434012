"""What is indexed: each model's fields and their weights, and the folded entry of a row
(its folded fields and the words it writes with marks), the same for every database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from models import Article, Document
from search.text import folded_field, marked_words


@dataclass(frozen=True)
class IndexSpec:
    """How one model is indexed: its index table's name, its fields and their weights."""

    model: type
    table: str
    fields: tuple[str, ...]
    weights: tuple[float, ...]
    # The column a search may be narrowed to (an article's category), if any.
    scope: str | None = None
    # The columns a search filters and orders by, which PostgreSQL keeps beside the words
    # (`search.postgresql`): whether an article may be seen, its category, its date.
    kept: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.fields, "marked")


ARTICLES = IndexSpec(
    Article,
    "article_fts",
    ("title", "summary", "body_text", "author", "source"),
    (10.0, 4.0, 1.0, 2.0, 2.0),
    scope="category_id",
    kept=("status", "publish_at", "expire_at", "category_id"),
)
DOCUMENTS = IndexSpec(
    Document,
    "document_fts",
    ("number", "title", "doc_type", "issuer", "signer", "field"),
    (8.0, 10.0, 2.0, 2.0, 2.0, 2.0),
    kept=("issued_on",),
)


class Matches(NamedTuple):
    """What a backend found of one model: the rows to select from (`source`, where `where`
    holds, None: all), each one's id and date, and its ranking: the exact-marks and phrase
    tiers (conditions, None: no such tier) and the backend's score (lower is better)."""

    source: Any
    where: Any
    id: Any
    moment: Any
    exact: Any
    phrase: Any
    score: Any


SPECS = {Article: ARTICLES, Document: DOCUMENTS}


def field_texts(spec: IndexSpec, source) -> list[str]:
    """Read the spec's fields from a model object or a result row."""
    return [getattr(source, name) or "" for name in spec.fields]


def entry_values(spec: IndexSpec, row_id: int, source) -> dict:
    """Return the entry of an object or a result row: folded fields and marked words."""
    texts = field_texts(spec, source)
    values = {name: folded_field(value) for name, value in zip(spec.fields, texts, strict=True)}
    return values | {"marked": marked_words(texts), "id": row_id}


def folded_from_entry(spec: IndexSpec, entry: dict) -> str:
    """Return `folded_record` of a row from its entry, without folding it again."""
    folded = " | ".join(entry[name] for name in spec.fields)
    return f" {folded} || {entry['marked']} "
