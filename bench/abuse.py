"""Availability under abuse: each attack of issue 20 against `make serve`'s server while a
reader keeps reading an article, beside the same reader without any attack.

Seeds the demo site in a temporary folder and serves it with granian as `make serve` does
(2 workers × 1 thread). For each attack the reader reads one article page (the page cache
answers it) one request after another for `--seconds`; the table gives its p50, p99 and worst
time, its errors, and the largest growth of any worker's resident memory during the attack:

- oversized body: two clients POST 24 MB URL-encoded bodies to the sign-in form, again and
  again (refused with 413 before the body is read);
- slow body: two clients send a POST's headers, then its body one byte every half second,
  starting again as soon as they are cut (web.bodies answers 408 at its deadline); directly
  against granian, then through nginx configured with the README's own server block (TLS
  left out), the production setup, whose buffering keeps them off the workers;
- stalled body: two clients send a POST's headers and ten bytes of its body, then nothing,
  holding their connections open (granian alone holds the worker until the watchdog of
  web.bodies ends it, BODY_STALLED_EXIT_SECONDS after the 408);
- sanitiser bomb: two authors save an article with the largest body the desk accepts
  (sanitize.MAX_TAGS tags with attributes, up to MAX_BODY_CHARS), one save after another;
- anonymous POST flood: eight clients post the sign-in form with a wrong password as fast as
  they can (the rate limit answers 429 past 60 a minute per address);
- a rate-limit check alone: the time one `web.limits.check` costs on SQLite;
- what timing a body's reads (web.bodies, a helper thread per read) adds to a 2 KB form and
  to a 25 MB upload, read as werkzeug reads them.

    .venv/bin/python bench/abuse.py [--seconds 10] [--only slow-body]

Loopback only; every loop stops at its deadline. Needs Debian's nginx for the nginx row.
"""

import argparse
import http.client
import io
import itertools
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sanitize  # noqa: E402
from bench import live  # noqa: E402

MEGABYTE = 1024 * 1024


# --- The reader and the memory watch --------------------------------------------------------


def read_for(port: int, path: str, until: float, headers: dict) -> tuple[list[float], int]:
    """Read `path` one request after another until `until`; the times (s) and errors."""
    times, errors = [], 0
    while time.monotonic() < until:
        start = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            ok = response.status == 200
        except OSError:
            ok = False
        times.append(time.monotonic() - start)
        errors += not ok
        time.sleep(0.02)
    return times, errors


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1])


class MemoryWatch(threading.Thread):
    """Sample every worker's resident memory; remember each one's largest growth."""

    def __init__(self, server: subprocess.Popen):
        super().__init__(daemon=True)
        self.workers = live.child_pids(server.pid)
        self.start_kb = {pid: rss_kb(pid) for pid in self.workers}
        self.peak_kb = dict(self.start_kb)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.1):
            for pid in self.workers:
                self.peak_kb[pid] = max(self.peak_kb[pid], rss_kb(pid))

    def growth_mb(self) -> float:
        self.stopped.set()
        self.join()
        return max(self.peak_kb[pid] - self.start_kb[pid] for pid in self.workers) / 1024


# --- The attacks: each runs until `until` --------------------------------------------------


def oversized_body(port: int, until: float, counts: dict) -> None:
    """POST a 24 MB URL-encoded body to the sign-in form; count the 413s."""
    chunk = b"a=1&" * 16384
    while time.monotonic() < until:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {24 * MEGABYTE}\r\n\r\n".encode()
            )
            try:
                for _ in range(24 * MEGABYTE // len(chunk)):
                    sock.sendall(chunk)
            except OSError:
                pass  # refused and closed before the body was read
            try:
                status = sock.recv(64).split(b" ")[1].decode()
            except (OSError, IndexError):
                status = "closed"
        counts[status] = counts.get(status, 0) + 1


SLOW_POST = (
    b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
)


def slow_body(port: int, until: float, counts: dict) -> None:
    """Send a POST's headers, then its body one byte every half second; once the server
    answers or closes, note after how long and start again at once (a persistent attacker)."""
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(SLOW_POST)
                answer = dribble(sock, until)
        except OSError:
            answer = "closed"
        if answer:
            counts[answer] = counts.get(answer, 0) + 1
            counts.setdefault("cut after", []).append(time.monotonic() - started)


def dribble(sock: socket.socket, until: float) -> str:
    """One byte every half second until the server answers or closes ("" at `until`)."""
    sock.settimeout(0.5)
    while time.monotonic() < until:
        try:
            sock.sendall(b"a")
            answer = sock.recv(64)
        except TimeoutError:
            continue
        except OSError:
            return "closed"
        return answer.split(b" ")[1].decode() if answer else "closed"
    return ""


def stalled_body(port: int, until: float, counts: dict) -> None:
    """Send a POST's headers and ten bytes of its body, then nothing, keeping the connection
    open until `until`: granian's worker stays frozen until web.bodies' watchdog ends it
    (ARCHITECTURE.md, "Slow bodies")."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(SLOW_POST + b"a" * 10)
        sock.settimeout(max(0.1, until - time.monotonic()))
        try:
            answer = sock.recv(64)
            status = answer.split(b" ")[1].decode() if answer else "closed"
        except TimeoutError:
            status = "no answer"
        except OSError:
            status = "closed"
        counts[status] = counts.get(status, 0) + 1
        time.sleep(max(0.0, until - time.monotonic()))


def largest_body() -> str:
    chars, tags = sanitize.MAX_BODY_CHARS, sanitize.MAX_TAGS
    attributes = " a=1" * ((chars // tags - 4) // 4)
    return f"<p{attributes}>a" * tags


def bomb_saves(browser, article_id: int, until: float, counts: dict) -> None:
    """Save an article with the largest accepted body, one save after another."""
    path = f"/admin/articles/{article_id}/edit"
    body = largest_body()
    while time.monotonic() < until:
        _, html = browser.get(path)
        fields = live.form_fields(html, path)
        fields.update(body=body, action="update")
        status = browser.send(path, fields)[0]
        counts[status] = counts.get(status, 0) + 1


def post_flood(base: str, until: float, counts: dict) -> None:
    """Post the sign-in form with a wrong password as fast as possible."""
    browser = live.Browser(base)
    _, html = browser.get("/admin/login")
    fields = live.form_fields(html, "/admin/login")
    fields.update(username="ai-do", password="doan-mo")
    while time.monotonic() < until:
        status = browser.send("/admin/login", fields)[0]
        counts[status] = counts.get(status, 0) + 1


# --- nginx in front, with the README's server block -------------------------------------------


def readme_nginx(folder: Path, listen: int, upstream: int) -> Path:
    """The README's nginx configuration, TLS left out, on loopback ports and a temp folder."""
    readme = (ROOT / "README.md").read_text("utf-8")
    config = re.search(r"```nginx\n(.*?)```", readme, re.S)[1]
    config = config.replace("/var/cache/nginx/bantin", str(folder / "cache"))
    config = config.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
    servers = config.split("server {")
    # Keep the second server block (the site), served over plain HTTP on `listen`.
    site = "server {" + servers[2]
    site = re.sub(r"\n\s*listen [^\n]*", "", site, count=2)
    site = re.sub(r"\n\s*(ssl_[a-z_]+|add_header Strict)[^\n]*", "", site)
    site = site.replace("server {", f"server {{\n    listen 127.0.0.1:{listen};", 1)
    head = servers[0] + "server {" + servers[1]
    head = head[: head.rindex("server {")]  # the cache path and upstream, not port 80's block
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off; worker_processes 1; pid {folder}/nginx.pid; "
        f"error_log {folder}/nginx-error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\naccess_log off; include /etc/nginx/mime.types;\n"
        f"client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;\n"
        f"fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; "
        f"scgi_temp_path {folder}/tmp;\n{head}\n{site}\n}}\n"
    )
    (folder / "tmp").mkdir(exist_ok=True)
    return conf


# --- Running it ---------------------------------------------------------------------------


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(name: str, port: int, server, path: str, seconds: float, attack, headers=None) -> dict:
    """Run `attack(until, counts)` in two or more threads while the reader reads."""
    counts: dict = {}
    until = time.monotonic() + seconds
    watch = MemoryWatch(server)
    watch.start()
    threads = [threading.Thread(target=attack, args=(until, counts), daemon=True)
               for _ in range(attack.clients)] if attack else []  # fmt: skip
    for thread in threads:
        thread.start()
    time.sleep(0.5 if attack else 0)
    times, errors = read_for(port, path, until, headers or {})
    for thread in threads:
        thread.join(timeout=35)
    return {
        "name": name, "reads": len(times), "p50": statistics.median(times),
        "p99": percentile(times, 0.99), "worst": max(times), "errors": errors,
        "memory": watch.growth_mb(), "answers": counts,
    }  # fmt: skip


def attack_with(clients: int, function, *args):
    def attack(until, counts):
        function(*args, until, counts)

    attack.clients = clients
    return attack


def print_row(row: dict) -> None:
    cuts = row["answers"].pop("cut after", None)
    answers = ", ".join(f"{k}: {v}" for k, v in sorted(row["answers"].items(), key=str))
    if cuts:
        answers += f" (each after {min(cuts):.1f}–{max(cuts):.1f} s)"
    print(f"| {row['name']} | {row['reads']} | {row['p50'] * 1000:.0f} ms | "
          f"{row['p99'] * 1000:.0f} ms | {row['worst'] * 1000:.0f} ms | {row['errors']} | "
          f"{row['memory']:+.0f} MB | {answers or '–'} |", flush=True)  # fmt: skip


def limit_check_cost(env: dict) -> float:
    """Milliseconds one rate-limit check and count cost on the site's SQLite database."""
    code = (
        "import time\nfrom app import create_app\nfrom web import limits\n"
        "app = create_app()\n"
        "with app.test_request_context('/', method='POST'):\n"
        "    rate = limits.Rate(10**9, 60)\n"
        "    start = time.perf_counter()\n"
        "    for n in range(500): limits.check('bench', {str(n % 50): rate, '*': rate})\n"
        "    print((time.perf_counter() - start) / 500 * 1000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def body_read_cost(size: int, timed: bool, runs: int) -> tuple[float, float]:
    """Seconds of wall clock and of CPU (the median of `runs`) to read a body of `size` bytes
    as werkzeug does (64 KB reads, then one more), through web.bodies.TimedInput (a helper
    thread per read) or straight from the stream."""
    from werkzeug.wsgi import LimitedStream

    from web.bodies import Pace, TimedInput

    data = b"a" * size
    pace = Pace(idle=10, min_rate=500, grace=5)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        stream = io.BytesIO(data)
        stream = TimedInput(stream, pace) if timed else stream
        LimitedStream(stream, size).read()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def print_body_costs() -> None:
    """What timing a body's reads adds to a POST (medians; CPU counts the helper's too)."""
    cases = ((2 * 1024, 3000, "a 2 KB form"), (25 * MEGABYTE, 21, "a 25 MB upload"))
    for size, runs, label in cases:
        timed, plain = body_read_cost(size, True, runs), body_read_cost(size, False, runs)
        print(f"reading {label} through web.bodies: +{(timed[0] - plain[0]) * 1e6:,.0f} µs "
              f"wall, +{(timed[1] - plain[1]) * 1e6:,.0f} µs CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--only", nargs="*", default=None)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bantin-abuse-"))
    try:
        bench(folder, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench(folder: Path, options) -> None:
    env = live.prepare(folder, editors=2)
    port = live.free_port()
    server = live.start(env, port)
    base = f"http://127.0.0.1:{port}"
    nginx = None
    try:
        path = live.article_path(base)
        ids = live.article_ids(base, 2)
        # Signed in before any attack: the flood uses up the sign-in's rate for this address.
        authors = [live.Browser(base) for _ in range(2)]
        for number, author in enumerate(authors):
            author.sign_in(f"bientap{number}")
        print(f"load average {os.getloadavg()[0]:.1f}; granian 2 workers × 1 thread; "
              f"reader reads {path[:40]}… for {options.seconds:.0f} s per row\n")  # fmt: skip
        print("| attack | reads | reader p50 | reader p99 | worst | errors | worker memory | "
              "attackers' answers |")  # fmt: skip
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        rows = {
            "none": None,
            "oversized body": attack_with(2, oversized_body, port),
            "slow body": attack_with(2, slow_body, port),
            "stalled body": attack_with(2, stalled_body, port),
            "sanitiser bomb": two_authors(authors, ids, base),
            "anonymous POST flood": attack_with(8, post_flood, base),
        }
        for name, attack in rows.items():
            if options.only and name not in options.only and name != "none":
                continue
            print_row(run(name, port, server, path, options.seconds, attack))
        if shutil.which("nginx"):
            nginx, front = start_nginx(folder, port)
            # A signed-in editor's cookie: nginx passes the request on, uncached.
            cookie = {"Cookie": "session=x"}
            print_row(run("none, through nginx", front, server, path, options.seconds, None,
                          cookie))  # fmt: skip
            print_row(run("slow body, through nginx", front, server, path, options.seconds,
                          attack_with(2, slow_body, front), cookie))  # fmt: skip
            # Readers without a cookie are answered from nginx's cache, as in production.
            print_row(run("sanitiser bomb, through nginx", front, server, path,
                          options.seconds, two_authors(authors, ids, f"http://127.0.0.1:{front}")))
        print(f"\none rate-limit check and count: {limit_check_cost(env):.2f} ms (SQLite)")
        print_body_costs()
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait()
        server.terminate()
        server.wait(timeout=30)


def two_authors(authors: list, ids: list[int], base: str):
    """Two signed-in authors, each saving an article of their own with the largest body."""
    numbers = itertools.count()

    def attack(until, counts):
        number = next(numbers) % 2
        authors[number].base = base
        bomb_saves(authors[number], ids[number], until, counts)

    attack.clients = 2
    return attack


def start_nginx(folder: Path, upstream: int) -> tuple[subprocess.Popen, int]:
    front = live.free_port()
    # nginx's workers run as nobody: a folder of their own that they may write in.
    nginx_folder = folder / "nginx"
    nginx_folder.mkdir()
    for place in (folder, nginx_folder):
        place.chmod(0o755)
    conf = readme_nginx(nginx_folder, front, upstream)
    for place in ("cache", "tmp"):
        (nginx_folder / place).mkdir(exist_ok=True)
        (nginx_folder / place).chmod(0o777)
    process = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
    try:
        live.wait_for(f"http://127.0.0.1:{front}/healthz", timeout=20)
    except SystemExit:
        process.terminate()
        process.wait()
        print((nginx_folder / "nginx-error.log").read_text()[-2000:])
        raise
    return process, front


if __name__ == "__main__":
    main()
