#!/usr/bin/env bash
# The project's private PostgreSQL cluster: pg.sh start | stop | status
source "$(dirname "$0")/lib.sh"

[ "$PG_EMBEDDED" = 1 ] || { log "external PostgreSQL at $DB_HOST:$DB_PORT (ODOO_DB_HOST is set)"; exit 0; }

BIN=$(pg_bindir)
PGLOG="$PG_BASE/postgresql.log"

init_cluster() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && return
  log "creating the private PostgreSQL cluster in $PGDATA_DIR"
  mkdir -p "$PGDATA_DIR" "$PG_SOCKET_DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (Debian: apt-get install postgresql)"
    chown -R postgres: "$PG_BASE" "$PG_SOCKET_DIR"
  fi
  chmod 700 "$PGDATA_DIR" "$PG_SOCKET_DIR"
  as_pg_owner "$BIN/initdb" -D "$PGDATA_DIR" -U "$DB_USER" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$LOCAL/pg-initdb.log" 2>&1 \
    || { cat "$LOCAL/pg-initdb.log" >&2; die "initdb failed"; }
  # no TCP at all: the socket lives in the checkout, so two checkouts never collide
  cat >>"$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_SOCKET_DIR'
unix_socket_permissions = 0700
port = $DB_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 256MB
CONF
}

running() {
  as_pg_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

case "${1:-start}" in
  start)
    init_cluster
    mkdir -p "$PG_SOCKET_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_SOCKET_DIR"
    if running; then exit 0; fi
    log "starting PostgreSQL (socket in $PG_SOCKET_DIR)"
    [ "$(id -u)" = 0 ] && touch "$PGLOG" && chown postgres: "$PGLOG"
    as_pg_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 start >/dev/null \
      || { tail -20 "$PGLOG" >&2; die "PostgreSQL did not start"; }
    ;;
  stop)
    if [ -f "$PGDATA_DIR/PG_VERSION" ] && running; then
      as_pg_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
      log "PostgreSQL stopped"
    else
      log "PostgreSQL is not running"
    fi
    ;;
  status)
    running && echo "running (socket in $PG_SOCKET_DIR)" || echo "stopped"
    ;;
  *) die "usage: pg.sh start|stop|status" ;;
esac
