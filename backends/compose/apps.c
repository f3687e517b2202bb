/* apps.c - the management applications in Compose, modelled on Camunda's
 * full project: Optimize (reading the Zeebe exporter's records from the
 * search store), Web Modeler (REST API, on 8.8 its web app, the WebSockets
 * server, its database, and Mailpit when the estate gives no mail server)
 * and Console.  All of them log in through Management Identity's Keycloak. */
#include <inttypes.h>
#include <string.h>

#include "appenv.h"
#include "compose_int.h"
#include "url.h"

#define WM_CONFIG "config/web-modeler/application.yaml"
#define CONSOLE_CONFIG "config/console/application.yaml"

/* Keycloak's key endpoint; NULL without Management Identity's Keycloak,
 * which compose_check requires where the applications log in. */
static const char *certs(struct compose *c) {
  const char *back = compose_issuer_backend(c);
  return back ? arena_printf(c->a, "%s/protocol/openid-connect/certs", back) : NULL;
}

static struct ynode *one(struct arena *a, struct ynode *item) {
  struct ynode *s = y_seq(a);
  y_push(a, s, item);
  return s;
}

/* --- Optimize --------------------------------------------------------------- */

/* environment-config.yaml: the search store, the Zeebe records, the API. */
static struct ynode *optimize_environment(struct compose *c, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_storage *s = &c->m->e.orchestration.storage;
  const char *db = s->meta.kind == M_storage_kind_opensearch ? "opensearch" : "es";
  bool search = s->meta.kind == M_storage_kind_elasticsearch || s->meta.kind == M_storage_kind_opensearch;
  struct url u;
  if (url_parse(a, URL_FORM_HTTP, search && s->url.set ? s->url.v : "http://elasticsearch:9200", &u) != URL_OK)
    u = (struct url){.host = "elasticsearch", .port = 9200};  /* not reached: lowering checked the estate's URL */
  struct ynode *doc = y_map(a), *node = y_map(a);
  y_set(a, node, "host", y_str(a, url_host_text(a, &u)));
  y_set(a, node, "httpPort", y_int(a, url_port(&u)));
  y_set(a, doc, arena_printf(a, "%s.connection.nodes", db), one(a, node));
  if (u.tls)
    y_set(a, doc, arena_printf(a, "%s.security.ssl.enabled", db), y_bool(a, true));
  if (s->username.set)
    y_set(a, doc, arena_printf(a, "%s.security.username", db), y_str(a, s->username.v));
  if (s->password.set)
    y_set(a, doc, arena_printf(a, "%s.security.password", db),
          y_str(a, compose_spring_value(c, svc, &s->password, "password", "optimize: password of the search store")));
  if (s->index_replicas.set || !s->url.set)
    y_set(a, doc, arena_printf(a, "%s.settings.index.number_of_replicas", db),
          y_int(a, s->index_replicas.set ? s->index_replicas.v : 0));
  y_set(a, doc, "zeebe.enabled", y_bool(a, true));
  y_set(a, doc, "zeebe.name", y_str(a, "zeebe-record"));
  y_set(a, doc, "zeebe.partitionCount", y_int(a, c->m->e.orchestration.partitions.v));
  y_set(a, doc, "security.auth.cookie.same-site.enabled", y_bool(a, false));
  y_set(a, doc, "api.jwtSetUri", y_str(a, certs(c)));
  y_set(a, doc, "api.audience", y_str(a, "optimize-api"));
  return doc;
}

/* application-ccsm.yaml: how Optimize logs in through Management Identity. */
static struct ynode *optimize_identity(struct compose *c, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_client *cl = model_client(&c->m->e.identity, "optimize");
  struct ynode *doc = y_map(a);
  const char *p = "camunda.identity";
  y_set(a, doc, arena_printf(a, "%s.issuer", p), y_str(a, compose_issuer_public(c)));
  y_set(a, doc, arena_printf(a, "%s.issuerBackendUrl", p), y_str(a, compose_issuer_backend(c)));
  y_set(a, doc, arena_printf(a, "%s.clientId", p), y_str(a, cl ? cl->id.v : "optimize"));
  if (cl && cl->secret.set)
    y_set(a, doc, arena_printf(a, "%s.clientSecret", p),
          y_str(a, compose_spring_value(c, svc, &cl->secret, "client-secret",
                                        "optimize: secret of OIDC client \"optimize\"")));
  y_set(a, doc, arena_printf(a, "%s.audience", p), y_str(a, cl && cl->audience.set ? cl->audience.v : "optimize-api"));
  y_set(a, doc, arena_printf(a, "%s.baseUrl", p), y_str(a, "http://identity:8084"));
  return doc;
}

static void optimize(struct compose *c) {
  const struct m_estate *e = &c->m->e;
  const struct m_optimize *op = &e->optimize;
  if (!op->meta.present)
    return;
  struct arena *a = c->a;
  struct ynode *svc = compose_service(c, "optimize",
                                      compose_image(c, &e->images.optimize, NULL, "camunda/optimize",
                                                    "CAMUNDA_OPTIMIZE_VERSION", e->images.optimize.tag.v));
  compose_port(c, svc, "optimize", 8083, 8090, op->meta.at);
  compose_env(c, svc, "SPRING_PROFILES_ACTIVE", "ccsm");
  if (e->orchestration.storage.meta.kind == M_storage_kind_opensearch)
    compose_env(c, svc, "CAMUNDA_OPTIMIZE_DATABASE", "opensearch");
  if (op->java_opts.set)
    compose_env(c, svc, "JAVA_OPTS", op->java_opts.v);
  compose_extra_env(c, svc, "optimize", &op->env);
  static const char *const test[] = {"CMD", "wget", "-q", "--tries=1", "--spider", "http://localhost:8090/api/readyz",
                                     NULL};
  compose_health(c, svc, compose_argv(a, test), "30s", "5s", 5, "30s");
  compose_resources(c, svc, &op->resources);
  compose_config(c, svc, "config/optimize/environment-config.yaml", "/optimize/config/environment-config.yaml",
                 optimize_environment(c, svc), "Optimize's search store, Zeebe import and public API.");
  compose_config(c, svc, "config/optimize/application-ccsm.yaml", "/optimize/config/application-ccsm.yaml",
                 optimize_identity(c, svc), "How Optimize logs in through Management Identity.");
  compose_after_identity(c, svc);
  if (!e->orchestration.storage.url.set && e->orchestration.storage.meta.kind == M_storage_kind_elasticsearch)
    compose_after(c, svc, "elasticsearch", "service_healthy");
  vec_push(a, &c->links, "Optimize: http://localhost:8083");
}

/* --- Web Modeler ------------------------------------------------------------ */

/* The WebSockets application's id and key (from .env), under the names
 * each part reads. */
static void pusher_env(struct compose *c, struct ynode *svc, const char *id, const char *key) {
  compose_env_ref(c, svc, id, "WEBMODELER_PUSHER_APP_ID");
  compose_env_ref(c, svc, key, "WEBMODELER_PUSHER_KEY");
}

/* The WebSockets application's secret signs what the REST API publishes
 * and the channels browsers subscribe to.  Camunda's project fixes it in
 * .env (web-modeler-app-secret); the model has no field for it, so it is a
 * variable of the secrets file for the user to fill in, named as the
 * WebSockets server reads it; the REST API reads it as a placeholder of its
 * configuration.  8.8's web app reads it under another name: a second
 * variable, with the same value. */
#define PUSHER_SECRET_VAR "PUSHER_APP_SECRET"

static void pusher_secret(struct compose *c, struct ynode *svc, const char *service) {
  compose_own_secret(c, svc, PUSHER_SECRET_VAR, "Web Modeler's WebSockets secret",
                     "any random string, e.g. from `openssl rand -hex 32`",
                     arena_printf(c->a, "%s: the WebSockets secret", service));
}

/* spring.mail: the estate's SMTP server, or the bundled Mailpit. */
static void mail(struct compose *c, struct ynode *doc, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_mail *m = &c->m->e.web_modeler.mail;
  struct ynode *props = y_map(a);
  if (!m->meta.present) {
    y_set(a, doc, "camunda.modeler.mail.from-address", y_str(a, "noreply@camunda.example.com"));
    y_set(a, doc, "spring.mail.host", y_str(a, "mailpit"));
    y_set(a, doc, "spring.mail.port", y_int(a, 1025));
    y_put(a, props, "mail.smtp.auth", y_bool(a, false));
    y_put(a, props, "mail.smtp.starttls.enable", y_bool(a, false));
    y_set(a, doc, "spring.mail.properties", props);
    return;
  }
  if (m->from.set)
    y_set(a, doc, "camunda.modeler.mail.from-address", y_str(a, m->from.v));
  y_set(a, doc, "camunda.modeler.mail.from-name", y_str(a, m->from_name.v));
  if (m->smtp_host.set)
    y_set(a, doc, "spring.mail.host", y_str(a, m->smtp_host.v));
  y_set(a, doc, "spring.mail.port", y_int(a, m->smtp_port.v));
  if (m->smtp_user.set)
    y_set(a, doc, "spring.mail.username", y_str(a, m->smtp_user.v));
  if (m->smtp_password.set)
    y_set(a, doc, "spring.mail.password",
          y_str(a, compose_spring_value(c, svc, &m->smtp_password, "smtp-password",
                                        "web-modeler-restapi: SMTP password")));
  y_put(a, props, "mail.smtp.auth", y_bool(a, m->smtp_user.set));
  y_put(a, props, "mail.smtp.starttls.enable", y_bool(a, m->tls.v));
  y_put(a, props, "mail.smtp.starttls.required", y_bool(a, m->tls.v));
  y_set(a, doc, "spring.mail.properties", props);
}

/* The Orchestration Cluster, registered in Web Modeler. */
static struct ynode *cluster(struct compose *c) {
  struct arena *a = c->a;
  const struct m_orchestration *o = &c->m->e.orchestration;
  const char *gw = compose_broker(c, 0);
  static const char *const auth[] = {"BASIC", "BEARER_TOKEN", "NONE"};
  struct ynode *n = y_map(a);
  y_set(a, n, "id", y_str(a, "local-orchestration"));
  y_set(a, n, "name", y_str(a, arena_printf(a, "Orchestration Cluster (%s)", c->m->env)));
  y_set(a, n, "version", y_str(a, c->m->e.images.orchestration.tag.v));
  y_set(a, n, "url.grpc", y_str(a, arena_printf(a, "grpc://%s:%" PRId64, gw, o->ports.grpc.v)));
  y_set(a, n, "url.rest", y_str(a, arena_printf(a, "http://%s:%" PRId64, gw, o->ports.rest.v)));
  y_set(a, n, "url.web-app", y_str(a, arena_printf(a, "http://localhost:%" PRId64, compose_rest_host_port(c->m))));
  y_set(a, n, "authentication", y_str(a, auth[c->m->e.identity.method.v - M_auth_method_basic]));
  y_set(a, n, "authorizations.enabled", y_bool(a, c->m->e.identity.authorizations.v));
  return one(a, n);
}

static struct ynode *web_modeler_config(struct compose *c, struct ynode *svc) {
  struct arena *a = c->a;
  bool v89 = c->m->minor == 9;
  const struct m_client *cl = model_client(&c->m->e.identity, "web_modeler");
  struct ynode *doc = y_map(a);
  y_set(a, doc, "camunda.identity.base-url", y_str(a, "http://identity:8084/"));
  y_set(a, doc, "camunda.identity.issuer", y_str(a, compose_issuer_public(c)));
  y_set(a, doc, "camunda.identity.issuerBackendUrl", y_str(a, compose_issuer_backend(c)));
  y_set(a, doc, "camunda.identity.type", y_str(a, "KEYCLOAK"));
  const char *p = "camunda.modeler";
  y_set(a, doc, arena_printf(a, "%s.pusher.host", p), y_str(a, "web-modeler-websockets"));
  y_set(a, doc, arena_printf(a, "%s.pusher.port", p), y_int(a, 8060));
  y_set(a, doc, arena_printf(a, "%s.pusher.app-id", p), y_str(a, "${WEBMODELER_PUSHER_APP_ID}"));
  y_set(a, doc, arena_printf(a, "%s.pusher.key", p), y_str(a, "${WEBMODELER_PUSHER_KEY}"));
  y_set(a, doc, arena_printf(a, "%s.pusher.secret", p), y_str(a, "${" PUSHER_SECRET_VAR "}"));
  if (v89) {
    y_set(a, doc, arena_printf(a, "%s.pusher.client.host", p), y_str(a, "localhost"));
    y_set(a, doc, arena_printf(a, "%s.pusher.client.port", p), y_int(a, 8060));
    y_set(a, doc, arena_printf(a, "%s.pusher.client.force-tls", p), y_bool(a, false));
    y_set(a, doc, arena_printf(a, "%s.oauth2.client-id", p), y_str(a, cl ? cl->id.v : "web-modeler"));
  }
  y_set(a, doc, arena_printf(a, "%s.security.jwt.issuer.backend-url", p), y_str(a, compose_issuer_backend(c)));
  y_set(a, doc, arena_printf(a, "%s.security.jwt.audience.internal-api", p), y_str(a, "web-modeler-api"));
  y_set(a, doc, arena_printf(a, "%s.security.jwt.audience.public-api", p),
        y_str(a, cl && cl->audience.set ? cl->audience.v : "web-modeler-public-api"));
  y_set(a, doc, arena_printf(a, "%s.server.url", p), y_str(a, "http://localhost:8070"));
  if (v89)
    y_set(a, doc, arena_printf(a, "%s.server.https-only", p), y_bool(a, false));
  y_set(a, doc, arena_printf(a, "%s.clusters", p), cluster(c));
  mail(c, doc, svc);
  compose_datasource(c, doc, "spring.datasource", svc, &c->m->e.web_modeler.database, "web-modeler-db", "web-modeler",
                     "web-modeler-restapi: password of Web Modeler's database");
  y_set(a, doc, "spring.security.oauth2.resourceserver.jwt.issuer-uri", y_str(a, compose_issuer_public(c)));
  y_set(a, doc, "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", y_str(a, certs(c)));
  y_set(a, doc, "management.endpoints.web.exposure.include", y_str(a, "health,configprops,info"));
  y_set(a, doc, "management.endpoint.health.probes.enabled", y_bool(a, true));
  return doc;
}

static void mailpit(struct compose *c) {
  struct ynode *svc = compose_service(c, "mailpit", "axllent/mailpit:${MAILPIT_VERSION}");
  compose_setting(c, "MAILPIT_VERSION", "v1.21.8", "image tag of axllent/mailpit");
  compose_port(c, svc, "mailpit", 8075, 8025, c->m->e.web_modeler.meta.at);
  static const char *const test[] = {"CMD", "/usr/bin/nc", "-z", "localhost", "1025", NULL};
  compose_health(c, svc, compose_argv(c->a, test), "30s", "5s", 5, "10s");
  vec_push(c->a, &c->links, "Mailpit (Web Modeler's mail): http://localhost:8075");
}

static void websockets(struct compose *c, const char *image) {
  struct ynode *svc = compose_service(c, "web-modeler-websockets", image);
  compose_port(c, svc, "web-modeler-websockets", 8060, 8060, c->m->e.web_modeler.meta.at);
  compose_env(c, svc, "APP_NAME", "Web Modeler Self-Managed WebSockets");
  pusher_env(c, svc, "PUSHER_APP_ID", "PUSHER_APP_KEY");
  pusher_secret(c, svc, "web-modeler-websockets");
  static const char *const test[] = {"CMD", "wget", "-q", "--tries=1", "--spider", "http://127.0.0.1:8060/up", NULL};
  compose_health(c, svc, compose_argv(c->a, test), "30s", "5s", 5, "30s");
}

/* 8.8's separate web app, configured through its environment. */
static void webapp(struct compose *c, const char *image) {
  struct ynode *svc = compose_service(c, "web-modeler-webapp", image);
  const struct m_client *cl = model_client(&c->m->e.identity, "web_modeler");
  compose_port(c, svc, "web-modeler-webapp", 8070, 8070, c->m->e.web_modeler.meta.at);
  compose_env(c, svc, "RESTAPI_HOST", "web-modeler-restapi");
  compose_env(c, svc, "SERVER_HTTPS_ONLY", "false");
  compose_env(c, svc, "SERVER_URL", "http://localhost:8070");
  pusher_env(c, svc, "PUSHER_APP_ID", "PUSHER_KEY");
  compose_own_secret(c, svc, "PUSHER_SECRET", "Web Modeler's WebSockets secret, as the 8.8 web app reads it",
                     "the value of " PUSHER_SECRET_VAR, "web-modeler-webapp: the WebSockets secret");
  compose_env(c, svc, "PUSHER_HOST", "web-modeler-websockets");
  compose_env(c, svc, "PUSHER_PORT", "8060");
  compose_env(c, svc, "CLIENT_PUSHER_HOST", "localhost");
  compose_env(c, svc, "CLIENT_PUSHER_PORT", "8060");
  compose_env(c, svc, "CLIENT_PUSHER_FORCE_TLS", "false");
  compose_env_ref(c, svc, "CLIENT_PUSHER_KEY", "WEBMODELER_PUSHER_KEY");
  compose_env(c, svc, "OAUTH2_CLIENT_ID", cl ? cl->id.v : "web-modeler");
  compose_env(c, svc, "OAUTH2_JWKS_URL", certs(c));
  compose_env(c, svc, "OAUTH2_TOKEN_AUDIENCE", "web-modeler-api");
  compose_env(c, svc, "OAUTH2_TOKEN_ISSUER", compose_issuer_public(c));
  compose_env(c, svc, "IDENTITY_BASE_URL", "http://identity:8084/");
  compose_env(c, svc, "PLAY_ENABLED", "true");
  static const char *const test[] = {
      "CMD", "wget", "-q", "--tries=1", "--spider", "http://localhost:8071/health/readiness", NULL};
  compose_health(c, svc, compose_argv(c->a, test), "30s", "5s", 5, "30s");
  compose_after(c, svc, "web-modeler-restapi", "service_healthy");
}

/* The REST API: the part with the database, the mail and the cluster. */
static void restapi(struct compose *c, const char *image) {
  const struct m_web_modeler *wm = &c->m->e.web_modeler;
  struct ynode *svc = compose_service(c, "web-modeler-restapi", image);
  if (c->m->minor == 9) /* 8.9's REST API serves the web app too */
    compose_port(c, svc, "web-modeler-restapi", 8070, 8081, wm->meta.at);
  pusher_env(c, svc, "WEBMODELER_PUSHER_APP_ID", "WEBMODELER_PUSHER_KEY");
  pusher_secret(c, svc, "web-modeler-restapi");
  compose_extra_env(c, svc, "web-modeler-restapi", &wm->env);
  static const char *const test[] = {
      "CMD", "wget", "-q", "--tries=1", "--spider", "http://localhost:8091/health/readiness", NULL};
  compose_health(c, svc, compose_argv(c->a, test), "30s", "5s", 5, "60s");
  compose_resources(c, svc, &wm->resources);
  compose_config(c, svc, WM_CONFIG, "/home/runner/config/application.yaml", web_modeler_config(c, svc),
                 "Web Modeler's REST API: Identity, WebSockets, mail, database and the cluster it deploys to.");
  if (!wm->database.url.set)
    compose_after(c, svc, "web-modeler-db", "service_healthy");
  if (!wm->mail.meta.present)
    compose_after(c, svc, "mailpit", "service_healthy");
  compose_after_identity(c, svc);
}

static void web_modeler(struct compose *c) {
  const struct m_estate *e = &c->m->e;
  const struct m_web_modeler *wm = &e->web_modeler;
  if (!wm->meta.present)
    return;
  const struct m_database *db = &wm->database;
  if (!db->url.set)
    compose_postgres(c, "web-modeler-db", "web-modeler-db", "web-modeler", db->user.set ? db->user.v : "web-modeler",
                     &db->password, "web-modeler-db: password of Web Modeler's database");
  if (!wm->mail.meta.present)
    mailpit(c);
  compose_setting(c, "WEBMODELER_PUSHER_APP_ID", "web-modeler-app", "Web Modeler's WebSockets application");
  compose_setting(c, "WEBMODELER_PUSHER_KEY", "web-modeler-app-key", "key shared by Web Modeler's parts");
  const struct m_image *img = &e->images.web_modeler;
  const char *tag = img->tag.v, *var = "CAMUNDA_WEB_MODELER_VERSION";
  restapi(c, compose_image(c, img, NULL, "camunda/web-modeler-restapi", var, tag));
  websockets(c, compose_image(c, img, NULL, "camunda/web-modeler-websockets", var, tag));
  if (c->m->minor == 8)
    webapp(c, compose_image(c, img, NULL, "camunda/web-modeler-webapp", var, tag));
  vec_push(c->a, &c->links, "Web Modeler: http://localhost:8070");
}

/* --- Console ---------------------------------------------------------------- */

static struct ynode *component(struct arena *a, const char *name, const char *id, const char *version, const char *url,
                               const char *readiness, const char *metrics) {
  struct ynode *n = y_map(a);
  y_set(a, n, "name", y_str(a, name));
  y_set(a, n, "id", y_str(a, id));
  y_set(a, n, "version", y_str(a, version));
  y_set(a, n, "url", y_str(a, url));
  y_set(a, n, "readiness", y_str(a, readiness));
  if (metrics)
    y_set(a, n, "metrics", y_str(a, metrics));
  return n;
}

/* The components Console watches: those the estate enables. */
static struct ynode *components(struct compose *c) {
  struct arena *a = c->a;
  const struct m_estate *e = &c->m->e;
  const char *gw = compose_broker(c, 0);
  int64_t mgmt = e->orchestration.ports.management.v, rest = compose_rest_host_port(c->m);
  const char *ov = e->images.orchestration.tag.v;
  const char *health = arena_printf(a, "http://%s:%" PRId64 "/actuator/health/readiness", gw, mgmt);
  const char *prom = arena_printf(a, "http://%s:%" PRId64 "/actuator/prometheus", gw, mgmt);
  struct ynode *s = y_seq(a);
  y_push(a, s,
         component(a, "Console", "console", e->images.console.tag.v, "http://localhost:8087",
                   "http://console:9100/health/readiness", "http://console:9100/prometheus"));
  y_push(a, s,
         component(a, "Operate", "operate", ov, arena_printf(a, "http://localhost:%" PRId64 "/operate", rest), health,
                   prom));
  y_push(a, s,
         component(a, "Tasklist", "tasklist", ov, arena_printf(a, "http://localhost:%" PRId64 "/tasklist", rest),
                   health, prom));
  if (e->optimize.meta.present)
    y_push(a, s,
           component(a, "Optimize", "optimize", e->images.optimize.tag.v, "http://localhost:8083",
                     "http://optimize:8090/api/readyz", "http://optimize:8090/actuator/prometheus"));
  y_push(a, s,
         component(a, "Identity", "identity", e->images.identity.tag.v, "http://localhost:8084",
                   "http://identity:8082/actuator/health", NULL));
  if (e->web_modeler.meta.present)
    y_push(a, s,
           component(a, "WebModeler", "webModeler", e->images.web_modeler.tag.v, "http://localhost:8070",
                     "http://web-modeler-restapi:8091/health/readiness", NULL));
  if (e->connectors.meta.present)
    y_push(a, s,
           component(a, "Connectors", "connectors", e->images.connectors.tag.v, "http://connectors:8080",
                     "http://connectors:8080/actuator/health/readiness", "http://connectors:8080/actuator/prometheus"));
  return s;
}

static struct ynode *console_config(struct compose *c) {
  struct arena *a = c->a;
  const char *name = y_get(c->doc, "name")->s;
  struct ynode *doc = y_map(a), *release = y_map(a), *tags = y_seq(a);
  y_set(a, doc, "camunda.console.customerId", y_str(a, name));
  y_set(a, doc, "camunda.console.installationId", y_str(a, name));
  y_set(a, doc, "camunda.console.telemetry", y_str(a, "disabled"));
  y_set(a, doc, "camunda.console.managed.method", y_str(a, "plain"));
  y_set(a, release, "name", y_str(a, name));
  y_set(a, release, "namespace", y_str(a, name));
  y_set(a, release, "version", y_str(a, c->m->e.images.orchestration.tag.v));
  y_push(a, tags, y_str(a, c->m->env));
  y_set(a, release, "tags", tags);
  y_set(a, release, "components", components(c));
  y_set(a, doc, "camunda.console.managed.releases", one(a, release));
  return doc;
}

static void console(struct compose *c) {
  const struct m_estate *e = &c->m->e;
  const struct m_console *cs = &e->console;
  if (!cs->meta.present)
    return;
  struct arena *a = c->a;
  const struct m_keycloak *k = &e->management_identity.keycloak;
  const struct m_client *cl = model_client(&c->m->e.identity, "console");
  struct ynode *svc = compose_service(c, "console",
                                      compose_image(c, &e->images.console, NULL, "camunda/console",
                                                    "CAMUNDA_CONSOLE_VERSION", e->images.console.tag.v));
  compose_port(c, svc, "console", 8087, 8080, cs->meta.at);
  compose_port(c, svc, "console", 9100, 9100, cs->meta.at);
  compose_env(c, svc, "NODE_ENV", "production");
  compose_env(c, svc, "KEYCLOAK_BASE_URL",
              appenv_keycloak_url(a, k->url.set ? k->url.v : "http://localhost:18080", k, ""));
  compose_env(c, svc, "KEYCLOAK_INTERNAL_BASE_URL",
              appenv_keycloak_url(a, k->url.set ? k->url.v : "http://keycloak:18080", k, ""));
  compose_env(c, svc, "KEYCLOAK_REALM", k->realm.v);
  compose_env(c, svc, "CAMUNDA_IDENTITY_CLIENT_ID", cl ? cl->id.v : "console");
  compose_env(c, svc, "CAMUNDA_IDENTITY_AUDIENCE", cl && cl->audience.set ? cl->audience.v : "console");
  compose_extra_env(c, svc, "console", &cs->env);
  static const char *const test[] = {
      "CMD", "wget", "-q", "--tries=1", "--spider", "http://localhost:9100/health/readiness", NULL};
  compose_health(c, svc, compose_argv(a, test), "30s", "5s", 5, "30s");
  compose_resources(c, svc, &cs->resources);
  compose_config(c, svc, CONSOLE_CONFIG, "/var/run/config/application.yaml", console_config(c),
                 "The release Console shows: the components of this project.");
  compose_after_identity(c, svc);
  vec_push(a, &c->links, "Console: http://localhost:8087");
}

void compose_platform(struct compose *c) {
  optimize(c);
  web_modeler(c);
  console(c);
}
