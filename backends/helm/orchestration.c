/* orchestration.c - the Orchestration Cluster's part of the Helm values:
 * zones, secondary storage (8.8 and 8.9 keys), authentication, initial
 * users and roles (identity as code: access.c), Connectors' login, backups. */
#include <string.h>

#include "appenv.h"
#include "helm_int.h"

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
  if (s->url.set)  /* an external store: helm_check refuses OpenSearch without one */
    helm_url(h, arena_printf(a, "%s.url", g), s->url.v);
  if (s->username.set)
    helm_str(h, arena_printf(a, "%s.auth.username", g), s->username.v);
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
  if (s->url.set)  /* helm_check refuses OpenSearch and RDBMS without one */
    helm_str(h, arena_printf(a, "%s.url", sub), s->url.v);
  if (s->aws_iam.v)
    helm_set(h, arena_printf(a, "%s.aws.enabled", sub), y_bool(a, true));
  const char *auth = kind == M_storage_kind_rdbms ? sub : arena_printf(a, "%s.auth", sub);
  if (s->username.set)
    helm_str(h, arena_printf(a, "%s.username", auth), s->username.v);
  helm_secret(h, arena_printf(a, "%s.secret", auth), &s->password, "password");
}

/* An env list entry with a plain value. */
static struct ynode *env_value(struct hv *h, const char *name, const char *value) {
  return helm_env_entry(h, name, &(struct m_secstr){.str = value, .set = true}, "value");
}

static struct ynode *one_str(struct arena *a, const char *s) {
  struct ynode *seq = y_seq(a);
  y_push(a, seq, y_str(a, s));
  return seq;
}

/* Basic users become initialization.users, which the chart renders into
 * the cluster's application.yaml.  A password given as a secret() can
 * only reach the pods through the environment, and Spring Boot takes a
 * list whole from one property source: a lone
 * CAMUNDA_SECURITY_INITIALIZATION_USERS_<i>_PASSWORD would replace the
 * users by users with a password and no name.  So when any password is a
 * secret, every field of every user goes through the environment
 * (CAMUNDA_SECURITY_INITIALIZATION_USERS_<i>_*), and the values list is
 * emptied of the chart's default users (demo, connectors).  Without user blocks the
 * chart's users stay. */
static void user_accounts(struct hv *h) {
  struct arena *a = h->a;
  const struct m_list *list = &h->m->e.identity.user;
  if (list->v.len == 0)
    return;
  bool by_env = false;
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    by_env = by_env || (u->password.set && u->password.secret);
  }
  struct ynode *seq = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    if (by_env) {
      struct ynode *env = helm_env_list(h, "orchestration.env");
      const char *p = arena_printf(a, "CAMUNDA_SECURITY_INITIALIZATION_USERS_%zu", i);
      y_push(a, env, env_value(h, arena_printf(a, "%s_USERNAME", p), u->meta.label));
      if (u->password.set)
        y_push(a, env, helm_env_entry(h, arena_printf(a, "%s_PASSWORD", p), &u->password, "password"));
      if (u->name.set)
        y_push(a, env, env_value(h, arena_printf(a, "%s_NAME", p), u->name.v));
      if (u->email.set)
        y_push(a, env, env_value(h, arena_printf(a, "%s_EMAIL", p), u->email.v));
      continue;
    }
    struct ynode *y = y_map(a);
    y_set(a, y, "username", y_str(a, u->meta.label));
    if (u->password.set)
      y_set(a, y, "password", y_str(a, u->password.str));
    if (u->name.set)
      y_set(a, y, "name", y_str(a, u->name.v));
    if (u->email.set)
      y_set(a, y, "email", y_str(a, u->email.v));
    y_push(a, seq, y);
  }
  helm_set(h, "orchestration.security.initialization.users", seq);
}

/* The admin and connectors roles, in place of the chart's defaults (admin:
 * user demo; connectors: user connectors and client connectors).  With
 * basic authentication they go to the estate's users; without user blocks
 * the chart's users and roles stay together.  With OIDC the accounts live
 * at the provider: a user block only gives the provider's user its roles,
 * Management Identity's first user is admin when no user block says who
 * is, and the connectors role goes to Connectors' client. */
static void default_roles(struct hv *h, bool basic) {
  struct arena *a = h->a;
  const struct m_list *list = &h->m->e.identity.user;
  if (basic && list->v.len == 0)
    return;
  struct ynode *admins = y_seq(a), *conn = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    if (camunda_has_role(u, ROLE_ADMIN))
      y_push(a, admins, y_str(a, u->meta.label));
    if (camunda_has_role(u, ROLE_CONNECTORS))
      y_push(a, conn, y_str(a, u->meta.label));
  }
  const struct m_management_identity *mi = &h->m->e.management_identity;
  if (!basic && list->v.len == 0 && mi->meta.present && mi->first_user.set)
    y_push(a, admins, y_str(a, mi->first_user.v));
  const char *r = "orchestration.security.initialization.defaultRoles";
  helm_set(h, arena_printf(a, "%s.admin.users", r), admins);
  helm_set(h, arena_printf(a, "%s.connectors.users", r), conn);
  if (basic)
    return;
  const struct m_client *cc = model_client(&h->m->e.identity, "connectors");
  helm_set(h, arena_printf(a, "%s.connectors.clients", r),
           cc && h->m->e.connectors.meta.present ? one_str(a, cc->id.v) : y_seq(a));
}

/* Connectors under basic authentication: the chart logs them in as the
 * first of initialization.users with that user's password from the
 * values, whatever its roles, and empty when the users come from the
 * environment.  The environment, which Spring Boot prefers to the
 * chart's application.yaml, names the first user with the connectors
 * role instead, its password from the Secret.  Without user blocks the
 * chart's own connectors user stays; helm_check refuses user blocks with
 * no connectors user. */
void helm_connectors_login(struct hv *h) {
  struct arena *a = h->a;
  if (h->m->e.identity.method.v != M_auth_method_basic || !h->m->e.connectors.meta.present)
    return;
  const struct m_user *u = appenv_connectors_user(h->m);
  if (!u)
    return;
  struct ynode *env = helm_env_list(h, "connectors.env");
  y_push(a, env, env_value(h, "CAMUNDA_CLIENT_AUTH_USERNAME", u->meta.label));
  if (u->password.set)
    y_push(a, env, helm_env_entry(h, "CAMUNDA_CLIENT_AUTH_PASSWORD", &u->password, "password"));
}

bool helm_connectors_login_missing(const struct model *m) {
  return m->e.identity.method.v == M_auth_method_basic && m->e.connectors.meta.present &&
         m->e.identity.user.v.len && !appenv_connectors_user(m);
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
    user_accounts(h);
    default_roles(h, true);
    break;
  case M_auth_method_oidc: {
    /* global.identity.auth, shared with the management side: platform.c */
    helm_str(h, "global.security.authentication.method", "oidc");
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
    const struct m_client *c = model_client(&h->m->e.identity, "orchestration");
    if (c) {
      helm_str(h, arena_printf(a, "%s.clientId", o), c->id.v);
      const struct m_ingress *in = &h->m->e.ingress;
      if (c->redirect_url.set)
        helm_str(h, arena_printf(a, "%s.redirectUrl", o), c->redirect_url.v);
      else if (in->meta.present && in->host.set)
        helm_str(h, arena_printf(a, "%s.redirectUrl", o), appenv_ingress_url(a, in));
      helm_secret(h, arena_printf(a, "%s.secret", o), &c->secret, "client-secret");
    }
    const struct m_client *cc = model_client(&h->m->e.identity, "connectors");
    if (cc && h->m->e.connectors.meta.present) {
      helm_str(h, "connectors.security.authentication.oidc.clientId", cc->id.v);
      helm_secret(h, "connectors.security.authentication.oidc.secret", &cc->secret, "client-secret");
    }
    default_roles(h, false);
    break;
  }
  }
  helm_access(h);
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

