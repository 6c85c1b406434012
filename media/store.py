"""Where uploads live on disk: one original per content hash, fanned out by its first two
hex digits, written atomically so a reader in another worker never sees half a file."""

import glob
import os
import tempfile

from flask import current_app
from sqlalchemy import select

from models import Media, db


def storage_path(name: str, folder: str = "originals") -> str:
    """Return where a stored file lives, fanned out by its first two hex digits."""
    return os.path.join(current_app.config["MEDIA_ROOT"], folder, name[:2], name)


def write_atomically(path: str, data: bytes) -> None:
    """Write a file so that a reader in another worker never sees half of it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temp, path)


def find_by_hash(digest: str) -> Media | None:
    return db.session.scalar(select(Media).where(Media.sha256 == digest))


def stored_files(media: Media) -> list[str]:
    """Return the paths of a media's original and every rendition on disk."""
    renditions = glob.glob(storage_path(f"{media.sha256}-*", folder="renditions"))
    return [storage_path(media.stored_name), *renditions]


def delete_files(paths: list[str]) -> None:
    """Remove a deleted media's files (from `stored_files`), once its deletion is committed."""
    for path in paths:
        if os.path.exists(path):
            os.remove(path)



def safe_name(original_name: str) -> str:
    """Keep only the last part of a name the browser sent, without control characters."""
    name = os.path.basename((original_name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:255]
