/* test_camunda.c - what camunda.h knows once: Spring's environment form
 * of a settings tree, releases, roles, the README skeleton. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "camunda.h"

static void test_env_form(void **state) {
  (void)state;
  struct arena *a = arena_new();
  struct ynode *tree = y_map(a), *rules = y_seq(a), *rule = y_map(a), *roles = y_seq(a);
  y_set(a, rule, "mapping-rule-id", y_str(a, "ops"));
  y_set(a, rule, "claim-name", y_str(a, "groups"));
  y_push(a, rules, rule);
  y_set(a, tree, "mapping-rules", rules);
  y_push(a, roles, y_str(a, "jane"));
  y_set(a, tree, "default-roles.admin.users", roles);
  y_set(a, tree, "empty", y_seq(a));
  y_set(a, tree, "flag", y_bool(a, true));
  struct vec out = {0};
  camunda_env_form(a, "camunda.security.initialization", tree, &out);
  static const char *const want[][2] = {
      {"CAMUNDA_SECURITY_INITIALIZATION_MAPPINGRULES_0_MAPPINGRULEID", "ops"},
      {"CAMUNDA_SECURITY_INITIALIZATION_MAPPINGRULES_0_CLAIMNAME", "groups"},
      {"CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_USERS_0", "jane"},
      {"CAMUNDA_SECURITY_INITIALIZATION_FLAG", "true"},
  };
  assert_int_equal(out.len, 4);
  for (size_t i = 0; i < 4; i++) {
    const struct camunda_env *e = out.items[i];
    assert_string_equal(e->name, want[i][0]);
    assert_string_equal(e->value, want[i][1]);
  }
  arena_free(a);
}

static void test_releases(void **state) {
  (void)state;
  assert_true(camunda_is_release("8.8.3"));
  assert_true(camunda_is_release("8.9.0-alpha2"));
  assert_false(camunda_is_release("latest"));
  assert_false(camunda_is_release("8"));
  assert_false(camunda_is_release("8.8.3 ; rm"));
  assert_false(camunda_is_release(NULL));
}

static void test_readme_numbering(void **state) {
  (void)state;
  struct arena *a = arena_new();
  struct model m = {.env = "dev", .root_path = "estate.camarch"};
  struct readme r;
  struct buf b;
  readme_begin(&r, a, &m);
  readme_step(&r, "Start");
  readme_puts(&r, "go\n");
  readme_finish(&r, &b);
  assert_non_null(strstr(b.data, "## Start\n\ngo\n"));  /* one step: no number */
  buf_free(&b);
  readme_begin(&r, a, &m);
  readme_step(&r, "Fill in");
  static const char *const head[] = {"a", "b"}, *const row[] = {"`x`", "y"};
  readme_table(&r, 2, head);
  readme_row(&r, 2, row);
  readme_step(&r, "Start");
  readme_finish(&r, &b);
  assert_non_null(strstr(b.data, "## 1. Fill in\n\n| a | b |\n| --- | --- |\n| `x` | y |\n## 2. Start\n"));
  assert_non_null(strstr(b.data, "# estate: environment dev\n"));
  buf_free(&b);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_env_form),
      cmocka_unit_test(test_releases),
      cmocka_unit_test(test_readme_numbering),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
