#!/bin/sh
# run.sh - one golden test: tests/golden/<case>/ holds
#   estate.camarch      the root file (other .camarch files may sit beside it)
#   args                optional: the command and its options, one line
#                       (default: "check"); FILE is appended after the command
#   expected            "exit N" on the first line, then the expected stderr
#   expected.stdout     optional: the expected standard output (camarch ir)
#   expected.out/       optional: the exact tree `build -o out` must write
# The estate may also say `// expect error[ID] line N` (or warning[...]):
# each such line must match a diagnostic of that id on that line.
#
# usage: run.sh CAMARCH CASE_DIR
# CAMARCH_UPDATE_GOLDEN=1 rewrites the expectations from the current output;
# read the diff before committing it.  A Compose project's expected.out holds
# the .gitignore camarch writes there, which names secrets.env: add a new
# case's secrets.env with `git add -f`.
set -u
camarch=$1
case_dir=$2
case $camarch in /*) ;; *) camarch=$(cd "$(dirname "$camarch")" && pwd)/$(basename "$camarch") ;; esac
name=$(basename "$case_dir")
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cp -R "$case_dir"/. "$work"/
rm -rf "$work/expected" "$work/expected.stdout" "$work/expected.out"
cmd="check"
[ -f "$case_dir/args" ] && cmd=$(cat "$case_dir/args")
set -- $cmd
verb=$1
shift
extra=""
[ "$verb" = build ] && extra="-o out"
( cd "$work" && "$camarch" "$verb" estate.camarch $extra "$@" >stdout 2>stderr; echo "exit $?" >rc )
{ cat "$work/rc"; cat "$work/stderr"; } >"$work/actual"
fail=0
if [ "${CAMARCH_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$work/actual" "$case_dir/expected"
  if [ -s "$work/stdout" ]; then cp "$work/stdout" "$case_dir/expected.stdout"; else rm -f "$case_dir/expected.stdout"; fi
  rm -rf "$case_dir/expected.out"
  [ -d "$work/out" ] && cp -R "$work/out" "$case_dir/expected.out"
  echo "$name: expectations rewritten"
  exit 0
fi
if ! diff -u "$case_dir/expected" "$work/actual"; then
  echo "$name: stderr or exit status differs"
  fail=1
fi
if [ -f "$case_dir/expected.stdout" ] || [ -s "$work/stdout" ]; then
  if ! diff -u "$case_dir/expected.stdout" "$work/stdout"; then
    echo "$name: stdout differs"
    fail=1
  fi
fi
if [ -d "$case_dir/expected.out" ] || [ -d "$work/out" ]; then
  if ! diff -ru "$case_dir/expected.out" "$work/out"; then
    echo "$name: generated files differ"
    fail=1
  fi
fi
# inline expectations
grep -n 'expect \(error\|warning\)\[' "$case_dir/estate.camarch" 2>/dev/null | while IFS= read -r line; do
  sev=$(printf '%s' "$line" | sed -n 's/.*expect \(error\|warning\)\[\([A-Z0-9]*\)\] line \([0-9]*\).*/\1/p')
  id=$(printf '%s' "$line" | sed -n 's/.*expect \(error\|warning\)\[\([A-Z0-9]*\)\] line \([0-9]*\).*/\2/p')
  ln=$(printf '%s' "$line" | sed -n 's/.*expect \(error\|warning\)\[\([A-Z0-9]*\)\] line \([0-9]*\).*/\3/p')
  if ! grep -q "^estate.camarch:$ln:[0-9]*: $sev\[$id\]" "$work/stderr"; then
    echo "$name: expected $sev[$id] on line $ln, not reported"
    echo FAIL >>"$work/inline"
  fi
done
[ -f "$work/inline" ] && fail=1
[ $fail = 0 ] && echo "$name: ok"
exit $fail
