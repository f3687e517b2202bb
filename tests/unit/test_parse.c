/* test_parse.c - the flex/bison front end through parse_file (parse.h):
 * AST shapes, string decoding, and syntax errors with their locations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* --- fixture and helpers -------------------------------------------------- */

struct px {
  struct arena *a;
  struct sources src;
  struct diags d;
  struct source_file *f;
};

static int setup(void **state) {
  struct px *p = calloc(1, sizeof *p);
  if (!p)
    return -1;
  p->a = arena_new();
  sources_init(&p->src, p->a);
  diags_init(&p->d, p->a);
  *state = p;
  return 0;
}

static int teardown(void **state) {
  struct px *p = *state;
  arena_free(p->a);
  free(p);
  return 0;
}

static struct ast *parse_text(struct px *p, const char *text) {
  p->f = sources_add(&p->src, "t.camarch", NULL, text, strlen(text));
  struct ast *root = parse_file(p->f, p->a, &p->d);
  assert_non_null(root);
  assert_int_equal(root->kind, AST_FILE);
  return root;
}

/* Parses `len` bytes that may hold NULs. */
static struct ast *parse_bytes(struct px *p, const char *text, size_t len) {
  p->f = sources_add(&p->src, "t.camarch", NULL, text, len);
  struct ast *root = parse_file(p->f, p->a, &p->d);
  assert_non_null(root);
  return root;
}

/* Parses text that must have no diagnostics. */
static struct ast *parse_ok(struct px *p, const char *text) {
  struct ast *root = parse_text(p, text);
  if (p->d.list.len) {
    const struct diag *g = p->d.list.items[0];
    fail_msg("unexpected diagnostic %s: %s", g->id, g->message);
  }
  return root;
}

static struct ast *kid(const struct ast *n, size_t i) {
  if (i >= n->items.len)
    fail_msg("node %s has %zu items, wanted item %zu", ast_kind_name(n->kind), n->items.len, i);
  return n->items.items[i];
}

static const struct diag *diag_at(const struct px *p, size_t i) {
  assert_true(i < p->d.list.len);
  return p->d.list.items[i];
}

static size_t count_id(const struct px *p, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < p->d.list.len; i++)
    n += strcmp(((const struct diag *)p->d.list.items[i])->id, id) == 0;
  return n;
}

static struct loc loc_of(const struct px *p, struct span s) {
  assert_int_equal(s.file, p->f->id);
  return source_loc(p->f, s.start);
}

static void assert_at(const struct px *p, struct span s, uint32_t line, uint32_t col) {
  struct loc l = loc_of(p, s);
  if (l.line != line || l.col != col)
    fail_msg("expected %u:%u, got %u:%u", line, col, l.line, l.col);
}

/* The text of the source a span covers. */
static void assert_span_text(const struct px *p, struct span s, const char *want) {
  assert_true(s.end >= s.start);
  size_t n = s.end - s.start;
  if (n != strlen(want) || memcmp(p->f->text + s.start, want, n) != 0)
    fail_msg("span covers \"%.*s\", expected \"%s\"", (int)n, p->f->text + s.start, want);
}

/* The attribute `name` of a block or object body. */
static struct ast *attr(const struct ast *body, const char *name) {
  for (size_t i = 0; i < body->items.len; i++) {
    struct ast *it = body->items.items[i];
    if (it->kind == AST_ATTR && it->name && strcmp(it->name, name) == 0)
      return it;
  }
  fail_msg("no attribute %s", name);
  return NULL;
}

/* The value of `name = "..."` as decoded literal text. */
static const char *str_attr(struct px *p, const struct ast *body, const char *name) {
  struct ast *v = attr(body, name)->value;
  assert_int_equal(v->kind, AST_STRING);
  const char *s = ast_string_text(p->a, v);
  assert_non_null(s);
  return s;
}

/* --- AST shapes ----------------------------------------------------------- */

static void test_empty_and_blank_files(void **state) {
  struct px *p = *state;
  assert_int_equal(parse_ok(p, "")->items.len, 0);
  assert_int_equal(parse_ok(p, "\n\n  \n")->items.len, 0);
  assert_int_equal(parse_ok(p, "// only\n# comments\n/* here */\n")->items.len, 0);
  struct ast *root = parse_ok(p, "let a = 1");
  assert_int_equal(root->at.start, 0);
  assert_int_equal(root->at.end, 9);
}

static void test_block_with_label(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate \"acme\" {\n  version = \"8.8\"\n}\n");
  assert_int_equal(root->items.len, 1);
  struct ast *b = kid(root, 0);
  assert_int_equal(b->kind, AST_BLOCK);
  assert_string_equal(b->name, "estate");
  assert_string_equal(b->label, "acme");
  assert_span_text(p, b->name_at, "estate");
  assert_span_text(p, b->label_at, "\"acme\"");
  assert_span_text(p, b->at, "estate \"acme\" {\n  version = \"8.8\"\n}");
  assert_int_equal(b->items.len, 1);
  struct ast *v = kid(b, 0);
  assert_int_equal(v->kind, AST_ATTR);
  assert_string_equal(v->name, "version");
  assert_at(p, v->name_at, 2, 3);
  assert_string_equal(str_attr(p, b, "version"), "8.8");
}

static void test_block_without_label_and_nesting(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "environment \"prod\" {\n  orchestration {\n    host \"zb0\" { zone = \"a\" }\n"
                                 "    brokers = 3\n  }\n}\n");
  struct ast *env = kid(root, 0);
  struct ast *orch = kid(env, 0);
  assert_int_equal(orch->kind, AST_BLOCK);
  assert_string_equal(orch->name, "orchestration");
  assert_null(orch->label);
  assert_int_equal(orch->items.len, 2);
  struct ast *host = kid(orch, 0);
  assert_int_equal(host->kind, AST_BLOCK);
  assert_string_equal(host->label, "zb0");
  assert_string_equal(str_attr(p, host, "zone"), "a");
  assert_at(p, host->at, 3, 5);
  assert_string_equal(kid(orch, 1)->name, "brokers");
}

static void test_attributes_separated_by_newlines_and_commas(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  a = 1, b = 2\n  c = 3,\n\n  d = 4,,\n  e = 5 }\n");
  struct ast *b = kid(root, 0);
  assert_int_equal(b->items.len, 5);
  const char *names[] = {"a", "b", "c", "d", "e"};
  for (size_t i = 0; i < 5; i++) {
    struct ast *it = kid(b, i);
    assert_int_equal(it->kind, AST_ATTR);
    assert_string_equal(it->name, names[i]);
    assert_int_equal(it->value->kind, AST_NUMBER);
  }
  /* a one-line block and top-level items separated by commas */
  root = parse_ok(p, "let x = 1, let y = 2\nestate { a = 1 }");
  assert_int_equal(root->items.len, 3);
  assert_int_equal(kid(root, 1)->kind, AST_LET);
  assert_int_equal(kid(kid(root, 2), 0)->kind, AST_ATTR);
}

static void test_three_comment_styles(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "// a line comment\n"
                                 "# a hash comment\n"
                                 "/* a block\n   comment */\n"
                                 "estate { /* inline */ x = 1 // trailing\n"
                                 "  y = \"#not // a comment\" # trailing\n"
                                 "  /* between\n  lines */\n"
                                 "  z = 3\n"
                                 "}\n");
  assert_int_equal(root->items.len, 1);
  struct ast *b = kid(root, 0);
  assert_int_equal(b->items.len, 3);
  assert_string_equal(str_attr(p, b, "y"), "#not // a comment");
  assert_string_equal(attr(b, "z")->value->text, "3");
  assert_at(p, attr(b, "z")->at, 9, 3);
}

/* docs/language.md: newlines inside a block comment do not separate
 * entries; the newline after it does. */
static void test_block_comment_newlines_do_not_separate(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  a = 1 /* one\n  two */\n  b = 2\n}\n");
  assert_int_equal(kid(root, 0)->items.len, 2);
  parse_text(p, "estate {\n  a = 1 /* one\n  two */ b = 2\n}\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN001");
  assert_at(p, g->at, 3, 10);
}

static void test_string_escapes(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  s = \"q\\\"b\\\\s n\\n t\\t r\\r d\\$\"\n  u = \"h\xC3\xA9llo\"\n  e = \"\"\n}\n");
  struct ast *b = kid(root, 0);
  assert_string_equal(str_attr(p, b, "s"), "q\"b\\s n\n t\t r\r d$");
  assert_string_equal(str_attr(p, b, "u"), "h\xC3\xA9llo");
  assert_string_equal(str_attr(p, b, "e"), "");
  struct ast *s = attr(b, "s")->value;
  assert_int_equal(s->items.len, 1);
  assert_int_equal(kid(s, 0)->kind, AST_STRPART);
}

/* Regression: a literal that ends in an escaped backslash, "abc\\", was once
 * taken for an unterminated one and kept its closing quote (`abc\"`);
 * the scanner now says whether the literal was closed. */
static void test_string_ending_in_escaped_backslash(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  path = \"C:\\\\dir\\\\\"\n  b = \"x\"\n}\n");
  struct ast *b = kid(root, 0);
  assert_string_equal(str_attr(p, b, "b"), "x");
  assert_string_equal(str_attr(p, b, "path"), "C:\\dir\\");
}

static void test_string_interpolation_parts(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n"
                                 "  a = \"x-${sizing.medium.memory}-y\"\n"
                                 "  b = \"${ domain }\"\n"
                                 "  c = \"\\${not} ${a}${b}\"\n"
                                 "}\n");
  struct ast *blk = kid(root, 0);
  struct ast *a = attr(blk, "a")->value;
  assert_int_equal(a->kind, AST_STRING);
  assert_int_equal(a->items.len, 3);
  assert_int_equal(kid(a, 0)->kind, AST_STRPART);
  assert_string_equal(kid(a, 0)->text, "x-");
  struct ast *ref = kid(a, 1);
  assert_int_equal(ref->kind, AST_REF);
  assert_int_equal(ref->segs.len, 3);
  assert_string_equal(ref->segs.items[0], "sizing");
  assert_string_equal(ref->segs.items[1], "medium");
  assert_string_equal(ref->segs.items[2], "memory");
  assert_span_text(p, ref->at, "${sizing.medium.memory}");
  assert_string_equal(kid(a, 2)->text, "-y");
  assert_null(ast_string_text(p->a, a));

  struct ast *b = attr(blk, "b")->value;
  assert_int_equal(b->items.len, 1);
  assert_int_equal(kid(b, 0)->kind, AST_REF);
  assert_string_equal(kid(b, 0)->segs.items[0], "domain");

  struct ast *c = attr(blk, "c")->value;
  assert_int_equal(c->items.len, 3);
  assert_string_equal(kid(c, 0)->text, "${not} ");
  assert_int_equal(kid(c, 1)->kind, AST_REF);
  assert_int_equal(kid(c, 2)->kind, AST_REF);
  assert_string_equal(kid(c, 2)->segs.items[0], "b");
}

static void test_numbers_with_suffixes(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  a = 512Mi\n  b = 500m\n  c = 30s\n  d = -3\n  e = 1.5Gi\n  f = 0\n}\n");
  struct ast *b = kid(root, 0);
  const char *names[] = {"a", "b", "c", "d", "e", "f"};
  const char *texts[] = {"512Mi", "500m", "30s", "-3", "1.5Gi", "0"};
  for (size_t i = 0; i < 6; i++) {
    struct ast *v = attr(b, names[i])->value;
    assert_int_equal(v->kind, AST_NUMBER);
    assert_string_equal(v->text, texts[i]);
    assert_span_text(p, v->at, texts[i]);
  }
}

static void test_bools_and_refs(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  t = true\n  f = false\n  r = sizing.baseline\n  s = helm\n}\n");
  struct ast *b = kid(root, 0);
  assert_int_equal(attr(b, "t")->value->kind, AST_BOOL);
  assert_true(attr(b, "t")->value->boolean);
  assert_int_equal(attr(b, "f")->value->kind, AST_BOOL);
  assert_false(attr(b, "f")->value->boolean);
  struct ast *r = attr(b, "r")->value;
  assert_int_equal(r->kind, AST_REF);
  assert_int_equal(r->segs.len, 2);
  assert_string_equal(r->segs.items[1], "baseline");
  assert_span_text(p, r->at, "sizing.baseline");
  struct ast *s = attr(b, "s")->value;
  assert_int_equal(s->kind, AST_REF);
  assert_int_equal(s->segs.len, 1);
}

static void test_lists_across_lines(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  zones = [\n    \"a\",   // first\n    \"b\",\n\n    \"c\",\n  ]\n"
                                 "  empty = []\n  nested = [[1, 2], [], [x]]\n  after = 1\n}\n");
  struct ast *b = kid(root, 0);
  assert_int_equal(b->items.len, 4);
  struct ast *z = attr(b, "zones")->value;
  assert_int_equal(z->kind, AST_LIST);
  assert_int_equal(z->items.len, 3);
  assert_string_equal(ast_string_text(p->a, kid(z, 2)), "c");
  assert_at(p, z->at, 2, 11);
  assert_int_equal(attr(b, "empty")->value->kind, AST_LIST);
  assert_int_equal(attr(b, "empty")->value->items.len, 0);
  struct ast *n = attr(b, "nested")->value;
  assert_int_equal(n->items.len, 3);
  assert_int_equal(kid(n, 0)->items.len, 2);
  assert_int_equal(kid(n, 1)->items.len, 0);
  assert_int_equal(kid(kid(n, 2), 0)->kind, AST_REF);
  assert_at(p, attr(b, "after")->at, 10, 3);
}

static void test_typed_and_untyped_objects(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  storage = postgres {\n    url = \"jdbc:x\"\n    disk = 8Gi\n  }\n"
                                 "  plain = { a = 1, b = { c = 2 } }\n  none = postgres {}\n}\n");
  struct ast *b = kid(root, 0);
  struct ast *s = attr(b, "storage")->value;
  assert_int_equal(s->kind, AST_OBJECT);
  assert_string_equal(s->name, "postgres");
  assert_span_text(p, s->name_at, "postgres");
  assert_int_equal(s->items.len, 2);
  assert_string_equal(str_attr(p, s, "url"), "jdbc:x");
  struct ast *pl = attr(b, "plain")->value;
  assert_int_equal(pl->kind, AST_OBJECT);
  assert_null(pl->name);
  assert_int_equal(attr(pl, "b")->value->kind, AST_OBJECT);
  struct ast *none = attr(b, "none")->value;
  assert_int_equal(none->kind, AST_OBJECT);
  assert_int_equal(none->items.len, 0);
}

static void test_calls_with_named_arguments(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  license = secret(\"x\", key = \"k\")\n"
                                 "  n = param(\n    \"BROKERS\",\n    default = 3\n  )\n  e = f()\n}\n");
  struct ast *b = kid(root, 0);
  struct ast *c = attr(b, "license")->value;
  assert_int_equal(c->kind, AST_CALL);
  assert_string_equal(c->name, "secret");
  assert_span_text(p, c->at, "secret(\"x\", key = \"k\")");
  assert_int_equal(c->items.len, 2);
  assert_int_equal(kid(c, 0)->kind, AST_STRING);
  assert_string_equal(ast_string_text(p->a, kid(c, 0)), "x");
  struct ast *key = kid(c, 1);
  assert_int_equal(key->kind, AST_ATTR);
  assert_string_equal(key->name, "key");
  assert_string_equal(ast_string_text(p->a, key->value), "k");
  struct ast *n = attr(b, "n")->value;
  assert_int_equal(n->kind, AST_CALL);
  assert_int_equal(n->items.len, 2);
  assert_string_equal(kid(n, 1)->name, "default");
  assert_string_equal(kid(n, 1)->value->text, "3");
  struct ast *e = attr(b, "e")->value;
  assert_int_equal(e->kind, AST_CALL);
  assert_int_equal(e->items.len, 0);
}

static void test_quoted_attribute_names(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate {\n  env {\n    \"nginx.ingress/rewrite\" = \"/\"\n    \"with space\" = 1\n  }\n}\n");
  struct ast *env = kid(kid(root, 0), 0);
  assert_int_equal(env->items.len, 2);
  struct ast *a = kid(env, 0);
  assert_int_equal(a->kind, AST_ATTR);
  assert_string_equal(a->name, "nginx.ingress/rewrite");
  assert_span_text(p, a->name_at, "\"nginx.ingress/rewrite\"");
  assert_string_equal(kid(env, 1)->name, "with space");
}

static void test_imports_and_lets(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "import \"std/sizing\"\nimport \"./other.camarch\" as o\nlet size = 3\n"
                                 "let m = { cpu = 1 }\n");
  assert_int_equal(root->items.len, 4);
  struct ast *i0 = kid(root, 0), *i1 = kid(root, 1), *l0 = kid(root, 2), *l1 = kid(root, 3);
  assert_int_equal(i0->kind, AST_IMPORT);
  assert_string_equal(i0->text, "std/sizing");
  assert_null(i0->label);
  assert_int_equal(i1->kind, AST_IMPORT);
  assert_string_equal(i1->text, "./other.camarch");
  assert_string_equal(i1->label, "o");
  assert_span_text(p, i1->label_at, "o");
  assert_int_equal(l0->kind, AST_LET);
  assert_string_equal(l0->name, "size");
  assert_span_text(p, l0->name_at, "size");
  assert_string_equal(l0->value->text, "3");
  assert_int_equal(l1->value->kind, AST_OBJECT);
}

static void test_ast_dump_format(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "let a = [x.y, true]\n");
  struct buf b = {0};
  ast_dump(root, &b);
  assert_string_equal(b.data, "file @0-20\n"
                              "  let @0-19 name=a\n"
                              "    list @8-19\n"
                              "      ref @9-12 x.y\n"
                              "      bool @14-18 true\n");
  buf_free(&b);
  assert_string_equal(ast_kind_name(AST_CALL), "call");
  assert_string_equal(ast_kind_name((enum ast_kind)99), "?");
}

/* --- syntax errors -------------------------------------------------------- */

static void test_several_independent_errors(void **state) {
  struct px *p = *state;
  struct ast *root = parse_text(p, "estate {\n"        /* 1 */
                                   "  x = = 1\n"       /* 2: error */
                                   "  y = 2\n"         /* 3 */
                                   "  z 3\n"           /* 4: error */
                                   "  w = [1,\n"       /* 5 */
                                   "   2]\n"           /* 6 */
                                   "}\n"               /* 7 */
                                   "environment \"e\" {\n" /* 8 */
                                   "  q = )\n"         /* 9: error */
                                   "}\n"               /* 10 */
                                   "let = 3\n");       /* 11: error */
  assert_int_equal(p->d.errors, 4);
  assert_int_equal(p->d.list.len, 4);
  const uint32_t lines[] = {2, 4, 9, 11}, cols[] = {7, 5, 7, 5};
  for (size_t i = 0; i < 4; i++) {
    const struct diag *g = diag_at(p, i);
    assert_string_equal(g->id, "SYN001");
    assert_int_equal(g->severity, SEV_ERROR);
    assert_at(p, g->at, lines[i], cols[i]);
  }
  assert_non_null(strstr(diag_at(p, 0)->message, "expected a value"));
  assert_non_null(strstr(diag_at(p, 0)->message, "found '='"));
  assert_non_null(strstr(diag_at(p, 3)->message, "expected identifier"));
  /* what was right is kept */
  assert_int_equal(root->items.len, 2);
  struct ast *est = kid(root, 0);
  assert_string_equal(est->name, "estate");
  assert_int_equal(attr(est, "y")->value->kind, AST_NUMBER);
  assert_int_equal(attr(est, "w")->value->items.len, 2);
  assert_string_equal(kid(root, 1)->label, "e");
}

static void test_missing_separator_has_help(void **state) {
  struct px *p = *state;
  parse_text(p, "estate {\n  a = 1 b = 2\n}\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN001");
  assert_at(p, g->at, 2, 9);
  assert_non_null(strstr(g->message, "found identifier"));
  assert_non_null(g->help);
  assert_non_null(strstr(g->help, "own line"));
}

static void test_unterminated_block_has_note(void **state) {
  struct px *p = *state;
  struct ast *root = parse_text(p, "estate {\n  orchestration {\n    brokers = 3\n");
  assert_non_null(root);
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN002");
  assert_non_null(strstr(g->message, "unterminated block"));
  assert_non_null(strstr(g->message, "'}'"));
  assert_int_equal(g->notes.len, 1);
  const struct diag_note *n = g->notes.items[0];
  /* the innermost bracket that is still open */
  assert_at(p, n->at, 2, 17);
  assert_span_text(p, n->at, "{");
  assert_non_null(strstr(n->message, "line 2"));
}

static void test_unterminated_list_and_call(void **state) {
  struct px *p = *state;
  parse_text(p, "estate {\n  zones = [\"a\",\n    \"b\"\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN002");
  assert_non_null(strstr(g->message, "unterminated list"));
  assert_int_equal(g->notes.len, 1);
  assert_at(p, ((const struct diag_note *)g->notes.items[0])->at, 2, 11);

  struct px *q = p;
  diags_init(&q->d, q->a);
  parse_text(q, "let s = secret(\"x\",\n");
  assert_int_equal(q->d.errors, 1);
  g = diag_at(q, 0);
  assert_string_equal(g->id, "SYN002");
  assert_non_null(strstr(g->message, "argument list"));
  assert_at(q, ((const struct diag_note *)g->notes.items[0])->at, 1, 15);
}

static void test_unterminated_comment(void **state) {
  struct px *p = *state;
  parse_text(p, "let a = 1\n/* never\nclosed\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN002");
  assert_non_null(strstr(g->message, "comment"));
  assert_at(p, g->at, 2, 1);
}

static void test_unterminated_string(void **state) {
  struct px *p = *state;
  struct ast *root = parse_text(p, "estate {\n  a = \"abc\n  b = 2\n}\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN004");
  assert_at(p, g->at, 2, 7);
  assert_span_text(p, g->at, "\"abc");
  /* the next line parses normally */
  struct ast *b = kid(root, 0);
  assert_string_equal(str_attr(p, b, "a"), "abc");
  assert_string_equal(attr(b, "b")->value->text, "2");
}

static void test_bad_escape(void **state) {
  struct px *p = *state;
  struct ast *root = parse_text(p, "estate {\n  b = \"x\\qy\"\n  c = \"ok\"\n}\n");
  assert_int_equal(p->d.errors, 1);
  const struct diag *g = diag_at(p, 0);
  assert_string_equal(g->id, "SYN005");
  assert_at(p, g->at, 2, 9);
  assert_span_text(p, g->at, "\\q");
  assert_non_null(strstr(g->message, "'\\q'"));
  assert_string_equal(str_attr(p, kid(root, 0), "c"), "ok");
}

static void test_bad_interpolations(void **state) {
  struct px *p = *state;
  parse_text(p, "estate {\n  a = \"${}\"\n  b = \"${a b}\"\n  c = \"${1x}\"\n  d = \"${a.}\"\n  e = \"${a\"\n}\n");
  assert_int_equal(p->d.errors, 5);
  assert_int_equal(count_id(p, "SYN005"), 5);
  for (size_t i = 0; i < 5; i++)
    assert_at(p, diag_at(p, i)->at, (uint32_t)i + 2, 8);
  assert_span_text(p, diag_at(p, 0)->at, "${}");
  assert_non_null(strstr(diag_at(p, 4)->message, "no closing '}'"));
}

static void test_unexpected_characters(void **state) {
  struct px *p = *state;
  struct ast *root = parse_text(p, "estate {\n  a = 1 @\n  b = 2 \xC3\xA9\n  c = 3 \x01\n  d = 4\n}\n");
  assert_int_equal(p->d.errors, 3);
  assert_int_equal(count_id(p, "SYN003"), 3);
  assert_at(p, diag_at(p, 0)->at, 2, 9);
  assert_non_null(strstr(diag_at(p, 0)->message, "'@'"));
  assert_at(p, diag_at(p, 1)->at, 3, 9);
  assert_span_text(p, diag_at(p, 1)->at, "\xC3\xA9");
  assert_non_null(strstr(diag_at(p, 1)->message, "non-ASCII"));
  assert_non_null(strstr(diag_at(p, 2)->message, "0x01"));
  /* the characters are skipped; the attributes survive */
  assert_int_equal(kid(root, 0)->items.len, 4);
}

static void test_error_flood_is_capped(void **state) {
  struct px *p = *state;
  struct buf b = {0};
  for (int i = 0; i < 200; i++)
    buf_puts(&b, "@\n");
  parse_text(p, b.data);
  buf_free(&b);
  assert_int_equal(count_id(p, "SYN003"), PARSE_MAX_ERRORS);
  assert_int_equal(p->d.errors, PARSE_MAX_ERRORS);
  /* the last one reported is the 50th line: the rest was not read */
  assert_at(p, diag_at(p, PARSE_MAX_ERRORS - 1)->at, PARSE_MAX_ERRORS, 1);
  /* the cap is per file: the next file reports again */
  parse_text(p, "let a = 1 @\n");
  assert_int_equal(p->d.errors, PARSE_MAX_ERRORS + 1);
}

/* Regression: when the lexer stopped at PARSE_MAX_ERRORS inside a block it
 * returned end-of-file, and the parser then added SYN002 "unterminated block: the
 * file ends before its closing '}'" although the file does close it
 * (grammar/lexer.l too_many() / yyreport_syntax_error in parser.y). */
static void test_capped_flood_inside_block_adds_no_false_syn002(void **state) {
  struct px *p = *state;
  struct buf b = {0};
  buf_puts(&b, "estate {\n");
  for (int i = 0; i < 200; i++)
    buf_puts(&b, "  @\n");
  buf_puts(&b, "}\n");
  parse_text(p, b.data);
  buf_free(&b);
  assert_int_equal(count_id(p, "SYN003"), PARSE_MAX_ERRORS);
  assert_int_equal(count_id(p, "SYN002"), 0);
  assert_int_equal(p->d.errors, PARSE_MAX_ERRORS);
}

/* Regression: PARSE_MAX_ERRORS was once only checked by the lexer's SYN003
 * rules (grammar/lexer.l), so parser errors (SYN001) were never capped:
 * 200 lines of `x y` gave 200 errors. */
static void test_syntax_error_flood_is_capped(void **state) {
  struct px *p = *state;
  struct buf b = {0};
  buf_puts(&b, "estate {\n");
  for (int i = 0; i < 200; i++)
    buf_puts(&b, "  x y\n");
  buf_puts(&b, "}\n");
  parse_text(p, b.data);
  buf_free(&b);
  assert_true(p->d.errors > 0);
  assert_true(p->d.errors <= PARSE_MAX_ERRORS);
}

/* --- what a file may hold ---------------------------------------------------- */

/* A NUL byte is an error at its own offset wherever it is (texts are C
 * strings: a NUL would silently cut a string or an import path there). */
static void test_nul_bytes_are_errors_where_they_are(void **state) {
  struct px *p = *state;
#define NUL_CASE(text, nul) {text, sizeof text - 1, nul}
  static const struct {
    const char *text;
    size_t len, nul;
  } cases[] = {
      NUL_CASE("let a = \"x\0y\"\n", 10),
      NUL_CASE("import \"std/sizing\0../../etc/passwd\"\n", 18),
      NUL_CASE("// a\0b\nlet a = 1\n", 4),
      NUL_CASE("# a\0b\nlet a = 1\n", 3),
      NUL_CASE("/* a\0b */ let a = 1\n", 4),
      NUL_CASE("let a = 1\0\n", 9),
      NUL_CASE("let\0a = 1\n", 3),
      NUL_CASE("let a = \"x\0\n", 10),
      NUL_CASE("let a = \"\\\0\"\n", 10),
  };
#undef NUL_CASE
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    diags_init(&p->d, p->a);
    assert_int_equal(cases[i].text[cases[i].nul], '\0');
    parse_bytes(p, cases[i].text, cases[i].len);
    const struct diag *g = NULL;
    for (size_t k = 0; k < p->d.list.len && !g; k++)
      if (strstr(diag_at(p, k)->message, "NUL"))
        g = diag_at(p, k);
    if (!g)
      fail_msg("case %zu: no diagnostic for the NUL byte", i);
    assert_string_equal(g->id, "SYN003");
    assert_int_equal(g->at.start, cases[i].nul);
    assert_int_equal(g->at.end, cases[i].nul + 1);
    assert_int_equal(count_id(p, "SYN003"), 1);
  }
}

/* A string that held a NUL (or a bad escape) is marked broken, so an
 * import or a label does not use a text that is not what was written. */
static void test_strings_with_errors_are_broken(void **state) {
  struct px *p = *state;
  static const char text[] = "import \"./a\0b\"\nlet x = \"a\\qb\"\nlet y = \"ok\"\n";
  struct ast *root = parse_bytes(p, text, sizeof text - 1);
  assert_true(kid(root, 0)->value->broken);
  assert_true(kid(root, 1)->value->broken);
  assert_false(kid(root, 2)->value->broken);
}

/* A UTF-8 byte order mark at the start is skipped; columns on the first
 * line count from after it.  Anywhere else it is a character like any. */
static void test_byte_order_mark_is_skipped(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "\xEF\xBB\xBFlet a = 1\nlet b = 2\n");
  assert_int_equal(root->items.len, 2);
  assert_at(p, kid(root, 0)->name_at, 1, 5);
  assert_at(p, kid(root, 1)->name_at, 2, 5);
  parse_text(p, "\xEF\xBB\xBFlet a = 1 @\n");
  assert_int_equal(p->d.errors, 1);
  assert_at(p, diag_at(p, 0)->at, 1, 11);
  diags_init(&p->d, p->a);
  parse_text(p, "let a = 1\n\xEF\xBB\xBFlet b = 2\n");
  assert_int_equal(count_id(p, "SYN003"), 1);
  assert_at(p, diag_at(p, 0)->at, 2, 1);
}

/* CRLF line ends: the CR is white space, never part of a value. */
static void test_crlf_line_ends(void **state) {
  struct px *p = *state;
  struct ast *root = parse_ok(p, "estate \"x\" {\r\n  a = 1\r\n  b = \"s\"\r\n}\r\n");
  struct ast *b = kid(root, 0);
  assert_string_equal(str_attr(p, b, "b"), "s");
  assert_at(p, attr(b, "b")->value->at, 3, 7);
  parse_text(p, "let a = 1\r\nlet b = 2 @\r\n");
  assert_int_equal(p->d.errors, 1);
  assert_at(p, diag_at(p, 0)->at, 2, 11);
}

/* Nesting: `depth` brackets of one kind around a value. */
static char *nested(const char *open, const char *inner, const char *close, size_t depth) {
  size_t lo = strlen(open), lc = strlen(close), li = strlen(inner);
  char *s = malloc(8 + depth * (lo + lc) + li + 2);
  assert_non_null(s);
  char *q = s + sprintf(s, "let x = ");
  for (size_t i = 0; i < depth; i++)
    q += sprintf(q, "%s", open);
  q += sprintf(q, "%s", inner);
  for (size_t i = 0; i < depth; i++)
    q += sprintf(q, "%s", close);
  sprintf(q, "\n");
  return s;
}

/* Brackets nest NEST_MAX deep and no deeper: one SYN008 at the bracket
 * that is one too many, and the file is not read further (100,000 deep
 * costs no more than 257).  Every later walk over the tree relies on it. */
static void test_nesting_is_bounded(void **state) {
  struct px *p = *state;
  static const char *const kinds[][3] = {{"[", "1", "]"}, {"{ a = ", "1", " }"}, {"f(", "1", ")"}, {"[{ a = ", "1", " }]"}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    size_t per = strlen(kinds[k][0]) == 7 ? 2 : 1;  /* "[{" opens two */
    char *ok = nested(kinds[k][0], kinds[k][1], kinds[k][2], NEST_MAX / per);
    diags_init(&p->d, p->a);
    struct ast *root = parse_ok(p, ok);
    struct buf dump = {0};
    ast_dump(root, &dump);  /* a walk as deep as the limit */
    assert_true(dump.len > 0);
    buf_free(&dump);
    free(ok);
    size_t depths[] = {NEST_MAX / per + 1, 100000};
    for (size_t d = 0; d < 2; d++) {
      diags_init(&p->d, p->a);
      char *deep = nested(kinds[k][0], kinds[k][1], kinds[k][2], depths[d]);
      size_t at = 0;  /* the bracket NEST_MAX + 1 */
      for (size_t i = 0, n = 0; deep[i] && !at; i++)
        if (strchr("[{(", deep[i]) && ++n == NEST_MAX + 1)
          at = i;
      parse_text(p, deep);
      free(deep);
      assert_int_equal(count_id(p, "SYN008"), 1);
      assert_int_equal(p->d.errors, 1);
      const struct diag *g = diag_at(p, 0);
      assert_int_equal(g->at.start, at);
    }
  }
  /* blocks count too */
  diags_init(&p->d, p->a);
  struct buf b = {0};
  for (int i = 0; i <= NEST_MAX; i++)
    buf_puts(&b, "a {\n");
  parse_text(p, b.data);
  buf_free(&b);
  assert_int_equal(count_id(p, "SYN008"), 1);
  assert_at(p, diag_at(p, p->d.list.len - 1)->at, NEST_MAX + 1, 3);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_empty_and_blank_files),
      T(test_block_with_label),
      T(test_block_without_label_and_nesting),
      T(test_attributes_separated_by_newlines_and_commas),
      T(test_three_comment_styles),
      T(test_block_comment_newlines_do_not_separate),
      T(test_string_escapes),
      T(test_string_ending_in_escaped_backslash),
      T(test_string_interpolation_parts),
      T(test_numbers_with_suffixes),
      T(test_bools_and_refs),
      T(test_lists_across_lines),
      T(test_typed_and_untyped_objects),
      T(test_calls_with_named_arguments),
      T(test_quoted_attribute_names),
      T(test_imports_and_lets),
      T(test_ast_dump_format),
      T(test_several_independent_errors),
      T(test_missing_separator_has_help),
      T(test_unterminated_block_has_note),
      T(test_unterminated_list_and_call),
      T(test_unterminated_comment),
      T(test_unterminated_string),
      T(test_bad_escape),
      T(test_bad_interpolations),
      T(test_unexpected_characters),
      T(test_error_flood_is_capped),
      T(test_capped_flood_inside_block_adds_no_false_syn002),
      T(test_syntax_error_flood_is_capped),
      T(test_nul_bytes_are_errors_where_they_are),
      T(test_strings_with_errors_are_broken),
      T(test_byte_order_mark_is_skipped),
      T(test_crlf_line_ends),
      T(test_nesting_is_bounded),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
