"""Throughput and latency of the article page, side by side with a static file server.

Seeds the demo site in a temporary folder, serves it with waitress (as `make serve` does) in a
subprocess, saves the same article page and its stylesheet as plain files served by nginx (or by
Python's http.server when nginx is absent), and loads both with wrk over loopback, bounded in time.
Both answer with gzip, as a reader's browser asks. The machine has 2 cores shared by the load
generator and the server, so read the figures side by side rather than as absolutes.

    .venv/bin/python bench/throughput.py [--seconds 10] [--connections 16]

Needs Debian's `wrk` (and `nginx` for the static baseline).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = """
daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; include /etc/nginx/mime.types; sendfile on; tcp_nopush on;
  gzip on; gzip_types text/css; gzip_min_length 512;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;
  fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  server {{ listen 127.0.0.1:{port}; root {docroot}; location / {{ default_type text/html; }} }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer")


def app_environment(folder: Path) -> dict:
    env = dict(os.environ)
    env.update(
        FLASK_SECRET_KEY="bench-throughput-secret",
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}",
        FLASK_MEDIA_ROOT=str(folder / "media"),
        # Logging every request would measure the log file as much as the site.
        FLASK_LOG_LEVEL="WARNING",
        FLASK_LOG_DIR="",
    )
    return env


def prepare_site(folder: Path, env: dict) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)


def start_waitress(env: dict, port: int, threads: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}",
        f"--threads={threads}", "--call", "app:create_app",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)


def article_path(base: str) -> str:
    html = urllib.request.urlopen(base + "/").read().decode()
    return re.search(r'href="(/tin/[^"]+)"', html)[1]


def copy_as_static(base: str, path: str, docroot: Path) -> tuple[str, str]:
    """Save the article page and its stylesheet as files; return their static paths."""
    html = urllib.request.urlopen(base + path).read()
    css_path = re.search(rb'rel="stylesheet" href="([^"]+)"', html)[1].decode()
    (docroot / "article.html").write_bytes(html)
    target = docroot / css_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(urllib.request.urlopen(base + css_path).read())
    return "/article.html", css_path


def start_static(folder: Path, docroot: Path, port: int) -> tuple[subprocess.Popen, str]:
    if shutil.which("nginx"):
        (folder / "tmp").mkdir()
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


def measure(targets: dict[str, str], seconds: int, connections: int) -> None:
    print(f"wrk -t{min(2, connections)} -c{connections} -d{seconds}s, Accept-Encoding: gzip\n")
    print("| server | URL | requests/s | p50 | p90 | p99 | errors |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label, url in targets.items():
        result = run_wrk(url, seconds, connections)
        path = url.split("/", 3)[3]
        print(
            f"| {label} | /{path[:40]} | {result['rps']:,.0f} | {result['p50']} "
            f"| {result['p90']} | {result['p99']} | {'yes' if result['errors'] else 'no'} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        # nginx workers drop root privileges and must be able to read the copied files.
        folder.chmod(0o755)
        docroot = folder / "static-root"
        docroot.mkdir()
        env = app_environment(folder)
        prepare_site(folder, env)
        app_port, static_port = free_port(), free_port()
        app_server = start_waitress(env, app_port, options.threads)
        static_server, static_label = start_static(folder, docroot, static_port)
        try:
            base = f"http://127.0.0.1:{app_port}"
            wait_for(base + "/healthz")
            path = article_path(base)
            static_html, static_css = copy_as_static(base, path, docroot)
            static_base = f"http://127.0.0.1:{static_port}"
            wait_for(static_base + static_html)
            waitress = f"Bantin on waitress ({options.threads} threads)"
            measure(
                {
                    f"{waitress}: article": base + path,
                    f"{waitress}: stylesheet": base + static_css,
                    f"{static_label}: same article as a file": static_base + static_html,
                    f"{static_label}: stylesheet": static_base + static_css,
                },
                options.seconds,
                options.connections,
            )
        finally:
            for process in (app_server, static_server):
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
