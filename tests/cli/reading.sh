#!/bin/sh
# What camarch reads: only regular files of at most 256 MiB, opened once
# and never waited on; relative imports inside the estate's directory and
# std/ imports inside the standard library, before a byte is read.  A root
# file that cannot be read is an I/O error (exit 2); an import that cannot
# be is an error at the import (exit 1).  Every run is bounded by a timeout:
# a blocking read fails the test instead of hanging it.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
T="timeout 20"
tail='estate "x" { version = "8.8" }
environment "e" { target = helm }'

# --- the root file ---------------------------------------------------------
root_refused() { # root_refused DESC FILE WHY
  $T "$CAMARCH" check "$2" 2>err; rc=$?
  check "$1: exit 2" [ $rc -eq 2 ]
  check "$1: says why" grep -q "^camarch: cannot read $2: $3" err
}
mkfifo fifo.camarch
mkdir dir.camarch
ln -s /dev/zero zero.camarch
truncate -s 257M big.camarch
root_refused "a device" /dev/zero "it is a device, not a regular file"
root_refused "a FIFO" fifo.camarch "it is a FIFO, not a regular file"
root_refused "a directory" dir.camarch "it is a directory, not a regular file"
root_refused "a symbolic link to a device" zero.camarch "it is a device, not a regular file"
root_refused "a file over the limit" big.camarch "it is larger than 256 MiB"
root_refused "a missing file" nope.camarch "no such file"

# --- imports ---------------------------------------------------------------
import_refused() { # import_refused DESC PATH ID WHY
  printf 'import "%s"\n%s\n' "$2" "$tail" >a.camarch
  $T "$CAMARCH" check a.camarch 2>err; rc=$?
  check "import of $1: exit 1" [ $rc -eq 1 ]
  check "import of $1: $3 at the path" grep -q "^a.camarch:1:8: error\[$3\]: .*$4" err
}
import_refused "a FIFO" ./fifo.camarch IMP006 "cannot read import \"./fifo.camarch\": it is a FIFO, not a regular file"
import_refused "a FIFO, without .camarch" ./fifo IMP006 "it is a FIFO"
import_refused "a directory" ./dir IMP006 "it is a directory, not a regular file"
import_refused "a file over the limit" ./big IMP006 "it is larger than 256 MiB"
import_refused "a link to a device" ./zero IMP003 "leaves the estate's directory"
import_refused "/etc/passwd from std/" std/../../../../../../../../../../../../etc/passwd IMP005 \
  "leaves the standard library"
check "nothing of it is echoed" sh -c '! grep -q "root:" err'
import_refused "/dev/zero from std/" std/../../../../../../../../../../../../dev/zero IMP005 \
  "leaves the standard library"
import_refused "a missing std/ name" std/.../dev/zero IMP001 "cannot find import"
check "the note lists the modules" grep -q "^note: the standard library has std/camunda/8.8" err

# PATH or PATH.camarch: the first that is a regular file, so a module
# beside a directory of the same name is found
mkdir lib0 && printf 'let v = 1\n' >lib0.camarch
printf 'import "./lib0"\n%s\n' "$tail" >beside.camarch
$T "$CAMARCH" check beside.camarch 2>err; rc=$?
check "a module beside a directory of its name is imported" [ $rc -eq 0 ]

# a NUL byte cuts no import path: the error is at the NUL, nothing is loaded
printf 'import "std/sizing\000../../etc/passwd"\n%s\n' "$tail" >nul.camarch
$T "$CAMARCH" check nul.camarch 2>err; rc=$?
check "a NUL in an import path: exit 1" [ $rc -eq 1 ]
check "a NUL in an import path: SYN003 at the NUL" grep -q '^nul.camarch:1:19: error\[SYN003\]: a NUL byte' err
check "a NUL in an import path: the import is not tried" sh -c '! grep -q "IMP0" err'
printf '%s\n// a comment \000 with a NUL\n' "$tail" >nul2.camarch
$T "$CAMARCH" check nul2.camarch 2>err; rc=$?
check "a NUL in a comment is an error too" grep -q '^nul2.camarch:3:14: error\[SYN003\]' err

# --- the standard library is confined too --------------------------------------
# a copy of it with a module that is a link out of it, and one whose
# relative import leaves it
cp -R "$ROOT/stdlib" lib
ln -s /etc/passwd lib/std/evil.camarch
printf 'import "../../outside.camarch"\n' >lib/std/climb.camarch
printf 'let secret = "outside"\n' >outside.camarch
printf 'import "std/evil"\n%s\n' "$tail" >evil.camarch
CAMARCH_STDLIB=$work/lib $T "$CAMARCH" check evil.camarch 2>err; rc=$?
check "a stdlib module linked outside: exit 1" [ $rc -eq 1 ]
check "a stdlib module linked outside: IMP005" grep -q '^evil.camarch:1:8: error\[IMP005\]' err
check "a stdlib module linked outside: nothing echoed" sh -c '! grep -q "root:" err'
printf 'import "std/climb"\n%s\n' "$tail" >climb.camarch
CAMARCH_STDLIB=$work/lib $T "$CAMARCH" check climb.camarch 2>err; rc=$?
check "a stdlib module importing outside it: exit 1" [ $rc -eq 1 ]
check "a stdlib module importing outside it: IMP005 in that module" \
  grep -q '^<stdlib>/climb:1:8: error\[IMP005\]: import "../../outside.camarch" leaves the standard library' err

# std/profiles, which camarch loads by itself, is read the same way
rm lib/std/profiles.camarch && mkfifo lib/std/profiles.camarch
printf '%s\n' "$tail" >plain.camarch
CAMARCH_STDLIB=$work/lib $T "$CAMARCH" check plain.camarch 2>err; rc=$?
check "a FIFO as std/profiles: exit 1, not a hang" [ $rc -eq 1 ]
check "a FIFO as std/profiles: says why" grep -q "error\[IMP006\]: cannot read the standard library's std/profiles: it is a FIFO" err
finish
