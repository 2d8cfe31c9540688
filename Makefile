# The two commands of the README: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test install system-deps lint bench

demo: install
	$(PY) scripts/demo.py

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	SECRET_KEY=type-check-only $(VENV)/bin/mypy
	$(PY) scripts/devdb.py run -- $(PY) -m pytest -n auto --dist loadfile

install: system-deps $(VENV)/.installed node_modules/.installed
	$(PY) manage.py compilemessages -l fr -v0 --ignore='.venv/*' --ignore='.data/*'
	$(PY) manage.py collectstatic --noinput -v0

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# axe-core for the browser tests' accessibility sweep (package.json, pinned by its lock).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

bench: install
	$(PY) tests/bench/provisioning.py
	$(PY) tests/bench/forums.py
	$(PY) tests/bench/search.py
	$(PY) tests/bench/events.py
	$(PY) tests/bench/directory.py
