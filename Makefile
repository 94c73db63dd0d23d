# Newsroom: `make run` (the demo desk at http://127.0.0.1:$(PORT)) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
ARGS ?=

# The first Python 3.12 or newer on PATH (pyenv's shims honour .python-version).
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3.14 python3 python; do \
	if command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
		command -v $$candidate; break; fi; done)

.PHONY: help run test venv lint format demo clean browser-deps bench compilemessages messages

help:
	@echo "make run   - set up .venv, migrate, load the demo desk, serve http://127.0.0.1:$(PORT) and run a worker"
	@echo "make test  - run the whole test suite (SQLite; PostgreSQL when DATABASE_URL names one)"
	@echo "make browser-deps - axe-core for the browser tests (Chromium: apt-get install -y chromium)"
	@echo "make bench - the benchmark on PostgreSQL (README, Performance): writes bench/results.json"
	@echo "make compilemessages - compile the translations (locale/*.po -> .mo; needs GNU gettext)"
	@echo "make messages - gather new strings into locale/ja/LC_MESSAGES/django.po"

$(VENV)/.installed: requirements.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "Newsroom needs Python 3.12 or newer, and none was found on PATH." >&2; \
		echo "Install one (e.g. 'pyenv install 3.13') or run: make run PYTHON=/path/to/python3.12" >&2; \
		exit 1; fi
	@[ -x $(PY) ] || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

# Translations: the .po catalogues are committed, the compiled .mo files are built here.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

compilemessages: $(CATALOGUES)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "GNU gettext's msgfmt is missing: apt-get install -y gettext" >&2; exit 1; }
	msgfmt --check -o $@ $<

messages: venv
	@command -v xgettext >/dev/null 2>&1 || { \
		echo "GNU gettext is missing: apt-get install -y gettext" >&2; exit 1; }
	DEBUG=1 $(PY) manage.py makemessages -l ja --no-location --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=var --ignore=static

run: venv compilemessages
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo_desk
	@# The background worker beside the development server, as one command: when the server
	@# stops (Ctrl-C, or it exits), the trap stops the worker too, and waits for it.
	@# E-mails link to this server (SITE_URL), on whatever PORT it was given.
	@export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
		DEBUG=1 $(PY) manage.py run_worker & worker=$$!; \
		trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv compilemessages
	@mkdir -p var
	SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret-key-for-the-test-suite-0123456789} \
		$(PY) -m pytest $(ARGS)

# The benchmark (README, "Performance"): DATABASE_URL (default newsroom_bench on 127.0.0.1),
# BENCH_SCALE=full|small, BENCH_DURATION (seconds per endpoint), BENCH_CONNECTIONS.
bench: venv compilemessages
	@mkdir -p var
	$(PY) -m bench.run

# The browser tests also need Debian's Chromium (/usr/bin/chromium) and axe-core from npm,
# installed into ./node_modules (git-ignored) without a package.json.
AXE_CORE ?= axe-core@4.14.1

browser-deps: node_modules/axe-core/axe.min.js
	@[ -x /usr/bin/chromium ] || echo "Chromium is missing: apt-get install -y chromium" >&2

node_modules/axe-core/axe.min.js:
	npm install --prefix "$(CURDIR)" --no-save --no-package-lock --no-audit --no-fund $(AXE_CORE)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/static
