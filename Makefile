# Layak: `make run` sets up everything and serves http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKER_LOG ?= worker.log
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: run setup install vendor db data test test-fast lint format bench messages clean

run: setup
	@$(MANAGE) seed_demo
	@echo ""
	@echo "Layak is starting on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo "A background worker starts beside it for slow jobs (report bundles, recomputes, large imports, e-mail"
	@echo "reminders); it stops with the server. Its log: $(WORKER_LOG)"
	@$(MANAGE) run_worker --periodic --no-reload --stop-with $$$$ > $(WORKER_LOG) 2>&1 & WORKER=$$!; \
		trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

setup: install vendor db data

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

# Front-end libraries come from npm (package-lock.json pins them) and are copied into a git-ignored folder.
vendor: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/leaflet static/vendor/leaflet.markercluster
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
		node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
		node_modules/leaflet.markercluster/dist/MarkerCluster.css \
		node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css static/vendor/leaflet.markercluster/
	@touch $@

db: install
	@$(MANAGE) migrate --noinput

data: db
	@$(MANAGE) load_regions
	@$(MANAGE) load_frameworks
	@$(MANAGE) load_history

# The whole suite on SQLite; set DATABASE_URL=postgres://... to run it on PostgreSQL.
test: install vendor
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal

test-fast: install vendor
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser and not slow"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install vendor
	$(PY) bench/run.py

messages: install
	$(MANAGE) makemessages -l id --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static/vendor
	$(MANAGE) compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache
