# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= exchange-demo

.PHONY: run test test-e2e install install-dev migrate demo lint bench bench-pages bench-uploads fuzz load serve clean translations

PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --build-constraint constraints-build.txt

# Each stamp is rebuilt only when its requirements change, so a second `make` is fast and harmless.
# The runtime (requirements.txt) is all that `make run` and `make serve` need; tests, lint and
# benchmarks add requirements-dev.txt.
$(VENV)/.installed-runtime: requirements.txt constraints-build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

# Translation catalogues (locale/*/LC_MESSAGES/django.po) compiled to .mo in pure Python (Babel): no GNU gettext.
translations: install
	$(PY) manage.py compile_translations

migrate: install translations
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --password "$(DEMO_PASSWORD)"

# The web server, the task-queue worker and the clock side by side (Procfile, honcho); Ctrl+C stops all three.
run: demo
	HOST=$(HOST) $(VENV)/bin/honcho start --procfile Procfile --port $(PORT)

test: install-dev translations
	$(PY) manage.py check
	$(PY) -m pytest

test-e2e: install-dev translations
	$(PY) -m pytest -m e2e

# Style, formatting and the architecture contract (pyproject.toml, [tool.importlinter]).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: install-dev
	$(PY) bench/exports.py
	$(PY) bench/imports.py

# Every page's CPU time per request as a multiple of the sign-in page's, against its budget
# (docs/performance.md); PAGES_DATABASE_URL is created and filled if needed. Exits 1 if a page is over.
PAGES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/exchange_portal_pages
bench-pages: install-dev translations
	DATABASE_URL=$(PAGES_DATABASE_URL) $(PY) bench/pages.py

# Memory and time of refusing or previewing hostile nominations files (docs/performance.md).
bench-uploads: install-dev
	$(PY) bench/uploads.py

# The no-500 property test (tests/test_fuzz.py) with many more examples than the normal suite runs:
# nightly-style, about FUZZ_EXAMPLES requests per URL pattern and role.
FUZZ_EXAMPLES ?= 300
fuzz: install-dev translations
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:randomly tests/test_fuzz.py

# Production-style serving: hashed, compressed static files (whitenoise) and gunicorn against
# DATABASE_URL. Run `make migrate` once per release first. WEB_CONCURRENCY sets gunicorn's workers.
WEB_CONCURRENCY ?= 5
serve: install translations
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn exchange_portal.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT) \
		--workers $(WEB_CONCURRENCY) --access-logfile - --no-control-socket

# Load test against gunicorn + PostgreSQL (bench/load.py); LOAD_ARGS="--duration 10" for a short run.
# Several processes serve pages, so the cache is Redis's, as the deployment guide asks (LOAD_REDIS_URL).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/exchange_portal_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/5
LOAD_ARGS ?=
load: install-dev
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) $(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
