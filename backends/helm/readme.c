/* readme.c - README.md beside the values: how to install them, and the
 * Secrets the release reads, by name and key; never a secret's value. */
#include <stdlib.h>
#include <string.h>

#include "helm_int.h"
#include "names.h"

static int cmp_secret(const void *pa, const void *pb) {
  const struct secret_use *a = *(const struct secret_use *const *)pa, *b = *(const struct secret_use *const *)pb;
  int c = strcmp(a->name, b->name);
  return c ? c : strcmp(a->key, b->key);
}

/* The Secrets the values refer to, sorted, as a table. */
static void secrets_step(struct readme *r, struct hv *h) {
  readme_step(r, "Create the Secrets");
  readme_puts(r, "The values refer to these Kubernetes Secrets in the namespace; create them\n"
                 "before installing (camarch never writes their values):\n\n");
  static const char *const head[] = {"Secret", "key", "read by"};
  readme_table(r, 3, head);
  qsort(h->secrets.items, h->secrets.len, sizeof h->secrets.items[0], cmp_secret);
  for (size_t i = 0; i < h->secrets.len; i++) {
    const struct secret_use *u = h->secrets.items[i];
    size_t n = strlen(u->path);
    const char *tail = ".existingSecret";
    if (n > strlen(tail) && strcmp(u->path + n - strlen(tail), tail) == 0)
      n -= strlen(tail);
    /* a path is code; a description (with spaces) is words */
    const char *q = strchr(u->path, ' ') ? "" : "`";
    const char *cells[] = {arena_printf(h->a, "`%s`", u->name), arena_printf(h->a, "`%s`", u->key),
                           arena_printf(h->a, "%s%.*s%s", q, (int)n, u->path, q)};
    readme_row(r, 3, cells);
  }
  readme_puts(r, "\n");
}

/* README.md beside the values: how to install them, and the Secrets the
 * release reads, by name and key; never a secret's value. */
void helm_readme(const struct model *m, struct hv *h, struct emit_ctx *ctx) {
  const struct m_estate *e = &m->e;
  const char *chart = e->chart_version.set ? e->chart_version.v : "";
  struct arena *a = h->a;
  struct readme r;
  readme_begin(&r, a, m);
  readme_printf(&r, "Camunda 8.%d on Kubernetes, with Camunda's `camunda-platform` Helm chart %s,\n"
                    "release `%s` in namespace `%s`.\n\n",
                m->minor, chart, e->release.v, e->namespace.v);
  if (h->secrets.len)
    secrets_step(&r, h);
  readme_step(&r, "Install or upgrade");
  /* every value in a command is one shell word, whatever lowering let through */
  const char *release = name_shell_word(a, e->release.v), *version = name_shell_word(a, chart);
  readme_puts(&r, "```sh\nhelm repo add camunda https://helm.camunda.io\nhelm repo update\n");
  if (e->orchestration.region.v.len == 0)
    readme_printf(&r, "helm upgrade --install %s camunda/camunda-platform --version %s \\\n"
                      "  --namespace %s --create-namespace -f values.yaml\n",
                  release, version, name_shell_word(a, e->namespace.v));
  for (size_t i = 0; i < e->orchestration.region.v.len; i++) {
    const struct m_region *rg = e->orchestration.region.v.items[i];
    readme_printf(&r, "# region %s, in its own Kubernetes cluster\n"
                      "helm upgrade --install %s camunda/camunda-platform --version %s \\\n"
                      "  --namespace %s --create-namespace -f values.yaml -f %s\n",
                  name_shell_word(a, rg->meta.label), release, version,
                  name_shell_word(a, helm_region_namespace(m, rg)),
                  name_shell_word(a, arena_printf(a, "values-region-%lld.yaml", (long long)rg->id.v)));
  }
  readme_puts(&r, "```\n");
  struct buf b;
  readme_finish(&r, &b);
  emit_file(ctx, "README.md", &b, 0644);
}
