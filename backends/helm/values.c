/* values.c - helpers shared by the Helm backend's files: setting paths in
 * the values tree, resources, secret references, images, environment lists,
 * URLs.  Every secret() becomes an existingSecret or a secretKeyRef, never a
 * value; a plain string where the estate allows one goes to the chart's key
 * for a literal (inlineSecret), and only secret() references reach the
 * README's list of Secrets. */
#include <string.h>

#include "url.h"
#include "helm_int.h"

void helm_set(struct hv *h, const char *path, struct ynode *v) { y_set(h->a, h->root, path, v); }
void helm_str(struct hv *h, const char *path, const char *s) { helm_set(h, path, y_str(h->a, s)); }

void helm_resources(struct hv *h, const char *path, const struct m_resources *r) {
  struct arena *a = h->a;
  if (r->cpu.set)
    helm_str(h, arena_printf(a, "%s.requests.cpu", path), model_format_cpu(a, r->cpu.v));
  if (r->memory.set)
    helm_str(h, arena_printf(a, "%s.requests.memory", path), model_format_size(a, r->memory.v));
  if (r->cpu_limit.set)
    helm_str(h, arena_printf(a, "%s.limits.cpu", path), model_format_cpu(a, r->cpu_limit.v));
  else if (r->cpu.set)
    helm_set(h, arena_printf(a, "%s.limits.cpu", path), y_null(a)); /* no CPU limit unless asked */
  if (r->memory_limit.set || r->memory.set)
    helm_str(h, arena_printf(a, "%s.limits.memory", path),
            model_format_size(a, r->memory_limit.set ? r->memory_limit.v : r->memory.v));
}

void helm_secret_keys(struct hv *h, const char *name_path, const char *key_path, const char *literal_path,
                      const struct m_secstr *s, const char *default_key) {
  if (!s->set)
    return;
  if (!s->secret) {
    if (literal_path && s->str)
      helm_str(h, literal_path, s->str);
    return;
  }
  const char *key = s->key ? s->key : default_key;
  helm_str(h, name_path, s->secret);
  helm_str(h, key_path, key);
  helm_needs_secret(h, s->secret, key, name_path);
}

void helm_secret(struct hv *h, const char *path, const struct m_secstr *s, const char *default_key) {
  struct arena *a = h->a;
  helm_secret_keys(h, arena_printf(a, "%s.existingSecret", path), arena_printf(a, "%s.existingSecretKey", path),
                   arena_printf(a, "%s.inlineSecret", path), s, default_key);
}

void helm_image(struct hv *h, const char *path, const struct m_image *img) {
  if (img->registry.set)
    helm_str(h, arena_printf(h->a, "%s.image.registry", path), img->registry.v);
  if (img->repository.set)
    helm_str(h, arena_printf(h->a, "%s.image.repository", path), img->repository.v);
  /* a tag the release itself pins (std/camunda/8.x) is the chart's own default */
  if (img->tag.set && img->tag.from != O_STDLIB)
    helm_str(h, arena_printf(h->a, "%s.image.tag", path), img->tag.v);
  if (img->digest.set)
    helm_str(h, arena_printf(h->a, "%s.image.digest", path), img->digest.v);
}

/* Each Secret and key once, with the first path that reads it. */
void helm_needs_secret(struct hv *h, const char *name, const char *key, const char *path) {
  for (size_t i = 0; i < h->secrets.len; i++) {
    struct secret_use *u = h->secrets.items[i];
    if (strcmp(u->name, name) == 0 && strcmp(u->key, key) == 0)
      return;
  }
  struct secret_use *u = arena_alloc(h->a, sizeof *u);
  *u = (struct secret_use){name, key, path};
  vec_push(h->a, &h->secrets, u);
}

/* An env list entry: a value, or a valueFrom secretKeyRef. */
struct ynode *helm_env_entry(struct hv *h, const char *name, const struct m_secstr *v, const char *default_key) {
  struct arena *a = h->a;
  struct ynode *e = y_map(a);
  y_set(a, e, "name", y_str(a, name));
  if (v->secret) {
    y_set(a, e, "valueFrom.secretKeyRef.name", y_str(a, v->secret));
    y_set(a, e, "valueFrom.secretKeyRef.key", y_str(a, v->key ? v->key : default_key));
    helm_needs_secret(h, v->secret, v->key ? v->key : default_key, arena_printf(a, "environment variable %s", name));
  } else {
    y_set(a, e, "value", y_str(a, v->str ? v->str : ""));
  }
  return e;
}

struct ynode *helm_env_list(struct hv *h, const char *path) {
  struct ynode *list = y_get(h->root, path);
  if (!list) {
    list = y_seq(h->a);
    helm_set(h, path, list);
  }
  return list;
}

void helm_extra_env(struct hv *h, const char *path, const struct m_envmap *env) {
  for (size_t i = 0; i < env->v.len; i++) {
    const struct m_env *e = env->v.items[i];
    y_push(h->a, helm_env_list(h, path), helm_env_entry(h, e->name, &e->value, "value"));
  }
}

void helm_url(struct hv *h, const char *path, const char *url) {
  struct url u;
  if (url_parse(h->a, URL_FORM_HTTP, url, &u) != URL_OK)
    return;  /* refused when the estate was lowered */
  helm_str(h, arena_printf(h->a, "%s.protocol", path), url_protocol(&u));
  helm_str(h, arena_printf(h->a, "%s.host", path), url_host_text(h->a, &u));
  helm_set(h, arena_printf(h->a, "%s.port", path), y_int(h->a, url_port(&u)));
}

/* The chart's own JVM options (values.yaml, charts 13.x and 14.x alike):
 * the estate's java_opts are extra options, and a javaOpts value replaces
 * the chart's, so they are kept in front (exit and a heap dump on
 * OutOfMemoryError).  Optimize's default is empty. */
static const struct {
  const char *path, *value;
  int minor;  /* 0: both charts */
} chart_java_opts[] = {
    {"orchestration.javaOpts",
     "-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/usr/local/camunda/data "
     "-XX:ErrorFile=/usr/local/camunda/data/camunda_error%p.log -XX:+ExitOnOutOfMemoryError",
     0},
    {"optimize.javaOpts", "", 0},
};

void helm_java_opts(struct hv *h, const char *path, const struct m_str *opts) {
  if (!opts->set)
    return;
  for (size_t i = 0; i < sizeof chart_java_opts / sizeof chart_java_opts[0]; i++) {
    if (strcmp(chart_java_opts[i].path, path) != 0 || (chart_java_opts[i].minor && chart_java_opts[i].minor != h->m->minor))
      continue;
    const char *base = chart_java_opts[i].value;
    helm_str(h, path, *base ? arena_printf(h->a, "%s %s", base, opts->v) : opts->v);
    return;
  }
  UNREACHABLE();
}

/* Chart defaults of the keys camarch writes, the same in charts 13.x and
 * 14.x unless marked: a value equal to its default is left out, so the
 * values file says only what this estate changes.  A list of scalars is
 * written as "[a, b]". */
static const struct {
  const char *path, *value;
  int minor;  /* 0: both charts */
} chart_defaults[] = {
    {"orchestration.clusterSize", "3", 0},
    {"orchestration.partitionCount", "3", 0},
    {"orchestration.replicationFactor", "3", 0},
    {"orchestration.pvcSize", "32Gi", 0},
    {"orchestration.security.authentication.oidc.audience", "orchestration-api", 0},
    {"orchestration.security.authentication.oidc.usernameClaim", "preferred_username", 0},
    {"orchestration.security.authentication.oidc.clientIdClaim", "client_id", 0},
    {"orchestration.security.authentication.oidc.clientId", "orchestration", 0},
    {"connectors.enabled", "true", 0},
    {"connectors.security.authentication.oidc.clientId", "connectors", 0},
    {"global.ingress.className", "nginx", 0},
    {"identityKeycloak.auth.adminUser", "admin", 0},
    {"identity.firstUser.enabled", "true", 0},
    {"global.identity.keycloak.contextPath", "/auth", 0},
    {"global.identity.keycloak.realm", "/realms/camunda-platform", 0},
    {"global.identity.auth.optimize.clientId", "optimize", 0},
    {"global.identity.auth.console.clientId", "console", 0},
    {"global.identity.auth.webModeler.clientId", "web-modeler", 0},
    {"global.identity.auth.identity.clientId", "camunda-identity", 0},
    {"webModeler.restapi.mail.fromName", "Camunda 8", 0},
    {"webModeler.restapi.mail.smtpPort", "587", 0},
    {"webModeler.restapi.mail.smtpTlsEnabled", "true", 0},
    {"elasticsearch.master.persistence.size", "64Gi", 0},
    {"elasticsearch.master.replicaCount", "3", 0},
    {"optimize.partitionCount", "3", 0},
    {"orchestration.resources.requests.memory", "1500Mi", 0},
    {"orchestration.resources.limits.memory", "3000Mi", 0},
    {"orchestration.exporters.zeebe.enabled", "false", 0},
    {"orchestration.multitenancy.api.enabled", "true", 0},
    {"orchestration.ingress.grpc.className", "nginx", 0},
    {"connectors.resources.requests.memory", "1Gi", 0},
    {"elasticsearch.master.resources.requests.memory", "2Gi", 0},
    {"elasticsearch.master.resources.limits.memory", "2Gi", 0},
    {"global.identity.auth.type", "KEYCLOAK", 0},
    {"global.identity.keycloak.internal", "false", 0},
    {"global.ingress.tls.secretName", "camunda-platform", 0},
    {"global.opensearch.url.protocol", "https", 0},
    {"global.opensearch.url.port", "443", 0},
    {"identity.externalDatabase.port", "5432", 0},
    {"identityKeycloak.auth.existingSecret", "camunda-credentials", 0},
    {"identityKeycloak.auth.passwordSecretKey", "identity-keycloak-admin-password", 0},
    {"identity.firstUser.lastName", "User", 0},
    {"global.elasticsearch.url.protocol", "http", 0},
    {"global.elasticsearch.url.port", "9200", 0},
    {"global.identity.auth.publicIssuerUrl", "http://localhost:18080/auth/realms/camunda-platform", 0},
    {"global.identity.auth.optimize.redirectUrl", "http://localhost:8083", 0},
    {"global.identity.auth.console.redirectUrl", "http://localhost:8087", 0},
    {"global.identity.auth.webModeler.redirectUrl", "http://localhost:8070", 0},
    {"orchestration.security.authentication.oidc.redirectUrl", "http://localhost:8080", 0},
    {"webModelerPostgresql.auth.secretKeys.userPasswordKey", "web-modeler-postgresql-user-password", 0},
    {"webModelerPostgresql.auth.secretKeys.adminPasswordKey", "web-modeler-postgresql-admin-password", 0},
    {"identityPostgresql.auth.secretKeys.adminPasswordKey", "identity-postgresql-admin-password", 0},
    {"identityKeycloak.postgresql.auth.secretKeys.adminPasswordKey", "identity-keycloak-postgresql-admin-password", 0},
    {"orchestration.security.initialization.defaultRoles.admin.users", "[demo]", 0},
    {"orchestration.security.initialization.defaultRoles.connectors.users", "[connectors]", 0},
    {"orchestration.security.initialization.defaultRoles.connectors.clients", "[connectors]", 0},
    {"webModeler.restapi.resources.limits.memory", "2Gi", 8},
    {"webModeler.restapi.resources.limits.memory", "2560Mi", 9},
    {"webModeler.webapp.resources.limits.memory", "512Mi", 8},
    {"elasticsearch.enabled", "true", 8},
    {"global.elasticsearch.enabled", "true", 8},
    {"elasticsearch.enabled", "false", 9},
    {"global.elasticsearch.enabled", "false", 9},
};

/* A scalar's text, or "[a, b]" for a list of scalars; NULL otherwise. */
static const char *scalar_text(struct arena *a, const struct ynode *n) {
  if (n->kind == Y_MAP)
    return NULL;
  if (n->kind != Y_SEQ)
    return n->s;
  struct buf b = {0};
  buf_puts(&b, "[");
  for (size_t i = 0; i < n->items.len; i++) {
    const struct ynode *item = n->items.items[i];
    if (item->kind == Y_MAP || item->kind == Y_SEQ) {
      buf_free(&b);
      return NULL;
    }
    buf_printf(&b, "%s%s", i ? ", " : "", item->s);
  }
  buf_puts(&b, "]");
  const char *s = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return s;
}

const char *helm_chart_default(const struct hv *h, const char *path) {
  for (size_t i = 0; i < sizeof chart_defaults / sizeof chart_defaults[0]; i++) {
    bool this_chart = !chart_defaults[i].minor || chart_defaults[i].minor == h->m->minor;
    if (this_chart && strcmp(chart_defaults[i].path, path) == 0)
      return chart_defaults[i].value;
  }
  return NULL;
}

void helm_drop_defaults(struct hv *h) {
  for (size_t i = 0; i < sizeof chart_defaults / sizeof chart_defaults[0]; i++) {
    if (chart_defaults[i].minor && chart_defaults[i].minor != h->m->minor)
      continue;
    const struct ynode *n = y_get(h->root, chart_defaults[i].path);
    const char *text = n ? scalar_text(h->a, n) : NULL;
    if (text && strcmp(text, chart_defaults[i].value) == 0)
      y_remove(h->root, chart_defaults[i].path);
  }
}
