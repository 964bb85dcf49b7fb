#!/usr/bin/env bash
# make i18n: regenerate crm_ext/i18n/crm_ext.pot from the test database
# (created by 'make test') and merge it into the translations.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/odoo-db.sh" exists "$ODOO_TEST_DB" || die "run 'make test' first: it creates $ODOO_TEST_DB"
"$ODOO" -c "$CONF" -d "$ODOO_TEST_DB" -u crm_ext --stop-after-init --log-level=warn
# Odoo 11 only writes .po files; without a language that is the template
tmp=$(mktemp -d)
"$ODOO" -c "$CONF" -d "$ODOO_TEST_DB" --i18n-export="$tmp/crm_ext.po" \
  --modules=crm_ext --stop-after-init --log-level=warn
mv "$tmp/crm_ext.po" "$ROOT/crm_ext/i18n/crm_ext.pot"
rmdir "$tmp"
for po in "$ROOT"/crm_ext/i18n/*.po; do
  [ -e "$po" ] || continue
  if command -v msgmerge >/dev/null; then
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$ROOT/crm_ext/i18n/crm_ext.pot"
  else
    log "msgmerge (gettext) not installed: $po not merged"
  fi
done
