#!/usr/bin/env bash
# The source of crm_ext as released at a version, for the upgrade test:
#   release-source.sh VERSION  ->  tests/data/crm_ext-VERSION.tar.gz
# made from the release's tag crm_ext-VERSION, else from the known commit of
# the release (kept in the repository: a shallow clone in CI has no history
# to rebuild it from). Tag a release with: git tag crm_ext-VERSION COMMIT
source "$(dirname "$0")/lib.sh"
VERSION=${1:?usage: release-source.sh VERSION}
# the last commit of each released data model (the manifest's version), for
# a clone without the tags
case "$VERSION" in
  11.0.1.0.0) KNOWN=63d1fce ;;  # before the RPC surface work moved to 11.0.2.0.0
  11.0.6.0.0) KNOWN=c49ba14 ;;  # the last commit of issue 15
  *) KNOWN= ;;
esac
if git -C "$ROOT" rev-parse -q --verify "refs/tags/crm_ext-$VERSION^{commit}" >/dev/null; then
  COMMIT=$(git -C "$ROOT" rev-parse --short "refs/tags/crm_ext-$VERSION^{commit}")
elif [ -n "$KNOWN" ]; then
  COMMIT=$KNOWN
else
  die "no tag crm_ext-$VERSION and no release commit known for $VERSION"
fi
git -C "$ROOT" show "$COMMIT:crm_ext/__manifest__.py" | grep -q "\"version\": \"$VERSION\"" \
  || die "crm_ext at $COMMIT is not version $VERSION"
# gzip -n: the same tarball for the same commit (no time stamp in its header)
git -C "$ROOT" archive --format=tar "$COMMIT" crm_ext \
  | gzip -n -9 > "$ROOT/tests/data/crm_ext-$VERSION.tar.gz"
log "tests/data/crm_ext-$VERSION.tar.gz: crm_ext $VERSION as of $COMMIT"
