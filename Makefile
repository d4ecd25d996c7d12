# The two commands: `make run` and `make test`. Both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app qa
INSTALLED := $(VENV)/.installed
ASSETS := qa/static/application.css

.PHONY: run test check assets db demo bench serve-prod clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): node_modules/.installed qa/static_src/application.scss qa/static_src/application.mjs qa/static_src/build.mjs
	npm run --silent build

assets: $(ASSETS)

db: $(INSTALLED)
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo --if-empty

# The scheduler runs inside the development server, started once: --no-reload keeps the
# reloader from starting a second server process (and so a second scheduler).
run: $(INSTALLED) $(ASSETS) demo
	QA_RUN_SCHEDULER=1 $(FLASK) run --no-reload --host 127.0.0.1 --port 5000

check: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: $(INSTALLED) $(ASSETS) check
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(PY) -m pytest; \
	else \
	  url=$$($(PY) tests/throwaway_db.py create); \
	  if [ -n "$$url" ]; then echo "Also testing on PostgreSQL (throwaway database)"; fi; \
	  TEST_DATABASE_URL="$$url" $(PY) -m pytest; status=$$?; \
	  if [ -n "$$url" ]; then $(PY) tests/throwaway_db.py drop "$$url"; fi; \
	  exit $$status; \
	fi

serve-prod: $(INSTALLED) $(ASSETS)
	$(PY) scripts/serve_prod.py

bench: $(INSTALLED) $(ASSETS)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) node_modules qa/static
