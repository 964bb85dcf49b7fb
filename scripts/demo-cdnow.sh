#!/usr/bin/env bash
# make demo-cdnow: CDNOW's 2,357-customer sample (6,919 purchases) imported
# with crm_ext's history import into a database of its own, the churn model
# fitted as of 1997-09-30 from the invoices, its parameters, holdout and
# model card printed (scripts/demo_cdnow.py).
source "$(dirname "$0")/lib.sh"
DB=${CDNOW_DB:-crm_ext_cdnow}
fresh_cdnow_db "$DB"
exec "$PY" "$ROOT/scripts/demo_cdnow.py" -c "$CONF" -d "$DB" "$@"
