#!/bin/sh
# bench/run.sh - how camarch's time and memory grow with the size of an estate.
#
#   sh bench/run.sh [CAMARCH]        (default: build/camarch)
#
# Generates estates with 10, 100 and 1000 environments (each an overlay with
# users and extra environment variables), then the shapes that once made
# the front end quadratic or exhausted its stack: chains of 100,000 lets
# (each naming the next, and each naming the one before), a chain of
# 10,000 imported files, a list of 1,000,000 elements, and brackets nested
# 100,000 deep (refused at once, with a located error).  It runs `camarch
# check` (and `camarch build` for the environments) on each, reporting wall
# time (best of 3) and peak resident memory.  A report, not a test: nothing
# here fails on a number (the suite holds the tests of correctness for the
# same shapes).  With valgrind installed, it also prints the instruction
# count of one check (repeatable across runs and machines of the same kind).
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
    echo '  identity { method = basic, user "connectors" { password = secret("connectors"), roles = ["connectors"] } }'
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

# The large shapes are written by awk: a shell loop would take longer than
# the compiler.
lets() { # lets N DIRECTION FILE: a chain of N lets, each naming the next ("up") or the previous ("down")
  awk -v n="$1" -v dir="$2" 'BEGIN {
    if (dir == "up") { for (i = 0; i < n - 1; i++) printf "let l%d = l%d\n", i, i + 1; printf "let l%d = 1\n", n - 1; top = "l0" }
    else { print "let l0 = 1"; for (i = 1; i < n; i++) printf "let l%d = l%d\n", i, i - 1; top = "l" (n - 1) }
    printf "estate \"bench\" { version = \"8.8\", orchestration { brokers = %s, replication = 1 } }\n", top
    print "environment \"e\" { target = helm }"
  }' >"$3"
}

imports() { # imports N DIR: DIR/root.camarch imports m0, which imports m1, ... m(N-1)
  mkdir -p "$2"
  awk -v n="$1" -v d="$2" 'BEGIN {
    for (i = 0; i < n; i++) {
      f = d "/m" i ".camarch"
      if (i + 1 < n) printf "import \"./m%d.camarch\"\nlet v = m%d.v\n", i + 1, i + 1 >f
      else print "let v = 1" >f
      close(f)
    }
    f = d "/root.camarch"
    print "import \"./m0.camarch\"" >f
    print "estate \"bench\" { version = \"8.8\", orchestration { brokers = m0.v, replication = 1 } }" >f
    print "environment \"e\" { target = helm }" >f
  }'
}

long_list() { # long_list N FILE: zones = [N strings]
  awk -v n="$1" 'BEGIN {
    printf "estate \"bench\" {\n  version = \"8.8\"\n  orchestration { brokers = 3, replication = 1, zones = ["
    for (i = 0; i < n; i++) printf "%s\"z%d\"", i ? ", " : "", i
    print "] }\n}\nenvironment \"e\" { target = helm }"
  }' >"$2"
}

nesting() { # nesting N OPEN CLOSE FILE: a let whose value opens N brackets
  awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN {
    printf "let x = "; for (i = 0; i < n; i++) printf "%s", o; printf "1"; for (i = 0; i < n; i++) printf "%s", c
    print "\nestate \"bench\" { version = \"8.8\" }"
  }' >"$4"
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
  printf '%-36s %8s ms  %12s\n' "$label" "$best" "$rss"
}

printf '%-36s %11s  %12s\n' "case" "best of 3" "peak RSS"
for n in 10 100 1000; do
  estate $n "$work/e$n.camarch"
  measure "check, $n environments" check "$work/e$n.camarch"
  measure "build, $n environments" build "$work/e$n.camarch" -o "$work/out$n" --force
done
lets 100000 up "$work/lets-up.camarch"
measure "check, 100000 lets naming the next" check "$work/lets-up.camarch"
lets 100000 down "$work/lets-down.camarch"
measure "check, 100000 lets naming the last" check "$work/lets-down.camarch"
imports 10000 "$work/chain"
measure "check, 10000 chained imports" check "$work/chain/root.camarch"
long_list 1000000 "$work/list.camarch"
measure "check, a list of 1000000" check "$work/list.camarch"
nesting 100000 '[' ']' "$work/nest-list.camarch"
measure "check, [ nested 100000 deep" check "$work/nest-list.camarch"
nesting 100000 '{ a = ' ' }' "$work/nest-object.camarch"
measure "check, { nested 100000 deep" check "$work/nest-object.camarch"
nesting 100000 'secret(' ')' "$work/nest-call.camarch"
measure "check, ( nested 100000 deep" check "$work/nest-call.camarch"
if command -v valgrind >/dev/null; then
  ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$camarch" check "$work/e100.camarch" 2>&1 |
       sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  echo "instructions, check of 100 environments: ${ir:-?}"
fi
