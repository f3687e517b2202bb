#!/bin/sh
# The estate the README opens with compiles, with no finding at all.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
awk '/^```camarch$/{f=1;next} /^```$/{if(f){exit}} f' "$ROOT/README.md" >"$work/estate.camarch"
check "README.md has an estate" [ -s "$work/estate.camarch" ]
"$CAMARCH" check "$work/estate.camarch" --werror 2>"$work/err"; rc=$?
cat "$work/err"
check "the README's estate checks clean, warnings included" [ $rc -eq 0 ]
(cd "$work" && "$CAMARCH" build estate.camarch -o out 2>/dev/null)
check "and builds dev and prod" test -f "$work/out/dev/values.yaml" -a -f "$work/out/prod/values.yaml"
finish
