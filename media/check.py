"""Checking the media folder against the database: missing, damaged and orphan files."""

import hashlib
import itertools
import os
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from media.renditions import FORMATS, RENDITION_WIDTHS, rendition_file, rendition_path
from media.store import storage_path
from models import Media, db


@dataclass
class StoreReport:
    missing: list[Media]
    regenerated: int
    orphans: list[str]
    corrupt: list[Media]


def check_media(media: Media, verify: bool, report: StoreReport) -> None:
    path = storage_path(media.stored_name)
    if not os.path.exists(path):
        report.missing.append(media)
        return
    if verify:
        with open(path, "rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != media.sha256:
                report.corrupt.append(media)
    if media.is_image:
        for width, fmt in itertools.product(RENDITION_WIDTHS, FORMATS):
            if not os.path.exists(rendition_file(media, width, fmt)):
                rendition_path(media, width, fmt)
                report.regenerated += 1


def find_orphans(known: set[str]) -> list[str]:
    """Return files under the media folder that no row accounts for (half-written ones too)."""
    root = current_app.config["MEDIA_ROOT"]
    orphans = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.split(".")[0].split("-")[0] not in known or name.endswith(".part"):
                orphans.append(os.path.join(folder, name))
    return sorted(orphans)


def check_store(verify: bool = False) -> StoreReport:
    """Compare the media rows with the files: missing, corrupt, orphans; remake renditions."""
    report = StoreReport([], 0, [], [])
    known = set()
    for media in db.session.scalars(select(Media).order_by(Media.id)):
        known.add(media.sha256)
        check_media(media, verify, report)
    report.orphans = find_orphans(known)
    return report
