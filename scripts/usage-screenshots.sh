#!/usr/bin/env bash
# make screenshots: the images of crm_ext/readme/USAGE.rst, copied from the
# screenshots the browser tests took (.local/test-artifacts/, made by
# 'make test'), so the documentation shows the screens the tests clicked.
source "$(dirname "$0")/lib.sh"
src="$LOCAL/test-artifacts"
dest="$ROOT/crm_ext/static/description/usage"
mkdir -p "$dest"
missing=0
# every image USAGE.rst names, by its file name
for name in $(grep -o 'static/description/usage/[A-Za-z0-9_.-]*\.png' "$ROOT/crm_ext/readme/USAGE.rst" | sort -u | xargs -n1 basename); do
  if [ -f "$src/$name" ]; then
    cp "$src/$name" "$dest/$name"
  else
    log "no screenshot $name in $src: run the browser tests ('make test') first"
    missing=1
  fi
done
exit $missing
