#!/bin/sh
# The command line: exit codes, --help/--version, JSON diagnostics and IR
# that a JSON parser accepts, explain.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$ROOT"
ex=examples/acme/estate.camarch

"$CAMARCH" --help >"$work/help"; check "--help exits 0" [ $? -eq 0 ]
check "--help lists the helm target" grep -q '^  helm ' "$work/help"
"$CAMARCH" --version >"$work/v"; check "--version prints the version" grep -q '^camarch [0-9]' "$work/v"
"$CAMARCH" frobnicate 2>"$work/e"; check "an unknown command exits 2" [ $? -eq 2 ]
"$CAMARCH" chekc $ex 2>"$work/e"; check "a misspelt command gets a suggestion" grep -q "did you mean 'check'" "$work/e"
"$CAMARCH" check 2>/dev/null; check "check without a file exits 2" [ $? -eq 2 ]
"$CAMARCH" check /nonexistent.camarch 2>/dev/null; check "an unreadable file exits 2" [ $? -eq 2 ]
"$CAMARCH" check $ex --bogus 2>/dev/null; check "an unknown option exits 2" [ $? -eq 2 ]
"$CAMARCH" check $ex; check "the example estate checks clean" [ $? -eq 0 ]

"$CAMARCH" ir $ex --env prod >"$work/ir.json"; check "ir exits 0" [ $? -eq 0 ]
check "ir output is JSON" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["environment"]=="prod"; assert d["estate"]["orchestration"]["brokers"]==3' "$work/ir.json"
check "ir prints secrets as references" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["estate"]["orchestration"]["storage"]["password"]=={"secret":"opensearch-credentials","key":"password"}' "$work/ir.json"
"$CAMARCH" ir $ex 2>/dev/null; check "ir without --env on a multi-environment estate exits 2" [ $? -eq 2 ]
"$CAMARCH" ir $ex --env prd 2>"$work/e"; check "an unknown --env exits 1" [ $? -eq 1 ]
check "and suggests the closest" grep -q 'did you mean "prod"' "$work/e"

printf 'estate "x" {\n  version = "8.8"\n  orchestration { brokrs = 3 }\n}\nenvironment "e" { target = helm }\n' >"$work/bad.camarch"
"$CAMARCH" check "$work/bad.camarch" --diagnostics=json 2>"$work/diag.json"; rc=$?
check "an unknown field exits 1" [ $rc -eq 1 ]
check "JSON diagnostics parse and locate the error" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); g=d["diagnostics"][0]; assert d["version"]==1 and g["code"]=="TYP003" and g["location"]["line"]==3 and g["location"]["column"]==19 and "brokers" in g["help"]' "$work/diag.json"

"$CAMARCH" explain TYP003 >"$work/x"; check "explain prints an explanation" grep -q 'unknown field' "$work/x"
"$CAMARCH" explain --list >"$work/x"; check "explain --list lists SYN001" grep -q '^SYN001 ' "$work/x"
"$CAMARCH" explain TYP03 2>"$work/x"; check "explain of an unknown id exits 2" [ $? -eq 2 ]
finish
