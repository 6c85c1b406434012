"""Huge pages under Python's own objects, for a process that holds many sites (Linux).

Python keeps its small objects (nearly all of a site's app: dicts, strings, functions, kept
pages' entries) in 1 MiB arenas it maps itself, beside glibc's heap, so the huge pages that
`GLIBC_TUNABLES=glibc.malloc.hugetlb=1` gives the heap (ops.production.PROVINCE_SERVE_ENV)
never reach them. With 150 sites, a hit reads a dozen objects of its own site, each on a page
of its own among some 130 MB: on 4 KB pages most of those reads first miss the processor's cache
of page addresses (the TLB). CPython 3.15 advises its arenas itself (PYTHON_PYMALLOC_HUGEPAGES,
python/cpython#144319); on 3.11 the process does it from outside: a sweep reads its own memory
map (/proc/self/maps) and, in each private anonymous region, finds the 2 MB stretches whose
small pages are nearly all in use (/proc/self/pagemap), advises them (`MADV_HUGEPAGE`) and asks
Linux to fold each into one huge page now (`MADV_COLLAPSE`, Linux 6.1; earlier kernels fold them
in the background, khugepaged). Measured: BENCHMARKS.md, "Huge pages under Python's objects".

The first sweep after 150 sites were built takes about 0.12 s, one with nothing new about 3 ms,
on a background thread (`Sweeper`) while requests go on: the interpreter lock is released while
Linux folds, which is most of it. A process's memory grows by less than 1 MB. Elsewhere than
Linux, or where the kernel refuses, a sweep does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from array import array

log = logging.getLogger(__name__)
MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
HUGE_PAGE = 2 * 1024 * 1024
SMALL_PAGE = 4096
# A 2 MB stretch is folded only when this many of its 512 small pages hold something already:
# folding fills the others too (Linux ignores khugepaged's own limit for MADV_COLLAPSE), and
# advised, khugepaged would fold a sparse stretch later all the same. Folding every stretch
# cost a province's two workers 26 MB (BENCHMARKS.md, "Huge pages under Python's objects").
DENSE_PAGES = 480
MAPS = "/proc/self/maps"
PAGEMAP = "/proc/self/pagemap"
# At most one sweep this often: sites built meanwhile wait for the next one.
SWEEP_EVERY_SECONDS = 5.0


def anonymous_regions(maps: str) -> list[tuple[int, int]]:
    """The private, writable regions backed by no file (Python's arenas, glibc's heap) in the
    text of /proc/<pid>/maps, as (start, end) addresses."""
    regions = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5 or not fields[1].startswith("rw") or fields[1][3] != "p":
            continue
        name = fields[5] if len(fields) > 5 else ""
        if name not in ("", "[heap]"):
            continue  # a file, the stack, the vDSO: not the objects' memory
        start, end = (int(address, 16) for address in fields[0].split("-"))
        regions.append((start, end))
    return regions


def whole_huge_pages(start: int, end: int) -> tuple[int, int] | None:
    """The part of a region made of whole 2 MB pages (aligned), or None if it holds none."""
    first = -(-start // HUGE_PAGE) * HUGE_PAGE
    last = end // HUGE_PAGE * HUGE_PAGE
    return (first, last) if last > first else None


def libc_madvise():
    """The C library's madvise (None where there is none to call)."""
    if not sys.platform.startswith("linux"):
        return None
    madvise = ctypes.CDLL(None, use_errno=True).madvise  # CDLL: the call releases the GIL
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise


def dense_huge_pages(pagemap, start: int, end: int) -> list[int]:
    """The 2 MB pages of a region (their addresses) whose 4 KB pages are nearly all in memory
    already, read from the process's page map (/proc/self/pagemap: one word per page, its top
    bit set when the page is present)."""
    whole = whole_huge_pages(start, end)
    if whole is None:
        return []
    pagemap.seek(whole[0] // SMALL_PAGE * 8)
    words = array("Q", pagemap.read((whole[1] - whole[0]) // SMALL_PAGE * 8))
    step = HUGE_PAGE // SMALL_PAGE
    return [
        whole[0] + index * HUGE_PAGE
        for index in range(len(words) // step)
        if sum(word >> 63 for word in words[index * step:(index + 1) * step]) >= DENSE_PAGES
    ]


def sweep(maps_path: str = MAPS, pagemap_path: str = PAGEMAP) -> int:
    """Put the process's nearly full 2 MB stretches of anonymous memory on huge pages now;
    return the bytes asked to be folded (0 where nothing could be asked)."""
    madvise = libc_madvise()
    if madvise is None:
        return 0
    try:
        with open(maps_path) as maps, open(pagemap_path, "rb", buffering=0) as pagemap:
            dense = [
                address
                for start, end in anonymous_regions(maps.read())
                for address in dense_huge_pages(pagemap, start, end)
            ]
    except OSError:
        return 0  # no /proc (a locked-down container): memory stays as the system gives it
    folded = 0
    for address in dense:
        # A refusal (THP off, an old kernel, memory freed meanwhile) leaves 4 KB pages: fine.
        madvise(address, HUGE_PAGE, MADV_HUGEPAGE)
        if madvise(address, HUGE_PAGE, MADV_COLLAPSE) == 0:
            folded += HUGE_PAGE
    return folded


class Sweeper:
    """A daemon thread that sweeps (`sweep`) soon after it is asked (`soon`), at most once
    every SWEEP_EVERY_SECONDS: a province's dispatcher asks after each site it builds."""

    def __init__(self, every: float = SWEEP_EVERY_SECONDS):
        self.every = every
        self.wanted = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.sweeping = False

    def soon(self) -> None:
        """Sweep within SWEEP_EVERY_SECONDS (the thread starts on the first call)."""
        self.wanted.set()
        if self.thread is None:
            with self.lock:
                if self.thread is None:
                    self.thread = threading.Thread(
                        target=self.run, name="bantin-huge-pages", daemon=True
                    )
                    self.thread.start()

    def run(self) -> None:
        while self.wanted.wait() and not self.stopped.is_set():
            self.sweeping = True
            self.wanted.clear()
            folded = sweep()
            self.sweeping = False
            log.debug("huge pages: %d MB folded", folded >> 20)
            if self.stopped.wait(self.every):
                return

    def settled(self) -> bool:
        """Tell whether no sweep is running or waiting to run."""
        return not (self.sweeping or self.wanted.is_set())

    def stop(self) -> None:
        self.stopped.set()
        self.wanted.set()
