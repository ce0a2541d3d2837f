# Everything runs from a venv this Makefile creates itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean fixtures

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sim up

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check sim tests

bench: $(STAMP)
	$(BIN)/sim bench --out artifacts/bench.json

fixtures: $(STAMP)
	$(BIN)/sim export --seed 42 --users 50 --groups 8 --format csv --format ldif --format scim --clean --out fixtures

clean:
	rm -rf $(VENV) .sim
