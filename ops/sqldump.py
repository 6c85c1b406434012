"""Reading a MySQL dump without a MySQL server: the rows of the tables an import asks for.

A hosting panel's export (mysqldump, phpMyAdmin, Adminer) is a stream of statements:
`CREATE TABLE` gives a table's column order, `INSERT INTO ... VALUES (...),(...);` its rows.
This reader splits the stream into statements as it reads (quotes, escapes and comments
understood, so a `;` inside an article's text ends nothing), keeps only the statements of
the tables asked for, and turns their tuples into dicts. Everything else is skipped unread
beyond finding where it ends.

Why not a SQL library: sqlparse 0.6 refuses to parse a statement of more than 10,000 tokens
(every extended INSERT of a real dump), and its lexer alone takes twice as long as this whole
reader on a 1 MB INSERT while still leaving the strings to unescape and the rows to assemble
(BENCHMARKS.md); nothing in a dump needs a grammar beyond quoted strings and tuples.
What is read is bounded: one statement holds at most MAX_STATEMENT_BYTES (the importer also
refuses a file over importing.MAX_FILE_BYTES before reading it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MAX_STATEMENT_BYTES = 64 * 1024**2
CHUNK = 256 * 1024
# Where a statement's text may change state: a quote, a comment's start, its end.
SPECIAL = re.compile(r"[\\'\"`;]|--|#|/\*")
TABLE_NAME = re.compile(r"(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`?([\w$]+)`?", re.I)
CREATE_NAME = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w$]+)`?", re.I)
COLUMN_LINE = re.compile(r"^\s*`([^`]+)`\s+\w", re.M)
# One value of a tuple: a string, NULL, a number, a hex or bit literal, then , or ).
VALUE = re.compile(
    r"""\s*(?:_\w+\s*)?(?:
        '(?P<string>(?:[^'\\]+|\\.|'')*)'
      | "(?P<dstring>(?:[^"\\]+|\\.|"")*)"
      | (?P<null>NULL)
      | (?P<number>[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)
      | 0x(?P<hex>[0-9A-Fa-f]*)
      | b'(?P<bits>[01]*)'
      | (?P<word>TRUE|FALSE|DEFAULT)
    )\s*(?P<end>[,)])""",
    re.X | re.S | re.I,
)
ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "%": "\\%",
           "_": "\\_"}  # fmt: skip
ESCAPE = {"'": re.compile(r"\\(.)|''", re.S), '"': re.compile(r'\\(.)|""', re.S)}


class DumpError(ValueError):
    """The dump cannot be read; the message says why, in Vietnamese."""


@dataclass
class Statement:
    """An INSERT (its table and text) or a CREATE TABLE (its table and column names)."""

    kind: str  # "insert" or "create"
    table: str
    text: str = ""
    columns: tuple[str, ...] = ()


def unescape(text: str, quote: str = "'") -> str:
    """Undo MySQL's string escapes: \\n, \\', a doubled quote and the rest."""
    if "\\" not in text and quote * 2 not in text:
        return text
    return ESCAPE[quote].sub(lambda m: quote if m[1] is None else ESCAPES.get(m[1], m[1]), text)


def value_of(match: re.Match) -> str | int | float | None:
    if match["string"] is not None:
        return unescape(match["string"])
    if match["dstring"] is not None:
        return unescape(match["dstring"], '"')
    if match["number"] is not None:
        number = match["number"]
        return float(number) if any(c in number for c in ".eE") else int(number)
    if match["hex"] is not None:
        return bytes.fromhex(match["hex"]).decode("utf-8", "replace")
    if match["bits"] is not None:
        return int(match["bits"] or "0", 2)
    if match["word"] is not None:
        return {"TRUE": 1, "FALSE": 0}.get(match["word"].upper())
    return None


def tuples(text: str) -> Iterator[list]:
    """Yield the value lists of an INSERT's `VALUES (...),(...)` part."""
    position = values_start(text)
    length = len(text)
    while position < length:
        opening = text.find("(", position)
        if opening < 0:
            return
        position = opening + 1
        row = []
        while True:
            match = VALUE.match(text, position)
            if match is None:
                near = text[position : position + 60]
                raise DumpError(f"Không đọc được một dòng dữ liệu, gần: {near!r}")
            row.append(value_of(match))
            position = match.end()
            if match["end"] == ")":
                break
        yield row


def values_start(text: str) -> int:
    found = re.search(r"\bVALUES?\b", text, re.I)
    if found is None:
        raise DumpError("Câu lệnh INSERT không có VALUES.")
    return found.end()


def insert_columns(text: str) -> tuple[str, ...]:
    """Return the column list an INSERT names (`INSERT INTO t (a, b) VALUES`), or ()."""
    head = text[: values_start(text)]
    found = re.search(r"\(([^()]*)\)\s*VALUES?\s*$", head, re.I)
    if found is None:
        return ()
    return tuple(name.strip(" `\"\n\r\t") for name in found[1].split(","))


def create_columns(text: str) -> tuple[str, ...]:
    """Return a CREATE TABLE's column names in order (keys and constraints left out)."""
    body = text[text.find("(") + 1 :]
    return tuple(COLUMN_LINE.findall(body))


def check_size(size: int) -> None:
    """Refuse a statement longer than the bound (a broken file, or one made to fill memory)."""
    if size > MAX_STATEMENT_BYTES:
        raise DumpError(
            f"Một câu lệnh trong tệp dài hơn {MAX_STATEMENT_BYTES // 1024**2} MB: tệp hỏng "
            "hoặc cố ý làm tràn bộ nhớ, nên không nhập."
        )


class Reader:
    """Split a dump into statements while reading it in chunks."""

    def __init__(self, handle, on_progress: Callable[[int], None] | None = None):
        self.handle = handle
        self.on_progress = on_progress
        self.undecodable = False

    def chunks(self) -> Iterator[str]:
        pending = b""
        while True:
            data = self.handle.read(CHUNK)
            if self.on_progress and data:
                self.on_progress(len(data))
            if not data:
                break
            data = pending + data
            # Never cut a UTF-8 character in two: keep an unfinished one for the next chunk.
            cut = len(data)
            while cut > 0 and len(data) - cut < 4 and (data[cut - 1] & 0xC0) == 0x80:
                cut -= 1
            if cut > 0 and data[cut - 1] >= 0xC0:
                cut -= 1
            else:
                cut = len(data)
            pending = data[cut:]
            yield self.decode(data[:cut])
        if pending:
            yield self.decode(pending)

    def decode(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.undecodable = True
            return data.decode("utf-8", "replace")

    def statements(self) -> Iterator[str]:
        """Yield each statement's text, comments outside strings dropped."""
        parts: list[str] = []
        size = 0
        quote = ""  # the quote we are inside, or ""
        comment = ""  # "line" or "block" while inside a comment
        carry = ""
        for chunk in self.chunks():
            text = carry + chunk
            carry = ""
            start = 0
            position = 0
            length = len(text)
            while True:
                if comment == "block":
                    end = text.find("*/", position)
                    if end < 0:
                        carry = text[-1:] if text.endswith("*") else ""
                        start = length
                        break
                    position = start = end + 2
                    comment = ""
                    continue
                if comment == "line":
                    end = text.find("\n", position)
                    if end < 0:
                        start = length
                        break
                    position = start = end + 1
                    comment = ""
                    continue
                match = SPECIAL.search(text, position)
                if match is None:
                    break
                token = match[0]
                position = match.end()
                if quote:
                    if token == "\\":
                        if position >= length:  # the escaped character is in the next chunk
                            carry = "\\"
                            parts.append(text[start : match.start()])
                            start = length
                            break
                        position += 1
                    elif token == quote:
                        if quote != "`" and text.startswith(quote, position):
                            position += 1  # '' inside a string
                        elif position >= length and quote != "`":
                            carry = token  # a quote at the very end may be the first of ''
                            parts.append(text[start : match.start()])
                            start = length
                            break
                        else:
                            quote = ""
                    continue
                if token in ("'", '"', "`"):
                    quote = token
                elif token == ";":
                    parts.append(text[start : match.start()])
                    statement = "".join(parts).strip()
                    parts, size = [], 0
                    start = position
                    check_size(len(statement))
                    if statement:
                        yield statement
                elif token in ("--", "#"):
                    if token == "--" and position < length and text[position] not in " \t\r\n":
                        continue  # "--x" is not a comment in MySQL
                    parts.append(text[start : match.start()])
                    comment = "line"
                elif token == "/*":
                    if text.startswith("!", position):
                        # /*!40101 SET ... */: a versioned statement, skipped like a comment
                        pass
                    parts.append(text[start : match.start()])
                    comment = "block"
            if start < length:
                parts.append(text[start:])
                size += length - start
            check_size(size)
        statement = "".join(parts).strip()
        if statement and not comment:
            yield statement

    def wanted(self, keep: Callable[[str], bool]) -> Iterator[Statement]:
        """Yield the CREATE TABLE and INSERT statements of the tables `keep` accepts."""
        for text in self.statements():
            head = text[:200].lstrip()
            upper = head[:7].upper()
            if upper.startswith(("INSERT", "REPLACE")):
                found = TABLE_NAME.match(head)
                if found and keep(found[1]):
                    yield Statement("insert", found[1], text)
            elif upper.startswith("CREATE"):
                found = CREATE_NAME.match(head)
                if found and keep(found[1]):
                    yield Statement("create", found[1], columns=create_columns(text))


class Tables:
    """The rows of a dump's tables as dicts, columns named from the dump itself (its CREATE
    TABLE or the INSERT's own list), or, for a data-only dump that names none, from `known`:
    the column orders an application's installer gives each kind of table (several per kind
    when two modules use the same last name part, told apart by their number of columns)."""

    def __init__(self, known: dict[str, list[tuple[str, ...]]] | None = None):
        self.known = known or {}
        self.columns: dict[str, tuple[str, ...]] = {}
        self.unknown: set[str] = set()

    def rows(self, statement: Statement, kind: str) -> Iterator[dict]:
        """Yield an INSERT's rows as dicts (remembering a CREATE's columns for later)."""
        if statement.kind == "create":
            self.columns[statement.table] = statement.columns
            return
        names = insert_columns(statement.text) or self.columns.get(statement.table)
        if names:
            yield from self.named(statement, names)
        else:
            yield from self.guessed(statement, kind)

    def named(self, statement: Statement, names: tuple[str, ...]) -> Iterator[dict]:
        for values in tuples(statement.text):
            if len(values) != len(names):
                raise DumpError(f"Bảng {statement.table}: số giá trị không khớp số cột.")
            yield dict(zip(names, values, strict=True))

    def guessed(self, statement: Statement, kind: str) -> Iterator[dict]:
        by_length = {len(names): names for names in self.known.get(kind, [])}
        for values in tuples(statement.text):
            names = by_length.get(len(values))
            if names is None:  # another application's table of the same name: not ours
                self.unknown.add(statement.table)
                return
            yield dict(zip(names, values, strict=True))
