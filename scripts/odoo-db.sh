#!/usr/bin/env bash
# Database helpers: odoo-db.sh exists DB (exit 0 yes, 1 no, 2 no server) | drop DB
#                   | copy DB NEW (the database and its filestore, as Odoo duplicates)
source "$(dirname "$0")/lib.sh"

psql_cmd() {
  "$PY" - "$@" <<'PYCODE'
import sys
import psycopg2
from odoo.tools import config
config.parse_config(["-c", sys.argv[2]])
action, _conf, dbname = sys.argv[1:4]
try:
    conn = psycopg2.connect(
        dbname="postgres", host=config["db_host"] or None, port=config["db_port"] or None,
        user=config["db_user"] or None, password=config["db_password"] or None)
except psycopg2.OperationalError as exc:
    sys.stderr.write("error: cannot connect to PostgreSQL at %s:%s as %s: %s\n" % (
        config["db_host"], config["db_port"], config["db_user"], str(exc).strip()))
    sys.exit(2)
conn.autocommit = True
cr = conn.cursor()
if action == "exists":
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
    sys.exit(0 if cr.fetchone() else 1)
if action == "drop":
    cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,))
    cr.execute('DROP DATABASE IF EXISTS "%s"' % dbname.replace('"', '""'))
    # and its filestore, as Odoo's own drop does
    import shutil
    shutil.rmtree(config.filestore(dbname), ignore_errors=True)
PYCODE
}

copy_db() {
  "$PY" - "$CONF" "$1" "$2" <<'PYCODE'
import sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1]])
with odoo.api.Environment.manage():
    odoo.service.db.exp_duplicate_database(sys.argv[2], sys.argv[3])
PYCODE
}

action=${1:?usage: odoo-db.sh exists|drop|copy DB [NEW]}
db=${2:?database name}
case "$action" in
  exists|drop) psql_cmd "$action" "$CONF" "$db" ;;
  copy) copy_db "$db" "${3:?new database name}" ;;
  *) die "unknown action $action" ;;
esac
