# Medtour: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

# Local serving: debug on, SQLite in var/, e-mail printed to the console.
RUN_ENV := DEBUG=1
# Tests run with production settings (DEBUG off) and throwaway secrets.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
	PSEUDONYM_KEY=test-only-pseudonym-key ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
	SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0

.PHONY: install system-packages assets run serve test test-fast fuzz lint fmt messages translations bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch node_modules/.installed

# gettext compiles the catalogues; Chromium runs the end-to-end tests; Pango (with the Noto CJK
# and DejaVu fonts) lets WeasyPrint draw the briefing PDF in all six languages.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "dejavu sans" || missing="$$missing fonts-dejavu-core"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

install: system-packages $(STAMP) node_modules/.installed
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0
	$(RUN_ENV) $(PY) manage.py load_reference
	$(RUN_ENV) $(PY) manage.py load_targets
	$(RUN_ENV) $(PY) manage.py seed_demo_registry
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py seed_demo_users
	@$(RUN_ENV) $(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/ with the task worker beside it; Ctrl-C stops both."
	@$(RUN_ENV) $(PY) scripts/serve.py $(HOST):$(PORT)

test: install
	$(PY) -m ruff check medtour tests scripts
	$(PY) -m ruff format --check medtour tests scripts
	$(RUN_ENV) $(PY) -m mypy medtour
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadgroup

# Speed is measured here, never by timed tests (docs/reporting-pipeline.md has the figures).
bench: install
	$(TEST_ENV) $(PY) -m medtour.bench import
	$(TEST_ENV) $(PY) -m medtour.bench pivot

# The fuzzers at length: every persona on every route, hundreds of examples per API operation.
fuzz: install
	FUZZ_LEVEL=full $(TEST_ENV) $(PY) -m pytest tests/fuzz -n 2 -q

# Quick runs while developing: make test-fast ARGS="tests/reference -x"
test-fast:
	$(TEST_ENV) $(PY) -m pytest $(ARGS)

lint: install
	$(PY) -m ruff check medtour tests scripts
	$(PY) -m ruff format --check medtour tests scripts
	$(RUN_ENV) $(PY) -m mypy medtour

fmt: install
	$(PY) -m ruff format medtour tests scripts
	$(PY) -m ruff check --fix medtour tests scripts

messages: install
	for lang in ko en zh_Hans ja ru kk; do \
	  $(RUN_ENV) $(PY) manage.py makemessages -l $$lang --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete -v 0; \
	done
	$(PY) scripts/fill_english_catalogue.py
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	@for po in medtour/locale/*/LC_MESSAGES/django.po; do echo -n "$$po: "; msgfmt --statistics -o /dev/null $$po; done

# Refresh the catalogues and write translations from JSON files, one writer at a time:
# make translations FILL="path/to/ours.json" (see scripts/fill_catalogues.py).
translations:
	flock /tmp/medtour-messages.lock $(MAKE) --no-print-directory messages
	flock /tmp/medtour-messages.lock $(PY) scripts/fill_catalogues.py $(FILL)
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

clean:
	rm -rf var/medtour.sqlite3 var/static
