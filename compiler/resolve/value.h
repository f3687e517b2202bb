/* value.h - evaluated values: what an estate says once lets, params,
 * imports and interpolation are resolved, before it is typed.
 *
 * The resolver turns each AST expression into a struct val; environments
 * are deep-merged as vals; the lowering pass types a merged val against the
 * model's descriptors.  Vals are immutable once built: merging copies.
 */
#ifndef CAMARCH_VALUE_H
#define CAMARCH_VALUE_H

#include "source.h"

enum val_kind {
  V_STR,     /* s: text */
  V_NUM,     /* s: the literal as written ("64Gi", "3") */
  V_BOOL,    /* b */
  V_SYM,     /* s: a bare identifier that named no let (an enum value) */
  V_LIST,    /* items: struct val * */
  V_OBJ,     /* s: kind ("postgres") or NULL; items: struct entry * */
  V_SECRET,  /* s: secret name; key: key or NULL */
  V_TEXT,    /* s: untyped text from --set, typed by the field it lands in */
};

struct val {
  enum val_kind kind;
  struct span at;
  const char *s;
  const char *key;
  bool b;
  struct vec items;
  const char *param;   /* the param() this value came from, if any */
  const char *hint;    /* V_SYM: the closest let or import name, for "did you mean" */
  struct span kind_at; /* V_OBJ with a kind: the span of the kind name */
  bool weak;           /* V_OBJ from a `defaults` layer: configures, never enables */
  bool bare;           /* V_SYM written in place, naming no let: an enum value or a typo */
  unsigned depth;      /* V_LIST, V_OBJ: levels of lists and objects in it (at most NEST_MAX) */
};

/* One attribute or block inside an object. */
struct entry {
  const char *name;
  const char *label;   /* labelled blocks: host "zb0" */
  struct span name_at;
  bool is_block;       /* written as a block: merges instead of replacing */
  struct val *v;
};

struct val *val_new(struct arena *a, enum val_kind kind, struct span at);
struct entry *val_find(const struct val *obj, const char *name, const char *label);
/* Deep merge: blocks merge recursively (matched by name and label);
 * attributes and lists replace.  Returns a new object; neither input changes. */
struct val *val_merge(struct arena *a, const struct val *base, const struct val *over);
/* The same as merging layers[1..n-1] into layers[0] in turn, in one pass:
 * the time is linear in the size of all layers (n >= 1). */
struct val *val_merge_all(struct arena *a, const struct val *const *layers, size_t n);
const char *val_kind_name(enum val_kind k);

#endif
