"""The production start as `make serve` runs it: the site keeps answering when a worker dies."""

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# Deadlines for the server to come up and to react; the test asserts no duration.
PATIENCE = 60
STOP_PATIENCE = 1  # granian 2.8 never finishes a graceful stop after replacing a worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(port: int) -> list[str]:
    """The granian command `make serve` runs, as make itself prints it."""
    printed = subprocess.run(
        ["make", "-n", "serve", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=2", "THREADS=1"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.replace("\\\n", " ")  # fmt: skip
    return shlex.split(next(line for line in printed.splitlines() if "granian" in line))


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def workers_of(pid: int) -> set[int]:
    """The processes whose parent is `pid` (granian's workers), read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def wait_until(condition) -> bool:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tmp_path):
    """A migrated site served by `make serve`'s command on a free port; yields (process, url)."""
    env = dict(
        os.environ,
        FLASK_SECRET_KEY="test-serve-secret",
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'bantin.db'}",
        FLASK_MEDIA_ROOT=str(tmp_path / "media"),
        FLASK_LOG_DIR="",
        FLASK_LOG_LEVEL="ERROR",
        FLASK_TRUSTED_HOSTS='["127.0.0.1"]',
    )
    flask = [sys.executable, "-m", "flask", "--app", "app", "upgrade-db"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(serve_command(port), cwd=ROOT, env=env, stdout=log, stderr=log,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        assert wait_until(lambda: answers(url) and len(workers_of(process.pid)) == 2)
        yield process, url
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    """Ask granian to stop; kill it and its workers if it is still shutting down after a
    while (granian 2.8 does not finish a graceful stop once it has replaced a worker; systemd
    kills it at TimeoutStopSec, as the README's unit says)."""
    process.terminate()
    try:
        process.wait(timeout=STOP_PATIENCE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_the_site_keeps_answering_after_a_worker_process_dies(served):
    """A worker killed by a crash (a segfault, the OOM killer) is replaced; before, granian
    shut the whole server down and every reader got 'connection refused'."""
    process, url = served
    workers = workers_of(process.pid)
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    # Granian either replaces the worker or stops entirely; wait for whichever happens.
    wait_until(lambda: process.poll() is not None or workers_of(process.pid) - workers)
    assert process.poll() is None
    assert victim not in workers_of(process.pid)
    assert wait_until(lambda: answers(url))
