# Everything runs from a venv this Makefile creates itself, installed with the versions CI tests with.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := constraints.txt
PIP := $(BIN)/pip install -q -c $(CONSTRAINTS)
# `make run` needs only the package and the SDK API; `make test` (and lint, bench, ...) the test toolchain.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean fixtures dist

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) -e '.[sdk,yaml]'
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) -e '.[test,sdk,pytest,yaml]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/sim up

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check sim tests

bench: $(STAMP)
	$(BIN)/sim bench --out artifacts/bench.json

fixtures: $(STAMP)
	$(BIN)/sim export --seed 42 --users 50 --groups 8 --format csv --format ldif --format scim --scenario joiners-movers-leavers --clean --out fixtures

# A wheel and an sdist in dist/ (python -m build; `build` is in the test toolchain).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) .sim dist
