#!/bin/sh
# docs_examples.sh - compiles every example of docs/language.md.
#
#   sh docs_examples.sh CAMARCH REPO_ROOT
#
# Each fenced block of docs/language.md tagged
#   ```camarch          must pass `camarch check` (exit status 0);
#   ```camarch-error    must fail it (exit status 1), and the ```text block
#                       that follows it must be exactly what camarch printed
#                       on stderr;
#   ```camarch-fragment is not compiled (examples that import a relative
#                       file); at most 3 are allowed.
# Each block is written to a fresh directory as estate.camarch and checked
# there as `camarch check estate.camarch`, so diagnostics name that file.
# A block whose first line is
#   // $ camarch check estate.camarch ARGS...
# is checked with those ARGS (--set NAME=VALUE, --env NAME; no quoting).
#
# Prints one line per block and a summary; exit status 0 when every block
# behaves as documented, 1 otherwise.
#
# DOCS_EXAMPLES_UPDATE=1 rewrites the ```text block after each
# camarch-error block with what camarch prints now (after a deliberate
# change of a message); read the diff before committing it.
set -u
if [ $# -ne 2 ]; then
  echo "usage: sh docs_examples.sh CAMARCH REPO_ROOT" >&2
  exit 2
fi
camarch=$1
doc=$2/docs/language.md
case $camarch in
  /*) ;;
  *) camarch=$(pwd)/$camarch ;;
esac
if [ ! -x "$camarch" ]; then
  echo "docs: $camarch is not an executable" >&2
  exit 1
fi
if [ ! -f "$doc" ]; then
  echo "docs: no $doc" >&2
  exit 1
fi

work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

# Splits the document into $work/N/{estate.camarch,kind,line[,expected]}.
# A ```text block counts as the expected output of the camarch-error block
# right before it (only blank lines in between).
awk -v dir="$work" '
function open_block(kind) {
  n++
  system("mkdir -p \"" dir "/" n "\"")
  file = dir "/" n "/estate.camarch"
  printf "" >file
  print kind >(dir "/" n "/kind")
  print NR >(dir "/" n "/line")
  close(dir "/" n "/kind"); close(dir "/" n "/line")
}
/^```/ && state == "" {
  tag = substr($0, 4); sub(/[ \t]+$/, "", tag)
  if (tag == "camarch" || tag == "camarch-error" || tag == "camarch-fragment") {
    open_block(tag); state = "code"; last = tag; gap = 1; next
  }
  if (tag == "text" && last == "camarch-error" && gap) {
    file = dir "/" n "/expected"; printf "" >file; state = "code"; last = ""; next
  }
  state = "other"; last = ""; next
}
/^```[ \t]*$/ && state != "" {
  if (state == "code") close(file)
  state = ""; next
}
state == "code" { print >file; next }
state == "" && /^[ \t]*$/ { next }
state == "" { last = "" }
' "$doc"

passed=0
failed=0
fragments=0
# shellcheck disable=SC2012 # the directories are numbers
for d in $(ls "$work" | sort -n); do
  b=$work/$d
  kind=$(cat "$b/kind")
  line=$(cat "$b/line")
  where="block $d ($kind, docs/language.md:$line)"
  if [ "$kind" = camarch-fragment ]; then
    fragments=$((fragments + 1))
    echo "skip $where: not compiled"
    continue
  fi
  args=$(sed -n '1s|^// \$ camarch check estate.camarch||p' "$b/estate.camarch")
  want=0
  [ "$kind" = camarch-error ] && want=1
  # shellcheck disable=SC2086 # ARGS are split on blanks on purpose
  (cd "$b" && "$camarch" check estate.camarch $args >stdout 2>stderr)
  rc=$?
  problem=""
  if [ $rc -ne $want ]; then
    problem="exit status $rc, expected $want"
  elif [ "$kind" = camarch-error ]; then
    if [ ! -f "$b/expected" ]; then
      problem="no \`\`\`text block with the expected diagnostics follows it"
    elif ! diff -u "$b/expected" "$b/stderr" >"$b/diff"; then
      problem="the diagnostics differ from the \`\`\`text block after it (- docs, + camarch)"
    fi
  fi
  if [ -z "$problem" ]; then
    passed=$((passed + 1))
    echo "ok   $where"
  else
    failed=$((failed + 1))
    echo "FAIL $where: $problem"
    [ -f "$b/diff" ] && sed 's/^/     /' "$b/diff"
    if [ $rc -ne $want ]; then
      sed 's/^/     /' "$b/stderr"
    fi
  fi
done
if [ "${DOCS_EXAMPLES_UPDATE:-}" = 1 ]; then
  # the same block numbering as the split above
  awk -v dir="$work" '
  function emit(f,    line) {
    while ((getline line <f) > 0) print line
    close(f)
  }
  /^```/ && state == "" {
    tag = substr($0, 4); sub(/[ \t]+$/, "", tag)
    if (tag == "camarch" || tag == "camarch-error" || tag == "camarch-fragment") {
      n++; state = "code"; last = tag; print; next
    }
    if (tag == "text" && last == "camarch-error") {
      print; emit(dir "/" n "/stderr"); state = "skip"; last = ""; next
    }
    state = "other"; last = ""; print; next
  }
  /^```[ \t]*$/ && state != "" { state = ""; print; next }
  state == "skip" { next }
  state == "" && /^[ \t]*$/ { print; next }
  state == "" { last = "" }
  { print }
  ' "$doc" >"$work/updated" && cp "$work/updated" "$doc"
  echo "docs: rewrote the expected diagnostics in $doc"
fi
if [ $fragments -gt 3 ]; then
  echo "FAIL docs/language.md has $fragments camarch-fragment blocks; at most 3 are allowed"
  failed=$((failed + 1))
fi
echo "docs: $passed passed, $failed failed"
[ $failed -eq 0 ]
