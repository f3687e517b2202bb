#!/bin/sh
# The values filled in a Compose project's secrets.env stay with their
# secrets across builds: a secret removed from the estate takes its value
# with it and hands it to no other, a secret added whose name the old
# naming confused with another's leaves the existing value where it was,
# and secrets.env is kept out of the repository by a .gitignore.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

# estate LINES...: a Compose estate whose brokers read the given
# environment lines (NAME = secret(...), each secret a variable named after
# it), beside a storage password and two users' passwords; $conn holds
# lines for the Connectors' environment, whose variables keep their names.
conn=
estate() {
  {
    echo 'estate "acme" {'
    echo '  version = "8.8"'
    echo '  identity { method = basic'
    echo '    user "connectors" { password = secret("users", key = "connectors"), roles = ["connectors"] }'
    echo '    user "ops" { password = secret("users", key = "ops"), roles = ["admin"] } }'
    echo '  orchestration { brokers = 1, partitions = 1, replication = 1, zones = [],'
    echo '    storage = elasticsearch { password = secret("search", key = "password") }'
    echo '    env = {'
    for line in "$@"; do echo "      $line"; done
    echo '  } }'
    echo "  connectors { env = { $conn } }"
    echo '}'
    echo 'environment "dev" { target = compose }'
  } >estate.camarch
}
secrets=out/dev/secrets.env
# fill VAR VALUE: writes the value in, as a user does
fill() { sed "s|^$1=''\$|$1='$2'|" $secrets >s.tmp && cat s.tmp >$secrets && rm s.tmp; }
# value VAR: the value of VAR in secrets.env, as written
value() { sed -n "s|^$1=||p" $secrets; }
# holder VAR: the secret line above VAR
holder() { awk -v v="$1=" '/^# secret /{ s = $0 } index($0, v) == 1 { print s }' $secrets; }

# B and B2 were SECRET_APP_B and SECRET_APP_B_2 by order
estate 'A = secret("app", key = "a")' 'B = secret("app", key = "b")' 'B2 = secret("app", key = "B")' \
  'C = secret("app", key = "c")'
"$CAMARCH" build estate.camarch -o out 2>err; rc=$?
check "a Compose estate with secrets builds" [ $rc -eq 0 ]
vars=$(sed -n "s/^\([A-Z0-9_]*\)=''\$/\1/p" $secrets)
check "secrets.env has a variable per secret" [ "$(printf '%s\n' $vars | wc -l)" -eq 7 ]
for v in $vars; do fill "$v" "value of $v"; done
before=$(cat $secrets)

# --- a secret removed ----------------------------------------------------------
estate 'A = secret("app", key = "a")' 'B2 = secret("app", key = "B")' 'C = secret("app", key = "c")'
"$CAMARCH" build estate.camarch -o out 2>err; rc=$?
check "the estate without B builds" [ $rc -eq 0 ]
check "B's value is gone" sh -c "[ -s $secrets ] && ! grep -q \"'value of SECRET_APP__B'\" $secrets"
check "and so is B's variable" sh -c "[ -s $secrets ] && ! grep -q '^SECRET_APP__B=' $secrets"
for v in $vars; do
  [ "$v" = SECRET_APP__B ] && continue
  check "$v keeps its value" [ "$(value "$v")" = "'value of $v'" ]
  check "$v keeps its secret" [ "$(holder "$v")" = "$(printf '%s\n' "$before" | awk -v v="$v=" '/^# secret /{ s = $0 } index($0, v) == 1 { print s }')" ]
done
check "no other variable holds a value it was not given" \
  [ "$(grep -c "^[A-Z0-9_]*='value of " $secrets)" -eq 6 ]
check "secrets.env stays mode 0600" [ "$(stat -c %a $secrets)" = 600 ]
"$CAMARCH" build estate.camarch -o out 2>err
check "a build without changes writes nothing" grep -q "^camarch: 0 files written" err

# --- a secret added whose old name was the same as an existing one's ---------
# secret("app", key = "A"), named first, took SECRET_APP_A from
# secret("app", key = "a"); app-a/x and app/a-x were one name too
estate 'D = secret("app", key = "A")' 'A = secret("app", key = "a")' 'B2 = secret("app", key = "B")' \
  'C = secret("app", key = "c")' 'E = secret("app-a", key = "x")' 'F = secret("app", key = "a-x")'
"$CAMARCH" build estate.camarch -o out 2>err; rc=$?
check "the estate with the look-alike secrets builds" [ $rc -eq 0 ]
check "the existing secret keeps its variable and value" [ "$(value SECRET_APP__A)" = "'value of SECRET_APP__A'" ]
check "and its secret line" [ "$(holder SECRET_APP__A)" = '# secret "app", key "a"' ]
new=$(grep -A3 '^# secret "app", key "A"' $secrets | sed -n "s/^\([A-Z0-9_]*\)=.*/\1/p")
check "the look-alike gets a variable of its own" sh -c "[ -n '$new' ] && [ '$new' != SECRET_APP__A ]"
check "and no value" [ "$(value "$new")" = "''" ]
check "app-a/x gets a variable" [ "$(value SECRET_APP_A__X)" = "''" ]
check "and app/a-x another" [ "$(value SECRET_APP__A_X)" = "''" ]
check "every value filled in is still there once" [ "$(grep -c "^[A-Z0-9_]*='value of " $secrets)" -eq 6 ]

# --- a variable two secrets would share is an error, not a suffix -------------
snap=$(cat $secrets)
conn='SECRET_APP__C = secret("other", key = "x")'
estate 'A = secret("app", key = "a")' 'C = secret("app", key = "c")'
"$CAMARCH" build estate.camarch -o out 2>err; rc=$?
check "two secrets on one variable exit 1" [ $rc -eq 1 ]
check "the error says which" grep -q 'error\[TGT002\]: secret("app", key = "c") would be SECRET_APP__C' err
check "and nothing is written" [ "$(cat $secrets)" = "$snap" ]
conn=

# --- secrets.env stays out of the repository -----------------------------------
check "a .gitignore is written" [ -f out/dev/.gitignore ]
check "it names secrets.env" grep -qx '/secrets.env' out/dev/.gitignore
check "it is in the manifest" grep -qx '.gitignore' out/dev/.camarch-manifest
if command -v git >/dev/null 2>&1; then
  (cd out/dev && git init -q . && git check-ignore -q secrets.env)
  check "git ignores secrets.env there" [ $? -eq 0 ]
  (cd out/dev && git check-ignore -q docker-compose.yaml)
  check "and nothing else" [ $? -ne 0 ]
fi
finish
