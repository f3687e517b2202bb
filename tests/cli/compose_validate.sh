#!/bin/sh
# Every Docker Compose project camarch writes, for the example compose
# estate and for every golden build case, passes check-compose (the
# compose-spec schema, declared volumes, networks and dependencies, files
# that exist, no host port bound twice) with no findings.  A second build
# changes nothing, the secrets file is mode 0600 and keeps the values filled
# in, and the golden projects modelled on Camunda's own compare
# structurally with them: the same services, images, published ports,
# healthchecks and dependencies, but for the deliberate differences listed
# here and in examples/compose/README.md.
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
tools=$(shared_tools) || { echo "$tools"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
example="$ROOT/examples/compose/estate.camarch"
if "$CAMARCH" build "$example" -o "$work/example" 2>"$work/err"; then
  ok "the example compose estate builds"
else
  cat "$work/err"; bad "the example compose estate builds"
fi

# check-compose, on the example and on every golden project
find "$work/example" "$ROOT"/tests/golden -name docker-compose.yaml | sort >"$work/all"
check "there are Compose projects to check" [ -s "$work/all" ]
if out=$(xargs "$PY" "$tools/check-compose" <"$work/all" 2>&1); then
  printf '%s\n' "$out" | while IFS= read -r line; do echo "ok: $line"; done
  passed=$((passed + $(wc -l <"$work/all")))
else
  printf '%s\n' "$out"
  bad "Compose projects fail check-compose"
fi

# a second build writes nothing and changes nothing
cp -R "$work/example" "$work/first"
"$CAMARCH" build "$example" -o "$work/example" 2>"$work/err2"
check "a second build writes no file" grep -q ' 0 files written' "$work/err2"
check "a second build leaves the tree as it was" diff -r "$work/first" "$work/example"

# the secrets file: 0600, its values empty; the values a developer fills in
# survive a build, and no other file carries them
secrets="$work/example/dev/secrets.env"
check "secrets.env is mode 0600" sh -c "ls -l '$secrets' | grep -q '^-rw------- '"
check "secrets.env leaves every value empty ('')" sh -c "! grep '=' '$secrets' | grep -v '^#' | grep -qv \"=''\\$\""
sed "s/^\([A-Z_0-9]*\)=''$/\1='filled-in-\1'/" "$secrets" >"$work/filled" && cat "$work/filled" >"$secrets"
"$CAMARCH" build "$example" -o "$work/example" 2>/dev/null
check "a build keeps the values filled in" grep -q "^KC_DB_PASSWORD='filled-in-KC_DB_PASSWORD'$" "$secrets"
check "... and the mode" sh -c "ls -l '$secrets' | grep -q '^-rw------- '"
check "no other file holds a secret's value" sh -c "! grep -rl 'filled-in-' '$work/example' | grep -v '/secrets.env\$'"

# structural comparison with Camunda's projects
ref="$ROOT/../shared/reference/compose"
golden="$ROOT/tests/golden"
compare() { # compare NAME GENERATED REFERENCE
  if out=$("$PY" - "$1" "$2" "$3" <<'EOF' 2>&1
import sys, yaml
name, gen, ref = sys.argv[1:4]
# Deliberate differences (examples/compose/README.md explains each).
DELIBERATE = {
    "full-8.8": {
        "postgres: renamed keycloak-db",
        "mailpit: port 1025:1025 not published",
        "connectors: also waits for identity (service_healthy)",
        "optimize: also waits for keycloak (service_healthy)",
        "web-modeler-restapi: also waits for keycloak (service_healthy)",
    },
    "full-8.9": {
        "postgres: renamed keycloak-db",
        "mailpit: port 1025:1025 not published",
        "connectors: also waits for identity (service_healthy)",
        "optimize: also waits for keycloak (service_healthy)",
        "web-modeler-restapi: also waits for keycloak (service_healthy)",
        "camunda-data-init: missing",
        "orchestration: does not wait for camunda-data-init (service_completed_successfully)",
    },
}
RENAMED = {"postgres": "keycloak-db"}
def services(path):
    return yaml.safe_load(open(path))["services"]
def repo(image):
    return image.split("@")[0].rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image
def ports(s):
    out = set()
    for p in s.get("ports") or []:
        parts = str(p).split(":")
        out.add(":".join(parts[-2:]) if len(parts) > 1 else parts[0] + ":" + parts[0])
    return out
def deps(s):
    d = s.get("depends_on") or {}
    return {k: (v or {}).get("condition", "service_started") for k, v in d.items()} if isinstance(d, dict) else {k: "service_started" for k in d}
G, R = services(gen), services(ref)
found = []
for rname, r in R.items():
    gname = RENAMED.get(rname, rname)
    if gname != rname:
        found.append(f"{rname}: renamed {gname}")
    g = G.get(gname)
    if g is None:
        found.append(f"{rname}: missing"); continue
    if repo(g["image"]) != repo(r["image"]):
        found.append(f"{rname}: image {repo(g['image'])}, not {repo(r['image'])}")
    for p in sorted(ports(r) - ports(g)):
        found.append(f"{rname}: port {p} not published")
    for p in sorted(ports(g) - ports(r)):
        found.append(f"{rname}: also publishes {p}")
    if ("healthcheck" in r) != ("healthcheck" in g):
        found.append(f"{rname}: healthcheck {'missing' if 'healthcheck' in r else 'added'}")
    rd = {RENAMED.get(k, k): v for k, v in deps(r).items()}
    gd = deps(g)
    for k in sorted(set(rd) - set(gd)):
        found.append(f"{rname}: does not wait for {k} ({rd[k]})")
    for k in sorted(set(gd) - set(rd)):
        found.append(f"{rname}: also waits for {k} ({gd[k]})")
    for k in sorted(set(rd) & set(gd)):
        if rd[k] != gd[k]:
            found.append(f"{rname}: waits for {k} with {gd[k]}, not {rd[k]}")
for gname in sorted(set(G) - {RENAMED.get(k, k) for k in R}):
    found.append(f"{gname}: extra service")
allowed = DELIBERATE.get(name, set())
bad = [f for f in found if f not in allowed]
for f in found:
    print(("deliberate: " if f in allowed else "DIFFERS: ") + f)
for f in sorted(allowed - set(found)):
    print(f"listed but not found: {f}"); bad.append(f)
sys.exit(1 if bad else 0)
EOF
  ); then
    [ -n "$out" ] && printf '%s\n' "$out" | sed "s/^/  $1: /"
    ok "$1 is structurally Camunda's project"
  else
    printf '%s\n' "$out" | sed "s/^/  $1: /"
    bad "$1 is structurally Camunda's project"
  fi
}
compare lightweight-8.8 "$golden/compose-lightweight/expected.out/dev88/docker-compose.yaml" "$ref/camunda-8.8/docker-compose.yaml"
compare lightweight-8.9 "$golden/compose-lightweight/expected.out/dev89/docker-compose.yaml" "$ref/camunda-8.9/docker-compose.yaml"
compare full-8.8 "$golden/compose-full/expected.out/dev88/docker-compose.yaml" "$ref/camunda-8.8/docker-compose-full.yaml"
compare full-8.9 "$golden/compose-full/expected.out/dev89/docker-compose.yaml" "$ref/camunda-8.9/docker-compose-full.yaml"
finish
