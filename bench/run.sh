#!/bin/sh
# bench/run.sh - how camarch's time and memory grow with the size of an estate.
#
#   sh bench/run.sh [CAMARCH]        (default: build/camarch)
#
# Generates estates with 10, 100 and 1000 environments (each an overlay with
# users and extra environment variables) and one with 5000 lets, then runs
# `camarch check` and `camarch build` on each, reporting wall time (best of
# 3) and peak resident memory.  A report, not a test: nothing here fails on
# a number.  With valgrind installed, it also prints the instruction count of
# one check (repeatable across runs and machines of the same kind).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
camarch=${1:-$root/build/camarch}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

estate() { # estate N FILE: N environments
  n=$1 f=$2
  {
    echo 'import "std/sizing"'
    echo 'estate "bench" {'
    echo '  version = "8.8"'
    echo '  orchestration { brokers = 3, partitions = 6, replication = 3, resources = sizing.baseline }'
    echo '  identity { method = basic }'
    echo '  connectors {}'
    echo '}'
    i=0
    while [ $i -lt "$n" ]; do
      echo "environment \"env$i\" {"
      echo "  target = helm"
      echo "  orchestration { brokers = $((i % 5 + 1)), replication = 1, env { OPT_$i = \"v$i\", OTHER = \"x\" } }"
      echo "  identity { user \"u$i\" { password = secret(\"pw$i\"), roles = [\"admin\"] } }"
      echo "}"
      i=$((i + 1))
    done
  } >"$f"
}

lets() { # lets N FILE: a chain of N lets
  n=$1 f=$2
  {
    echo 'let l0 = 1'
    i=1
    while [ $i -lt "$n" ]; do echo "let l$i = l$((i - 1))"; i=$((i + 1)); done
    echo "estate \"bench\" { version = \"8.8\", orchestration { brokers = l$((n - 1)), replication = 1 } }"
    echo 'environment "e" { target = helm }'
  } >"$f"
}

now() { date +%s%N; }

measure() { # measure LABEL ARGS...
  label=$1; shift
  best=""
  for _ in 1 2 3; do
    t0=$(now); "$camarch" "$@" >/dev/null 2>&1 || true; t1=$(now)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  rss="-"
  if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f %M "$camarch" "$@" 2>&1 >/dev/null | tail -1)
    rss="${rss} KiB"
  fi
  printf '%-34s %8s ms  %12s\n' "$label" "$best" "$rss"
}

printf '%-34s %11s  %12s\n' "case" "best of 3" "peak RSS"
for n in 10 100 1000; do
  estate $n "$work/e$n.camarch"
  measure "check, $n environments" check "$work/e$n.camarch"
  measure "build, $n environments" build "$work/e$n.camarch" -o "$work/out$n" --force
done
lets 5000 "$work/lets.camarch"
measure "check, 5000 chained lets" check "$work/lets.camarch"
if command -v valgrind >/dev/null; then
  ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$camarch" check "$work/e100.camarch" 2>&1 |
       sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  echo "instructions, check of 100 environments: ${ir:-?}"
fi
