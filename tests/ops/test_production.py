"""The production start as `make serve` runs it: the site keeps answering when a worker dies."""

import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from base_config import make_config

from app import create_app
from bench.abuse import readme_nginx
from models import Article, Category, db, utcnow

ROOT = Path(__file__).resolve().parent.parent.parent
# Deadlines for the server to come up and to react; the test asserts no duration.
PATIENCE = 60
STOP_PATIENCE = 1  # then kill: a test that failed may leave a server that never stops


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(port: int) -> list[str]:
    """The line that starts granian in `make serve`, as make itself prints it, for a shell
    (it reads the workers' environment from `flask serve-env`, then becomes granian)."""
    printed = subprocess.run(
        ["make", "-n", "serve", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=2", "THREADS=1"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.replace("\\\n", " ")  # fmt: skip
    return ["sh", "-c", next(line for line in printed.splitlines() if "granian" in line)]


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


def start_serving(tmp_path, **settings) -> tuple[subprocess.Popen, str]:
    """Start a migrated site with `make serve`'s command on a free port, with these FLASK_*
    settings, its output in server.log; return (process, url of /healthz) at once."""
    env = dict(
        os.environ,
        FLASK_SECRET_KEY="test-serve-secret",
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'bantin.db'}",
        FLASK_MEDIA_ROOT=str(tmp_path / "media"),
        FLASK_LOG_DIR="",
        FLASK_LOG_LEVEL="ERROR",
        FLASK_TRUSTED_HOSTS='["127.0.0.1"]',
    )
    env.update(settings)
    flask = [sys.executable, "-m", "flask", "--app", "app", "upgrade-db"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    with open(tmp_path / "server.log", "wb") as log:
        process = subprocess.Popen(serve_command(port), cwd=ROOT, env=env, stdout=log,
                                   stderr=log, start_new_session=True)  # fmt: skip
    return process, f"http://127.0.0.1:{port}/healthz"


@contextlib.contextmanager
def serving(tmp_path, **settings):
    """A site served by `make serve`'s command (`start_serving`), once both workers answer;
    yields (process, url of /healthz)."""
    process, url = start_serving(tmp_path, **settings)
    try:
        assert wait_until(lambda: answers(url) and len(workers_of(process.pid)) == 2)
        yield process, url
    finally:
        stop(process)


@pytest.fixture
def served(tmp_path):
    """A site served as `make serve` serves it, logging only errors; yields (process, url)."""
    with serving(tmp_path) as found:
        yield found


def stop(process: subprocess.Popen) -> None:
    """Ask granian to stop; kill it and its workers if it is still shutting down after a
    while, as systemd does at the README unit's TimeoutStopSec."""
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


def started_workers(tmp_path) -> int:
    """How many workers granian has logged as started (each logs it once the app is loaded)."""
    log = (tmp_path / "server.log").read_text("utf-8", errors="replace")
    return len(re.findall(r"Started worker-\d+", log))


def stops_by_itself(process: subprocess.Popen, tmp_path) -> bool:
    """Ask granian to stop; tell whether it did, every worker ending when asked (granian kills
    one that has not after KILL_AFTER seconds, and says so)."""
    process.terminate()
    try:
        process.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        return False
    log = (tmp_path / "server.log").read_text("utf-8", errors="replace")
    return "refused to gracefully stop" not in log


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_a_server_stopped_while_its_workers_load_the_app_stops(tmp_path):
    """A stop (a restart, systemd's, a tired operator's Ctrl-C) that reached the workers while
    they still loaded the app was swallowed by the handler they inherited from granian's main
    process: they went on to serve, and the stop waited for them forever."""
    process, _url = start_serving(tmp_path)
    try:
        deadline = time.monotonic() + PATIENCE
        while len(workers_of(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert started_workers(tmp_path) == 0, "the workers loaded before the test could stop them"
        assert stops_by_itself(process, tmp_path)
    finally:
        stop(process)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_a_server_stops_after_replacing_a_crashed_worker(served, tmp_path):
    """The README's unit used to warn that granian 2.8 never finished a stop once it had
    replaced a worker: the replacement loads the app as a worker at start does."""
    process, _url = served
    workers = workers_of(process.pid)
    os.kill(min(workers), signal.SIGKILL)
    assert wait_until(lambda: len(workers_of(process.pid) - workers) == 1)
    assert wait_until(lambda: started_workers(tmp_path) == 3)
    assert stops_by_itself(process, tmp_path)


@pytest.fixture
def nginx_front(served):
    """nginx with the README's own configuration (TLS left out) in front of `served`."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    _, url = served
    folder = Path(tempfile.mkdtemp(prefix="bantin-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as nobody
    port = free_port()
    conf = readme_nginx(folder, port, int(url.split(":")[2].split("/")[0]))
    for place in ("cache", "tmp"):
        (folder / place).mkdir(exist_ok=True)
        (folder / place).chmod(0o777)
    process = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
    front = f"http://127.0.0.1:{port}/healthz"
    try:
        assert wait_until(lambda: answers(front))
        yield port
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def dribble(port: int) -> socket.socket:
    """Start a POST whose body comes one byte at a time (here: one byte, then nothing)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n\r\na")  # fmt: skip
    return sock


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_attack_slow_bodies_through_the_readme_nginx_front_hold_no_worker(nginx_front):
    """granian hands a body to the app as it arrives, so a client that dribbles one holds a
    worker; nginx, configured as the README says, reads each body whole first."""
    slow = [dribble(nginx_front) for _ in range(4)]  # twice as many as the workers
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{nginx_front}/healthz", timeout=5) as r:
            assert r.status == 200
    finally:
        for sock in slow:
            sock.close()


def dribble_until_answered(port: int, seconds: float) -> str:
    """POST a body one byte every half second until the server answers or closes; return the
    answer's status line, "closed", or "" if neither came within `seconds`."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")  # fmt: skip
        sock.settimeout(0.5)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                sock.sendall(b"a")
                answer = sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return "closed"
            return answer.split(b"\r\n")[0].decode() if answer else "closed"
    return ""


def threads_of(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_attack_slow_bodies_straight_to_granian_are_ended_and_free_the_workers(served):
    """Without nginx, two clients dribbling their bodies held both workers for as long as
    they liked; the app now ends each body at its deadline (web.bodies) with a 408, the
    worker is free again at the client's next byte, and its helper thread is gone."""
    process, url = served
    port = int(url.split(":")[2].split("/")[0])
    workers = workers_of(process.pid)
    before = {pid: threads_of(pid) for pid in workers}
    answers_ = [None, None]

    def attacker(number: int) -> None:
        answers_[number] = dribble_until_answered(port, PATIENCE)

    attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(2)]
    for thread in attackers:
        thread.start()
    for thread in attackers:
        thread.join()
    assert all(a.startswith("HTTP/1.1 408") or a == "closed" for a in answers_), answers_
    assert answers(url)
    # granian starts a worker's blocking thread on its first request, and keeps it: a worker
    # that had answered nothing before (/healthz may have reached only the other) has one
    # more thread after, so no worker may hold more than one that has answered.
    served_threads = max(before.values())
    assert wait_until(lambda: all(threads_of(pid) <= served_threads for pid in workers))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_attack_a_stalled_body_straight_to_granian_costs_a_worker_seconds_not_for_good(served):
    """A client that sends part of a body, then nothing, and keeps its connection open froze
    its worker for as long as it liked: granian takes the body back only once the pending
    read returns. Now the worker ends BODY_IDLE/GRACE + BODY_STALLED_EXIT_SECONDS later and
    granian starts a fresh one, while the attacker still holds its connection."""
    process, url = served
    workers = workers_of(process.pid)
    stalled = [dribble(int(url.split(":")[2].split("/")[0])) for _ in range(2)]
    try:
        # Both connections may land on one worker (the other is then never frozen): what
        # counts is that a frozen worker is replaced and the site answers on two again.
        assert wait_until(lambda: workers - workers_of(process.pid))
        assert wait_until(lambda: len(workers_of(process.pid)) == 2 and answers(url))
    finally:
        for sock in stalled:
            sock.close()
    assert process.poll() is None


def test_the_readme_nginx_front_buffers_and_times_out_bodies():
    readme = (ROOT / "README.md").read_text("utf-8")
    config = re.search(r"```nginx\n(.*?)```", readme, re.S)[1]
    assert "proxy_request_buffering off" not in config
    assert re.search(r"client_body_timeout \d+s;", config)
    assert re.search(r"client_header_timeout \d+s;", config)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_the_workers_make_serve_starts_are_the_lighter_ones(served):
    """Docstrings and asserts stripped (5 MB a worker) and a render's large blocks given back
    to the system when freed (2 MB), in every worker (BENCHMARKS.md, "Lighter processes")."""
    process, _url = served
    for pid in workers_of(process.pid):
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"PYTHONOPTIMIZE=2" in environment
        assert b"MALLOC_MMAP_THRESHOLD_=32768" in environment
        assert not any(each.startswith(b"GLIBC_TUNABLES=") for each in environment)


def logged_paths(text: str) -> list[str]:
    return re.findall(r" GET (/trang/dong-\d+) 404 ", text)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_a_workers_request_lines_reach_the_log_in_batches_and_none_is_lost_at_a_stop(tmp_path):
    """`make serve` writes request lines in batches (LOG_FLUSH_SECONDS): they reach the file
    and the journal without a stop, and the lines still queued when the server stops are
    written by the workers as they end (os._exit in granian's workers skips atexit)."""
    folder = tmp_path / "logs"
    with serving(tmp_path, FLASK_LOG_LEVEL="INFO", FLASK_LOG_DIR=str(folder)) as (process, url):
        base = url.removesuffix("/healthz")
        for number in range(20):
            answers(f"{base}/trang/dong-{number}")
        log_file = folder / "bantin.log"
        assert wait_until(lambda: log_file.exists()
                          and len(logged_paths(log_file.read_text("utf-8"))) == 20)  # fmt: skip
        for number in range(20, 40):
            answers(f"{base}/trang/dong-{number}")
        process.terminate()
        process.wait(timeout=PATIENCE)
    expected = [f"/trang/dong-{number}" for number in range(40)]
    assert sorted(logged_paths(log_file.read_text("utf-8"))) == sorted(expected)
    journal = (tmp_path / "server.log").read_text("utf-8", errors="replace")
    assert sorted(logged_paths(journal)) == sorted(expected)


def publish_one(tmp_path) -> str:
    """Publish an article in the served site's database, from this process; its path."""
    app = create_app(make_config(tmp_path / "writer", SERVER_NAME=None,
                                 SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'bantin.db'}"))
    with app.app_context():
        category = Category(name="Tin tức", slug="tin-tuc")
        article = Article(title="Họp dân thôn Nà Lừa", slug="hop-dan-thon-na-lua",
                          summary="Tóm tắt.", body="<p>Nội dung.</p>", body_text="Nội dung.",
                          status="published", publish_at=utcnow(), category=category)
        db.session.add(article)
        db.session.commit()
        path = f"/tin/{article.slug}-{article.id}"
        db.engine.dispose()
    return path


def read_as_a_reader(url: str) -> int:
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 10)"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads workers from /proc")
def test_a_stopping_worker_writes_the_visit_counts_it_holds(tmp_path):
    """Workers write their visit counts once a minute; the views since the last write are
    written as a worker ends (granian's workers end with os._exit, which skips atexit)."""
    with serving(tmp_path, FLASK_VISITS_FLUSH_SECONDS="3600") as (process, url):
        path = publish_one(tmp_path)
        base = url.removesuffix("/healthz")
        assert [read_as_a_reader(base + path) for _ in range(5)] == [200] * 5
        process.terminate()
        process.wait(timeout=PATIENCE)
    article_id = int(path.rsplit("-", 1)[1])
    with contextlib.closing(sqlite3.connect(tmp_path / "bantin.db")) as database:
        (views,) = database.execute("SELECT coalesce(sum(count), 0) FROM article_view"
                                    " WHERE article_id = ?", (article_id,)).fetchone()  # fmt: skip
    assert views == 5


@pytest.fixture
def unset_serve_env(monkeypatch):
    """No serving variable set by whoever runs the tests: serve-env would leave it out."""
    for name in ("PYTHONOPTIMIZE", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)


def test_serve_env_gives_a_communes_workers_the_lighter_settings_and_no_huge_pages(
    runner, unset_serve_env
):
    """A single commune's workers run optimised and give large blocks back; huge pages would
    only add the heap's last 2 MB page to each (BENCHMARKS.md, "Huge pages for a province")."""
    printed = runner.invoke(args=["serve-env"]).output.split()
    assert "PYTHONOPTIMIZE=2" in printed
    assert "MALLOC_MMAP_THRESHOLD_=32768" in printed
    assert not any(word.startswith("GLIBC_TUNABLES=") for word in printed)


def test_serve_env_leaves_what_the_operator_set_to_the_operator(
    runner, unset_serve_env, monkeypatch
):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    printed = runner.invoke(args=["serve-env"]).output.split()
    assert not any(word.startswith("MALLOC_MMAP_THRESHOLD_=") for word in printed)
    assert "PYTHONOPTIMIZE=2" in printed
