#!/bin/sh
# One run reports several independent syntax errors, each with its line,
# column, source line and caret.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
cat >three.camarch <<'CAM'
estate "x" {
  version = "8.8"
  orchestration {
    brokers = = 3
    partitions = 3
  }
  connectors { replicas 2 }
  identity { method = basic }
  optimize { enabled = false
}
environment "dev" { target = helm }
CAM
"$CAMARCH" check three.camarch 2>err; rc=$?
cat err
check "exit status 1" [ $rc -eq 1 ]
check "first error at 4:15" grep -q '^three.camarch:4:15: error\[SYN001\]' err
check "second error at 7:25" grep -q '^three.camarch:7:25: error\[SYN001\]' err
check "third error: unterminated block, at the end of the last line" grep -q '^three.camarch:11:36: error\[SYN002\]' err
check "the note points at the unclosed brace" grep -q "^three.camarch:1:12: note: '{' opened at line 1 is never closed" err
check "the caret sits under the offending token" grep -qx '   |               ^' err
check "three errors in all" grep -q '^camarch: 3 errors' err
finish
