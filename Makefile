# Neighbourhood Portal. `make run` starts the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: help run dev test lint format migrations-check check-deploy bench mutation lock css clean

help:
	@echo "make run               start the portal with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make dev               the same with Django's debug pages, for developers"
	@echo "make test              lint, migrations check and the whole test suite on PostgreSQL and Redis"
	@echo "make lint | format     ruff check and format; lint-imports checks the apps' layers"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make check-deploy      Django's deployment checks with production settings"
	@echo "make bench             the benchmarks under bench/"
	@echo "make lock              re-resolve requirements*.txt from pyproject.toml"
	@echo "make css               rebuild static/css/portal.css and the vendored scripts (needs npm)"

# --- Environment ---------------------------------------------------------------------------
$(BIN)/python:
	@tests/harness/make_venv.sh "$(PYTHON)" "$(VENV)"

# `make run` installs the portal and honcho, which starts its web server, worker and beat.
$(VENV)/.installed-run: requirements-demo.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-demo.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

# --- The two commands ----------------------------------------------------------------------
run: $(VENV)/.installed-run
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Neighbourhood Portal: http://127.0.0.1:$(PORT)/"
	@echo "  Staff sign in:        http://127.0.0.1:$(PORT)/staff/sign-in/"
	@echo "  Demo logins (password 'neighbourhood'): officer, sergeant, opcc, admin"
	@echo "  Emails are written to var/mail/. Press Ctrl-C to stop the web server, worker and beat."
	@echo
	@# honcho gives the worker and beat ports of their own: tell them the web server's.
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start --port $(PORT) --procfile Procfile

# `make run` shows the portal's own error pages; `make dev` shows Django's debug pages instead.
dev: export DJANGO_DEBUG := true
dev: run

test: $(VENV)/.installed-dev
	@tests/harness/system_packages.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	tests/harness/with_servers.sh $(BIN)/pytest -p randomly -n auto --maxprocesses=4 --dist loadfile --durations=30

# --- Everyday checks ---------------------------------------------------------------------
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test

check-deploy: $(VENV)/.installed-run
	DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-the-check \
	ALLOWED_HOSTS=portal.example.police.uk DATABASE_URL=postgres://portal@localhost/portal \
	TRUSTED_PROXY_COUNT=$${TRUSTED_PROXY_COUNT:-1} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING --settings=config.settings.production

bench: $(VENV)/.installed-dev
	@for script in bench/[!_]*.py; do echo "== $$script"; tests/harness/with_servers.sh $(BIN)/python "$$script"; done

# Mutation testing of the core modules listed in [tool.portal.mutation] of pyproject.toml:
# not part of `make test`. `make mutation MODULE=config/limits.py` runs one (or a list).
MODULE ?= $(shell $(BIN)/python tests/harness/mutation.py list)
mutation: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-mutation.txt
	@rm -f var/mutation-scores.txt
	@for module in $(MODULE); do \
		echo "== $$module"; rm -rf mutants; mkdir -p var; \
		tests/harness/with_servers.sh $(BIN)/python tests/harness/mutation.py $$module run --max-children 1 || exit 1; \
		$(BIN)/python tests/harness/mutation.py $$module results; \
		$(BIN)/python tests/harness/mutation.py $$module score | tee -a var/mutation-scores.txt; \
	done
	@echo "== scores"; cat var/mutation-scores.txt

lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra demo --python-version 3.11 --generate-hashes -q -o requirements-demo.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra demo --python-version 3.11 --generate-hashes -q -o requirements-dev.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra demo --extra mutation --python-version 3.11 --generate-hashes -q -o requirements-mutation.txt

css:
	npm ci
	npx sass --no-source-map --style=compressed --load-path=node_modules static/scss/portal.scss static/css/portal.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
