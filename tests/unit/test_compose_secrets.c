/* test_compose_secrets.c - the Compose secrets file (backends/compose/
 * secrets.c): the variable each secret gets, and which values of a
 * previous file return to which secret when the estate changes or the
 * file was edited by hand.  A value must only ever return to the secret
 * it was written for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compose/compose_int.h"
#include "names.h"

/* One Compose project being built, without an estate: secrets are added
 * one by one, as the services would add them. */
struct fx {
  struct arena *a;
  struct model m;
  struct diags d;
  struct compose c;
};

static struct fx *fx_new(void) {
  struct fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->a = arena_new();
  f->m.env = "dev";
  f->m.root_path = "estate.camarch";
  diags_init(&f->d, f->a);
  compose_init(&f->c, f->a, &f->m, &f->d);
  return f;
}

static void fx_free(struct fx *f) {
  arena_free(f->a);
  free(f);
}

static const char *secret(struct fx *f, const char *name, const char *key) {
  struct m_secstr s = {.secret = name, .key = key, .set = true};
  return compose_secret_var(&f->c, NULL, &s, "password", "test: a use");
}

static void reserve(struct fx *f, const char *name, const char *key, const char *var) {
  struct m_secstr s = {.secret = name, .key = key, .set = true};
  compose_reserve(&f->c, &s, "value", var, "test: a fixed name");
}

static void own(struct fx *f, const char *var) {
  compose_own_secret(&f->c, y_map(f->a), var, "a value of the project", "anything", "test: an own value");
}

/* The secrets file, given the previous one (NULL: none), in the arena. */
static const char *text(struct fx *f, const char *previous) {
  struct buf prev = {0}, out = {0};
  if (previous)
    buf_append(&prev, previous, strlen(previous));
  compose_secrets_text(&f->c, previous ? &prev : NULL, &out);
  const char *t = arena_strndup(f->a, out.data, out.len);
  buf_free(&prev);
  buf_free(&out);
  return t;
}

/* What follows "VAR=" on its line in t; NULL when VAR has no line. */
static const char *value_of(struct fx *f, const char *t, const char *var) {
  size_t n = strlen(var);
  for (const char *p = t; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    if (strncmp(p, var, n) == 0 && p[n] == '=') {
      const char *e = strchr(p, '\n');
      return arena_strndup(f->a, p + n + 1, e ? (size_t)(e - p - (ptrdiff_t)n - 1) : strlen(p + n + 1));
    }
  return NULL;
}

/* t with VAR='' replaced by VAR=value, as a user fills it in. */
static const char *fill(struct fx *f, const char *t, const char *var, const char *value) {
  const char *empty = arena_printf(f->a, "\n%s=''\n", var);
  const char *at = strstr(t, empty);
  assert_non_null(at);
  size_t head = (size_t)(at - t) + 1 + strlen(var) + 1;
  return arena_printf(f->a, "%.*s%s%s", (int)head, t, value, at + strlen(empty) - 1);
}

/* --- names ----------------------------------------------------------------- */

static void test_derived_names(void **state) {
  (void)state;
  struct arena *a = arena_new();
  assert_string_equal(compose_secret_derived_var(a, "oidc-clients", "optimize"), "SECRET_OIDC_CLIENTS__OPTIMIZE");
  assert_string_equal(compose_secret_derived_var(a, "db", "client-secret"), "SECRET_DB__CLIENT_SECRET");
  /* one dash moved between name and key: two names */
  assert_string_equal(compose_secret_derived_var(a, "a-b", "c"), "SECRET_A_B__C");
  assert_string_equal(compose_secret_derived_var(a, "a", "b-c"), "SECRET_A__B_C");
  /* forms the plain name would confuse with another get a hash of both */
  const char *odd[][2] = {{"db", "PW"},  {"db", "p_w"}, {"my.secret", "pw"}, {"a--b", "c"},
                          {"-a", "b"},   {"a-", "b"},   {"db", "pw."},       {"db", "p\"w"}};
  for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
    const char *v = compose_secret_derived_var(a, odd[i][0], odd[i][1]);
    size_t n = strlen(v);
    assert_true(n > 9);
    assert_int_equal(v[n - 9], '_');
    assert_int_equal(strspn(v + n - 8, "0123456789ABCDEF"), 8);
    assert_string_equal(v, compose_secret_derived_var(a, odd[i][0], odd[i][1])); /* the same every time */
    assert_true(name_valid(NAME_ENV_VAR, v));
  }
  /* "db"/"PW" and "db"/"pw" would both be SECRET_DB__PW without it */
  assert_string_equal(compose_secret_derived_var(a, "db", "pw"), "SECRET_DB__PW");
  assert_string_not_equal(compose_secret_derived_var(a, "db", "PW"), "SECRET_DB__PW");
  assert_string_not_equal(compose_secret_derived_var(a, "db", "PW"), compose_secret_derived_var(a, "DB", "pw"));
  arena_free(a);
}

/* A secret's variable is the same whatever else the project holds, and in
 * whatever order the services name the secrets. */
static void test_names_do_not_depend_on_the_estate(void **state) {
  (void)state;
  struct fx *f1 = fx_new(), *f2 = fx_new();
  const char *a1 = secret(f1, "db", "PW"), *b1 = secret(f1, "db", "pw"), *c1 = secret(f1, "DB", "pw");
  const char *c2 = secret(f2, "DB", "pw"), *b2 = secret(f2, "db", "pw");
  assert_string_equal(b1, b2);
  assert_string_equal(c1, c2);
  assert_string_not_equal(a1, b1);
  assert_string_not_equal(a1, c1);
  assert_string_not_equal(b1, c1);
  assert_string_equal(secret(f1, "db", "pw"), b1); /* named again: the same variable */
  assert_int_equal(f1->d.errors + f2->d.errors, 0);
  fx_free(f1);
  fx_free(f2);
}

/* A fixed name equal to a derived one is an error, not a suffix. */
static void test_collision_is_an_error(void **state) {
  (void)state;
  struct fx *f = fx_new();
  reserve(f, "conn", "token", "SECRET_DB__PW");
  secret(f, "db", "pw");
  assert_int_equal(f->d.errors, 1);
  const struct diag *g = f->d.list.items[0];
  assert_string_equal(g->id, "TGT002");
  assert_non_null(strstr(g->message, "secret(\"db\", key = \"pw\")"));
  assert_non_null(strstr(g->message, "secret(\"conn\", key = \"token\")"));
  fx_free(f);
}

/* --- values kept ----------------------------------------------------------- */

/* Build, fill in, remove a secret from the middle, rebuild: each value
 * stays with its secret and the removed one is gone. */
static void test_remove_keeps_the_others(void **state) {
  (void)state;
  struct fx *f1 = fx_new();
  const char *a = secret(f1, "app", "pw"), *b = secret(f1, "app", "PW"), *c = secret(f1, "app-pw", "x");
  reserve(f1, "conn", "token", "CONNECTORS_SECRET_TOKEN");
  own(f1, "PUSHER_APP_SECRET");
  const char *t = text(f1, NULL);
  t = fill(f1, t, a, "'va'");
  t = fill(f1, t, b, "'vb'");
  t = fill(f1, t, c, "'vc'");
  t = fill(f1, t, "CONNECTORS_SECRET_TOKEN", "'vt'");
  t = fill(f1, t, "PUSHER_APP_SECRET", "'vp'");

  struct fx *f2 = fx_new(); /* without app/pw */
  own(f2, "PUSHER_APP_SECRET");
  assert_string_equal(secret(f2, "app-pw", "x"), c);
  assert_string_equal(secret(f2, "app", "PW"), b);
  reserve(f2, "conn", "token", "CONNECTORS_SECRET_TOKEN");
  const char *u = text(f2, t);
  assert_null(value_of(f2, u, a));
  assert_null(strstr(u, "'va'"));
  assert_string_equal(value_of(f2, u, b), "'vb'");
  assert_string_equal(value_of(f2, u, c), "'vc'");
  assert_string_equal(value_of(f2, u, "CONNECTORS_SECRET_TOKEN"), "'vt'");
  assert_string_equal(value_of(f2, u, "PUSHER_APP_SECRET"), "'vp'");

  /* and a secret added: empty, the others unchanged */
  struct fx *f3 = fx_new();
  const char *d = secret(f3, "app", "new");
  secret(f3, "app-pw", "x");
  const char *w = text(f3, u);
  assert_string_equal(value_of(f3, w, d), "''");
  assert_string_equal(value_of(f3, w, c), "'vc'");
  fx_free(f1);
  fx_free(f2);
  fx_free(f3);
}

/* A file written with the old names (SECRET_<NAME>_<KEY>, _2 by order):
 * each value goes to the secret named above it, under its new name. */
static void test_renamed_variables_follow_their_secret(void **state) {
  (void)state;
  const char *old = "# secret \"a-b\", key \"c\"\n#   x: a use\nSECRET_A_B_C='v1'\n\n"
                    "# secret \"a\", key \"b-c\"\n#   x: a use\nSECRET_A_B_C_2='v2'\n";
  struct fx *f = fx_new();
  const char *y = secret(f, "a", "b-c"), *x = secret(f, "a-b", "c");
  const char *t = text(f, old);
  assert_string_equal(value_of(f, t, x), "'v1'");
  assert_string_equal(value_of(f, t, y), "'v2'");

  /* the first one removed: its value does not pass to the second */
  struct fx *g = fx_new();
  secret(g, "a", "b-c");
  const char *u = text(g, old);
  assert_string_equal(value_of(g, u, y), "'v2'");
  assert_null(strstr(u, "'v1'"));
  fx_free(f);
  fx_free(g);
}

/* A fixed name now holding another secret: the old value is not its. */
static void test_fixed_name_with_another_secret(void **state) {
  (void)state;
  const char *old = "# secret \"conn\", key \"a\"\nCONNECTORS_SECRET_T='va'\n"
                    "CAMUNDA_LICENSE_KEY='no line names its secret'\n"
                    "# secret \"kc\", key \"db\"\nKC_DB_PASSWORD='one'\nKC_DB_PASSWORD='two'\n";
  struct fx *f = fx_new();
  reserve(f, "conn", "b", "CONNECTORS_SECRET_T");
  reserve(f, "license", "key", "CAMUNDA_LICENSE_KEY");
  reserve(f, "kc", "db", "KC_DB_PASSWORD");
  const char *t = text(f, old);
  assert_string_equal(value_of(f, t, "CONNECTORS_SECRET_T"), "''");
  assert_string_equal(value_of(f, t, "CAMUNDA_LICENSE_KEY"), "''");
  /* a line repeated right below its secret's: the last, as Compose reads it */
  assert_string_equal(value_of(f, t, "KC_DB_PASSWORD"), "'two'");
  fx_free(f);
}

/* --- hand-edited files ----------------------------------------------------- */

static void test_hand_edited_values(void **state) {
  (void)state;
  struct fx *f = fx_new();
  const char *a = secret(f, "s", "a"), *b = secret(f, "s", "b"), *c = secret(f, "s", "c"), *d = secret(f, "s", "d");
  const char *e = secret(f, "s", "e"), *g = secret(f, "s", "g");
  const char *prev = arena_printf(f->a,
                                  "# secret \"s\", key \"a\" (a note)\r\n"                /* CRLF, a note after it */
                                  "# secret rotation is monthly\n#secret \"s\"\n"      /* comments that name no secret */
                                  "%s='x=y=z'\r\n"                                       /* '=' inside */
                                  "# secret \"s\", key \"b\"\n\n#   moved use line\n\n"  /* blank lines between */
                                  "export %s=\"double \\\" quoted\"  \n"                 /* export, escaped quote */
                                  "# secret \"s\", key \"c\"\n%s='first'\n%s='second'\n" /* repeated: the last */
                                  "# secret \"s\", key \"d\"\n%s='-----BEGIN\nline 2\n-----END'\n"
                                  "garbage line without equals\n= no name\n1BAD=x\n"
                                  "# secret \"s\", key \"e\"\n%s='unterminated\n"
                                  "# secret \"s\", key \"g\"\n%s=plain value # with a comment\r",
                                  a, b, c, c, d, e, g);
  const char *t = text(f, prev);
  assert_string_equal(value_of(f, t, a), "'x=y=z'");
  assert_string_equal(value_of(f, t, b), "\"double \\\" quoted\"  ");
  assert_string_equal(value_of(f, t, c), "'second'");
  assert_non_null(strstr(t, arena_printf(f->a, "\n%s='-----BEGIN\nline 2\n-----END'\n", d)));
  /* an unterminated quote is not written back (it would swallow the
   * lines after it); a warning says so */
  assert_string_equal(value_of(f, t, e), "''");
  assert_int_equal(f->d.warnings, 1);
  assert_string_equal(((struct diag *)f->d.list.items[0])->id, "OUT004");
  assert_string_equal(value_of(f, t, g), "plain value # with a comment");
  assert_null(strstr(t, "\r"));
  assert_null(strstr(t, "garbage"));
  /* and what camarch writes reads back to itself */
  assert_string_equal(text(f, t), t);
  fx_free(f);
}

/* A value ending in a carriage return of its own (before the CRLF line
 * end) would lose it at the next build: it is not kept, and a warning says
 * so; what camarch writes always reads back to itself. */
static void test_values_that_would_change_are_not_kept(void **state) {
  (void)state;
  struct fx *f = fx_new();
  const char *a = secret(f, "s", "a"), *b = secret(f, "s", "b"), *c = secret(f, "s", "c");
  const char *prev = arena_printf(f->a, "# secret \"s\", key \"a\"\n%s='x'\r\r\n"
                                        "# secret \"s\", key \"b\"\n%s=ok\r\n"
                                        "# secret \"s\", key \"c\"\n%s='y\rz'\n", a, b, c);
  const char *t = text(f, prev);
  assert_string_equal(value_of(f, t, a), "''");
  assert_string_equal(value_of(f, t, b), "ok");
  assert_string_equal(value_of(f, t, c), "'y\rz'"); /* inside quotes, it reads back the same */
  assert_int_equal(f->d.warnings, 1);
  assert_string_equal(text(f, t), t);
  fx_free(f);
}

/* A secret's line moved above another variable: neither value moves with it. */
static void test_moved_comment_moves_no_value(void **state) {
  (void)state;
  struct fx *f = fx_new();
  const char *a = secret(f, "s", "a"), *b = secret(f, "s", "b");
  const char *prev = arena_printf(f->a, "# secret \"s\", key \"b\"\n%s='of a'\n# secret \"s\", key \"a\"\n%s='of b'\n",
                                  a, b);
  const char *t = text(f, prev);
  assert_string_equal(value_of(f, t, a), "''");
  assert_string_equal(value_of(f, t, b), "''");
  /* without the line, a derived name says which secret it holds */
  const char *bare = arena_printf(f->a, "%s='of a'\n", a);
  assert_string_equal(value_of(f, text(f, bare), a), "'of a'");
  fx_free(f);
}

/* A value of the project (no secret()) is kept by its fixed name, unless
 * the line above it says it was a secret's. */
static void test_own_values(void **state) {
  (void)state;
  struct fx *f = fx_new();
  own(f, "PUSHER_APP_SECRET");
  assert_string_equal(value_of(f, text(f, "PUSHER_APP_SECRET='p'\n"), "PUSHER_APP_SECRET"), "'p'");
  assert_string_equal(
      value_of(f, text(f, "# secret \"x\", key \"y\"\nPUSHER_APP_SECRET='of x'\n"), "PUSHER_APP_SECRET"), "''");
  /* a secret's line left dangling above it does not take its value */
  const char *t = text(f, "# secret \"x\", key \"y\"\n# no secret() of the estate: it\nPUSHER_APP_SECRET='p'\n");
  assert_string_equal(value_of(f, t, "PUSHER_APP_SECRET"), "'p'");
  fx_free(f);
}

/* A name with a quote or a newline is written escaped: it starts no line of
 * its own, and its value still returns to it. */
static void test_odd_names_cannot_inject(void **state) {
  (void)state;
  struct fx *f = fx_new();
  const char *v = secret(f, "x\nEVIL=1\n# secret \"y", "k\"ey");
  const char *t = text(f, NULL);
  assert_null(strstr(t, "\nEVIL=1"));
  assert_non_null(strstr(t, "# secret \"x\\x0aEVIL=1\\x0a# secret \\\"y\", key \"k\\\"ey\"\n"));
  const char *u = text(f, fill(f, t, v, "'kept'"));
  assert_string_equal(value_of(f, u, v), "'kept'");
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_derived_names),
      cmocka_unit_test(test_names_do_not_depend_on_the_estate),
      cmocka_unit_test(test_collision_is_an_error),
      cmocka_unit_test(test_remove_keeps_the_others),
      cmocka_unit_test(test_renamed_variables_follow_their_secret),
      cmocka_unit_test(test_fixed_name_with_another_secret),
      cmocka_unit_test(test_hand_edited_values),
      cmocka_unit_test(test_values_that_would_change_are_not_kept),
      cmocka_unit_test(test_moved_comment_moves_no_value),
      cmocka_unit_test(test_own_values),
      cmocka_unit_test(test_odd_names_cannot_inject),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
