#!/usr/bin/env bash
# Import a CSV of past purchases into a database now (crm_ext's history
# import, without background jobs): scripts/import-history.sh FILE DB
# [--company ID] [--jobs N] [--chunk-rows N].  Stopped, the same command
# resumes the import.
source "$(dirname "$0")/lib.sh"
file=${1:?usage: import-history.sh FILE DB [--company ID] [--jobs N] [--chunk-rows N]}
db=${2:?usage: import-history.sh FILE DB [--company ID] [--jobs N] [--chunk-rows N]}
shift 2
exec "$PY" "$ROOT/scripts/import_history.py" -c "$CONF" -d "$db" "$@" "$file"
