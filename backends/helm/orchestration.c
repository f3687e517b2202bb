/* orchestration.c - the Orchestration Cluster's part of the Helm values:
 * zones, secondary storage (8.8 and 8.9 keys), authentication and initial
 * users, backups. */
#include <string.h>

#include "appenv.h"
#include "values.h"

/* Brokers spread evenly over the zones (maxSkew 1), as Camunda's
 * reference architecture asks; the chart labels broker pods
 * app.kubernetes.io/component=zeebe-broker (its own anti-affinity selects
 * them so).  Which zones exist is the cluster's node pools' business: the
 * chart has no key to pin pods to named zones, so the names are not
 * written, only used by the rules. */
void helm_zones(struct hv *h, const struct m_strlist *zs) {
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
  helm_set(h, "orchestration.topologySpreadConstraints", constraints);
}

void helm_storage_88(struct hv *h, const struct m_storage *s, int kind) {
  struct arena *a = h->a;
  switch (kind) {
  case M_storage_kind_elasticsearch:
    if (!s->url.set) { /* the bundled Elasticsearch subchart: the chart's default */
      if (s->nodes.set)
        helm_set(h, "elasticsearch.master.replicaCount", y_int(a, s->nodes.v));
      helm_str(h, "elasticsearch.master.persistence.size", model_format_size(a, s->disk.v));
      helm_resources(h, "elasticsearch.master.resources", &s->resources);
      return;
    }
    helm_set(h, "global.elasticsearch.enabled", y_bool(a, true));
    helm_set(h, "global.elasticsearch.external", y_bool(a, true));
    helm_set(h, "elasticsearch.enabled", y_bool(a, false));
    break;
  case M_storage_kind_opensearch:
    helm_set(h, "global.elasticsearch.enabled", y_bool(a, false));
    helm_set(h, "elasticsearch.enabled", y_bool(a, false));
    helm_set(h, "global.opensearch.enabled", y_bool(a, true));
    if (s->aws_iam.v)
      helm_set(h, "global.opensearch.aws.enabled", y_bool(a, true));
    break;
  case M_storage_kind_none:
    helm_set(h, "global.noSecondaryStorage", y_bool(a, true));
    helm_set(h, "global.elasticsearch.enabled", y_bool(a, false));
    helm_set(h, "elasticsearch.enabled", y_bool(a, false));
    return;
  default:
    return; /* rdbms: refused by helm_check for 8.8 */
  }
  const char *g = kind == M_storage_kind_opensearch ? "global.opensearch" : "global.elasticsearch";
  const char *proto, *host;
  int64_t port;
  helm_url_parts(a, s->url.v, &proto, &host, &port);
  helm_str(h, arena_printf(a, "%s.url.protocol", g), proto);
  helm_str(h, arena_printf(a, "%s.url.host", g), host);
  helm_set(h, arena_printf(a, "%s.url.port", g), y_int(a, port));
  if (s->username.set)
    helm_str(h, arena_printf(a, "%s.auth.username", g), s->username.v);
  if (s->password.set)
    helm_secret(h, arena_printf(a, "%s.auth.secret", g), &s->password, "password");
}

void helm_storage_89(struct hv *h, const struct m_storage *s, int kind) {
  struct arena *a = h->a;
  const char *base = "orchestration.data.secondaryStorage";
  switch (kind) {
  case M_storage_kind_elasticsearch:
    if (!s->url.set) { /* bundled subchart, as the chart's values-local.yaml does it */
      helm_set(h, "global.elasticsearch.enabled", y_bool(a, true));
      helm_set(h, "elasticsearch.enabled", y_bool(a, true));
      if (s->nodes.set)
        helm_set(h, "elasticsearch.master.replicaCount", y_int(a, s->nodes.v));
      helm_str(h, "elasticsearch.master.persistence.size", model_format_size(a, s->disk.v));
      helm_resources(h, "elasticsearch.master.resources", &s->resources);
      return;
    }
    break;
  case M_storage_kind_none:
    helm_set(h, "global.noSecondaryStorage", y_bool(a, true));
    return;
  case M_storage_kind_rdbms:
    helm_set(h, "orchestration.exporters.camunda.enabled", y_bool(a, false));
    helm_set(h, "orchestration.exporters.rdbms.enabled", y_bool(a, true));
    break;
  default:
    break;
  }
  const char *type = model_enum_name(kind);
  helm_str(h, arena_printf(a, "%s.type", base), type);
  const char *sub = arena_printf(a, "%s.%s", base, type);
  helm_str(h, arena_printf(a, "%s.url", sub), s->url.v);
  if (s->aws_iam.v)
    helm_set(h, arena_printf(a, "%s.aws.enabled", sub), y_bool(a, true));
  const char *auth = kind == M_storage_kind_rdbms ? sub : arena_printf(a, "%s.auth", sub);
  if (s->username.set)
    helm_str(h, arena_printf(a, "%s.username", auth), s->username.v);
  if (s->password.set)
    helm_secret(h, arena_printf(a, "%s.secret", auth), &s->password, "password");
}

/* Basic users become initialization.users; a password given as a secret()
 * is passed through the environment from the Secret, never as a value. */
/* With OIDC the users live at the provider: a user block then only gives
 * the provider's user name its roles. */
static void users(struct hv *h, bool with_accounts) {
  struct arena *a = h->a;
  const struct m_list *list = &h->m->e.identity.user;
  if (list->v.len == 0)
    return;
  struct ynode *seq = y_seq(a), *admins = y_seq(a), *conn = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    struct ynode *y = y_map(a);
    y_set(a, y, "username", y_str(a, u->meta.label));
    if (!with_accounts)
      ;  /* no password: the provider holds the account */
    else if (u->password.set && u->password.str)
      y_set(a, y, "password", y_str(a, u->password.str));
    else if (u->password.set)
      y_push(a, helm_env_list(h, "orchestration.env"),
             helm_env_entry(h, arena_printf(a, "CAMUNDA_SECURITY_INITIALIZATION_USERS_%zu_PASSWORD", i), &u->password,
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
  if (with_accounts)
    helm_set(h, "orchestration.security.initialization.users", seq);
  if (admins->items.len || with_accounts)
    helm_set(h, "orchestration.security.initialization.defaultRoles.admin.users", admins);
  if (conn->items.len)
    helm_set(h, "orchestration.security.initialization.defaultRoles.connectors.users", conn);
}

const struct m_client *helm_client(const struct model *m, const char *label) {
  for (size_t i = 0; i < m->e.identity.client.v.len; i++) {
    const struct m_client *c = m->e.identity.client.v.items[i];
    if (strcmp(c->meta.label, label) == 0)
      return c;
  }
  return NULL;
}

void helm_authentication(struct hv *h) {
  struct arena *a = h->a;
  const struct m_identity *id = &h->m->e.identity;
  switch (id->method.v) {
  case M_auth_method_none:
    helm_set(h, "orchestration.security.authentication.unprotectedApi", y_bool(a, true));
    helm_set(h, "orchestration.security.authorizations.enabled", y_bool(a, false));
    break;
  case M_auth_method_basic:
    users(h, true);
    break;
  case M_auth_method_oidc: {
    /* global.identity.auth, shared with the management side: platform.c */
    helm_str(h, "global.security.authentication.method", "oidc");
    users(h, false);
    const char *o = "orchestration.security.authentication.oidc";
    if (id->issuer.set)
      helm_str(h, arena_printf(a, "%s.issuer", o), id->issuer.v);
    if (id->token_url.set)
      helm_str(h, arena_printf(a, "%s.tokenUrl", o), id->token_url.v);
    if (id->jwks_url.set)
      helm_str(h, arena_printf(a, "%s.jwksUrl", o), id->jwks_url.v);
    if (id->auth_url.set)
      helm_str(h, arena_printf(a, "%s.authUrl", o), id->auth_url.v);
    helm_str(h, arena_printf(a, "%s.audience", o), id->audience.v);
    helm_str(h, arena_printf(a, "%s.usernameClaim", o), id->username_claim.v);
    helm_str(h, arena_printf(a, "%s.clientIdClaim", o), id->client_id_claim.v);
    if (id->groups_claim.set)
      helm_str(h, arena_printf(a, "%s.groupsClaim", o), id->groups_claim.v);
    const struct m_client *c = helm_client(h->m, "orchestration");
    if (c) {
      helm_str(h, arena_printf(a, "%s.clientId", o), c->id.v);
      const struct m_ingress *in = &h->m->e.ingress;
      if (c->redirect_url.set)
        helm_str(h, arena_printf(a, "%s.redirectUrl", o), c->redirect_url.v);
      else if (in->meta.present && in->host.set)
        helm_str(h, arena_printf(a, "%s.redirectUrl", o),
                 arena_printf(a, "%s://%s", in->tls.set ? "https" : "http", in->host.v));
      if (c->secret.set)
        helm_secret(h, arena_printf(a, "%s.secret", o), &c->secret, "client-secret");
    }
    const struct m_client *cc = helm_client(h->m, "connectors");
    if (cc && h->m->e.connectors.meta.present) {
      helm_str(h, "connectors.security.authentication.oidc.clientId", cc->id.v);
      if (cc->secret.set)
        helm_secret(h, "connectors.security.authentication.oidc.secret", &cc->secret, "client-secret");
    }
    break;
  }
  }
  if (!id->authorizations.v && id->method.v != M_auth_method_none)
    helm_set(h, "orchestration.security.authorizations.enabled", y_bool(a, false));
  if (id->multi_tenancy.v) {
    helm_set(h, "orchestration.multitenancy.checks.enabled", y_bool(a, true));
    helm_set(h, "orchestration.multitenancy.api.enabled", y_bool(a, true));
  }
}

/* Backups: the chart has no keys for them; the brokers read their backup
 * store from the environment (8.8: zeebe.broker.data.backup.*, 8.9:
 * camunda.data.primary-storage.backup.*), credentials from Secrets. */
void helm_backup(struct hv *h) {
  struct vec vars = {0};
  appenv_backup(h->a, h->m, &vars);
  for (size_t i = 0; i < vars.len; i++) {
    const struct appenv *v = vars.items[i];
    y_push(h->a, helm_env_list(h, "orchestration.env"), helm_env_entry(h, v->name, &v->value, v->default_key));
  }
}

