"""Throughput and latency of the public pages on each production server candidate, side by
side with nginx serving the same pages as files.

Seeds the demo site in a temporary folder, then serves it in turn with granian, gunicorn and
waitress (workers × threads, default as `make serve`: one worker per core, one thread each;
the page cache on, as in production), and saves home, a category, an article, a search and
the feed as files that nginx serves with gzip on the fly and with gzip_static. wrk loads each
over loopback at 16 and 64 connections, bounded in time, asking for gzip as a reader's
browser does. Load generator and servers share the machine's cores, so read the rows side by
side, not as absolutes; the last lines give each server's rate as a share of nginx's
gzip_static on the same page (DESIGN §4: a cached page at 0.4× or more).

    .venv/bin/python bench/throughput.py [--seconds 5] [--connections 16 64]
        [--servers granian gunicorn waitress] [--pages home article] [--workers 2 --threads 1]
        [--logs]

`--logs` logs every request as `make serve` does (INFO, one line to stderr and one to
instance/logs/bantin.log); without it the servers log only problems, as nginx here logs no
access at all.

Needs Debian's `wrk` (and `nginx` for the static baseline).
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import live  # noqa: E402
from bench.live import free_port, wait_for  # noqa: E402

NGINX_CONF = """
daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; include /etc/nginx/mime.types; sendfile on; tcp_nopush on;
  gzip on; gzip_types text/css text/html; gzip_min_length 512; gzip_comp_level 6;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;
  fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  server {{ listen 127.0.0.1:{port}; root {docroot};
    location / {{ default_type text/html; }}
    location /static-gz/ {{ alias {docroot}/; gzip_static on; default_type text/html; }} }}
}}
"""


def server_command(name: str, port: int, workers: int, threads: int) -> list[str]:
    """The command line of one production server candidate, as `make serve` would run it."""
    listen = f"127.0.0.1:{port}"
    if name == "waitress":
        return [sys.executable, "-m", "waitress", f"--listen={listen}",
                f"--threads={threads * workers}", "--call", "app:create_app"]
    if name == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "-b", listen, "-w", str(workers),
                "-k", "gthread", "--threads", str(threads), "app:create_app()"]
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
            "--respawn-failed-workers", "--no-ws", "--factory", "app:create_app"]  # fmt: skip


def start_server(name: str, env: dict, port: int, workers: int, threads: int):
    command = server_command(name, port, workers, threads)
    env = live.serve_env(env)  # every candidate optimised as `make serve` runs granian
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)  # fmt: skip


def rss_mb(process: subprocess.Popen) -> float:
    """Resident memory of a server and its worker processes, in MB."""
    pids = [process.pid, *live.child_pids(process.pid)]
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total / 1024


def page_paths(base: str) -> dict[str, str]:
    """Home, a category, an article, a search and the feed of the seeded site."""
    html = urllib.request.urlopen(base + "/").read().decode()
    return {
        "home": "/",
        "category": re.search(r'href="(/chuyen-muc/[^"?]+)"', html)[1],
        "article": re.search(r'href="(/tin/[^"]+)"', html)[1],
        "search": "/tim-kiem?q=xa",
        "rss": "/rss.xml",
    }


def copy_as_static(base: str, paths: dict[str, str], docroot: Path) -> dict[str, str]:
    """Save each page as a file (and a .gz twin for gzip_static); return their static paths."""
    found = {}
    for name, path in paths.items():
        body = urllib.request.urlopen(base + path).read()
        (docroot / f"{name}.html").write_bytes(body)
        (docroot / f"{name}.html.gz").write_bytes(gzip.compress(body, 6))
        found[name] = f"/{name}.html"
    return found


def start_static(folder: Path, docroot: Path, port: int) -> tuple[subprocess.Popen, str]:
    if shutil.which("nginx"):
        (folder / "tmp").mkdir(exist_ok=True)
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=folder, port=port, docroot=docroot))
        process = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
        return process, "nginx (1 worker)"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = subprocess.Popen(command, cwd=docroot, stderr=subprocess.DEVNULL)
    return process, "python http.server (no gzip)"


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    command = [
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "-H", "Accept-Encoding: gzip", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", output, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": latency.get("50"),
        "p90": latency.get("90"),
        "p99": latency.get("99"),
        "errors": "Non-2xx" in output or "Socket errors" in output,
    }


def measure(targets: dict[str, str], seconds: int, connections: int, rates: dict) -> None:
    """Load each target with wrk and print a row; keep its rate in `rates` by (label, conns)."""
    print(f"\nwrk -t2 -c{connections} -d{seconds}s, Accept-Encoding: gzip\n")
    print("| server | page | requests/s | p50 | p90 | p99 | errors |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label, url in targets.items():
        server, _, page = label.partition(": ")
        result = run_wrk(url, seconds, connections)
        rates[label, connections] = result["rps"]
        print(
            f"| {server} | {page} | {result['rps']:,.0f} | {result['p50']} "
            f"| {result['p90']} | {result['p99']} | {'yes' if result['errors'] else 'no'} |"
        )


def bench_server(name: str, env: dict, options, paths: dict[str, str], rates: dict) -> None:
    port = free_port()
    process = start_server(name, env, port, options.workers, options.threads)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        label = f"{name} ({options.workers}×{options.threads})"
        targets = {f"{label}: {page}": base + paths[page] for page in options.pages}
        for connections in options.connections:
            measure(targets, options.seconds, connections, rates)
        print(f"\n{label}: {rss_mb(process):.0f} MB resident after the runs (all processes)")
    finally:
        process.terminate()
        process.wait(timeout=20)


def bench_static(folder: Path, docroot: Path, options, files: dict[str, str], rates: dict) -> None:
    port = free_port()
    server, label = start_static(folder, docroot, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + files["home"])
        targets = {}
        for page in options.pages:
            targets[f"{label}, gzip on the fly: {page}"] = base + files[page]
            targets[f"{label}, gzip_static: {page}"] = base + "/static-gz" + files[page]
        for connections in options.connections:
            measure(targets, options.seconds, connections, rates)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--servers", nargs="+", default=["granian", "gunicorn", "waitress"])
    parser.add_argument("--pages", nargs="+", default=["home", "category", "article", "search",
                                                       "rss"])  # fmt: skip
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (make serve: 1)")
    parser.add_argument("--logs", action="store_true",
                        help="log every request as make serve does (INFO, stderr and file)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        # nginx workers drop root privileges and must be able to read the copied files.
        folder.chmod(0o755)
        docroot = folder / "static-root"
        docroot.mkdir()
        env = live.prepare(folder, editors=0)
        port = free_port()
        first = start_server("waitress", env, port, 1, 4)
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz")
            paths = page_paths(f"http://127.0.0.1:{port}")
            files = copy_as_static(f"http://127.0.0.1:{port}", paths, docroot)
        finally:
            first.terminate()
            first.wait(timeout=10)
        if options.logs:
            env = dict(env, FLASK_LOG_LEVEL="INFO", FLASK_LOG_DIR=str(folder / "logs"))
        rates: dict = {}
        for server in options.servers:
            bench_server(server, env, options, paths, rates)
        bench_static(folder, docroot, options, files, rates)
        print_shares(rates)


def print_shares(rates: dict) -> None:
    """Each server's rate as a share of nginx gzip_static's, same page and connections."""
    static = {(label.partition(": ")[2], conns): rps for (label, conns), rps in rates.items()
              if "gzip_static" in label}  # fmt: skip
    print()
    for (label, connections), rps in rates.items():
        baseline = static.get((label.partition(": ")[2], connections))
        if baseline and "nginx" not in label:
            print(f"{label}, {connections} connections: {rps / baseline:.2f}× nginx gzip_static "
                  f"({rps:,.0f} against {baseline:,.0f} req/s)")  # fmt: skip


if __name__ == "__main__":
    main()
