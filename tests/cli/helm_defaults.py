"""helm_defaults.py - values a camarch values file sets to the chart's default.

usage: python3 helm_defaults.py CHARTS_DIR VALUES.yaml...

CHARTS_DIR holds camunda-platform-8.8/values.yaml and camunda-platform-8.9/
values.yaml (../shared/reference/helm).  Each values file names its Camunda
version in its header.  A scalar the file sets to exactly the chart's default
at the same path is a finding: camarch promises values files that say only
what the estate changes.  Two kinds of keys are exempt: the entries of an
`annotations` map (the estate's own words, copied as given), and a region
file's global.multiregion.regionId (the file's reason to exist, kept even
for region 0).  Exit 1 when there is a finding.
"""
import re
import sys

import yaml

HEADER = re.compile(r"^# For the camunda-platform Helm chart [0-9.]+ \(Camunda (8\.[0-9]+)\)", re.M)
MISSING = object()


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (str(key),))
    else:
        yield path, node


def lookup(tree, path):
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return MISSING
        tree = tree[key]
    return tree


def exempt(name, path):
    if "annotations" in path[:-1]:
        return True
    return name.startswith("values-region-") and path == ("global", "multiregion", "regionId")


def main(charts_dir, files):
    charts, findings = {}, 0
    for f in files:
        text = open(f, encoding="utf-8").read()
        m = HEADER.search(text)
        if not m:
            print("%s: no chart version in its header" % f)
            findings += 1
            continue
        minor = m.group(1)
        if minor not in charts:
            with open("%s/camunda-platform-%s/values.yaml" % (charts_dir, minor), encoding="utf-8") as chart:
                charts[minor] = yaml.safe_load(chart)
        name = f.rsplit("/", 1)[-1]
        for path, value in leaves(yaml.safe_load(text) or {}):
            default = lookup(charts[minor], path)
            if default is MISSING or exempt(name, path) or default != value:
                continue
            if isinstance(value, (dict, list)) and not value:
                continue  # an empty map or list written on purpose, e.g. to clear a default
            print("%s: %s: %r is chart %s's default" % (f, ".".join(path), value, minor))
            findings += 1
    return 1 if findings else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python3 helm_defaults.py CHARTS_DIR VALUES.yaml...")
    sys.exit(main(sys.argv[1], sys.argv[2:]))
