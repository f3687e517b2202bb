#!/bin/sh
# run.sh - the tests of one rule: tests/rules/<ID>/ holds
#   trigger.camarch   an estate that makes the rule fire; each finding is
#                     stated in the file as  // expect error[ID] at LINE:COL
#                     (or warning[...] / note[...]), and each must be reported
#                     exactly there, with that severity
#   nearmiss.camarch  an estate just on the right side of the rule: it must
#                     not report ID at all
#   args              optional: the command line (default "check"); the file
#                     name is appended after the command
# Other files in the directory (imports) are copied along.
#
# usage: run.sh CAMARCH RULE_DIR
set -u
camarch=$1
dir=$2
case $camarch in /*) ;; *) camarch=$(cd "$(dirname "$camarch")" && pwd)/$(basename "$camarch") ;; esac
id=$(basename "$dir")
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
cp -R "$dir"/. "$work"/
cmd=check
[ -f "$dir/args" ] && cmd=$(cat "$dir/args")
fail=0

for f in trigger.camarch nearmiss.camarch; do
  if [ ! -f "$dir/$f" ]; then echo "$id: no $f"; fail=1; continue; fi
  ( cd "$work" && set -- $cmd && verb=$1 && shift && "$camarch" "$verb" "$f" "$@" >/dev/null 2>"$f.err" )
done

if [ -f "$work/trigger.camarch.err" ]; then
  expects=$(grep -c "expect [a-z]*\[$id\] at " "$dir/trigger.camarch")
  [ "$expects" -gt 0 ] || { echo "$id: trigger.camarch states no '// expect ...[$id] at L:C'"; fail=1; }
  grep -o 'expect [a-z]*\[[A-Z0-9]*\] at [0-9]*:[0-9]*' "$dir/trigger.camarch" >"$work/expects"
  while read -r _ what _ where; do
    if grep -qF "trigger.camarch:$where: $what" "$work/trigger.camarch.err"; then
      echo "$id: ok, $what at $where"
    else
      echo "$id: expected trigger.camarch:$where: $what, got:"; sed 's/^/    /' "$work/trigger.camarch.err"; fail=1
    fi
  done <"$work/expects"
  # and nothing of this rule beyond what is stated
  got=$(grep -c "^trigger.camarch:[0-9]*:[0-9]*: [a-z]*\[$id\]" "$work/trigger.camarch.err")
  if [ "$got" -ne "$expects" ]; then
    echo "$id: trigger.camarch reports $id $got times, states $expects:"; sed 's/^/    /' "$work/trigger.camarch.err"; fail=1
  fi
fi
if [ -f "$work/nearmiss.camarch.err" ]; then
  if grep -q "\[$id\]" "$work/nearmiss.camarch.err"; then
    echo "$id: nearmiss.camarch reports $id:"; sed 's/^/    /' "$work/nearmiss.camarch.err"; fail=1
  else
    echo "$id: ok, near miss is clean of $id"
  fi
fi
[ $fail = 0 ] && echo "$id: passed"
exit $fail
