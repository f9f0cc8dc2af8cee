# The two commands: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SANDBOX_PORT ?= 8099
HOST ?= 127.0.0.1
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: demo test venv install install-dev lock messages migrate seed serve lint format check schema bench clean

# A new venv gets its installer first: the pip of requirements-bootstrap.lock (pinned, hash-checked),
# whatever pip the interpreter bundled (3.11's 23.2.1 resolves `fonttools[woff]` outside the
# lock's pins in --require-hashes mode). docs/DEPENDENCIES.md, "How installs are pinned".
$(VENV)/.bootstrapped: requirements-bootstrap.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --require-hashes -r requirements-bootstrap.lock 2>$(VENV)/pip-errors.log \
		|| { grep -v "is ignored: it is neither" $(VENV)/pip-errors.log >&2; exit 1; }
	touch $@

# Installs come from the lock files (exact versions, every file's sha256); the
# requirements*.txt ranges are what people edit, `make lock` turns them into locks.
# pip's messages are shown only when it fails.
PIP_LOCKED := $(BIN)/python -m pip install $(PIP_QUIET) --require-hashes

$(VENV)/.installed: requirements.lock $(VENV)/.bootstrapped
	$(PIP_LOCKED) -r requirements.lock 2>$(VENV)/pip-errors.log \
		|| { grep -v "is ignored: it is neither" $(VENV)/pip-errors.log >&2; exit 1; }
	$(BIN)/python -c "import django, celery, weasyprint, import_export"
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP_LOCKED) -r requirements-dev.lock 2>$(VENV)/pip-errors.log \
		|| { grep -v "is ignored: it is neither" $(VENV)/pip-errors.log >&2; exit 1; }
	$(BIN)/python -c "import pytest, playwright, factory"
	touch $@

venv: $(VENV)/.installed
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make lock: requirements.lock and requirements-dev.lock from the ranges in requirements*.txt,
## for CPython 3.11 on Linux x86_64 (the image and CI), keeping the versions already locked
## where they still fit; `make lock UPGRADE=1` takes the newest versions the ranges allow.
## The dev lock is constrained by the runtime lock, and the bootstrap lock (pip) by the dev lock,
## so all pin the same versions.
## tests/portal/test_supply_chain.py fails while a lock is out of step with its ranges.
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: install-dev
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock
	$(LOCK) requirements-bootstrap.txt --constraint requirements-dev.lock -o requirements-bootstrap.lock

messages: install
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages -v0 --ignore=.venv; \
	else echo "gettext (msgfmt) is missing: pages stay in Vietnamese only (apt-get install gettext)"; fi

migrate: messages
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

## make demo: set up everything and serve the portal with the demo province
# The demo syncs with the national portal's stand-in served by the portal itself
# (/hop-cat/dvcqg/…): what the seed recorded goes out once the server is up.
# The demo's officers log in with their password alone; production requires the
# authenticator code (try it here with `make demo SECOND_FACTOR_REQUIRED=true`).
demo: export SECOND_FACTOR_REQUIRED ?= false
demo: export NATIONAL_SYNC_ENABLED = true
demo: export NATIONAL_SYNC_CREATE_URL = http://$(HOST):$(PORT)/hop-cat/dvcqg/them-moi/
demo: export NATIONAL_SYNC_UPDATE_URL = http://$(HOST):$(PORT)/hop-cat/dvcqg/cap-nhat/
# The sandbox payment gateway (VNPay 2.1.0) beside the portal, stopped with it.
demo: export VNPAY_PAYMENT_URL = http://$(HOST):$(SANDBOX_PORT)/paymentv2/vpcpay.html
demo: export VNPAY_API_URL = http://$(HOST):$(SANDBOX_PORT)/merchant_webapi/api/transaction
demo: export VNPAY_STATEMENT_URL = http://$(HOST):$(SANDBOX_PORT)/statement
# The periodic work (version switch, reminders, digests, sync retries, reconciliation): Celery
# beat beside the server; without Redis its tasks run in its own process (eager), with
# REDIS_URL a worker runs them. The daily ones also run once when the demo starts.
# (The queues sit in a variable: a comma written inside $(if …) would split its arguments.)
CELERY_QUEUES := default,notifications,payments,documents
PERIODIC = $(if $(REDIS_URL),$(BIN)/celery -A portal worker --beat -l warning --concurrency 2 \
	-Q $(CELERY_QUEUES) --pidfile=,$(BIN)/celery -A portal beat -l warning --pidfile=)
demo: seed
	$(BIN)/python manage.py collectstatic --no-input -v0
	@$(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)/
	@$(BIN)/python -m payments.sandbox --host $(HOST) --port $(SANDBOX_PORT) \
		--ipn-url http://$(HOST):$(PORT)/payments/vnpay/ipn/ & SANDBOX=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload & WEB=$$!; \
	$(PERIODIC) & PERIODIC=$$!; \
	trap 'kill $$SANDBOX $$WEB $$PERIODIC 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m portal.demo.wait http://$(HOST):$(PORT)/healthz && \
	$(BIN)/python manage.py national_push && \
	$(BIN)/python manage.py run_periodic --daily >/dev/null 2>&1; \
	wait $$WEB

## make test: install test requirements and run the whole suite, one pytest-xdist worker per
## core (each worker its own test database and Redis databases: tests/settings.py);
## TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install-dev messages
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make schema: rewrite docs/openapi.yaml from the code (a test fails when they differ)
schema: install
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## make bench: every benchmark against the generated province (created, generated and its facts built the
## first time, ~25 min), then docs/BENCHMARKS.md rewritten from the figures (benchmarks/run.py, ~1 h in all).
## make bench ONLY=desk,kpi re-runs some and keeps the others' last figures.
PROVINCE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_province
bench: install-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || \
		{ echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
	PROVINCE_DATABASE_URL=$(PROVINCE_DATABASE_URL) $(BIN)/python -m benchmarks.run $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) var staticfiles
