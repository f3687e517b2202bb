/* rules/dr.c - multi-region (dual-region). */
#include <inttypes.h>
#include <string.h>

#include "rules.h"

static const struct m_orchestration *orch(const struct sema *s) { return &s->e->orchestration; }

static const struct m_region *region(const struct sema *s, size_t i) { return orch(s)->region.v.items[i]; }

/* Exactly two region blocks: the estate the dual-region rules are about. */
static bool dual(const struct sema *s) { return orch(s)->region.v.len == 2; }

/* Points at the region blocks that make the estate dual-region. */
static void dual_note(struct sema *s, struct diag *g) {
  const struct m_orchestration *o = orch(s);
  note(s, g, at_or(o->region.at, &o->meta), "dual-region: region \"%s\" and region \"%s\"", region(s, 0)->meta.label,
       region(s, 1)->meta.label);
}

/* DR001: no region blocks, or exactly two. */
void rule_DR001(struct sema *s) {
  const struct m_list *regions = &orch(s)->region;
  if (regions->v.len == 0 || regions->v.len == 2)
    return;
  if (regions->v.len == 1) {
    const struct m_region *r = region(s, 0);
    struct diag *g = report(s, R_DR001, &r->meta, r->meta.at, "one region block: a dual-region estate has exactly two");
    help(s, g, "add the second region (id = %d), or remove region \"%s\" for a single-region estate", r->id.v ? 0 : 1,
         r->meta.label);
    return;
  }
  const struct m_region *r = region(s, 2);
  struct diag *g = report(s, R_DR001, &r->meta, r->meta.at,
                          "%zu regions: Camunda's multi-region configuration has exactly two", regions->v.len);
  note(s, g, region(s, 0)->meta.at, "region \"%s\" and region \"%s\" make a dual-region estate", region(s, 0)->meta.label,
       region(s, 1)->meta.label);
  help(s, g, "keep two regions: remove region \"%s\"%s", r->meta.label, regions->v.len > 3 ? " and the ones after it" : "");
}

/* DR002: an even broker count of at least four. */
void rule_DR002(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  int64_t n = o->brokers.v;
  if (!dual(s) || (n % 2 == 0 && n >= 4))
    return;
  const char *why = n < 4 && n % 2   ? "dual-region needs an even number of brokers, at least four"
                    : n < 4          ? "dual-region needs at least four brokers, two in each region"
                                     : arena_printf(s->a, "the regions would hold %" PRId64 " and %" PRId64 " brokers",
                                                    n / 2 + 1, n / 2);
  struct diag *g = report(s, R_DR002, &o->meta, at_or(o->brokers.at, &o->meta), "brokers = %" PRId64 ": %s", n, why);
  dual_note(s, g);
  help(s, g, "set brokers = %" PRId64 ", the same number in each region", n < 4 ? 4 : n + 1);
}

/* DR003: replication = 4 in dual-region. */
void rule_DR003(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (!dual(s) || o->replication.v == 4)
    return;
  struct diag *g = report(s, R_DR003, &o->meta, at_or(o->replication.at, &o->meta),
                          "replication = %" PRId64 ": dual-region needs replication = 4, two copies in each region",
                          o->replication.v);
  dual_note(s, g);
  help(s, g, "set replication = 4");
}

/* DR005: the two regions have ids 0 and 1. */
void rule_DR005(struct sema *s) {
  if (!dual(s))
    return;
  const struct m_region *a = region(s, 0), *b = region(s, 1);
  if (a->id.v != b->id.v)
    return;
  struct diag *g = report(s, R_DR005, &b->meta, at_or(b->id.at, &b->meta), "region \"%s\" has id %" PRId64 "%s, like region \"%s\"",
                          b->meta.label, b->id.v, span_known(b->id.at) ? "" : " (the default)", a->meta.label);
  note(s, g, at_or(a->id.at, &a->meta), "region \"%s\" has id %" PRId64 " here%s", a->meta.label, a->id.v,
       span_known(a->id.at) ? "" : " (the default)");
  help(s, g, "number the regions 0 and 1: id = %d in region \"%s\"", b->id.v ? 0 : 1, b->meta.label);
}

/* DR009: on 8.9, dual-region only with the Helm chart. */
void rule_DR009(struct sema *s) {
  const struct m_enum *t = &s->e->target;
  if (!dual(s) || s->m->minor < 9 || !t->set || on_place(s, M_place_kubernetes))
    return;
  struct diag *g = report(s, R_DR009, &s->e->meta, at_or(t->at, &s->e->meta),
                          "target = %s: Camunda 8.9 supports dual-region only on Kubernetes with the Helm chart",
                          model_enum_name(t->v));
  dual_note(s, g);
  help(s, g, "deploy with target = %s, one installation in each region's Kubernetes cluster",
       model_place_targets(s->a, model_place_bit(M_place_kubernetes)));
}

/* DR010: Elasticsearch as secondary storage in dual-region. */
void rule_DR010(struct sema *s) {
  const struct m_storage *st = &orch(s)->storage;
  if (!dual(s) || st->meta.kind == M_storage_kind_elasticsearch)
    return;
  const char *what = st->meta.kind == M_storage_kind_opensearch ? (s->m->minor < 9 ? "Amazon OpenSearch" : "OpenSearch")
                     : st->meta.kind == M_storage_kind_rdbms   ? "relational databases"
                     : st->meta.kind == M_storage_kind_h2      ? "H2"
                                                                : NULL;
  const char *why = what ? arena_printf(s->a, "dual-region does not support %s; it", what) : "dual-region";
  struct diag *g = report(s, R_DR010, &st->meta, st->meta.at, "storage = %s: %s needs Elasticsearch, one cluster per region",
                          model_enum_name(st->meta.kind), why);
  dual_note(s, g);
  help(s, g, "use storage = elasticsearch and give each region its elasticsearch_url");
}

/* Reports a component that a dual-region estate cannot have. */
static struct diag *component(struct sema *s, enum rule_id r, const struct meta *m, const char *what) {
  if (!dual(s) || !m->present)
    return NULL;
  struct diag *g = report(s, r, m, m->at, "%s", what);
  dual_note(s, g);
  return g;
}

/* DR011: no Optimize in dual-region. */
void rule_DR011(struct sema *s) {
  struct diag *g = component(s, R_DR011, &s->e->optimize.meta, "Optimize is not supported in a dual-region estate");
  help(s, g, "leave Optimize out of the dual-region environment: optimize { enabled = false }");
}

/* DR012: no Management Identity in dual-region. */
void rule_DR012(struct sema *s) {
  struct diag *g = component(s, R_DR012, &s->e->management_identity.meta,
                             "Management Identity is not available in a dual-region estate");
  help(s, g, "remove management_identity; the Orchestration Cluster's identity block provides users, tenants and "
             "authorizations");
}

/* DR013: Web Modeler and Console outside the dual-region installations. */
void rule_DR013(struct sema *s) {
  struct diag *g = component(s, R_DR013, &s->e->web_modeler.meta,
                             "Web Modeler is not part of a dual-region setup: it is standalone and needs Management Identity");
  help(s, g, "run Web Modeler in an estate of its own, outside the two regions' installations");
  g = component(s, R_DR013, &s->e->console.meta,
                "Console is not part of a dual-region setup: it needs Management Identity");
  help(s, g, "leave Console out of the dual-region environment: console { enabled = false }");
}

/* DR014: Connectors run twice in dual-region. */
void rule_DR014(struct sema *s) {
  struct diag *g = component(s, R_DR014, &s->e->connectors.meta,
                             "a Connectors runtime in each region: inbound connectors need idempotent messages");
  help(s, g, "correlate inbound messages idempotently, and delete processes with inbound connectors through "
             "Operate, in both regions");
}

/* DR015: each region names its own Elasticsearch for the exporter. */
void rule_DR015(struct sema *s) {
  if (!dual(s) || orch(s)->storage.meta.kind != M_storage_kind_elasticsearch)
    return;
  /* without a url, a region exports to the Elasticsearch bundled in it; an
   * external store given once is one cluster for both regions */
  const struct m_storage *st = &orch(s)->storage;
  for (size_t i = 0; i < 2 && st->url.set; i++) {
    const struct m_region *r = region(s, i);
    if (r->elasticsearch_url.set && r->elasticsearch_url.v[0])
      continue;
    struct diag *g = report(s, R_DR015, &r->meta, at_or(r->elasticsearch_url.at, &r->meta),
                            "region \"%s\" has no elasticsearch_url: the brokers export to an Elasticsearch in each region",
                            r->meta.label);
    note(s, g, st->url.at, "the one external Elasticsearch given for both regions");
    help(s, g, "give the region its Elasticsearch: elasticsearch_url = \"http://...:9200\"");
  }
  const struct m_region *a = region(s, 0), *b = region(s, 1);
  if (!a->elasticsearch_url.set || !b->elasticsearch_url.set || !a->elasticsearch_url.v[0] ||
      strcmp(a->elasticsearch_url.v, b->elasticsearch_url.v) != 0)
    return;
  struct diag *g = report(s, R_DR015, &b->meta, b->elasticsearch_url.at,
                          "region \"%s\" exports to the same Elasticsearch as region \"%s\"", b->meta.label, a->meta.label);
  note(s, g, a->elasticsearch_url.at, "region \"%s\" has elasticsearch_url = \"%s\"", a->meta.label, a->elasticsearch_url.v);
  help(s, g, "each region needs its own Elasticsearch cluster: they do not replicate, the brokers write to both");
}

/* A region's namespace: its own, or the estate's. */
static const char *region_ns(const struct sema *s, const struct m_region *r) {
  return r->namespace.set ? r->namespace.v : s->e->namespace.v;
}

/* DR017: the regions install into different namespaces. */
void rule_DR017(struct sema *s) {
  if (!dual(s))
    return;
  const struct m_region *a = region(s, 0), *b = region(s, 1);
  const char *ns = region_ns(s, b);
  if (strcmp(region_ns(s, a), ns) != 0)
    return;
  struct diag *g = report(s, R_DR017, &b->meta, at_or(b->namespace.at, &b->meta),
                          "region \"%s\" and region \"%s\" both install into namespace \"%s\"", b->meta.label,
                          a->meta.label, ns);
  if (a->namespace.set)
    note(s, g, at_or(a->namespace.at, &a->meta), "region \"%s\" has namespace = \"%s\"", a->meta.label, ns);
  else
    note(s, g, at_or(s->e->namespace.at, &a->meta), "region \"%s\" uses the estate's namespace \"%s\"", a->meta.label, ns);
  help(s, g, "give each region its own namespace, e.g. namespace = \"%s-%s\", and keep one release name", ns,
       b->meta.label);
}

/* DR019: at most 100 ms round trip between the regions. */
void rule_DR019(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (!dual(s) || !o->region_rtt.set || o->region_rtt.v <= 100)
    return;
  struct diag *g = report(s, R_DR019, &o->meta, at_or(o->region_rtt.at, &o->meta),
                          "region_rtt = %s: Camunda recommends at most 100ms between the regions",
                          model_format_dur(s->a, o->region_rtt.v));
  help(s, g, "choose regions closer together: every commit waits for the other region");
}

/* Reports one quantity that changes on a running 8.8 dual-region cluster. */
static void scaled(struct sema *s, const char *name, const struct m_int *now, const struct m_int *before) {
  const struct m_orchestration *o = orch(s);
  if (!before->set || now->v == before->v)
    return;
  struct diag *g = report(s, R_DR020, &o->meta, at_or(now->at, &o->meta),
                          "%s changes from %" PRId64 " to %" PRId64 ": Camunda 8.8 cannot scale a dual-region cluster",
                          name, before->v, now->v);
  note(s, g, before->at, "the running cluster has %s = %" PRId64, name, before->v);
  help(s, g, "keep %s = %" PRId64 " on 8.8; Camunda 8.9 supports scaling a dual-region cluster", name, before->v);
}

/* DR020: no cluster scaling in 8.8 dual-region. */
void rule_DR020(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  if (!dual(s) || s->m->minor != 8 || !u->meta.present)
    return;
  scaled(s, "brokers", &orch(s)->brokers, &u->brokers);
  scaled(s, "partitions", &orch(s)->partitions, &u->partitions);
}

/* The version this build deploys: the orchestration image's tag when it names one (as VER007 reads it). */
static const char *deployed_version(const struct sema *s) {
  const struct m_str *tag = &s->e->images.orchestration.tag;
  if (tag->set && !s->e->images.orchestration.digest.set && tag->v[0] >= '0' && tag->v[0] <= '9')
    return tag->v;
  return s->e->version.v;
}

static int dots(const char *v) {
  int n = 0;
  for (; *v; v++)
    n += *v == '.';
  return n;
}

/* Whether from -> to changes the version: another minor, or another patch when both name one. */
static bool version_changes(const char *from, const char *to) {
  if (version_major(from) != version_major(to) || version_minor(from) != version_minor(to))
    return true;
  return dots(from) >= 2 && dots(to) >= 2 && version_cmp(from, to) != 0;
}

/* DR023: a dual-region upgrade goes one region at a time. */
void rule_DR023(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  if (!dual(s) || !u->meta.present || !u->from.set)
    return;
  const char *to = deployed_version(s);
  if (!version_changes(u->from.v, to))
    return;
  struct diag *g = report(s, R_DR023, &u->meta, at_or(u->from.at, &u->meta),
                          "upgrading a dual-region estate from %s to %s: one region at a time, one broker at a time",
                          u->from.v, to);
  dual_note(s, g);
  help(s, g, "finish one region before the other (some minor upgrades need both together: check the release "
             "notes), and take a backup first");
}
