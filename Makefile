# The two Quick-start commands: `make serve` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
PORT   ?= 8000

.PHONY: install install-kit serve build test lint system-deps clean

# Two stamps: serving the demo needs the kit alone; the tests add the test extra (browsers'
# drivers, validators, build tools: about ten times as much to download).
KIT_STAMP = $(VENV)/.installed-kit

$(KIT_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(KIT_STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP) $(KIT_STAMP)

## Byte-compiles the kit too: where PYTHONDONTWRITEBYTECODE is set (CI images often do), every
## floor command would otherwise compile its modules again (about 50 ms each; docs/performance-log.md, "Where the time went").
install: $(STAMP)
	@$(BIN)/python -m compileall -q plugins

install-kit: $(KIT_STAMP)
	@$(BIN)/python -m compileall -q plugins

## Build the demo site from the sample questions and serve it at http://localhost:$(PORT)
## (installs only the kit, not the test extra)
serve: install-kit
	$(BIN)/floor --site . serve --port $(PORT)

build: install-kit
	$(BIN)/floor --site . build

## What the browser tests drive: Debian's chromium (and nodejs/npm if missing), then axe-core via `npm ci`
system-deps:
	@scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check .

## Everything: install, lint, then the whole test suite
test: install system-deps lint
	$(BIN)/python -m pytest -n auto

## The message catalogue (docs/translating.md): extract every reader-facing string, merge it into
## each language's .po, compile the .mo files the kit ships (commit all three kinds of file)
.PHONY: messages
messages: install
	$(BIN)/python scripts/messages.py

## The kit's theme analysed once for the page signatures, shipped with the kit
## (pelican_plugin/template_reads.json): after editing a template of the theme or upgrading Jinja
.PHONY: template-reads
template-reads: install
	$(BIN)/python scripts/template_reads.py

clean:
	rm -rf output .output.*.tmp .cache test-artifacts

## The speed bench (docs/performance.md): floor vs plain Pelican vs Hugo, the author's loop,
## the weekly job and start-up at 1,000, 5,000 and 10,000 posts, in one table (then
## bench/bench_queue.py's), then intake at volume (bench/bench_intake.py). About a quarter of an hour; `bench/bench_site.py --quick` for a smoke check.
BENCH_STAMP = $(VENV)/.installed-bench
.PHONY: bench
$(BENCH_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@$(BIN)/python -m compileall -q plugins
	$(BIN)/python bench/bench_site.py
	$(BIN)/python bench/bench_intake.py
