"""Stamps: one folder's stamps in one table file, each its own value, seen by every process."""

import os
import subprocess
import sys
import textwrap

import pytest

from web import stamps
from web.stamps import STAMP_SIZE, TABLE_FILE, Stamp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
needs_locks = pytest.mark.skipif(stamps.fcntl is None, reason="tables need POSIX file locks")


def in_other_process(code: str) -> str:
    """Run `code` in a new Python process (with web.stamps importable); return what it printed."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout.strip()


@needs_locks
def test_stamps_of_one_folder_share_one_table_and_keep_their_own_values(tmp_path):
    first, second = Stamp(str(tmp_path / "xa-a.stamp")), Stamp(str(tmp_path / "xa-b.stamp"))
    before = second.read()
    first.bump()

    assert second.read() == before
    assert first.read() != second.read()
    assert os.listdir(tmp_path) == [TABLE_FILE]  # no file of a stamp's own
    assert first.map is second.map


@needs_locks
def test_another_process_finds_the_same_slot_and_sees_a_bump(tmp_path):
    stamp = Stamp(str(tmp_path / "xa-a.stamp"))
    value = stamp.read()
    read_there = f"""
        from web.stamps import Stamp
        print(Stamp({str(tmp_path / "xa-a.stamp")!r}).read().hex())
    """
    assert in_other_process(read_there) == value.hex()

    in_other_process(f"""
        from web.stamps import Stamp
        Stamp({str(tmp_path / "xa-a.stamp")!r}).bump()
    """)

    assert stamp.read() != value  # what the other process wrote, through our map


@needs_locks
def test_a_folders_stamps_fill_the_tables_first_slots(tmp_path):
    """150 sites' stamps lie on the table's first two pages: every hit reads the same few."""
    every = [Stamp(str(tmp_path / f"xa-{number:03}.stamp")) for number in range(150)]
    for stamp in every:
        stamp.read()

    places = sorted(stamp.at for stamp in every)
    assert len(set(places)) == 150
    assert places[-1] + STAMP_SIZE <= 150 * stamps.SLOT_SIZE <= 2 * 4096


@needs_locks
def test_processes_claiming_at_once_never_share_a_slot(tmp_path):
    claim = f"""
        import sys
        from web.stamps import Stamp
        for number in range(40):
            stamp = Stamp({str(tmp_path)!r} + f"/{{sys.argv[1]}}-{{number}}.stamp")
            stamp.read()
            print(stamp.at)
    """
    command = [sys.executable, "-c", textwrap.dedent(claim)]
    runs = [subprocess.Popen([*command, name], cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for name in ("a", "b", "c", "d")]  # fmt: skip
    places = [int(line) for run in runs for line in run.communicate()[0].split()]

    assert len(places) == len(set(places)) == 160


def test_a_full_table_leaves_a_stamp_a_file_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(stamps, "TABLE_SIZE", 2 * stamps.SLOT_SIZE)
    every = [Stamp(str(tmp_path / f"xa-{number}.stamp")) for number in range(3)]
    values = [stamp.read() for stamp in every]

    every[2].bump()

    assert (tmp_path / "xa-2.stamp").exists()
    assert every[2].read() != values[2]
    assert [stamp.read() for stamp in every[:2]] == values[:2]
    assert Stamp(str(tmp_path / "xa-2.stamp")).read() == every[2].read()


def test_without_file_locks_every_stamp_keeps_a_file_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(stamps, "fcntl", None)  # as on Windows
    stamp = Stamp(str(tmp_path / "page-cache.stamp"))
    value = stamp.read()
    stamp.bump()

    assert os.listdir(tmp_path) == ["page-cache.stamp"]
    assert Stamp(str(tmp_path / "page-cache.stamp")).read() == stamp.read() != value
