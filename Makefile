# The two commands a newcomer runs: `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
PYTEST_ARGS ?=
# Compile the catalogues that exist: until the first .po is written there is nothing to compile,
# and pybabel fails on an empty folder (a fresh clone has no vetting/translations at all).
COMPILE_CATALOGUES = if ls vetting/translations/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
	$(BIN)/pybabel compile -d vetting/translations >/dev/null; fi

.PHONY: help run test install lint format migrate demo worker bench translations clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE_CATALOGUES)
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its test tools

translations: $(STAMP) ## Extract messages and compile the catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -o vetting/translations/messages.pot .
	$(BIN)/pybabel update -i vetting/translations/messages.pot -d vetting/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d vetting/translations

run: $(STAMP) ## Migrate, seed the demo election if absent, and serve it on http://127.0.0.1:$(PORT)
	$(BIN)/pybabel compile -d vetting/translations >/dev/null
	VETTING_ENV=development $(BIN)/vetting db upgrade
	VETTING_ENV=development $(BIN)/vetting demo
	VETTING_ENV=development $(BIN)/vetting run --host 127.0.0.1 --port $(PORT)

test: $(STAMP) ## Run the whole suite (SQLite and in-process jobs unless VETTING_TEST_* are set)
	$(COMPILE_CATALOGUES)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, format check, and mypy --strict on the inner layers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP) ## Upgrade the database to the newest revision
	$(BIN)/vetting db upgrade

worker: $(STAMP) ## Run a background worker (needs VETTING_REDIS_URL)
	$(BIN)/vetting worker

bench: $(STAMP) ## Measure the audit chain on a scratch SQLite database (figures: docs/performance.md)
	@tmp=$$(mktemp -d); VETTING_INSTANCE_PATH=$$tmp VETTING_DATABASE_URL=sqlite:///$$tmp/bench.sqlite3 \
		$(BIN)/python benchmarks/audit_chain.py $${N:-2000}; rm -rf $$tmp

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
