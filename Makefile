# Bantin: `make run` for a first look, `make test` before every commit, `make serve` in production.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
HOST ?= 127.0.0.1
THREADS ?= 8

.PHONY: run test serve install install-dev database lint bench clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Apply pending migrations, then seed demo content if the database is empty.
database: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

run: database
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: install
	$(FLASK) db upgrade
	$(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=$(THREADS) --call app:create_app

lint: install-dev
	$(BIN)/ruff check .

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/pageweight.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
