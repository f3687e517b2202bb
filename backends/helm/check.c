/* check.c - what the Helm backend cannot express (TGT002) and what of
 * its own settings it does not write (TGT003), so no output silently lacks
 * a setting of the estate.  Settings for other kinds of place are the
 * model's ON rows: uses.c warns about those. */
#include <string.h>

#include "access.h"
#include "appenv.h"
#include "helm_int.h"

/* A field the Helm values do not carry: a warning, never a silent gap. */
static void helm_ignored(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_identity *id = &e->identity;
  for (size_t i = 0; i < id->client.v.len && id->method.v == M_auth_method_oidc; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (!camunda_known_client(c->meta.label) && !access_names_client(id, c))
      backend_ignored(d, c->meta.at, arena_printf(d->arena, "client \"%s\" is not written to the Helm values", c->meta.label),
                      arena_printf(d->arena, "the chart has clients for %s", camunda_clients));
    else if (c->audience.set && (!strcmp(c->meta.label, "orchestration") || !strcmp(c->meta.label, "connectors")))
      backend_ignored(d, c->audience.at, "this client's `audience` is not written to the Helm values",
                      "identity.audience sets the audience the cluster accepts");
  }
}

/* A database's admin_password is for a PostgreSQL the chart bundles,
 * which reads it from the Secret that holds password (auth.existingSecret
 * names one Secret for both). */
static void admin_password(struct diags *d, const struct m_database *db) {
  const struct m_secstr *ap = &db->admin_password;
  if (!db->meta.present || !ap->set)
    return;
  if (db->url.set) {
    backend_ignored(d, ap->at, "`admin_password` is not written to the Helm values",
                    "it is the administrator's of a PostgreSQL the chart bundles, and url names an external database");
    return;
  }
  if (!db->password.set || !db->password.secret || strcmp(db->password.secret, ap->secret) != 0) {
    struct diag *g = diag_error(d, "TGT002", ap->at,
                                "the bundled PostgreSQL reads both passwords from one Secret: admin_password must be "
                                "a key of password's Secret");
    diag_help(d, g,
              "password = secret(\"%s\", key = \"user-password\"), "
              "admin_password = secret(\"%s\", key = \"admin-password\")",
              ap->secret, ap->secret);
  }
}

/* Chart 13.x takes the members of a built-in role its values do not
 * declare only through the environment, where a role id is the variable's
 * name: Spring drops its '-' (readonly-admin would become readonlyadmin). */
static void role_members_88(const struct model *m, struct diags *d) {
  if (m->minor != 8)
    return;
  struct vec all = {0};
  access_builtin_members(d->arena, m, &all);
  for (size_t i = 0; i < all.len; i++) {
    const struct access_member *x = all.items[i];
    const char *kind = strcmp(x->kind, "mappingrules") == 0 ? "mappingRules" : x->kind;
    if (!strchr(x->role, '-') || helm_default_role_key(m, x->role, kind))
      continue;
    backend_refused(d, m->e.identity.meta.at,
                    "give the members a role of the estate's own with the same permissions (authorization blocks), "
                    "or move to Camunda 8.9 (chart 14.x reads an extra configuration file)",
                    "chart 13.x cannot give %s \"%s\" the role %s: its values have no key for it, and an environment "
                    "variable cannot name a role with '-'",
                    strcmp(x->kind, "users") == 0 ? "user" : strcmp(x->kind, "clients") == 0 ? "client"
                    : strcmp(x->kind, "groups") == 0 ? "group" : "mapping rule", x->id, x->role);
    return;
  }
}

/* What this backend cannot express yet is an error, never a silent gap. */
void helm_check(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  role_members_88(m, d);
  helm_ignored(m, d);
  if (e->ingress.meta.present && e->ingress.tls.set && e->ingress.platform_tls.v) {
    struct diag *g = diag_error(d, "TGT002", e->ingress.platform_tls.at,
                                "platform_tls and tls both give the Ingress its certificate: the chart takes one");
    diag_help(d, g, "keep tls = secret(...) for a certificate of your own, or platform_tls = true for the platform's");
  }
  appenv_backup_check(m, d);
  const struct m_management_identity *mi = &e->management_identity;
  if (mi->meta.present && mi->provider.v == M_mi_provider_keycloak && !mi->keycloak.url.set)
    admin_password(d, &mi->keycloak.database);
  const struct m_secstr *kp = &mi->keycloak.admin_password;
  if (mi->meta.present && mi->provider.v == M_mi_provider_keycloak && mi->keycloak.url.set && kp->set && !kp->secret &&
      m->minor == 8) {
    struct diag *g = diag_error(d, "TGT002", kp->at,
                                "chart 13.x reads the password of an existing Keycloak from a Secret only: it has no "
                                "key for a plain one");
    diag_help(d, g, "admin_password = secret(\"keycloak-admin\", key = \"password\")");
  }
  if (mi->meta.present)
    admin_password(d, &mi->database);
  if (e->web_modeler.meta.present)
    admin_password(d, &e->web_modeler.database);
  const struct m_backup *bk = &e->backup;
  if (bk->meta.present && bk->gcs.meta.present && bk->gcs.credentials.set)
    diag_error(d, "TGT002", bk->gcs.credentials.at,
               "the helm backend cannot mount a GCS key file yet: use workload identity (leave credentials unset)");
  if (bk->meta.present && bk->schedule.set)
    backend_ignored(d, bk->schedule.at, "`schedule` is not written to the Helm values", "take backups through the backup API");
  if (helm_connectors_login_missing(m)) {
    struct diag *g = diag_error(d, "TGT002", e->connectors.meta.at,
                                "Connectors log in as a user with the connectors role under basic authentication, "
                                "and no user has it");
    diag_help(d, g, "add one: identity { user \"connectors\" { password = secret(\"...\"), roles = [\"connectors\"] } }");
  }
  if (helm_oidc_token_url_88(m) && !appenv_token_url(d->arena, m)) {
    struct diag *g = diag_error(d, "TGT002", e->identity.issuer.set ? e->identity.issuer.at : e->identity.meta.at,
                                "Connectors on chart 13.x need the provider's token endpoint");
    diag_help(d, g, "set identity.token_url (camarch derives it only from a Keycloak or Entra ID issuer)");
  }
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
    for (size_t i = 0; e->ingress.grpc.meta.present && i < e->ingress.grpc.annotations.v.len; i++) {
      const struct m_env *an = e->ingress.grpc.annotations.v.items[i];
      if (an->value.secret)
        diag_error(d, "TYP006", an->value.at, "an Ingress annotation cannot be a secret");
    }
    if (!e->ingress.host.set)
      diag_error(d, "TGT002", e->ingress.meta.at, "the Ingress needs a host");
  }
  const struct m_orchestration *o = &e->orchestration;
  if (o->region.v.len && o->region.v.len != 2)
    diag_error(d, "TGT002", o->region.at, "the helm backend writes dual-region estates: exactly two region blocks");
  if (o->storage.meta.kind == M_storage_kind_rdbms && m->minor == 8)
    diag_error(d, "TGT002", o->storage.meta.at, "RDBMS secondary storage needs Camunda 8.9 (chart 14.x)");
  if (o->storage.meta.kind == M_storage_kind_opensearch && !o->storage.url.set)
    diag_error(d, "TGT002", o->storage.meta.at, "the chart bundles no OpenSearch: give the url of an external one");
  if (o->storage.meta.kind == M_storage_kind_rdbms && !o->storage.url.set)
    diag_error(d, "TGT002", o->storage.meta.at, "the chart bundles no relational database: give its JDBC url");
}
