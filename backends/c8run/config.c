/* config.c - application.yaml, the Spring configuration `c8run start
 * --config` adds after Camunda 8 Run's own configuration/application.yaml
 * (so its keys win).  Nested YAML with kebab-case keys, the unified keys
 * of Camunda 8.8 and 8.9 (camunda.security.*, camunda.data.*,
 * camunda.cluster.*): the authentication of the cluster and its initial
 * users, the secondary storage, the partitions and the threads.  What
 * the estate leaves at Camunda's defaults is not written, and secrets are
 * ${VAR} placeholders of camarch.env.  The file reaches the Orchestration
 * Cluster only: Connectors get their settings from camarch.env. */
#include <string.h>

#include "access.h"
#include "c8run_int.h"

const struct m_user *c8run_connectors_login(const struct model *m) {
  if (!m->e.connectors.meta.present || m->e.identity.method.v != M_auth_method_basic)
    return NULL;
  return appenv_connectors_user(m);
}

bool c8run_bundled_elasticsearch(const struct model *m) {
  const struct m_storage *s = &m->e.orchestration.storage;
  return m->minor == 8 && s->meta.kind == M_storage_kind_elasticsearch && !s->url.set;
}

static void cluster(struct c8 *c, struct ynode *doc) {
  struct arena *a = c->a;
  const struct m_orchestration *o = &c->m->e.orchestration;
  y_set(a, doc, "camunda.cluster.partition-count", y_int(a, o->partitions.v));
  if (o->cpu_threads.set)
    y_set(a, doc, "camunda.system.cpu-thread-count", y_int(a, o->cpu_threads.v));
  if (o->io_threads.set)
    y_set(a, doc, "camunda.system.io-thread-count", y_int(a, o->io_threads.v));
}

/* The estate's users replace Camunda 8 Run's demo user (Spring does not
 * merge lists), with their admin and connectors roles. */
static void users(struct c8 *c, struct ynode *doc) {
  struct arena *a = c->a;
  const struct m_list *list = &c->m->e.identity.user;
  if (!list->v.len)
    return;
  struct ynode *seq = y_seq(a), *roles[ROLE_COUNT];
  for (int r = 0; r < ROLE_COUNT; r++)
    roles[r] = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    struct ynode *y = y_map(a);
    y_set(a, y, "username", y_str(a, u->meta.label));
    if (u->password.set)
      y_set(a, y, "password",
            y_str(a, c8run_spring_value(c, &u->password, "password",
                                        arena_printf(a, "orchestration: password of user \"%s\"", u->meta.label))));
    if (u->name.set)
      y_set(a, y, "name", y_str(a, u->name.v));
    if (u->email.set)
      y_set(a, y, "email", y_str(a, u->email.v));
    y_push(a, seq, y);
    for (int r = 0; r < ROLE_COUNT; r++)
      if (camunda_has_role(u, (enum camunda_role)r))
        y_push(a, roles[r], y_str(a, u->meta.label));
  }
  y_set(a, doc, "camunda.security.initialization.users", seq);
  for (int r = 0; r < ROLE_COUNT; r++)
    if (roles[r]->items.len)
      y_set(a, doc,
            arena_printf(a, "camunda.security.initialization.default-roles.%s.users",
                         camunda_role_name((enum camunda_role)r)),
            roles[r]);
}

/* none: the unprotected API, as Camunda 8 Run ships (the web applications
 * still log in); basic: the protected API and the estate's authorizations.
 * OIDC is refused (LAP005). */
static void security(struct c8 *c, struct ynode *doc) {
  struct arena *a = c->a;
  const struct m_identity *id = &c->m->e.identity;
  bool open = id->method.v != M_auth_method_basic;
  y_set(a, doc, "camunda.security.authentication.method", y_str(a, "basic"));
  y_set(a, doc, "camunda.security.authentication.unprotected-api", y_bool(a, open));
  y_set(a, doc, "camunda.security.authorizations.enabled", y_bool(a, !open && id->authorizations.v));
  if (id->multi_tenancy.v) {
    y_set(a, doc, "camunda.security.multi-tenancy.checks-enabled", y_bool(a, true));
    y_set(a, doc, "camunda.security.multi-tenancy.api-enabled", y_bool(a, true));
  }
  users(c, doc);
  access_into_spring(c->a, c->m, doc, "camunda.security.initialization", "default-roles");
}

/* camunda.data.secondary-storage: 8.8's bundled Elasticsearch (at
 * localhost:9200), an external Elasticsearch or OpenSearch, 8.9's H2 file
 * database or an external relational database, or none. */
static void storage(struct c8 *c, struct ynode *doc) {
  struct arena *a = c->a;
  const struct m_storage *s = &c->m->e.orchestration.storage;
  const char *base = "camunda.data.secondary-storage";
  const char *use = "orchestration: password of the secondary storage";
  int kind = s->meta.kind;
  if (kind == M_storage_kind_none) {
    y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, "none"));
    return;
  }
  if (kind == M_storage_kind_h2 || kind == M_storage_kind_rdbms) {
    bool h2 = kind == M_storage_kind_h2;
    y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, "rdbms"));
    y_set(a, doc, arena_printf(a, "%s.rdbms.url", base), y_str(a, s->url.set ? s->url.v : C8RUN_H2_URL));
    if (s->username.set || h2)
      y_set(a, doc, arena_printf(a, "%s.rdbms.username", base), y_str(a, s->username.set ? s->username.v : "sa"));
    if (s->password.set || h2)
      y_set(a, doc, arena_printf(a, "%s.rdbms.password", base),
            y_str(a, s->password.set ? c8run_spring_value(c, &s->password, "password", use) : ""));
    return;
  }
  const char *type = model_enum_name(kind);
  y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, type));
  y_set(a, doc, arena_printf(a, "%s.%s.url", base, type), y_str(a, s->url.set ? s->url.v : "http://localhost:9200"));
  if (s->username.set)
    y_set(a, doc, arena_printf(a, "%s.%s.username", base, type), y_str(a, s->username.v));
  if (s->password.set)
    y_set(a, doc, arena_printf(a, "%s.%s.password", base, type), y_str(a, c8run_spring_value(c, &s->password, "password", use)));
  if (s->index_prefix.set)
    y_set(a, doc, arena_printf(a, "%s.%s.index-prefix", base, type), y_str(a, s->index_prefix.v));
}

struct ynode *c8run_config(struct c8 *c) {
  struct ynode *doc = y_map(c->a);
  cluster(c, doc);
  security(c, doc);
  storage(c, doc);
  return doc;
}
