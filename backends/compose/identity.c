/* identity.c - Management Identity in Compose, modelled on Camunda's full
 * project: the bundled Keycloak (or an external one) with its PostgreSQL,
 * Management Identity itself with the Keycloak clients, APIs and roles of
 * the components the estate enables, its first user and its own database.
 *
 * The browser reaches the bundled Keycloak at localhost:18080 and the
 * services reach it as keycloak:18080 on the project's network; Keycloak's
 * frontend URL is fixed (KC_HOSTNAME) and its back channel dynamic, so
 * every token carries the same issuer whichever address issued it. */
#include <inttypes.h>
#include <string.h>

#include "appenv.h"
#include "compose_int.h"

#define ID_CONFIG "config/identity/application.yaml"
#define PG_DATA "/var/lib/postgresql/data"

static bool bundled_keycloak(const struct model *m) {
  const struct m_management_identity *mi = &m->e.management_identity;
  return mi->meta.present && mi->provider.v == M_mi_provider_keycloak && !mi->keycloak.url.set;
}

const char *compose_postgres_url(struct compose *c, const char *service, const char *database) {
  return arena_printf(c->a, "jdbc:postgresql://%s:5432/%s", service, database);
}

/* A password given as a secret reaches PostgreSQL through its entrypoint:
 * the image reads POSTGRES_PASSWORD, the secrets file holds the secret's
 * own variable. */
void compose_postgres(struct compose *c, const char *service, const char *volume, const char *database,
                      const char *user, const struct m_secstr *password, const char *use) {
  struct arena *a = c->a;
  struct ynode *svc = compose_service(
      c, service, compose_image(c, &c->m->e.images.postgres, NULL, "postgres", "POSTGRES_VERSION", "15-alpine3.22"));
  compose_env(c, svc, "POSTGRES_DB", database);
  compose_env(c, svc, "POSTGRES_USER", user);
  if (password->set && password->secret) {
    const char *var = compose_secret_var(c, svc, password, "password", use);
    const char *run = arena_printf(a, "export POSTGRES_PASSWORD=\"$$%s\" && exec docker-entrypoint.sh postgres", var);
    const char *argv[] = {"sh", "-c", run, NULL};
    y_set(a, svc, "entrypoint", compose_argv(a, argv));
  } else {
    compose_env(c, svc, "POSTGRES_PASSWORD", password->set ? password->str : "camunda");
  }
  const char *probe = compose_escape(a, arena_printf(a, "pg_isready -d '%s' -U '%s'", database, user));
  const char *test[] = {"CMD-SHELL", probe, NULL};
  compose_health(c, svc, compose_argv(a, test), "10s", "5s", 5, "10s");
  compose_volume(c, svc, volume, PG_DATA);
}

void compose_datasource(struct compose *c, struct ynode *doc, const char *path, struct ynode *reader,
                        const struct m_database *db, const char *service, const char *database, const char *use) {
  struct arena *a = c->a;
  y_set(a, doc, arena_printf(a, "%s.url", path),
        y_str(a, db->url.set ? db->url.v : compose_postgres_url(c, service, database)));
  y_set(a, doc, arena_printf(a, "%s.username", path), y_str(a, db->user.set ? db->user.v : database));
  if (db->password.set)
    y_set(a, doc, arena_printf(a, "%s.password", path),
          y_str(a, compose_spring_value(c, reader, &db->password, "password", use)));
  else if (!db->url.set)
    y_set(a, doc, arena_printf(a, "%s.password", path), y_str(a, "camunda"));
}

void compose_after_identity(struct compose *c, struct ynode *svc) {
  const struct m_management_identity *mi = &c->m->e.management_identity;
  if (!mi->meta.present)
    return;
  compose_after(c, svc, "identity", "service_healthy");
  if (bundled_keycloak(c->m))
    compose_after(c, svc, "keycloak", "service_healthy");
}

/* --- Keycloak ------------------------------------------------------------- */

static void keycloak_env(struct compose *c, struct ynode *svc, const struct m_keycloak *k) {
  const struct m_database *db = &k->database;
  compose_env(c, svc, "KC_BOOTSTRAP_ADMIN_USERNAME", k->admin_user.v);
  if (k->admin_password.secret)
    compose_reads_secrets(c, svc); /* KC_BOOTSTRAP_ADMIN_PASSWORD, reserved in compose.c */
  else if (k->admin_password.set)
    compose_env(c, svc, "KC_BOOTSTRAP_ADMIN_PASSWORD", k->admin_password.str);
  compose_env(c, svc, "KC_DB", "postgres");
  compose_env(c, svc, "KC_DB_URL", db->url.set ? db->url.v : compose_postgres_url(c, "keycloak-db", "keycloak"));
  compose_env(c, svc, "KC_DB_USERNAME", db->user.set ? db->user.v : "keycloak");
  if (db->password.secret)
    compose_reads_secrets(c, svc); /* KC_DB_PASSWORD */
  else
    compose_env(c, svc, "KC_DB_PASSWORD", db->password.set ? db->password.str : "camunda");
  compose_env(c, svc, "KC_HTTP_ENABLED", "true");
  compose_env(c, svc, "KC_HTTP_PORT", "18080");
  compose_env(c, svc, "KC_HTTP_RELATIVE_PATH", k->context_path.v);
  compose_env(c, svc, "KC_HOSTNAME", appenv_keycloak_url(c->a, "http://localhost:18080", k, ""));
  compose_env(c, svc, "KC_HOSTNAME_BACKCHANNEL_DYNAMIC", "true");
  compose_env(c, svc, "KC_HEALTH_ENABLED", "true");
  compose_env(c, svc, "KC_TRANSACTION_XA_ENABLED", "false");
}

static void keycloak(struct compose *c) {
  struct arena *a = c->a;
  const struct m_keycloak *k = &c->m->e.management_identity.keycloak;
  const struct m_database *db = &k->database;
  if (!db->url.set)
    compose_postgres(c, "keycloak-db", "keycloak-db", "keycloak", db->user.set ? db->user.v : "keycloak", &db->password,
                     "keycloak-db: password of Keycloak's database");
  struct ynode *svc = compose_service(
      c, "keycloak",
      compose_image(c, &c->m->e.images.keycloak, NULL, "camunda/keycloak", "KEYCLOAK_SERVER_VERSION", "quay-26.6.4"));
  static const char *const cmd[] = {"start", NULL};
  y_set(a, svc, "command", compose_argv(a, cmd));
  compose_port(c, svc, "keycloak", 18080, 18080, k->meta.at);
  keycloak_env(c, svc, k);
  const char *probe = compose_escape(
      a,
      arena_printf(a,
                   "exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET %s HTTP/1.1\\r\\nHost: localhost\\r\\n"
                   "Connection: close\\r\\n\\r\\n' >&3 && timeout 5 cat <&3 | grep -q '200 OK'",
                   appenv_keycloak_url(a, "", k, "/health/ready")));
  const char *test[] = {"CMD", "bash", "-c", probe, NULL};
  compose_health(c, svc, compose_argv(a, test), "15s", "15s", 15, "30s");
  compose_resources(c, svc, &k->resources);
  if (!db->url.set)
    compose_after(c, svc, "keycloak-db", "service_healthy");
  vec_push(a, &c->links, arena_printf(a, "Keycloak: %s", appenv_keycloak_url(a, "http://localhost:18080", k, "")));
}

/* --- the presets of Management Identity ----------------------------------- */

/* "audience definition description" triples, NULL-terminated. */
static struct ynode *permissions(struct arena *a, const char *const *p, bool with_audience) {
  struct ynode *seq = y_seq(a);
  for (; *p; p += 3) {
    struct ynode *n = y_map(a);
    if (with_audience)
      y_set(a, n, "audience", y_str(a, p[0]));
    y_set(a, n, "definition", y_str(a, p[1]));
    if (p[2])
      y_set(a, n, "description", y_str(a, p[2]));
    y_push(a, seq, n);
  }
  return seq;
}

static struct ynode *api(struct arena *a, const char *name, const char *audience, const char *const *p) {
  struct ynode *n = y_map(a);
  y_set(a, n, "name", y_str(a, name));
  y_set(a, n, "audience", y_str(a, audience));
  y_set(a, n, "permissions", permissions(a, p, false));
  return n;
}

static struct ynode *role(struct arena *a, const char *name, const char *description, const char *const *p) {
  struct ynode *n = y_map(a);
  y_set(a, n, "name", y_str(a, name));
  y_set(a, n, "description", y_str(a, description));
  y_set(a, n, "permissions", permissions(a, p, true));
  return n;
}

/* An application; secret NULL for a public client. */
static struct ynode *application(struct arena *a, const char *name, const char *id, const char *type,
                                 const char *secret, const char *root, const char *redirect) {
  struct ynode *n = y_map(a);
  y_set(a, n, "name", y_str(a, name));
  y_set(a, n, "id", y_str(a, id));
  y_set(a, n, "type", y_str(a, type));
  if (secret)
    y_set(a, n, "secret", y_str(a, secret));
  if (root)
    y_set(a, n, "root-url", y_str(a, root));
  if (redirect) {
    struct ynode *r = y_seq(a);
    y_push(a, r, y_str(a, redirect));
    y_set(a, n, "redirect-uris", r);
  }
  return n;
}

static struct ynode *one(struct arena *a, struct ynode *item) {
  struct ynode *s = y_seq(a);
  y_push(a, s, item);
  return s;
}

/* A client's id and secret placeholder; the secret is NULL without one. */
static const char *client_secret(struct compose *c, struct ynode *svc, const char *label, const char **id) {
  const struct m_client *cl = model_client(&c->m->e.identity, label);
  *id = cl ? cl->id.v : label;
  if (!cl || !cl->secret.set)
    return NULL;
  return compose_spring_value(c, svc, &cl->secret, "client-secret",
                              arena_printf(c->a, "identity: secret of OIDC client \"%s\"", label));
}

static void preset_identity(struct compose *c, struct ynode *presets) {
  struct arena *a = c->a;
  static const char *const perms[] = {"", "read",  "Read permission",  "",  "read:users", "Read users permission",
                                      "", "write", "Write permission", NULL};
  static const char *const grants[] = {
      "camunda-identity-resource-server", "read", NULL, "camunda-identity-resource-server", "write", NULL, NULL};
  y_set(a, presets, "identity.apis",
        one(a, api(a, "Camunda Identity Resource Server", "camunda-identity-resource-server", perms)));
  y_set(a, presets, "identity.roles",
        one(a, role(a, "ManagementIdentity", "Provides full access to Identity", grants)));
}

static void preset_orchestration(struct compose *c, struct ynode *presets, struct ynode *svc) {
  struct arena *a = c->a;
  const char *aud = c->m->e.identity.audience.v, *id;
  const char *secret = client_secret(c, svc, "orchestration", &id);
  const char *perms[] = {"", "read:*", "Read permission", "", "write:*", "Write permission", NULL};
  const char *grants[] = {aud, "read:*", NULL, aud, "write:*", NULL, NULL};
  const char *root = arena_printf(a, "http://localhost:%" PRId64, compose_rest_host_port(c->m));
  y_set(a, presets, "orchestration.applications",
        one(a, application(a, "Orchestration", id, "confidential", secret, root, "/sso-callback")));
  y_set(a, presets, "orchestration.apis", one(a, api(a, "Orchestration API", aud, perms)));
  y_set(a, presets, "orchestration.roles",
        one(a, role(a, "Orchestration", "Grants full access to Orchestration", grants)));
}

static void preset_connectors(struct compose *c, struct ynode *presets, struct ynode *svc) {
  struct arena *a = c->a;
  const char *id, *secret = client_secret(c, svc, "connectors", &id);
  const char *grants[] = {c->m->e.identity.audience.v, "read:*", NULL, NULL};
  struct ynode *app = application(a, "Connectors", id, "m2m", secret, NULL, NULL);
  y_set(a, app, "permissions", permissions(a, grants, true));
  y_set(a, presets, "connectors.applications", one(a, app));
}

static void preset_optimize(struct compose *c, struct ynode *presets, struct ynode *svc) {
  struct arena *a = c->a;
  const char *id, *secret = client_secret(c, svc, "optimize", &id);
  static const char *const perms[] = {"", "write:*", "Write permission", NULL};
  static const char *const app_grants[] = {"optimize-api", "write:*", NULL, NULL};
  static const char *const grants[] = {"optimize-api", "write:*", NULL, "camunda-identity-resource-server",
                                       "read:users",   NULL,      NULL};
  struct ynode *app =
      application(a, "Optimize", id, "confidential", secret, "http://localhost:8083", "/api/authentication/callback");
  y_set(a, app, "permissions", permissions(a, app_grants, true));
  y_set(a, presets, "optimize.applications", one(a, app));
  y_set(a, presets, "optimize.apis", one(a, api(a, "Optimize API", "optimize-api", perms)));
  y_set(a, presets, "optimize.roles", one(a, role(a, "Optimize", "Grants full access to Optimize", grants)));
}

static void preset_web_modeler(struct compose *c, struct ynode *presets) {
  struct arena *a = c->a;
  const struct m_client *cl = model_client(&c->m->e.identity, "web_modeler");
  static const char *const internal[] = {"", "write:*", "Write permission", "", "admin:*", "Admin permission", NULL};
  static const char *const public_api[] = {"",  "create:*", "Allows create access for all resources",
                                           "",  "read:*",   "Allows read access to all resources",
                                           "",  "update:*", "Allows update access to all resources",
                                           "",  "delete:*", "Allows delete access for all resources",
                                           NULL};
  static const char *const user[] = {"web-modeler-api", "write:*", NULL, "camunda-identity-resource-server",
                                     "read:users",      NULL,      NULL};
  static const char *const admin[] = {"camunda-identity-resource-server",
                                      "read:users",
                                      NULL,
                                      "web-modeler-api",
                                      "write:*",
                                      NULL,
                                      "web-modeler-api",
                                      "admin:*",
                                      NULL,
                                      NULL};
  y_set(a, presets, "webmodeler.applications",
        one(a, application(a, "Web Modeler", cl ? cl->id.v : "web-modeler", "public", NULL, "http://localhost:8070",
                           "/login-callback")));
  struct ynode *apis = one(a, api(a, "Web Modeler Internal API", "web-modeler-api", internal));
  y_push(a, apis, api(a, "Web Modeler API", "web-modeler-public-api", public_api));
  y_set(a, presets, "webmodeler.apis", apis);
  struct ynode *roles = one(a, role(a, "Web Modeler", "Grants full access to Web Modeler", user));
  y_push(a, roles, role(a, "Web Modeler Admin", "Grants elevated access to Web Modeler", admin));
  y_set(a, presets, "webmodeler.roles", roles);
}

static void preset_console(struct compose *c, struct ynode *presets) {
  struct arena *a = c->a;
  const struct m_client *cl = model_client(&c->m->e.identity, "console");
  static const char *const perms[] = {"", "write:*", "Write permission", NULL};
  static const char *const grants[] = {"console-api", "write:*", NULL, NULL};
  y_set(a, presets, "console.applications",
        one(a, application(a, "Console", cl ? cl->id.v : "console", "public", NULL, "http://localhost:8087", "/")));
  y_set(a, presets, "console.apis", one(a, api(a, "Console API", "console-api", perms)));
  y_set(a, presets, "console.roles", one(a, role(a, "Console", "Grants full access to Console", grants)));
}

/* --- Management Identity -------------------------------------------------- */

/* The roles of the first user: full access to every enabled component. */
static void first_user(struct compose *c, struct ynode *doc, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_estate *e = &c->m->e;
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->first_user.set)
    return;
  struct ynode *u = y_map(a);
  y_set(a, u, "username", y_str(a, mi->first_user.v));
  if (mi->first_user_password.set)
    y_set(a, u, "password",
          y_str(a, compose_spring_value(c, svc, &mi->first_user_password, "password",
                                        "identity: password of the first user")));
  struct ynode *roles = y_seq(a);
  y_push(a, roles, y_str(a, "ManagementIdentity"));
  if (e->optimize.meta.present)
    y_push(a, roles, y_str(a, "Optimize"));
  if (e->web_modeler.meta.present) {
    y_push(a, roles, y_str(a, "Web Modeler"));
    y_push(a, roles, y_str(a, "Web Modeler Admin"));
  }
  if (e->console.meta.present)
    y_push(a, roles, y_str(a, "Console"));
  y_push(a, roles, y_str(a, "Orchestration"));
  y_set(a, u, "roles", roles);
  y_set(a, doc, "keycloak.users", one(a, u));
}

/* keycloak.init: the secrets of the clients Identity creates in Keycloak. */
static void keycloak_init(struct compose *c, struct ynode *doc, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_estate *e = &c->m->e;
  /* the clients keycloak.init takes a secret for, under their labels */
  static const char *const clients[] = {"console", "orchestration", "optimize", "connectors"};
  for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
    const char *id, *secret = client_secret(c, svc, clients[i], &id);
    if (secret)
      y_set(a, doc, arena_printf(a, "keycloak.init.%s.secret", clients[i]), y_str(a, secret));
  }
  if (e->web_modeler.meta.present)
    y_set(a, doc, "keycloak.init.webmodeler.root-url", y_str(a, "http://localhost:8070"));
}

static struct ynode *identity_config(struct compose *c, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_estate *e = &c->m->e;
  const struct m_management_identity *mi = &e->management_identity;
  const struct m_keycloak *k = &mi->keycloak;
  struct ynode *doc = y_map(a);
  y_set(a, doc, "identity.url", y_str(a, "http://localhost:8084"));
  y_set(a, doc, "identity.flags.multi-tenancy", y_str(a, mi->multi_tenancy.v ? "true" : "false"));
  y_set(a, doc, "identity.authProvider.issuer-url", y_str(a, compose_issuer_public(c)));
  y_set(a, doc, "identity.authProvider.backend-url", y_str(a, compose_issuer_backend(c)));
  struct ynode *presets = y_map(a);
  if (e->connectors.meta.present && e->identity.method.v == M_auth_method_oidc)
    preset_connectors(c, presets, svc);
  if (e->console.meta.present)
    preset_console(c, presets);
  preset_identity(c, presets);
  if (e->identity.method.v == M_auth_method_oidc)
    preset_orchestration(c, presets, svc);
  if (e->optimize.meta.present)
    preset_optimize(c, presets, svc);
  if (e->web_modeler.meta.present)
    preset_web_modeler(c, presets);
  y_set(a, doc, "identity.component-presets", presets);
  y_set(a, doc, "keycloak.url",
        y_str(a, appenv_keycloak_url(a, k->url.set ? k->url.v : "http://keycloak:18080", k, "")));
  y_set(a, doc, "keycloak.setup.user", y_str(a, k->admin_user.v));
  y_set(a, doc, "keycloak.setup.password",
        y_str(a, compose_spring_value(c, svc, &k->admin_password, "password",
                                      "identity: password of Keycloak's administrator")));
  keycloak_init(c, doc, svc);
  const char *id, *secret = client_secret(c, svc, "management_identity", &id);
  if (strcmp(id, "management_identity") == 0)
    id = "camunda-identity";
  struct ynode *own =
      application(a, "Identity", id, "CONFIDENTIAL", secret, "http://localhost:8084", "/auth/login-callback");
  y_set(a, doc, "keycloak.environment.clients", one(a, own));
  first_user(c, doc, svc);
  y_set(a, doc, "server.port", y_int(a, 8084));
  y_set(a, doc, "spring.profiles.active", y_str(a, "keycloak"));
  if (mi->database.meta.present)
    compose_datasource(c, doc, "spring.datasource", svc, &mi->database, "identity-db", "identity",
                       "identity: password of Management Identity's database");
  y_set(a, doc, "camunda.identity.clientId", y_str(a, id));
  if (secret)
    y_set(a, doc, "camunda.identity.clientSecret", y_str(a, secret));
  y_set(a, doc, "camunda.identity.audience", y_str(a, "camunda-identity-resource-server"));
  y_set(a, doc, "management.endpoints.web.exposure.include", y_str(a, "health,configprops"));
  y_set(a, doc, "management.endpoint.health.probes.enabled", y_bool(a, true));
  return doc;
}

void compose_management_identity(struct compose *c) {
  const struct m_estate *e = &c->m->e;
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->meta.present)
    return; /* provider = oidc is refused by compose_check */
  struct arena *a = c->a;
  if (bundled_keycloak(c->m))
    keycloak(c);
  const struct m_database *db = &mi->database;
  if (db->meta.present && !db->url.set)
    compose_postgres(c, "identity-db", "identity-db", "identity", db->user.set ? db->user.v : "identity", &db->password,
                     "identity-db: password of Management Identity's database");
  struct ynode *svc = compose_service(c, "identity",
                                      compose_image(c, &e->images.identity, NULL, "camunda/identity",
                                                    "CAMUNDA_IDENTITY_VERSION", e->images.identity.tag.v));
  compose_port(c, svc, "identity", 8084, 8084, mi->meta.at);
  compose_extra_env(c, svc, "identity", &mi->env);
  static const char *const test[] = {
      "CMD", "wget", "-q", "--tries=1", "--spider", "http://localhost:8082/actuator/health", NULL};
  compose_health(c, svc, compose_argv(a, test), "5s", "15s", 30, "60s");
  compose_resources(c, svc, &mi->resources);
  compose_config(c, svc, ID_CONFIG, "/app/application.yaml", identity_config(c, svc),
                 "Management Identity's configuration: its Keycloak, clients, APIs, roles and first user.");
  if (bundled_keycloak(c->m))
    compose_after(c, svc, "keycloak", "service_healthy");
  if (db->meta.present && !db->url.set)
    compose_after(c, svc, "identity-db", "service_healthy");
  vec_push(a, &c->links, "Management Identity: http://localhost:8084");
}
