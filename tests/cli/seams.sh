#!/bin/sh
# The seams between the compiler and its backends, checked in the source:
#  - a backend includes only its own folder's headers and the model's
#    public headers (BACKEND_API in CMakeLists.txt, which the build also
#    enforces for the compiler it runs);
#  - no backend names another backend, and no rule names any backend
#    (they ask the kind of place; help lines name targets through
#    model_place_targets);
#  - no backend learns a value's origin from its source span: the origin is
#    the value's `from`, span_or() chooses where a message points, and no
#    backend calls span_known() or compares spans (emit_set_here,
#    version_file, `.at.file`, all gone).
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
out=$("$PY" - "$ROOT" <<'EOF'
import os, re, sys
root = sys.argv[1]
problems = []

def say(where, what):
    problems.append(f"{where}: {what}")

cmake = open(os.path.join(root, "CMakeLists.txt")).read()
api = re.search(r"set\(BACKEND_API\s+(.*?)\)", cmake, re.S)
if not api:
    say("CMakeLists.txt", "no BACKEND_API list")
    api_names = set()
else:
    api_names = {os.path.basename(p) for p in api.group(1).split()}
names = re.findall(r"^BACKEND\((\w+),", open(os.path.join(root, "backends/backends.def")).read(), re.M)
if len(names) < 2:
    say("backends/backends.def", "fewer than two backends")

def code_lines(path):
    """Lines of C with string literals kept and comments blanked."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return text.split("\n")

def sources(folder):
    for f in sorted(os.listdir(folder)):
        if f.endswith((".c", ".h")):
            yield os.path.join(folder, f)

for b in names:
    folder = os.path.join(root, "backends", b)
    if not os.path.isdir(folder):
        say(f"backends/{b}", "listed in backends.def but missing")
        continue
    own = set(os.listdir(folder))
    others = [o for o in names if o != b]
    for path in sources(folder):
        rel = os.path.relpath(path, root)
        for n, line in enumerate(code_lines(path), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and m.group(1) not in own and m.group(1) not in api_names:
                say(f"{rel}:{n}", f'includes "{m.group(1)}", which is neither its own nor a public header')
            for o in others:
                if re.search(rf"\bM_target_{o}\b|\b{o}_backend\b|target = {o}\b|backends/{o}/", line):
                    say(f"{rel}:{n}", f"names backend {o}")
            if re.search(r"\bemit_set_here\b|\bversion_file\b|\.at\.file\b", line):
                say(f"{rel}:{n}", "compares source spans to learn where a value came from")
            if re.search(r"\bspan_known\(", line):
                say(f"{rel}:{n}", "span_known(): a value's origin is its `from`, and span_or() says where a message points")

rules = os.path.join(root, "compiler", "rules")
for path in sources(rules):
    rel = os.path.relpath(path, root)
    for n, line in enumerate(code_lines(path), 1):
        for b in names:
            if re.search(rf"\bM_target_{b}\b|target = {b}\b", line):
                say(f"{rel}:{n}", f"names backend {b}")
print("\n".join(problems))
EOF
)
if [ -z "$out" ]; then
  ok "backends include only their own and the public headers, name no other backend, and learn no origin from spans; rules name no backend"
else
  echo "$out"
  bad "the seams between the compiler and its backends do not hold ($(echo "$out" | wc -l) places)"
fi

[ "${3:-}" = --self-test ] && finish
# The check can fail: a backend that includes the driver is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/backends/helm" "$tmp/compiler/rules"
cp "$ROOT/CMakeLists.txt" "$tmp/"
cp "$ROOT/backends/backends.def" "$tmp/backends/"
for b in $(sed -n 's/^BACKEND(\([a-z0-9_]*\),.*/\1/p' "$ROOT/backends/backends.def"); do mkdir -p "$tmp/backends/$b"; done
printf '#include "driver.h"\n' >"$tmp/backends/helm/bad.c"
if sh "$0" "$CAMARCH" "$tmp" --self-test >/dev/null 2>&1; then
  bad "a backend including driver.h passes the check"
else
  ok "a backend including driver.h fails the check"
fi
finish
