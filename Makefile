# Two commands do all the set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := 26.3
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= exchange-demo

.PHONY: run test test-e2e install migrate demo lint bench load serve clean translations

# The stamp is rebuilt only when requirements change, so a second `make` is fast and harmless.
$(VENV)/.installed: requirements.txt constraints-build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint constraints-build.txt -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Translation catalogues (locale/*/LC_MESSAGES/django.po) compiled to .mo in pure Python (Babel): no GNU gettext.
translations: install
	$(PY) manage.py compile_translations

migrate: install translations
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --password "$(DEMO_PASSWORD)"

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install translations
	$(PY) manage.py check
	$(PY) -m pytest

test-e2e: install
	$(PY) -m pytest -m e2e

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/exports.py

# Production-style serving: hashed, compressed static files (whitenoise) and gunicorn against
# DATABASE_URL. Run `make migrate` once per release first. WEB_CONCURRENCY sets gunicorn's workers.
WEB_CONCURRENCY ?= 3
serve: install
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn exchange_portal.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --no-control-socket

# Load test against gunicorn + PostgreSQL (bench/load.py); LOAD_ARGS="--duration 10" for a short run.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/exchange_portal_load
LOAD_ARGS ?=
load: install
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
