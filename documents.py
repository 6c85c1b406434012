"""The documents registry ("Văn bản"): whether a document is in force, and the list's filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import and_, extract, func, or_, select

import models
from models import Document, db
from vietnamese import fold, slugify, to_local

IN_FORCE = "Còn hiệu lực"
EXPIRED = "Hết hiệu lực"
NOT_YET = "Chưa có hiệu lực"
STATUS_CHOICES = {"con": IN_FORCE, "het": EXPIRED}


def document_slug(number: str) -> str:
    """Make the readable part of a document's address from its number."""
    return slugify(number, max_length=60) if number else "van-ban"


def document_url(document, _external: bool = False) -> str:
    """Return /van-ban/<number-slug>-<id> for a document (or a row with id and number)."""
    return url_for(
        "public.document",
        slug=document_slug(document.number),
        document_id=document.id,
        _external=_external,
    )


def today() -> date:
    """Return today's date in Vietnam, where the documents apply (through the models' clock)."""
    return to_local(models.utcnow()).date()


def status(document: Document, on: date | None = None) -> str:
    """Say whether the document is in force on a day (today by default), from its dates.

    It applies from its effective date (its issue date when none is given) until the day
    before its expiry date.
    """
    on = on or today()
    starts = document.effective_on or document.issued_on
    if starts and on < starts:
        return NOT_YET
    if document.expires_on and on >= document.expires_on:
        return EXPIRED
    return IN_FORCE


def status_condition(key: str, on: date):
    """Return the SQL condition for the list's "Hiệu lực" filter, the same rule as `status`."""
    if key == "het":
        return and_(Document.expires_on.is_not(None), Document.expires_on <= on)
    starts = func.coalesce(Document.effective_on, Document.issued_on)
    return and_(
        or_(starts.is_(None), starts <= on),
        or_(Document.expires_on.is_(None), Document.expires_on > on),
    )


def compact(number: str) -> str:
    """Fold a document number for matching: "15/2025/QĐ-UBND" -> "15/2025/qd-ubnd"."""
    return re.sub(r"\s+", "", fold(number))


def ids_with_number(typed: str) -> list[int]:
    """Return the documents whose number contains what the reader typed, marks or not.

    Folding đ is not portable SQL, and a commune has hundreds of documents, not millions.
    """
    wanted = compact(typed)
    rows = db.session.execute(select(Document.id, Document.number))
    return [row.id for row in rows if wanted in compact(row.number)]


def is_year(text: str) -> bool:
    """Tell whether a filter's text is a year of the registry ("²" passes isdigit, not int)."""
    return len(text) == 4 and text.isascii() and text.isdigit() and 1900 < int(text) < 3000


@dataclass
class DocumentFilter:
    """The list's filters as read from the address: type, issuer, field, year, number, status."""

    doc_type: str = ""
    issuer: str = ""
    field: str = ""
    year: int | None = None
    number: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> DocumentFilter:
        year = (args.get("nam") or "").strip()
        status_key = args.get("hieu-luc") or ""
        return cls(
            doc_type=(args.get("loai") or "").strip(),
            issuer=(args.get("co-quan") or "").strip(),
            field=(args.get("linh-vuc") or "").strip(),
            year=int(year) if is_year(year) else None,
            number=(args.get("so") or "").strip()[:100],
            status=status_key if status_key in STATUS_CHOICES else "",
        )

    @property
    def args(self) -> dict[str, str]:
        """Return the filters as address arguments, for page links."""
        values = {
            "loai": self.doc_type, "co-quan": self.issuer, "linh-vuc": self.field,
            "nam": str(self.year or ""), "so": self.number, "hieu-luc": self.status,
        }  # fmt: skip
        return {key: value for key, value in values.items() if value}

    def apply(self, statement):
        """Narrow a select of documents to those matching every filter given."""
        exact = {Document.doc_type: self.doc_type, Document.issuer: self.issuer}
        exact[Document.field] = self.field
        for column, value in exact.items():
            if value:
                statement = statement.where(column == value)
        if self.year:
            statement = statement.where(
                Document.issued_on >= date(self.year, 1, 1),
                Document.issued_on < date(self.year + 1, 1, 1),
            )
        if self.number:
            statement = statement.where(Document.id.in_(ids_with_number(self.number)))
        if self.status:
            statement = statement.where(status_condition(self.status, today()))
        return statement


def newest_first():
    """Return the select of every document, the latest issued first."""
    return select(Document).order_by(
        Document.issued_on.desc().nulls_last(), Document.id.desc()
    )


def choices() -> dict[str, list]:
    """Return the values the list's drop-downs offer: those in use, in order."""

    def distinct(column) -> list[str]:
        rows = db.session.scalars(select(column).where(column != "").distinct().order_by(column))
        return list(rows)

    years = db.session.scalars(
        select(extract("year", Document.issued_on).label("year"))
        .where(Document.issued_on.is_not(None))
        .distinct()
        .order_by(extract("year", Document.issued_on).desc())
    )
    return {
        "doc_types": distinct(Document.doc_type),
        "issuers": distinct(Document.issuer),
        "fields": distinct(Document.field),
        "years": [int(year) for year in years],
    }
