/* value.c - evaluated values and the environment overlay merge.
 *
 * Merging many layers (defaults blocks from thousands of files) one after
 * the other would copy the growing result once per layer; val_merge_all
 * merges them in one pass instead, each entry once, with the same result
 * as merging them in turn. */
#include "value.h"

#include <string.h>

#include "map.h"

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

/* One entry of the merge being built, with the objects that merge into it
 * (kept in `objs` while more than one). */
struct merging {
  struct entry *e;
  struct vec objs;   /* const struct val *, base first */
};

struct val *val_merge_all(struct arena *a, const struct val *const *layers, size_t n) {
  const struct val *base = layers[0];
  struct val *out = val_new(a, V_OBJ, base->at);
  out->s = base->s;
  out->param = base->param;
  out->kind_at = base->kind_at;
  out->weak = true;
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    out->weak = out->weak && layers[i]->weak;
    total += layers[i]->items.len;
  }
  /* a large merge finds entries by name through a map, a small one by looking */
  struct map index;
  bool hashed = total > 16;
  if (hashed)
    map_init(&index, a);
  struct vec slots = {0};  /* struct merging *, in the order of out->items */
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < layers[i]->items.len; j++) {
      const struct entry *o = layers[i]->items.items[j];
      struct merging *m = NULL;
      if (hashed) {
        m = map_get(&index, o->name, o->label);
      } else {
        for (size_t k = 0; k < slots.len && !m; k++) {
          struct merging *x = slots.items[k];
          if (strcmp(x->e->name, o->name) == 0 && same_label(x->e->label, o->label))
            m = x;
        }
      }
      if (!m) {
        m = arena_alloc(a, sizeof *m);
        m->e = arena_alloc(a, sizeof *m->e);
        *m->e = *o;
        vec_push(a, &slots, m);
        vec_push(a, &out->items, m->e);
        if (hashed)
          map_put(&index, m->e->name, m->e->label, m);
      } else if (o->is_block && m->e->v->kind == V_OBJ && o->v->kind == V_OBJ) {
        /* a block merges into what is there: later, all at once */
        if (m->objs.len == 0)
          vec_push(a, &m->objs, m->e->v);
        vec_push(a, &m->objs, o->v);
        m->e->is_block = m->e->is_block || o->is_block;
        m->e->name_at = o->name_at;
      } else {
        *m->e = *o;  /* an attribute, or a block over something else, replaces */
        m->objs.len = 0;
      }
    }
  }
  for (size_t k = 0; k < slots.len; k++) {
    struct merging *m = slots.items[k];
    if (m->objs.len > 1)
      m->e->v = val_merge_all(a, (const struct val *const *)m->objs.items, m->objs.len);
    if (out->depth < (m->e->v->kind == V_OBJ || m->e->v->kind == V_LIST ? m->e->v->depth : 0) + 1)
      out->depth = (m->e->v->kind == V_OBJ || m->e->v->kind == V_LIST ? m->e->v->depth : 0) + 1;
  }
  return out;
}

struct val *val_merge(struct arena *a, const struct val *base, const struct val *over) {
  const struct val *layers[] = {base, over};
  return val_merge_all(a, layers, 2);
}

const char *val_kind_name(enum val_kind k) {
  static const char *const names[] = {"string", "number", "bool", "identifier",
                                      "list",   "object", "secret", "text"};
  return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
