/* value.c - evaluated values and the environment overlay merge. */
#include "value.h"

#include <string.h>

struct val *val_new(struct arena *a, enum val_kind kind, struct span at) {
  struct val *v = arena_alloc(a, sizeof *v);
  v->kind = kind;
  v->at = at;
  return v;
}

static bool same_label(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

struct entry *val_find(const struct val *obj, const char *name, const char *label) {
  for (size_t i = 0; i < obj->items.len; i++) {
    struct entry *e = obj->items.items[i];
    if (strcmp(e->name, name) == 0 && same_label(e->label, label))
      return e;
  }
  return NULL;
}

struct val *val_merge(struct arena *a, const struct val *base, const struct val *over) {
  struct val *out = val_new(a, V_OBJ, base->at);
  out->s = base->s;
  out->param = base->param;
  out->kind_at = base->kind_at;
  out->weak = base->weak && over->weak;
  for (size_t i = 0; i < base->items.len; i++) {
    struct entry *e = arena_alloc(a, sizeof *e);
    *e = *(struct entry *)base->items.items[i];
    vec_push(a, &out->items, e);
  }
  for (size_t i = 0; i < over->items.len; i++) {
    const struct entry *o = over->items.items[i];
    struct entry *b = val_find(out, o->name, o->label);
    if (!b) {
      struct entry *e = arena_alloc(a, sizeof *e);
      *e = *o;
      vec_push(a, &out->items, e);
    } else if (o->is_block && b->v->kind == V_OBJ && o->v->kind == V_OBJ) {
      b->v = val_merge(a, b->v, o->v);
      b->is_block = b->is_block || o->is_block;
      b->name_at = o->name_at;
    } else {
      *b = *o;
    }
  }
  return out;
}

const char *val_kind_name(enum val_kind k) {
  static const char *const names[] = {"string", "number", "bool", "identifier",
                                      "list",   "object", "secret", "text"};
  return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
