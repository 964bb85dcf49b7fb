#!/usr/bin/env bash
# make backup [DB=name] [FILE=path.zip]: the database (by default the demo
# database) and its filestore in one zip, Odoo's database manager's format
# (by default in .local/data/backups/). See scripts/db_backup.py.
source "$(dirname "$0")/lib.sh"
[ "$PG_EMBEDDED" = 0 ] || export PATH="$(pg_bindir):$PATH"  # the cluster's pg_dump
exec "$PY" "$ROOT/scripts/db_backup.py" -c "$CONF" backup "${DB:-$ODOO_DB}" ${FILE:+"$FILE"}
