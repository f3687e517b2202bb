/* test_ytree.c - YAML trees: paths, pruning, and emission through libyaml,
 * read back with libyaml's parser to prove every string stays a string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ytree.h"

static int setup(void **state) {
  *state = arena_new();
  return 0;
}

static int teardown(void **state) {
  arena_free(*state);
  return 0;
}

/* --- reading YAML back ---------------------------------------------------- */

struct scalar {
  char *value;
  yaml_scalar_style_t style;
};

struct events {
  struct scalar s[512];
  size_t n;
  size_t maps, seqs, docs;
};

static void events_free(struct events *ev) {
  for (size_t i = 0; i < ev->n; i++)
    free(ev->s[i].value);
  ev->n = 0;
}

/* Parses text with libyaml and records every scalar, in order. */
static void read_yaml(const char *text, size_t len, struct events *ev) {
  memset(ev, 0, sizeof *ev);
  yaml_parser_t parser;
  assert_true(yaml_parser_initialize(&parser));
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&parser, &e)) {
      char msg[256];
      snprintf(msg, sizeof msg, "%s", parser.problem ? parser.problem : "?");
      yaml_parser_delete(&parser);
      events_free(ev);
      fail_msg("libyaml cannot read the output: %s\n%s", msg, text);
    }
    yaml_event_type_t type = e.type;
    if (type == YAML_SCALAR_EVENT) {
      assert_true(ev->n < sizeof ev->s / sizeof ev->s[0]);
      char *v = malloc(e.data.scalar.length + 1);
      assert_non_null(v);
      memcpy(v, e.data.scalar.value, e.data.scalar.length);
      v[e.data.scalar.length] = '\0';
      ev->s[ev->n].value = v;
      ev->s[ev->n].style = e.data.scalar.style;
      ev->n++;
    } else if (type == YAML_MAPPING_START_EVENT) {
      ev->maps++;
    } else if (type == YAML_SEQUENCE_START_EVENT) {
      ev->seqs++;
    } else if (type == YAML_DOCUMENT_START_EVENT) {
      ev->docs++;
    }
    yaml_event_delete(&e);
    if (type == YAML_STREAM_END_EVENT)
      break;
  }
  yaml_parser_delete(&parser);
}

/* Emits { value: s } and checks that it reads back as the same text in a
 * quoted (so: string) scalar, or a plain one when `plain`. */
static void check_string_round_trip(struct arena *a, const char *s, bool plain) {
  struct ynode *m = y_map(a);
  y_set(a, m, "value", y_str(a, s));
  struct buf b = {0};
  assert_true(ytree_emit(m, NULL, &b));
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  /* the message is built first, so a failure leaks nothing */
  char msg[512] = "";
  if (ev.n != 2)
    snprintf(msg, sizeof msg, "\"%s\" read back as %zu scalars", s, ev.n);
  else if (strcmp(ev.s[1].value, s) != 0)
    snprintf(msg, sizeof msg, "\"%s\" read back as \"%s\"", s, ev.s[1].value);
  else if (plain != (ev.s[1].style == YAML_PLAIN_SCALAR_STYLE))
    snprintf(msg, sizeof msg, "\"%s\" was emitted %s:\n%s", s,
             plain ? "quoted, expected plain" : "plain (YAML would not read it as a string)", b.data);
  events_free(&ev);
  buf_free(&b);
  if (*msg)
    fail_msg("%s", msg);
}

/* --- trees ------------------------------------------------------------------ */

static void test_y_set_creates_paths_in_order(void **state) {
  struct arena *a = *state;
  struct ynode *root = y_map(a);
  y_set(a, root, "orchestration.resources.requests.cpu", y_str(a, "2"));
  y_set(a, root, "orchestration.resources.requests.memory", y_str(a, "4Gi"));
  y_set(a, root, "global.image.tag", y_str(a, "8.8.3"));
  y_set(a, root, "orchestration.clusterSize", y_str(a, "3"));
  assert_int_equal(root->keys.len, 2);
  assert_string_equal(root->keys.items[0], "orchestration");
  assert_string_equal(root->keys.items[1], "global");
  struct ynode *o = y_get(root, "orchestration");
  assert_non_null(o);
  assert_int_equal(o->kind, Y_MAP);
  assert_int_equal(o->keys.len, 2);
  assert_string_equal(o->keys.items[1], "clusterSize");
  assert_string_equal(y_get(root, "orchestration.resources.requests.cpu")->s, "2");
  assert_string_equal(y_get(root, "orchestration.resources.requests.memory")->s, "4Gi");
  assert_int_equal(y_get(root, "orchestration.resources.requests")->keys.len, 2);
  assert_string_equal(y_get(root, "global.image.tag")->s, "8.8.3");
  assert_null(y_get(root, "orchestration.resources.limits"));
  assert_null(y_get(root, "nope"));
  assert_null(y_get(root, "global.image.tag.deeper")); /* through a scalar */
}

static void test_y_set_replaces_in_place(void **state) {
  struct arena *a = *state;
  struct ynode *root = y_map(a);
  y_set(a, root, "a", y_int(a, 1));
  y_set(a, root, "b", y_int(a, 2));
  y_set(a, root, "c", y_int(a, 3));
  y_set(a, root, "b", y_str(a, "two"));
  assert_int_equal(root->keys.len, 3);
  assert_string_equal(root->keys.items[1], "b");
  assert_int_equal(y_get(root, "b")->kind, Y_STR);
  assert_string_equal(y_get(root, "b")->s, "two");
  /* a deeper path through a scalar turns it into a map, in the same place */
  y_set(a, root, "b.x", y_bool(a, true));
  assert_int_equal(root->keys.len, 3);
  assert_string_equal(root->keys.items[1], "b");
  assert_int_equal(y_get(root, "b")->kind, Y_MAP);
  assert_string_equal(y_get(root, "b.x")->s, "true");
  /* and an existing map is reused */
  y_set(a, root, "b.y", y_null(a));
  assert_int_equal(y_get(root, "b")->keys.len, 2);
  assert_int_equal(y_get(root, "b.y")->kind, Y_NULL);
}

static void test_scalar_constructors(void **state) {
  struct arena *a = *state;
  assert_string_equal(y_int(a, 0)->s, "0");
  assert_string_equal(y_int(a, -42)->s, "-42");
  assert_string_equal(y_int(a, INT64_MAX)->s, "9223372036854775807");
  assert_string_equal(y_int(a, INT64_MIN)->s, "-9223372036854775808");
  assert_string_equal(y_bool(a, false)->s, "false");
  assert_string_equal(y_null(a)->s, "null");
  assert_string_equal(y_str(a, NULL)->s, "");
  char text[] = "copy";
  struct ynode *s = y_str(a, text);
  text[0] = 'X';
  assert_string_equal(s->s, "copy");
  struct ynode *seq = y_seq(a);
  y_push(a, seq, y_int(a, 1));
  y_push(a, seq, y_int(a, 2));
  assert_int_equal(seq->kind, Y_SEQ);
  assert_int_equal(seq->items.len, 2);
}

static void test_y_prune_removes_empty_maps(void **state) {
  struct arena *a = *state;
  struct ynode *root = y_map(a);
  y_set(a, root, "global", y_map(a));                    /* empty */
  y_set(a, root, "orchestration.security", y_map(a));    /* map holding only an empty map */
  y_set(a, root, "orchestration.clusterSize", y_str(a, "3"));
  y_set(a, root, "connectors.a.b.c", y_map(a));          /* empty all the way down */
  y_set(a, root, "elasticsearch.enabled", y_bool(a, false));
  y_set(a, root, "list", y_seq(a));                      /* an empty sequence is a value */
  y_set(a, root, "nothing", y_null(a));
  y_prune(root);
  assert_int_equal(root->keys.len, 4);
  assert_string_equal(root->keys.items[0], "orchestration");
  assert_string_equal(root->keys.items[1], "elasticsearch");
  assert_string_equal(root->keys.items[2], "list");
  assert_string_equal(root->keys.items[3], "nothing");
  assert_int_equal(root->items.len, 4);
  struct ynode *o = y_get(root, "orchestration");
  assert_int_equal(o->keys.len, 1);
  assert_string_equal(o->keys.items[0], "clusterSize");
  assert_null(y_get(root, "connectors"));
  /* pruning a scalar or an empty root does nothing harmful */
  y_prune(y_str(a, "x"));
  struct ynode *empty = y_map(a);
  y_prune(empty);
  assert_int_equal(empty->keys.len, 0);
}

/* --- emission ----------------------------------------------------------------- */

static void test_emit_document_with_comments(void **state) {
  struct arena *a = *state;
  struct ynode *root = y_map(a);
  y_set(a, root, "orchestration.clusterSize", y_str(a, "3"));
  y_set(a, root, "orchestration.replicas", y_int(a, 3));
  struct ynode *seq = y_seq(a);
  y_push(a, seq, y_str(a, "a"));
  y_push(a, seq, y_int(a, 2));
  y_set(a, root, "zones", seq);
  const char *comments[] = {"Generated by camarch", "two\nlines\r", NULL};
  struct buf b = {0};
  assert_true(ytree_emit(root, comments, &b));
  assert_string_equal(b.data, "# Generated by camarch\n"
                              "# two lines \n"
                              "---\n"
                              "orchestration:\n"
                              "  clusterSize: \"3\"\n"
                              "  replicas: 3\n"
                              "zones:\n"
                              "- a\n"
                              "- 2\n");
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  assert_int_equal(ev.docs, 1);
  assert_int_equal(ev.maps, 2);
  assert_int_equal(ev.seqs, 1);
  events_free(&ev);
  buf_free(&b);
  /* no comments */
  struct buf c = {0};
  assert_true(ytree_emit(y_map(a), NULL, &c));
  assert_string_equal(c.data, "--- {}\n");
  buf_free(&c);
}

static void test_ambiguous_strings_are_quoted(void **state) {
  struct arena *a = *state;
  const char *ambiguous[] = {"3",     "true",  "True", "FALSE", "null", "Null", "~",     "",      "1e3",
                             "0x1f",  "0o17",  "yes",  "No",    "on",   "OFF",  "y",     "n",     "12:30",
                             "1_000", ".5",    "+1",   "-3",    "8.8",  "8.8.3", ".inf", "-.inf", ".NaN",
                             "<<",    "=",     "1.5e+3", "0b101", "007"};
  for (size_t i = 0; i < sizeof ambiguous / sizeof ambiguous[0]; i++)
    check_string_round_trip(a, ambiguous[i], false);
}

/* Regression: needs_quotes (compiler/ytree.c) once skipped only one leading
 * sign or dot and missed "+.inf", so "-.5", "+.5" and "+.inf" were emitted
 * plain, and YAML (1.1 and the 1.2 core schema) reads them as
 * floats, not as the strings they are. */
static void test_signed_float_forms_are_quoted(void **state) {
  struct arena *a = *state;
  check_string_round_trip(a, "-.5", false);
  check_string_round_trip(a, "+.5", false);
  check_string_round_trip(a, "+.inf", false);
}

static void test_plain_strings_stay_plain(void **state) {
  struct arena *a = *state;
  const char *plain[] = {"hello", "camunda", "orchestration-api", "8Gi", "512Mi", "v1.2", "http://x:9200/a",
                         "nullable", "yes-no", "truely", ".", "x1e3", "h\xC3\xA9llo"};
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    check_string_round_trip(a, plain[i], true);
}

static void test_syntax_characters_round_trip(void **state) {
  struct arena *a = *state;
  const char *tricky[] = {"a: b", "- x", "#c", " lead", "trail ", "multi\nline", "quote\"s", "back\\slash",
                          "{flow}", "[x]", "*ref", "&anchor", "!tag", "%p", "@at", "`tick`", "key:",
                          "tab\there", "'single'"};
  for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
    struct ynode *m = y_map(a);
    y_set(a, m, "v", y_str(a, tricky[i]));
    struct buf b = {0};
    assert_true(ytree_emit(m, NULL, &b));
    struct events ev;
    read_yaml(b.data, b.len, &ev);
    assert_int_equal(ev.n, 2);
    if (strcmp(ev.s[1].value, tricky[i]) != 0)
      fail_msg("\"%s\" read back as \"%s\"", tricky[i], ev.s[1].value);
    events_free(&ev);
    buf_free(&b);
  }
}

static void test_ints_bools_null_are_plain(void **state) {
  struct arena *a = *state;
  struct ynode *m = y_map(a);
  y_set(a, m, "i", y_int(a, 3));
  y_set(a, m, "neg", y_int(a, -17));
  y_set(a, m, "t", y_bool(a, true));
  y_set(a, m, "f", y_bool(a, false));
  y_set(a, m, "z", y_null(a));
  struct buf b = {0};
  assert_true(ytree_emit(m, NULL, &b));
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  const char *want[] = {"i", "3", "neg", "-17", "t", "true", "f", "false", "z", "null"};
  assert_int_equal(ev.n, 10);
  for (size_t i = 0; i < 10; i++) {
    assert_string_equal(ev.s[i].value, want[i]);
    assert_int_equal(ev.s[i].style, YAML_PLAIN_SCALAR_STYLE);
  }
  events_free(&ev);
  buf_free(&b);
}

static void test_ambiguous_keys_are_quoted(void **state) {
  struct arena *a = *state;
  struct ynode *m = y_map(a);
  y_set(a, m, "3", y_str(a, "x"));
  y_set(a, m, "n", y_str(a, "x"));
  y_set(a, m, "on", y_str(a, "x"));
  y_set(a, m, "name", y_str(a, "x"));
  struct buf b = {0};
  assert_true(ytree_emit(m, NULL, &b));
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  assert_int_equal(ev.n, 8);
  assert_string_equal(ev.s[0].value, "3");
  assert_true(ev.s[0].style != YAML_PLAIN_SCALAR_STYLE);
  assert_string_equal(ev.s[2].value, "n");
  assert_true(ev.s[2].style != YAML_PLAIN_SCALAR_STYLE);
  assert_true(ev.s[4].style != YAML_PLAIN_SCALAR_STYLE);
  assert_string_equal(ev.s[6].value, "name");
  assert_int_equal(ev.s[6].style, YAML_PLAIN_SCALAR_STYLE);
  events_free(&ev);
  buf_free(&b);
}

static void test_literal_block_for_multiline_text(void **state) {
  struct arena *a = *state;
  struct ynode *m = y_map(a);
  struct ynode *lit = y_str(a, "line one\n  indented: yes\nlast\n");
  lit->literal = true;
  y_set(a, m, "script", lit);
  struct ynode *one = y_str(a, "single line");
  one->literal = true; /* no newline: stays an ordinary scalar */
  y_set(a, m, "one", one);
  struct buf b = {0};
  assert_true(ytree_emit(m, NULL, &b));
  assert_non_null(strstr(b.data, "script: |\n  line one\n    indented: yes\n  last\n"));
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  assert_int_equal(ev.n, 4);
  assert_string_equal(ev.s[1].value, "line one\n  indented: yes\nlast\n");
  assert_int_equal(ev.s[1].style, YAML_LITERAL_SCALAR_STYLE);
  assert_string_equal(ev.s[3].value, "single line");
  assert_int_equal(ev.s[3].style, YAML_PLAIN_SCALAR_STYLE);
  events_free(&ev);
  buf_free(&b);
}

static void test_unicode_is_written_as_is(void **state) {
  struct arena *a = *state;
  struct ynode *m = y_map(a);
  y_set(a, m, "greeting", y_str(a, "gr\xC3\xBC\xC3\x9F dich \xE2\x82\xAC"));
  struct buf b = {0};
  assert_true(ytree_emit(m, NULL, &b));
  assert_non_null(strstr(b.data, "gr\xC3\xBC\xC3\x9F dich \xE2\x82\xAC"));
  assert_null(strstr(b.data, "\\u"));
  buf_free(&b);
}

static void test_emit_nested_sequences_of_maps(void **state) {
  struct arena *a = *state;
  struct ynode *root = y_map(a);
  struct ynode *env = y_seq(a);
  for (int i = 0; i < 3; i++) {
    struct ynode *e = y_map(a);
    y_set(a, e, "name", y_str(a, i == 0 ? "A" : i == 1 ? "B" : "C"));
    y_set(a, e, "value", y_str(a, i == 0 ? "1" : i == 1 ? "true" : "text"));
    y_push(a, env, e);
  }
  y_set(a, root, "orchestration.env", env);
  struct buf b = {0};
  assert_true(ytree_emit(root, NULL, &b));
  struct events ev;
  read_yaml(b.data, b.len, &ev);
  assert_int_equal(ev.maps, 5);
  assert_int_equal(ev.seqs, 1);
  /* orchestration, env, then name/A/value/1 ... */
  assert_int_equal(ev.n, 2 + 12);
  assert_string_equal(ev.s[5].value, "1");
  assert_true(ev.s[5].style != YAML_PLAIN_SCALAR_STYLE);
  assert_string_equal(ev.s[9].value, "true");
  assert_true(ev.s[9].style != YAML_PLAIN_SCALAR_STYLE);
  assert_string_equal(ev.s[13].value, "text");
  assert_int_equal(ev.s[13].style, YAML_PLAIN_SCALAR_STYLE);
  events_free(&ev);
  buf_free(&b);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_y_set_creates_paths_in_order),
      T(test_y_set_replaces_in_place),
      T(test_scalar_constructors),
      T(test_y_prune_removes_empty_maps),
      T(test_emit_document_with_comments),
      T(test_ambiguous_strings_are_quoted),
      T(test_signed_float_forms_are_quoted),
      T(test_plain_strings_stay_plain),
      T(test_syntax_characters_round_trip),
      T(test_ints_bools_null_are_plain),
      T(test_ambiguous_keys_are_quoted),
      T(test_literal_block_for_multiline_text),
      T(test_unicode_is_written_as_is),
      T(test_emit_nested_sequences_of_maps),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
