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
#include "helm.h"

#include <string.h>

struct hv {
  struct arena *a;
  struct ynode *root;
  const struct model *m;
};

static void set(struct hv *h, const char *path, struct ynode *v) { y_set(h->a, h->root, path, v); }
static void set_str(struct hv *h, const char *path, const char *s) { set(h, path, y_str(h->a, s)); }

static void resources(struct hv *h, const char *path, const struct m_resources *r) {
  struct arena *a = h->a;
  if (r->cpu.set)
    set_str(h, arena_printf(a, "%s.requests.cpu", path), model_format_cpu(a, r->cpu.v));
  if (r->memory.set)
    set_str(h, arena_printf(a, "%s.requests.memory", path), model_format_size(a, r->memory.v));
  if (r->cpu_limit.set)
    set_str(h, arena_printf(a, "%s.limits.cpu", path), model_format_cpu(a, r->cpu_limit.v));
  else if (r->cpu.set)
    set(h, arena_printf(a, "%s.limits.cpu", path), y_null(a)); /* no CPU limit unless asked */
  if (r->memory_limit.set || r->memory.set)
    set_str(h, arena_printf(a, "%s.limits.memory", path),
            model_format_size(a, r->memory_limit.set ? r->memory_limit.v : r->memory.v));
}

/* path.secret.{existingSecret, existingSecretKey} for a secret reference. */
static void secret_ref(struct hv *h, const char *path, const struct m_secstr *s, const char *default_key) {
  set_str(h, arena_printf(h->a, "%s.existingSecret", path), s->secret);
  set_str(h, arena_printf(h->a, "%s.existingSecretKey", path), s->key ? s->key : default_key);
}

static void image(struct hv *h, const char *path, const struct m_image *img) {
  if (img->registry.set)
    set_str(h, arena_printf(h->a, "%s.image.registry", path), img->registry.v);
  if (img->repository.set)
    set_str(h, arena_printf(h->a, "%s.image.repository", path), img->repository.v);
  if (img->tag.set)
    set_str(h, arena_printf(h->a, "%s.image.tag", path), img->tag.v);
  if (img->digest.set)
    set_str(h, arena_printf(h->a, "%s.image.digest", path), img->digest.v);
}

/* An env list entry: a value, or a valueFrom secretKeyRef. */
static struct ynode *env_entry(struct arena *a, const char *name, const struct m_secstr *v, const char *default_key) {
  struct ynode *e = y_map(a);
  y_set(a, e, "name", y_str(a, name));
  if (v->secret) {
    y_set(a, e, "valueFrom.secretKeyRef.name", y_str(a, v->secret));
    y_set(a, e, "valueFrom.secretKeyRef.key", y_str(a, v->key ? v->key : default_key));
  } else {
    y_set(a, e, "value", y_str(a, v->str));
  }
  return e;
}

static struct ynode *env_list(struct hv *h, const char *path) {
  struct ynode *list = y_get(h->root, path);
  if (!list) {
    list = y_seq(h->a);
    set(h, path, list);
  }
  return list;
}

static void extra_env(struct hv *h, const char *path, const struct m_envmap *env) {
  for (size_t i = 0; i < env->v.len; i++) {
    const struct m_env *e = env->v.items[i];
    y_push(h->a, env_list(h, path), env_entry(h->a, e->name, &e->value, "value"));
  }
}

/* Splits "https://host:9200/x" into protocol, host and port. */
static void url_parts(struct arena *a, const char *url, const char **proto, const char **host, int64_t *port) {
  const char *p = strstr(url, "://");
  *proto = p ? arena_strndup(a, url, (size_t)(p - url)) : "http";
  const char *h = p ? p + 3 : url;
  size_t n = strcspn(h, ":/");
  *host = arena_strndup(a, h, n);
  *port = strcmp(*proto, "https") == 0 ? 443 : 9200;
  if (h[n] == ':') {
    int64_t v = 0;
    for (const char *q = h + n + 1; *q >= '0' && *q <= '9'; q++)
      v = v * 10 + (*q - '0');
    if (v > 0)
      *port = v;
  }
}

/* Brokers spread evenly over the zones (maxSkew 1), as Camunda's
 * reference architecture asks; the chart labels broker pods
 * app.kubernetes.io/component=zeebe-broker (its own anti-affinity selects
 * them so).  Which zones exist is the cluster's node pools' business: the
 * chart has no key to pin pods to named zones, so the names are not
 * written, only used by the rules. */
static void zones(struct hv *h, const struct m_strlist *zs) {
  struct arena *a = h->a;
  if (zs->v.len < 2)
    return;
  struct ynode *spread = y_map(a);
  y_set(a, spread, "maxSkew", y_int(a, 1));
  y_set(a, spread, "topologyKey", y_str(a, "topology.kubernetes.io/zone"));
  y_set(a, spread, "whenUnsatisfiable", y_str(a, "DoNotSchedule"));
  struct ynode *labels = y_map(a);
  y_put(a, labels, "app.kubernetes.io/component", y_str(a, "zeebe-broker"));
  y_set(a, spread, "labelSelector.matchLabels", labels);
  struct ynode *constraints = y_seq(a);
  y_push(a, constraints, spread);
  set(h, "orchestration.topologySpreadConstraints", constraints);
}

static void storage_88(struct hv *h, const struct m_storage *s, int kind) {
  struct arena *a = h->a;
  switch (kind) {
  case M_storage_kind_elasticsearch:
    if (!s->url.set) { /* the bundled Elasticsearch subchart: the chart's default */
      if (s->nodes.set)
        set(h, "elasticsearch.master.replicaCount", y_int(a, s->nodes.v));
      set_str(h, "elasticsearch.master.persistence.size", model_format_size(a, s->disk.v));
      resources(h, "elasticsearch.master.resources", &s->resources);
      return;
    }
    set(h, "global.elasticsearch.enabled", y_bool(a, true));
    set(h, "global.elasticsearch.external", y_bool(a, true));
    set(h, "elasticsearch.enabled", y_bool(a, false));
    break;
  case M_storage_kind_opensearch:
    set(h, "global.elasticsearch.enabled", y_bool(a, false));
    set(h, "elasticsearch.enabled", y_bool(a, false));
    set(h, "global.opensearch.enabled", y_bool(a, true));
    if (s->aws_iam.v)
      set(h, "global.opensearch.aws.enabled", y_bool(a, true));
    break;
  case M_storage_kind_none:
    set(h, "global.noSecondaryStorage", y_bool(a, true));
    set(h, "global.elasticsearch.enabled", y_bool(a, false));
    set(h, "elasticsearch.enabled", y_bool(a, false));
    return;
  default:
    return; /* rdbms: refused by helm_check for 8.8 */
  }
  const char *g = kind == M_storage_kind_opensearch ? "global.opensearch" : "global.elasticsearch";
  const char *proto, *host;
  int64_t port;
  url_parts(a, s->url.v, &proto, &host, &port);
  set_str(h, arena_printf(a, "%s.url.protocol", g), proto);
  set_str(h, arena_printf(a, "%s.url.host", g), host);
  set(h, arena_printf(a, "%s.url.port", g), y_int(a, port));
  if (s->username.set)
    set_str(h, arena_printf(a, "%s.auth.username", g), s->username.v);
  if (s->password.set)
    secret_ref(h, arena_printf(a, "%s.auth.secret", g), &s->password, "password");
}

static void storage_89(struct hv *h, const struct m_storage *s, int kind) {
  struct arena *a = h->a;
  const char *base = "orchestration.data.secondaryStorage";
  switch (kind) {
  case M_storage_kind_elasticsearch:
    if (!s->url.set) { /* bundled subchart, as the chart's values-local.yaml does it */
      set(h, "global.elasticsearch.enabled", y_bool(a, true));
      set(h, "elasticsearch.enabled", y_bool(a, true));
      if (s->nodes.set)
        set(h, "elasticsearch.master.replicaCount", y_int(a, s->nodes.v));
      set_str(h, "elasticsearch.master.persistence.size", model_format_size(a, s->disk.v));
      resources(h, "elasticsearch.master.resources", &s->resources);
      return;
    }
    break;
  case M_storage_kind_none:
    set(h, "global.noSecondaryStorage", y_bool(a, true));
    return;
  case M_storage_kind_rdbms:
    set(h, "orchestration.exporters.camunda.enabled", y_bool(a, false));
    set(h, "orchestration.exporters.rdbms.enabled", y_bool(a, true));
    break;
  default:
    break;
  }
  const char *type = model_enum_name(kind);
  set_str(h, arena_printf(a, "%s.type", base), type);
  const char *sub = arena_printf(a, "%s.%s", base, type);
  set_str(h, arena_printf(a, "%s.url", sub), s->url.v);
  if (s->aws_iam.v)
    set(h, arena_printf(a, "%s.aws.enabled", sub), y_bool(a, true));
  const char *auth = kind == M_storage_kind_rdbms ? sub : arena_printf(a, "%s.auth", sub);
  if (s->username.set)
    set_str(h, arena_printf(a, "%s.username", auth), s->username.v);
  if (s->password.set)
    secret_ref(h, arena_printf(a, "%s.secret", auth), &s->password, "password");
}

/* Basic users become initialization.users; a password given as a secret()
 * is passed through the environment from the Secret, never as a value. */
static void users(struct hv *h) {
  struct arena *a = h->a;
  const struct m_list *list = &h->m->e.identity.user;
  if (list->v.len == 0)
    return;
  struct ynode *seq = y_seq(a), *admins = y_seq(a), *conn = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    struct ynode *y = y_map(a);
    y_set(a, y, "username", y_str(a, u->meta.label));
    if (u->password.set && u->password.str)
      y_set(a, y, "password", y_str(a, u->password.str));
    else if (u->password.set)
      y_push(a, env_list(h, "orchestration.env"),
             env_entry(a, arena_printf(a, "CAMUNDA_SECURITY_INITIALIZATION_USERS_%zu_PASSWORD", i), &u->password,
                       "password"));
    if (u->name.set)
      y_set(a, y, "name", y_str(a, u->name.v));
    if (u->email.set)
      y_set(a, y, "email", y_str(a, u->email.v));
    y_push(a, seq, y);
    for (size_t r = 0; r < u->roles.v.len; r++) {
      const char *role = u->roles.v.items[r];
      if (strcmp(role, "admin") == 0)
        y_push(a, admins, y_str(a, u->meta.label));
      else if (strcmp(role, "connectors") == 0)
        y_push(a, conn, y_str(a, u->meta.label));
    }
  }
  set(h, "orchestration.security.initialization.users", seq);
  set(h, "orchestration.security.initialization.defaultRoles.admin.users", admins);
  if (conn->items.len)
    set(h, "orchestration.security.initialization.defaultRoles.connectors.users", conn);
}

static const struct m_client *client(const struct model *m, const char *label) {
  for (size_t i = 0; i < m->e.identity.client.v.len; i++) {
    const struct m_client *c = m->e.identity.client.v.items[i];
    if (strcmp(c->meta.label, label) == 0)
      return c;
  }
  return NULL;
}

static void authentication(struct hv *h) {
  struct arena *a = h->a;
  const struct m_identity *id = &h->m->e.identity;
  switch (id->method.v) {
  case M_auth_method_none:
    set(h, "orchestration.security.authentication.unprotectedApi", y_bool(a, true));
    set(h, "orchestration.security.authorizations.enabled", y_bool(a, false));
    break;
  case M_auth_method_basic:
    users(h);
    break;
  case M_auth_method_oidc: {
    static const char *const types[] = {"KEYCLOAK", "MICROSOFT", "GENERIC"};
    set_str(h, "global.security.authentication.method", "oidc");
    set(h, "global.identity.auth.enabled", y_bool(a, true));
    set_str(h, "global.identity.auth.type", types[id->provider.v - M_idp_keycloak]);
    const char *o = "orchestration.security.authentication.oidc";
    if (id->issuer.set) {
      set_str(h, "global.identity.auth.issuer", id->issuer.v);
      set_str(h, arena_printf(a, "%s.issuer", o), id->issuer.v);
    }
    if (id->issuer_backend.set)
      set_str(h, "global.identity.auth.issuerBackendUrl", id->issuer_backend.v);
    if (id->token_url.set)
      set_str(h, arena_printf(a, "%s.tokenUrl", o), id->token_url.v);
    if (id->jwks_url.set)
      set_str(h, arena_printf(a, "%s.jwksUrl", o), id->jwks_url.v);
    if (id->auth_url.set)
      set_str(h, arena_printf(a, "%s.authUrl", o), id->auth_url.v);
    set_str(h, arena_printf(a, "%s.audience", o), id->audience.v);
    set_str(h, arena_printf(a, "%s.usernameClaim", o), id->username_claim.v);
    set_str(h, arena_printf(a, "%s.clientIdClaim", o), id->client_id_claim.v);
    if (id->groups_claim.set)
      set_str(h, arena_printf(a, "%s.groupsClaim", o), id->groups_claim.v);
    const struct m_client *c = client(h->m, "orchestration");
    if (c) {
      set_str(h, arena_printf(a, "%s.clientId", o), c->id.v);
      if (c->redirect_url.set)
        set_str(h, arena_printf(a, "%s.redirectUrl", o), c->redirect_url.v);
      if (c->secret.set)
        secret_ref(h, arena_printf(a, "%s.secret", o), &c->secret, "client-secret");
    }
    const struct m_client *cc = client(h->m, "connectors");
    if (cc && h->m->e.connectors.meta.present) {
      set_str(h, "connectors.security.authentication.oidc.clientId", cc->id.v);
      if (cc->secret.set)
        secret_ref(h, "connectors.security.authentication.oidc.secret", &cc->secret, "client-secret");
    }
    break;
  }
  }
  if (!id->authorizations.v && id->method.v != M_auth_method_none)
    set(h, "orchestration.security.authorizations.enabled", y_bool(a, false));
  if (id->multi_tenancy.v) {
    set(h, "orchestration.multitenancy.checks.enabled", y_bool(a, true));
    set(h, "orchestration.multitenancy.api.enabled", y_bool(a, true));
  }
}

/* Backups: the chart has no keys for them; the brokers read their backup
 * store from the environment (8.8: zeebe.broker.data.backup.*, 8.9:
 * camunda.data.primary-storage.backup.*), credentials from Secrets. */
static void backup(struct hv *h) {
  const struct m_backup *b = &h->m->e.backup;
  if (!b->meta.present)
    return;
  struct arena *a = h->a;
  const char *p = h->m->minor == 8 ? "ZEEBE_BROKER_DATA_BACKUP" : "CAMUNDA_DATA_PRIMARYSTORAGE_BACKUP";
  struct ynode *env = env_list(h, "orchestration.env");
#define PLAIN(name, value)                                                                           \
  y_push(a, env, env_entry(a, arena_printf(a, "%s_%s", p, name),                                     \
                           &(struct m_secstr){.str = (value), .set = true}, "value"))
#define SECRET_ENV(name, field, key) y_push(a, env, env_entry(a, arena_printf(a, "%s_%s", p, name), &(field), key))
  if (b->s3.meta.present) {
    const struct m_s3 *s3 = &b->s3;
    PLAIN("STORE", "S3");
    PLAIN("S3_BUCKETNAME", s3->bucket.v);
    if (s3->region.set)
      PLAIN("S3_REGION", s3->region.v);
    if (s3->endpoint.set)
      PLAIN("S3_ENDPOINT", s3->endpoint.v);
    if (s3->base_path.set)
      PLAIN("S3_BASEPATH", s3->base_path.v);
    if (s3->access_key.set)
      SECRET_ENV("S3_ACCESSKEY", s3->access_key, "access-key");
    if (s3->secret_key.set)
      SECRET_ENV("S3_SECRETKEY", s3->secret_key, "secret-key");
  } else if (b->gcs.meta.present) {
    const struct m_gcs *g = &b->gcs;
    PLAIN("STORE", "GCS");
    PLAIN("GCS_BUCKETNAME", g->bucket.v);
    if (g->base_path.set)
      PLAIN("GCS_BASEPATH", g->base_path.v);
    PLAIN("GCS_AUTH", "auto");
  } else if (b->azure.meta.present) {
    const struct m_azure *z = &b->azure;
    PLAIN("STORE", "AZURE");
    PLAIN("AZURE_BASEPATH", z->container.v);
    if (z->account.set)
      PLAIN("AZURE_ACCOUNTNAME", z->account.v);
    if (z->connection_string.set)
      SECRET_ENV("AZURE_CONNECTIONSTRING", z->connection_string, "connection-string");
  } else if (b->filesystem.meta.present) {
    PLAIN("STORE", "FILESYSTEM");
    PLAIN("FILESYSTEM_BASEPATH", b->filesystem.path.v);
  }
#undef PLAIN
#undef SECRET_ENV
}

/* One HTTP Ingress for all web applications (separated by contextPath),
 * and its own Ingress for gRPC, as Camunda's reference values do. */
static void ingress(struct hv *h) {
  struct arena *a = h->a;
  const struct m_estate *e = &h->m->e;
  const struct m_ingress *in = &e->ingress;
  if (!in->meta.present)
    return;
  set(h, "global.ingress.enabled", y_bool(a, true));
  set_str(h, "global.ingress.className", in->class.v);
  if (in->host.set)
    set_str(h, h->m->minor == 8 ? "global.ingress.host" : "global.host", in->host.v);
  if (in->annotations.v.len) {
    struct ynode *ann = y_map(a);
    for (size_t i = 0; i < in->annotations.v.len; i++) {
      const struct m_env *an = in->annotations.v.items[i];
      y_put(a, ann, an->name, y_str(a, an->value.str));
    }
    set(h, "global.ingress.annotations", ann);
  }
  if (in->tls.set) {
    set(h, "global.ingress.tls.enabled", y_bool(a, true));
    set_str(h, "global.ingress.tls.secretName", in->tls.secret);
  }
  set_str(h, "orchestration.contextPath", "/");
  if (e->connectors.meta.present)
    set_str(h, "connectors.contextPath", "/connectors");
  const struct m_grpc_ingress *g = &in->grpc;
  if (!g->meta.present)
    return;
  set(h, "orchestration.ingress.grpc.enabled", y_bool(a, true));
  set_str(h, "orchestration.ingress.grpc.className", g->class.set ? g->class.v : in->class.v);
  if (g->host.set || in->host.set)
    set_str(h, "orchestration.ingress.grpc.host", g->host.set ? g->host.v : arena_printf(a, "grpc-%s", in->host.v));
  const struct m_secstr *tls = g->tls.set ? &g->tls : &in->tls;
  if (tls->set) {
    set(h, "orchestration.ingress.grpc.tls.enabled", y_bool(a, true));
    set_str(h, "orchestration.ingress.grpc.tls.secretName", tls->secret);
  }
}

struct ynode *helm_values(const struct model *m, struct arena *a) {
  struct hv h = {a, y_map(a), m};
  /* top-level keys in the order of the chart's values.yaml */
  static const char *const order[] = {"global", "orchestration", "connectors", "elasticsearch"};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    set(&h, order[i], y_map(a));
  const struct m_estate *e = &m->e;
  const struct m_orchestration *o = &e->orchestration;
  if (e->images.registry.set)
    set_str(&h, "global.image.registry", e->images.registry.v);
  if (e->images.pull_secrets.v.len) {
    struct ynode *ps = y_seq(a);
    for (size_t i = 0; i < e->images.pull_secrets.v.len; i++) {
      struct ynode *n = y_map(a);
      y_set(a, n, "name", y_str(a, e->images.pull_secrets.v.items[i]));
      y_push(a, ps, n);
    }
    set(&h, "global.image.pullSecrets", ps);
  }
  if (e->license.set)
    secret_ref(&h, "global.license.secret", &e->license, "license-key");

  /* the Orchestration Cluster */
  set_str(&h, "orchestration.clusterSize", arena_printf(a, "%lld", (long long)o->brokers.v));
  set_str(&h, "orchestration.partitionCount", arena_printf(a, "%lld", (long long)o->partitions.v));
  set_str(&h, "orchestration.replicationFactor", arena_printf(a, "%lld", (long long)o->replication.v));
  if (o->cpu_threads.set)
    set_str(&h, "orchestration.cpuThreadCount", arena_printf(a, "%lld", (long long)o->cpu_threads.v));
  if (o->io_threads.set)
    set_str(&h, "orchestration.ioThreadCount", arena_printf(a, "%lld", (long long)o->io_threads.v));
  resources(&h, "orchestration.resources", &o->resources);
  set_str(&h, "orchestration.pvcSize", model_format_size(a, o->disk.v));
  if (o->storage_class.set)
    set_str(&h, "orchestration.pvcStorageClassName", o->storage_class.v);
  zones(&h, &o->zones);
  if (o->disruption_budget.v)
    set(&h, "orchestration.podDisruptionBudget.enabled", y_bool(a, true));
  if (o->java_opts.set)
    set_str(&h, "orchestration.javaOpts", o->java_opts.v);
  image(&h, "orchestration", &e->images.orchestration);
  if (m->minor == 8)
    storage_88(&h, &o->storage, o->storage.meta.kind);
  else
    storage_89(&h, &o->storage, o->storage.meta.kind);
  int kind = o->storage.meta.kind;
  if (o->storage.index_prefix.set && (kind == M_storage_kind_elasticsearch || kind == M_storage_kind_opensearch))
    set_str(&h, "orchestration.index.prefix", o->storage.index_prefix.v);
  backup(&h);
  extra_env(&h, "orchestration.env", &o->env);

  /* Connectors (the chart enables them by default) */
  if (!e->connectors.meta.present) {
    set(&h, "connectors.enabled", y_bool(a, false));
  } else {
    const struct m_connectors *c = &e->connectors;
    set(&h, "connectors.enabled", y_bool(a, true));
    if (c->replicas.v != 1)
      set(&h, "connectors.replicas", y_int(a, c->replicas.v));
    resources(&h, "connectors.resources", &c->resources);
    image(&h, "connectors", &e->images.connectors);
    extra_env(&h, "connectors.env", &c->env);
  }
  authentication(&h);
  ingress(&h);
  y_prune(h.root);
  return h.root;
}

/* A field the Helm values do not carry: a warning, never a silent gap. */
static void ignored(struct diags *d, struct span at, const char *what, const char *why) {
  diag_warning(d, "TGT003", at, "%s: %s", what, why);
}

static void helm_ignored(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_orchestration *o = &e->orchestration;
  const struct m_ports *p = &o->ports;
  const struct m_int *ports[] = {&p->rest, &p->grpc, &p->command, &p->internal, &p->management};
  for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
    if (span_known(ports[i]->at))
      ignored(d, ports[i]->at, "ports are not written to the Helm values", "the chart sets the container ports itself");
  if (e->connectors.meta.present && span_known(e->connectors.port.at))
    ignored(d, e->connectors.port.at, "`port` is not written to the Helm values", "the chart sets the container port itself");
  if (e->host.v.len)
    ignored(d, e->host.at, "`host` blocks are for target = systemd", "a Kubernetes estate has no hosts");
  const struct m_identity *id = &e->identity;
  for (size_t i = 0; i < id->client.v.len && id->method.v == M_auth_method_oidc; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (strcmp(c->meta.label, "orchestration") != 0 && strcmp(c->meta.label, "connectors") != 0)
      ignored(d, c->meta.at, arena_printf(d->arena, "client \"%s\" is not written to the Helm values yet", c->meta.label),
              "the helm backend maps the orchestration and connectors clients");
    else if (c->audience.set)
      ignored(d, c->audience.at, "a client's `audience` is not written to the Helm values yet",
              "identity.audience sets the audience the cluster accepts");
  }
  for (size_t i = 0; i < id->user.v.len && id->method.v == M_auth_method_basic; i++) {
    const struct m_user *u = id->user.v.items[i];
    for (size_t r = 0; r < u->roles.v.len; r++) {
      const char *role = u->roles.v.items[r];
      if (strcmp(role, "admin") != 0 && strcmp(role, "connectors") != 0)
        ignored(d, u->roles.at, arena_printf(d->arena, "role \"%s\" is not written to the Helm values", role),
                "the chart's default roles are admin and connectors");
    }
  }
}

/* What this backend cannot express yet is an error, never a silent gap. */
static void helm_check(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  helm_ignored(m, d);
  static const struct {
    const char *name;
    size_t offset;
  } later[] = {
      {"management_identity", offsetof(struct m_estate, management_identity)},
      {"optimize", offsetof(struct m_estate, optimize)},
      {"web_modeler", offsetof(struct m_estate, web_modeler)},
      {"console", offsetof(struct m_estate, console)},
  };
  for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
    const struct meta *meta = (const void *)((const char *)e + later[i].offset);
    if (meta->present)
      diag_error(d, "TGT002", meta->at, "the helm backend does not map `%s` yet", later[i].name);
  }
  const struct m_backup *bk = &e->backup;
  if (bk->meta.present && bk->gcs.meta.present && bk->gcs.credentials.set)
    diag_error(d, "TGT002", bk->gcs.credentials.at,
               "the helm backend cannot mount a GCS key file yet: use workload identity (leave credentials unset)");
  if (bk->meta.present && bk->schedule.set)
    ignored(d, bk->schedule.at, "`schedule` is not written to the Helm values", "take backups through the backup API");
  if (e->connectors.meta.present && !e->connectors.inbound.v)
    diag_error(d, "TGT002", e->connectors.inbound.at,
               "the helm backend cannot turn inbound connectors off yet: chart %s has no key for it",
               e->chart_version.set ? e->chart_version.v : "");
  if (e->ingress.meta.present) {
    for (size_t i = 0; i < e->ingress.annotations.v.len; i++) {
      const struct m_env *an = e->ingress.annotations.v.items[i];
      if (an->value.secret)
        diag_error(d, "TYP006", an->value.at, "an Ingress annotation cannot be a secret");
    }
    if (!e->ingress.host.set)
      diag_error(d, "TGT002", e->ingress.meta.at, "the Ingress needs a host");
  }
  const struct m_orchestration *o = &e->orchestration;
  if (o->region.v.len)
    diag_error(d, "TGT002", o->region.at, "the helm backend does not map dual-region estates yet");
  if (o->storage.meta.kind == M_storage_kind_rdbms && m->minor == 8)
    diag_error(d, "TGT002", o->storage.meta.at, "RDBMS secondary storage needs Camunda 8.9 (chart 14.x)");
  if (o->storage.meta.kind == M_storage_kind_opensearch && !o->storage.url.set)
    diag_error(d, "TGT002", o->storage.meta.at, "the chart bundles no OpenSearch: give the url of an external one");
  if (o->storage.meta.kind == M_storage_kind_rdbms && !o->storage.url.set)
    diag_error(d, "TGT002", o->storage.meta.at, "the chart bundles no relational database: give its JDBC url");
}

static bool helm_emit(const struct model *m, struct emit_ctx *ctx) {
  const char *chart = arena_printf(ctx->arena, "For the camunda-platform Helm chart %s (Camunda 8.%d).",
                                   m->e.chart_version.set ? m->e.chart_version.v : "?", m->minor);
  return emit_yaml(ctx, m, "values.yaml", helm_values(m, ctx->arena), chart, 0644);
}

const struct backend helm_backend = {
    .name = "helm",
    .target = M_target_helm,
    .summary = "Kubernetes, with Camunda's camunda-platform Helm chart (13.x for 8.8, 14.x for 8.9)",
    .files = "values.yaml",
    .check = helm_check,
    .emit = helm_emit,
};
