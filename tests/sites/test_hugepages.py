"""Huge pages under the sites' objects (sites/hugepages.py): which memory a sweep advises, that
Linux takes the advice, and that a province's worker sweeps after it builds a site."""

import itertools
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from sites import hugepages
from sites.hugepages import Sweeper, anonymous_regions, whole_huge_pages

MAPS = """\
55d0c0a00000-55d0c0a2a000 r--p 00000000 08:01 1311 /usr/bin/python3.11
55d0c1c00000-55d0c5000000 rw-p 00000000 00:00 0 [heap]
7f1a00000000-7f1a00400000 rw-p 00000000 00:00 0
7f1a10000000-7f1a10200000 rw-s 00000000 00:05 77 /dev/zero (deleted)
7f1a20000000-7f1a20100000 rw-p 00001000 08:01 99 /tmp/instance/page-cache.stamp
7f1a30000000-7f1a30100000 r--p 00000000 00:00 0
7ffd5a000000-7ffd5a021000 rw-p 00000000 00:00 0 [stack]
7ffd5a1f0000-7ffd5a1f4000 r--p 00000000 00:00 0 [vvar]
"""
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def test_a_sweep_advises_the_heap_and_private_anonymous_memory_only():
    """Files (a stamp's memory map), shared memory, read-only memory and the stack stay as
    they are: only what holds Python's and glibc's objects is advised."""
    assert anonymous_regions(MAPS) == [
        (0x55D0C1C00000, 0x55D0C5000000),
        (0x7F1A00000000, 0x7F1A00400000),
    ]


@pytest.mark.parametrize(("start", "end", "whole"), [
    (0x200000, 0x600000, (0x200000, 0x600000)),  # aligned both ends
    (0x201000, 0x600000, (0x400000, 0x600000)),  # the first page begins at the next 2 MB
    (0x200000, 0x5FF000, (0x200000, 0x400000)),
    (0x201000, 0x3FF000, None),  # under 2 MB once aligned: nothing to fold
])  # fmt: skip
def test_only_whole_aligned_2_mb_pages_are_folded(start, end, whole):
    assert whole_huge_pages(start, end) == whole


@pytest.mark.skipif(not sys.platform.startswith("linux") or not THP.exists(),
                    reason="needs Linux with transparent huge pages")
def test_linux_marks_swept_memory_for_huge_pages():
    """In a process of its own: the 2 MB stretches of 8 MB written into memory carry the
    kernel's "hg" flag (huge pages advised) after a sweep, not before; a stretch reserved but
    never written is left alone (folding it would fill it)."""
    script = textwrap.dedent("""
        import ctypes
        import mmap

        from sites.hugepages import HUGE_PAGE, sweep

        def flags_of(address):
            region = None
            for line in open("/proc/self/smaps"):
                first = line.split()[0]
                if "-" in first and ":" not in first:
                    start, end = (int(part, 16) for part in first.split("-"))
                    region = start <= address < end
                elif region and line.startswith("VmFlags:"):
                    return line.split()[1:]

        def private(size):  # anonymous and private, as Python's arenas
            return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)

        def address_of(area):
            start = ctypes.addressof(ctypes.c_char.from_buffer(area))
            return -(-start // HUGE_PAGE) * HUGE_PAGE + HUGE_PAGE  # inside a whole 2 MB page

        written, empty = private(8 * HUGE_PAGE), private(8 * HUGE_PAGE)
        written.write(b"x" * len(written))
        full, hollow = address_of(written), address_of(empty)
        before = "hg" in flags_of(full)
        sweep()
        print(before, "hg" in flags_of(full), "hg" in flags_of(hollow))
    """)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, check=True, env=dict(os.environ, PYTHONPATH=str(root)))
    assert done.stdout.split() == ["False", "True", "False"]


def test_a_sweeper_sweeps_soon_after_it_is_asked_but_never_more_often_than_every(monkeypatch):
    """Sites built in a burst (a province's first minutes) cost one or two sweeps, not one
    each, and one built later is swept too."""
    swept = []
    monkeypatch.setattr(hugepages, "sweep", lambda: swept.append(time.monotonic()) or 0)
    sweeper = Sweeper(every=0.3)
    try:
        for _ in range(20):  # over 0.2 s
            sweeper.soon()
            time.sleep(0.01)
        wait_for(lambda: swept and sweeper.settled())
        assert 1 <= len(swept) <= 2
        count = len(swept)
        sweeper.soon()
        wait_for(lambda: len(swept) == count + 1 and sweeper.settled())
        assert all(b - a >= 0.3 for a, b in itertools.pairwise(swept))
    finally:
        sweeper.stop()


def test_a_province_worker_sweeps_after_it_builds_a_site(fresh, monkeypatch):
    """Turned on (SITES_HUGE_PAGES, the default out of tests), the first request to a site
    builds its app, and a sweep follows without holding up that request."""
    swept = threading.Event()
    monkeypatch.setattr(hugepages, "sweep", lambda: swept.set() or 0)
    dispatcher = fresh.app.extensions["province"]
    assert dispatcher.huge_pages is None  # tests/base_config.py turns it off
    dispatcher.huge_pages = Sweeper(every=0.1)
    try:
        client = fresh.app.test_client()
        assert client.get("/", base_url="http://traleng.test").status_code == 200
        assert swept.wait(5)
    finally:
        dispatcher.huge_pages.stop()


def wait_for(condition, seconds: float = 5.0) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, "the sweeper did not finish in time"
        time.sleep(0.01)
