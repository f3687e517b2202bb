# lib.sh - shared by the CLI tests: sourced with CAMARCH and ROOT set.
# Counts checks and ends with the plain "N passed, N failed" line.
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; }
check() { # check DESCRIPTION COMMAND...
  desc=$1; shift
  if "$@"; then ok "$desc"; else bad "$desc"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# The validators live in ../shared/tools beside the repository; a user's
# fresh clone has no ../shared, and then validator tests skip visibly.
shared_tools() {
  d="$ROOT/../shared/tools"
  if [ ! -d "$d" ]; then
    echo "SKIPPED: $d not found (the validators come with ../shared)"
    exit 77
  fi
  echo "$d"
}
# Debian's python3 has the yaml and jsonschema modules the validators need.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
