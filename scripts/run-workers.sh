#!/usr/bin/env bash
# make run-workers: the demo database served as production serves it, by two
# Odoo instances in prefork mode behind an (absent) load balancer.
#
# Each instance: $ODOO_WORKERS HTTP workers, $ODOO_CRON_WORKERS cron worker,
# the gevent long polling process, on 127.0.0.1 only.  Both share the
# database and the filestore (data_dir of .local/odoo.conf, sessions
# included), so a browser may go to either, and each has its own cron worker:
# every cron is picked by both, and ir.cron's row lock lets one run it.
# queue_job's runner runs in instance A only: OCA's queue_job 11.0 keeps its
# queue in memory and marks a job "enqueued" without checking its state, so a
# second runner on the same database could start a job twice; B loads the
# same server-wide modules with the root channel's capacity at 0, which
# queue_job reads as "no runner here" (it still runs the jobs A sends it when
# queue_job's host/port point at a load balancer).
#
# Environment: ODOO_PORT (A, 8069), ODOO_PORT_B (B, ODOO_PORT + 100), their
# long polling ports ODOO_LONGPOLLING_PORT / ODOO_LONGPOLLING_PORT_B (port + 3),
# ODOO_WORKERS (2), ODOO_CRON_WORKERS (1), ODOO_DB (crm_ext_demo),
# RUN_WORKERS_PREPARE=0 to serve the database as it is (no create/upgrade),
# RUN_WORKERS_LOG_DIR (.local/log).  Ctrl-C or SIGTERM stops both instances
# and every process they started.
source "$(dirname "$0")/lib.sh"

PORT_A=${ODOO_PORT}
PORT_B=${ODOO_PORT_B:-$((PORT_A + 100))}
LONGPOLLING_A=${ODOO_LONGPOLLING_PORT:-$((PORT_A + 3))}
LONGPOLLING_B=${ODOO_LONGPOLLING_PORT_B:-$((PORT_B + 3))}
WORKERS=${ODOO_WORKERS:-2}
CRON_WORKERS=${ODOO_CRON_WORKERS:-1}
LOG_DIR=${RUN_WORKERS_LOG_DIR:-$LOCAL/log}
# a request may take 2 minutes (Odoo's default); a cron 10 (they work in
# committed chunks: one stopped by the watchdog resumes at its next run)
LIMITS=(--limit-time-cpu="${ODOO_LIMIT_TIME_CPU:-120}" --limit-time-real="${ODOO_LIMIT_TIME_REAL:-120}"
        --limit-time-real-cron="${ODOO_LIMIT_TIME_REAL_CRON:-600}")
mkdir -p "$LOG_DIR"

[ "$WORKERS" -ge 2 ] || die "ODOO_WORKERS must be 2 or more (prefork mode)"
[ "$CRON_WORKERS" -ge 1 ] || die "ODOO_CRON_WORKERS must be 1 or more"

[ "${RUN_WORKERS_PREPARE:-1}" = 1 ] && prepare_demo_db "$ODOO_DB"

PIDS=()
# start_instance NAME HTTP_PORT LONGPOLLING_PORT [ENV=VALUE...]: one Odoo in
# prefork mode, in a process group of its own (setsid) so that stopping it
# reaches its workers and long polling process, whatever becomes of them.
start_instance() {
  local name=$1 port=$2 longpolling=$3
  shift 3
  : > "$LOG_DIR/workers-$name.log"
  env "$@" setsid "$ODOO" -c "$CONF" -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" \
    --http-interface=127.0.0.1 --http-port="$port" --longpolling-port="$longpolling" \
    --workers="$WORKERS" --max-cron-threads="$CRON_WORKERS" "${LIMITS[@]}" \
    --load=web,queue_job --log-level=info --log-handler=werkzeug:WARNING \
    --logfile="$LOG_DIR/workers-$name.log" </dev/null &
  PIDS+=($!)
}

stop_all() {
  trap - INT TERM EXIT
  log "stopping both instances"
  local pid deadline
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Odoo's master stops its workers (SIGINT, then SIGTERM) and kills its
  # long polling process; what outlives it (a worker stuck in a request) is
  # killed with its process group
  deadline=$((SECONDS + ${RUN_WORKERS_STOP_TIMEOUT:-30}))
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  log "stopped"
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

start_instance a "$PORT_A" "$LONGPOLLING_A"
start_instance b "$PORT_B" "$LONGPOLLING_B" ODOO_QUEUE_JOB_CHANNELS=root:0

# ready when each answers its login page (after its registry is loaded)
deadline=$((SECONDS + ${RUN_WORKERS_START_TIMEOUT:-180}))
for port in "$PORT_A" "$PORT_B"; do
  until "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10)" \
      "http://127.0.0.1:$port/web/login" 2>/dev/null; do
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || die "an instance exited: see $LOG_DIR/workers-{a,b}.log"
    done
    [ $SECONDS -lt $deadline ] || die "no answer on port $port: see $LOG_DIR/workers-{a,b}.log"
    sleep 1
  done
done
log "serving $ODOO_DB with $WORKERS workers + $CRON_WORKERS cron worker + long polling per instance:"
log "  A http://127.0.0.1:$PORT_A (long polling $LONGPOLLING_A, queue_job runner) log $LOG_DIR/workers-a.log"
log "  B http://127.0.0.1:$PORT_B (long polling $LONGPOLLING_B) log $LOG_DIR/workers-b.log"
echo "run-workers: ready a=http://127.0.0.1:$PORT_A b=http://127.0.0.1:$PORT_B"
log "login admin / admin; Ctrl-C stops both"

# until one instance ends (a crash) or a signal comes
while kill -0 "${PIDS[0]}" 2>/dev/null && kill -0 "${PIDS[1]}" 2>/dev/null; do
  sleep 1
done
log "an instance exited on its own: see $LOG_DIR/workers-{a,b}.log"
exit 1
