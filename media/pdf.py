"""Reading a PDF for the attachment policy (`media.inspection`, whose docstring says what is
refused and why): every object pypdf can reach, object streams decoded within the upload's
budget, each dictionary asked whether it scripts, launches, sends, fetches or carries a file.

A module of its own so that pypdf (about 7 MB in a process) is imported only when a PDF is
offered: `media.inspection` imports this module inside `inspect_pdf`, and every serving
process, which imports the policy for downloads and the desk, otherwise never needs it
(BENCHMARKS.md, "Lighter processes"). It imports nothing of the project.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pypdf
import pypdf.errors
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


class Budget(Protocol):
    """What checking the upload may still inflate (media.inspection.Budget)."""

    inflated: int

    def inflate(self, size: int) -> None: ...


class Locked(ValueError):
    """The PDF is encrypted: it cannot be checked."""


class TooComplex(ValueError):
    """The PDF lists more objects than checking one may cost."""


@dataclass(frozen=True)
class Limits:
    """What the policy allows: objects in a file, bytes of one decoded stream, and the links
    a reader may follow (media.inspection.safe_link)."""

    objects: int
    stream: int
    safe_link: Callable[[str], bool]


# Keys whose mere presence means the file scripts itself, carries a file or an XFA form.
PDF_KEYS = {"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/EF", "/RichMediaContent",
            "/OnInstantiate"}  # fmt: skip
PDF_ACTIONS = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData",
               "/Rendition", "/RichMediaExecute"}  # fmt: skip
PDF_SUBTYPES = {"/FileAttachment", "/RichMedia", "/3D", "/EmbeddedFile"}


def decoder_limits(left: int, most: int) -> dict[str, int]:
    """pypdf's per-decoder limits: what the upload's budget has left, at most `most`.

    pypdf holds a stream's decoded pieces and their join at once, about twice the limit.
    """
    left = min(max(left, 1), most)
    return {
        "zlib_maximum_output_length": left,
        "lzw_maximum_output_length": left,
        "run_length_maximum_output_length": left,
        "brotli_maximum_output_length": left,
        "jbig2_maximum_output_length": left,
        "array_based_stream_maximum_output_length": left,
        "stream_decoding_work_maximum_length": left,
    }


def limit_reached(error: BaseException | None) -> bool:
    """Tell whether a pypdf error comes from a decoder stopped by the budget (pypdf wraps it)."""
    while error is not None:
        if isinstance(error, pypdf.errors.LimitReachedError):
            return True
        error = error.__cause__ or error.__context__
    return False


def entry(item: DictionaryObject, key: str):
    """A dictionary's value, followed if it is a reference (`/S 7 0 R` names an action too)."""
    value = item.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def active_dictionary(item: DictionaryObject, safe_link: Callable[[str], bool]) -> bool:
    """Tell whether one PDF dictionary scripts, launches, sends, fetches or carries a file."""
    if any(key in PDF_KEYS for key in item):
        return True
    action = entry(item, "/S")
    if action in PDF_ACTIONS or entry(item, "/Subtype") in PDF_SUBTYPES:
        return True
    if entry(item, "/Type") == "/EmbeddedFile":
        return True
    return action == "/URI" and not safe_link(entry(item, "/URI") or "")


def active_object(obj, safe_link: Callable[[str], bool]) -> bool:
    """Walk one object's direct dictionaries and arrays (references are objects of their own)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            if active_dictionary(item, safe_link):
                return True
            stack.extend(v for v in item.values() if isinstance(v, DictionaryObject | ArrayObject))
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if isinstance(v, DictionaryObject | ArrayObject))
    return False


def pdf_objects(reader: pypdf.PdfReader) -> list[IndirectObject]:
    """Every object the cross-reference sections list, in object streams or not."""
    listed = {(number, generation) for generation, section in reader.xref.items()
              for number in section}  # fmt: skip
    listed |= {(number, 0) for number in reader.xref_objStm}
    return [IndirectObject(number, generation, reader) for number, generation in sorted(listed)]


def decode_object_streams(reader: pypdf.PdfReader, budget: Budget, most: int) -> None:
    """Decode each object stream once, within the budget; pypdf keeps the decoded bytes."""
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        with pypdf.apply_configuration(**decoder_limits(budget.inflated, most)):
            budget.inflate(len(reader.get_object(number).get_data()))


def read_pdf(data: bytes, budget: Budget, limits: Limits) -> bool:
    """Parse a PDF and tell whether any of its objects is active; raise on what cannot be read
    (`Locked`, `TooComplex`, the budget's own refusal, or whatever pypdf raises)."""
    with pypdf.apply_configuration(**decoder_limits(budget.inflated, limits.stream)):
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise Locked
    objects = pdf_objects(reader)
    if len(objects) > limits.objects:
        raise TooComplex
    decode_object_streams(reader, budget, limits.stream)
    with pypdf.apply_configuration(**decoder_limits(budget.inflated, limits.stream)):
        active = any(
            active_object(reference.get_object(), limits.safe_link) for reference in objects
        )
    return active or active_object(reader.trailer, limits.safe_link)
