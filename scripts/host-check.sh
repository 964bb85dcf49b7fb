#!/usr/bin/env bash
# make host-check: Odoo's own test suites of crm, sale, sale_stock, stock,
# account and mail, run by Odoo's own runner (--test-enable) under the host
# compatibility layer on a fresh database.  The dependencies are installed
# first without tests, so the suites that run are those of the six modules
# (and of the modules their installation pulls in automatically).
source "$(dirname "$0")/lib.sh"
MODULES=${HOST_CHECK_MODULES:-crm,sale,sale_stock,stock,account,mail}
DB=${HOST_CHECK_DB:-crm_ext_hostcheck}
mkdir -p "$LOCAL/log"
LOG="$LOCAL/log/host-check.log"

deps=$("$PY" "$ROOT/scripts/host_check_report.py" --dependencies "$MODULES")
log "fresh database $DB; installing the dependencies of $MODULES without tests"
"$ROOT/scripts/odoo-db.sh" drop "$DB"
"$ODOO" -c "$CONF" -d "$DB" -i "$deps" --stop-after-init --log-level=warn \
  --logfile="$LOCAL/log/host-check-deps.log" || die "installing $deps failed"
log "installing $MODULES with their tests (about 15 minutes on 2 cores); log in $LOG"
"$ODOO" -c "$CONF" -d "$DB" -i "$MODULES" --test-enable --stop-after-init \
  --log-level=info --logfile="$LOG" || true
exec "$PY" "$ROOT/scripts/host_check_report.py" --modules "$MODULES" "$LOG"
