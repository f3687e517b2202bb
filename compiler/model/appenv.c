/* appenv.c - Camunda's settings that every target passes the same way. */
#include "appenv.h"
#include "camunda.h"

#include <string.h>

struct sink {
  struct arena *a;
  struct vec *out;
  const char *prefix;
};

static void put(struct sink *s, const char *name, struct m_secstr value, const char *default_key) {
  struct appenv *v = arena_alloc(s->a, sizeof *v);
  v->name = arena_printf(s->a, "%s_%s", s->prefix, name);
  v->value = value;
  v->default_key = default_key;
  vec_push(s->a, s->out, v);
}

static void plain(struct sink *s, const char *name, const char *value, struct span at) {
  put(s, name, (struct m_secstr){.str = value ? value : "", .at = at, .set = true}, "value");
}

static void secret(struct sink *s, const char *name, const struct m_secstr *value, const char *default_key) {
  if (value->set)
    put(s, name, *value, default_key);
}

static void opt(struct sink *s, const char *name, const struct m_str *value) {
  if (value->set)
    plain(s, name, value->v, value->at);
}

void appenv_backup(struct arena *a, const struct model *m, struct vec *out) {
  const struct m_backup *b = &m->e.backup;
  if (!b->meta.present)
    return;
  struct sink s = {a, out, m->minor == 8 ? "ZEEBE_BROKER_DATA_BACKUP" : "CAMUNDA_DATA_PRIMARYSTORAGE_BACKUP"};
  if (b->s3.meta.present) {
    const struct m_s3 *s3 = &b->s3;
    plain(&s, "STORE", "S3", s3->meta.at);
    plain(&s, "S3_BUCKETNAME", s3->bucket.v, s3->bucket.at);
    opt(&s, "S3_REGION", &s3->region);
    opt(&s, "S3_ENDPOINT", &s3->endpoint);
    opt(&s, "S3_BASEPATH", &s3->base_path);
    secret(&s, "S3_ACCESSKEY", &s3->access_key, "access-key");
    secret(&s, "S3_SECRETKEY", &s3->secret_key, "secret-key");
  } else if (b->gcs.meta.present) {
    const struct m_gcs *g = &b->gcs;
    plain(&s, "STORE", "GCS", g->meta.at);
    plain(&s, "GCS_BUCKETNAME", g->bucket.v, g->bucket.at);
    opt(&s, "GCS_BASEPATH", &g->base_path);
    plain(&s, "GCS_AUTH", "auto", g->meta.at); /* application default credentials */
  } else if (b->azure.meta.present) {
    const struct m_azure *z = &b->azure;
    plain(&s, "STORE", "AZURE", z->meta.at);
    plain(&s, "AZURE_BASEPATH", z->container.v, z->container.at);
    opt(&s, "AZURE_ACCOUNTNAME", &z->account);
    secret(&s, "AZURE_CONNECTIONSTRING", &z->connection_string, "connection-string");
  } else if (b->filesystem.meta.present) {
    plain(&s, "STORE", "FILESYSTEM", b->filesystem.meta.at);
    opt(&s, "FILESYSTEM_BASEPATH", &b->filesystem.path);
  }
}

void appenv_backup_check(const struct model *m, struct diags *d) {
  const struct m_backup *b = &m->e.backup;
  if (!b->meta.present || !b->filesystem.meta.present || b->filesystem.path.set)
    return;
  struct diag *g = diag_error(d, "TGT002", b->filesystem.meta.at,
                              "the file-system backup store names no path: the brokers write the backups under it");
  diag_help(d, g, "path = \"/usr/local/camunda/backups\", a directory mounted on every broker");
}

struct m_envmap appenv_connector_secrets(struct arena *a, const struct model *m) {
  const struct m_envmap *in = &m->e.connectors.secrets;
  struct m_envmap out = {.at = in->at, .set = in->set};
  for (size_t i = 0; i < in->v.len; i++) {
    const struct m_env *e = in->v.items[i];
    struct m_env *n = arena_alloc(a, sizeof *n);
    n->name = arena_printf(a, APPENV_CONNECTOR_SECRET_PREFIX "%s", e->name);
    n->value = e->value;
    vec_push(a, &out.v, n);
  }
  return out;
}

const char *appenv_token_url(struct arena *a, const struct model *m) {
  const struct m_identity *id = &m->e.identity;
  if (id->token_url.set)
    return id->token_url.v;
  if (!id->issuer.set)
    return NULL;
  const char *iss = id->issuer.v;
  size_t n = strlen(iss);
  if (n && iss[n - 1] == '/')
    n--;
  if (id->provider.v == M_idp_keycloak)
    return arena_printf(a, "%.*s/protocol/openid-connect/token", (int)n, iss);
  if (id->provider.v == M_idp_microsoft && n > 5 && strncmp(iss + n - 5, "/v2.0", 5) == 0)
    return arena_printf(a, "%.*s/oauth2/v2.0/token", (int)(n - 5), iss);
  return NULL;
}

const char *appenv_keycloak_url(struct arena *a, const char *base, const struct m_keycloak *k, const char *path) {
  const char *ctx = k->context_path.set && strcmp(k->context_path.v, "/") != 0 ? k->context_path.v : "";
  return arena_printf(a, "%s%s%s", base, *ctx || *path ? ctx : "/", path);
}

const char *appenv_keycloak_realm(struct arena *a, const char *base, const struct m_keycloak *k) {
  return appenv_keycloak_url(a, base, k, arena_printf(a, "/realms/%s", k->realm.v));
}

const struct m_user *appenv_connectors_user(const struct model *m) {
  const struct m_list *users = &m->e.identity.user;
  for (size_t i = 0; i < users->v.len; i++) {
    const struct m_user *u = users->v.items[i];
    if (camunda_has_role(u, ROLE_CONNECTORS))
      return u;
  }
  return NULL;
}

bool appenv_ingress_tls(const struct m_ingress *in) { return in->tls.set || in->platform_tls.v; }

const char *appenv_ingress_url(struct arena *a, const struct m_ingress *in) {
  if (!in->meta.present || !in->host.set)
    return NULL;
  return arena_printf(a, "%s://%s", appenv_ingress_tls(in) ? "https" : "http", in->host.v);
}
