/* test_c8run.c - what the Camunda 8 Run backend writes, held to what
 * Camunda 8 Run reads.
 *
 * Every estate of tests/golden/c8run-* and the laptop environment of
 * examples/acme is built in memory, and for each environment:
 *   - application.yaml is parsed with libyaml and flattened to dotted keys
 *     (list indices as [i]); every key must be one the Camunda version
 *     reads, listed in tests/c8run/keys-8.<minor>.txt with its source page;
 *   - camarch.env is mode 0600, names every secret() of the estate that
 *     the laptop place uses, and every ${VAR} of application.yaml is a
 *     whole value naming one of its secret variables (no literal secret
 *     value can be there: camarch never learns one);
 *   - README.md names the start and stop commands.
 * The flattening is checked to flag an unknown key, so the test can fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "camunda.h"
#include "driver.h"
#include "output.h"

/* --- the key lists --------------------------------------------------------- */

struct keys {
  char *items[256];
  size_t n;
};

static void keys_load(struct keys *k, int minor) {
  char path[4096];
  snprintf(path, sizeof path, "%s/c8run/keys-8.%d.txt", CAMARCH_TEST_DIR, minor);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[1024];
  k->n = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    char *sp = strchr(line, ' ');
    assert_non_null(sp); /* every key names its source page */
    assert_true(strncmp(sp + 1, "https://", 8) == 0);
    *sp = '\0';
    assert_true(k->n < sizeof k->items / sizeof k->items[0]);
    k->items[k->n++] = strdup(line);
  }
  fclose(f);
  assert_true(k->n > 0);
}

static void keys_free(struct keys *k) {
  for (size_t i = 0; i < k->n; i++)
    free(k->items[i]);
}

static bool keys_has(const struct keys *k, const char *key) {
  for (size_t i = 0; i < k->n; i++)
    if (strcmp(k->items[i], key) == 0)
      return true;
  return false;
}

/* --- flattening application.yaml ------------------------------------------- */

struct flat {
  char *keys[512];
  char *values[512];
  size_t n;
};

static void flat_add(struct flat *f, const char *key, const char *value) {
  assert_true(f->n < sizeof f->keys / sizeof f->keys[0]);
  f->keys[f->n] = strdup(key);
  f->values[f->n++] = strdup(value);
}

static void flatten(yaml_document_t *doc, yaml_node_t *node, const char *prefix, struct flat *f) {
  char key[1024];
  switch (node->type) {
  case YAML_SCALAR_NODE:
    flat_add(f, prefix, (const char *)node->data.scalar.value);
    break;
  case YAML_SEQUENCE_NODE:
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
      snprintf(key, sizeof key, "%s[i]", prefix);
      flatten(doc, yaml_document_get_node(doc, *it), key, f);
    }
    break;
  case YAML_MAPPING_NODE:
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
      yaml_node_t *k = yaml_document_get_node(doc, p->key);
      assert_int_equal(k->type, YAML_SCALAR_NODE);
      snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", (const char *)k->data.scalar.value);
      flatten(doc, yaml_document_get_node(doc, p->value), key, f);
    }
    break;
  default:
    fail_msg("an empty YAML node at %s", prefix);
  }
}

static void flat_parse(const char *text, size_t len, struct flat *f) {
  yaml_parser_t parser;
  yaml_document_t doc;
  f->n = 0;
  assert_true(yaml_parser_initialize(&parser));
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  assert_true(yaml_parser_load(&parser, &doc));
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  assert_non_null(root);
  flatten(&doc, root, "", f);
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
}

static void flat_free(struct flat *f) {
  for (size_t i = 0; i < f->n; i++) {
    free(f->keys[i]);
    free(f->values[i]);
  }
  f->n = 0;
}

/* The first key not in the list, or NULL. */
static const char *unknown_key(const struct flat *f, const struct keys *k) {
  for (size_t i = 0; i < f->n; i++)
    if (!keys_has(k, f->keys[i]))
      return f->keys[i];
  return NULL;
}

/* --- one environment's files ------------------------------------------------ */

static const struct out_file *file(const struct outputs *out, const char *dir, const char *name) {
  for (size_t i = 0; i < out->files.len; i++) {
    const struct out_file *o = out->files.items[i];
    if (strcmp(o->dir, dir) == 0 && strcmp(o->name, name) == 0)
      return o;
  }
  fail_msg("%s/%s was not written", dir, name);
  return NULL;
}

static char *text_of(const struct out_file *o) {
  char *t = malloc(o->data.len + 1);
  assert_non_null(t);
  memcpy(t, o->data.data, o->data.len);
  t[o->data.len] = '\0';
  return t;
}

/* Whether camarch.env holds `var` as the variable of a secret: the line
 * above it is `# secret "...", key "..."` or a use of one. */
static bool secret_var(const char *env, const char *var) {
  char want[512];
  assert_true(strlen(var) < 500);
  snprintf(want, sizeof want, "\n%s=", var);
  const char *p = strstr(env, want);
  if (!p)
    return false;
  const char *q = p; /* back over the comment lines above it */
  while (q > env) {
    const char *start = q - 1;
    while (start > env && start[-1] != '\n')
      start--;
    if (strncmp(start, "# secret \"", 10) == 0)
      return true;
    if (strncmp(start, "#   ", 4) != 0)
      return false;
    q = start - 1;
  }
  return false;
}

static void check_env(const char *where, const struct model *m, const struct flat *f, const char *env,
                      struct arena *a) {
  /* every secret the place uses is named, as camarch wrote it */
  struct vec secrets = {0};
  camunda_secrets(a, m, M_place_laptop, &secrets);
  for (size_t i = 0; i < secrets.len; i++) {
    const struct camunda_secret *s = secrets.items[i];
    if (!m->e.connectors.meta.present && strncmp(s->path, "connectors.", 11) == 0)
      continue;
    if (m->e.identity.method.v != M_auth_method_oidc && strncmp(s->path, "identity.client ", 16) == 0)
      continue; /* OIDC clients: not read under basic authentication or none */
    char want[512];
    snprintf(want, sizeof want, "# secret \"%s\", key \"", s->name);
    if (!strstr(env, want))
      fail_msg("%s: camarch.env does not name the secret of %s (%s)", where, s->path, s->name);
  }
  /* placeholders are whole values naming a secret variable of the file */
  for (size_t i = 0; i < f->n; i++) {
    const char *v = f->values[i];
    const char *ph = strstr(v, "${");
    if (!ph)
      continue;
    size_t n = strlen(v);
    if (ph != v || v[n - 1] != '}')
      fail_msg("%s: %s = %s is not one ${VAR}", where, f->keys[i], v);
    char var[256];
    snprintf(var, sizeof var, "%.*s", (int)(n - 3), v + 2);
    if (!secret_var(env, var))
      fail_msg("%s: %s = %s names no secret variable of camarch.env", where, f->keys[i], v);
  }
  /* a password the estate gives as secret() is a placeholder */
  for (size_t i = 0; i < f->n; i++) {
    size_t kl = strlen(f->keys[i]);
    if (kl > 9 && strcmp(f->keys[i] + kl - 9, ".password") == 0 && *f->values[i] && f->values[i][0] != '$') {
      bool literal = false; /* the estate wrote the password itself (development) */
      for (size_t u = 0; u < m->e.identity.user.v.len; u++) {
        const struct m_user *us = m->e.identity.user.v.items[u];
        literal |= us->password.str && strcmp(us->password.str, f->values[i]) == 0;
      }
      const struct m_secstr *sp = &m->e.orchestration.storage.password;
      literal |= sp->str && strcmp(sp->str, f->values[i]) == 0;
      if (!literal)
        fail_msg("%s: %s holds a value that is neither a placeholder nor the estate's own", where, f->keys[i]);
    }
  }
}

static void check_readme(const char *where, const char *readme) {
  static const char *const commands[] = {"./start.sh --config application.yaml", ".\\c8run.exe start --config application.yaml",
                                         "./shutdown.sh", ".\\c8run.exe stop"};
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strstr(readme, commands[i]))
      fail_msg("%s: README.md does not name `%s`", where, commands[i]);
}

static void check_environment(const struct model *m, const struct outputs *out, struct arena *a) {
  struct keys k;
  keys_load(&k, m->minor);
  const char *where = m->env;
  const struct out_file *y = file(out, m->env, "application.yaml"), *e = file(out, m->env, "camarch.env"),
                        *r = file(out, m->env, "README.md");
  assert_int_equal(e->mode, 0600);
  struct flat f;
  char *yaml = text_of(y), *env = text_of(e), *readme = text_of(r);
  flat_parse(yaml, strlen(yaml), &f);
  const char *bad = unknown_key(&f, &k);
  if (bad)
    fail_msg("%s: application.yaml writes %s, which keys-8.%d.txt does not list", where, bad, m->minor);
  check_env(where, m, &f, env, a);
  check_readme(where, readme);
  flat_free(&f);
  free(yaml);
  free(env);
  free(readme);
  keys_free(&k);
}

/* Builds every c8run environment of the estate at `path`; returns how many. */
static size_t build_estate(const char *path, const char *only) {
  struct compilation c;
  compilation_init(&c, CAMARCH_STDLIB_SOURCE_DIR);
  const char *why = NULL;
  assert_true(resolve_load(&c, path, &why));
  size_t built = 0;
  for (size_t i = 0; i < c.envs.len; i++) {
    const struct env_decl *env = c.envs.items[i];
    if (only && strcmp(env->name, only) != 0)
      continue;
    struct outputs out;
    outputs_init(&out, c.arena);
    struct model *m = compile_env_into(&c, env, &out);
    if (m && m->e.target.v == M_target_c8run) {
      check_environment(m, &out, c.arena);
      built++;
    }
    outputs_free(&out);
  }
  compilation_free(&c);
  return built;
}

static void test_goldens_and_example(void **state) {
  (void)state;
  char dir[2048], path[4096];
  snprintf(dir, sizeof dir, "%s/golden", CAMARCH_TEST_DIR);
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t built = 0;
  for (struct dirent *de; (de = readdir(d));) {
    if (strncmp(de->d_name, "c8run-", 6) != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s/estate.camarch", dir, de->d_name);
    built += build_estate(path, NULL);
  }
  closedir(d);
  snprintf(path, sizeof path, "%s/../examples/acme/estate.camarch", CAMARCH_TEST_DIR);
  assert_int_equal(build_estate(path, "laptop"), 1);
  built++;
  /* 8.8 bundled and external, 8.9 H2, PostgreSQL and MySQL, basic users, acme */
  assert_true(built >= 7);
}

/* The check is no formality: a key outside the list is found. */
static void test_unknown_key_is_found(void **state) {
  (void)state;
  struct keys k;
  keys_load(&k, 9);
  static const char ok[] = "camunda:\n  security:\n    initialization:\n      users:\n      - username: a\n";
  static const char bogus[] = "camunda:\n  data:\n    secondary-storage:\n      rdbms:\n        urls: [x]\n";
  struct flat f;
  flat_parse(ok, sizeof ok - 1, &f);
  assert_null(unknown_key(&f, &k));
  flat_free(&f);
  flat_parse(bogus, sizeof bogus - 1, &f);
  assert_string_equal(unknown_key(&f, &k), "camunda.data.secondary-storage.rdbms.urls[i]");
  flat_free(&f);
  keys_free(&k);
  /* 8.8 has no relational storage */
  keys_load(&k, 8);
  static const char rdbms[] = "camunda:\n  data:\n    secondary-storage:\n      rdbms:\n        url: jdbc:h2:mem:x\n";
  flat_parse(rdbms, sizeof rdbms - 1, &f);
  assert_non_null(unknown_key(&f, &k));
  flat_free(&f);
  keys_free(&k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_goldens_and_example),
      cmocka_unit_test(test_unknown_key_is_found),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
