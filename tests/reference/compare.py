#!/usr/bin/python3
"""Compare camarch's Helm values with Camunda's reference values.

For every reference values file under ../shared/reference/helm-values/
there is an estate examples/reference/<name>.camarch, where <name> is the
file's path without its extension and without the directories
`kubernetes` and `helm-values`, with `/` turned into `-`:

    aws/kubernetes/eks-single-region/helm-values/values-domain.yml
    -> examples/reference/aws-eks-single-region-values-domain.camarch

An estate may describe an installation that stacks several reference files
(`helm install -f a.yml -f b.yml`); it then names them, in that order, on
one or more lines of its own:

    // stack: generic/openshift/single-region/helm-values/base.yml
    // stack: generic/openshift/single-region/helm-values/domain.yml

(its own reference file among them); without such a line the stack is its
own file alone.

For each estate:
  1. every `${VAR}` placeholder of the stack gets a dummy value (the
     variable's name, lower case, `_` as `-`), substituted into the
     reference files and passed to camarch as `--set VAR=<dummy>`;
  2. `camarch build` writes the estate's values.yaml (one environment);
  3. the stack is merged as Helm merges `-f` files, and both it and
     camarch's values.yaml are coalesced with chart 8.8's values.yaml as
     Helm does (maps merge, anything else replaces, null deletes);
  4. every leaf key path that the estate's own reference file sets is
     compared, if chart 8.8 reads it: a path of the chart's values.yaml or
     template-value-paths.txt, or one under a bundled subchart or a
     free-form map as ../shared/tools/check-helm-values treats them.  Keys
     the chart never reads are reported ("not read by the chart") and not
     compared.  Kubernetes quantities (resources, volume sizes) are equal
     when they are the same amount ("1000m" is "1", "2048Mi" is "2Gi").

Accepted differences are listed in tests/reference/differences.txt, one
`file: key.path: category: reason` a line (`file` relative to
helm-values/).  A difference that is not listed fails the estate, and so
does a listed one that no longer occurs.

usage: compare.py CAMARCH ROOT [NAME...]       compare (all estates, or these)
       compare.py CAMARCH ROOT --readme FILE   also write the README there
       -v, --verbose                           also list, for information, the keys
                                               camarch sets that no file of the stack
                                               sets, where the values differ
exit 0: every estate passes; 1: one fails, or differences.txt or examples/reference/
has a line or a file that matches no reference file; 2: usage or missing data.
"""
import glob
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CHART = "8.8"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
ABSENT = object()


def die(msg):
    print(f"compare.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- names

def estate_name(ref):
    """aws/kubernetes/eks-single-region/helm-values/values-domain.yml ->
    aws-eks-single-region-values-domain"""
    parts = os.path.splitext(ref)[0].split("/")
    return "-".join(p for p in parts if p not in ("kubernetes", "helm-values"))


def show_path(path):
    """A key path for people and for differences.txt: dotted, with a key
    that is not a plain word written as ["key"]."""
    out = ""
    for k in path:
        k = str(k)
        if re.fullmatch(r"[A-Za-z0-9_-]+", k):
            out += ("." if out else "") + k
        else:
            out += '["' + k + '"]'
    return out


def show_value(v, width=None):
    if v is ABSENT:
        return "(unset)"
    text = json.dumps(v, sort_keys=True)
    return text if width is None or len(text) <= width else text[:width - 3] + "..."


# ---------------------------------------------------------------- Helm

def merge_user(base, over):
    """Two -f files, as Helm merges them: maps merge, anything else
    replaces; a null stays, to delete the chart's default later."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge_user(base[k], v) if k in base else v
        return out
    return over


def strip_nulls(v):
    if isinstance(v, dict):
        return {k: strip_nulls(x) for k, x in v.items() if x is not None}
    return v


def coalesce(defaults, user):
    """The user's values over the chart's defaults: maps merge, anything
    else replaces, null deletes."""
    if isinstance(defaults, dict) and isinstance(user, dict):
        out = dict(defaults)
        for k, v in user.items():
            if v is None:
                out.pop(k, None)
            elif k in defaults:
                out[k] = coalesce(defaults[k], v)
            else:
                out[k] = strip_nulls(v)
        return out
    return strip_nulls(user)


def leaves(node, path=()):
    """Every leaf key path a values tree sets: a scalar, a list, a null or
    an empty map."""
    if isinstance(node, dict) and node:
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif path:
        yield path, node


def lookup(tree, path):
    for k in path:
        if not isinstance(tree, dict) or k not in tree:
            return ABSENT
        tree = tree[k]
    return tree


# ---------------------------------------------------------------- the chart

def load_checker(shared):
    """../shared/tools/check-helm-values, for its notion of the chart's
    known paths and free-form maps."""
    path = os.path.join(shared, "tools", "check-helm-values")
    loader = importlib.machinery.SourceFileLoader("check_helm_values", path)
    spec = importlib.util.spec_from_loader("check_helm_values", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Chart:
    def __init__(self, shared):
        self.chk = load_checker(shared)
        self.defaults, self.schema, template_paths = self.chk.load_chart(CHART)
        self.known = self.chk.known_paths(self.defaults, template_paths)

    def reads(self, path):
        """Does chart 8.8 read this leaf key path?  Yes when the path is in
        its values.yaml or its templates, or lies under a bundled subchart
        or a map the chart leaves open to any key."""
        for i in range(1, len(path) + 1):
            p = ".".join(str(k) for k in path[:i])
            if p in self.known:
                if i < len(path) and self.chk.free_form(p, self.defaults, self.schema):
                    return True
                continue
            parent = ".".join(str(k) for k in path[:i - 1])
            return bool(parent) and self.chk.free_form(parent, self.defaults, self.schema)
        return True


# ---------------------------------------------------------------- values

QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
SUFFIX = {None: 1, "m": Fraction(1, 1000), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15,
          "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def quantity(v):
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        return None
    m = QUANTITY.match(str(v))
    return Fraction(m.group(1)) * SUFFIX[m.group(2)] if m else None


def is_quantity_path(path):
    """Keys the chart hands to Kubernetes as resource quantities."""
    names = [str(k) for k in path]
    if len(names) >= 3 and names[-3] == "resources" and names[-2] in ("requests", "limits") \
            and names[-1] in ("cpu", "memory"):
        return True
    return names[-1] == "pvcSize" or names[-2:] == ["persistence", "size"]


def same(a, b):
    """Equal values, of the same YAML type (true is not 1, "1" is not 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# ---------------------------------------------------------------- inputs

def read_yaml(text, what):
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    if len(docs) != 1 or not isinstance(docs[0], dict):
        die(f"{what}: expected one YAML mapping")
    return docs[0]


def dummy(var):
    return var.lower().replace("_", "-")


def stack_of(estate_path, own):
    with open(estate_path) as f:
        text = f.read()
    stack = re.findall(r"^//\s*stack:\s*(\S+)\s*$", text, re.M)
    return stack or [own]


def read_differences(path):
    """{(file, key): (category, reason, line number)}"""
    listed = {}
    problems = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(": ", 3)
            if len(parts) != 4 or not all(p.strip() for p in parts):
                problems.append(f"differences.txt:{n}: expected `file: key.path: category: reason`")
                continue
            file, key, category, reason = (p.strip() for p in parts)
            if (file, key) in listed:
                problems.append(f"differences.txt:{n}: {file}: {key} is listed twice")
            listed[(file, key)] = (category, reason, n)
    return listed, problems


# ---------------------------------------------------------------- one estate

class Result:
    def __init__(self, ref, estate):
        self.ref, self.estate = ref, estate
        self.stack = []
        self.matches = 0
        self.quantity_matches = 0
        self.differences = []  # (key, reference value, camarch value)
        self.unread = []       # (key, reference value)
        self.extra = []        # (key, reference value, camarch value): set by camarch alone
        self.errors = []
        self.warnings = []


def compare_one(camarch, root, helm_values, chart, ref, work):
    name = estate_name(ref)
    estate = os.path.join("examples", "reference", name + ".camarch")
    r = Result(ref, estate)
    if not os.path.exists(os.path.join(root, estate)):
        r.errors.append(f"no estate {estate} for this reference file")
        return r
    r.stack = stack_of(os.path.join(root, estate), ref)
    if ref not in r.stack:
        r.errors.append(f"its `// stack:` lines do not name {ref}")
        return r
    texts = {}
    for f in r.stack:
        try:
            with open(os.path.join(helm_values, f)) as fh:
                texts[f] = fh.read()
        except OSError as e:
            r.errors.append(f"stack file {f}: {e.strerror}")
            return r
    variables = sorted({v for t in texts.values() for v in PLACEHOLDER.findall(t)})
    subst = lambda t: PLACEHOLDER.sub(lambda m: dummy(m.group(1)), t)
    stacked = None
    for f in r.stack:
        vals = read_yaml(subst(texts[f]), f)
        stacked = vals if stacked is None else merge_user(stacked, vals)
    own = read_yaml(subst(texts[ref]), ref)

    out = os.path.join(work, name)
    cmd = [camarch, "build", estate, "-o", out] + [a for v in variables for a in ("--set", f"{v}={dummy(v)}")]
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    r.warnings = [l for l in p.stderr.splitlines() if "warning[" in l]
    if p.returncode != 0:
        r.errors.append(f"camarch build failed (exit {p.returncode}):\n" + p.stderr.rstrip())
        return r
    built = sorted(glob.glob(os.path.join(out, "*", "values.yaml")))
    if len(built) != 1:
        r.errors.append(f"expected one environment with a values.yaml, found {len(built)}")
        return r
    with open(built[0]) as f:
        mine = read_yaml(f.read(), built[0])

    want = coalesce(chart.defaults, stacked)
    have = coalesce(chart.defaults, mine)
    for path, value in leaves(own):
        if not chart.reads(path):
            r.unread.append((show_path(path), value))
            continue
        a, b = lookup(want, path), lookup(have, path)
        if same(a, b):
            r.matches += 1
        elif is_quantity_path(path) and quantity(a) is not None and quantity(a) == quantity(b):
            r.matches += 1
            r.quantity_matches += 1
        else:
            r.differences.append((show_path(path), a, b))
    # For information: what camarch sets that no file of the stack does,
    # where the installation then differs from the reference's.
    stack_paths = {p for p, _ in leaves(stacked)}
    for path, _ in leaves(mine):
        if any(path[:i] in stack_paths for i in range(1, len(path) + 1)) or not chart.reads(path):
            continue
        a, b = lookup(want, path), lookup(have, path)
        if not same(a, b) and not (is_quantity_path(path) and quantity(a) is not None and quantity(a) == quantity(b)):
            r.extra.append((show_path(path), a, b))
    return r


# ---------------------------------------------------------------- README

README_HEAD = """\
# Camunda's reference architectures, as estates

<!-- Generated by tests/reference/compare.py from the estates here and
     tests/reference/differences.txt; regenerate it with
     /usr/bin/python3 tests/reference/compare.py build/camarch . --readme examples/reference/README.md -->

Camunda publishes reference Helm values for chart 8.8 (`camunda-platform`
13.x): Amazon EKS, the operator-based installation (Keycloak operator,
CloudNativePG), OpenShift and a local kind cluster. Each estate here
describes one of those installations the way a platform engineer would
write it, and the test `tests/reference/run.sh` checks that camarch turns it
into the values Camunda's file sets.

How the comparison works (`tests/reference/compare.py`):

* The estate for `<dir>/kubernetes/<x>/helm-values/<file>.yml` is
  `<dir>-<x>-<file>.camarch` (the directories `kubernetes` and `helm-values`
  dropped). Files that are overlays (OpenShift `domain.yml`, `scc.yml`, the
  kind `values-mkcert.yml`, the operator-based snippets) are reproduced as
  part of the whole installation they belong to; the estate's
  `// stack:` lines name the reference files of that installation in
  `helm -f` order, and its opening comment says why.
* Each `${VAR}` placeholder of the reference is `param("VAR")` in the
  estate; the test gives both the same dummy (`var-name`).
* The stacked reference files and camarch's `values.yaml` are each
  coalesced with the chart's `values.yaml` as Helm does it (maps merge,
  anything else replaces, null deletes). Every leaf key path that the
  estate's own reference file sets is then compared, when chart 8.8 reads
  it (a path of its `values.yaml` or templates, or one under a bundled
  subchart or a free-form map). Kubernetes quantities compare as amounts
  (`1000m` is `1`).
* Keys that no template of chart 8.8 reads are listed at the end, not
  compared: Helm ignores them.
* A difference fails the test unless `tests/reference/differences.txt`
  lists it with its reason, and a listed difference that no longer occurs
  fails it too, so the list below is always the current one.

Notes:

* The estates keep the reference's placeholders as params without
  defaults, as the reference keeps them for envsubst: `camarch check` and
  `camarch build` need `--set NAME=VALUE` for each (the test passes dummies).
* Some reference files are parts of one installation, so their estates are
  the same installation: the OpenShift `base.yml`, `domain.yml` and
  `scc.yml` estates, and the two operator-based ones. The test compares each
  with the keys of its own file.
* OpenShift's `domain.yml` names the Ingress's TLS Secret `-`, which the
  chart turns into a TLS block naming no Secret: the OpenShift router
  terminates TLS with its own certificate. The estate says that with
  `platform_tls = true`, and camarch writes the same `-`.
* The kind files set `connectors.inbound.mode: disabled`, which no template
  of chart 8.8 reads (it is listed below); the kind estates leave inbound
  connectors on, which is what that installation runs.

"""

CATEGORY_TITLES = {
    "camarch": "camarch shortcomings (to fix in the model or the Helm backend)",
}


def readme(results, listed):
    b = [README_HEAD]
    b.append("## Results\n\n")
    b.append("| reference file (`helm-values/...`) | estate | stacked with | keys compared | matching | "
             "accepted differences | not read by the chart |\n")
    b.append("| --- | --- | --- | --- | --- | --- | --- |\n")
    for r in results:
        others = ", ".join(f"`{os.path.basename(s)}`" for s in r.stack if s != r.ref) or "-"
        compared = r.matches + len(r.differences)
        b.append(f"| `{r.ref}` | [`{os.path.basename(r.estate)}`]({os.path.basename(r.estate)}) | {others} | "
                 f"{compared} | {r.matches} | {len(r.differences)} | {len(r.unread)} |\n")
    total = sum(r.matches for r in results)
    compared = sum(r.matches + len(r.differences) for r in results)
    b.append(f"| **all** | | | **{compared}** | **{total}** | **{compared - total}** | "
             f"**{sum(len(r.unread) for r in results)}** |\n\n")

    groups = {}
    for r in results:
        for key, a, c in r.differences:
            cat, reason, _ = listed.get((r.ref, key), ("unexpected", "not listed in differences.txt", 0))
            groups.setdefault(cat, []).append((r.ref, key, a, c, reason))
    b.append("## Accepted differences, by reason\n\n")
    b.append("Values are the coalesced ones: `(unset)` is a key that neither the values file nor the\n"
             "chart's defaults set.\n\n")
    order = sorted(groups, key=lambda c: (c == "camarch", c))
    for cat in order:
        b.append(f"### {CATEGORY_TITLES.get(cat, cat)}\n\n")
        by_reason = {}
        for item in groups[cat]:
            by_reason.setdefault(item[4], []).append(item)
        for reason, items in by_reason.items():
            b.append(f"Reason: {reason}\n\n")
            for ref, key, a, c, _ in items:
                b.append(f"* `{ref}`: `{key}`: reference `{show_value(a, 100)}`, camarch `{show_value(c, 100)}`\n")
            b.append("\n")

    b.append("## Keys chart 8.8 does not read\n\n")
    b.append("The reference files set these, but no template of chart 8.8 reads them, so they change\n"
             "nothing in the installation and the estates do not reproduce them.\n\n")
    for r in results:
        if r.unread:
            b.append(f"* `{r.ref}`: " + ", ".join(f"`{k}`" for k, _ in r.unread) + "\n")
    return "".join(b)


# ---------------------------------------------------------------- main

def main(argv):
    readme_out = None
    verbose = False
    args = []
    it = iter(argv)
    for a in it:
        if a == "--readme":
            readme_out = next(it, None) or die("--readme needs a file")
        elif a in ("-v", "--verbose"):
            verbose = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    camarch, root, only = os.path.abspath(args[0]), os.path.abspath(args[1]), set(args[2:])
    shared = os.path.join(root, "..", "shared")
    helm_values = os.path.join(shared, "reference", "helm-values")
    if not os.path.isdir(helm_values):
        die(f"{helm_values}: not found")
    chart = Chart(shared)
    refs = sorted(os.path.relpath(p, helm_values)
                  for p in glob.glob(os.path.join(helm_values, "**", "*.y*ml"), recursive=True))
    listed, problems = read_differences(os.path.join(HERE, "differences.txt"))

    estates_dir = os.path.join(root, "examples", "reference")
    names = {estate_name(r) for r in refs}
    orphans = sorted(os.path.basename(p) for p in glob.glob(os.path.join(estates_dir, "*.camarch"))
                     if os.path.splitext(os.path.basename(p))[0] not in names)
    problems += [f"examples/reference/{o}: no reference file has this name" for o in orphans]
    if only:
        refs = [r for r in refs if estate_name(r) in only or r in only]

    work = tempfile.mkdtemp(prefix="camarch-reference-")
    results = []
    try:
        for ref in refs:
            results.append(compare_one(camarch, root, helm_values, chart, ref, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    passed = failed = 0
    n_match = n_listed = n_unexpected = 0
    seen = set()
    for r in results:
        print(f"== {r.ref}  ({r.estate}" + (f", stacked: {' + '.join(os.path.basename(s) for s in r.stack)}"
                                           if len(r.stack) > 1 else "") + ")")
        bad = list(r.errors)
        for w in r.warnings:
            print(f"  camarch {w.strip()}")
        if not r.errors:
            compared = r.matches + len(r.differences)
            q = f" ({r.quantity_matches} as Kubernetes quantities)" if r.quantity_matches else ""
            print(f"  {r.matches} of {compared} keys match{q}")
            for key, a, c in r.differences:
                entry = listed.get((r.ref, key))
                seen.add((r.ref, key))
                if entry:
                    n_listed += 1
                    print(f"  differs (listed, {entry[0]}): {key}: reference {show_value(a)}, camarch {show_value(c)}")
                else:
                    n_unexpected += 1
                    bad.append(f"UNEXPECTED difference: {key}: reference {show_value(a)}, camarch {show_value(c)}")
            for key, v in r.unread:
                print(f"  not read by the chart: {key} = {show_value(v)}")
            for key, a, c in (r.extra if verbose else []):
                print(f"  (info) set by camarch alone: {key}: reference {show_value(a)}, camarch {show_value(c)}")
            for (file, key), (cat, reason, line) in sorted(listed.items()):
                if file == r.ref and (file, key) not in seen:
                    n_unexpected += 1
                    bad.append(f"STALE: differences.txt:{line} lists {key}, which no longer differs "
                               f"(or the chart does not read it): remove the line")
        n_match += r.matches
        for line in bad:
            print("  " + line.replace("\n", "\n    "))
        if bad:
            failed += 1
            print("  FAILED")
        else:
            passed += 1
            print("  ok")
    if not only:
        known_refs = {r.ref for r in results}
        for (file, key), (cat, reason, line) in sorted(listed.items()):
            if file not in known_refs:
                problems.append(f"differences.txt:{line}: {file} is not a reference file")
    for p in problems:
        print("FAILED: " + p)
    n_unexpected += len(problems)

    if readme_out and not only:
        with open(readme_out, "w") as f:
            f.write(readme(results, listed))
        print(f"wrote {readme_out}")
    elif not only:
        current = os.path.join(estates_dir, "README.md")
        try:
            with open(current) as f:
                stale = f.read() != readme(results, listed)
        except OSError:
            stale = True
        if stale:
            problems.append("examples/reference/README.md does not match these results; regenerate it with "
                            "compare.py CAMARCH ROOT --readme examples/reference/README.md")
            print("FAILED: " + problems[-1])

    print(f"reference: {n_match} keys match, {n_listed} listed differences, {n_unexpected} unexpected")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
