# Quick start: `make demo`, `make test-fast` (unit tests, < 1 min) and `make test` (everything).
# Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/leadflow demo

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit-test loop: SQLite only, no PostgreSQL, browser, subprocess or large-input tests
# (markers in pyproject.toml), on two worker processes. tests/flows/prefect is all `slow` (a
# Prefect server); leaving the folder out also spares each worker importing Prefect. The five
# slowest tests are listed after every run: one that takes seconds probably wants `slow`.
# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set (as in many container images):
# compiling every module and rewriting every test's asserts again costs each worker seconds.
FAST_MARKERS := not slow and not postgres and not browser
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 -q -m "$(FAST_MARKERS)" \
		--ignore=tests/flows/prefect --durations=5 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) leadflow.db .pytest_cache .mypy_cache
