/* project.c - the Compose project being built: its name, services, host
 * ports, named volumes, network, mounted configuration files and the
 * variables of .env.  Every value that comes from the estate is escaped
 * from Compose's interpolation ($ -> $$); only the image versions are
 * ${VAR} references into .env. */
#include <inttypes.h>
#include <string.h>

#include "compose_int.h"

/* Compose project names: lower-case letters, digits, '-' and '_', starting
 * with a letter or digit. */
static const char *project_name(struct arena *a, const struct model *m) {
  const char *label = m->e.meta.label ? m->e.meta.label : "camunda";
  char *s = arena_printf(a, "%s-%s", label, m->env);
  for (char *p = s; *p; p++) {
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
    else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
      *p = '-';
  }
  return s[0] == '-' || s[0] == '_' ? arena_printf(a, "c%s", s) : s;
}

void compose_init(struct compose *c, struct arena *a, const struct model *m, struct diags *d) {
  memset(c, 0, sizeof *c);
  c->a = a;
  c->m = m;
  c->d = d;
  c->doc = y_map(a);
  y_set(a, c->doc, "name", y_str(a, project_name(a, m)));
  c->services = y_map(a);
  y_set(a, c->doc, "services", c->services);
  c->volumes = y_map(a);
  y_set(a, c->doc, "volumes", c->volumes);
  y_set(a, c->doc, "networks." COMPOSE_NETWORK ".driver", y_str(a, "bridge"));
}

/* The keys of a service in the order they are written; those a service
 * does not use are removed by compose_finish. */
struct ynode *compose_service(struct compose *c, const char *name, const char *image) {
  struct arena *a = c->a;
  struct ynode *s = y_map(a);
  y_set(a, s, "image", y_str(a, image));
  static const char *const maps[] = {"user",    "entrypoint",  "command", "ports",   "environment", "env_file",
                                     "restart", "healthcheck", "deploy",  "volumes", "networks",    "depends_on"};
  for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
    y_set(a, s, maps[i], y_map(a));
  y_set(a, s, "restart", y_str(a, "on-failure"));
  y_set(a, s, "networks", y_seq(a));
  y_push(a, y_get(s, "networks"), y_str(a, COMPOSE_NETWORK));
  y_put(a, c->services, name, s);
  return s;
}

/* A list-valued key of a service, made a list on first use. */
static struct ynode *seq_at(struct compose *c, struct ynode *svc, const char *key) {
  struct ynode *n = y_get(svc, key);
  if (!n || n->kind != Y_SEQ) {
    n = y_seq(c->a);
    y_set(c->a, svc, key, n);
  }
  return n;
}

static bool empty(const struct ynode *n) {
  return (n->kind == Y_MAP && n->keys.len == 0) || (n->kind == Y_SEQ && n->items.len == 0);
}

void compose_finish(struct compose *c) {
  for (size_t i = 0; i < c->services->items.len; i++) {
    struct ynode *s = c->services->items.items[i];
    size_t out = 0;
    for (size_t k = 0; k < s->keys.len; k++) {
      if (empty(s->items.items[k]))
        continue;
      s->keys.items[out] = s->keys.items[k];
      s->items.items[out++] = s->items.items[k];
    }
    s->keys.len = s->items.len = out;
  }
  if (c->volumes->keys.len == 0)
    y_remove(c->doc, "volumes");
}

const char *compose_escape(struct arena *a, const char *s) {
  struct buf b = {0};
  for (const char *p = s ? s : ""; *p; p++) {
    buf_append(&b, p, 1);
    if (*p == '$')
      buf_append(&b, "$", 1);
  }
  const char *r = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

void compose_setting(struct compose *c, const char *name, const char *value, const char *comment) {
  for (size_t i = 0; i < c->env.len; i++) {
    const struct compose_var *v = c->env.items[i];
    if (strcmp(v->name, name) == 0)
      return;
  }
  struct compose_var *v = arena_alloc(c->a, sizeof *v);
  *v = (struct compose_var){name, value, comment};
  vec_push(c->a, &c->env, v);
}

const char *compose_image(struct compose *c, const struct m_image *img, const char *registry, const char *repository,
                          const char *var, const char *tag) {
  const struct m_images *all = &c->m->e.images;
  const char *reg = img->registry.set ? img->registry.v : all->registry.set ? all->registry.v : registry;
  const char *repo = img->repository.set ? img->repository.v : repository;
  const char *name = reg && *reg ? arena_printf(c->a, "%s/%s", reg, repo) : repo;
  if (img->digest.set)
    return arena_printf(c->a, "%s@%s", name, img->digest.v);
  const char *t = img->tag.set ? img->tag.v : tag;  /* none: refused by compose_check */
  compose_setting(c, var, t ? t : "", arena_printf(c->a, "image tag of %s", repo));
  return arena_printf(c->a, "%s:${%s}", name, var);
}

void compose_port(struct compose *c, struct ynode *svc, const char *service, int64_t host, int64_t container,
                  struct span at) {
  struct span where = span_or(at, c->m->env_at);
  if (host < 1 || host > 65535) {
    backend_refused(c->d, where, NULL, "`%s` would publish host port %" PRId64 ", outside 1-65535", service, host);
    return;
  }
  for (size_t i = 0; i < c->ports.len; i++) {
    const struct compose_port *p = c->ports.items[i];
    if (p->port == host) {
      backend_refused(c->d, where, "give one of them another port",
                      "host port %" PRId64 " would be published by both `%s` and `%s`", host, p->service, service);
      return;
    }
  }
  struct compose_port *p = arena_alloc(c->a, sizeof *p);
  *p = (struct compose_port){host, service};
  vec_push(c->a, &c->ports, p);
  y_push(c->a, seq_at(c, svc, "ports"),
         y_str(c->a, arena_printf(c->a, "%s:%" PRId64 ":%" PRId64, c->m->e.docker.bind.v, host, container)));
}

struct ynode *compose_argv(struct arena *a, const char *const *argv) {
  struct ynode *s = y_seq(a);
  for (; *argv; argv++)
    y_push(a, s, y_str(a, *argv));
  return s;
}

void compose_health(struct compose *c, struct ynode *svc, struct ynode *test, const char *interval, const char *timeout,
                    int64_t retries, const char *start_period) {
  struct arena *a = c->a;
  struct ynode *h = y_map(a);
  y_set(a, h, "test", test);
  y_set(a, h, "interval", y_str(a, interval));
  y_set(a, h, "timeout", y_str(a, timeout));
  y_set(a, h, "retries", y_int(a, retries));
  y_set(a, h, "start_period", y_str(a, start_period));
  y_set(a, svc, "healthcheck", h);
}

void compose_after(struct compose *c, struct ynode *svc, const char *other, const char *condition) {
  struct ynode *deps = y_get(svc, "depends_on");
  struct ynode *d = y_map(c->a);
  y_set(c->a, d, "condition", y_str(c->a, condition));
  y_put(c->a, deps, other, d);
}

void compose_volume(struct compose *c, struct ynode *svc, const char *volume, const char *path) {
  if (!y_get(c->volumes, volume))
    y_set(c->a, c->volumes, arena_printf(c->a, "%s.driver", volume), y_str(c->a, "local"));
  y_push(c->a, seq_at(c, svc, "volumes"), y_str(c->a, arena_printf(c->a, "%s:%s", volume, path)));
}

void compose_config(struct compose *c, struct ynode *svc, const char *file, const char *target, struct ynode *doc,
                    const char *comment) {
  bool known = false;
  for (size_t i = 0; i < c->files.len && !known; i++)
    known = strcmp(((const struct compose_file *)c->files.items[i])->name, file) == 0;
  if (!known) {
    struct compose_file *f = arena_alloc(c->a, sizeof *f);
    *f = (struct compose_file){file, doc, comment};
    vec_push(c->a, &c->files, f);
  }
  y_push(c->a, seq_at(c, svc, "volumes"), y_str(c->a, arena_printf(c->a, "./%s:%s:ro", file, target)));
}

void compose_env(struct compose *c, struct ynode *svc, const char *name, const char *value) {
  y_put(c->a, y_get(svc, "environment"), name, y_str(c->a, compose_escape(c->a, value)));
}

void compose_env_ref(struct compose *c, struct ynode *svc, const char *name, const char *var) {
  y_put(c->a, y_get(svc, "environment"), name, y_str(c->a, arena_printf(c->a, "${%s}", var)));
}

/* 500 millicores -> "0.5"; 2000 -> "2". */
static const char *cpus(struct arena *a, int64_t millis) {
  if (millis % 1000 == 0)
    return arena_printf(a, "%" PRId64, millis / 1000);
  char *s = arena_printf(a, "%" PRId64 ".%03" PRId64, millis / 1000, millis % 1000);
  size_t n = strlen(s);
  while (s[n - 1] == '0')
    s[--n] = '\0';
  return s;
}

/* Compose's byte values: k, m and g are powers of 1024. */
static const char *bytes(struct arena *a, int64_t b) {
  static const char units[] = "kmg";
  int u = -1;
  while (u < 2 && b != 0 && b % 1024 == 0) {
    b /= 1024;
    u++;
  }
  return u < 0 ? arena_printf(a, "%" PRId64 "b", b) : arena_printf(a, "%" PRId64 "%c", b, units[u]);
}

void compose_resources(struct compose *c, struct ynode *svc, const struct m_resources *r) {
  struct arena *a = c->a;
  struct ynode *d = y_get(svc, "deploy");
  if (r->cpu_limit.set)
    y_set(a, d, "resources.limits.cpus", y_str(a, cpus(a, r->cpu_limit.v)));
  if (r->memory_limit.set || r->memory.set)
    y_set(a, d, "resources.limits.memory", y_str(a, bytes(a, r->memory_limit.set ? r->memory_limit.v : r->memory.v)));
  if (r->cpu.set)
    y_set(a, d, "resources.reservations.cpus", y_str(a, cpus(a, r->cpu.v)));
  if (r->memory.set)
    y_set(a, d, "resources.reservations.memory", y_str(a, bytes(a, r->memory.v)));
}
