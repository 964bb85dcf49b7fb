#!/usr/bin/env bash
# The source of crm_ext as released at a version, for the upgrade test:
#   release-source.sh VERSION  ->  tests/data/crm_ext-VERSION.tar.gz
# (kept in the repository: a shallow clone in CI has no history to rebuild it from)
source "$(dirname "$0")/lib.sh"
VERSION=${1:?usage: release-source.sh VERSION}
# the last commit of each released data model (the manifest's version)
case "$VERSION" in
  11.0.1.0.0) COMMIT=63d1fce ;;  # before the RPC surface work moved to 11.0.2.0.0
  *) die "no release commit known for $VERSION" ;;
esac
git -C "$ROOT" show "$COMMIT:crm_ext/__manifest__.py" | grep -q "\"version\": \"$VERSION\"" \
  || die "crm_ext at $COMMIT is not version $VERSION"
git -C "$ROOT" archive --format=tar.gz -o "$ROOT/tests/data/crm_ext-$VERSION.tar.gz" \
  "$COMMIT" crm_ext
log "tests/data/crm_ext-$VERSION.tar.gz: crm_ext $VERSION as of $COMMIT"
