/* helm.c - values.yaml for the official camunda-platform chart.
 *
 * Chart 13.x serves Camunda 8.8 and chart 14.x serves 8.9; their keys are
 * the same for the cluster, resources, persistence and authentication, and
 * differ for secondary storage (global.elasticsearch / global.opensearch in
 * 8.8, orchestration.data.secondaryStorage in 8.9).  Counts the chart types
 * as strings (clusterSize: "3") are emitted as strings.  A secret() is
 * always an existingSecret reference, never a value.
 *
 * This backend maps the Orchestration Cluster (size, partitions,
 * replication, resources, disk, zones, secondary storage, authentication,
 * images, extra environment), Connectors and the Ingress.  Components it does not map yet are
 * refused in helm_check with TGT002, so no output silently lacks them.
 */
#include <stdlib.h>
#include <string.h>

#include "appenv.h"
#include "names.h"
#include "helm_int.h"

/* One HTTP Ingress for all web applications (separated by contextPath),
 * and its own Ingress for gRPC, as Camunda's reference values do. */
static void ingress(struct hv *h) {
  struct arena *a = h->a;
  const struct m_estate *e = &h->m->e;
  const struct m_ingress *in = &e->ingress;
  if (!in->meta.present)
    return;
  helm_set(h, "global.ingress.enabled", y_bool(a, true));
  helm_str(h, "global.ingress.className", in->class.v);
  if (in->host.set)
    helm_str(h, h->m->minor == 8 ? "global.ingress.host" : "global.host", in->host.v);
  if (in->annotations.v.len) {
    struct ynode *ann = y_map(a);
    for (size_t i = 0; i < in->annotations.v.len; i++) {
      const struct m_env *an = in->annotations.v.items[i];
      if (!an->value.secret)  /* a secret is refused by helm_check */
        y_put(a, ann, an->name, y_str(a, an->value.str));
    }
    helm_set(h, "global.ingress.annotations", ann);
  }
  /* the chart's secretName "-": a TLS block naming no Secret, for a
   * platform that manages the certificate (ingress-http.yaml) */
  if (in->tls.set || in->platform_tls.v) {
    helm_set(h, "global.ingress.tls.enabled", y_bool(a, true));
    helm_str(h, "global.ingress.tls.secretName", in->tls.set ? in->tls.secret : "-");
  }
  if (in->tls.set)
    helm_needs_secret(h, in->tls.secret, "tls.crt, tls.key", "the Ingress's TLS certificate (type kubernetes.io/tls)");
  helm_str(h, "orchestration.contextPath", "/");
  if (e->connectors.meta.present)
    helm_str(h, "connectors.contextPath", "/connectors");
  const struct m_grpc_ingress *g = &in->grpc;
  if (!g->meta.present)
    return;
  helm_set(h, "orchestration.ingress.grpc.enabled", y_bool(a, true));
  if (g->annotations.v.len) {
    struct ynode *ann = y_map(a);
    for (size_t i = 0; i < g->annotations.v.len; i++) {
      const struct m_env *an = g->annotations.v.items[i];
      if (!an->value.secret)
        y_put(a, ann, an->name, y_str(a, an->value.str));
    }
    helm_set(h, "orchestration.ingress.grpc.annotations", ann);
  }
  helm_str(h, "orchestration.ingress.grpc.className", g->class.set ? g->class.v : in->class.v);
  if (g->host.set || in->host.set)
    helm_str(h, "orchestration.ingress.grpc.host", g->host.set ? g->host.v : arena_printf(a, "grpc-%s", in->host.v));
  const struct m_secstr *tls = g->tls.set ? &g->tls : &in->tls;
  if (tls->set || in->platform_tls.v) {
    helm_set(h, "orchestration.ingress.grpc.tls.enabled", y_bool(a, true));
    helm_str(h, "orchestration.ingress.grpc.tls.secretName", tls->set ? tls->secret : "-");
  }
  if (tls->set)
    helm_needs_secret(h, tls->secret, "tls.crt, tls.key", "the gRPC Ingress's TLS certificate (type kubernetes.io/tls)");
}

/* Dual-region (Camunda's dual-region guide): both regions run the same
 * release with clusterSize brokers in all, half in each; the chart numbers
 * them podIndex * 2 + regionId.  The multi-region chart does not build the
 * contact points, so the base values list every broker of both regions;
 * the default exporters are off and one Camunda exporter per region writes
 * to that region's Elasticsearch. */
static const struct m_region *region_with_id(const struct model *m, int64_t id) {
  for (size_t i = 0; i < m->e.orchestration.region.v.len; i++) {
    const struct m_region *r = m->e.orchestration.region.v.items[i];
    if (r->id.v == id)
      return r;
  }
  return NULL;
}

const char *helm_region_namespace(const struct model *m, const struct m_region *r) {
  return r && r->namespace.set ? r->namespace.v : m->e.namespace.v;
}

static void dual_region(struct hv *h) {
  struct arena *a = h->a;
  const struct model *m = h->m;
  const struct m_orchestration *o = &m->e.orchestration;
  if (o->region.v.len != 2)
    return;
  const char *release = m->e.release.v;
  helm_set(h, "global.multiregion.regions", y_int(a, 2));
  helm_set(h, "orchestration.exporters.camunda.enabled", y_bool(a, false));
  helm_set(h, "orchestration.exporters.zeebe.enabled", y_bool(a, false));
  struct buf cp = {0};
  for (int64_t i = 0; i < o->brokers.v / 2; i++)
    for (int64_t id = 0; id < 2; id++)
      buf_printf(&cp, "%s%s-zeebe-%lld.%s-zeebe.%s.svc.cluster.local:%lld", cp.len ? "," : "", release, (long long)i,
                 release, helm_region_namespace(m, region_with_id(m, id)), (long long)o->ports.internal.v);
  const char *contact = arena_strndup(a, cp.data ? cp.data : "", cp.len);
  buf_free(&cp);
  bool v88 = m->minor == 8;
  struct ynode *env = helm_env_list(h, "orchestration.env");
  y_push(a, env, helm_env_entry(h, v88 ? APPENV_CONTACT_POINTS : APPENV_CONTACT_POINTS_89,
                                &(struct m_secstr){.str = contact, .set = true}, "value"));
  const char *exp = v88 ? "ZEEBE_BROKER_EXPORTERS_CAMUNDAREGION" : "CAMUNDA_DATA_EXPORTERS_CAMUNDAREGION";
  for (int64_t id = 0; id < 2; id++) {
    const struct m_region *r = region_with_id(m, id);
    const char *url = r && r->elasticsearch_url.set
                          ? r->elasticsearch_url.v
                          : arena_printf(a, "http://%s-elasticsearch-master-hl.%s.svc.cluster.local:9200", release,
                                         helm_region_namespace(m, r));
    y_push(a, env, helm_env_entry(h, arena_printf(a, "%s%lld_CLASSNAME", exp, (long long)id),
                                  &(struct m_secstr){.str = "io.camunda.exporter.CamundaExporter", .set = true}, "value"));
    y_push(a, env, helm_env_entry(h, arena_printf(a, "%s%lld_ARGS_CONNECT_URL", exp, (long long)id),
                                  &(struct m_secstr){.str = url, .set = true}, "value"));
  }
}

/* OIDC on 8.8 with Connectors on, and no Keycloak of Management Identity
 * (from which alone chart 13.x derives Connectors' token URL). */
bool helm_oidc_token_url_88(const struct model *m) {
  const struct m_identity *id = &m->e.identity;
  const struct m_management_identity *mi = &m->e.management_identity;
  bool keycloak = mi->meta.present && mi->provider.v == M_mi_provider_keycloak;
  return m->minor == 8 && m->e.connectors.meta.present && id->method.v == M_auth_method_oidc && !keycloak;
}

/* A subchart the release bundles: its enabled flag is true, or unset where
 * the chart enables it (its default; the Keycloak subchart's own
 * PostgreSQL under a bundled Keycloak). */
static bool bundled(const struct hv *h, const char *path) {
  const char *key = arena_printf(h->a, "%s.enabled", path);
  const struct ynode *on = y_get(h->root, key);
  if (on)
    return on->kind == Y_BOOL && strcmp(on->s, "true") == 0;
  const char *chart = helm_chart_default(h, key);
  if (chart)
    return strcmp(chart, "true") == 0;
  return strcmp(path, "identityKeycloak.postgresql") == 0 && bundled(h, "identityKeycloak");
}

/* Bitnami subcharts do not read global.image: a private registry and its
 * pull Secrets reach them through their own image keys. */
static void subchart_registry(struct hv *h) {
  const struct m_images *im = &h->m->e.images;
  if (!im->registry.set && !im->pull_secrets.v.len)
    return;
  static const char *const subcharts[] = {"elasticsearch", "identityKeycloak", "identityKeycloak.postgresql",
                                          "identityPostgresql", "webModelerPostgresql"};
  for (size_t i = 0; i < sizeof subcharts / sizeof subcharts[0]; i++) {
    if (!bundled(h, subcharts[i]))
      continue;
    if (im->registry.set)
      helm_str(h, arena_printf(h->a, "%s.image.registry", subcharts[i]), im->registry.v);
    if (im->pull_secrets.v.len) {
      struct ynode *ps = y_seq(h->a);
      for (size_t k = 0; k < im->pull_secrets.v.len; k++)
        y_push(h->a, ps, y_str(h->a, im->pull_secrets.v.items[k]));
      helm_set(h, arena_printf(h->a, "%s.image.pullSecrets", subcharts[i]), ps);
    }
  }
}

/* Builds the values tree of one environment into h->root. */
void helm_build_values(struct hv *hp) {
  struct hv h = *hp;
  struct arena *a = h.a;
  const struct model *m = h.m;
  /* top-level keys in the order of the chart's values.yaml */
  static const char *const order[] = {"global",     "identity", "identityKeycloak", "identityPostgresql",
                                      "console",    "webModeler", "webModelerPostgresql", "connectors",
                                      "orchestration", "optimize", "elasticsearch"};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    helm_set(&h, order[i], y_map(a));
  const struct m_estate *e = &m->e;
  const struct m_orchestration *o = &e->orchestration;
  if (e->images.registry.set)
    helm_str(&h, "global.image.registry", e->images.registry.v);
  if (e->images.pull_secrets.v.len) {
    struct ynode *ps = y_seq(a);
    for (size_t i = 0; i < e->images.pull_secrets.v.len; i++) {
      struct ynode *n = y_map(a);
      y_set(a, n, "name", y_str(a, e->images.pull_secrets.v.items[i]));
      y_push(a, ps, n);
    }
    helm_set(&h, "global.image.pullSecrets", ps);
  }
  if (e->license.set)
    helm_secret(&h, "global.license.secret", &e->license, "license-key");
  if (e->kubernetes.openshift.v)
    helm_str(&h, "global.compatibility.openshift.adaptSecurityContext", "force");

  /* the Orchestration Cluster */
  helm_str(&h, "orchestration.clusterSize", arena_printf(a, "%lld", (long long)o->brokers.v));
  helm_str(&h, "orchestration.partitionCount", arena_printf(a, "%lld", (long long)o->partitions.v));
  helm_str(&h, "orchestration.replicationFactor", arena_printf(a, "%lld", (long long)o->replication.v));
  if (o->cpu_threads.set)
    helm_str(&h, "orchestration.cpuThreadCount", arena_printf(a, "%lld", (long long)o->cpu_threads.v));
  if (o->io_threads.set)
    helm_str(&h, "orchestration.ioThreadCount", arena_printf(a, "%lld", (long long)o->io_threads.v));
  helm_resources(&h, "orchestration.resources", &o->resources);
  helm_str(&h, "orchestration.pvcSize", model_format_size(a, o->disk.v));
  if (o->storage_class.set)
    helm_str(&h, "orchestration.pvcStorageClassName", o->storage_class.v);
  if (o->region.v.len == 0)
    helm_zones(&h, &o->zones);  /* dual-region: per region, in its own file */
  if (o->disruption_budget.v)
    helm_set(&h, "orchestration.podDisruptionBudget.enabled", y_bool(a, true));
  helm_java_opts(&h, "orchestration.javaOpts", &o->java_opts);
  helm_image(&h, "orchestration", &e->images.orchestration);
  if (m->minor == 8)
    helm_storage_88(&h, &o->storage, o->storage.meta.kind);
  else
    helm_storage_89(&h, &o->storage, o->storage.meta.kind);
  int kind = o->storage.meta.kind;
  if (o->storage.index_prefix.set && (kind == M_storage_kind_elasticsearch || kind == M_storage_kind_opensearch))
    helm_str(&h, "orchestration.index.prefix", o->storage.index_prefix.v);
  helm_backup(&h);
  dual_region(&h);
  helm_extra_env(&h, "orchestration.env", &o->env);

  /* Connectors (the chart enables them by default) */
  if (!e->connectors.meta.present) {
    helm_set(&h, "connectors.enabled", y_bool(a, false));
  } else {
    const struct m_connectors *c = &e->connectors;
    helm_set(&h, "connectors.enabled", y_bool(a, true));
    if (c->replicas.v != 1)
      helm_set(&h, "connectors.replicas", y_int(a, c->replicas.v));
    helm_resources(&h, "connectors.resources", &c->resources);
    helm_image(&h, "connectors", &e->images.connectors);
    /* connector secrets: only variables with camarch's prefix resolve */
    struct m_secstr prefix = {.str = APPENV_CONNECTOR_SECRET_PREFIX, .set = true};
    y_push(a, helm_env_list(&h, "connectors.env"), helm_env_entry(&h, APPENV_CONNECTOR_PREFIX_VAR, &prefix, "value"));
    struct m_envmap secrets = appenv_connector_secrets(a, h.m);
    helm_extra_env(&h, "connectors.env", &secrets);
    if (helm_oidc_token_url_88(h.m)) {
      /* chart 13.x derives Connectors' token URL for Keycloak only */
      struct m_secstr token = {.str = appenv_token_url(a, h.m), .set = true};
      if (token.str)
        y_push(a, helm_env_list(&h, "connectors.env"), helm_env_entry(&h, "CAMUNDA_CLIENT_AUTH_TOKENURL", &token, "value"));
    }
    helm_extra_env(&h, "connectors.env", &c->env);
  }
  helm_authentication(&h);
  helm_connectors_login(&h);
  helm_platform(&h);
  ingress(&h);
  subchart_registry(&h);
  helm_drop_defaults(&h);
  y_prune(h.root);
  *hp = h;
}

/* The one pass: the checks, then values.yaml (and a file per region), then
 * the README. */
static bool helm_build(const struct model *m, struct emit_ctx *ctx) {
  helm_check(m, ctx->diags);
  if (emit_failed(ctx))
    return false;
  const char *chart = arena_printf(ctx->arena, "For the camunda-platform Helm chart %s (Camunda 8.%d).",
                                   m->e.chart_version.set ? m->e.chart_version.v : "?", m->minor);
  struct hv h = {ctx->arena, y_map(ctx->arena), m, {0}};
  helm_build_values(&h);
  if (!emit_yaml(ctx, m, "values.yaml", h.root, chart, 0644))
    return false;
  for (size_t i = 0; i < m->e.orchestration.region.v.len; i++) {
    const struct m_region *r = m->e.orchestration.region.v.items[i];
    struct hv rh = {ctx->arena, y_map(ctx->arena), m, {0}};
    helm_set(&rh, "global.multiregion.regionId", y_int(ctx->arena, r->id.v));
    helm_zones(&rh, r->zones.v.len ? &r->zones : &m->e.orchestration.zones);
    const char *comment = arena_printf(ctx->arena, "%s Region \"%s\" (id %lld): install with -f values.yaml -f this file.",
                                       chart, r->meta.label, (long long)r->id.v);
    if (!emit_yaml(ctx, m, arena_printf(ctx->arena, "values-region-%lld.yaml", (long long)r->id.v), rh.root, comment, 0644))
      return false;
  }
  helm_readme(m, &h, ctx);
  return true;
}

const struct backend helm_backend = {
    .name = "helm",
    .target = M_target_helm,
    .place = M_place_kubernetes,
    .summary = "Kubernetes, with Camunda's camunda-platform Helm chart (13.x for 8.8, 14.x for 8.9)",
    .files = "values.yaml, README.md (install command and the Secrets to create)",
    .build = helm_build,
};
