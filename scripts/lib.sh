# Shared settings of the project's commands; sourced, not run.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
ODOO="$VENV/bin/odoo"
CONF="$LOCAL/odoo.conf"
PYTHON_BIN=${PYTHON:-python3.11}
# lessc (npm) compiles Odoo 11's backend stylesheets wherever Odoo runs
export PATH="$ROOT/node_modules/.bin:$PATH"

ODOO_PORT=${ODOO_PORT:-8069}
ODOO_DB=${ODOO_DB:-crm_ext_demo}
ODOO_TEST_DB=${ODOO_TEST_DB:-crm_ext_test}

# An external PostgreSQL is used when ODOO_DB_HOST is set; otherwise the
# project runs its own cluster in .local/pg, reachable only by a Unix socket.
if [ -n "${ODOO_DB_HOST:-}" ]; then
  PG_EMBEDDED=0
  DB_HOST=$ODOO_DB_HOST
  DB_PORT=${ODOO_DB_PORT:-5432}
  DB_USER=${ODOO_DB_USER:-odoo}
  DB_PASSWORD=${ODOO_DB_PASSWORD:-}
else
  PG_EMBEDDED=1
  checkout_id=$(printf %s "$ROOT" | sha1sum | cut -c1-12)
  PG_BASE="$LOCAL/pg"
  # As root the cluster runs as 'postgres', which must be able to enter the
  # checkout; a checkout under a private directory (a mktemp -d, /root)
  # keeps it in a directory of its own named after the checkout instead.
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
      && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    PG_BASE="/var/tmp/crm_ext-pg-$checkout_id"
  fi
  PGDATA_DIR="$PG_BASE/data"
  PG_SOCKET_DIR="$PG_BASE/run"
  # a Unix socket path is limited to 107 bytes: fall back to a short private
  # directory named after the checkout when the checkout's path is too long
  if [ $(( ${#PG_SOCKET_DIR} + 16 )) -gt 100 ]; then
    PG_SOCKET_DIR="/tmp/crm_ext-pg-$checkout_id"
  fi
  DB_HOST=$PG_SOCKET_DIR
  DB_PORT=5432
  DB_USER=odoo
  DB_PASSWORD=
fi

log() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir)
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  die "PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL (Debian: postgresql)"
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# 'postgres' system user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A new database with crm_ext: its dependencies first, so that the chart of
# accounts they install automatically (l10n_*) is there when crm_ext's demo
# data posts invoices.  Usage: install_crm_ext DB [odoo options...]
install_crm_ext() {
  local db=$1
  shift
  install_crm_ext_dependencies "$db" "$@" && \
  "$ODOO" -c "$CONF" -d "$db" -i crm_ext --stop-after-init "$@"
}

# The Odoo modules crm_ext depends on, without crm_ext (the benchmarks'
# "without the module" database, which must not leave out one of them: its
# cost would count as crm_ext's).  Usage: install_crm_ext_dependencies DB [options...]
install_crm_ext_dependencies() {
  local db=$1
  shift
  "$ODOO" -c "$CONF" -d "$db" -i sale_management,crm,stock,account_invoicing,mail,rating,queue_job,report_xlsx,board \
    --stop-after-init "$@"
}

# A fresh database for CDNOW's sample (make demo-cdnow, bench/bench_cdnow.py):
# a copy of a template with crm_ext and no demo data, whose invoices would
# count in the fit (the template is made once, then upgraded).
# Usage: fresh_cdnow_db DB
fresh_cdnow_db() {
  local db=$1 template=${CDNOW_TEMPLATE_DB:-crm_ext_cdnow_template}
  if "$ROOT/scripts/odoo-db.sh" exists "$template"; then
    "$ODOO" -c "$CONF" -d "$template" -u crm_ext --stop-after-init --log-level=warn
  else
    log "creating $template (crm_ext without demo data, a few minutes)"
    # without demo data the main company has no country, from which account
    # picks a chart of accounts: the generic one, first
    "$ODOO" -c "$CONF" -d "$template" -i l10n_generic_coa --without-demo=all \
      --stop-after-init --log-level=warn
    install_crm_ext "$template" --without-demo=all --log-level=warn
  fi
  "$ROOT/scripts/odoo-db.sh" drop "$db"
  "$ROOT/scripts/odoo-db.sh" copy "$template" "$db"
}

# The demo database of make run and make run-workers: created with demo data
# and crm_ext when missing, crm_ext upgraded otherwise.  Usage: prepare_demo_db DB
prepare_demo_db() {
  local db=$1 status=0
  "$ROOT/scripts/odoo-db.sh" exists "$db" || status=$?
  if [ "$status" = 0 ]; then
    log "upgrading crm_ext in $db"
    "$ODOO" -c "$CONF" -d "$db" -u crm_ext --stop-after-init --log-level=warn
  else
    [ "$status" = 1 ] || exit "$status"
    log "creating $db with demo data and crm_ext (a few minutes the first time)"
    install_crm_ext "$db" --log-level=warn
  fi
}
