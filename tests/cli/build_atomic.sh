#!/bin/sh
# Outputs are all-or-nothing: a broken estate, an unwritable directory or a
# file camarch did not write leave the output directory exactly as it was.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp "$ROOT/examples/acme/estate.camarch" "$work/"
mkdir -p "$work/platform" && cp "$ROOT/examples/acme/platform/common.camarch" "$work/platform/"
cd "$work"
snapshot() { (cd out && find . -type f -exec sha256sum {} + | sort) 2>/dev/null; }

"$CAMARCH" build estate.camarch -o out 2>err; rc=$?
check "a good estate builds (exit 0)" [ $rc -eq 0 ]
check "every environment is written" test -f out/dev/docker-compose.yaml -a -f out/staging/values.yaml -a -f out/prod/values.yaml
check "each environment directory has a manifest" [ -f out/prod/.camarch-manifest ]
before=$(snapshot)

"$CAMARCH" build estate.camarch -o out 2>err
check "a second build changes nothing" grep -q "^camarch: 0 files written, [0-9]* unchanged, 0 removed" err

# break the estate: a type error in the prod overlay only
sed 's/namespace = "camunda-prod"/namespace = 42/' estate.camarch >broken.camarch
"$CAMARCH" build broken.camarch -o out 2>err; rc=$?
check "a broken estate exits 1" [ $rc -eq 1 ]
check "the error names file, line and id" grep -q '^broken.camarch:[0-9]*:[0-9]*: error\[TYP001\]' err
check "a broken estate leaves out/ untouched" [ "$(snapshot)" = "$before" ]
check "no temporary files are left" [ -z "$(find out -name '*.camarch-tmp.*')" ]

# a file camarch did not write is never overwritten
"$CAMARCH" build estate.camarch -o other --env prod 2>/dev/null
echo "mine" >other/prod/values.yaml.keep
rm other/prod/.camarch-manifest
"$CAMARCH" build estate.camarch -o other --env prod 2>err; rc=$?
check "refuses to overwrite a file it did not write (exit 2)" [ $rc -eq 2 ]
check "the refusal names the file" grep -q 'refusing to overwrite other/prod/values.yaml' err
"$CAMARCH" build estate.camarch -o other --env prod --force 2>err; rc=$?
check "--force overwrites it" [ $rc -eq 0 ]
check "a user's own file beside the outputs survives" [ "$(cat other/prod/values.yaml.keep)" = mine ]

# an unwritable directory: nothing changes, nothing is left behind
if [ "$(id -u)" != 0 ]; then
  chmod a-w out/prod
  "$CAMARCH" build estate.camarch -o out --set ACME_DOMAIN=changed.example 2>err; rc=$?
  check "an unwritable output directory exits 2" [ $rc -eq 2 ]
  chmod u+w out/prod
  check "and leaves out/ untouched" [ "$(snapshot)" = "$before" ]
else
  # root ignores permissions: make the destination a directory instead
  rm -rf out2 && "$CAMARCH" build estate.camarch -o out2 2>/dev/null
  before2=$(cd out2 && find . -type f -exec sha256sum {} + | sort)
  rm out2/prod/values.yaml && mkdir out2/prod/values.yaml
  "$CAMARCH" build estate.camarch -o out2 --set ACME_DOMAIN=changed.example 2>err; rc=$?
  check "a destination that cannot be replaced exits 2" [ $rc -eq 2 ]
  # every environment's files but prod's (the root's own files, the lock and manifest, aside)
  others() { grep -v -e '^[0-9a-f]*  ./prod/' -e '^[0-9a-f]*  \./\.[^/]*$'; }
  check "the other environments are left untouched" [ "$(cd out2 && find . -type f -exec sha256sum {} + | sort | others)" = "$(printf '%s\n' "$before2" | others)" ]
  check "no temporary files are left" [ -z "$(find out2 -name '*.camarch-tmp.*')" ]
fi

# an environment that is no longer built has its files removed on the next build
"$CAMARCH" build estate.camarch -o out3 2>/dev/null
check "manifest lists values.yaml" grep -qx values.yaml out3/prod/.camarch-manifest
finish
