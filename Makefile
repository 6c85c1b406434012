# Bantin: `make run` for a first look, `make test` before every commit, `make serve` in production.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
HOST ?= 127.0.0.1
# One worker process per core, each with one Python thread and its own page cache. With 4
# threads a worker's memory got corrupted under the soak (a 500, then a segfault that took the
# server down; BENCHMARKS.md, soak); with 1 thread per process it never did. nginx in front
# buffers responses, so a slow reader does not hold a worker.
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
THREADS ?= 1
# Seconds granian waits for a worker to stop before it kills it. granian 2.8's worker misses a
# stop that arrives just as its main thread starts waiting for one (Python runs a signal's
# handler only once that wait ends, and only the handler would end it), and the server's stop
# then waited forever. Shorter than the systemd unit's TimeoutStopSec (15 s), so granian itself
# ends the stop in order.
KILL_AFTER ?= 10

.PHONY: run test serve install install-dev config database check lint bench bench-throughput clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Create instance/config.py with a random secret key, once (never overwritten).
config: install
	$(BIN)/python -m ops.production

# Apply pending migrations (saying which), then seed demo content if the database is empty.
database: install config
	$(FLASK) upgrade-db
	$(FLASK) seed-demo

run: database
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: no demo content, no generated key (set one: `make config` or FLASK_SECRET_KEY).
# A worker that dies is replaced: without --respawn-failed-workers granian stops the whole
# server when one worker exits, and the site stops answering (BENCHMARKS.md, soak).
# Workers start with the environment `flask serve-env` prints (ops.production.SERVE_ENV):
# docstrings and asserts stripped (5 MB a worker), glibc giving blocks of 32 KB or more back to
# the system when freed (2 MB), and in a province glibc's heap on 2 MB pages (hot pages across
# 150 sites); collect-static builds the app the same way first, so that the workers find their
# modules compiled. A variable the operator has set keeps the operator's value.
serve: install
	$(FLASK) upgrade-db
	served=$$($(FLASK) serve-env) && env $$served $(FLASK) collect-static
	served=$$($(FLASK) serve-env) && exec env $$served $(BIN)/granian --interface wsgi \
		--host $(HOST) --port $(PORT) --workers $(WORKERS) --blocking-threads $(THREADS) \
		--respawn-failed-workers --workers-kill-timeout $(KILL_AFTER) --no-ws \
		--factory app:create_app

check: install
	$(FLASK) check

lint: install-dev
	$(BIN)/ruff check .

# Compiled modules (and pytest's rewritten test modules) go to one cache in the virtualenv,
# never beside the sources: with PYTHONDONTWRITEBYTECODE set, every test worker compiled
# every module, and every migration run its scripts, again (BENCHMARKS.md, test suite).
test: install-dev
	$(BIN)/ruff check .
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache $(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/pageweight.py
	$(BIN)/python bench/media.py
	$(BIN)/python bench/sanitize.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/import_nukeviet.py
	$(BIN)/python bench/province.py
	$(BIN)/python bench/province_front.py

# Needs Debian's wrk (and nginx for the static baseline): apt-get install wrk nginx
bench-throughput: install-dev
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
