/* test_diag.c - the diagnostic list, its sorting and de-duplication, and
 * the text and JSON renderers (diag.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct dx {
  struct arena *a;
  struct sources src;
  struct diags d;
};

static int setup(void **state) {
  struct dx *x = calloc(1, sizeof *x);
  if (!x)
    return -1;
  x->a = arena_new();
  sources_init(&x->src, x->a);
  diags_init(&x->d, x->a);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  struct dx *x = *state;
  arena_free(x->a);
  free(x);
  return 0;
}

static struct source_file *add_file(struct dx *x, const char *path, const char *text) {
  return sources_add(&x->src, path, NULL, text, strlen(text));
}

/* The span of the first occurrence of `needle` in file f. */
static struct span span_of(const struct source_file *f, const char *needle) {
  const char *p = strstr(f->text, needle);
  assert_non_null(p);
  uint32_t start = (uint32_t)(p - f->text);
  return (struct span){f->id, start, start + (uint32_t)strlen(needle)};
}

/* Renders the list as text; the caller frees the result. */
static char *render(const struct dx *x) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  assert_non_null(f);
  diags_render_text(&x->d, &x->src, f);
  fclose(f);
  assert_non_null(out);
  return out;
}

static void assert_rendered(const struct dx *x, const char *want) {
  char *got = render(x);
  if (strcmp(got, want) != 0) {
    print_error("expected:\n%s\ngot:\n%s\n", want, got);
    free(got);
    fail();
  }
  free(got);
}

/* --- text ----------------------------------------------------------------- */

static void test_render_error_with_caret_underline(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "t.camarch", "estate {\n  brokres = 3\n}\n");
  diag_error(&x->d, "TYP003", span_of(f, "brokres"), "unknown field `%s`", "brokres");
  assert_int_equal(x->d.errors, 1);
  assert_rendered(x, "t.camarch:2:3: error[TYP003]: unknown field `brokres`\n"
                     " 2 |   brokres = 3\n"
                     "   |   ^~~~~~~\n");
}

static void test_render_notes_and_help(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "dir/e.camarch", "estate {\n  brokres = 3\n}\n");
  struct diag *g = diag_error(&x->d, "TYP003", span_of(f, "brokres"), "unknown field");
  diag_note(&x->d, g, span_of(f, "{"), "the block starts %s", "here");
  diag_note(&x->d, g, (struct span){0}, "a note without a place");
  diag_help(&x->d, g, "did you mean `%s`?", "brokers");
  assert_int_equal(g->notes.len, 2);
  assert_string_equal(g->help, "did you mean `brokers`?");
  assert_rendered(x, "dir/e.camarch:2:3: error[TYP003]: unknown field\n"
                     " 2 |   brokres = 3\n"
                     "   |   ^~~~~~~\n"
                     "dir/e.camarch:1:8: note: the block starts here\n"
                     " 1 | estate {\n"
                     "   |        ^\n"
                     "note: a note without a place\n"
                     "help: did you mean `brokers`?\n");
}

static void test_render_without_location_and_warning(void **state) {
  struct dx *x = *state;
  add_file(x, "t.camarch", "x\n");
  diag_error(&x->d, "PAR002", (struct span){0}, "--set %s: no param", "FOO");
  diag_warning(&x->d, "ZB001", (struct span){1, 0, 1}, "odd %s", "thing");
  diag_add(&x->d, SEV_NOTE, NULL, (struct span){0}, "just so you know");
  assert_int_equal(x->d.errors, 1);
  assert_int_equal(x->d.warnings, 1);
  assert_rendered(x, "camarch: error[PAR002]: --set FOO: no param\n"
                     "t.camarch:1:1: warning[ZB001]: odd thing\n"
                     " 1 | x\n"
                     "   | ^\n"
                     "note: just so you know\n");
}

static void test_render_gutter_width_for_long_line_numbers(void **state) {
  struct dx *x = *state;
  struct buf b = {0};
  for (int i = 1; i <= 120; i++)
    buf_printf(&b, "let v%d = %d\n", i, i);
  struct source_file *f = add_file(x, "big.camarch", b.data);
  buf_free(&b);
  diag_error(&x->d, "NAM002", span_of(f, "v105"), "dup");
  assert_rendered(x, "big.camarch:105:5: error[NAM002]: dup\n"
                     " 105 | let v105 = 105\n"
                     "     |     ^~~~\n");
}

static void test_render_caret_after_tabs_and_utf8(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "t.camarch", "\tx = 1\n\xC3\xA9t\xC3\xA9 = \"v\"\n");
  diag_error(&x->d, "A", span_of(f, "x"), "tab");
  diag_error(&x->d, "B", span_of(f, "= \"v\""), "utf8");
  assert_rendered(x, "t.camarch:1:2: error[A]: tab\n"
                     " 1 | \tx = 1\n"
                     "   | \t^\n"
                     "t.camarch:2:5: error[B]: utf8\n"
                     " 2 | \xC3\xA9t\xC3\xA9 = \"v\"\n"
                     "   |     ^~~~~\n");
}

/* Control bytes of the source line (a NUL, a terminal escape) are shown as
 * '?', one column each: the excerpt is whole and the caret lines up. */
static void test_render_control_bytes(void **state) {
  struct dx *x = *state;
  static const char text[] = "a = \"x\0y\" \033[31m = 1\n";
  struct source_file *f = sources_add(&x->src, "t.camarch", NULL, text, sizeof text - 1);
  diag_error(&x->d, "A", (struct span){f->id, 11, 12}, "escape");
  assert_rendered(x, "t.camarch:1:12: error[A]: escape\n"
                     " 1 | a = \"x?y\" ?[31m = 1\n"
                     "   |            ^\n");
}

/* A message quoting the estate's text stays one line: a newline there
 * cannot forge another diagnostic. */
static void test_render_messages_one_line(void **state) {
  struct dx *x = *state;
  struct diag *g = diag_error(&x->d, "A", (struct span){0}, "unknown profile `a\nt.camarch:1:1: error[B]: forged`");
  diag_help(&x->d, g, "did you mean `b\033[2J`?");
  assert_rendered(x, "camarch: error[A]: unknown profile `a\\x0at.camarch:1:1: error[B]: forged`\n"
                     "help: did you mean `b\\x1b[2J`?\n");
}

static void test_render_spans_at_line_edges(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "t.camarch", "abc\ndef");
  /* a span running into the next line is underlined to the end of its first */
  diag_error(&x->d, "A", (struct span){f->id, 1, 6}, "multi");
  /* an empty span gets a caret alone */
  diag_error(&x->d, "B", (struct span){f->id, 2, 2}, "empty");
  /* a span at the newline, and at the end of the file */
  diag_error(&x->d, "C", (struct span){f->id, 3, 4}, "eol");
  diag_error(&x->d, "D", (struct span){f->id, 7, 7}, "eof");
  assert_rendered(x, "t.camarch:1:2: error[A]: multi\n"
                     " 1 | abc\n"
                     "   |  ^~\n"
                     "t.camarch:1:3: error[B]: empty\n"
                     " 1 | abc\n"
                     "   |   ^\n"
                     "t.camarch:1:4: error[C]: eol\n"
                     " 1 | abc\n"
                     "   |    ^\n"
                     "t.camarch:2:4: error[D]: eof\n"
                     " 2 | def\n"
                     "   |    ^\n");
}

static void test_render_crlf_source(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "t.camarch", "a = 1\r\nbad = 2\r\n");
  diag_error(&x->d, "E", span_of(f, "bad"), "m");
  assert_rendered(x, "t.camarch:2:1: error[E]: m\n"
                     " 2 | bad = 2\n"
                     "   | ^~~\n");
}

/* --- sorting and de-duplication -------------------------------------------- */

static void test_sort_by_file_offset_then_insertion(void **state) {
  struct dx *x = *state;
  struct source_file *f1 = add_file(x, "a.camarch", "0123456789abcdef\n");
  struct source_file *f2 = add_file(x, "b.camarch", "0123456789abcdef\n");
  diag_error(&x->d, "E", (struct span){f2->id, 0, 1}, "f2@0");
  diag_error(&x->d, "E", (struct span){f1->id, 10, 11}, "f1@10 first");
  diag_error(&x->d, "E", (struct span){f1->id, 3, 4}, "f1@3");
  diag_error(&x->d, "E", (struct span){f1->id, 10, 12}, "f1@10 second");
  diag_error(&x->d, "E", (struct span){0}, "nowhere");
  diags_sort(&x->d);
  const char *order[] = {"nowhere", "f1@3", "f1@10 first", "f1@10 second", "f2@0"};
  assert_int_equal(x->d.list.len, 5);
  for (size_t i = 0; i < 5; i++)
    assert_string_equal(((const struct diag *)x->d.list.items[i])->message, order[i]);
  assert_int_equal(x->d.errors, 5);
}

static void test_sort_drops_identical_repeats(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "a.camarch", "0123456789\n");
  struct span s = {f->id, 2, 5};
  diag_error(&x->d, "TYP003", s, "same");
  diag_error(&x->d, "TYP003", s, "different message");
  diag_error(&x->d, "TYP003", s, "same");        /* repeat, not adjacent */
  diag_error(&x->d, "TYP004", s, "same");        /* other id: kept */
  diag_error(&x->d, "TYP003", (struct span){f->id, 2, 6}, "same"); /* other end: kept */
  diag_warning(&x->d, "W1", s, "warn");
  diag_warning(&x->d, "W1", s, "warn");          /* repeat */
  diag_error(&x->d, "TYP003", (struct span){f->id, 7, 8}, "same");
  diag_error(&x->d, "TYP003", (struct span){f->id, 7, 8}, "same"); /* repeat */
  assert_int_equal(x->d.errors, 7);
  assert_int_equal(x->d.warnings, 2);
  diags_sort(&x->d);
  assert_int_equal(x->d.list.len, 6);
  assert_int_equal(x->d.errors, 5);
  assert_int_equal(x->d.warnings, 1);
  /* the first of each repeat stays, in insertion order */
  assert_string_equal(((const struct diag *)x->d.list.items[0])->message, "same");
  assert_string_equal(((const struct diag *)x->d.list.items[1])->message, "different message");
  assert_string_equal(((const struct diag *)x->d.list.items[2])->id, "TYP004");
  /* sorting again changes nothing */
  diags_sort(&x->d);
  assert_int_equal(x->d.list.len, 6);
  assert_int_equal(x->d.errors, 5);
}

static void test_sort_keeps_same_text_in_other_files(void **state) {
  struct dx *x = *state;
  add_file(x, "a.camarch", "x\n");
  add_file(x, "b.camarch", "x\n");
  diag_error(&x->d, "E", (struct span){1, 0, 1}, "m");
  diag_error(&x->d, "E", (struct span){2, 0, 1}, "m");
  diag_error(&x->d, "E", (struct span){0}, "m");
  diag_error(&x->d, "E", (struct span){0}, "m");   /* repeat without location */
  diags_sort(&x->d);
  assert_int_equal(x->d.list.len, 3);
  assert_int_equal(x->d.errors, 3);
  /* an empty list sorts */
  struct diags empty;
  diags_init(&empty, x->a);
  diags_sort(&empty);
  assert_int_equal(empty.list.len, 0);
}

/* --- JSON ----------------------------------------------------------------- */

static void test_render_json(void **state) {
  struct dx *x = *state;
  struct source_file *f = add_file(x, "t.camarch", "estate {\n  brokres = 3\n}\n");
  struct diag *g = diag_error(&x->d, "TYP003", span_of(f, "brokres"), "unknown \"field\"");
  diag_note(&x->d, g, span_of(f, "estate"), "in here");
  diag_note(&x->d, g, (struct span){0}, "nowhere");
  diag_help(&x->d, g, "did you mean `brokers`?");
  diag_warning(&x->d, "W", (struct span){0}, "global");

  char *s = diags_render_json(&x->d, &x->src);
  assert_non_null(s);
  json_error_t err;
  json_t *doc = json_loads(s, 0, &err);
  free(s);
  if (!doc)
    fail_msg("invalid JSON: %s", err.text);
  assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
  json_t *list = json_object_get(doc, "diagnostics");
  assert_true(json_is_array(list));
  assert_int_equal(json_array_size(list), 2);

  json_t *d0 = json_array_get(list, 0);
  assert_string_equal(json_string_value(json_object_get(d0, "severity")), "error");
  assert_string_equal(json_string_value(json_object_get(d0, "code")), "TYP003");
  assert_string_equal(json_string_value(json_object_get(d0, "message")), "unknown \"field\"");
  assert_string_equal(json_string_value(json_object_get(d0, "help")), "did you mean `brokers`?");
  json_t *loc = json_object_get(d0, "location");
  assert_true(json_is_object(loc));
  assert_string_equal(json_string_value(json_object_get(loc, "file")), "t.camarch");
  assert_int_equal(json_integer_value(json_object_get(loc, "line")), 2);
  assert_int_equal(json_integer_value(json_object_get(loc, "column")), 3);
  assert_int_equal(json_integer_value(json_object_get(loc, "endLine")), 2);
  assert_int_equal(json_integer_value(json_object_get(loc, "endColumn")), 10);
  json_t *notes = json_object_get(d0, "notes");
  assert_int_equal(json_array_size(notes), 2);
  json_t *n0 = json_array_get(notes, 0);
  assert_string_equal(json_string_value(json_object_get(n0, "message")), "in here");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(n0, "location"), "line")), 1);
  assert_true(json_is_null(json_object_get(json_array_get(notes, 1), "location")));

  json_t *d1 = json_array_get(list, 1);
  assert_string_equal(json_string_value(json_object_get(d1, "severity")), "warning");
  assert_true(json_is_null(json_object_get(d1, "location")));
  assert_null(json_object_get(d1, "help"));
  assert_int_equal(json_array_size(json_object_get(d1, "notes")), 0);
  json_decref(doc);
}

static void test_render_json_empty(void **state) {
  struct dx *x = *state;
  char *s = diags_render_json(&x->d, &x->src);
  json_t *doc = json_loads(s, 0, NULL);
  free(s);
  assert_non_null(doc);
  assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
  assert_int_equal(json_array_size(json_object_get(doc, "diagnostics")), 0);
  json_decref(doc);
}

/* --- the table of ids ----------------------------------------------------- */

static void test_diag_info_table(void **state) {
  (void)state;
  const struct diag_info *i = diag_info_find("SYN001");
  assert_non_null(i);
  assert_string_equal(i->title, "syntax error");
  assert_false(i->warning);
  /* the ids camarch reports as warnings say so in the table */
  assert_true(diag_info_find("SUP002")->warning);
  assert_true(diag_info_find("TGT003")->warning);
  assert_true(diag_info_find("OUT004")->warning);
  assert_null(diag_info_find("SYN999"));
  assert_null(diag_info_find(""));
  assert_true(diag_ninfos > 10);
  for (size_t a = 0; a < diag_ninfos; a++) {
    assert_true(strlen(diag_infos[a].id) == 6);
    assert_true(strlen(diag_infos[a].title) > 0);
    assert_true(strlen(diag_infos[a].explanation) > 20);
    for (size_t b = a + 1; b < diag_ninfos; b++)
      assert_string_not_equal(diag_infos[a].id, diag_infos[b].id);
  }
  /* ids the front end and resolver use are all documented */
  const char *used[] = {"SYN001", "SYN002", "SYN003", "SYN004", "SYN005", "IMP001", "IMP002", "IMP003",
                        "IMP004", "NAM001", "NAM002", "NAM003", "NAM004", "TYP001", "TYP002", "TYP003",
                        "TYP004", "TYP005", "TYP006", "TYP007", "PAR001", "PAR002", "PAR003", "TGT001",
                        "TGT002", "OUT001"};
  for (size_t k = 0; k < sizeof used / sizeof used[0]; k++)
    if (!diag_info_find(used[k]))
      fail_msg("%s is not in diag.def", used[k]);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_render_error_with_caret_underline),
      T(test_render_notes_and_help),
      T(test_render_without_location_and_warning),
      T(test_render_gutter_width_for_long_line_numbers),
      T(test_render_caret_after_tabs_and_utf8),
      T(test_render_control_bytes),
      T(test_render_messages_one_line),
      T(test_render_spans_at_line_edges),
      T(test_render_crlf_source),
      T(test_sort_by_file_offset_then_insertion),
      T(test_sort_drops_identical_repeats),
      T(test_sort_keeps_same_text_in_other_files),
      T(test_render_json),
      T(test_render_json_empty),
      T(test_diag_info_table),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
