# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
DEMO_PUBLICATIONS ?= 300
SCALE ?= full
BENCH_OUT ?= bench-results.json
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench

# The embedded default: SQLite, jobs in-process, e-mail printed to the console.
RUN_ENV := DEBUG=1 CELERY_TASK_ALWAYS_EAGER=1 EMAIL_URL=consolemail:// MFA_REQUIRED_FOR_STAFF=0

.PHONY: install run test test-fast lint typecheck format check-migrations messages clean bench system-deps-run system-deps-test lint-migrations

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt ".[test]"
	touch $(STAMP)

install: $(STAMP)

# System packages (apt) and, for the tests, PostgreSQL and Redis: scripts/system-deps.
system-deps-run:
	@scripts/system-deps run

system-deps-test:
	@scripts/system-deps test

run: install system-deps-run
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_forums
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --publications $(DEMO_PUBLICATIONS) --reset
	$(RUN_ENV) $(BIN)/python manage.py prepare_annual_reports
	$(RUN_ENV) $(BIN)/python manage.py demo_logins
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs, configured in pyproject.toml (strict on services and selectors).
# The plugin imports the settings: DEBUG=1 stands in for a SECRET_KEY. Incremental, in
# .mypy_cache: a run after a small change takes a few seconds.
typecheck: install
	DEBUG=1 $(BIN)/mypy

check-migrations: install
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# The migration linter (README, "Upgrades"): squawk over every migration's PostgreSQL SQL,
# with the accepted findings of old migrations in migration-lint.toml. It needs the
# PostgreSQL server of DATABASE_URL (it makes and drops a scratch database there); ~1 min.
lint-migrations: install system-deps-test
	DEBUG=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python manage.py lint_migrations

test: install system-deps-test lint typecheck check-migrations lint-migrations
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m pytest

# Everything but the browser, worker and slow tests, on two processes: under a minute,
# while working on the code.
test-fast: install system-deps-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m pytest \
		-m "not browser and not worker and not slow" -q -n 2

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks (README.md, "Performance"): `make bench` or `make bench SCALE=small`.
bench: install system-deps-test
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) SCALE=$(SCALE) BENCH_OUT=$(BENCH_OUT) \
		$(BIN)/python -m bench

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l ru --ignore=.venv
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .mypy_cache
