#!/bin/sh
# Every enforced rule has its trigger and near-miss tests, and no test
# directory names a rule the table does not have.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
ids=$("$CAMARCH" explain --list | awk '$2 ~ /\// { print $1 }')
check "the rules table lists enforced rules" [ -n "$ids" ]
for id in $ids; do
  d="$ROOT/tests/rules/$id"
  if [ -f "$d/trigger.camarch" ] && [ -f "$d/nearmiss.camarch" ]; then ok "$id has its tests"; else bad "$id has no tests/rules/$id/{trigger,nearmiss}.camarch"; fi
done
for d in "$ROOT"/tests/rules/*/; do
  id=$(basename "$d")
  printf '%s\n' $ids | grep -qx "$id" || bad "tests/rules/$id names no enforced rule"
done
finish
