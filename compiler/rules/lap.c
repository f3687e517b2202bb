/* rules/lap.c - a developer's computer without containers (Camunda 8 Run). */
#include "rules.h"

/* LAP001: Camunda 8 Run is for local development (production profiles only). */
void rule_LAP001(struct sema *s) {
  if (!on_place(s, M_place_laptop))
    return;
  struct diag *g = report(s, R_LAP001, &s->e->meta, at_or(s->e->target.at, &s->e->meta),
                          "Camunda 8 Run is not supported for production use");
  if (span_known(s->e->profile.at))
    note(s, g, s->e->profile.at, "profile = %s here", s->e->profile.v);
  help(s, g, "deploy production with target = %s; keep target = %s for local development",
       model_place_targets(s->a, model_place_bit(M_place_kubernetes) | model_place_bit(M_place_machines)), model_enum_name(s->e->target.v));
}

/* LAP002: one broker, each partition once. */
void rule_LAP002(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (!on_place(s, M_place_laptop))
    return;
  if (o->brokers.v > 1) {
    struct diag *g = report(s, R_LAP002, &o->meta, at_or(o->brokers.at, &o->meta),
                            "brokers = %lld: Camunda 8 Run runs one broker", (long long)o->brokers.v);
    help(s, g, "brokers = 1 in this environment");
  }
  if (o->replication.v > 1) {
    struct diag *g = report(s, R_LAP002, &o->meta, at_or(o->replication.at, &o->meta),
                            "replication = %lld: Camunda 8 Run's one broker holds each partition once",
                            (long long)o->replication.v);
    help(s, g, "replication = 1 in this environment");
  }
}

/* LAP003: no zones, one region. */
void rule_LAP003(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (!on_place(s, M_place_laptop))
    return;
  if (o->zones.v.len) {
    struct diag *g = report(s, R_LAP003, &o->meta, o->zones.at, "zones = [\"%s\"%s]: Camunda 8 Run runs on one computer",
                            (const char *)o->zones.v.items[0], o->zones.v.len > 1 ? ", ..." : "");
    help(s, g, "zones = [] in this environment");
  }
  if (o->region.v.len) {
    struct diag *g = report(s, R_LAP003, &o->meta, o->region.at,
                            "%zu region blocks: Camunda 8 Run runs one cluster in one place", o->region.v.len);
    help(s, g, "leave the region blocks to the environments on Kubernetes (target = %s)",
         model_place_targets(s->a, model_place_bit(M_place_kubernetes)));
  }
}

/* LAP004: only the Orchestration Cluster and Connectors. */
void rule_LAP004(struct sema *s) {
  if (!on_place(s, M_place_laptop))
    return;
  const struct m_estate *e = s->e;
  const struct meta *parts[] = {&e->optimize.meta, &e->web_modeler.meta, &e->console.meta,
                                &e->management_identity.meta};
  static const char *const names[] = {"optimize", "web_modeler", "console", "management_identity"};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (!parts[i]->present)
      continue;
    struct diag *g = report(s, R_LAP004, parts[i], parts[i]->at, "%s: Camunda 8 Run does not include it", names[i]);
    help(s, g, "disable it in this environment: %s { enabled = false }, and run it with target = %s", names[i],
         model_place_targets(s->a, model_place_bit(M_place_docker) | model_place_bit(M_place_kubernetes)));
  }
}

/* LAP005: the cluster's own users, not OIDC. */
void rule_LAP005(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  if (!on_place(s, M_place_laptop) || id->method.v != M_auth_method_oidc)
    return;
  struct diag *g = report(s, R_LAP005, &id->meta, at_or(id->method.at, &id->meta),
                          "method = oidc: Camunda 8 Run does not include OIDC");
  help(s, g, "method = basic with initial users (identity { user \"...\" { ... } }), or none, in this environment");
}

/* LAP006: a store Camunda 8 Run bundles, or one at a url. */
void rule_LAP006(struct sema *s) {
  const struct m_storage *st = &s->e->orchestration.storage;
  if (!on_place(s, M_place_laptop) || st->url.set)
    return;
  int kind = st->meta.kind;
  const char *bundles = s->m->minor == 8 ? "Camunda 8 Run 8.8 bundles Elasticsearch only"
                                         : "Camunda 8 Run 8.9 bundles H2 only";
  if (kind == M_storage_kind_elasticsearch && s->m->minor != 8) {
    struct diag *g = report(s, R_LAP006, &st->meta, st->meta.at, "storage = elasticsearch without a url: %s", bundles);
    help(s, g, "storage = h2 (Camunda 8 Run's default), or elasticsearch { url = \"http://localhost:9200\" } for one "
               "you run yourself");
  } else if (kind == M_storage_kind_opensearch || kind == M_storage_kind_rdbms) {
    struct diag *g = report(s, R_LAP006, &st->meta, st->meta.at, "storage = %s without a url: %s",
                            model_enum_name(kind), bundles);
    help(s, g, "give the url of the %s you run yourself%s", kind == M_storage_kind_rdbms ? "database" : "OpenSearch",
         s->m->minor == 8 ? ", or use storage = elasticsearch" : ", or use storage = h2");
  }
}
