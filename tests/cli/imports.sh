#!/bin/sh
# Relative imports are confined to the root file's directory tree, also
# through symbolic links; paths in messages are shown as the user would
# write them.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/estate/lib" "$work/outside"
echo 'let domain = "outside.example"' >"$work/outside/common.camarch"
ln -s ../../outside/common.camarch "$work/estate/lib/link.camarch"
cd "$work/estate"

cat >a.camarch <<'CAM'
import "../outside/common.camarch"
estate "x" { version = "8.8" }
environment "e" { target = helm }
CAM
"$CAMARCH" check a.camarch 2>err; rc=$?
check "an import outside the tree exits 1" [ $rc -eq 1 ]
check "it is IMP003 at the import" grep -q '^a.camarch:1:8: error\[IMP003\]' err
check "the note names the root file" grep -q "^note: imports must stay in the directory of a.camarch or below it" err

cat >b.camarch <<'CAM'
import "./lib/link.camarch"
estate "x" { version = "8.8" }
environment "e" { target = helm }
CAM
"$CAMARCH" check b.camarch 2>err; rc=$?
check "a symbolic link leading outside is refused too" grep -q 'error\[IMP003\]' err

printf 'import "./more.camarch"\nlet x = 1\n' >lib/common.camarch
printf 'let y = = 1\n' >lib/more.camarch
cat >c.camarch <<'CAM'
import "./lib/common.camarch"
estate "x" { version = "8.8" }
environment "e" { target = helm }
CAM
"$CAMARCH" check c.camarch 2>err
check "an imported file's error names it as lib/more.camarch" grep -q '^lib/more.camarch:1:9: error\[SYN001\]' err

cd "$work"
"$CAMARCH" check estate/c.camarch 2>err
check "run from elsewhere, paths start at the root file's directory" grep -q '^estate/lib/more.camarch:1:9:' err
finish
