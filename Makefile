# renkei: the front door. `make run` serves the portal, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
STAMP := $(VENV)/.installed
# setuptools' generic note on every editable install (the project lives in its own working tree).
QUIET_EDITABLE := PYTHONWARNINGS='ignore:Editable installation'
# `make run` serves the portal as its users see it (Japanese error pages, hashed static files);
# DEBUG=true make run shows Django's debug pages instead.
export DEBUG ?= false

.PHONY: help install install-run run serve migrate load fonts test test-app test-postgres lint format \
        test-topology drills drills-ci fuzz migrations-check check-deploy browser validator accessibility-report demo demo-code bench bench-stats bench-search bench-newsletter bench-pages bench-disasters bench-http bench-cluster bench-matching bench-replies bench-pdf-flood bench-writers clean

help:
	@echo "make run              install, migrate, load data, serve on http://$(HOST):$(PORT)"
	@echo "make demo             like run, on a scratch database with people and work in it"
	@echo "make test             the whole suite (SQLite; again on PostgreSQL when CI=true)"
	@echo "make test-app APP=x   one app's tests, without the browser, drills and fuzzers (seconds)"
	@echo "make lint             ruff"
	@echo "make validator        Java and the Nu HTML Checker (vnu.jar) for the suite's HTML check"
	@echo "make accessibility-report  axe on every page; the results page reads the file it writes"
	@echo "make migrations-check fail when a model change has no migration"
	@echo "make check-deploy     Django's deployment checks with production settings"
	@echo "make drills           backup/restore, crash and the wards' writers, in full"
	@echo "make fuzz             the API (schemathesis) and every form (hypothesis), in full"
	@echo "make bench            compare the WSGI servers on the home page"
	@echo "make bench-pages      rendered vs cached public pages"
	@echo "make bench-disasters  the disaster pages over 230,000 dispatch records"
	@echo "make bench-newsletter 全国連携NEWS vol.1: compose, print, size"
	@echo "make bench-http       public pages and 災害モード under load, as shares of nginx (wrk, nginx)"
	@echo "make bench-cluster    the production shape here: nginx, two app servers, PostgreSQL, Redis (wrk)"
	@echo "make bench-matching   連携マッチング: precision@5, recall@10 and two baselines; one list over 5,300 wishes"
	@echo "make bench-pdf-flood  a ward's page and the sign-in page while 50 connections ask for a 第N報 PDF (wrk)"
	@echo "make bench-writers    92 ward writers and readers on one database (SQLite; DATABASE_URL for PostgreSQL)"
	@echo "make bench-replies    a reply by mail against the desk's answer; 23 wards at once; reading hostile HTML"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# What serving needs, without the test tools: `make run` and `make demo` on a fresh machine.
RUN_STAMP := $(VENV)/.installed-run
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

install-run: $(RUN_STAMP)

migrate: install-run
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0

load: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py load_newsletter

run: load fonts serve

# A scratch portal with people and work in it (var/demo.sqlite3, made afresh each time): the
# accounts and the password are printed before it serves. `make demo-code`: the secretariat's code.
DEMO_DB := sqlite:///$(CURDIR)/var/demo.sqlite3
demo: install-run
	mkdir -p var && rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	DATABASE_URL=$(DEMO_DB) $(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py collectstatic --no-input -v0
	DATABASE_URL=$(DEMO_DB) $(BIN)/python manage.py load_reference_data
	DATABASE_URL=$(DEMO_DB) $(BIN)/python manage.py load_newsletter > /dev/null
	DATABASE_URL=$(DEMO_DB) $(BIN)/python manage.py load_demo
	DATABASE_URL=$(DEMO_DB) $(MAKE) --no-print-directory serve

demo-code:
	@DATABASE_URL=$(DEMO_DB) $(BIN)/python manage.py load_demo --code

# The web server, and beside it the worker that runs queued work (board notifications).
# Links in mail follow where the portal is served, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

# Replies by mail: the enquiry mails (var/mail/) carry reply+…@$(REPLY_DOMAIN); a reply sent to
# smtp://127.0.0.1:$(MAIL_PORT) is read as the mail server would hand it over (docs/deploy.md).
REPLY_DOMAIN ?= renkei.localhost
MAIL_PORT ?= 2525
export REPLY_DOMAIN

serve:
	$(BIN)/python -m renkei.worker & worker=$$!; \
	$(BIN)/python manage.py mail_listener --port $(MAIL_PORT) & listener=$$!; \
	trap 'kill $$worker $$listener 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m renkei.server --host $(HOST) --port $(PORT) --workers $(WORKERS) --access-log

# Debian's Noto CJK fonts: the printed PDFs (全国連携NEWS, 第N報) embed them.
fonts:
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK" && fc-list 2>/dev/null | grep -q "Noto Sans Thai" \
		&& fc-list 2>/dev/null | grep -q "Noto Color Emoji" || { \
		echo "installing the Noto fonts the printed forms use (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji >/dev/null; }

# Headless Chromium from Debian's packages, for the accessibility suite; poppler-utils reads the PDFs back.
browser: fonts
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v pdftotext >/dev/null 2>&1 || { \
		echo "installing poppler-utils (Debian package)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

# The whole suite runs on every core (pytest-xdist); each worker starts from a copy of the
# reference database (conftest.py), built once and kept in var/test-reference/ until the code changes.
PARALLEL ?= -n auto --dist worksteal

# The Nu HTML Checker (the W3C's vnu.jar, from npm) and Java from Debian, for the suite's HTML check.
VNU_VERSION := 26.9.27
validator:
	@command -v java >/dev/null 2>&1 || { \
		echo "installing Java (Debian package default-jre-headless)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@[ -f var/tools/node_modules/vnu-jar/build/dist/vnu.jar ] || { \
		echo "installing the Nu HTML Checker (npm vnu-jar@$(VNU_VERSION))"; \
		mkdir -p var/tools && npm install --prefix var/tools --silent --no-audit --no-fund vnu-jar@$(VNU_VERSION) >/dev/null; }

test: install browser validator
	RENKEI_ENV=test $(BIN)/pytest -q $(PARALLEL)
	@if [ "$(CI)" = "true" ]; then $(MAKE) --no-print-directory lint test-postgres test-topology drills-ci; fi

test-postgres: install
	RENKEI_ENV=test DATABASE_URL=$${POSTGRES_TEST_URL:-postgres://renkei:renkei@127.0.0.1:5432/renkei} \
		$(BIN)/pytest -q $(PARALLEL)

# A developer's loop: one app (APP=registry), or all, without the browser, the drills and the fuzzers.
test-app: install
	RENKEI_ENV=test $(BIN)/pytest -q -m "not browser and not drill and not fuzz" renkei/$(APP)

# The production shape on this machine: nginx (deploy/nginx/renkei.conf), two app servers, Redis,
# PostgreSQL and Postfix for replies by mail (Debian's nginx, redis-server and postfix; as root;
# POSTGRES_TEST_URL as for test-postgres).
test-topology: install
	RENKEI_ENV=test POSTGRES_TEST_URL=$${POSTGRES_TEST_URL:-postgres://renkei:renkei@127.0.0.1:5432/renkei} \
		$(BIN)/pytest -q --topology

# The drills (docs/deploy.md): backup and restore with writers writing, the server killed while
# writes are acknowledged, and the wards' 92 writers on SQLite (0 locked, p99 under 500 ms).
# The suite runs the first two at a small scale; CI runs the writers at a small scale too.
drills: install
	RENKEI_ENV=test CRASH_ROUNDS=20 $(BIN)/pytest -q renkei/core/tests/test_backup.py renkei/core/tests/test_crash.py
	RENKEI_ENV=test POSTGRES_TEST_URL=$${POSTGRES_TEST_URL:-postgres://renkei:renkei@127.0.0.1:5432/renkei} \
		DATABASE_URL=$${POSTGRES_TEST_URL:-postgres://renkei:renkei@127.0.0.1:5432/renkei} \
		$(BIN)/pytest -q renkei/core/tests/test_backup.py
	$(BIN)/python bench/writers.py --seconds 60 --check --max-p99 500

# Fuzzing: schemathesis over the whole OpenAPI document (1,000 cases an operation, every check)
# and hypothesis-generated submissions to every form (up to 500 a form). The suite runs both smaller.
fuzz: install
	rm -f var/fuzz-forms.tsv
	RENKEI_ENV=test FUZZ_EXAMPLES=1000 FORM_FUZZ_EXAMPLES=500 FUZZ_REPORT=var/fuzz-forms.tsv $(BIN)/pytest -q \
		renkei/api/tests/test_fuzz.py renkei/core/tests/test_forms_fuzz.py
	@awk -F'\t' '{forms += $$2; sent += $$3} END {print sent " submissions to " forms " forms, no server error"}' \
		var/fuzz-forms.tsv

drills-ci: install
	$(BIN)/python bench/writers.py --seconds 10 --writers 24 --readers 4 --check

# Run the accessibility suite and publish its results on /accessibility/results/ (commit the file).
accessibility-report: install browser
	RENKEI_ENV=test ACCESSIBILITY_REPORT=renkei/portal/data/accessibility.json \
		$(BIN)/pytest -q -p no:xdist renkei/core/tests/test_accessibility.py

# ruff (its S rules are bandit's), and bandit itself at medium severity and up: every finding
# left is marked in the line with `# nosec <test> (why)`.
lint: install
	$(BIN)/ruff check renkei scripts bench
	$(BIN)/bandit -q -r renkei -ll \
		--exclude "renkei/testing.py,$$(find renkei -path '*/tests' -o -path '*/migrations' | paste -sd, -)"

format: install
	$(BIN)/ruff format renkei scripts bench

migrations-check: install
	RENKEI_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	RENKEI_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=renkei.example.jp \
		DATABASE_URL=sqlite:///tmp/renkei-check.sqlite3 $(BIN)/python manage.py check --deploy --fail-level WARNING

bench-stats: install
	$(BIN)/python bench/stats.py

bench-search: install
	$(BIN)/python bench/board_search.py

bench-disasters: install
	$(BIN)/python bench/disasters.py

bench-http: install
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/public_load.py

# nginx in front of two app servers, PostgreSQL and Redis on this machine (POSTGRES_TEST_URL as
# for test-postgres; Debian's nginx, redis-server and wrk).
bench-cluster: install
	POSTGRES_TEST_URL=$${POSTGRES_TEST_URL:-postgres://renkei:renkei@127.0.0.1:5432/renkei} $(BIN)/python bench/cluster.py

bench-matching: install
	$(BIN)/python bench/matching.py

bench-replies: install
	$(BIN)/python bench/replies.py

bench-pdf-flood: install
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/pdf_flood.py

bench-writers: install
	$(BIN)/python bench/writers.py

bench-newsletter: install
	$(BIN)/python bench/newsletter.py --runs 10

bench-pages: install
	$(BIN)/python bench/page_cache.py --requests 100

bench: install
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/wsgi_servers.py

clean:
	rm -rf $(VENV) var .pytest_cache
