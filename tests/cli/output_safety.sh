#!/bin/sh
# Nothing under the output directory leads camarch out of it: links where it
# would write, read, remove or chmod, forged manifests, FIFOs and devices in
# place of its files, odd -o values and environment names.  Each case
# asserts the exit code and that nothing outside the output directory
# changed (every file's hash and every entry's mode, before and after).
set -u
CAMARCH=$1 ROOT=$2
case $CAMARCH in /*) ;; *) CAMARCH=$(pwd)/$CAMARCH ;; esac
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$ROOT/examples/acme/estate.camarch" "$work/"
mkdir -p "$work/platform" && cp "$ROOT/examples/acme/platform/common.camarch" "$work/platform/"
cd "$work"
# a bounded run: a blocking read fails the test instead of hanging the suite
camarch() { timeout 10 "$CAMARCH" "$@"; }

# everything in the work directory but out/, with modes and hashes
outside() {
  find . -path ./out -prune -o -path ./err -prune -o -exec stat -c '%n %a %F' {} + | sort
  find . -path ./out -prune -o -type f ! -name err -exec sha256sum {} + | sort
}
fresh() { rm -rf out outside-dir && mkdir -p outside-dir && echo precious >outside-dir/victim && chmod 640 outside-dir/victim; }
built() { fresh && camarch build estate.camarch -o out 2>/dev/null; }

# --- links where camarch would write -------------------------------------------------------
built
rm -rf out/prod && ln -s ../outside-dir out/prod
before=$(outside)
camarch build estate.camarch -o out 2>err; rc=$?
check "out/prod as a link elsewhere: refused (exit 2)" [ $rc -eq 2 ]
check "the refusal names the link" grep -q 'error\[OUT002\]: out/prod is a symbolic link; camarch does not write through links' err
check "and nothing outside changed" [ "$(outside)" = "$before" ]

built
mkdir -p outside-dir/orchestration && echo mine >outside-dir/orchestration/application.yaml
rm -rf out/dev/config && ln -s ../../outside-dir out/dev/config
before=$(outside)
camarch build estate.camarch -o out --set ACME_DOMAIN=changed.example 2>err; rc=$?
check "a Compose env's config/ as a link: refused (exit 2)" [ $rc -eq 2 ]
check "the refusal names out/dev/config" grep -q 'out/dev/config is a symbolic link' err
check "and nothing outside changed" [ "$(outside)" = "$before" ]
camarch build estate.camarch -o out --force 2>err; rc=$?
check "--force does not write through it either (exit 2)" [ $rc -eq 2 ]
check "and nothing outside changed" [ "$(outside)" = "$before" ]

built
cp out/prod/values.yaml outside-dir/values.yaml && chmod 640 outside-dir/values.yaml
rm out/prod/values.yaml && ln -s ../../outside-dir/values.yaml out/prod/values.yaml
before=$(outside)
camarch build estate.camarch -o out 2>err; rc=$?
check "an unchanged values.yaml as a link: refused (exit 2)" [ $rc -eq 2 ]
check "the refusal names it" grep -q 'out/prod/values.yaml is a symbolic link' err
check "the link's target keeps its content and mode" [ "$(outside)" = "$before" ]

# --- removing stale files --------------------------------------------------------------------
built
mkdir -p outside-dir/sub && echo precious >outside-dir/sub/old.yaml
ln -s ../../outside-dir/sub out/prod/sub
echo 'sub/old.yaml' >>out/prod/.camarch-manifest
before=$(outside)
camarch build estate.camarch -o out 2>err; rc=$?
check "stale removal through a linked directory: refused (exit 2)" [ $rc -eq 2 ]
check "the refusal names the link" grep -q 'out/prod/sub is a symbolic link' err
check "and nothing outside changed" [ "$(outside)" = "$before" ]

# --- forged manifests --------------------------------------------------------------------------
built
echo mine >out/prod/mine.txt
echo keep >out/keep.txt
{ echo '../outside-dir/victim'; echo '../keep.txt'; echo "$work/outside-dir/victim"; echo '/etc/hostname'
  printf '%4095s' '' | tr ' ' x; echo 'mine.txt'; printf '%8000s' '' | tr ' ' y; echo '/../../outside-dir/victim'
} >>out/prod/.camarch-manifest
before=$(outside)
camarch build estate.camarch -o out 2>err; rc=$?
check "a manifest naming ../, absolute paths and >4096-byte lines builds (exit 0)" [ $rc -eq 0 ]
check "no file it names outside is touched" [ "$(outside)" = "$before" ]
check "a file beside the environments is kept" [ "$(cat out/keep.txt)" = keep ]
check "the tail of a long line is not read as a file name" [ "$(cat out/prod/mine.txt)" = mine ]
check "the new manifest lists only what was written" [ "$(grep -vc '^#' out/prod/.camarch-manifest)" -eq 2 ]

built
rm out/prod/.camarch-manifest && mkfifo out/prod/.camarch-manifest
before=$(outside)
camarch build estate.camarch -o out 2>err; rc=$?
check "a FIFO manifest: refused at once (exit 2)" [ $rc -eq 2 ]
check "the refusal says what it is" grep -q 'out/prod/.camarch-manifest: it is a FIFO' err
check "and nothing outside changed" [ "$(outside)" = "$before" ]

built
rm out/prod/.camarch-manifest && ln -s /dev/zero out/prod/.camarch-manifest
camarch build estate.camarch -o out 2>err; rc=$?
check "a manifest linked to /dev/zero: refused at once (exit 2)" [ $rc -eq 2 ]
check "the refusal says it is a link" grep -q 'out/prod/.camarch-manifest: it is a symbolic link' err

# --- what Compose reads back: secrets.env ------------------------------------------------------
for kind in fifo zero; do
  built
  rm out/dev/secrets.env
  if [ $kind = fifo ]; then mkfifo out/dev/secrets.env; else ln -s /dev/zero out/dev/secrets.env; fi
  before=$(outside)
  inside=$(cd out && find . -type f -exec sha256sum {} + | sort)
  for cmd in check build; do
    camarch $cmd estate.camarch -o out 2>err; rc=$?
    check "secrets.env as a $kind: $cmd returns at once with an I/O error (exit 2)" [ $rc -eq 2 ]
    check "  naming the file" grep -q 'error\[OUT002\]: out/dev/secrets.env is a ' err
    check "  and nothing outside changed" [ "$(outside)" = "$before" ]
  done
  check "  and the build wrote nothing" [ "$(cd out && find . -type f -exec sha256sum {} + | sort)" = "$inside" ]
done

built
rm -rf out/dev && mkdir -p outside-dir/dev && echo 'STOLEN=1' >outside-dir/dev/secrets.env && ln -s ../outside-dir/dev out/dev
camarch check estate.camarch -o out 2>err; rc=$?
check "check through a linked environment directory: an I/O error (exit 2)" [ $rc -eq 2 ]
check "  naming the link" grep -q 'out/dev is a symbolic link; camarch does not read through links' err

# --- -o --------------------------------------------------------------------------------------
fresh
before=$(outside)
camarch build estate.camarch -o '' 2>err; rc=$?
check "-o '' is a usage error (exit 2)" [ $rc -eq 2 ]
check "  saying so" grep -q -- '-o needs a directory' err
camarch build estate.camarch --output= 2>err; rc=$?
check "--output= too (exit 2)" [ $rc -eq 2 ]
check "  and nothing was written anywhere" [ "$(outside)" = "$before" ]
echo 'a file' >afile
camarch build estate.camarch -o afile 2>err; rc=$?
check "-o naming a file is an error (exit 2)" [ $rc -eq 2 ]
check "  saying so" grep -q 'error\[OUT002\]: afile is not a directory' err
check "  and the file is unchanged" [ "$(cat afile)" = 'a file' ]
rm afile
mkdir -p real && ln -s real linked
camarch build estate.camarch -o linked/deeper/out 2>err; rc=$?
check "-o is the user's: created like mkdir -p, through a link (exit 0)" [ $rc -eq 0 ]
check "  into the link's target" [ -f real/deeper/out/prod/values.yaml ]
rm -rf real linked

# --- environment names -------------------------------------------------------------------------
for name in .. . '../../x/y' 'a/.' 'a/b'; do
  fresh && mkdir -p nest/out
  sed "s|environment \"prod\"|environment \"$name\"|" estate.camarch >odd.camarch
  before=$(outside)
  camarch build odd.camarch -o nest/out 2>err; rc=$?
  check "environment \"$name\": refused (exit 1 or 2)" [ $rc -eq 1 -o $rc -eq 2 ]
  check "  nothing outside nest/out was written" [ "$(outside | grep -v '^\./nest/out')" = "$(printf '%s\n' "$before" | grep -v '^\./nest/out')" ]
  check "  nor inside it" [ -z "$(ls -A nest/out)" ]
  rm -rf nest odd.camarch
done

# --- leftovers of an interrupted build ---------------------------------------------------------
built
echo half >out/prod/values.yaml.camarch-tmp.Ab12Cd
echo old >out/prod/README.md.camarch-old.Zz9876
echo older >out/dev/config/orchestration/application.yaml.camarch-tmp.abcdef.camarch-old
echo mine >out/prod/notes.camarch-tmp.txt
camarch build estate.camarch -o out 2>err; rc=$?
check "a build after an interrupted one succeeds (exit 0)" [ $rc -eq 0 ]
check "  and says it removed the leftovers" grep -q 'removed 3 leftover files of an interrupted build' err
check "  none is left" [ -z "$(find out -name '*.camarch-tmp.??????' -o -name '*.camarch-old*')" ]
check "  a user's file that only looks like one is kept" [ "$(cat out/prod/notes.camarch-tmp.txt)" = mine ]

# --- two builds at once --------------------------------------------------------------------------
built
before=$(cd out && find . -type f -exec sha256sum {} + | sort)
flock out sleep 3 &
sleep 1
camarch build estate.camarch -o out --set ACME_DOMAIN=changed.example 2>err; rc=$?
wait
check "a second build of a directory being written is refused (exit 2)" [ $rc -eq 2 ]
check "  saying why" grep -q 'another camarch build is writing to out' err
check "  and changes nothing" [ "$(cd out && find . -type f -exec sha256sum {} + | sort)" = "$before" ]
finish
