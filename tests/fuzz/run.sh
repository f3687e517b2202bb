#!/bin/sh
# run.sh BUILD_DIR SECONDS [TARGET...] - runs each libFuzzer target of a
# -DCAMARCH_FUZZ=ON build for SECONDS, from the seeds (tests/fuzz/seeds,
# tests/fuzz/regressions, examples, golden estates) and the dictionary the
# build generated from the model.  Fails on any crash, leak, hang or
# sanitizer report; the input that caused it is kept in BUILD_DIR/fuzz-findings/.
# The corpus grows in BUILD_DIR/fuzz-corpus/<target> across runs.
set -eu
build=$(cd "$1" && pwd) seconds=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
targets=${*:-fuzz_camarch fuzz_readback}
findings="$build/fuzz-findings"
mkdir -p "$findings"
rc=0
for t in $targets; do
  bin="$build/tests/$t"
  [ -x "$bin" ] || { echo "run.sh: $bin not built (configure with -DCAMARCH_FUZZ=ON and clang)" >&2; exit 2; }
  corpus="$build/fuzz-corpus/$t"
  seeds="$build/fuzz-seeds/$t"
  mkdir -p "$corpus" "$seeds"
  case $t in
  fuzz_camarch)
    for f in "$root"/tests/fuzz/seeds/*.camarch "$root"/tests/fuzz/regressions/*.camarch \
             "$root"/examples/*/*.camarch "$root"/tests/golden/*/estate.camarch; do
      [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | sed "s|^$root/||; s|/|_|g")"
    done ;;
  *)
    for f in "$root"/tests/fuzz/seeds/"$t"/* "$root"/tests/fuzz/regressions/"$t"/*; do
      [ -f "$f" ] && cp "$f" "$seeds/"
    done ;;
  esac
  echo "run.sh: $t for ${seconds}s"
  # the estates' relative imports resolve from examples/acme, as in the smoke test
  if (cd "$root/examples/acme" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$build/tests/camarch-fuzz.dict" -print_final_stats=1 \
        -artifact_prefix="$findings/$t-" "$corpus" "$seeds") >"$build/fuzz-$t.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss' "$build/fuzz-$t.log" || true
  else
    echo "run.sh: $t FOUND A PROBLEM (log: $build/fuzz-$t.log, inputs: $findings/)" >&2
    grep -E 'ERROR|SUMMARY|Test unit written' "$build/fuzz-$t.log" >&2 || true
    rc=1
  fi
done
exit $rc
