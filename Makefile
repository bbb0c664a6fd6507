.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH

# Dummy values that let the production settings load for the deploy check.
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=association.settings.prod \
	SECRET_KEY=deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	ALLOWED_HOSTS=portal.example.org DATABASE_URL=postgres://portal@db.invalid/portal

.PHONY: help install run test lint format check-deploy messages bench lock clean chromium

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall when the declared dependencies or their pinned versions change.
$(INSTALLED): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,devstack]'
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics --domain django --directory locale --locale $* 2>&1 | tail -n 1

TRANSLATIONS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(INSTALLED) $(TRANSLATIONS) ## Create .venv and install the portal with its development tools

run: install ## Start the portal with PostgreSQL, Redis, a Celery worker and beat (embedded unless DATABASE_URL/REDIS_URL are set)
	$(BIN)/python -m association.devstack

chromium: ## Make sure Chromium is there for the browser tests (installs it with apt-get when it can)
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Chromium is missing: installing it with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM_PATH) and it is not there."; \
			echo "Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH."; \
			exit 1; \
		fi; \
	fi

test: install chromium ## Run the whole test suite, browser tests included
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff, missing migrations and the production deploy check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

check-deploy: install ## manage.py check --deploy under the production settings
	$(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

format: install ## Format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Collect translatable strings into locale/*/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore '.venv/*' --ignore '.devdata/*' --ignore 'tests/*'

bench: install ## The directory, projects and positions under load, and a newsletter to 60,000 (bench/results/)
	$(BIN)/python -m bench.run

lock: $(BIN)/python ## Re-pin every dependency in constraints.txt to its newest allowed version
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[dev,devstack,s3]'
	{ echo "# Pinned versions used by make and the Dockerfile; regenerate with make lock."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^pip=='; } > constraints.txt
	rm -rf .lock-venv

clean: ## Remove the virtualenv and compiled translations (keeps .devdata, the embedded data)
	rm -rf $(VENV) staticfiles locale/*/LC_MESSAGES/*.mo
