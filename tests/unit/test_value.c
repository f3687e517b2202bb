/* test_value.c - evaluated values and the overlay merge (value.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static int setup(void **state) {
  *state = arena_new();
  return 0;
}

static int teardown(void **state) {
  arena_free(*state);
  return 0;
}

/* --- builders ------------------------------------------------------------- */

static struct val *obj(struct arena *a, const char *kind) {
  struct val *v = val_new(a, V_OBJ, (struct span){1, 0, 1});
  v->s = kind;
  return v;
}

static struct val *num(struct arena *a, const char *text) {
  struct val *v = val_new(a, V_NUM, (struct span){1, 0, 1});
  v->s = text;
  return v;
}

static struct val *str(struct arena *a, const char *text) {
  struct val *v = val_new(a, V_STR, (struct span){1, 0, 1});
  v->s = text;
  return v;
}

static struct val *list2(struct arena *a, const char *x, const char *y) {
  struct val *v = val_new(a, V_LIST, (struct span){1, 0, 1});
  vec_push(a, &v->items, str(a, x));
  if (y)
    vec_push(a, &v->items, str(a, y));
  return v;
}

static struct entry *put(struct arena *a, struct val *o, const char *name, const char *label, bool block,
                         struct val *v) {
  struct entry *e = arena_alloc(a, sizeof *e);
  e->name = name;
  e->label = label;
  e->is_block = block;
  e->v = v;
  vec_push(a, &o->items, e);
  return e;
}

static struct val *attr_v(struct arena *a, struct val *o, const char *name, struct val *v) {
  put(a, o, name, NULL, false, v);
  return o;
}

static struct val *block_v(struct arena *a, struct val *o, const char *name, struct val *v) {
  put(a, o, name, NULL, true, v);
  return v;
}

/* The text of a scalar at a dotted path of plain (unlabelled) entries. */
static const struct val *at_path(const struct val *v, const char *path) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *seg = strtok(buf, "."); seg; seg = strtok(NULL, ".")) {
    assert_int_equal(v->kind, V_OBJ);
    const struct entry *e = val_find(v, seg, NULL);
    if (!e)
      return NULL;
    v = e->v;
  }
  return v;
}

static const char *text_at(const struct val *v, const char *path) {
  const struct val *x = at_path(v, path);
  return x ? x->s : NULL;
}

/* --- tests ---------------------------------------------------------------- */

static void test_val_new_and_kind_names(void **state) {
  struct arena *a = *state;
  struct val *v = val_new(a, V_BOOL, (struct span){3, 4, 5});
  assert_int_equal(v->kind, V_BOOL);
  assert_int_equal(v->at.file, 3);
  assert_int_equal(v->at.start, 4);
  assert_false(v->b);
  assert_null(v->s);
  assert_int_equal(v->items.len, 0);
  assert_string_equal(val_kind_name(V_STR), "string");
  assert_string_equal(val_kind_name(V_NUM), "number");
  assert_string_equal(val_kind_name(V_SYM), "identifier");
  assert_string_equal(val_kind_name(V_OBJ), "object");
  assert_string_equal(val_kind_name(V_SECRET), "secret");
  assert_string_equal(val_kind_name(V_TEXT), "text");
  assert_string_equal(val_kind_name((enum val_kind)42), "?");
}

static void test_val_find_by_name_and_label(void **state) {
  struct arena *a = *state;
  struct val *o = obj(a, NULL);
  struct entry *plain = put(a, o, "host", NULL, true, obj(a, NULL));
  struct entry *zb0 = put(a, o, "host", "zb0", true, obj(a, NULL));
  struct entry *zb1 = put(a, o, "host", "zb1", true, obj(a, NULL));
  assert_ptr_equal(val_find(o, "host", NULL), plain);
  assert_ptr_equal(val_find(o, "host", "zb0"), zb0);
  assert_ptr_equal(val_find(o, "host", "zb1"), zb1);
  assert_null(val_find(o, "host", "zb2"));
  assert_null(val_find(o, "hosts", NULL));
  assert_null(val_find(obj(a, NULL), "host", NULL));
}

static void test_blocks_merge_recursively(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, NULL);
  struct val *bo = block_v(a, base, "orchestration", obj(a, NULL));
  attr_v(a, bo, "brokers", num(a, "3"));
  attr_v(a, bo, "partitions", num(a, "3"));
  struct val *br = block_v(a, bo, "resources", obj(a, NULL));
  attr_v(a, br, "cpu", num(a, "1"));
  attr_v(a, br, "memory", num(a, "2Gi"));
  attr_v(a, base, "version", str(a, "8.8"));

  struct val *over = obj(a, NULL);
  struct val *oo = block_v(a, over, "orchestration", obj(a, NULL));
  attr_v(a, oo, "brokers", num(a, "5"));
  struct val *orr = block_v(a, oo, "resources", obj(a, NULL));
  attr_v(a, orr, "cpu", num(a, "2"));
  attr_v(a, oo, "disk", num(a, "64Gi"));

  struct val *m = val_merge(a, base, over);
  assert_int_equal(m->kind, V_OBJ);
  assert_string_equal(text_at(m, "version"), "8.8");
  assert_string_equal(text_at(m, "orchestration.brokers"), "5");
  assert_string_equal(text_at(m, "orchestration.partitions"), "3");
  assert_string_equal(text_at(m, "orchestration.resources.cpu"), "2");
  assert_string_equal(text_at(m, "orchestration.resources.memory"), "2Gi");
  assert_string_equal(text_at(m, "orchestration.disk"), "64Gi");
  /* entries keep the base's order, new ones come after */
  const struct val *mo = at_path(m, "orchestration");
  assert_int_equal(mo->items.len, 4);
  assert_string_equal(((struct entry *)mo->items.items[0])->name, "brokers");
  assert_string_equal(((struct entry *)mo->items.items[3])->name, "disk");
  assert_int_equal(m->items.len, 2);
}

static void test_merge_leaves_inputs_unchanged(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, NULL);
  struct val *bo = block_v(a, base, "orchestration", obj(a, NULL));
  attr_v(a, bo, "brokers", num(a, "3"));
  struct val *br = block_v(a, bo, "resources", obj(a, NULL));
  attr_v(a, br, "cpu", num(a, "1"));
  struct val *over = obj(a, NULL);
  struct val *oo = block_v(a, over, "orchestration", obj(a, NULL));
  attr_v(a, oo, "brokers", num(a, "5"));
  struct val *orr = block_v(a, oo, "resources", obj(a, NULL));
  attr_v(a, orr, "memory", num(a, "4Gi"));
  attr_v(a, over, "extra", str(a, "x"));

  struct val *m = val_merge(a, base, over);
  assert_true(m != base && m != over);
  assert_string_equal(text_at(m, "orchestration.brokers"), "5");
  assert_string_equal(text_at(m, "orchestration.resources.memory"), "4Gi");
  /* base */
  assert_int_equal(base->items.len, 1);
  assert_int_equal(bo->items.len, 2);
  assert_string_equal(text_at(base, "orchestration.brokers"), "3");
  assert_int_equal(br->items.len, 1);
  assert_null(at_path(base, "orchestration.resources.memory"));
  /* over */
  assert_int_equal(over->items.len, 2);
  assert_int_equal(oo->items.len, 2);
  assert_int_equal(orr->items.len, 1);
  assert_null(at_path(over, "orchestration.resources.cpu"));
  /* merging twice gives the same result */
  struct val *m2 = val_merge(a, base, over);
  assert_string_equal(text_at(m2, "orchestration.resources.cpu"), "1");
  assert_string_equal(text_at(m2, "orchestration.resources.memory"), "4Gi");
}

static void test_attributes_replace_objects(void **state) {
  struct arena *a = *state;
  /* resources = { cpu = 1, memory = 2Gi } replaced by resources = { cpu = 2 } */
  struct val *base = obj(a, NULL);
  struct val *r1 = obj(a, NULL);
  attr_v(a, r1, "cpu", num(a, "1"));
  attr_v(a, r1, "memory", num(a, "2Gi"));
  attr_v(a, base, "resources", r1);
  struct val *over = obj(a, NULL);
  struct val *r2 = obj(a, NULL);
  attr_v(a, r2, "cpu", num(a, "2"));
  attr_v(a, over, "resources", r2);
  struct val *m = val_merge(a, base, over);
  assert_string_equal(text_at(m, "resources.cpu"), "2");
  assert_null(at_path(m, "resources.memory"));
  assert_ptr_equal(at_path(m, "resources"), r2);
  /* an attribute also replaces a block of the same name */
  struct val *base2 = obj(a, NULL);
  struct val *bb = block_v(a, base2, "resources", obj(a, NULL));
  attr_v(a, bb, "memory", num(a, "1Gi"));
  m = val_merge(a, base2, over);
  assert_null(at_path(m, "resources.memory"));
  assert_false(((struct entry *)m->items.items[0])->is_block);
}

static void test_block_over_attribute_object_merges(void **state) {
  struct arena *a = *state;
  /* estate: resources = sizing.baseline; environment: resources { cpu = 4 } */
  struct val *base = obj(a, NULL);
  struct val *r1 = obj(a, NULL);
  attr_v(a, r1, "cpu", num(a, "3"));
  attr_v(a, r1, "memory", num(a, "2Gi"));
  attr_v(a, base, "resources", r1);
  struct val *over = obj(a, NULL);
  struct val *r2 = block_v(a, over, "resources", obj(a, NULL));
  attr_v(a, r2, "cpu", num(a, "4"));
  struct val *m = val_merge(a, base, over);
  assert_string_equal(text_at(m, "resources.cpu"), "4");
  assert_string_equal(text_at(m, "resources.memory"), "2Gi");
  assert_int_equal(r1->items.len, 2);
  assert_string_equal(text_at(base, "resources.cpu"), "3");
}

static void test_lists_and_scalars_replace(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, NULL);
  attr_v(a, base, "zones", list2(a, "a", "b"));
  attr_v(a, base, "brokers", num(a, "3"));
  attr_v(a, base, "target", str(a, "helm"));
  struct val *over = obj(a, NULL);
  attr_v(a, over, "zones", list2(a, "c", NULL));
  attr_v(a, over, "brokers", str(a, "many")); /* kind may change: typing comes later */
  struct val *m = val_merge(a, base, over);
  const struct val *z = at_path(m, "zones");
  assert_int_equal(z->kind, V_LIST);
  assert_int_equal(z->items.len, 1);
  assert_string_equal(((struct val *)z->items.items[0])->s, "c");
  assert_int_equal(at_path(m, "brokers")->kind, V_STR);
  assert_string_equal(text_at(m, "target"), "helm");
  assert_int_equal(at_path(base, "zones")->items.len, 2);
}

static void test_labelled_blocks_matched_by_label(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, NULL);
  struct val *ha = obj(a, NULL), *hb = obj(a, NULL);
  attr_v(a, ha, "zone", str(a, "za"));
  attr_v(a, hb, "zone", str(a, "zb"));
  attr_v(a, hb, "disk", num(a, "1Ti"));
  put(a, base, "host", "a", true, ha);
  put(a, base, "host", "b", true, hb);
  struct val *over = obj(a, NULL);
  struct val *ob = obj(a, NULL), *oc = obj(a, NULL);
  attr_v(a, ob, "zone", str(a, "zb2"));
  attr_v(a, oc, "zone", str(a, "zc"));
  put(a, over, "host", "b", true, ob);
  put(a, over, "host", "c", true, oc);
  struct val *m = val_merge(a, base, over);
  assert_int_equal(m->items.len, 3);
  const char *labels[] = {"a", "b", "c"};
  const char *zones[] = {"za", "zb2", "zc"};
  for (size_t i = 0; i < 3; i++) {
    const struct entry *e = m->items.items[i];
    assert_string_equal(e->name, "host");
    assert_string_equal(e->label, labels[i]);
    assert_string_equal(val_find(e->v, "zone", NULL)->v->s, zones[i]);
  }
  /* b was merged, not replaced: its disk stays */
  assert_string_equal(val_find(val_find(m, "host", "b")->v, "disk", NULL)->v->s, "1Ti");
  /* an unlabelled block of the same name is another entry */
  struct val *over2 = obj(a, NULL);
  struct val *plain = obj(a, NULL);
  attr_v(a, plain, "zone", str(a, "zz"));
  put(a, over2, "host", NULL, true, plain);
  m = val_merge(a, base, over2);
  assert_int_equal(m->items.len, 3);
  assert_string_equal(val_find(val_find(m, "host", "a")->v, "zone", NULL)->v->s, "za");
}

static void test_merge_keeps_base_kind_and_param(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, "postgres");
  base->param = "DB";
  attr_v(a, base, "url", str(a, "jdbc:a"));
  struct val *over = obj(a, NULL);
  attr_v(a, over, "user", str(a, "u"));
  struct val *m = val_merge(a, base, over);
  assert_string_equal(m->s, "postgres");
  assert_string_equal(m->param, "DB");
  assert_int_equal(m->at.file, base->at.file);
  assert_string_equal(text_at(m, "url"), "jdbc:a");
  assert_string_equal(text_at(m, "user"), "u");
  /* empty over: a copy with the same entries */
  struct val *e = val_merge(a, base, obj(a, NULL));
  assert_true(e != base);
  assert_int_equal(e->items.len, 1);
  /* a typed block in the overlay merges into the base's block */
  struct val *root = obj(a, NULL);
  put(a, root, "storage", NULL, true, base);
  struct val *root_over = obj(a, NULL);
  struct val *so = obj(a, NULL);
  attr_v(a, so, "url", str(a, "jdbc:b"));
  put(a, root_over, "storage", NULL, true, so);
  struct val *rm = val_merge(a, root, root_over);
  const struct val *st = at_path(rm, "storage");
  assert_string_equal(st->s, "postgres");
  assert_string_equal(text_at(rm, "storage.url"), "jdbc:b");
  assert_string_equal(text_at(root, "storage.url"), "jdbc:a");
}

static void test_block_over_scalar_replaces(void **state) {
  struct arena *a = *state;
  struct val *base = obj(a, NULL);
  attr_v(a, base, "storage", str(a, "none"));
  struct val *over = obj(a, NULL);
  struct val *ob = block_v(a, over, "storage", obj(a, NULL));
  attr_v(a, ob, "url", str(a, "http://x"));
  struct val *m = val_merge(a, base, over);
  assert_int_equal(at_path(m, "storage")->kind, V_OBJ);
  assert_string_equal(text_at(m, "storage.url"), "http://x");
  assert_true(((struct entry *)m->items.items[0])->is_block);
  assert_int_equal(at_path(base, "storage")->kind, V_STR);
}

/* --- merging many layers at once ---------------------------------------- */

/* The overlay merge as it was first written, one layer at a time: the
 * reference val_merge_all must agree with. */
static struct val *merge_in_turn(struct arena *a, const struct val *base, const struct val *over) {
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
      b->v = merge_in_turn(a, b->v, o->v);
      b->is_block = b->is_block || o->is_block;
      b->name_at = o->name_at;
    } else {
      *b = *o;
    }
  }
  return out;
}

/* Whether two merged values are the same: objects compared entry by
 * entry, anything else by identity (merging never copies a scalar). */
static bool same_merge(const struct val *x, const struct val *y) {
  if (x->kind != V_OBJ || y->kind != V_OBJ)
    return x == y;
  if (x->items.len != y->items.len || x->weak != y->weak || x->s != y->s || x->at.start != y->at.start)
    return false;
  for (size_t i = 0; i < x->items.len; i++) {
    const struct entry *a = x->items.items[i], *b = y->items.items[i];
    if (strcmp(a->name, b->name) != 0 || a->label != b->label || a->is_block != b->is_block ||
        a->name_at.start != b->name_at.start || !same_merge(a->v, b->v))
      return false;
  }
  return true;
}

static unsigned rnd(unsigned *seed) {
  *seed = *seed * 1103515245u + 12345u;
  return (*seed >> 16) & 0x7fff;
}

/* A random layer: entries drawn from few names and labels, attributes and
 * blocks, scalars and objects, `depth` levels deep. */
static struct val *random_layer(struct arena *a, unsigned *seed, int depth, size_t width) {
  static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
  static const char *const labels[] = {NULL, "x", "y"};
  struct val *v = obj(a, rnd(seed) % 4 ? NULL : "kind");
  v->weak = rnd(seed) % 3 == 0;
  v->at.start = rnd(seed);
  size_t n = rnd(seed) % (width + 1);
  for (size_t i = 0; i < n; i++) {
    const char *name = names[rnd(seed) % (sizeof names / sizeof names[0])];
    const char *label = labels[rnd(seed) % 3];
    if (val_find(v, name, label))
      continue;
    struct val *x = depth > 0 && rnd(seed) % 2 ? random_layer(a, seed, depth - 1, width) : num(a, "1");
    struct entry *e = put(a, v, name, label, rnd(seed) % 3 != 0, x);
    e->name_at.start = rnd(seed);
  }
  return v;
}

/* val_merge_all over any layers is merging them in turn, on small layers
 * (found by looking) and large ones (found through a map). */
static void test_merge_all_is_merging_in_turn(void **state) {
  struct arena *a = *state;
  unsigned seed = 1;
  for (int round = 0; round < 2000; round++) {
    size_t n = 2 + rnd(&seed) % 5, width = round % 2 ? 4 : 12;
    const struct val *layers[6];
    for (size_t i = 0; i < n; i++)
      layers[i] = random_layer(a, &seed, 3, width);
    const struct val *acc = layers[0];
    for (size_t i = 1; i < n; i++)
      acc = merge_in_turn(a, acc, layers[i]);
    struct val *got = val_merge_all(a, layers, n);
    if (!same_merge(acc, got))
      fail_msg("round %d: merging %zu layers at once differs from merging them in turn", round, n);
  }
}

/* 20,000 layers of one entry each into an object that grows by one per
 * layer, and one object of 100,000 attributes over another: linear (in
 * turn, or with a linear search, these take minutes). */
static void test_merging_many_and_wide_layers(void **state) {
  struct arena *a = *state;
  enum { LAYERS = 20000, WIDE = 100000 };
  const struct val **layers = arena_alloc(a, LAYERS * sizeof *layers);
  for (size_t i = 0; i < LAYERS; i++) {
    struct val *env = obj(a, NULL);
    attr_v(a, env, arena_printf(a, "V%zu", i), num(a, "1"));
    struct val *top = obj(a, NULL);
    block_v(a, top, "env", env);
    layers[i] = top;
  }
  struct val *m = val_merge_all(a, layers, LAYERS);
  assert_int_equal(m->items.len, 1);
  const struct val *env = val_find(m, "env", NULL)->v;
  assert_int_equal(env->items.len, LAYERS);
  assert_string_equal(((const struct entry *)env->items.items[LAYERS - 1])->name, "V19999");
  struct val *x = obj(a, NULL), *y = obj(a, NULL);
  for (size_t i = 0; i < WIDE; i++) {
    attr_v(a, x, arena_printf(a, "K%zu", i), num(a, "1"));
    if (i % 2)
      attr_v(a, y, arena_printf(a, "K%zu", i), num(a, "2"));
  }
  attr_v(a, y, "new", num(a, "3"));
  struct val *w = val_merge(a, x, y);
  assert_int_equal(w->items.len, WIDE + 1);
  assert_string_equal(val_find(w, "K99999", NULL)->v->s, "2");
  assert_string_equal(val_find(w, "K99998", NULL)->v->s, "1");
}

/* A merged object is as deep as its deepest layer. */
static void test_merge_keeps_depth(void **state) {
  struct arena *a = *state;
  struct val *inner = obj(a, NULL);
  inner->depth = 1;
  attr_v(a, inner, "x", list2(a, "a", NULL));
  struct val *mid = obj(a, NULL);
  mid->depth = 2;
  block_v(a, mid, "m", inner);
  struct val *flat = obj(a, NULL);
  flat->depth = 1;
  attr_v(a, flat, "y", num(a, "1"));
  assert_int_equal(val_merge(a, flat, mid)->depth, 2);
  assert_int_equal(val_merge(a, mid, flat)->depth, 2);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_val_new_and_kind_names),
      T(test_val_find_by_name_and_label),
      T(test_blocks_merge_recursively),
      T(test_merge_leaves_inputs_unchanged),
      T(test_attributes_replace_objects),
      T(test_block_over_attribute_object_merges),
      T(test_lists_and_scalars_replace),
      T(test_labelled_blocks_matched_by_label),
      T(test_merge_keeps_base_kind_and_param),
      T(test_block_over_scalar_replaces),
      T(test_merge_all_is_merging_in_turn),
      T(test_merging_many_and_wide_layers),
      T(test_merge_keeps_depth),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
