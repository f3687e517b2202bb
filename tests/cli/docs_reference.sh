#!/bin/sh
# docs_reference.sh - keeps the reference sections of docs/language.md in
# sync with the compiler's tables.
#
#   sh docs_reference.sh CAMARCH REPO_ROOT
#
# 1. The model reference: between the markers
#      <!-- reference:begin -->  and  <!-- reference:end -->
#    docs/language.md must hold exactly the text this script generates from
#    compiler/model/model.def, compiler/model/model_enums.def, compiler/model/model_formats.def
#    and compiler/base/names.def (the grammars of the formats that are names):
#    one table per STRUCT, one row per field, written `struct.field`, with its
#    type (and the format of its strings, keys or labels), default and doc,
#    then the enumerations and the string formats.  Every field of model.def is also looked
#    up on its own, so a failure names the fields that are missing.
# 2. The diagnostics table: every DIAG(ID, title, ...) and WARN(...) of compiler/base/diag.def
#    must have the row "| `ID` | title |" in docs/language.md.
#
# After changing model.def, regenerate the section and paste it in place:
#   DOCS_REFERENCE_PRINT=1 sh tests/cli/docs_reference.sh build/camarch .
#
# Exit status: 0 in sync, 1 out of sync (the diff is printed), 2 usage.
set -u
if [ $# -ne 2 ]; then
  echo "usage: sh docs_reference.sh CAMARCH REPO_ROOT" >&2
  exit 2
fi
root=$2
doc=$root/docs/language.md
model=$root/compiler/model/model.def
backendsdef=$root/backends/backends.def
enums=$root/compiler/model/model_enums.def
formats=$root/compiler/model/model_formats.def
names=$root/compiler/base/names.def
diagdef=$root/compiler/base/diag.def
for f in "$model" "$backendsdef" "$enums" "$formats" "$diagdef"; do
  if [ ! -f "$f" ]; then
    echo "docs_reference: missing $f" >&2
    exit 2
  fi
done

work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

# --- the generator ----------------------------------------------------------
# Reads names.def, backends.def (the enum target), model_enums.def,
# model_formats.def, then model.def; prints the
# reference in markdown.
awk '
# Splits the argument list of a MACRO(a, "b, c", d) line into A[1..n].
function parse(line,    s, i, c, n, tok, inq) {
  s = substr(line, index(line, "(") + 1)
  sub(/\)[ \t]*$/, "", s)
  n = 0; tok = ""; inq = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (inq) {
      if (c == "\\") { i++; tok = tok substr(s, i, 1); continue }
      if (c == "\"") { inq = 0; continue }
      tok = tok c
    } else if (c == "\"") {
      inq = 1
    } else if (c == ",") {
      A[++n] = tok; tok = ""
    } else if (c != " " && c != "\t") {
      tok = tok c
    }
  }
  A[++n] = tok
  return n
}
function md(s) {
  gsub(/\|/, "\\|", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/\*/, "\\*", s)
  return s
}
function values(e,    i, out) {
  out = ""
  for (i = 1; i <= nval[e]; i++)
    out = out (i > 1 ? ", " : "") "`" val[e, i] "`"
  return out
}
function link(s) { return "[`" s "`](#" s ")" }
function fmt(f) { return "[`" f "`](#string-formats)" }
FNR == 1 { file++ }
/^[ \t]*[A-Z]+\(/ {
  macro = $0; sub(/^[ \t]*/, "", macro); sub(/\(.*/, "", macro)
  n = parse($0)
  if (file == 1) {                       # names.def: NAME(KIND, grammar)
    if (macro == "NAME") ngrammar["NAME_" A[1]] = A[2]
    next
  }
  if (file == 2) {                       # backends.def: BACKEND(name, place, doc), the enum target
    if (macro != "BACKEND") next
    if (!("target" in nval)) { enum_order[++nenums] = "target"; nval["target"] = 0 }
    val["target", ++nval["target"]] = A[1]; vdoc["target", nval["target"]] = A[3]
    next
  }
  if (file == 3) {                       # model_enums.def: ENUM(type, value, doc)
    if (macro != "ENUM") next
    e = A[1]
    if (!(e in nval)) { enum_order[++nenums] = e; nval[e] = 0 }
    val[e, ++nval[e]] = A[2]; vdoc[e, nval[e]] = A[3]
    next
  }
  if (file == 4) {                       # model_formats.def: FORMAT(name, check, kind, title, grammar)
    if (macro != "FORMAT") next
    format_order[++nformats] = A[1]; ftitle[A[1]] = A[4]
    fgrammar[A[1]] = A[5] == "NULL" ? ngrammar[A[3]] : A[5]  # a name kind: its grammar is in names.def
    next
  }
  if (macro == "STRUCT") { s = A[1]; sorder[++nstructs] = s; sdoc[s] = A[2]; nf[s] = 0; next }
  if (macro == "END") next
  if (macro == "ON") {                   # ON(s, f, P(a) | P(b), why): the places that use field f
    for (k = 1; k <= nf[A[1]]; k++)
      if (fname[A[1], k] == A[2]) {
        on = A[3]; gsub(/P\(/, "", on); gsub(/\)/, "", on); gsub(/\|/, ", ", on)
        fon[A[1], k] = on
      }
    next
  }
  s = A[1]; f = A[2]; k = ++nf[s]
  fname[s, k] = f; fmac[s, k] = macro; fdoc[s, k] = A[n]
  fsub[s, k] = ""; fenum[s, k] = ""; fdef[s, k] = ""; fmin[s, k] = ""; fmax[s, k] = ""; ffmt[s, k] = ""
  if (macro == "INT") { fdef[s, k] = A[3]; fmin[s, k] = A[4]; fmax[s, k] = A[5] }
  else if (macro == "SIZE" || macro == "CPU" || macro == "DUR" || macro == "BOOL" || macro == "NAME") fdef[s, k] = A[3]
  else if (macro == "STR") { ffmt[s, k] = A[3]; fdef[s, k] = A[4] }
  else if (macro == "STRLIST" || macro == "ENVMAP" || macro == "SECMAP") ffmt[s, k] = A[3]
  else if (macro == "ENUM") { fenum[s, k] = A[3]; fdef[s, k] = A[4] }
  else if (macro == "BLOCK" || macro == "COMPONENT") fsub[s, k] = A[3]
  else if (macro == "LIST") { fsub[s, k] = A[3]; ffmt[s, k] = A[4] }
  else if (macro == "VARIANT") { fsub[s, k] = A[3]; fenum[s, k] = A[4]; fdef[s, k] = A[5] }
  if (fsub[s, k] != "") {
    u = fsub[s, k]
    how = macro == "BLOCK" ? "block" : macro == "COMPONENT" ? "optional block" : macro == "VARIANT" ? "typed object" : "labelled blocks"
    prev = (u in used) ? used[u] ", " : ""
    used[u] = prev "`" s "." f "` (" how ")"
  }
}
END {
  print "<!-- reference:begin -->"
  print "<!-- Generated from compiler/model/model.def, compiler/model/model_enums.def and compiler/model/model_formats.def by"
  print "     DOCS_REFERENCE_PRINT=1 sh tests/cli/docs_reference.sh build/camarch ."
  print "     tests/cli/docs_reference.sh fails when this text differs from them. -->"
  # top-down: model.def lists a struct before the structs that nest it
  for (i = nstructs; i >= 1; i--) {
    s = sorder[i]
    print ""
    print "### `" s "`"
    print ""
    print md(sdoc[s])
    print ""
    if (s == "estate")
      print "Written as the `estate \"name\" { }` block; every `environment` block and every `defaults` block holds the same fields."
    else
      print "Used as: " used[s] "."
    print ""
    print "| Field | Type | Default | Description |"
    print "| --- | --- | --- | --- |"
    for (k = 1; k <= nf[s]; k++) {
      m = fmac[s, k]; d = fdef[s, k]
      if (m == "INT") { t = "integer, " fmin[s, k] " to " fmax[s, k]; dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "SIZE") { t = "size"; dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "CPU") { t = "cpu"; dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "DUR") { t = "duration"; dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "BOOL") { t = "bool"; dv = "`" d "`" }
      else if (m == "STR") { t = ffmt[s, k] == "text" ? "string" : "string: " fmt(ffmt[s, k]); dv = d == "" ? "unset" : "`\"" d "\"`" }
      else if (m == "NAME") { t = "name"; dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "ENUM") { t = "enum: " values(fenum[s, k]); dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "STRLIST") { t = ffmt[s, k] == "text" ? "list of strings" : "list of strings: " fmt(ffmt[s, k]); dv = "`[]`" }
      else if (m == "ENVMAP") { t = "environment map, names: " fmt(ffmt[s, k]); dv = "`{}`" }
      else if (m == "SECMAP") { t = "environment map of secrets (a literal is refused in production), names: " fmt(ffmt[s, k]); dv = "`{}`" }
      else if (m == "SECRET") { t = "secret"; dv = "unset" }
      else if (m == "SECSTR") { t = "string or secret"; dv = "unset" }
      else if (m == "BLOCK") { t = "block " link(fsub[s, k]); dv = "its fields\047 defaults" }
      else if (m == "COMPONENT") { t = "optional block " link(fsub[s, k]); dv = "absent (disabled)" }
      else if (m == "VARIANT") { t = "typed object " link(fsub[s, k]) ": " values(fenum[s, k]); dv = d == "" ? "unset" : "`" d "`" }
      else if (m == "LIST") { t = "labelled blocks " link(fsub[s, k]) ", labels: " fmt(ffmt[s, k]); dv = "none" }
      else { t = "?" m; dv = "?" }
      on = ((s, k) in fon) ? " Used on: " fon[s, k] "." : ""
      print "| `" s "." fname[s, k] "` | " t " | " dv " | " md(fdoc[s, k]) on " |"
    }
  }
  print ""
  print "### Enumerations"
  print ""
  print "| Enumeration | Value | Meaning |"
  print "| --- | --- | --- |"
  for (i = 1; i <= nenums; i++) {
    e = enum_order[i]
    for (j = 1; j <= nval[e]; j++)
      print "| `" e "` | `" val[e, j] "` | " md(vdoc[e, j]) " |"
  }
  print ""
  print "### String formats"
  print ""
  print "What the text of a string, a map key or a label must be; anything else is refused (`TYP008`)."
  print "An empty string in a field of a format other than `text` leaves the field unset, unless the field has a default: there it is refused."
  print ""
  print "| Format | The text is | Grammar |"
  print "| --- | --- | --- |"
  for (i = 1; i <= nformats; i++)
    print "| `" format_order[i] "` | " md(ftitle[format_order[i]]) " | " md(fgrammar[format_order[i]]) " |"
  print ""
  print "<!-- reference:end -->"
}' "$names" "$backendsdef" "$enums" "$formats" "$model" >"$work/expected"

if [ "${DOCS_REFERENCE_PRINT:-}" = 1 ]; then
  cat "$work/expected"
  exit 0
fi

if [ ! -f "$doc" ]; then
  echo "docs_reference: missing $doc" >&2
  exit 1
fi

fail=0

# --- 1. the model reference --------------------------------------------------
awk '/^<!-- reference:begin -->$/ { on = 1 } on { print } /^<!-- reference:end -->$/ { on = 0 }' "$doc" >"$work/actual"
fields=0
missing=0
# every STRUCT field, as `struct.field`, in the reference section
grep -E '^[[:space:]]*(INT|SIZE|CPU|DUR|BOOL|STR|NAME|ENUM|STRLIST|ENVMAP|SECMAP|SECRET|SECSTR|BLOCK|COMPONENT|VARIANT|LIST)\(' "$model" |
  sed -E 's/^[[:space:]]*[A-Z]+\(([a-z_0-9]+),[[:space:]]*([a-z_0-9]+),.*/\1.\2/' >"$work/fields"
while IFS= read -r f; do
  fields=$((fields + 1))
  if ! grep -q "^| \`$f\` |" "$work/actual"; then
    echo "docs_reference: model.def field $f is not in the reference section of docs/language.md"
    missing=$((missing + 1))
  fi
done <"$work/fields"
if [ ! -s "$work/actual" ]; then
  echo "docs_reference: docs/language.md has no <!-- reference:begin --> ... <!-- reference:end --> section"
  fail=1
elif ! diff -u "$work/expected" "$work/actual" >"$work/diff"; then
  cat "$work/diff"
  echo "docs_reference: the reference section differs from compiler/model/model.def (- expected, + docs);"
  echo "docs_reference: regenerate it with DOCS_REFERENCE_PRINT=1 sh tests/cli/docs_reference.sh build/camarch ."
  fail=1
fi
[ "$missing" -gt 0 ] && fail=1
echo "reference: $fields fields of model.def, $missing missing"

# --- 2. the diagnostics table -------------------------------------------------
ids=0
idmissing=0
sed -n 's/^\(DIAG\|WARN\)(\([A-Z0-9]*\), "\([^"]*\)",.*/\2 \3/p' "$diagdef" >"$work/diags"
while IFS= read -r line; do
  id=${line%% *}
  title=${line#* }
  ids=$((ids + 1))
  if ! grep -qF "| \`$id\` | $title |" "$doc"; then
    echo "docs_reference: diagnostic $id ($title) has no row \"| \`$id\` | $title |\" in docs/language.md"
    idmissing=$((idmissing + 1))
  fi
done <"$work/diags"
[ "$idmissing" -gt 0 ] && fail=1
echo "diagnostics: $ids ids of diag.def, $idmissing missing"
exit $fail
