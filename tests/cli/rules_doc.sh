#!/bin/sh
# docs/rules.md is generated from the rules table; it must not go stale.
#   regenerate: build/camarch explain --markdown > docs/rules.md
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
"$CAMARCH" explain --markdown >"$tmp"
if diff -u "$ROOT/docs/rules.md" "$tmp" >/dev/null; then ok "docs/rules.md matches the rules table"
else diff -u "$ROOT/docs/rules.md" "$tmp" | head -40; bad "docs/rules.md is stale: run camarch explain --markdown > docs/rules.md"; fi
finish
