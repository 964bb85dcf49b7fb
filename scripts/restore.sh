#!/usr/bin/env bash
# make restore FILE=path.zip [DB=name]: a backup of 'make backup' (or of
# Odoo's database manager) into a new database, by default the one it was
# made from, with its filestore. See scripts/db_backup.py.
source "$(dirname "$0")/lib.sh"
[ -n "${FILE:-}" ] || die "usage: make restore FILE=backup.zip [DB=name]"
[ "$PG_EMBEDDED" = 0 ] || export PATH="$(pg_bindir):$PATH"  # the cluster's psql
exec "$PY" "$ROOT/scripts/db_backup.py" -c "$CONF" restore "$FILE" ${DB:+"$DB"}
