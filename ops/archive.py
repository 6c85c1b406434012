"""The rules every Bantin archive follows, for backups (ops.backup) and exports (ops.transfer):
the names an archive may hold, the walk over the media folder, the manifest's envelope, copying
files so that a name only ever holds a complete file, and reading listed files back with their
declared size as a hard limit and their SHA-256 checked. Bodies coming back from an archive go
through the sanitiser again, whatever the archive says they hold."""

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import BinaryIO

import sanitize
from ops import schema

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
PARTIAL = ".part"
HEX = "[0-9a-f]"
# The only names media.store and media.renditions write: a content hash fanned out by its first
# two digits. Nothing else goes into an archive, so nothing else comes out of one: no drive
# letter, backslash, "..", absolute path, NUL or upper-case twin can reach a path, on any OS.
MEDIA_NAME = re.compile(
    rf"originals/(?P<o>{HEX}{{2}})/(?P=o){HEX}{{62}}\.[a-z0-9]{{1,5}}"
    rf"|renditions/(?P<r>{HEX}{{2}})/(?P=r){HEX}{{62}}-[1-9][0-9]{{0,4}}\.(?:webp|jpg)"
)
SHA256 = re.compile(rf"{HEX}{{64}}")
# Tables whose bodies are HTML, and whether they keep the body's text beside it.
BODIES = {"article": True, "page": False}


class ArchiveError(Exception):
    """An archive that breaks one of these rules; the message says which, for the operator."""


@dataclass(frozen=True)
class Kind:
    """One kind of archive: its manifest's format name and version, and what to call it."""

    format: str
    version: int
    noun: str


# --- Names ----------------------------------------------------------------------------------


def is_media_name(name: str) -> bool:
    """Tell whether `name` (relative to the media folder) has a shape media.store writes."""
    return MEDIA_NAME.fullmatch(name) is not None


def media_path(root: str, name: str) -> str:
    """Join a media name to `root`, refusing any name of a shape media.store never writes."""
    if not is_media_name(name):
        raise ArchiveError(f"tên tệp không hợp lệ {name!r}")
    return os.path.join(root, *name.split("/"))


def media_files(root: str) -> list[tuple[str, str]]:
    """Return (name relative to root, path) of every stored file under the media folder.

    Files still being written (.part) and any other name are left out: an archive holds only
    names a restore or import will accept back.
    """
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if is_media_name(relative):
                found.append((relative, path))
    return found


# --- The manifest ---------------------------------------------------------------------------


def new_manifest(kind: Kind, **fields) -> dict:
    """Return a manifest carrying the format, its version and Bantin's version."""
    return {
        "format": kind.format,
        "format_version": kind.version,
        "app_version": schema.app_version(),
        **fields,
    }


def dump_manifest(manifest: dict) -> str:
    """Return the manifest as the JSON text written into an archive."""
    return json.dumps(manifest, ensure_ascii=False, indent=1)


def load_manifest(read: Callable[[], bytes], kind: Kind, name: str) -> dict:
    """Read and check a manifest's envelope; `read` raises KeyError or FileNotFoundError when
    there is none."""
    foreign = f"{name} không phải là {kind.noun} của Bantin: {{}}."
    try:
        manifest = json.loads(read())
    except (KeyError, FileNotFoundError) as err:
        raise ArchiveError(foreign.format("không có manifest.json")) from err
    except (ValueError, OSError, zipfile.BadZipFile) as err:
        raise ArchiveError(foreign.format("manifest.json không đọc được")) from err
    if not isinstance(manifest, dict) or manifest.get("format") != kind.format:
        raise ArchiveError(foreign.format("manifest.json không phải của Bantin"))
    if manifest.get("format_version") != kind.version:
        raise ArchiveError(
            f"{kind.noun.capitalize()} {name} có định dạng {manifest.get('format_version')}, "
            f"phiên bản Bantin này chỉ đọc định dạng {kind.version}: hãy cập nhật mã nguồn."
        )
    return manifest


def is_item(item) -> bool:
    """Tell whether a manifest entry is {"path": str, "bytes": int >= 0, "sha256": hex}."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and type(item.get("bytes")) is int
        and item["bytes"] >= 0
        and isinstance(item.get("sha256"), str)
        and SHA256.fullmatch(item["sha256"]) is not None
    )


def listing(items, allowed: Callable[[str], bool]) -> dict[str, dict]:
    """Return the manifest's files by name, refusing a malformed entry, a name of a shape the
    writer never produces, or a name listed twice."""
    if not isinstance(items, list):
        raise ArchiveError("manifest.json không có danh sách tệp")
    found = {}
    for item in items:
        if not is_item(item):
            raise ArchiveError("manifest.json có mục tệp không hợp lệ")
        if not allowed(item["path"]):
            raise ArchiveError(f"tên tệp không hợp lệ {item['path']!r}")
        if item["path"] in found:
            raise ArchiveError(f"tệp {item['path']} được liệt kê hai lần")
        found[item["path"]] = item
    return found


# --- Copying with sums and limits -----------------------------------------------------------


def pump(source: BinaryIO, out: BinaryIO | None, limit: int | None = None) -> tuple[int, str]:
    """Copy `source` to `out` (if any) in chunks; return its size and SHA-256.

    With a limit, reading stops one byte past it and the copy is refused: nothing beyond the
    limit is ever written, whatever the source claims about itself.
    """
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK if limit is None else min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if limit is not None and size > limit:
            raise ArchiveError("lớn hơn kích thước ghi trong manifest.json")
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return size, digest.hexdigest()


def record(name: str, source: BinaryIO, out: BinaryIO) -> dict:
    """Copy one file into an archive; return its manifest entry."""
    size, digest = pump(source, out)
    return {"path": name, "bytes": size, "sha256": digest}


def check(item: dict, source: BinaryIO, out: BinaryIO | None = None) -> None:
    """Read a listed file (copying it to `out`), refusing it past its declared size or unless
    its size and SHA-256 match the manifest."""
    try:
        size, digest = pump(source, out, limit=item["bytes"])
    except ArchiveError as err:
        raise ArchiveError(f"tệp {item['path']} {err}") from err
    if size != item["bytes"] or digest != item["sha256"]:
        raise ArchiveError(f"tệp {item['path']} không khớp mã kiểm tra SHA-256")


def check_file(item: dict, path: str) -> None:
    """Check a file on disk against its manifest entry."""
    with open(path, "rb") as source:
        check(item, source)


def private_opener(path: str, flags: int) -> int:
    """Open a new file readable by its owner only, whatever the umask."""
    return os.open(path, flags, 0o600)


@contextmanager
def partial_file(target: str) -> Iterator[BinaryIO]:
    """Write `target` through `target.part`, so its name only ever holds a complete file."""
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    partial = target + PARTIAL
    try:
        # Owner only: a backup holds every account's password hash.
        with open(partial, "wb", opener=private_opener) as out:
            os.chmod(partial, 0o600)
            yield out
    except BaseException:
        with suppress(FileNotFoundError):
            os.remove(partial)
        raise
    os.replace(partial, target)


def copy_checked(item: dict, source: BinaryIO, target: str) -> None:
    """Copy a listed file to `target` within its declared size, checking its SHA-256."""
    with partial_file(target) as out:
        check(item, source, out)


# --- Bodies ---------------------------------------------------------------------------------


def clean_body(table: str, row: dict) -> dict:
    """Return a row of `table` with its body cleaned again and its text derived from that."""
    if table not in BODIES:
        return row
    try:
        body = sanitize.clean_html(row["body"] or "")
    except sanitize.BodyRejected as err:
        raise ArchiveError(f"bảng {table}, dòng {row.get('id')}: {err}") from err
    cleaned = {**row, "body": body}
    if BODIES[table]:
        cleaned["body_text"] = sanitize.html_to_text(body)
    return cleaned
