#!/bin/sh
# Every Helm values file camarch writes, for the example estate, the estates
# of examples/reference and every golden build case, passes Camunda's chart
# check (schema + known keys) for the chart version named in its header, and
# sets no value to the chart's default (helm_defaults.py).
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
tools=$(shared_tools) || { echo "$tools"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if (cd "$ROOT" && "$CAMARCH" build examples/acme/estate.camarch -o "$work/example" 2>"$work/err"); then
  ok "the example estate builds"
else
  cat "$work/err"; bad "the example estate builds"
fi
# the estates reproducing Camunda's reference values, their param()s given
for estate in "$ROOT"/examples/reference/*.camarch; do
  name=$(basename "$estate" .camarch)
  set --
  for v in $(grep -o 'param("[A-Za-z0-9_]*"' "$estate" | sed 's/param("//; s/"$//' | sort -u); do
    set -- "$@" --set "$v=$(echo "$v" | tr 'A-Z_' 'a-z-')"
  done
  if ! (cd "$ROOT" && "$CAMARCH" build "$estate" -o "$work/reference/$name" "$@" 2>"$work/err"); then
    cat "$work/err"; bad "examples/reference/$name.camarch builds"
  fi
done
find "$work/example" "$work/reference" "$ROOT/tests/golden" -name 'values*.yaml' | sort >"$work/all"
check "there are values files to check" [ -s "$work/all" ]
: >"$work/8.8"; : >"$work/8.9"
while IFS= read -r f; do
  chart=$(sed -n 's/^# For the camunda-platform Helm chart [0-9.]* (Camunda \(8\.[0-9]*\)).*/\1/p' "$f")
  case $chart in
    8.8|8.9) echo "$f" >>"$work/$chart" ;;
    *) bad "$f: no chart version in its header" ;;
  esac
done <"$work/all"
for chart in 8.8 8.9; do
  [ -s "$work/$chart" ] || continue
  # one run per chart version: loading the chart's schema is the slow part
  if out=$(xargs "$PY" "$tools/check-helm-values" --chart "$chart" <"$work/$chart" 2>&1); then
    printf '%s\n' "$out" | while IFS= read -r line; do echo "ok: $line"; done
    passed=$((passed + $(wc -l <"$work/$chart")))
  else
    printf '%s\n' "$out" | grep -v ': ok (chart'
    bad "values files fail check-helm-values --chart $chart"
  fi
done
if out=$(xargs "$PY" "$ROOT/tests/cli/helm_defaults.py" "$ROOT/../shared/reference/helm" <"$work/all" 2>&1); then
  ok "no values file sets a value to the chart's default"
else
  printf '%s\n' "$out"
  bad "no values file sets a value to the chart's default"
fi
finish
