#!/usr/bin/env bash
# make bench: the benchmarks in bench/, on a database of their own
# (crm_ext with Odoo's demo data, which brings a chart of accounts, and the
# smallest demo customer base; the generated data is kept for later runs).
source "$(dirname "$0")/lib.sh"
DB=${BENCH_DB:-crm_ext_bench}
if ! "$ROOT/scripts/odoo-db.sh" exists "$DB"; then
  log "creating $DB"
  CRM_EXT_DEMO_CUSTOMERS=1 install_crm_ext "$DB" --log-level=warn
else
  "$ODOO" -c "$CONF" -d "$DB" -u crm_ext --stop-after-init --log-level=warn
fi
for bench in "$ROOT"/bench/bench_*.py; do
  "$PY" "$bench" -c "$CONF" -d "$DB"
done
