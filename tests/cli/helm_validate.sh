#!/bin/sh
# Every Helm values file camarch writes, for the example estate and for every
# golden build case, passes Camunda's chart check (schema + known keys) for
# the chart version named in its header.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
tools=$(shared_tools) || { echo "$tools"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$ROOT" && "$CAMARCH" build examples/acme/estate.camarch -o "$work/example" 2>"$work/err") ||
  { cat "$work/err"; bad "example estate builds"; }
files=$(find "$work/example" "$ROOT/tests/golden" -name values.yaml | sort)
[ -n "$files" ] || bad "no values.yaml found"
for f in $files; do
  chart=$(sed -n 's/^# For the camunda-platform Helm chart [0-9.]* (Camunda \(8\.[0-9]*\)).*/\1/p' "$f")
  if [ -z "$chart" ]; then bad "$f: no chart version in its header"; continue; fi
  if out=$("$PY" "$tools/check-helm-values" --chart "$chart" "$f" 2>&1); then
    ok "$out"
  else
    printf '%s\n' "$out"; bad "$f fails check-helm-values --chart $chart"
  fi
done
finish
