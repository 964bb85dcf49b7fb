#!/usr/bin/env bash
# make wheel: crm_ext as the wheel odoo11-addon-crm_ext (OCA's setuptools-odoo
# layout, setup/crm_ext/), built into .local/dist/ with the virtualenv's pip.
# Name, version and dependencies come from crm_ext/__manifest__.py; the files
# are those git tracks (setuptools-scm's file finder), so the build needs a
# git checkout and includes a new file once it is added to git.
# Offline: setuptools-odoo and what it needs are installed by the set-up,
# so the build runs without build isolation and downloads nothing.
source "$(dirname "$0")/lib.sh"
DIST=${DIST:-$LOCAL/dist}

git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 \
  || die "not a git checkout: setup/crm_ext takes crm_ext's files from git (clone the repository)"
untracked=$(git -C "$ROOT" ls-files --others --exclude-standard -- crm_ext | tr '\n' ' ')
[ -z "$untracked" ] || log "not in the wheel until added to git: $untracked"

version=$("$PY" -c "import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" \
  "$ROOT/crm_ext/__manifest__.py")
wheel="$DIST/odoo11_addon_crm_ext-$version-py3-none-any.whl"
mkdir -p "$DIST"
rm -f "$wheel"
# the build's leftovers (build/, *.egg-info) stay out of the checkout
rm -rf "$ROOT/setup/crm_ext/build" "$ROOT/setup/crm_ext/"*.egg-info
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" wheel -q --no-deps --no-build-isolation \
  -w "$DIST" "$ROOT/setup/crm_ext"
rm -rf "$ROOT/setup/crm_ext/build" "$ROOT/setup/crm_ext/"*.egg-info
[ -f "$wheel" ] || die "pip built no $wheel"
echo "$wheel"
