# The two commands: `make run` and `make test`. Both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run` and its set-up are development unless QA_ENV_NAME says otherwise: any other
# environment needs a secret key of its own (see README, "Deploying").
FLASK := QA_ENV_NAME=$${QA_ENV_NAME:-development} $(VENV)/bin/flask --app qa
INSTALLED := $(VENV)/.installed
ASSETS := qa/static/application.css

.PHONY: run test check assets db demo bench bench-ha serve-prod clean pdf-libraries chromium haproxy

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

# The PDFs (WeasyPrint) need Pango from the system; HarfBuzz's subsetter makes the embedded
# fonts small and byte-stable, and Liberation Sans is Arial's metric twin. Installed with
# apt-get when missing (Debian, Ubuntu); elsewhere, install your system's equivalents.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

pdf-libraries: $(INSTALLED)
	@if ! $(PY) -c 'import weasyprint.text.ffi as f; assert f.harfbuzz_subset' 2>/dev/null \
	  || ! fc-list 2>/dev/null | grep -q 'Liberation Sans'; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES); \
	  else \
	    echo "The PDFs need Pango, HarfBuzz and fonts: install $(PDF_PACKAGES) or equivalents"; \
	  fi; \
	fi

db: $(INSTALLED)
	$(FLASK) db upgrade

# The council profile the demo is loaded under the first time: make run PROFILE=havering.
PROFILE ?= coventry

demo: db
	$(FLASK) demo --if-empty --profile $(PROFILE)

# The scheduler runs inside the development server, started once: --no-reload keeps the
# reloader from starting a second server process (and so a second scheduler).
run: $(INSTALLED) $(ASSETS) pdf-libraries demo
	QA_RUN_SCHEDULER=1 $(FLASK) run --no-reload --host 127.0.0.1 --port 5000

check: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -c pyproject.toml --severity-level medium -r qa sampling audit_tools trend_maths
	@# pip-audit reads each installed release's entry in PyPI's JSON API. Where that API cannot
	@# be reached (a mirror that serves only the package index) it is skipped, and says so;
	@# where it can, every package must be audited (--strict) and any known vulnerability fails.
	@if $(PY) -c 'import json, urllib.request, pip; json.load(urllib.request.urlopen(f"https://pypi.org/pypi/pip/{pip.__version__}/json", timeout=15))["info"]' 2>/dev/null; then \
	  $(VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off; \
	else \
	  echo "pip-audit skipped: PyPI's JSON API for releases cannot be reached from this machine"; \
	fi

# The browser tests drive Debian's Chromium (never a browser Playwright downloads). Installed
# with apt-get when missing and running as root; otherwise those tests skip and say why.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium chromium-driver; \
	  else \
	    echo "Chromium is not at /usr/bin/chromium: the browser tests will be skipped"; \
	  fi; \
	}

# The suite runs on every core (pytest-xdist), each worker with its own databases; work is
# shared out as workers finish, so the slow browser journeys do not hold the others back.
PYTEST_PARALLEL ?= -n auto --dist worksteal

test: $(INSTALLED) $(ASSETS) pdf-libraries chromium check
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(PY) -m pytest $(PYTEST_PARALLEL); \
	else \
	  url=$$($(PY) tests/throwaway_db.py create); \
	  if [ -n "$$url" ]; then echo "Also testing on PostgreSQL (throwaway database)"; fi; \
	  TEST_DATABASE_URL="$$url" $(PY) -m pytest $(PYTEST_PARALLEL); status=$$?; \
	  if [ -n "$$url" ]; then $(PY) tests/throwaway_db.py drop "$$url"; fi; \
	  exit $$status; \
	fi

serve-prod: $(INSTALLED) $(ASSETS) pdf-libraries
	$(PY) scripts/serve_prod.py

# One table of speed figures, each beside its floor. With PostgreSQL on 127.0.0.1:5432 (user
# postgres) it also makes, times and drops its own databases (a million answers; a load test
# of 200 users against gunicorn); without one it prints the rest and says what it skipped.
# About 12 minutes. BENCH_SKIP_SCALE=1 skips the million-row parts; BENCH_LOAD_SECONDS=60
# shortens the load test (300 s by default); BENCH_COUNTY=1 adds the trends page on a county
# of 10,000 staff and 5,000,006 answers (scripts/bench_county.py, about 10 minutes more).
bench: $(INSTALLED) $(ASSETS) pdf-libraries
	$(PY) scripts/bench.py

# Two app hosts (a gunicorn group and a scheduler each) behind HAProxy, on 127.0.0.1: host A
# dies (SIGKILL) during the load test and starts again; it counts the failed requests, checks
# that no write was lost or made twice and that the scheduler's lead moved. About 9 minutes;
# BENCH_LOAD_SECONDS=60 and BENCH_LOAD_USERS shorten it.
bench-ha: $(INSTALLED) $(ASSETS) pdf-libraries haproxy
	$(PY) scripts/bench_ha.py

# HAProxy from Debian's package, installed with apt-get when missing and running as root.
haproxy:
	@test -x /usr/sbin/haproxy || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq haproxy; \
	  else \
	    echo "HAProxy is not at /usr/sbin/haproxy: install Debian's haproxy package"; exit 1; \
	  fi; \
	}

clean:
	rm -rf $(VENV) node_modules qa/static
