# followup: the two set-up commands are `make demo` and `make test`. Only python3 and make are needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# the duckdb-cli wheel installs the `duckdb` shell without the executable bit
	@chmod +x $(BIN)/duckdb
	@touch $(STAMP)

install: $(STAMP)

## make demo: made-up exports -> one nightly run -> the result table (home folder: ./demo-home)
demo: $(STAMP)
	$(BIN)/followup demo --home demo-home

## make test: lint, type check and the whole test suite
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src flows tests
	$(BIN)/ruff format --check src flows tests

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

## make bench: read, validate and anonymise a made-up 1,000,000-row export, timed and measured beside DuckDB's
## read_csv; then score, compute, suppress, write and publish the result tables of 100,000 made-up graduates
bench: $(STAMP)
	$(BIN)/python tests/bench/stages.py
	$(BIN)/python tests/bench/results.py

clean:
	rm -rf demo-home .pytest_cache .mypy_cache .ruff_cache
