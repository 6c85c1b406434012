"""What a kept page costs in Python: the demo site's app called through its whole WSGI stack
(request log, visit counter, page cache) in one process, no HTTP server, for an article the
cache already holds. The server's own work (parsing, sending) comes on top; this is the part
the project's code decides.

    .venv/bin/python bench/hit.py [--hits 20000] [--profile]

Printed twice: with every request logged as `make serve` logs it (INFO, a line to stderr and
one to instance/logs/bantin.log; stderr goes to a file here), and with problems only.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import live  # noqa: E402

MEASURE = """
import gzip, io, re, sys, time
sys.stderr = open({stderr!r}, "w")
from app import create_app
wsgi = create_app().wsgi_app

def environ(path):
    return {{"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_ACCEPT_ENCODING": "gzip", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.errors": sys.stderr}}

def get(path):
    body = wsgi(environ(path), lambda status, headers, exc_info=None: None)
    data = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return data

home = gzip.decompress(get("/")).decode()
path = re.search(r'href="(/tin/[^"]+-\\d+)"', home)[1]
for _ in range(200):
    get(path)
started = time.perf_counter()
for _ in range({hits}):
    get(path)
print(f"{{(time.perf_counter() - started) / {hits} * 1e6:.1f}}", file=sys.__stdout__)
if {profile}:
    import cProfile, pstats
    profile = cProfile.Profile()
    profile.runcall(lambda: [get(path) for _ in range(5000)])
    pstats.Stats(profile, stream=sys.__stdout__).sort_stats("tottime").print_stats(15)
"""


def measure(env: dict, folder: Path, hits: int, profile: bool) -> str:
    script = MEASURE.format(stderr=str(folder / "stderr.log"), hits=hits, profile=profile)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile 5,000 more hits")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live.prepare(folder, editors=0)
        print(f"load average {os.getloadavg()[0]:.1f}; a kept article, {options.hits:,} hits:")
        for label, settings in (
            ("every request logged (INFO, stderr and file, as make serve)",
             {"FLASK_LOG_LEVEL": "INFO", "FLASK_LOG_DIR": str(folder / "logs")}),
            ("problems only (WARNING)", {"FLASK_LOG_LEVEL": "WARNING", "FLASK_LOG_DIR": ""}),
        ):  # fmt: skip
            output = measure(dict(env, **settings), folder, options.hits, options.profile)
            first, _, rest = output.partition("\n")
            print(f"  {label}: {first} µs a hit")
            if options.profile:
                print(rest)


if __name__ == "__main__":
    main()
