# Everything runs through .venv/bin/..., so nobody has to activate the venv.
# Newcomers need only `make run` (local server with sample data) and `make test`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# The settings refuse to start without SECRET_KEY unless DEBUG is on; the dev
# targets turn DEBUG on, so a fresh checkout needs no .env file.
DEV_ENV := DEBUG=1

# Tests run with DEBUG off, as in production. DATABASE_URL from the shell wins
# (CI uses that for PostgreSQL); otherwise SQLite, so a .env pointing at a shared
# database never changes where `make test` runs.
TEST_ENV := SECRET_KEY=test-secret-key DEBUG=0 ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
    DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}"

# DEBUG off here too: with DEBUG on Django records every SQL query, which skews timings.
BENCH_ENV := SECRET_KEY=bench-secret-key DEBUG=0 ALLOWED_HOSTS=localhost

PYTEST_ARGS ?=
# The suite runs on every core (pytest-xdist), a test file per worker so the browser tests' server and
# browser start once per file; TEST_WORKERS=0 runs it in one process (for -s or a debugger).
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install install-dev migrate seed run test lint format ci bench

help:
	@echo "make run      set up .venv, migrate, load fixtures/plans/, serve on http://127.0.0.1:8000"
	@echo "make test     run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make lint     ruff check + ruff format --check"
	@echo "make format   apply ruff fixes and formatting"
	@echo "make ci       lint + test"
	@echo "make bench    time plan ingestion, page rendering, the Excel export and 督办 (scripts/benchmark_*.py)"
	@echo "other targets: install (runtime packages) install-dev (plus tests and lint) migrate seed"

install: $(STAMP)

# A failed venv (e.g. Debian without python3-venv) leaves a half-made .venv that
# would otherwise be mistaken for a good one on the next run.
$(PY):
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 1; }

# The stamps let pip run only when a requirements file has changed. requirements.txt is what the
# application needs to run; requirements-dev.txt adds the tests, lint and browser-test tools.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

install-dev: $(DEV_STAMP)

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate

seed: migrate
	$(DEV_ENV) $(PY) manage.py ingest_plans fixtures/plans/

run: seed
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# --exit-zero: still list what needs a human, but go on to format the rest.
format: install-dev
	$(VENV)/bin/ruff check --fix --exit-zero .
	$(VENV)/bin/ruff format .

ci: lint test

# install-dev: the ingest benchmark makes .docx and PDF files of the seeds with the test tools (reportlab).
bench: install-dev
	$(BENCH_ENV) $(PY) scripts/benchmark_ingest.py
	$(BENCH_ENV) $(PY) scripts/benchmark_pages.py
	$(BENCH_ENV) $(PY) scripts/benchmark_export.py
	$(BENCH_ENV) $(PY) scripts/benchmark_progress.py
