"""A province of commune sites from one install, measured against issue 13's targets.

In a temporary folder: N sites (150 by default), the first 20 added one command each
(`flask site add`, timed; the rest registered directly, to keep the setup short); one of them
seeded with the demo content and put one migration back, its database and media copied to
every other site before any is served; `upgrade-db` over every site from that older revision,
then again with nothing to do; then `make serve`'s granian (2 workers × 1 thread) answering
every site by host name: the first request to each site not yet touched, the whole server's
memory after every site's home and an article were read, and hot article throughput with wrk
across many sites against a single site. Wall times depend on what else the machine runs: the
load average is printed with the figures.

    .venv/bin/python bench/province.py [--sites 150] [--timed-adds 20] [--jobs 1] [--seconds 10]
        [--threads 1] [--memory-only]

`--memory-only` measures the server's memory alone: one site added by command, the others
copies of it, no upgrades timed, no first requests timed, no wrk (a few minutes, not twenty).

    .venv/bin/python bench/province.py --hot-only [--rounds 3] [--threads 1]

`--hot-only` measures hot pages alone, set up as `--memory-only` is: the hot article of one
site against every site's in turn, the two wrk runs alternating `--rounds` times in ABBA order;
each one's median and their ratio, the median of each round's own ratio with its quartiles, and
the server's CPU per request beside each run. On a machine other tenants share, a run's rate
moves by ±10 % from one run to the next: many short rounds (`--rounds 25 --seconds 3`) give a
median that repeats, and `--control` (one site against the same site) shows the spread the
method itself gives a ratio that is 100 % by design. Where nginx is installed, it takes its turn
in every round as the reference: two workers serving each site's kept article from files, the
very gzip bytes the app sends (`gzip_static`), one file against every site's in turn: what 150
distinct pages cost a server that does nothing but send them. `--in-process` adds the CPU
time of the same hits in one process (the province's WSGI entry called directly, 20
interleaved runs each, with new strings in each request's environ as a server gives; the mean
and the best run): much steadier than wrk's rates on a machine other work shares.

The server and the in-process hits run with `make serve`'s environment (`flask serve-env`: in a
province, glibc's heap on 2 MB pages, and Python's objects folded onto them by
`sites.hugepages`); `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` and `FLASK_SITES_HUGE_PAGES=false`
in the environment measure without each.

Needs Debian's `wrk` for the throughput figures (skipped without it).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from live import ROOT, child_pids, free_port, serve_env, start, wait_for

DOMAIN = "bench.test"
# How long the workers take to put the sites just built on huge pages (sites.hugepages: a sweep
# at most every 5 s), before their memory is read.
SETTLE_SECONDS = 7
# Put the first site one migration back, as a release older than this code left it.
DOWNGRADE = """
import flask_migrate
from app import create_app
province = create_app()
site = province.extensions["registry"].require({name!r})
app = province.extensions["site_build"](site)
with app.app_context():
    flask_migrate.downgrade(directory="migrations", revision="-1")
"""
# CPU time of a kept article through the province's WSGI entry, in one process (no server, no
# wrk: far steadier than throughput on a shared machine), one site's against every site's in
# turn, the two interleaved in short runs so that both see the same machine. Each request's
# environ is made anew from its request line, as a server makes it from the bytes it just read:
# the lines of every site are one buffer. (Copied from a dict of its own per site, as this
# script did until 2026-12-07, each request also read that site's dict, some ten objects no
# server reads: 0.2–0.3 µs of the difference between 150 sites and one, BENCHMARKS.md.)
IN_PROCESS = """
import gzip, re, sys, time
from array import array
from app import create_app
province = create_app()
every = {every!r}

def environ(host, path):
    return {{"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": host,
             "SERVER_PORT": "80", "HTTP_HOST": host, "HTTP_ACCEPT_ENCODING": "gzip",
             "HTTP_USER_AGENT": "Mozilla/5.0", "REMOTE_ADDR": "127.0.0.1",
             "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": None,
             "wsgi.errors": sys.stderr}}

def start(status, headers, exc_info=None):
    for name, value in headers:  # a server reads every header line it sends
        len(name) + len(value)

def get(one):
    body = province(one, start)
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    return data

lines = []
for host in every:
    html = gzip.decompress(get(environ(host, "/"))).decode()
    path = re.search(r'href="(/tin/[^"]+-\\d+)"', html)[1]
    lines.append(f"{{host}} {{path}}".encode())
    for _ in range(3):
        get(environ(*lines[-1].decode().split(" ")))
buffer = b"".join(lines)  # every site's request line, one after the other
sweeper = province.extensions["province"].huge_pages  # as a served worker does (sites.hugepages)
while sweeper is not None and not sweeper.settled():
    time.sleep(0.1)
ends = array("Q", [0])
for line in lines:
    ends.append(ends[-1] + len(line))

def cpu(count):
    began = time.process_time()
    for number in range(3000):
        site = number % count
        get(environ(*buffer[ends[site]:ends[site + 1]].decode().split(" ")))
    return (time.process_time() - began) / 3000 * 1e6

one, many = [], []
for _ in range({rounds}):
    one.append(cpu(1))
    many.append(cpu(len(every)))
middle = len(one) // 2
print(sum(one) / len(one), sum(many) / len(many), min(one), min(many), sorted(one)[middle],
      sorted(many)[middle])
"""
REGISTER = """
from sites.registry import Registry
registry = Registry({uri!r})
for name, host, title in {sites!r}:
    registry.add(name, [host], title=title)
"""


def environment(folder: Path) -> dict:
    env = dict(os.environ)
    env.pop("BANTIN_SITE", None)
    env.update(
        FLASK_SECRET_KEY="bench-province-secret",
        FLASK_SITES_DATABASE_URI=f"sqlite:///{folder / 'sites.db'}",
        FLASK_SITES_ROOT=str(folder / "sites"),
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bantin.db'}",
        FLASK_MEDIA_ROOT=str(folder / "media"),
        FLASK_LOG_LEVEL="WARNING",
        FLASK_LOG_DIR="",
    )
    return env


def flask(env: dict, *args: str, site: str | None = None) -> str:
    command = [sys.executable, "-m", "flask", "--app", "app", *args]
    env = dict(env, BANTIN_SITE=site) if site else env
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def names(count: int) -> list[str]:
    return [f"xa{number:03d}" for number in range(1, count + 1)]


def host(name: str) -> str:
    return f"{name}.{DOMAIN}"


def add_one(env: dict, name: str) -> tuple[float, float, float]:
    """Add a site; the command's wall time, its CPU time and the time it reports itself."""
    command = [sys.executable, "-m", "flask", "--app", "app", "site", "add", name, "--host",
               host(name), "--title", title(name)]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"site add {name} failed:\n{output}")
    inside = float(re.search(r"\(([\d.]+) giây\)", output)[1])
    return wall, usage.ru_utime + usage.ru_stime, inside


def add_sites(env: dict, every: list[str], jobs: int) -> list[tuple[float, float, float]]:
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(lambda name: add_one(env, name), every))


def register_rest(env: dict, folder: Path, rest: list[str]) -> None:
    """Register the sites not added by command straight in the registry (their databases are
    copies of the first site's, made next)."""
    if not rest:
        return
    script = REGISTER.format(uri=env["FLASK_SITES_DATABASE_URI"], sites=[
        (name, host(name), title(name)) for name in rest
    ])  # fmt: skip
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    for name in rest:
        (site_folder(folder, name) / "media").mkdir(parents=True, exist_ok=True)


def title(name: str) -> str:
    return f"Cổng thông tin điện tử xã Thử Nghiệm {name[2:]}"


def site_folder(folder: Path, name: str) -> Path:
    return folder / "sites" / name


def give_content(env: dict, folder: Path, every: list[str], downgrade: bool = True) -> str:
    """Seed the first site, put it one migration back, copy it to every other; the revision."""
    first = every[0]
    flask(env, "seed-demo", site=first)
    if downgrade:
        subprocess.run([sys.executable, "-c", DOWNGRADE.format(name=first)], cwd=ROOT, env=env,
                       check=True, capture_output=True)  # fmt: skip
    source = site_folder(folder, first)
    with sqlite3.connect(source / "bantin.db") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    for name in every[1:]:
        target = site_folder(folder, name)
        for journal in ("bantin.db-wal", "bantin.db-shm"):
            # `site add` may leave its database's journal: SQLite would apply it to the copy.
            (target / journal).unlink(missing_ok=True)
        shutil.copyfile(source / "bantin.db", target / "bantin.db")
        shutil.copytree(source / "media", target / "media", dirs_exist_ok=True)
    for name in every:
        with sqlite3.connect(site_folder(folder, name) / "bantin.db") as connection:
            connection.execute("UPDATE setting SET value = ? WHERE key = 'site_name'",
                               (title(name),))
    return revision


def upgrade_all(env: dict) -> tuple[float, list[float]]:
    """Run `upgrade-db` over every site; its wall time and each site's reported time."""
    started = time.perf_counter()
    output = flask(env, "upgrade-db")
    each = [float(found) for found in re.findall(r"^\s+\(([\d.]+) giây\)$", output, re.M)]
    return time.perf_counter() - started, each


def get(port: int, site_host: str, path: str) -> tuple[int, bytes, float]:
    """One request on a fresh connection, as a new visitor; its status, body and time."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": site_host, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


def article_of(port: int, name: str) -> str:
    """The newest article's address on a site's home page (asked with gzip, as wrk asks, so
    that the page cache holds only the variant measured)."""
    _, body, _ = get(port, host(name), "/")
    html = gzip.decompress(body).decode()
    found = re.search(r'href="(/tin/[^"]+-\d+)"', html)
    if found is None:
        main = html[html.find("<main"):][:3000]
        raise SystemExit(f"{name}: no article on the home page:\n{main}")
    return found[1]


def first_requests(port: int, every: list[str]) -> list[float]:
    """The home page of each site, each asked for the first time since the server started."""
    times = []
    for name in every:
        status, _, took = get(port, host(name), "/")
        if status != 200:
            raise SystemExit(f"{name}: home answered {status}")
        times.append(took)
    return times


def touch_all(port: int, every: list[str], rounds: int = 3) -> dict[str, str]:
    """Read each site's home and an article a few times (so both workers build every site)."""
    articles = {name: article_of(port, name) for name in every}
    for _ in range(rounds):
        for name in every:
            for path in ("/", articles[name]):
                status, _, _ = get(port, host(name), path)
                if status != 200:
                    raise SystemExit(f"{name}: {path} answered {status}")
    return articles


def memory(pid: int) -> tuple[float, float | None, int]:
    """RSS and PSS (MB) of a server: its master and every process below it."""
    pids = [pid]
    for parent in pids:
        pids.extend(child_pids(parent))
    rss, pss = 0, 0
    for one in pids:
        status = Path(f"/proc/{one}/status").read_text()
        rss += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)[1])
        rollup = Path(f"/proc/{one}/smaps_rollup")
        if pss is not None and rollup.exists():
            pss += int(re.search(r"^Pss:\s+(\d+) kB", rollup.read_text(), re.M)[1])
        else:
            pss = None
    return rss / 1024, (pss / 1024 if pss is not None else None), len(pids)


LUA = """
local targets = {{
{targets}
}}
local i = 0
request = function()
  i = i % #targets + 1
  local t = targets[i]
  return wrk.format("GET", t[2], {{["Host"] = t[1], ["Accept-Encoding"] = "gzip"}})
end
"""


# The same pages served by nginx from files, as the reference: two workers like the app's
# server, each site's kept article saved as the gzip bytes the app sends (gzip_static).
NGINX_CONF = """
daemon off; worker_processes 2; pid {folder}/nginx.pid; error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; gzip_static on; default_type text/html;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;
  fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  server {{ listen 127.0.0.1:{port}; root {docroot}; }}
}}
"""


def static_copies(port: int, every: list[str], articles: dict[str, str], folder: Path):
    """Save each site's kept article as nginx would serve it and start nginx on the copies;
    the process, its port and each site's (host, path) pair, or None without nginx."""
    if not shutil.which("nginx"):
        return None
    docroot = folder / "static"
    docroot.mkdir(exist_ok=True)
    folder.chmod(0o755)  # nginx started by root reads files as `nobody`
    (folder / "tmp").mkdir(exist_ok=True)
    pairs = {}
    for name in every:
        status, body, _ = get(port, host(name), articles[name])
        if status != 200:
            raise SystemExit(f"{name}: {articles[name]} answered {status}")
        (docroot / f"{name}.html.gz").write_bytes(body)
        (docroot / f"{name}.html").write_bytes(gzip.decompress(body))
        pairs[name] = (host(name), f"/{name}.html")
    static_port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=static_port, docroot=docroot))
    process = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{static_port}/{every[0]}.html")
    return process, static_port, pairs


def wrk(port: int, pairs: list[tuple[str, str]], seconds: int, folder: Path,
        server: int | None = None) -> dict:
    """wrk at 16 connections, cycling through (host, path) pairs; requests/s and latency, and,
    given the server's pid, the CPU its processes spent per request."""
    script = folder / f"cycle-{len(pairs)}.lua"
    script.write_text(LUA.format(targets=",\n".join(f'{{"{h}", "{p}"}}' for h, p in pairs)))
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{port}/"]  # fmt: skip
    before = server_cpu(server) if server else 0.0
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    spent = server_cpu(server) - before if server else 0.0
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    requests = int(re.search(r"(\d+) requests in", output)[1])
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": latency.get("50"), "p99": latency.get("99"),
        "errors": ", ".join(re.findall(r"^\s*((?:Non-2xx|Socket errors).*)$", output, re.M)),
        "cpu_us": spent / requests * 1e6 if requests else 0.0,
    }


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) spent so far by a server's master and its workers."""
    pids = [pid]
    for parent in pids:
        pids.extend(child_pids(parent))
    ticks = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended between the listing and the read
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def cpu_per_hit(env: dict, every: list[str], rows: list) -> None:
    """CPU time of a kept article through the province's entry, in one process (IN_PROCESS)."""
    script = IN_PROCESS.format(every=[host(name) for name in every], rounds=20)
    env = serve_env(dict(env, FLASK_VISITS_FLUSH_SECONDS="0"))  # as make serve's workers run
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          env=env, text=True, check=True)  # fmt: skip
    one, many, best_one, best_many, middle_one, middle_many = (
        float(value) for value in done.stdout.split()
    )
    rows.append(("hot article in one process, CPU per request (20 × 3,000 interleaved): 1 site",
                 f"{one:.1f} µs (best run {best_one:.1f}, median {middle_one:.1f})", "", ""))
    rows.append((f"the same, {len(every)} sites in turn", f"{many:.1f} µs; **{one / many:.0%} "
                 f"of 1 site's rate** (best runs: {best_many:.1f} µs, {best_one / best_many:.0%}; "
                 f"medians: {middle_many:.1f} µs, {middle_one / middle_many:.0%})",
                 "≥ 95 %", ok(one / many >= 0.95)))


def serve(env: dict, folder: Path, every: list[str], options, rows: list) -> None:
    port = free_port()
    server = start(env, port, workers=2, threads=options.threads)
    try:
        if options.hot_only:
            articles = touch_all(port, every)
            time.sleep(SETTLE_SECONDS)  # as a worker that built its sites a while ago
            throughput(port, every, articles, options, folder, rows, server.pid)
            return
        rss, pss, processes = memory(server.pid)
        rows.append(("memory, no site touched yet", f"RSS {rss:,.0f} MB, PSS {pss or 0:,.0f} MB "
                     f"({processes} processes)", "", ""))  # fmt: skip
        firsts = first_requests(port, every)
        if not options.memory_only:
            rows.append(("first request to an untouched site (home)",
                         f"median {ms(statistics.median(firsts))}, p95 "
                         f"{ms(percentile(firsts, 0.95))}, max {ms(max(firsts))}",
                         "≤ 300 ms", ok(percentile(firsts, 0.95) <= 0.3)))  # fmt: skip
        articles = touch_all(port, every)
        time.sleep(SETTLE_SECONDS)
        rss, pss, processes = memory(server.pid)
        rows.append((f"memory after every site's home + article ({processes} processes)",
                     f"RSS {rss:,.0f} MB, PSS {pss or 0:,.0f} MB", "< 400 MB",
                     ok((pss or rss) < 400)))  # fmt: skip
        if options.memory_only:
            return
        if shutil.which("wrk"):
            throughput(port, every, articles, options, folder, rows, server.pid)
        else:
            rows.append(("hot article throughput", "skipped: wrk is not installed", "", ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


def throughput(port, every, articles, options, folder, rows, server: int) -> None:
    """wrk on one site's hot article and on every site's in turn, `--rounds` pairs in ABBA
    order (one, many; many, one; ...) so that a machine slowing or speeding through the runs
    weighs on both alike; the medians, their ratio, and the server's CPU per request. nginx
    serving the same pages from files takes its turn in each round, as the reference."""
    one = every[0]
    many_label = f"{len(every)} sites in turn"
    targets = [("Bantin", port, server, {name: (host(name), articles[name]) for name in every})]
    static = None if options.control else static_copies(port, every, articles, folder)
    if static is not None:
        targets.append(("nginx, the same pages as files (gzip_static)", static[1],
                        static[0].pid, static[2]))  # fmt: skip
    if options.control:  # the method's own noise: one site against itself
        every, many_label = [one], "the same site again (control)"
    try:
        runs = alternate(targets, one, every, options, folder)
    finally:
        if static is not None:
            static[0].terminate()
            static[0].wait(timeout=30)
    for number, ((label, *_), (singles, manies)) in enumerate(zip(targets, runs, strict=True)):
        found = target_rows(label, singles, manies, options, f"1 site ({one})", many_label)
        if number > 0:  # a reference: #23's target is Bantin's
            found = [(name, measured, "", "") for name, measured, *_ in found]
        rows.extend(found)


def alternate(targets, one: str, every: list[str], options, folder: Path) -> list:
    """Each target's runs of one site and of every site, `--rounds` ABBA pairs each, the
    targets taking turns within a round; [(singles, manies)] in the targets' order."""
    runs = [([], []) for _ in targets]
    for _, port, _, pairs in targets:
        # A first run warms what the touches left cold: each worker keeps its own apps and
        # pages, and a site's requests may all have gone to the other worker.
        wrk(port, [pairs[name] for name in every], options.seconds, folder)
    for round_number in range(options.rounds):
        for (_, port, pid, pairs), (singles, manies) in zip(targets, runs, strict=True):
            order = [([pairs[one]], singles), ([pairs[name] for name in every], manies)]
            for chosen, kept in order if round_number % 2 == 0 else reversed(order):
                kept.append(wrk(port, chosen, options.seconds, folder, pid))
    return runs


def target_rows(label, singles, manies, options, one_label, many_label) -> list:
    """The rows of one target: its medians, their ratio, each round's own ratio."""
    single, many = median_run(singles), median_run(manies)
    ratio = many["rps"] / single["rps"]
    prefix = f"{label}: hot article, wrk 16 conn. {options.seconds} s, gzip"
    if options.rounds > 1:
        prefix += f", median of {options.rounds} alternating runs"
    return [
        (f"{prefix}: {one_label}", described(single, singles), "", ""),
        (f"{prefix}: {many_label}", described(many, manies) + f"; **{ratio:.0%} of 1 site**",
         "≥ 95 % of 1 site", ok(ratio >= 0.95)),
        *paired_rows(singles, manies, f"{label}, {many_label}"),
    ]


def paired_rows(singles: list[dict], manies: list[dict], many_label: str) -> list:
    """Each round's two runs saw nearly the same machine: their ratios drift less than the
    rates. Also the server's CPU per request, which time other tenants take does not move."""
    rates = sorted(b["rps"] / a["rps"] for a, b in zip(singles, manies, strict=True))
    cpus = sorted(a["cpu_us"] / b["cpu_us"] for a, b in zip(singles, manies, strict=True))
    return [
        (f"the rounds' own ratios of rates ({many_label} ÷ 1 site)", spread(rates), "≥ 95 %",
         ok(statistics.median(rates) >= 0.95)),
        (f"server CPU per request, 1 site ÷ {many_label}, per round", spread(cpus)
         + f" (1 site: median {statistics.median(a['cpu_us'] for a in singles):.1f} µs; "
         f"{many_label}: {statistics.median(b['cpu_us'] for b in manies):.1f} µs)", "", ""),
    ]


def spread(ratios: list[float]) -> str:
    """A median of ratios with its quartiles and range."""
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
    return (f"median **{statistics.median(ratios):.1%}** (quartiles {quartiles[0]:.1%}–"
            f"{quartiles[2]:.1%}, range {ratios[0]:.1%}–{ratios[-1]:.1%}, {len(ratios)} rounds)")


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]


def described(run: dict, runs: list[dict]) -> str:
    text = f"{run['rps']:,.0f} req/s (p50 {run['p50']}, p99 {run['p99']}"
    if len(runs) > 1:
        text += "; runs " + ", ".join(f"{each['rps']:,.0f}" for each in runs)
    errors = [each["errors"] for each in runs if each["errors"]]
    return text + (f"; ERRORS: {errors[0]} in {len(errors)} runs)" if errors else ")")


def setup_figures(env: dict, folder: Path, every: list[str], options, added) -> list:
    """The rows of adding sites and upgrading them (from one migration back, then again)."""
    walls, cpus, insides = ([one[i] for one in added] for i in range(3))
    rows = [(f"`flask site add`, {len(added)} sites, {options.jobs} at a time",
             f"wall median {statistics.median(walls):.1f} s, max {max(walls):.1f} s; "
             f"CPU median {statistics.median(cpus):.1f} s, max {max(cpus):.1f} s; "
             f"its own report median {statistics.median(insides):.1f} s",
             "< 5 s each", ok(max(walls) < 5))]  # fmt: skip
    older = give_content(env, folder, every)
    total, each = upgrade_all(env)
    rows.append((f"`upgrade-db`, {len(each)} sites from {older} (backup + 1 migration each)",
                 f"{total:.0f} s (per site median {statistics.median(each):.2f} s, "
                 f"max {max(each):.2f} s)", "< 2 min", ok(total < 120)))  # fmt: skip
    total, each = upgrade_all(env)
    rows.append((f"`upgrade-db`, {len(each)} sites already up to date",
                 f"{total:.0f} s (per site median {statistics.median(each):.2f} s)",
                 "< 2 min", ok(total < 120)))  # fmt: skip
    return rows


def ok(met: bool) -> str:
    return "yes" if met else "**no**"


def print_table(rows: list) -> None:
    print("\n| figure | measured | target | met |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--timed-adds", type=int, default=20,
                        help="sites added by `flask site add` (timed); the rest are registered "
                        "directly, to keep the setup short")
    parser.add_argument("--jobs", type=int, default=1, help="`site add` commands at a time")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per granian worker (make serve: 1)")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the server's memory, every site touched")
    parser.add_argument("--hot-only", action="store_true",
                        help="only the hot pages figure (set up as --memory-only)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternating wrk runs of 1 site and of every site")
    parser.add_argument("--control", action="store_true",
                        help="with --hot-only: wrk on one site against the same site, to show "
                        "how far the method itself moves a ratio that is 100 %% by design")
    parser.add_argument("--in-process", action="store_true",
                        help="with --hot-only: also the CPU per hot article in one process")
    options = parser.parse_args()
    if options.memory_only or options.hot_only:
        options.timed_adds = 1
    every = names(options.sites)
    rows: list = []
    with tempfile.TemporaryDirectory(prefix="bantin-province-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        print(f"{options.sites} sites in {folder}; load average {os.getloadavg()[0]:.1f}")
        started = time.perf_counter()
        timed = every[: options.timed_adds]
        added = add_sites(env, timed, options.jobs)
        register_rest(env, folder, every[len(timed):])
        print(f"added in {time.perf_counter() - started:.0f} s")
        if options.memory_only or options.hot_only:
            give_content(env, folder, every, downgrade=False)
            upgrade_all(env)  # builds each copy's share of the province's index
        else:
            rows.extend(setup_figures(env, folder, every, options, added))
        print(f"content and upgrades done at {time.perf_counter() - started:.0f} s")
        if options.in_process:
            cpu_per_hit(env, every, rows)
        serve(env, folder, every, options, rows)
    print_table(rows)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (2 cores shared)")


if __name__ == "__main__":
    main()
