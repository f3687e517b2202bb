/* test_readme_secrets.c - every backend tells the user about every secret.
 *
 * camunda_secrets() lists the secret()s an environment's model refers to
 * in the fields its kind of place uses.  Whatever the target, the
 * README.md it writes beside the artefacts names each of those secrets
 * (as `name`), or the build warned (TGT003) that it does not write the
 * setting that holds it: none is left for the user to discover at run
 * time.
 * Checked on every estate of the golden cases that builds, and on the
 * examples; and the check is shown to fail on a README that leaves one
 * out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camunda.h"
#include "driver.h"
#include "output.h"

static const struct out_file *readme_of(const struct outputs *out, const char *env) {
  for (size_t i = 0; i < out->files.len; i++) {
    const struct out_file *o = out->files.items[i];
    if (strcmp(o->dir, env) == 0 && strcmp(o->name, "README.md") == 0)
      return o;
  }
  return NULL;
}

/* Whether a TGT003 warning points inside span `at`, or at the span around it. */
static bool warned(const struct diags *d, struct span at) {
  for (size_t i = 0; d && i < d->list.len; i++) {
    const struct diag *g = d->list.items[i];
    if (strcmp(g->id, "TGT003") != 0 || g->at.file != at.file)
      continue;
    if ((g->at.start >= at.start && g->at.end <= at.end) || (at.start >= g->at.start && at.end <= g->at.end))
      return true;
  }
  return false;
}

/* The first secret of `list` the README does not name, or NULL. */
static const struct camunda_secret *unnamed(const struct vec *list, const char *readme, size_t len,
                                            struct arena *a, const struct diags *d) {
  for (size_t i = 0; i < list->len; i++) {
    const struct camunda_secret *s = list->items[i];
    if (warned(d, s->at))
      continue;
    const char *quoted = arena_printf(a, "`%s`", s->name);
    size_t q = strlen(quoted);
    bool found = false;
    for (size_t k = 0; !found && k + q <= len; k++)
      found = memcmp(readme + k, quoted, q) == 0;
    if (!found)
      return s;
  }
  return NULL;
}

/* Builds every environment of the estate at `path`; returns how many built,
 * and counts in *missing the READMEs that do not name one of their secrets. */
static size_t check_estate(const char *path, size_t *missing) {
  struct compilation c;
  compilation_init(&c, CAMARCH_STDLIB_SOURCE_DIR);
  const char *why = NULL;
  size_t built = 0;
  if (resolve_load(&c, path, &why) && !c.diags.errors)
    for (size_t i = 0; i < c.envs.len; i++) {
      const struct env_decl *env = c.envs.items[i];
      struct outputs out;
      outputs_init(&out, c.arena);
      struct model *m = compile_env_into(&c, env, &out);
      const struct out_file *r = m ? readme_of(&out, m->env) : NULL;
      if (m) {
        if (!r)
          fail_msg("%s: environment %s has no README.md", path, m->env);
        struct vec list = {0};
        camunda_secrets(c.arena, m, m->place, &list);
        const struct camunda_secret *s = unnamed(&list, r->data.data, r->data.len, c.arena, &c.diags);
        if (s && ++*missing)
          print_error("%s: environment %s (target %s): README.md does not name secret \"%s\" (%s)\n", path, m->env,
                   model_enum_name(m->e.target.v), s->name, s->path);
        built++;
      }
      outputs_free(&out);
    }
  compilation_free(&c);
  return built;
}

static size_t check_dir(const char *dir, const char *file, size_t *missing) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t built = 0;
  char path[4096];
  for (struct dirent *de; (de = readdir(d));) {
    if (de->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s/%s", dir, de->d_name, file);
    FILE *f = fopen(path, "r");
    if (!f)
      continue;
    fclose(f);
    built += check_estate(path, missing);
  }
  closedir(d);
  return built;
}

static void test_every_readme_names_every_secret(void **state) {
  (void)state;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/golden", CAMARCH_TEST_DIR);
  size_t missing = 0;
  size_t built = check_dir(dir, "estate.camarch", &missing);
  snprintf(dir, sizeof dir, "%s/../examples", CAMARCH_TEST_DIR);
  built += check_dir(dir, "estate.camarch", &missing);
  assert_int_equal(missing, 0);
  /* the goldens hold well over a hundred environments that build */
  assert_true(built > 100);
}

/* The check finds a secret a README leaves out. */
static void test_missing_secret_is_found(void **state) {
  (void)state;
  struct arena *a = arena_new();
  struct camunda_secret s1 = {"db", "password", "orchestration.storage.password", {0}};
  struct camunda_secret s2 = {"license", NULL, "license", {0}};
  void *items[] = {&s1, &s2};
  struct vec list = {items, 2, 2};
  static const char readme[] = "| `db` | `password` | ... |\n";
  const struct camunda_secret *s = unnamed(&list, readme, sizeof readme - 1, a, NULL);
  assert_non_null(s);
  assert_string_equal(s->name, "license");
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_readme_names_every_secret),
      cmocka_unit_test(test_missing_secret_is_found),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
