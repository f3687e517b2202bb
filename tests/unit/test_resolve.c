/* test_resolve.c - the resolver at scale and at its edges (driver.h):
 * long let chains in both directions and the cycles through them, values
 * built deeper than NEST_MAX through lets, import chains of thousands of
 * files and the cycles through them, the order of defaults layers,
 * environment and secret names, and large objects.  Each is a test of
 * correctness: a recursion per let or per import, or a linear scan per
 * name, fails here by overflowing the stack (under ASan) or timing out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "diag_text.h"
#include "names.h"

static int setup(void **state) {
  struct compilation *c = calloc(1, sizeof *c);
  if (!c)
    return -1;
  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  *state = c;
  return 0;
}

static int teardown(void **state) {
  struct compilation *c = *state;
  compilation_free(c);
  free(c);
  return 0;
}

static size_t count_id(const struct compilation *c, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < c->diags.list.len; i++)
    n += strcmp(((const struct diag *)c->diags.list.items[i])->id, id) == 0;
  return n;
}

static const struct diag *only(struct compilation *c, const char *id) {
  if (count_id(c, id) != 1 || c->diags.errors != 1)
    fail_msg("expected one error, %s; got:\n%s", id, diag_text(c));
  for (size_t i = 0; i < c->diags.list.len; i++)
    if (strcmp(((const struct diag *)c->diags.list.items[i])->id, id) == 0)
      return c->diags.list.items[i];
  return NULL;
}

/* The source text a span covers. */
static const char *span_text(const struct compilation *c, struct span s) {
  const struct source_file *f = sources_get(&c->sources, s.file);
  assert_non_null(f);
  return arena_strndup(c->arena, f->text + s.start, s.end - s.start);
}

static struct model *compile_ok(struct compilation *c, const char *env) {
  const struct env_decl *e = find_env(c, env);
  if (!e)
    fail_msg("no environment %s:\n%s", env, diag_text(c));
  struct model *m = compile_env(c, e);
  if (!m || c->diags.errors)
    fail_msg("environment %s did not compile:\n%s", env, diag_text(c));
  return m;
}

static void load(struct compilation *c, struct buf *b) {
  resolve_load_text(c, "estate.camarch", b->data, b->len);
  buf_free(b);
}

static const char *const TAIL = "environment \"e\" { target = helm }\n";

/* --- lets --------------------------------------------------------------- */

enum { CHAIN = 100000 };

/* let a0 = a1, a1 = a2, ... = 7 (each let names the next, written later). */
static void test_let_chain_naming_later_lets(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  for (int i = 0; i < CHAIN - 1; i++)
    buf_printf(&b, "let a%d = a%d\n", i, i + 1);
  buf_printf(&b, "let a%d = 7\nestate \"x\" { version = \"8.8\", orchestration { brokers = a0, replication = 1 } }\n%s",
             CHAIN - 1, TAIL);
  load(c, &b);
  struct model *m = compile_ok(c, "e");
  assert_int_equal(m->e.orchestration.brokers.v, 7);
  resolve_check_lets(c);
  assert_int_equal(c->diags.errors, 0);
}

/* let a0 = 7, a1 = a0, ...: each let names the one before. */
static void test_let_chain_naming_earlier_lets(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "let a0 = 7\n");
  for (int i = 1; i < CHAIN; i++)
    buf_printf(&b, "let a%d = a%d\n", i, i - 1);
  buf_printf(&b, "estate \"x\" { version = \"8.8\", orchestration { brokers = a%d, replication = 1 } }\n%s", CHAIN - 1,
             TAIL);
  load(c, &b);
  struct model *m = compile_ok(c, "e");
  assert_int_equal(m->e.orchestration.brokers.v, 7);
}

/* A chain that closes on itself is one cycle: NAM003 at the reference
 * that closes it, with the note at the let it reaches again. */
static void test_let_cycle_through_a_long_chain(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  for (int i = 0; i < CHAIN - 1; i++)
    buf_printf(&b, "let a%d = a%d\n", i, i + 1);
  buf_printf(&b, "let a%d = [a0]\nestate \"x\" { version = \"8.8\" }\n%s", CHAIN - 1, TAIL);
  load(c, &b);
  resolve_check_lets(c);
  const struct diag *g = only(c, "NAM003");
  assert_string_equal(g->message, "`a0` refers to itself");
  assert_string_equal(span_text(c, g->at), "a0");
  assert_int_equal(source_loc(sources_get(&c->sources, g->at.file), g->at.start).line, CHAIN);
  assert_int_equal(g->notes.len, 1);
  const struct diag_note *n = g->notes.items[0];
  assert_string_equal(span_text(c, n->at), "a0");
  assert_int_equal(source_loc(sources_get(&c->sources, n->at.file), n->at.start).line, 1);
}

/* A value nested deeper than NEST_MAX through lets that hold lets (each
 * let one list or object deep) is refused where it would go deeper, once. */
static void test_values_built_too_deep_through_lets(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  int n = NEST_MAX + 50;
  for (int i = 0; i < n; i++)
    buf_printf(&b, i % 2 ? "let a%d = [a%d]\n" : "let a%d = { x = a%d }\n", i, i + 1);
  buf_printf(&b, "let a%d = 1\nestate \"x\" { version = \"8.8\" }\n%s", n, TAIL);
  load(c, &b);
  resolve_check_lets(c);
  const struct diag *g = only(c, "SYN008");
  /* a_{n-NEST_MAX} holds a value already NEST_MAX deep */
  const char *want = arena_printf(c->arena, "a%d", n - NEST_MAX);
  assert_string_equal(span_text(c, g->at), want);
}

/* ...and a value exactly NEST_MAX deep is fine. */
static void test_values_as_deep_as_the_limit(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  for (int i = 0; i < NEST_MAX; i++)
    buf_printf(&b, "let a%d = [a%d]\n", i, i + 1);
  buf_printf(&b, "let a%d = 1\nestate \"x\" { version = \"8.8\" }\n%s", NEST_MAX, TAIL);
  load(c, &b);
  resolve_check_lets(c);
  if (c->diags.errors)
    fail_msg("%s", diag_text(c));
}

/* A let shared many times over (a0 twice in a1, a1 twice in a2, ...) is
 * a value of 2^60 paths: walks over values must not follow each path. */
static void test_shared_values_in_defaults(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "let a0 = { x = 1 }\n");
  for (int i = 1; i <= 60; i++)
    buf_printf(&b, "let a%d = { x = a%d, y = a%d }\n", i, i - 1, i - 1);
  buf_printf(&b, "defaults { orchestration { resources = a60 } }\nestate \"x\" { version = \"8.8\" }\n%s", TAIL);
  load(c, &b);
  compile_env(c, find_env(c, "e"));  /* the resources are refused: the point is that it returns */
  assert_true(c->diags.errors > 0);
}

/* --- imports -------------------------------------------------------------- */

struct tree {
  char dir[64];
  size_t files;
};

static void put_file(struct tree *t, const char *name, const char *text) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", t->dir, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  t->files++;
}

static void tree_make(struct tree *t) {
  /* tmpfs, where there is one: creating files there is cheaper */
  struct stat st;
  const char *tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(t->dir, sizeof t->dir, "%s/camarch-test-resolve-XXXXXX", tmp);
  assert_non_null(mkdtemp(t->dir));
  t->files = 0;
}

static void tree_remove(struct tree *t, size_t chain) {
  char p[PATH_MAX];
  for (size_t i = 0; i < chain; i++) {
    snprintf(p, sizeof p, "%s/m%zu.camarch", t->dir, i);
    unlink(p);
  }
  snprintf(p, sizeof p, "%s/root.camarch", t->dir);
  unlink(p);
  rmdir(t->dir);
}

enum { FILES = 10000 };

/* root -> m0 -> m1 -> ... -> m9999, each passing on the last one's let;
 * made once for the tests of this group (creating 10,000 files is most of
 * their time), with the last file closing the chain back to m0 or not. */
static struct tree chain;

static void import_chain(bool closed) {
  char name[64], text[256];
  if (!chain.files) {
    tree_make(&chain);
    for (int i = 0; i + 1 < FILES; i++) {
      snprintf(name, sizeof name, "m%d.camarch", i);
      snprintf(text, sizeof text, "import \"./m%d.camarch\"\nlet v = m%d.v\n", i + 1, i + 1);
      put_file(&chain, name, text);
    }
    put_file(&chain, "root.camarch",
             "import \"./m0.camarch\"\n"
             "estate \"x\" { version = \"8.8\", orchestration { brokers = m0.v, replication = 1 } }\n"
             "environment \"e\" { target = helm }\n");
  }
  snprintf(name, sizeof name, "m%d.camarch", FILES - 1);
  put_file(&chain, name, closed ? "import \"./m0.camarch\"\nlet v = 5\n" : "let v = 5\n");
}

static int chain_teardown(void **state) {
  (void)state;
  if (chain.files)
    tree_remove(&chain, FILES);
  return 0;
}

static void test_import_chain_of_many_files(void **state) {
  struct compilation *c = *state;
  import_chain(false);
  const char *why;
  assert_true(resolve_load(c, arena_printf(c->arena, "%s/root.camarch", chain.dir), &why));
  struct model *m = compile_ok(c, "e");
  assert_int_equal(m->e.orchestration.brokers.v, 5);
  /* the root, every file once, std/profiles and std/camunda/8.8 */
  assert_int_equal(c->modules.len, FILES + 3);
}

/* The last file imports the first: one IMP002 there, noting the import
 * that started the cycle (the root's). */
static void test_import_cycle_through_many_files(void **state) {
  struct compilation *c = *state;
  import_chain(true);
  const char *why;
  assert_true(resolve_load(c, arena_printf(c->arena, "%s/root.camarch", chain.dir), &why));
  const struct diag *g = only(c, "IMP002");
  const struct source_file *f = sources_get(&c->sources, g->at.file);
  assert_non_null(strstr(f->path, "m9999.camarch"));
  assert_int_equal(g->notes.len, 1);
  const struct diag_note *n = g->notes.items[0];
  assert_string_equal(n->message, "the cycle starts here");
  assert_non_null(strstr(sources_get(&c->sources, n->at.file)->path, "root.camarch"));
}

/* The layers of `defaults` blocks come in the order of a depth-first
 * walk of the imports: a file's blocks before an import, then the
 * imported file's (and its imports'), then the file's blocks after it. */
static void test_defaults_layers_keep_their_order(void **state) {
  struct compilation *c = *state;
  struct tree t;
  tree_make(&t);
  put_file(&t, "m0.camarch", "defaults { orchestration { env { A = \"a1\", LAST = \"a1\" } } }\n"
                             "import \"./m1.camarch\"\n"
                             "defaults { orchestration { env { A2 = \"a2\", LAST = \"a2\" } } }\n");
  put_file(&t, "m1.camarch", "defaults { orchestration { env { B = \"b\", LAST = \"b\" } } }\n");
  put_file(&t, "root.camarch", "defaults { orchestration { env { R = \"r1\", LAST = \"r1\" } } }\n"
                               "import \"./m0.camarch\"\n"
                               "import \"./m1.camarch\"\n"
                               "defaults { orchestration { env { R2 = \"r2\" } } }\n"
                               "estate \"x\" { version = \"8.8\" }\nenvironment \"e\" { target = helm }\n");
  const char *why;
  bool ok = resolve_load(c, arena_printf(c->arena, "%s/root.camarch", t.dir), &why);
  tree_remove(&t, 2);
  assert_true(ok);
  struct model *m = compile_ok(c, "e");
  const struct m_envmap *env = &m->e.orchestration.env;
  static const char *const order[] = {"R", "LAST", "A", "B", "A2", "R2"};
  assert_int_equal(env->v.len, 6);
  for (size_t i = 0; i < 6; i++)
    assert_string_equal(((const struct m_env *)env->v.items[i])->name, order[i]);
  assert_string_equal(((const struct m_env *)env->v.items[1])->value.str, "a2");
}

/* --- names ---------------------------------------------------------------- */

/* An environment's name becomes a directory of the output: anything but a
 * lowercase DNS label is NAM006 at the label, with the grammar as help. */
static void test_environment_names(void **state) {
  struct compilation *c = *state;
  static const char *const bad[] = {
      "..", ".", "", "../../x/y", "a/b", "a\\nb", "$(id)", "Prod", "-a", "a-", "a_b", "a b", "a.b",
      "x123456789012345678901234567890123456789012345678901234567890123",
  };
  size_t n = sizeof bad / sizeof bad[0];
  struct buf b = {0};
  buf_puts(&b, "estate \"x\" { version = \"8.8\" }\n");
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "environment \"%s\" { target = helm }\n", bad[i]);
  buf_puts(&b, "environment \"ok-1\" { target = helm }\nenvironment \"9\" { target = helm }\n");
  load(c, &b);
  assert_int_equal(count_id(c, "NAM006"), n);
  assert_int_equal(c->diags.errors, n);
  for (size_t i = 0; i < c->diags.list.len; i++) {
    const struct diag *g = c->diags.list.items[i];
    assert_string_equal(g->help, arena_printf(c->arena, "an environment name is a directory of the output: %s",
                                              name_grammar(NAME_ENV)));
    assert_int_equal(source_loc(sources_get(&c->sources, g->at.file), g->at.start).col, 13);
  }
  /* refused names are not environments: nothing would be written for them */
  assert_int_equal(c->envs.len, 2);
  assert_null(find_env(c, ".."));
  assert_non_null(find_env(c, "ok-1"));
}

/* secret("name", key = "k") names a Kubernetes Secret and one of its
 * keys: NAM007 at the argument (also through a let) when they cannot be. */
static void test_secret_names_and_keys(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "let n = \"Bad_Name\"\n"
               "estate \"x\" {\n  version = \"8.8\"\n  orchestration { env {\n"
               "    A = secret(\"-\")\n"
               "    B = secret(n)\n"
               "    C = secret(\"ok\", key = \"a b\")\n"
               "    D = secret(\"ok\", key = \"k/../x\")\n"
               "    E = secret(\"db.credentials-2\", key = \"pass_word.1-x\")\n"
               "  } }\n}\n");
  buf_puts(&b, TAIL);
  load(c, &b);
  compile_env(c, find_env(c, "e"));
  assert_int_equal(count_id(c, "NAM007"), 4);
  assert_int_equal(c->diags.errors, 4);
  static const char *const at[] = {"\"-\"", "n", "\"a b\"", "\"k/../x\""};
  static const enum name_kind kind[] = {NAME_DNS_SUBDOMAIN, NAME_DNS_SUBDOMAIN, NAME_SECRET_KEY, NAME_SECRET_KEY};
  diags_sort(&c->diags);
  for (size_t i = 0; i < 4; i++) {
    const struct diag *g = c->diags.list.items[i];
    assert_string_equal(span_text(c, g->at), at[i]);
    assert_string_equal(g->help, arena_printf(c->arena, "%s: %s",
                                              kind[i] == NAME_SECRET_KEY ? "a Secret key"
                                                                          : "a Kubernetes object name (DNS-1123 subdomain)",
                                              name_grammar(kind[i])));
  }
}

/* --- large objects -------------------------------------------------------- */

/* A body of 100,000 attributes finds its one repeat (a linear search per
 * attribute would take minutes). */
static void test_repeat_in_a_wide_object(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "let big = {\n");
  for (int i = 0; i < 100000; i++)
    buf_printf(&b, "  V%d = \"x\"\n", i);
  buf_puts(&b, "  V500 = \"again\"\n}\nestate \"x\" { version = \"8.8\" }\n");
  buf_puts(&b, TAIL);
  load(c, &b);
  resolve_check_lets(c);
  const struct diag *g = only(c, "TYP005");
  assert_string_equal(span_text(c, g->at), "V500");
  assert_int_equal(source_loc(sources_get(&c->sources, g->at.file), g->at.start).line, 100002);
}

/* --- the semantic pass ------------------------------------------------------ */

/* A million zones and the largest cluster: zones are counted through a
 * map, and HA003 walks the partitions once, not once per zone. */
static void test_many_zones(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "estate \"x\" {\n  version = \"8.8\"\n  orchestration {\n"
               "    brokers = 512, partitions = 8192, replication = 3\n    zones = [");
  for (int i = 0; i < 1000000; i++)
    buf_printf(&b, "%s\"z%d\"", i ? ", " : "", i % 300000);
  buf_printf(&b, "]\n  }\n}\n%s", TAIL);
  load(c, &b);
  compile_ok(c, "e");
}

/* A profile extends a profile that extends ...: resolved down the chain
 * and back up without a recursion per profile; a cycle is PRF001 once. */
static void test_profile_chains(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  buf_puts(&b, "profile \"p0\" { extends = production, severity { HA007 = off } }\n");
  for (int i = 1; i < 250; i++)
    buf_printf(&b, "profile \"p%d\" { extends = p%d }\n", i, i - 1);
  buf_puts(&b, "profile \"c0\" { extends = c2 }\nprofile \"c1\" { extends = c0 }\nprofile \"c2\" { extends = c1 }\n");
  buf_puts(&b, "estate \"x\" { version = \"8.8\" }\n"
               "environment \"e\" { target = helm, profile = p249 }\n"
               "environment \"f\" { target = helm, profile = c1 }\n");
  load(c, &b);
  compile_ok(c, "e");
  assert_int_equal(count_id(c, "HA007"), 0);  /* off since p0, 249 profiles down */
  assert_true(count_id(c, "ID008") > 0);      /* production's, inherited */
  compile_env(c, find_env(c, "f"));
  const struct diag *g = only(c, "PRF001");
  assert_non_null(strstr(g->message, "extends itself"));
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_let_chain_naming_later_lets),
      T(test_let_chain_naming_earlier_lets),
      T(test_let_cycle_through_a_long_chain),
      T(test_values_built_too_deep_through_lets),
      T(test_values_as_deep_as_the_limit),
      T(test_shared_values_in_defaults),
      T(test_import_chain_of_many_files),
      T(test_import_cycle_through_many_files),
      T(test_defaults_layers_keep_their_order),
      T(test_environment_names),
      T(test_secret_names_and_keys),
      T(test_repeat_in_a_wide_object),
      T(test_many_zones),
      T(test_profile_chains),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, chain_teardown);
}
