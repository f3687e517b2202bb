/* test_map.c - the string hash map (map.h): keys with and without a sub
 * key, replacement, growth, and lookups that stay fast with many keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

static int setup(void **state) {
  *state = arena_new();
  return 0;
}

static int teardown(void **state) {
  arena_free(*state);
  return 0;
}

static void test_empty_map_finds_nothing(void **state) {
  struct map m;
  map_init(&m, *state);
  assert_null(map_get(&m, "a", NULL));
  assert_null(map_get(&m, "", "x"));
  assert_int_equal(m.len, 0);
}

static void test_put_get_and_replace(void **state) {
  struct map m;
  map_init(&m, *state);
  int one = 1, two = 2;
  map_put(&m, "brokers", NULL, &one);
  assert_ptr_equal(map_get(&m, "brokers", NULL), &one);
  map_put(&m, "brokers", NULL, &two);
  assert_ptr_equal(map_get(&m, "brokers", NULL), &two);
  assert_int_equal(m.len, 1);
  assert_null(map_get(&m, "broker", NULL));
  assert_null(map_get(&m, "brokers2", NULL));
}

/* An entry is (name, label): no label, an empty label and a label are
 * three keys, and "a"+"bc" is not "ab"+"c". */
static void test_sub_keys_are_distinct(void **state) {
  struct map m;
  map_init(&m, *state);
  int a = 1, b = 2, c = 3, d = 4, e = 5;
  map_put(&m, "host", NULL, &a);
  map_put(&m, "host", "", &b);
  map_put(&m, "host", "zb0", &c);
  map_put(&m, "a", "bc", &d);
  map_put(&m, "ab", "c", &e);
  assert_ptr_equal(map_get(&m, "host", NULL), &a);
  assert_ptr_equal(map_get(&m, "host", ""), &b);
  assert_ptr_equal(map_get(&m, "host", "zb0"), &c);
  assert_ptr_equal(map_get(&m, "a", "bc"), &d);
  assert_ptr_equal(map_get(&m, "ab", "c"), &e);
  assert_null(map_get(&m, "host", "zb1"));
  assert_null(map_get(&m, "abc", NULL));
  assert_int_equal(m.len, 5);
}

/* Keys are compared by content, not by pointer. */
static void test_keys_compare_by_content(void **state) {
  struct map m;
  map_init(&m, *state);
  char k1[] = "domain", k2[] = "domain";
  int v = 7;
  map_put(&m, k1, NULL, &v);
  assert_ptr_equal(map_get(&m, k2, NULL), &v);
}

/* Growing keeps every key; 200,000 keys stay found (and quickly: the
 * whole test would take minutes with a linear scan). */
static void test_many_keys_survive_growth(void **state) {
  struct arena *a = *state;
  struct map m;
  map_init(&m, a);
  enum { N = 200000 };
  const char **keys = arena_alloc(a, N * sizeof *keys);
  for (size_t i = 0; i < N; i++) {
    keys[i] = arena_printf(a, "a%zu", i);
    map_put(&m, keys[i], i % 2 ? "label" : NULL, (void *)(keys[i]));
  }
  assert_int_equal(m.len, N);
  assert_true(m.cap >= 2 * m.len);
  for (size_t i = 0; i < N; i++) {
    assert_ptr_equal(map_get(&m, keys[i], i % 2 ? "label" : NULL), keys[i]);
    assert_null(map_get(&m, keys[i], i % 2 ? NULL : "label"));
  }
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_empty_map_finds_nothing),
      T(test_put_get_and_replace),
      T(test_sub_keys_are_distinct),
      T(test_keys_compare_by_content),
      T(test_many_keys_survive_growth),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
