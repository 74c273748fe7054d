# Sunlight: the README's commands. Every target creates the virtual environment first when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint bench install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/sunlight migrate --noinput
	$(BIN)/sunlight demo
	$(BIN)/sunlight tick   # deadline warnings and the first signed tree head (what cron runs daily)
	@echo ""
	@echo "阳光执法已启动：公示门户 http://$(HOST):$(PORT)/  工作台 http://$(HOST):$(PORT)/workbench/"
	@echo "登录：用户名 admin / officer / unithead / reviewer / agencyhead / archivist / supervisor 等，密码 Sunlight@2026（见 README）"
	@echo ""
	SUNLIGHT_DEBUG=$${SUNLIGHT_DEBUG:-true} $(BIN)/sunlight runserver $(HOST):$(PORT)

# The whole suite: unit, API, property and browser tests (browser tests need Debian's chromium; .ci/run installs it).
test: $(STAMP)
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sunlight
	$(BIN)/sunlight makemigrations --check --dry-run

# Every bench/*.py except helpers named _*.py, in name order; `make bench BENCH=ledger` (or BENCH="ledger workdays")
# runs some; BENCH_ARGS goes to each script (e.g. BENCH_ARGS=--quick). A benchmark must not be named like a standard
# library module (bench/calendar.py would shadow `calendar`, since a script's directory comes first on sys.path).
BENCH ?= $(patsubst bench/%.py,%,$(filter-out bench/_%,$(sort $(wildcard bench/*.py))))
BENCH_ARGS ?=

bench: $(STAMP)
	@set -e; for name in $(basename $(notdir $(BENCH))); do \
	  test -f bench/$$name.py || { echo "make bench: no bench/$$name.py" >&2; exit 2; }; \
	  $(BIN)/python -c "import sys; sys.exit('make bench: bench/$$name.py has the name of a standard library module; rename it' if '$$name' in sys.stdlib_module_names else 0)"; \
	  echo "== bench/$$name.py"; \
	  DJANGO_SETTINGS_MODULE=sunlight.settings $(BIN)/python bench/$$name.py $(BENCH_ARGS); \
	done
