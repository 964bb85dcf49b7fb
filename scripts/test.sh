#!/usr/bin/env bash
# make test: a fresh test database with crm_ext (and demo data) installed,
# then pytest (with pytest-odoo) over crm_ext/tests and tests/.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/log"
INSTALL_LOG="$LOCAL/log/test-install.log"

# a smaller demo customer base keeps the test database quick to build (the
# generator, which posts real invoices, is exercised all the same)
export CRM_EXT_DEMO_CUSTOMERS=${CRM_EXT_DEMO_CUSTOMERS:-30}
log "creating test database $ODOO_TEST_DB with crm_ext"
: > "$INSTALL_LOG"  # Odoo appends to its log file
"$ROOT/scripts/odoo-db.sh" drop "$ODOO_TEST_DB"
if ! install_crm_ext "$ODOO_TEST_DB" --log-level=warn --logfile="$INSTALL_LOG"; then
  tail -40 "$INSTALL_LOG" >&2
  die "installing crm_ext in $ODOO_TEST_DB failed"
fi
if grep -E " (ERROR|CRITICAL) |^Traceback" "$INSTALL_LOG" >&2; then
  die "installing crm_ext logged errors (see $INSTALL_LOG)"
fi

export ODOO_TEST_CONF="$CONF" ODOO_TEST_DB
cd "$ROOT"
exec "$VENV/bin/pytest" --odoo-config="$CONF" --odoo-database="$ODOO_TEST_DB" \
  --odoo-log-level=warn -p no:cacheprovider "$@" crm_ext/tests tests
