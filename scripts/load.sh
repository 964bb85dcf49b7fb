#!/usr/bin/env bash
# make load: both servers of make run-workers driven by locust, as the load's
# salespeople and accountants, while every crm_ext cron is kept due; prints
#   load: requests=… errors=… p95_ms=… throughput_rps=… ledger=consistent|INCONSISTENT
# and fails when a request failed or the ledger does not reconcile.
#
# Environment: LOAD_USERS (10), LOAD_TIME (5m, locust's --run-time),
# LOAD_SERVERS (URL,URL of servers already running, with LOAD_LOGS their log
# files; otherwise scripts/run-workers.sh starts both, see its ports), ODOO_DB.
source "$(dirname "$0")/lib.sh"

LOAD_USERS=${LOAD_USERS:-10}
LOAD_TIME=${LOAD_TIME:-5m}
LOCUST_VENV="$LOCAL/locust-venv"
OUT=${LOAD_OUT:-$LOCAL/load}
mkdir -p "$OUT"

# locust in a virtualenv of its own: it needs Flask 3 and Werkzeug 3, Odoo 11
# Werkzeug 0.16; its versions are pinned in tests/load/constraints.txt
want=$(sha1sum "$ROOT/tests/load/constraints.txt" | cut -c1-40)
if [ "$(cat "$LOCUST_VENV/.crm_ext-stamp" 2>/dev/null)" != "$want" ]; then
  log "installing locust in $LOCUST_VENV"
  [ -x "$LOCUST_VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$LOCUST_VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$LOCUST_VENV/bin/pip" install -q \
    -c "$ROOT/tests/load/constraints.txt" locust
  echo "$want" > "$LOCUST_VENV/.crm_ext-stamp"
fi

SERVERS_PID=
stop_servers() {
  if [ -n "$SERVERS_PID" ]; then
    kill -TERM "$SERVERS_PID" 2>/dev/null || true
    wait "$SERVERS_PID" 2>/dev/null || true
    SERVERS_PID=
  fi
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

if [ -n "${LOAD_SERVERS:-}" ]; then
  servers=$LOAD_SERVERS
  logs=${LOAD_LOGS:?LOAD_LOGS: the log files of the servers of LOAD_SERVERS}
else
  log_dir=${RUN_WORKERS_LOG_DIR:-$LOCAL/log}
  RUN_WORKERS_LOG_DIR=$log_dir "$ROOT/scripts/run-workers.sh" > "$OUT/run-workers.out" &
  SERVERS_PID=$!
  until grep -q "^run-workers: ready" "$OUT/run-workers.out" 2>/dev/null; do
    kill -0 "$SERVERS_PID" 2>/dev/null || die "the servers did not start (see $log_dir/workers-{a,b}.log)"
    sleep 1
  done
  ready=$(grep "^run-workers: ready" "$OUT/run-workers.out")
  a=${ready#*a=}; a=${a%% *}
  servers="$a,${ready#*b=}"
  logs="$log_dir/workers-a.log,$log_dir/workers-b.log"
fi

status=0
"$PY" "$ROOT/tests/load/driver.py" --db "$ODOO_DB" --conf "$CONF" --servers "$servers" \
  --logs "$logs" --users "$LOAD_USERS" --time "$LOAD_TIME" \
  --locust "$LOCUST_VENV/bin/locust" --out "$OUT" || status=$?
stop_servers
exit "$status"
