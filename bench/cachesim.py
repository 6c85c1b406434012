"""Hot pages across 150 sites under a simulated cache: how many of a hit's reads miss, for one
site against every site in turn, counted by Valgrind (callgrind's cache simulator) rather than
timed, so that the machine's other tenants do not move the figure.

Sets up the sites as `bench/province.py --hot-only` does, warms them as its in-process
figure does (`province.IN_PROCESS`), then counts `--hits` hits on one site and as many across
every site, twice each, alternating (`callgrind_control` zeroes and dumps the counts around each
phase). Prints each phase's instructions, first-level data misses and last-level misses per hit.
The last level is `--ll` bytes (default 1 MiB, this machine's L2 per core).

    .venv/bin/python bench/cachesim.py [--sites 150] [--hits 3000] [--ll 1048576]

Needs Debian's `valgrind`; takes about twelve minutes on 2 cores. Found (BENCHMARKS.md,
"Huge pages under Python's objects"): a hit runs about 88,000 instructions and touches some
150 KB, and 150 sites add at most a few last-level misses to it, so the gap timed between
them is not the data caches; callgrind does not model the TLB, where sites.hugepages helps.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from live import ROOT, serve_env

import province

PHASES = """
import os, subprocess
pid = str(os.getpid())

def hits(count):
    for number in range({hits}):
        site = number % count
        get(environ(*buffer[ends[site]:ends[site + 1]].decode().split(" ")))

for count in (1, len(every), 1, len(every)):
    hits(count)  # unmeasured first: each phase starts from the state its own hits leave
    subprocess.run(["callgrind_control", "-z", pid], capture_output=True, check=True)
    hits(count)
    subprocess.run(["callgrind_control", "-d", f"sites{{count}}", pid], capture_output=True,
                   check=True)
"""
EVENTS = ("Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw")


def script(hosts: list[str], hits: int) -> str:
    """The in-process warm-up, then the measured phases."""
    warm = province.IN_PROCESS.format(every=hosts, rounds=1).split("def cpu(count):")[0]
    return warm + PHASES.format(hits=hits)


def counts(dump: Path) -> tuple[str, dict[str, int]]:
    text = dump.read_text()
    phase = re.search(r"^desc: Trigger: dump (\w+)", text, re.M)[1]
    summary = re.search(r"^summary: (.*)$", text, re.M)[1].split()
    return phase, dict(zip(EVENTS, map(int, summary), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--hits", type=int, default=3000)
    parser.add_argument("--ll", type=int, default=1 << 20, help="last-level cache, bytes")
    options = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    every = province.names(options.sites)
    with tempfile.TemporaryDirectory(prefix="bantin-cachesim-") as tmp:
        folder = Path(tmp)
        env = province.environment(folder)
        province.add_sites(env, every[:1], 1)
        province.register_rest(env, folder, every[1:])
        province.give_content(env, folder, every, downgrade=False)
        province.upgrade_all(env)
        env = serve_env(dict(env, FLASK_VISITS_FLUSH_SECONDS="0", PYTHONHASHSEED="0"))
        command = ["valgrind", "--tool=callgrind", "--cache-sim=yes", "--D1=32768,8,64",
                   f"--LL={options.ll},8,64", f"--callgrind-out-file={folder}/cg.%p",
                   sys.executable, "-c", script([province.host(n) for n in every], options.hits)]
        subprocess.run(command, cwd=ROOT, env=env, check=True, stderr=subprocess.DEVNULL)
        dumps = sorted(folder.glob("cg.*.*"), key=lambda path: int(path.suffix[1:]))
        print(f"per hit, {options.hits:,} hits a phase, LL {options.ll >> 10} KB; "
              f"load average {os.getloadavg()[0]:.1f}")
        print("| phase | instructions | D1 misses | LL data misses | LL instruction misses |")
        print("|---|---:|---:|---:|---:|")
        for dump in dumps:
            phase, each = counts(dump)
            per = {name: value / options.hits for name, value in each.items()}
            print(f"| {phase} | {per['Ir']:,.0f} | {per['D1mr'] + per['D1mw']:,.0f} | "
                  f"{per['DLmr'] + per['DLmw']:,.1f} | {per['ILmr']:,.1f} |")


if __name__ == "__main__":
    main()
