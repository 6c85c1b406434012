"""Copying a site's folder for a test: databases, stamps and logs are copied, since the test
writes to them; media files are hard links to the template's, since the code never changes a
stored file in place (it writes a new file and renames it over the old one), so a test that
adds, replaces or deletes one leaves the template as it was, and nothing is read twice."""

import os
import shutil


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def copy_file(source: str, target: str) -> None:
    """Link a stored media file, copy anything else."""
    if "media" in source.split(os.sep):
        link_or_copy(source, target)
    else:
        shutil.copy2(source, target)


def copy_site(source, target) -> None:
    """Give `target` the files of `source` (merged into what it holds already)."""
    shutil.copytree(source, target, copy_function=copy_file, dirs_exist_ok=True)
