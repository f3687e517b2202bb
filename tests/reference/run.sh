#!/bin/sh
# run.sh - camarch against Camunda's reference Helm values.
#
# Builds every estate of examples/reference/ and compares its values.yaml
# with the Camunda reference values file it reproduces (in
# ../shared/reference/helm-values/), both coalesced with chart 8.8's
# defaults; differences not accepted in tests/reference/differences.txt,
# and accepted ones that no longer occur, fail. See compare.py.
#
# usage: sh run.sh CAMARCH ROOT
# exit 0: every estate passes; 1: one fails; 77: skipped (no ../shared,
# as in a user's clone, or no PyYAML).
set -u
if [ $# -ne 2 ]; then
  echo "usage: sh run.sh CAMARCH ROOT" >&2
  exit 2
fi
CAMARCH=$1 ROOT=$2
shared="$ROOT/../shared"
if [ ! -d "$shared" ]; then
  echo "SKIPPED: $shared not found (the reference values come with ../shared)"
  exit 77
fi
if [ ! -d "$shared/reference/helm-values" ] || [ ! -f "$shared/tools/check-helm-values" ]; then
  echo "SKIPPED: $shared has no reference/helm-values or tools/check-helm-values"
  exit 77
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import yaml, jsonschema' 2>/dev/null; then
  echo "SKIPPED: $PY lacks PyYAML or jsonschema (Debian: python3-yaml python3-jsonschema)"
  exit 77
fi
exec "$PY" "$ROOT/tests/reference/compare.py" "$CAMARCH" "$ROOT"
