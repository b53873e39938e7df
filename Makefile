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
.PHONY: help install install-dev migrate seed run serve test lint format ci bench bench-scale bench-pool bench-pool-seeds hostile-files corpus messages

help:
	@echo "make run      set up .venv, migrate, load fixtures/plans/, serve on http://127.0.0.1:8000"
	@echo "make serve    the production settings with gunicorn on http://localhost:8000 (DATABASE_URL, SECRET_KEY)"
	@echo "make test     run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make lint     ruff check + ruff format --check"
	@echo "make format   apply ruff fixes and formatting"
	@echo "make ci       lint + test"
	@echo "make bench    time plan ingestion, page rendering, the Excel export and 督办 (scripts/bench_*.py)"
	@echo "make hostile-files  read every hostile plan file and workbook, print time and peak memory of each"
	@echo "make corpus   score the plan reader on tests/corpus (real plans with gold), plan by plan, and its parse speed"
	@echo "make bench-scale  3,000 plans on PostgreSQL served by gunicorn, 8 clients per page (scripts/bench_scale.py)"
	@echo "make bench-pool   bench-scale's database, 8 clients on a random pool of 1,100 pages (scripts/bench_random_pool.py)"
	@echo "make bench-pool-seeds  the same on the seeds and the corpus, a note saved every 0.5 s (scripts/bench_pool_seeds.py)"
	@echo "make messages compile locale/zh_Hans/*.po (the admin's Chinese for third-party apps; needs gettext's msgfmt)"
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

# No task worker runs beside the development server: a .doc/.wps upload is converted inside the request instead.
run: seed
	$(DEV_ENV) TASKS_IMMEDIATE=1 $(PY) manage.py runserver 127.0.0.1:8000

# The production settings on this machine: gunicorn (config/gunicorn.py) with WhiteNoise, on the PostgreSQL
# database DATABASE_URL names and with the SECRET_KEY given (environment or .env). Plain HTTP here, so no
# redirect to HTTPS and no HSTS; sign in at http://localhost:8000/, where browsers keep secure cookies.
SERVE_ENV := DJANGO_SETTINGS_MODULE=config.production SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
    ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" BIND="$${BIND:-127.0.0.1:8000}"
serve: install
	$(SERVE_ENV) $(PY) manage.py migrate
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(VENV)/bin/gunicorn --config config/gunicorn.py config.wsgi

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
	$(BENCH_ENV) $(PY) scripts/bench_ingest.py
	$(BENCH_ENV) $(PY) scripts/bench_pages.py
	$(BENCH_ENV) $(PY) scripts/bench_export.py
	$(BENCH_ENV) $(PY) scripts/bench_progress.py

# The hostile files of tests/reliability/ read one by one in fresh processes: the README's reliability table.
hostile-files: install-dev
	$(BENCH_ENV) $(PY) scripts/hostile_files.py

# National scale: a scratch PostgreSQL database (dropped and built again unless REUSE=1), gunicorn with the
# production settings, 8 clients per page, and the export comparison; then the random pool of pages (bench-pool);
# then 3,000 plans through the loader with a job per core into another scratch database (BENCH_INGEST_DATABASE_URL).
# About thirty minutes.
BENCH_SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plans_scale
BENCH_INGEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plans_ingest
bench-scale: install-dev
	BENCH_SCALE_DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) $(PY) scripts/bench_scale.py $(if $(REUSE),--reuse,--fresh)
	BENCH_SCALE_DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) $(PY) scripts/bench_random_pool.py
	BENCH_INGEST_DATABASE_URL=$(BENCH_INGEST_DATABASE_URL) $(PY) scripts/bench_ingest_scale.py --plans 3000 \
		--jobs $$(nproc)

# Real use on bench-scale's database: 8 clients asking pages drawn at random from a pool of 1,100, kept fragments on,
# off and in Redis, with and without a writer; then search. About ten minutes (scripts/bench_random_pool.py).
bench-pool: install-dev
	BENCH_SCALE_DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) $(PY) scripts/bench_random_pool.py

# The same on the seeds and the corpus (a database of its own, made afresh), with a note saved every 0.5 s.
bench-pool-seeds: install-dev
	$(PY) scripts/bench_pool_seeds.py

# The reader on the corpus of real plans (tests/corpus): each plan stored in a fresh SQLite database and scored
# against its gold, the held-out part apart; then the parser's speed on the corpus's text files.
corpus: install-dev
	$(PY) scripts/corpus_score.py

# The Chinese of the admin pages third-party apps ship without (locale/zh_Hans). The .mo files are committed, so
# only a change to a .po needs this (Debian: apt-get install gettext).
messages:
	for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po"; done
