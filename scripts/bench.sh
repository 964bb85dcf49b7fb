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
  # a dependency added since the database was made is installed with the update
  "$ODOO" -c "$CONF" -d "$DB" -i queue_job,report_xlsx,board -u crm_ext --stop-after-init --log-level=warn
fi
BASE_DB=${BENCH_BASE_DB:-crm_ext_bench_base}
if ! "$ROOT/scripts/odoo-db.sh" exists "$BASE_DB"; then
  log "creating $BASE_DB (the same Odoo without crm_ext)"
  install_crm_ext_dependencies "$BASE_DB" --log-level=warn
else
  # made before rating, queue_job, report_xlsx and board were among the dependencies: their
  # cost would count as crm_ext's
  "$ODOO" -c "$CONF" -d "$BASE_DB" -i rating,queue_job,report_xlsx,board --stop-after-init --log-level=warn
fi
# and the same again with crm_ext: invoice validation with and without it
SMALL_DB=${BENCH_SMALL_DB:-crm_ext_bench_small}
if ! "$ROOT/scripts/odoo-db.sh" exists "$SMALL_DB"; then
  log "creating $SMALL_DB (a copy of $BASE_DB with crm_ext)"
  "$ROOT/scripts/odoo-db.sh" copy "$BASE_DB" "$SMALL_DB"
  CRM_EXT_DEMO_CUSTOMERS=1 "$ODOO" -c "$CONF" -d "$SMALL_DB" -i crm_ext --stop-after-init \
    --log-level=warn
else
  "$ODOO" -c "$CONF" -d "$SMALL_DB" -i queue_job,report_xlsx,board -u crm_ext --stop-after-init --log-level=warn
fi
# CDNOW's sample is imported into a database of its own, without demo data
export BENCH_CDNOW_DB=${BENCH_CDNOW_DB:-crm_ext_bench_cdnow}
fresh_cdnow_db "$BENCH_CDNOW_DB"
for bench in "$ROOT"/bench/bench_*.py; do
  "$PY" "$bench" -c "$CONF" -d "$DB" --base-database "$BASE_DB" --small-database "$SMALL_DB"
done
