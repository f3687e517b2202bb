/* test_arena.c - the arena, its containers, and the failing allocator.
 *
 * Out-of-memory must be a clean exit (status 70, "out of memory" on
 * stderr), never a crash: those cases run in a forked child so the exit
 * does not end the test program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "child.h"


/* --- helpers -------------------------------------------------------------- */

static void assert_clean_oom(const struct child_result *r) {
  assert_true(WIFEXITED(r->status));
  assert_int_equal(WEXITSTATUS(r->status), 70);
  assert_non_null(strstr(r->err, "out of memory"));
}

/* --- arena ---------------------------------------------------------------- */

static void test_arena_alloc_is_zeroed_and_aligned(void **state) {
  (void)state;
  struct arena *a = arena_new();
  size_t sizes[] = {1, 3, 8, 17, 100, 4096, 70000, 0, 5};
  char *prev = NULL;
  size_t prev_size = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    unsigned char *p = arena_alloc(a, sizes[i]);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    for (size_t j = 0; j < sizes[i]; j++)
      assert_int_equal(p[j], 0);
    memset(p, 0xAB, sizes[i]);
    /* the previous block is untouched by this one */
    for (size_t j = 0; prev && j < prev_size; j++)
      assert_int_equal((unsigned char)prev[j], 0xAB);
    prev = (char *)p;
    prev_size = sizes[i];
  }
  arena_free(a);
  arena_free(NULL); /* allowed */
}

static void test_arena_many_small_allocations_span_chunks(void **state) {
  (void)state;
  struct arena *a = arena_new();
  enum { N = 20000 };
  uint32_t **ptrs = malloc(N * sizeof *ptrs);
  assert_non_null(ptrs);
  for (uint32_t i = 0; i < N; i++) {
    ptrs[i] = arena_alloc(a, sizeof(uint32_t));
    *ptrs[i] = i * 7u;
  }
  for (uint32_t i = 0; i < N; i++)
    assert_int_equal(*ptrs[i], i * 7u);
  free(ptrs);
  arena_free(a);
}

static void test_arena_strndup(void **state) {
  (void)state;
  struct arena *a = arena_new();
  const char *src = "hello world";
  char *s = arena_strndup(a, src, 5);
  assert_string_equal(s, "hello");
  assert_true(s != src);
  assert_int_equal(s[5], '\0');
  assert_string_equal(arena_strndup(a, src, 0), "");
  /* stops at n even inside a longer string, and copies embedded bytes */
  char *t = arena_strndup(a, "ab\0cd", 5);
  assert_int_equal(t[3], 'c');
  assert_int_equal(t[5], '\0');
  char *d = arena_strdup(a, src);
  assert_string_equal(d, src);
  d[0] = 'J';
  assert_string_equal(src, "hello world");
  arena_free(a);
}

static void test_arena_printf(void **state) {
  (void)state;
  struct arena *a = arena_new();
  assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.5), "x-42-003.5");
  assert_string_equal(arena_printf(a, "%s", ""), "");
  /* longer than a chunk */
  char *big = malloc(100001);
  assert_non_null(big);
  memset(big, 'q', 100000);
  big[100000] = '\0';
  char *s = arena_printf(a, "[%s]", big);
  assert_int_equal(strlen(s), 100002);
  assert_int_equal(s[0], '[');
  assert_int_equal(s[100001], ']');
  free(big);
  arena_free(a);
}

/* --- vec ------------------------------------------------------------------ */

static void test_vec_push_grows_and_keeps_order(void **state) {
  (void)state;
  struct arena *a = arena_new();
  struct vec v = {0};
  static int values[1000];
  for (int i = 0; i < 1000; i++) {
    values[i] = i;
    vec_push(a, &v, &values[i]);
    assert_int_equal(v.len, (size_t)i + 1);
    assert_true(v.cap >= v.len);
  }
  /* capacity doubles from 8 */
  assert_int_equal(v.cap, 1024);
  for (size_t i = 0; i < v.len; i++)
    assert_ptr_equal(v.items[i], &values[i]);
  arena_free(a);
}

static void test_vec_first_push_and_null_items(void **state) {
  (void)state;
  struct arena *a = arena_new();
  struct vec v = {0};
  vec_push(a, &v, NULL);
  assert_int_equal(v.len, 1);
  assert_int_equal(v.cap, 8);
  assert_null(v.items[0]);
  for (int i = 0; i < 8; i++)
    vec_push(a, &v, (void *)"x");
  assert_int_equal(v.len, 9);
  assert_int_equal(v.cap, 16);
  assert_null(v.items[0]);
  assert_string_equal(v.items[8], "x");
  arena_free(a);
}

/* --- buf ------------------------------------------------------------------ */

static void test_buf_append_puts_printf(void **state) {
  (void)state;
  struct buf b = {0};
  buf_puts(&b, "");
  assert_non_null(b.data);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  buf_puts(&b, "abc");
  buf_append(&b, "def", 2);
  buf_printf(&b, "-%d-%s", 7, "z");
  assert_string_equal(b.data, "abcde-7-z");
  assert_int_equal(b.len, 9);
  /* embedded NUL bytes are kept */
  buf_append(&b, "\0!", 2);
  assert_int_equal(b.len, 11);
  assert_int_equal(b.data[9], '\0');
  assert_int_equal(b.data[10], '!');
  assert_int_equal(b.data[11], '\0');
  buf_free(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 0);
  buf_free(&b); /* twice is fine */
}

static void test_buf_growth_large(void **state) {
  (void)state;
  struct buf b = {0};
  for (int i = 0; i < 10000; i++)
    buf_printf(&b, "%04d,", i % 10000);
  assert_int_equal(b.len, 50000);
  assert_true(b.cap > b.len);
  assert_memory_equal(b.data, "0000,0001,", 10);
  assert_memory_equal(b.data + 49995, "9999,", 5);
  assert_int_equal(b.data[b.len], '\0');
  /* a single printf longer than the initial capacity */
  struct buf c = {0};
  buf_printf(&c, "%0300d", 5);
  assert_int_equal(c.len, 300);
  assert_int_equal(c.data[299], '5');
  assert_int_equal(c.data[0], '0');
  buf_free(&b);
  buf_free(&c);
}

/* --- the failing allocator ------------------------------------------------ */

static void child_fail_first(void *arg) {
  (void)arg;
  arena_set_fail_after(1);
  struct arena *a = arena_new(); /* the first allocation: dies */
  (void)a;
  fprintf(stderr, "survived\n");
}

static void test_oom_on_first_allocation_exits_70(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(child_fail_first, NULL, &r);
  assert_clean_oom(&r);
  assert_null(strstr(r.err, "survived"));
}

static void child_fail_in_chunk(void *arg) {
  (void)arg;
  struct arena *a = arena_new();
  (void)arena_alloc(a, 16);       /* first chunk */
  arena_set_fail_after(2);
  (void)arena_alloc(a, 16);       /* fits the chunk: no allocation */
  (void)arena_alloc(a, 100000);   /* a new chunk: allocation 1 */
  (void)arena_alloc(a, 100000);   /* allocation 2: dies */
  fprintf(stderr, "survived\n");
}

static void test_oom_in_arena_chunk_exits_70(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(child_fail_in_chunk, NULL, &r);
  assert_clean_oom(&r);
  assert_null(strstr(r.err, "survived"));
}

static void child_fail_in_buf(void *arg) {
  (void)arg;
  struct buf b = {0};
  arena_set_fail_after(1);
  buf_puts(&b, "x");
  fprintf(stderr, "survived\n");
}

static void test_oom_in_buf_exits_70(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(child_fail_in_buf, NULL, &r);
  assert_clean_oom(&r);
  assert_null(strstr(r.err, "survived"));
}

static void child_fail_disabled(void *arg) {
  (void)arg;
  arena_set_fail_after(3);
  arena_set_fail_after(0); /* disables */
  struct arena *a = arena_new();
  for (int i = 0; i < 50; i++)
    (void)arena_alloc(a, 70000);
  struct buf b = {0};
  buf_printf(&b, "%d", 1);
  buf_free(&b);
  arena_free(a);
}

static void test_fail_after_zero_disables(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(child_fail_disabled, NULL, &r);
  assert_true(WIFEXITED(r.status));
  assert_int_equal(WEXITSTATUS(r.status), 0);
  assert_null(strstr(r.err, "out of memory"));
}

static void child_die(void *arg) {
  (void)arg;
  die("broken invariant %d", 42);
}

static void test_die_reports_location_and_exits_70(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(child_die, NULL, &r);
  assert_true(WIFEXITED(r.status));
  assert_int_equal(WEXITSTATUS(r.status), 70);
  assert_non_null(strstr(r.err, "camarch: internal error at "));
  assert_non_null(strstr(r.err, "test_arena.c:"));
  assert_non_null(strstr(r.err, "broken invariant 42\n"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arena_alloc_is_zeroed_and_aligned),
      cmocka_unit_test(test_arena_many_small_allocations_span_chunks),
      cmocka_unit_test(test_arena_strndup),
      cmocka_unit_test(test_arena_printf),
      cmocka_unit_test(test_vec_push_grows_and_keeps_order),
      cmocka_unit_test(test_vec_first_push_and_null_items),
      cmocka_unit_test(test_buf_append_puts_printf),
      cmocka_unit_test(test_buf_growth_large),
      cmocka_unit_test(test_oom_on_first_allocation_exits_70),
      cmocka_unit_test(test_oom_in_arena_chunk_exits_70),
      cmocka_unit_test(test_oom_in_buf_exits_70),
      cmocka_unit_test(test_fail_after_zero_disables),
      cmocka_unit_test(test_die_reports_location_and_exits_70),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
