/* rules/ss.c - secondary storage. */
#include <inttypes.h>

#include "rules.h"

/* db.c: how many supported versions of a relational database are newer
 * than `version` under Camunda 8.9's RDBMS policy (0: the newest), or -1
 * when the version is not supported or cannot be read; *name is the
 * database's name, *latest its latest two versions ("17 or 18"). */

static const struct m_storage *store(const struct sema *s) { return &s->e->orchestration.storage; }

static int kind(const struct sema *s) { return store(s)->meta.kind; }

static bool search_store(int k) { return k == M_storage_kind_elasticsearch || k == M_storage_kind_opensearch; }

/* storage = h2, or rdbms with vendor = h2 */
static bool is_h2(const struct m_storage *st) {
  return st->meta.kind == M_storage_kind_h2 || (st->meta.kind == M_storage_kind_rdbms && st->vendor.v == M_db_kind_h2);
}

/* SS001: rdbms and h2 need Camunda 8.9. */
void rule_SS001(struct sema *s) {
  const struct m_storage *st = store(s);
  if (s->m->minor != 8 || (st->meta.kind != M_storage_kind_rdbms && st->meta.kind != M_storage_kind_h2))
    return;
  if (on_place(s, M_place_kubernetes) && st->meta.kind == M_storage_kind_rdbms)
    return;  /* the chart has no RDBMS on 8.8: the backend refuses it already (TGT002) */
  struct diag *g = report(s, R_SS001, &st->meta, st->meta.at, "%s secondary storage needs Camunda 8.9",
                          model_enum_name(st->meta.kind));
  note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.8");
  help(s, g, "on 8.8 use elasticsearch or opensearch, or move to version = \"8.9\"");
}

/* SS002: H2 only for one broker outside production. */
void rule_SS002(struct sema *s) {
  const struct m_storage *st = store(s);
  const struct m_orchestration *o = &s->e->orchestration;
  bool several = o->brokers.v > 1;
  if (!is_h2(st) || (!several && !s->production))
    return;
  struct span at = st->meta.kind == M_storage_kind_h2 ? st->meta.at : at_or(st->vendor.at, &st->meta);
  struct diag *g;
  if (several) {
    g = report(s, R_SS002, &st->meta, at, "H2 cannot serve a cluster of %" PRId64 " brokers", o->brokers.v);
    note(s, g, at_or(o->brokers.at, &o->meta), "brokers = %" PRId64 " here", o->brokers.v);
  } else {
    g = report(s, R_SS002, &st->meta, at, "H2 is for development, testing and evaluation, not production");
  }
  help(s, g, "use a production database: rdbms { vendor = postgres, url = \"jdbc:postgresql://...\" }");
}

/* SS003: the chart knows elasticsearch, opensearch and rdbms (8.8: SS001). */
void rule_SS003(struct sema *s) {
  const struct m_storage *st = store(s);
  if (!on_place(s, M_place_kubernetes) || s->m->minor != 9 || st->meta.kind != M_storage_kind_h2)
    return;
  struct diag *g = report(s, R_SS003, &st->meta, st->meta.at,
                          "the camunda-platform chart has no h2 secondary storage");
  help(s, g, "the chart takes elasticsearch, opensearch or rdbms (or storage = none); H2 runs with target = %s",
       model_place_targets(s->a, model_place_bit(M_place_docker) | model_place_bit(M_place_laptop)));
}

/* SS005: chart 13 refuses basic authentication without secondary storage.
 * Its check reads the authentication method the cluster resolves
 * (orchestration's, else global.security.authentication.method, basic by
 * default), so the unprotected API of method = none, which keeps basic,
 * is refused as well. */
void rule_SS005(struct sema *s) {
  const struct m_storage *st = store(s);
  const struct m_identity *id = &s->e->identity;
  if (!on_place(s, M_place_kubernetes) || s->m->minor != 8 || st->meta.kind != M_storage_kind_none ||
      id->method.v == M_auth_method_oidc)
    return;
  bool given = span_known(id->method.at);
  struct diag *g;
  if (id->method.v == M_auth_method_none) {
    g = report(s, R_SS005, &st->meta, st->meta.at,
               "Camunda 8.8 does not support an unprotected API without secondary storage: the chart keeps basic "
               "authentication for it");
    note(s, g, id->method.at, "method = none here");
  } else {
    g = report(s, R_SS005, &st->meta, st->meta.at,
               "Camunda 8.8 does not support basic authentication%s without secondary storage",
               given ? "" : " (the default)");
    if (given)
      note(s, g, id->method.at, "method = basic here");
  }
  help(s, g, "use identity { method = oidc }, or give the cluster a secondary storage");
}

/* SS006: engine-only mode. */
void rule_SS006(struct sema *s) {
  const struct m_storage *st = store(s);
  if (st->meta.kind != M_storage_kind_none)
    return;
  struct diag *g = report(s, R_SS006, &st->meta, st->meta.at,
                          "storage = none runs the engine only: no Operate, Tasklist, Identity UI or Optimize, "
                          "and the search APIs answer 403");
  help(s, g, "contact Camunda before adopting engine-only mode, or give the cluster a secondary storage");
}

/* The family of a storage kind: 0 Elasticsearch, 1 OpenSearch, 2 relational, -1 none. */
static int family(int k) {
  switch (k) {
  case M_storage_kind_elasticsearch: return 0;
  case M_storage_kind_opensearch: return 1;
  case M_storage_kind_rdbms: case M_storage_kind_h2: return 2;
  default: return -1;
  }
}

/* SS009: an installation keeps its storage family. */
void rule_SS009(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  const struct m_storage *st = store(s);
  if (!u->meta.present || !u->storage.set)
    return;
  int from = family(u->storage.v), to = family(st->meta.kind);
  if (from < 0 || to < 0 || from == to)
    return;
  struct diag *g = report(s, R_SS009, &st->meta, st->meta.at,
                          "secondary storage changes from %s to %s: an installation cannot be migrated between them",
                          model_enum_name(u->storage.v), model_enum_name(st->meta.kind));
  note(s, g, u->storage.at, "the running installation uses %s", model_enum_name(u->storage.v));
  help(s, g, "keep storage = %s; another storage family means a new installation", model_enum_name(u->storage.v));
}

/* SS010: no OR1 instances. */
void rule_SS010(struct sema *s) {
  const struct m_storage *st = store(s);
  if (st->meta.kind != M_storage_kind_opensearch || !st->aws_or1.v)
    return;
  struct diag *g = report(s, R_SS010, &st->meta, at_or(st->aws_or1.at, &st->meta),
                          "Amazon OpenSearch on OR1 instances is not supported");
  help(s, g, "use another instance family for the OpenSearch domain");
}

/* A component database without a url: bundled by the chart (PostgreSQL only). */
static bool bundled_db(const struct m_database *d) {
  return d->meta.present && d->meta.kind == M_db_kind_postgres && !d->url.set;
}

static void bundled(struct sema *s, const struct meta *owner, struct span at, const char *what, const char *fix) {
  struct diag *g = report(s, R_SS012, owner, at, "%s is bundled in the installation: production wants an externally "
                          "managed database", what);
  if (s->m->minor == 9)
    note(s, g, (struct span){0}, "the chart's Bitnami subcharts are deprecated in 8.9 and removed in 8.10");
  help(s, g, "%s", fix);
}

/* SS012: production databases managed outside the chart. */
void rule_SS012(struct sema *s) {
  if (!on_place(s, M_place_kubernetes))
    return;
  const struct m_storage *st = store(s);
  if (st->meta.kind == M_storage_kind_elasticsearch && !st->url.set)
    bundled(s, &st->meta, st->meta.at, "Elasticsearch", "use an external cluster: elasticsearch { url = \"https://...\" }");
  const struct m_management_identity *mi = &s->e->management_identity;
  if (mi->meta.present) {
    const struct m_keycloak *kc = &mi->keycloak;
    if (mi->provider.v == M_mi_provider_keycloak && !kc->url.set && bundled_db(&kc->database))
      bundled(s, &kc->database.meta, kc->database.meta.at, "Keycloak's PostgreSQL",
              "give Keycloak's database a url: database = postgres { url = \"jdbc:postgresql://...\" }");
    if (bundled_db(&mi->database))
      bundled(s, &mi->database.meta, mi->database.meta.at, "Management Identity's PostgreSQL",
              "give the database a url: database = postgres { url = \"jdbc:postgresql://...\" }");
  }
  const struct m_web_modeler *wm = &s->e->web_modeler;
  if (wm->meta.present && bundled_db(&wm->database))
    bundled(s, &wm->database.meta, wm->database.meta.at, "Web Modeler's PostgreSQL",
            "give the database a url: database = postgres { url = \"jdbc:postgresql://...\" }");
}

/* SS013: index replicas on a store of several nodes. */
void rule_SS013(struct sema *s) {
  const struct m_storage *st = store(s);
  if (!search_store(st->meta.kind) || !st->index_replicas.set || st->index_replicas.v > 0)
    return;
  int64_t nodes = st->nodes.set ? st->nodes.v
                  : st->meta.kind == M_storage_kind_elasticsearch && !st->url.set && on_place(s, M_place_kubernetes) ? 3
                                                                                                                  : 0;
  if (nodes < 2)
    return;
  struct diag *g = report(s, R_SS013, &st->meta, st->index_replicas.at,
                          "index_replicas = 0 on %" PRId64 " nodes: losing a node loses indices", nodes);
  if (st->nodes.set)
    note(s, g, st->nodes.at, "nodes = %" PRId64 " here", nodes);
  else
    note(s, g, (struct span){0}, "the chart's bundled Elasticsearch runs 3 nodes");
  help(s, g, "set index_replicas = 1 (and plan for about twice the disk)");
}

/* SS014: secondary storage on SSD. */
void rule_SS014(struct sema *s) {
  const struct m_storage *st = store(s);
  if (family(st->meta.kind) < 0 || st->disk_media.v != M_disk_media_hdd)
    return;
  struct diag *g = report(s, R_SS014, &st->meta, at_or(st->disk_media.at, &st->meta),
                          "the %s store's data is on HDD", model_enum_name(st->meta.kind));
  help(s, g, "put the store on SSDs: disk_media = ssd");
}

/* SS015: Oracle and MySQL need a driver supplied. */
void rule_SS015(struct sema *s) {
  const struct m_storage *st = store(s);
  int v = st->vendor.v;
  if (st->meta.kind != M_storage_kind_rdbms || (v != M_db_kind_oracle && v != M_db_kind_mysql) || st->jdbc_driver.v)
    return;
  struct diag *g = report(s, R_SS015, &st->meta, at_or(st->vendor.at, &st->meta),
                          "Camunda ships no %s JDBC driver", v == M_db_kind_oracle ? "Oracle" : "MySQL");
  help(s, g, "supply the driver (%s) and set jdbc_driver = true",
       v == M_db_kind_oracle ? "com.oracle.database.jdbc:ojdbc*" : "com.mysql:mysql-connector-j");
}

/* SS016: new relational stores on one of the latest two versions. */
void rule_SS016(struct sema *s) {
  const struct m_storage *st = store(s);
  if (s->m->minor != 9 || !st->version.set || s->e->upgrade.meta.present)
    return;
  int vendor = kind(s) == M_storage_kind_h2 ? M_db_kind_h2 : kind(s) == M_storage_kind_rdbms ? st->vendor.v : -1;
  const char *name = "", *latest = "";
  int newer = vendor < 0 ? -1 : db_rdbms_newer(s, vendor, st->version.v, &name, &latest);
  if (newer < 2)
    return;
  struct diag *g = report(s, R_SS016, &st->meta, st->version.at,
                          "%s %s is supported, but new deployments should use one of its latest two versions", name,
                          st->version.v);
  help(s, g, "start on %s %s", name, latest);
}
