# Two commands do all the set-up: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails sent outside a request (digests, reminders) point here; `make demo PORT=8765` serves and links
# to the same address. Set SITE_URL yourself when the site is reached through another name.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: demo test test-browser test-all lint install install-dev lock serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/base.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements/base.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements/dev.txt
	$(PIP) install --no-deps -e .
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: install, migrate the embedded SQLite database, load the Samara demo region and serve on $(HOST):$(PORT)
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_classifiers
	$(PY) manage.py load_demo
	@echo ""
	@echo "Сайт: http://$(HOST):$(PORT)/   (остановить: Ctrl+C)"
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT) --noreload

serve: install
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## test: install the dev dependencies and run the whole suite (browser tests: make test-browser)
test: install-dev
	$(PY) -m pytest -m "not browser" -q

test-browser: install-dev
	$(PY) -m pytest -m browser -q

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

## lock: re-pin every dependency (direct ones are pinned in pyproject.toml)
lock: install-dev
	$(PIP) install pip-tools==7.6.2
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) var/static test-artifacts
