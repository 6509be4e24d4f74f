# The two Quick-start commands: `make serve` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
PORT   ?= 8000

.PHONY: install serve build test lint system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Build the demo site from the sample questions and serve it at http://localhost:$(PORT)
serve: install
	$(BIN)/floor --site . serve --port $(PORT)

build: install
	$(BIN)/floor --site . build

## What the browser tests drive: Debian's chromium (and nodejs/npm if missing), then axe-core via `npm ci`
system-deps:
	@scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check .

## Everything: install, lint, then the whole test suite
test: install system-deps lint
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf output .cache test-artifacts
