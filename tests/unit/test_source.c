/* test_source.c - the file registry, line maps and spans (source.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

struct fixture {
  struct arena *a;
  struct sources src;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  f->a = arena_new();
  sources_init(&f->src, f->a);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  arena_free(f->a);
  free(f);
  return 0;
}

static struct source_file *add(struct fixture *fx, const char *text) {
  return sources_add(&fx->src, "t.camarch", NULL, text, strlen(text));
}

static void assert_loc(const struct source_file *f, uint32_t offset, uint32_t line, uint32_t col) {
  struct loc l = source_loc(f, offset);
  if (l.line != line || l.col != col)
    fail_msg("offset %u: expected %u:%u, got %u:%u", offset, line, col, l.line, l.col);
}

static void assert_line(const struct source_file *f, uint32_t line, const char *want) {
  size_t len = 99;
  const char *s = source_line(f, line, &len);
  assert_non_null(s);
  if (len != strlen(want) || memcmp(s, want, len) != 0)
    fail_msg("line %u: expected \"%s\", got \"%.*s\"", line, want, (int)len, s);
}

static void test_empty_file(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "");
  assert_int_equal(f->id, 1);
  assert_int_equal(f->len, 0);
  assert_int_equal(f->nlines, 1);
  assert_loc(f, 0, 1, 1);
  assert_loc(f, 5, 1, 1);
  assert_line(f, 1, "");
}

static void test_lines_and_columns(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "ab\ncd\n\nef");
  assert_int_equal(f->nlines, 4);
  assert_loc(f, 0, 1, 1);
  assert_loc(f, 1, 1, 2);
  assert_loc(f, 2, 1, 3); /* the newline belongs to its line */
  assert_loc(f, 3, 2, 1);
  assert_loc(f, 4, 2, 2);
  assert_loc(f, 6, 3, 1);
  assert_loc(f, 7, 4, 1);
  assert_loc(f, 8, 4, 2);
  assert_line(f, 1, "ab");
  assert_line(f, 2, "cd");
  assert_line(f, 3, "");
  assert_line(f, 4, "ef");
}

static void test_utf8_columns_count_code_points(void **state) {
  struct fixture *fx = *state;
  /* a, e-acute (2 bytes), euro (3 bytes), grinning face (4 bytes), b */
  struct source_file *f = add(fx, "x\na\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b = 1");
  uint32_t l2 = 2;
  assert_loc(f, l2 + 0, 2, 1);   /* a */
  assert_loc(f, l2 + 1, 2, 2);   /* e-acute */
  assert_loc(f, l2 + 3, 2, 3);   /* euro */
  assert_loc(f, l2 + 6, 2, 4);   /* face */
  assert_loc(f, l2 + 10, 2, 5);  /* b */
  assert_loc(f, l2 + 12, 2, 7);  /* = */
  assert_line(f, 2, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b = 1");
}

static void test_crlf_line_endings(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "a = 1\r\nbc = 2\r\n\r\nd");
  assert_int_equal(f->nlines, 4);
  assert_loc(f, 0, 1, 1);
  assert_loc(f, 7, 2, 1);   /* b */
  assert_loc(f, 8, 2, 2);   /* c */
  assert_loc(f, 17, 4, 1);  /* d */
  /* the CR is not part of the line's text */
  assert_line(f, 1, "a = 1");
  assert_line(f, 2, "bc = 2");
  assert_line(f, 3, "");
  assert_line(f, 4, "d");
}

static void test_last_line_without_newline(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "first\nlast");
  assert_int_equal(f->nlines, 2);
  assert_line(f, 2, "last");
  assert_loc(f, 10, 2, 5); /* end of file */
  /* with a final newline there is an empty last line */
  struct source_file *g = add(fx, "first\nlast\n");
  assert_int_equal(g->nlines, 3);
  assert_line(g, 2, "last");
  assert_line(g, 3, "");
  assert_loc(g, 11, 3, 1);
}

static void test_offsets_past_end_clamp(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "ab\ncd");
  assert_loc(f, 5, 2, 3);
  assert_loc(f, 6, 2, 3);
  assert_loc(f, 1000000, 2, 3);
  assert_loc(f, UINT32_MAX, 2, 3);
}

static void test_source_line_out_of_range(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "one\ntwo\n");
  size_t len = 42;
  const char *s = source_line(f, 0, &len);
  assert_int_equal(len, 0);
  assert_string_equal(s, "");
  len = 42;
  s = source_line(f, 4, &len);
  assert_int_equal(len, 0);
  assert_string_equal(s, "");
  /* the returned pointer is into the file's text, not a copy */
  s = source_line(f, 2, &len);
  assert_ptr_equal(s, f->text + 4);
}

static void test_many_lines_binary_search(void **state) {
  struct fixture *fx = *state;
  struct buf b = {0};
  for (int i = 1; i <= 5000; i++)
    buf_printf(&b, "line %d\n", i);
  struct source_file *f = sources_add(&fx->src, "big", NULL, b.data, b.len);
  assert_int_equal(f->nlines, 5001);
  uint32_t off = 0;
  for (uint32_t i = 1; i <= 5000; i++) {
    assert_loc(f, off, i, 1);
    assert_loc(f, off + 5, i, 6);
    char want[32];
    snprintf(want, sizeof want, "line %u", i);
    assert_line(f, i, want);
    off += (uint32_t)strlen(want) + 1;
  }
  buf_free(&b);
}

static void test_sources_registry(void **state) {
  struct fixture *fx = *state;
  char text[] = "abc";
  struct source_file *f1 = sources_add(&fx->src, "one.camarch", "/real/one.camarch", text, 3);
  struct source_file *f2 = sources_add(&fx->src, "two.camarch", NULL, "x\0y", 3);
  text[0] = 'Z'; /* the text was copied */
  assert_string_equal(f1->text, "abc");
  assert_int_equal(f1->id, 1);
  assert_int_equal(f2->id, 2);
  assert_string_equal(f1->path, "one.camarch");
  assert_string_equal(f1->realpath, "/real/one.camarch");
  assert_null(f2->realpath);
  assert_int_equal(f2->len, 3);
  assert_int_equal(f2->text[3], '\0');
  assert_ptr_equal(sources_get(&fx->src, 1), f1);
  assert_ptr_equal(sources_get(&fx->src, 2), f2);
  assert_null(sources_get(&fx->src, 0));
  assert_null(sources_get(&fx->src, 3));
}

static void test_span_join(void **state) {
  (void)state;
  struct span a = {1, 10, 20}, b = {1, 5, 12}, c = {2, 0, 3}, none = {0, 0, 0};
  struct span j = span_join(a, b);
  assert_int_equal(j.file, 1);
  assert_int_equal(j.start, 5);
  assert_int_equal(j.end, 20);
  j = span_join(b, a);
  assert_int_equal(j.start, 5);
  assert_int_equal(j.end, 20);
  j = span_join(none, c);
  assert_int_equal(j.file, 2);
  assert_int_equal(j.end, 3);
  j = span_join(a, none);
  assert_int_equal(j.start, 10);
  j = span_join(a, c); /* different files: the first wins */
  assert_int_equal(j.file, 1);
  assert_int_equal(j.start, 10);
  assert_int_equal(j.end, 20);
  assert_false(span_known(none));
  assert_true(span_known(a));
}

/* A byte order mark is not part of line 1: columns and the line's text
 * start after it (offsets inside it count as column 1). */
static void test_byte_order_mark_is_not_in_line_one(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = add(fx, "\xEF\xBB\xBFlet a = 1\nlet b = 2\n");
  assert_loc(f, 0, 1, 1);
  assert_loc(f, 3, 1, 1);
  assert_loc(f, 7, 1, 5);
  assert_loc(f, 13, 2, 1);
  assert_line(f, 1, "let a = 1");
  assert_line(f, 2, "let b = 2");
  struct source_file *g = add(fx, "\xEF\xBB\xBF");
  assert_loc(g, 3, 1, 1);
  assert_line(g, 1, "");
  /* not at the start: an ordinary character */
  struct source_file *h = add(fx, "a\xEF\xBB\xBF" "b");
  assert_loc(h, 4, 1, 3);
}

/* The last line's length is the file's, not strlen's: a NUL in it does
 * not shorten it. */
static void test_last_line_with_nul_keeps_its_length(void **state) {
  struct fixture *fx = *state;
  struct source_file *f = sources_add(&fx->src, "t.camarch", NULL, "ab\0cd", 5);
  size_t len;
  source_line(f, 1, &len);
  assert_int_equal(len, 5);
  assert_loc(f, 5, 1, 6);
}

/* Columns on a line of any length, with multibyte characters before and
 * after block boundaries, agree with counting code points by hand. */
static void test_columns_on_a_long_line(void **state) {
  struct fixture *fx = *state;
  struct buf b = {0};
  buf_puts(&b, "x\n");
  for (int i = 0; i < 5000; i++)
    buf_puts(&b, i % 7 ? "ab" : "\xC3\xA9\xE2\x82\xAC");
  struct source_file *f = sources_add(&fx->src, "t.camarch", NULL, b.data, b.len);
  uint32_t col = 1;
  for (size_t off = 2; off <= b.len; off++) {
    if (off == b.len || ((unsigned char)b.data[off] & 0xC0) != 0x80) {
      struct loc l = source_loc(f, (uint32_t)off);
      if (l.line != 2 || l.col != col)
        fail_msg("offset %zu: expected 2:%u, got %u:%u", off, col, l.line, l.col);
    }
    if (off < b.len && ((unsigned char)b.data[off] & 0xC0) != 0x80)
      col++;
  }
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_byte_order_mark_is_not_in_line_one, setup, teardown),
      cmocka_unit_test_setup_teardown(test_last_line_with_nul_keeps_its_length, setup, teardown),
      cmocka_unit_test_setup_teardown(test_columns_on_a_long_line, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lines_and_columns, setup, teardown),
      cmocka_unit_test_setup_teardown(test_utf8_columns_count_code_points, setup, teardown),
      cmocka_unit_test_setup_teardown(test_crlf_line_endings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_last_line_without_newline, setup, teardown),
      cmocka_unit_test_setup_teardown(test_offsets_past_end_clamp, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_line_out_of_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_many_lines_binary_search, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sources_registry, setup, teardown),
      cmocka_unit_test(test_span_join),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
