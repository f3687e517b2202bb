/* platform.c - the management side of the Helm values: Management Identity
 * with Keycloak (bundled or external) or an OIDC provider, its database,
 * the OIDC settings every component shares (global.identity.auth),
 * Optimize, Web Modeler with its database and mail, and Console.
 *
 * Secrets become secret.existingSecret/existingSecretKey (the form both
 * charts read); a plain string goes to secret.inlineSecret, which rule
 * ID020 refuses in production, or to the Bitnami subcharts' own keys for a
 * literal (auth.adminPassword, auth.password, externalDatabase.password);
 * helm_check refuses one where the chart has no such key.  JDBC and
 * Keycloak URLs are taken apart by url.h.  Public URLs follow the Ingress host, with
 * the context paths of Camunda's reference values (/managementidentity,
 * /optimize, /modeler, /console, /auth for the bundled Keycloak).
 */
#include <string.h>

#include "appenv.h"
#include "url.h"
#include "helm_int.h"

/* path.secret.*: a secret reference, or the plain string inline. */
static void password(struct hv *h, const char *path, const struct m_secstr *s, const char *default_key) {
  helm_secret(h, arena_printf(h->a, "%s.secret", path), s, default_key);
}

/* A PostgreSQL the chart bundles (Bitnami's chart) reads two passwords
 * from one Secret, path.existingSecret: the user's under
 * secretKeys.userPasswordKey and the postgres administrator's under
 * secretKeys.adminPasswordKey.  The administrator's key is
 * admin_password's, else the chart's default (admin_key), and the README
 * lists it either way, since the chart looks it up in the estate's
 * Secret.  helm_check refuses admin_password in another Secret.  A plain
 * password is the subchart's auth.password (the chart then makes its own
 * Secret, with a generated administrator's password). */
static void bundled_postgres(struct hv *h, const char *path, const struct m_database *db, const char *admin_key) {
  struct arena *a = h->a;
  helm_secret_keys(h, arena_printf(a, "%s.existingSecret", path), arena_printf(a, "%s.secretKeys.userPasswordKey", path),
                   arena_printf(a, "%s.password", path), &db->password, "password");
  if (!db->password.set || !db->password.secret)
    return;
  const char *key = db->admin_password.set && db->admin_password.key ? db->admin_password.key : admin_key;
  const char *key_path = arena_printf(a, "%s.secretKeys.adminPasswordKey", path);
  helm_str(h, key_path, key);
  helm_needs_secret(h, db->password.secret, key, key_path);
}

/* An external database's host, port and database at path.host, .port and
 * .database (the JDBC URL lowering checked). */
static void jdbc_parts(struct hv *h, const char *path, const char *jdbc) {
  struct url u;
  if (url_parse(h->a, URL_FORM_JDBC, jdbc, &u) != URL_OK)
    return;
  helm_str(h, arena_printf(h->a, "%s.host", path), url_host_text(h->a, &u));
  helm_set(h, arena_printf(h->a, "%s.port", path), y_int(h->a, url_port(&u)));
  helm_str(h, arena_printf(h->a, "%s.database", path), u.path);
}

/* https://host when the Ingress has TLS, http://host otherwise; NULL
 * without an Ingress host. */
static const char *public_base(struct hv *h) { return appenv_ingress_url(h->a, &h->m->e.ingress); }

static void context_path(struct hv *h, const char *component, const char *path) {
  if (public_base(h))
    helm_str(h, arena_printf(h->a, "%s.contextPath", component), path);
}

/* The issuer as the browser reaches it. */
static const char *issuer(struct hv *h) {
  const struct m_estate *e = &h->m->e;
  if (e->identity.issuer.set)
    return e->identity.issuer.v;
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->meta.present || mi->provider.v != M_mi_provider_keycloak)
    return NULL;
  const struct m_keycloak *k = &mi->keycloak;
  if (k->url.set)
    return appenv_keycloak_realm(h->a, k->url.v, k);
  const char *base = public_base(h);
  return base ? appenv_keycloak_realm(h->a, base, k) : NULL;
}

/* global.identity.auth: the identity provider every component shares. */
static void identity_provider(struct hv *h) {
  struct arena *a = h->a;
  const struct m_estate *e = &h->m->e;
  const struct m_identity *id = &e->identity;
  const struct m_management_identity *mi = &e->management_identity;
  if (id->method.v != M_auth_method_oidc && !mi->meta.present)
    return;
  static const char *const types[] = {"KEYCLOAK", "MICROSOFT", "GENERIC"};
  bool keycloak = mi->meta.present && mi->provider.v == M_mi_provider_keycloak;
  helm_set(h, "global.identity.auth.enabled", y_bool(a, true));
  helm_str(h, "global.identity.auth.type", keycloak ? "KEYCLOAK" : types[id->provider.v - M_idp_keycloak]);
  const char *iss = issuer(h);
  if (iss) {
    helm_str(h, "global.identity.auth.issuer", iss);
    helm_str(h, "global.identity.auth.publicIssuerUrl", iss);
  }
  if (id->issuer_backend.set)
    helm_str(h, "global.identity.auth.issuerBackendUrl", id->issuer_backend.v);
  else if (keycloak && !mi->keycloak.url.set)
    helm_str(h, "global.identity.auth.issuerBackendUrl",
             appenv_keycloak_realm(a, arena_printf(a, "http://%s-keycloak:80", e->release.v), &mi->keycloak));
  if (!keycloak) {
    if (id->token_url.set)
      helm_str(h, "global.identity.auth.tokenUrl", id->token_url.v);
    if (id->jwks_url.set)
      helm_str(h, "global.identity.auth.jwksUrl", id->jwks_url.v);
    if (id->auth_url.set)
      helm_str(h, "global.identity.auth.authUrl", id->auth_url.v);
  }
  /* the management components' clients, by label */
  /* Management Identity's own client: with Keycloak the chart calls it
   * admin and refuses a secret for identity (its constraints.tpl). */
  const struct {
    const char *label, *key, *path;
    bool on;  /* the component runs: only then does its redirect URL matter */
  } clients[] = {
      {"management_identity", "identity", NULL, true},  /* the chart has no redirect URL for it */
      {"optimize", "optimize", "/optimize", e->optimize.meta.present},
      {"console", "console", "/console", e->console.meta.present},
      {"web_modeler", "webModeler", "/modeler", e->web_modeler.meta.present},
  };
  const struct m_client *mic = model_client(&h->m->e.identity, "management_identity");
  if (keycloak && mic)
    helm_secret(h, "global.identity.auth.admin.secret", &mic->secret, "client-secret");
  const char *base = public_base(h);
  for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
    const struct m_client *c = model_client(&h->m->e.identity, clients[i].label);
    const char *p = arena_printf(a, "global.identity.auth.%s", clients[i].key);
    if (c && i == 0 && keycloak)
      continue;  /* written as admin above */
    if (c) {
      helm_str(h, arena_printf(a, "%s.clientId", p), c->id.v);
      if (c->audience.set)
        helm_str(h, arena_printf(a, "%s.%s", p, i == 3 ? "publicApiAudience" : "audience"), c->audience.v);
      if (i < 2)  /* console and Web Modeler are public clients */
        helm_secret(h, arena_printf(a, "%s.secret", p), &c->secret, "client-secret");
    }
    const char *redirect = !clients[i].path || !clients[i].on ? NULL
                           : c && c->redirect_url.set ? c->redirect_url.v
                           : base                     ? arena_printf(a, "%s%s", base, clients[i].path)
                                                      : NULL;
    if (redirect)
      helm_str(h, arena_printf(a, "%s.redirectUrl", p), redirect);
  }
}

/* Keycloak for Management Identity: the chart's bundled one, or external. */
static void keycloak(struct hv *h) {
  struct arena *a = h->a;
  const struct m_management_identity *mi = &h->m->e.management_identity;
  const struct m_keycloak *k = &mi->keycloak;
  if (mi->provider.v != M_mi_provider_keycloak)
    return;
  if (!k->url.set) {
    helm_set(h, "identityKeycloak.enabled", y_bool(a, true));
    helm_str(h, "identityKeycloak.auth.adminUser", k->admin_user.v);
    helm_secret_keys(h, "identityKeycloak.auth.existingSecret", "identityKeycloak.auth.passwordSecretKey",
                     "identityKeycloak.auth.adminPassword", &k->admin_password, "password");
    helm_resources(h, "identityKeycloak.resources", &k->resources);
    const struct m_database *db = &k->database;
    if (db->meta.present && !db->url.set)
      bundled_postgres(h, "identityKeycloak.postgresql.auth", db, "identity-keycloak-postgresql-admin-password");
    if (db->meta.present && !db->url.set)
      helm_resources(h, "identityKeycloak.postgresql.primary.resources", &db->resources);
    if (db->meta.present && db->url.set) {
      helm_set(h, "identityKeycloak.postgresql.enabled", y_bool(a, false));
      jdbc_parts(h, "identityKeycloak.externalDatabase", db->url.v);
      if (db->user.set)
        helm_str(h, "identityKeycloak.externalDatabase.user", db->user.v);
      helm_secret_keys(h, "identityKeycloak.externalDatabase.existingSecret",
                       "identityKeycloak.externalDatabase.existingSecretPasswordKey",
                       "identityKeycloak.externalDatabase.password", &db->password, "password");
    }
    return;
  }
  helm_set(h, "global.identity.keycloak.internal", y_bool(a, false));
  helm_url(h, "global.identity.keycloak.url", k->url.v);
  helm_str(h, "global.identity.keycloak.contextPath", k->context_path.v);
  helm_str(h, "global.identity.keycloak.realm", arena_printf(a, "/realms/%s", k->realm.v));
  helm_str(h, "global.identity.keycloak.auth.adminUser", k->admin_user.v);
  /* chart 13.x reads the password of an existing Keycloak from a Secret
   * only (helm_check refuses a plain one); 14.x also inline */
  if (h->m->minor == 8)
    helm_secret_keys(h, "global.identity.keycloak.auth.existingSecret", "global.identity.keycloak.auth.existingSecretKey",
                     NULL, &k->admin_password, "password");
  else
    helm_secret(h, "global.identity.keycloak.auth.secret", &k->admin_password, "password");
}

/* Management Identity: identity.* and its database. */
static void management_identity(struct hv *h) {
  struct arena *a = h->a;
  const struct m_management_identity *mi = &h->m->e.management_identity;
  if (!mi->meta.present)
    return;
  helm_set(h, "identity.enabled", y_bool(a, true));
  context_path(h, "identity", "/managementidentity");
  if (public_base(h))
    helm_str(h, "identity.fullURL", arena_printf(a, "%s/managementidentity", public_base(h)));
  if (mi->first_user.set) {
    helm_set(h, "identity.firstUser.enabled", y_bool(a, true));
    helm_str(h, "identity.firstUser.username", mi->first_user.v);
    if (mi->first_user_email.set)
      helm_str(h, "identity.firstUser.email", mi->first_user_email.v);
    if (mi->first_user_first_name.set)
      helm_str(h, "identity.firstUser.firstName", mi->first_user_first_name.v);
    if (mi->first_user_last_name.set)
      helm_str(h, "identity.firstUser.lastName", mi->first_user_last_name.v);
    password(h, "identity.firstUser", &mi->first_user_password, "password");
  }
  if (mi->multi_tenancy.v) {
    helm_set(h, "global.multitenancy.enabled", y_bool(a, true));
    helm_set(h, "identity.multitenancy.enabled", y_bool(a, true));
  }
  helm_resources(h, "identity.resources", &mi->resources);
  helm_image(h, "identity", &h->m->e.images.identity);
  helm_extra_env(h, "identity.env", &mi->env);
  const struct m_database *db = &mi->database;
  if (db->meta.present && db->url.set) {
    helm_set(h, "identity.externalDatabase.enabled", y_bool(a, true));
    jdbc_parts(h, "identity.externalDatabase", db->url.v);
    if (db->user.set)
      helm_str(h, "identity.externalDatabase.username", db->user.v);
    password(h, "identity.externalDatabase", &db->password, "password");
  } else if (db->meta.present) {
    helm_set(h, "identityPostgresql.enabled", y_bool(a, true));
    helm_resources(h, "identityPostgresql.primary.resources", &db->resources);
    bundled_postgres(h, "identityPostgresql.auth", db, "identity-postgresql-admin-password");
  }
  keycloak(h);
}

/* Optimize; on 8.9 it is told its store (the global keys are deprecated). */
static void optimize(struct hv *h) {
  struct arena *a = h->a;
  const struct m_optimize *op = &h->m->e.optimize;
  if (!op->meta.present)
    return;
  helm_set(h, "optimize.enabled", y_bool(a, true));
  context_path(h, "optimize", "/optimize");
  /* the 8.7-to-8.8 data migration runs only when the estate is an upgrade */
  if (h->m->minor == 8 && !h->m->e.upgrade.meta.present)
    helm_set(h, "optimize.migration.enabled", y_bool(a, false));
  helm_str(h, "optimize.partitionCount", arena_printf(a, "%lld", (long long)h->m->e.orchestration.partitions.v));
  if (op->multi_tenancy.v)
    helm_set(h, "optimize.multitenancy.enabled", y_bool(a, true));
  helm_resources(h, "optimize.resources", &op->resources);
  helm_java_opts(h, "optimize.javaOpts", &op->java_opts);
  helm_image(h, "optimize", &h->m->e.images.optimize);
  helm_extra_env(h, "optimize.env", &op->env);
  const struct m_storage *st = &h->m->e.orchestration.storage;
  int kind = st->meta.kind;
  if (h->m->minor == 8 || !st->url.set || (kind != M_storage_kind_elasticsearch && kind != M_storage_kind_opensearch))
    return;
  const char *p = kind == M_storage_kind_elasticsearch ? "optimize.database.elasticsearch" : "optimize.database.opensearch";
  helm_set(h, arena_printf(a, "%s.enabled", p), y_bool(a, true));
  if (kind == M_storage_kind_elasticsearch)
    helm_set(h, arena_printf(a, "%s.external", p), y_bool(a, true));
  helm_url(h, arena_printf(a, "%s.url", p), st->url.v);
  if (st->username.set)
    helm_str(h, arena_printf(a, "%s.auth.username", p), st->username.v);
  password(h, arena_printf(a, "%s.auth", p), &st->password, "password");
  if (kind == M_storage_kind_opensearch && st->aws_iam.v)
    helm_set(h, arena_printf(a, "%s.aws.enabled", p), y_bool(a, true));
}

/* Web Modeler: its database (bundled PostgreSQL or external) and mail. */
static void web_modeler(struct hv *h) {
  struct arena *a = h->a;
  const struct m_web_modeler *wm = &h->m->e.web_modeler;
  if (!wm->meta.present)
    return;
  helm_set(h, "webModeler.enabled", y_bool(a, true));
  context_path(h, "webModeler", "/modeler");
  helm_image(h, "webModeler", &h->m->e.images.web_modeler);
  if (wm->replicas.v != 1)
    helm_set(h, "webModeler.restapi.replicas", y_int(a, wm->replicas.v));
  helm_resources(h, "webModeler.restapi.resources", &wm->resources);
  helm_resources(h, "webModeler.webapp.resources", &wm->webapp_resources);
  helm_resources(h, "webModeler.websockets.resources", &wm->websockets_resources);
  helm_extra_env(h, "webModeler.restapi.env", &wm->env);
  const struct m_database *db = &wm->database;
  if (db->meta.present && db->url.set) {
    helm_str(h, "webModeler.restapi.externalDatabase.url", db->url.v);
    if (db->user.set)
      helm_str(h, "webModeler.restapi.externalDatabase.user", db->user.v);
    password(h, "webModeler.restapi.externalDatabase", &db->password, "password");
  } else if (db->meta.present) {
    helm_set(h, "webModelerPostgresql.enabled", y_bool(a, true));
    helm_resources(h, "webModelerPostgresql.primary.resources", &db->resources);
    bundled_postgres(h, "webModelerPostgresql.auth", db, "web-modeler-postgresql-admin-password");
  }
  const struct m_mail *m = &wm->mail;
  if (!m->meta.present)
    return;
  const char *p = "webModeler.restapi.mail";
  if (m->from.set)
    helm_str(h, arena_printf(a, "%s.fromAddress", p), m->from.v);
  helm_str(h, arena_printf(a, "%s.fromName", p), m->from_name.v);
  if (m->smtp_host.set)
    helm_str(h, arena_printf(a, "%s.smtpHost", p), m->smtp_host.v);
  helm_set(h, arena_printf(a, "%s.smtpPort", p), y_int(a, m->smtp_port.v));
  if (m->smtp_user.set)
    helm_str(h, arena_printf(a, "%s.smtpUser", p), m->smtp_user.v);
  password(h, p, &m->smtp_password, "smtp-password");
  helm_set(h, arena_printf(a, "%s.smtpTlsEnabled", p), y_bool(a, m->tls.v));
}

static void console(struct hv *h) {
  struct arena *a = h->a;
  const struct m_console *c = &h->m->e.console;
  if (!c->meta.present)
    return;
  helm_set(h, "console.enabled", y_bool(a, true));
  context_path(h, "console", "/console");
  if (c->replicas.v != 1)
    helm_set(h, "console.replicas", y_int(a, c->replicas.v));
  helm_resources(h, "console.resources", &c->resources);
  helm_image(h, "console", &h->m->e.images.console);
  helm_extra_env(h, "console.env", &c->env);
}

void helm_platform(struct hv *h) {
  identity_provider(h);
  management_identity(h);
  optimize(h);
  web_modeler(h);
  console(h);
}
