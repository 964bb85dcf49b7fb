#!/usr/bin/env bash
# make run: create (or upgrade) the demo database, then serve it.
source "$(dirname "$0")/lib.sh"

prepare_demo_db "$ODOO_DB"
log "serving $ODOO_DB on http://127.0.0.1:$ODOO_PORT (login admin / admin; Ctrl-C stops)"
# queue_job's runner (the background history import) starts with the server
# when it is loaded server-wide; its channels are in odoo.conf [queue_job]
exec "$ODOO" -c "$CONF" -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" --http-port="$ODOO_PORT" \
  --longpolling-port=$((ODOO_PORT + 3)) --load=web,queue_job
