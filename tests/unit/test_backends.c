/* test_backends.c - no backend crashes on any model, or writes "(null)".
 *
 * The class of defect: a backend that reads an optional field without
 * asking whether it is set (a NULL m_str.v, the secret of a plain string),
 * or that assumes a secret() where the model also allows a plain string.
 * So each target is given estates with every optional block present but
 * empty (filesystem {}, s3 {}, clients and users without fields, a
 * Keycloak, databases, mail, an Ingress with gRPC, regions, hosts), and
 * every string-or-secret field both as a plain string and as a secret(),
 * across the storage kinds, authentication methods, backup stores and
 * versions.  Every environment is resolved, lowered, checked by the rules
 * and by its backend, and then emitted in memory whatever the checks
 * found: nothing may crash (the suite runs under ASan and UBSan too) and
 * no output file and no diagnostic may hold "(null)".  The golden
 * expectations are searched for "(null)" as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "output.h"
#include "uses.h"
#include "child.h"
#include "driver.h"
#include "rules.h"

/* One axis of variation: the text it puts into the estate. */
struct axis {
  const char *const *options;
  size_t n;
};

static const char *const versions[] = {"8.8", "8.9"};
static const char *const storages[] = {
    "elasticsearch {}",
    "elasticsearch { url = \"https://es.internal:9243\", username = \"camunda\", password = PW }",
    "opensearch {}",
    "opensearch { url = \"http://[fd00::7]\", password = PW }",
    "rdbms {}",
    "rdbms { url = \"jdbc:postgresql://pg:5432/camunda\", password = PW }",
    "h2 {}",
    "none",
};
static const char *const methods[] = {"basic", "oidc", "none"};
static const char *const backups[] = {"filesystem {}", "s3 {}", "gcs {}", "azure {}", "filesystem { path = \"/mnt/b\" }",
                                      "s3 { bucket = \"b\", endpoint = \"https://minio:9000\", access_key = secret(\"s3\") }"};
static const char *const providers[] = {"keycloak", "oidc"};
static const char *const keycloaks[] = {
    "keycloak {}",
    "keycloak { admin_password = PW, database = postgres { url = \"jdbc:postgresql://kc-db/keycloak\", password = PW } }",
    "keycloak { url = \"https://sso.internal:8443\", admin_password = PW, context_path = \"/\" }",
    "keycloak { database = postgres { password = PW } }",
};
static const char *const databases[] = {
    "postgres {}", "postgres { password = PW }",
    "postgres { url = \"jdbc:postgresql://db:5432/identity\", user = \"u\", password = PW }",
    "mysql { url = \"jdbc:mysql://db/identity\" }"};
static const char *const regions[] = {"", "region \"a\" {}, region \"b\" {}"};
static const char *const images[] = {
    "images {}",
    "images { orchestration { tag = \"\" }, connectors { tag = \"\" }, web_modeler { tag = \"\" }, console { tag = \"\" } }",
    ("images { registry = \"registry.acme.internal:5000/mirror\", pull_secrets = [\"pull\"],"
     " orchestration { digest = \"sha256:4b3c2a1f00000000000000000000000000000000000000000000000000000000\" } }"),
};

static const char *const users[] = {
    "user \"demo\" {}\n    user \"c\" { roles = [\"connectors\"], password = PW }",
    "",
    "user \"jane@acme.example\" { password = PW, roles = [\"admin\", \"viewer\"], email = \"jane@acme.example\" }",
};
/* the environment turns components off again */
static const char *const overlays[] = {
    "",
    "connectors { enabled = false }\n  management_identity { enabled = false }",
    "ingress { enabled = false }\n  web_modeler { enabled = false }\n  backup { enabled = false }",
    "optimize { enabled = false }\n  console { enabled = false }\n  orchestration { storage_class = \"\" }",
};

static const struct axis axes[] = {
#define AXIS(a) {a, sizeof a / sizeof a[0]}
    AXIS(versions), AXIS(storages), AXIS(methods), AXIS(backups), AXIS(providers),
    AXIS(keycloaks), AXIS(databases), AXIS(regions), AXIS(images), AXIS(users), AXIS(overlays),
#undef AXIS
};
enum { N_AXES = sizeof axes / sizeof axes[0], N_COMBINATIONS = 96 };

/* Replaces every PW of `text` by `pw`. */
static void put(struct buf *b, const char *text, const char *pw) {
  for (const char *p = text; *p;) {
    const char *m = strstr(p, "PW");
    if (!m) {
      buf_puts(b, p);
      return;
    }
    buf_append(b, p, (size_t)(m - p));
    buf_puts(b, pw);
    p = m + 2;
  }
}

/* The estate of combination i: option i mod n of each axis (the axes'
 * lengths differ, so the combinations mix them), for one target. */
static char *estate(size_t i, const char *target, const char *pw) {
  const char *o[N_AXES];
  for (size_t k = 0; k < N_AXES; k++)
    o[k] = axes[k].options[(i + k * (i / axes[k].n)) % axes[k].n];
  struct buf b = {0};
  buf_printf(&b, "estate \"all\" {\n  version = \"%s\"\n  target = %s\n", o[0], target);
  buf_puts(&b, "  license = secret(\"license\")\n");
  buf_puts(&b, "  orchestration {\n    storage = ");
  put(&b, o[1], pw);
  buf_printf(&b, "\n    %s\n    env = { A = \"x\", B = secret(\"env\") }\n  }\n", o[7]);
  buf_printf(&b, "  identity {\n    method = %s, provider = keycloak\n", o[2]);
  static const char *const clients[] = {"orchestration", "connectors", "optimize", "console", "web_modeler",
                                        "management_identity", "grafana"};
  for (size_t k = 0; k < sizeof clients / sizeof clients[0]; k++)
    buf_printf(&b, "    client \"%s\" {}\n", clients[k]);
  buf_puts(&b, "    ");
  put(&b, o[9], pw);
  buf_puts(&b, "\n  }\n");
  buf_printf(&b, "  management_identity {\n    provider = %s\n    ", o[4]);
  put(&b, o[5], pw);
  buf_puts(&b, "\n    database = ");
  put(&b, o[6], pw);
  buf_puts(&b, "\n    first_user = \"admin\", first_user_password = ");
  put(&b, "PW\n  }\n", pw);
  buf_puts(&b, "  connectors { secrets = { T = secret(\"conn\"), L = \"plain\" } }\n  optimize {}\n");
  buf_puts(&b, "  web_modeler {\n    mail { smtp_password = ");
  put(&b, "PW }\n    database = ", pw);
  put(&b, o[6], pw);
  buf_puts(&b, "\n  }\n  console {}\n  ingress { grpc {} }\n");
  buf_printf(&b, "  backup { %s }\n", o[3]);
  buf_printf(&b, "  %s\n  kubernetes {}\n  docker {}\n  upgrade {}\n", o[8]);
  buf_puts(&b, "  host \"h0\" {}\n  host \"h1\" { address = \"10.0.0.1\" }\n}\n");
  buf_printf(&b, "environment \"e\" {\n  %s\n}\n", o[10]);
  char *s = strdup(b.data);
  buf_free(&b);
  assert_non_null(s);
  return s;
}

static bool holds_null(const char *data, size_t len) {
  static const char needle[] = "(null)";
  for (size_t i = 0; i + sizeof needle - 1 <= len; i++)
    if (memcmp(data + i, needle, sizeof needle - 1) == 0)
      return true;
  return false;
}

/* Every stage of every environment of `text`, the backend's pass whatever
 * the rules said.  NULL, or what went wrong (malloc'd): "(null)" in a file
 * or a diagnostic, or an environment its backend neither built nor refused. */
static char *run_all(const char *text) {
  char *problem = NULL;
  struct compilation c;
  compilation_init(&c, CAMARCH_STDLIB_SOURCE_DIR);
  resolve_load_text(&c, "estate.camarch", text, strlen(text));
  size_t emitted = 0;
  for (size_t i = 0; i < c.envs.len; i++) {
    const struct env_decl *env = c.envs.items[i];
    int minor = 0;
    struct val *v = resolve_env(&c, env, &minor);
    struct model *m = v ? lower(&c, env, v, minor) : NULL;
    if (!m || !m->e.target.set)
      continue;
    m->only_environment = true;
    m->place = model_target_place(m->e.target.v);
    sema_check(&c, m);
    uses_check(m, &c.diags);
    const struct backend *b = backend_for(m->e.target.v);
    assert_non_null(b);
    struct outputs out;
    outputs_init(&out, c.arena);
    /* the rules' errors do not stop the backend here: it runs on what they refused too */
    struct emit_ctx ctx = {c.arena, &out, "out/e", &c.diags, c.diags.errors};
    unsigned errors = c.diags.errors;
    if (b->build(m, &ctx) || c.diags.errors > errors)
      emitted++;  /* built, or refused with a reason: never neither */
    for (size_t f = 0; f < out.files.len; f++) {
      const struct out_file *o = out.files.items[f];
      if (holds_null(o->data.data, o->data.len) && !problem)
        problem = arena_printf(c.arena, "\"(null)\" in %s", o->name);
    }
    outputs_free(&out);
  }
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  assert_non_null(f);
  diags_render_text(&c.diags, &c.sources, f);
  fclose(f);
  if (holds_null(out, len) && !problem)
    problem = arena_printf(c.arena, "\"(null)\" in a diagnostic:\n%s", out);
  /* every environment reached its backend's emit: the estates are typed
   * right, or this test would test nothing */
  if (emitted != c.envs.len && !problem)
    problem = arena_printf(c.arena, "an environment its backend neither built nor refused:\n%s", out);
  if (problem)
    problem = strdup(problem);
  free(out);
  compilation_free(&c);
  return problem;
}

struct job {
  const char *target, *pw;
};

static void combinations(void *arg) {
  const struct job *j = arg;
  for (size_t i = 0; i < N_COMBINATIONS; i++) {
    char *text = estate(i, j->target, j->pw);
    char *problem = run_all(text);
    if (problem) {
      fprintf(stderr, "%.1500s\nfor:\n%.2000s", problem, text);
      _exit(1);
    }
    free(text);
  }
}

/* In a child: a crash names the target instead of ending the run. */
static void every_target(const char *pw) {
  for (size_t t = 0; backends[t]; t++) {  /* every target this build has */
    struct job j = {backends[t]->name, pw};
    struct child_result r;
    run_in_child(combinations, &j, &r);
    if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
      fail_msg("target %s, password %s: the child %s %d; stderr:\n%s", backends[t]->name, pw,
               WIFSIGNALED(r.status) ? "died of signal" : "exited", WIFSIGNALED(r.status) ? WTERMSIG(r.status)
                                                                                       : WEXITSTATUS(r.status),
               r.err);
  }
}

static void test_empty_blocks_plain_passwords(void **state) {
  (void)state;
  every_target("\"hunter2\"");
}

static void test_empty_blocks_secret_passwords(void **state) {
  (void)state;
  every_target("secret(\"pw\", key = \"k\")");
}

/* The estate of the crash report: a literal storage password on Helm with
 * a secret() elsewhere, which once compared a NULL Secret name. */
static void test_helm_literal_password_and_a_secret(void **state) {
  (void)state;
  char *problem = run_all("estate \"x\" {\n  version = \"8.8\"\n  license = secret(\"license\")\n"
                          "  orchestration { storage = elasticsearch { url = \"https://es:9200\", password = \"dev\" } }\n}\n"
                          "environment \"dev\" { target = helm }\n");
  if (problem)
    fail_msg("%s", problem);
}

static int no_null_in(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type != FTW_F)
    return 0;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  struct buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_append(&b, chunk, n);
  fclose(f);
  bool bad = b.data && holds_null(b.data, b.len);
  buf_free(&b);
  if (bad)
    fail_msg("%s holds \"(null)\"", path);
  return 0;
}

/* No expected output of a golden case holds "(null)". */
static void test_goldens_hold_no_null(void **state) {
  (void)state;
  assert_int_equal(nftw(CAMARCH_TEST_DIR "/golden", no_null_in, 16, FTW_PHYS), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_blocks_plain_passwords),
      cmocka_unit_test(test_empty_blocks_secret_passwords),
      cmocka_unit_test(test_helm_literal_password_and_a_secret),
      cmocka_unit_test(test_goldens_hold_no_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
