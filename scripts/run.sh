#!/usr/bin/env bash
# make run: create (or upgrade) the demo database, then serve it.
source "$(dirname "$0")/lib.sh"

if "$ROOT/scripts/odoo-db.sh" exists "$ODOO_DB"; then
  log "upgrading crm_ext in $ODOO_DB"
  "$ODOO" -c "$CONF" -d "$ODOO_DB" -u crm_ext --stop-after-init --log-level=warn
else
  status=$?
  [ "$status" = 1 ] || exit "$status"
  log "creating $ODOO_DB with demo data and crm_ext (a few minutes the first time)"
  install_crm_ext "$ODOO_DB" --log-level=warn
fi
log "serving $ODOO_DB on http://127.0.0.1:$ODOO_PORT (login admin / admin; Ctrl-C stops)"
# queue_job's runner (the background history import) starts with the server
# when it is loaded server-wide; its channels are in odoo.conf [queue_job]
exec "$ODOO" -c "$CONF" -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" --http-port="$ODOO_PORT" \
  --longpolling-port=$((ODOO_PORT + 3)) --load=web,queue_job
