#!/bin/sh
# The systemd backend's artefacts, for the example estate (examples/systemd)
# and for every golden systemd-* build case, pass the real validators:
#   - every unit file: ../shared/tools/check-systemd (systemd-analyze verify,
#     any output is a finding), one host's units at a time;
#   - every inventory + playbook: ../shared/tools/check-ansible
#     (ansible-inventory, ansible-playbook --syntax-check, ansible-lint with
#     the production profile).
# And the environment files of the golden case systemd-reference, rendered
# by Ansible's template module as the playbook renders them, hold the same
# variables with the same values as what Camunda's camunda-configure.sh
# makes from Camunda's reference files (../shared/reference/manual/
# debian-8.8 and debian-8.9) for the same three hosts: the reference
# environment files with the admin user and password substituted (envsubst),
# plus the per-node block the script appends.  Values are compared as
# systemd reads them (quotes and escapes resolved), not as text.
#
# usage: sh systemd_validate.sh CAMARCH ROOT
# Skips (exit 77) without ../shared or without the validators' tools
# (apt-get install -y ansible-core ansible-lint).
set -u
CAMARCH=$1 ROOT=$2
. "$ROOT/tests/cli/lib.sh"
tools=$(shared_tools) || { echo "$tools"; exit 77; }
reference="$ROOT/../shared/reference/manual"
[ -d "$reference" ] || { echo "SKIPPED: $reference not found (Camunda's reference files come with ../shared)"; exit 77; }
for t in systemd-analyze ansible-playbook ansible-inventory ansible-lint; do
  command -v "$t" >/dev/null || { echo "SKIPPED: $t not found (apt-get install -y ansible-core ansible-lint)"; exit 77; }
done
export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_PYTHON_INTERPRETER=auto_silent
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# --- what to validate: the example, built now, and the golden cases' trees ---
mkdir -p "$work/trees"
if (cd "$ROOT" && "$CAMARCH" build examples/systemd/estate.camarch -o "$work/trees/example" 2>"$work/err"); then
  ok "the systemd example estate builds"
else
  cat "$work/err"; bad "the systemd example estate builds"
fi
for case_dir in "$ROOT"/tests/golden/systemd-*/; do
  name=$(basename "$case_dir")
  # a copy: the validators must not leave caches in the repository
  [ -d "$case_dir/expected.out" ] && cp -R "$case_dir/expected.out" "$work/trees/$name"
done

# --- units ---------------------------------------------------------------------
find "$work/trees" -type d -path '*/hosts/*' | sort >"$work/hostdirs"
check "there are hosts' units to check" [ -s "$work/hostdirs" ]
while IFS= read -r d; do
  rel=${d#"$work/trees/"}
  if out=$("$tools/check-systemd" "$d"/*.service 2>&1); then
    ok "$rel: units pass check-systemd"
  else
    printf '%s\n' "$out"; bad "$rel: units pass check-systemd"
  fi
done <"$work/hostdirs"

# --- inventories and playbooks ------------------------------------------------------
find "$work/trees" -name site.yml -path '*/ansible/*' | sort >"$work/playbooks"
check "there are playbooks to check" [ -s "$work/playbooks" ]
while IFS= read -r play; do
  dir=$(dirname "$play")
  rel=${dir#"$work/trees/"}
  if out=$("$tools/check-ansible" "$dir/inventory.yml" "$play" 2>&1); then
    ok "$rel: inventory and playbook pass check-ansible"
  else
    printf '%s\n' "$out"; bad "$rel: inventory and playbook pass check-ansible"
  fi
done <"$work/playbooks"

# --- the environment files against camunda-configure.sh --------------------------------
# Renders every host's environment files with the template module, as
# site.yml does (same source paths, the Vault variable given on the command
# line), into DIR/<host>/.
render() { # render ANSIBLE_DIR DIR
  cat >"$1/render.yml" <<'EOF'
---
- name: Render the environment files as site.yml does
  hosts: camunda_brokers
  connection: local
  gather_facts: false
  tasks:
    - name: Create the host's directory
      ansible.builtin.file:
        path: "{{ render_dir }}/{{ inventory_hostname }}"
        state: directory
        mode: "0700"
    - name: Render camunda-environment
      ansible.builtin.template:
        src: "{{ playbook_dir }}/../hosts/{{ inventory_hostname }}/camunda-environment"
        dest: "{{ render_dir }}/{{ inventory_hostname }}/camunda-environment"
        mode: "0600"
    - name: Render connectors-environment
      ansible.builtin.template:
        src: "{{ playbook_dir }}/../hosts/{{ inventory_hostname }}/connectors-environment"
        dest: "{{ render_dir }}/{{ inventory_hostname }}/connectors-environment"
        mode: "0600"
      when: camunda_connectors | bool
EOF
  # a password that needs systemd's escapes
  cat >"$work/vault.yml" <<'EOF'
vault_camunda_admin_password: 'De$mo"pa`ss'
EOF
  ansible-playbook -i "$1/inventory.yml" "$1/render.yml" -e "@$work/vault.yml" -e "render_dir=$2" >"$work/render.log" 2>&1 ||
    { cat "$work/render.log"; return 1; }
}

# camunda-configure.sh for one node, then both files compared with the
# rendered ones.  The inputs are the operator's, written down here from the
# estate: the admin user and password, the hosts' addresses in node order,
# and the OpenSearch URL.
compare() { # compare REFERENCE_DIR RENDERED_DIR
  "$PY" - "$1" "$2" <<'EOF'
import sys

ref_dir, rendered = sys.argv[1], sys.argv[2]
user, password = "admin", 'De$mo"pa`ss'
ips = ["10.200.0.10", "10.200.0.11", "10.200.0.12"]
opensearch = "https://vpc-camunda.eu-west-1.es.amazonaws.com:443"

def envsubst(text):  # envsubst '${CAMUNDA_BASIC_AUTH_USER} ${CAMUNDA_BASIC_AUTH_PASSWORD}'
    return text.replace("${CAMUNDA_BASIC_AUTH_USER}", user).replace("${CAMUNDA_BASIC_AUTH_PASSWORD}", password)

def configure(index):  # camunda-configure.sh, for node `index`
    ips_list = ",".join(ip + ":26502" for ip in ips)
    camunda = envsubst(open(ref_dir + "/camunda-environment").read())
    camunda += "".join('%s="%s"\n' % kv for kv in [
        ("CAMUNDA_CLUSTER_NODEID", index), ("CAMUNDA_CLUSTER_SIZE", len(ips)),
        ("CAMUNDA_CLUSTER_REPLICATIONFACTOR", len(ips)),
        ("ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS", ips_list),
        ("ZEEBE_BROKER_NETWORK_ADVERTISEDHOST", ips[index]),
        ("CAMUNDA_DATA_SECONDARYSTORAGE_OPENSEARCH_URL", opensearch)])
    return camunda, envsubst(open(ref_dir + "/connectors-environment").read())

def parse(text):
    """An environment file as systemd's EnvironmentFile= reads it (one line per variable)."""
    env = {}
    for line in text.splitlines():
        line = line.lstrip()
        if not line or line[0] in "#;":
            continue
        key, _, rest = line.partition("=")
        value, state, i = "", "pre", 0
        while i < len(rest):
            c = rest[i]
            if state in ("pre", "plain"):
                if state == "pre" and c in " \t":
                    pass
                elif state == "pre" and c == '"':
                    state = "double"
                elif state == "pre" and c == "'":
                    state = "single"
                elif c == "\\" and i + 1 < len(rest):
                    i += 1
                    value += rest[i]
                    state = "plain"
                else:
                    value += c
                    state = "plain"
            elif state == "double":
                if c == '"':
                    state = "pre"
                elif c == "\\" and i + 1 < len(rest):
                    i += 1
                    value += rest[i] if rest[i] in '"\\`$' else "\\" + rest[i]
                else:
                    value += c
            elif state == "single":
                if c == "'":
                    state = "pre"
                else:
                    value += c
            i += 1
        env[key.strip()] = value.rstrip() if state == "plain" else value
    return env

# What camarch adds on purpose: Camunda's reference leaves the Connectors
# runtime resolving every environment variable as a connector secret (before
# 8.9); camarch restricts it to variables with its prefix.
ADDED = {"connectors-environment": {"CAMUNDA_CONNECTOR_SECRETPROVIDER_ENVIRONMENT_PREFIX": "CONNECTORS_SECRET_"}}

failed = 0
for index in range(len(ips)):
    host = "camunda-%d" % index
    for name, expected in zip(("camunda-environment", "connectors-environment"), configure(index)):
        want, got = parse(expected), parse(open("%s/%s/%s" % (rendered, host, name)).read())
        want.update(ADDED.get(name, {}))
        diffs = ["  %s: camunda-configure.sh %r, camarch %r" % (k, want.get(k), got.get(k))
                 for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
        if diffs:
            failed = 1
            print("%s %s differs from camunda-configure.sh:\n%s" % (host, name, "\n".join(diffs)))
        else:
            print("%s %s: the same %d variables, the same values" % (host, name, len(want)))
sys.exit(failed)
EOF
}

refcase="$work/trees/systemd-reference"
for env in v88 v89; do
  minor=8.${env#v8}
  if [ ! -d "$refcase/$env" ]; then
    bad "systemd-reference: environment $env was built"; continue
  fi
  if ! render "$refcase/$env/ansible" "$work/rendered-$env"; then
    bad "systemd-reference $env: Ansible renders the environment files"; continue
  fi
  ok "systemd-reference $env: Ansible renders the environment files"
  if out=$(compare "$reference/debian-$minor" "$work/rendered-$env" 2>&1); then
    printf '%s\n' "$out" | sed 's/^/  /'
    ok "systemd-reference $env: the environment files are camunda-configure.sh's for Camunda $minor"
  else
    printf '%s\n' "$out"
    bad "systemd-reference $env: the environment files are camunda-configure.sh's for Camunda $minor"
  fi
done
finish
