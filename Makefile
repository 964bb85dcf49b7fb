# crm_ext: run and test the add-on inside a real Odoo 11 on this machine.
# Each target does the set-up it needs (scripts/setup.sh skips what is done).
#   make run         serve Odoo with crm_ext on http://127.0.0.1:$(ODOO_PORT)
#   make run-workers two prefork servers (workers, cron worker, long polling) on one database
#   make load        locust on both servers for LOAD_TIME (5m) with LOAD_USERS (10); prints 'load: …'
#   make test        fresh test database, then pytest over crm_ext/tests and tests/
#   make host-check  Odoo's own test suites under the host compatibility layer
#   make bench       the benchmarks in bench/ (prints 'bench …' lines)
#   make demo-cdnow  CDNOW's sample through the history import, the churn model fitted
#   make wheel       the wheel odoo11-addon-crm_ext in .local/dist/ (setup/crm_ext)
#   make backup      the database DB (default: the demo's) and its filestore in one zip
#   make restore     FILE=backup.zip [DB=name]: a backup into a new database
#   make stop        stop the private PostgreSQL
SHELL := /bin/bash

.PHONY: setup run run-workers load test host-check bench demo-cdnow stop i18n readme wheel screenshots backup restore

setup:
	@scripts/setup.sh

run: setup
	@scripts/run.sh

run-workers: setup
	@scripts/run-workers.sh

load: setup
	@scripts/load.sh

test: setup
	@scripts/test.sh

host-check: setup
	@scripts/host-check.sh

bench: setup
	@scripts/bench.sh

demo-cdnow: setup
	@scripts/demo-cdnow.sh

wheel: setup
	@scripts/wheel.sh

backup: setup
	@scripts/backup.sh

restore: setup
	@scripts/restore.sh

stop:
	@scripts/pg.sh stop

i18n: setup
	@scripts/i18n.sh

screenshots:
	@scripts/usage-screenshots.sh

readme:
	@.venv/bin/python scripts/gen_addon_readme.py crm_ext
