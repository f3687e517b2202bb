/* orchestration.c - the Orchestration Cluster in Compose: one service per
 * broker (each with its embedded gateway and web applications), sharing
 * one mounted application.yaml; per broker, its node id, advertised host
 * and the contact points come from the environment, as in Camunda's
 * manual-installation scripts.  Also the secondary storage (a bundled
 * single-node Elasticsearch, an external Elasticsearch or OpenSearch, a
 * relational database, bundled PostgreSQL or external, H2, or none), the
 * authentication of the cluster (none, basic with initial users, OIDC),
 * and backups. */
#include <inttypes.h>
#include <string.h>

#include "access.h"
#include "appenv.h"
#include "names.h"
#include "compose_int.h"

#define ORCH_CONFIG "config/orchestration/application.yaml"
#define ORCH_DATA "/usr/local/camunda/data"
#define ORCH_H2_DATA "/usr/local/camunda/camunda-data"
#define SECURITY_INIT "camunda.security.initialization"

const char *compose_broker(const struct compose *c, int64_t i) {
  if (c->m->e.orchestration.brokers.v == 1)
    return "orchestration";
  return arena_printf(c->a, "orchestration-%" PRId64, i);
}

/* Camunda's projects publish the REST API on 8088 (8.8) or 8080 (8.9)
 * unless the estate chose a port. */
int64_t compose_rest_host_port(const struct model *m) {
  const struct m_int *rest = &m->e.orchestration.ports.rest;
  if (m_given(rest->from))
    return rest->v;
  return m->minor == 8 ? 8088 : 8080;
}

static const struct m_keycloak *keycloak(const struct compose *c) {
  const struct m_management_identity *mi = &c->m->e.management_identity;
  return mi->meta.present && mi->provider.v == M_mi_provider_keycloak ? &mi->keycloak : NULL;
}

/* The realm as the browser reaches it: the bundled Keycloak through its
 * published port, or the external one at its URL. */
const char *compose_issuer_public(const struct compose *c) {
  const struct m_keycloak *k = keycloak(c);
  if (!k)
    return NULL;
  return appenv_keycloak_realm(c->a, k->url.set ? k->url.v : "http://localhost:18080", k);
}

/* ... and as the services reach it, by service name on the network. */
const char *compose_issuer_backend(const struct compose *c) {
  const struct m_keycloak *k = keycloak(c);
  if (!k)
    return NULL;
  return appenv_keycloak_realm(c->a, k->url.set ? k->url.v : "http://keycloak:18080", k);
}

/* Spring's data sizes: KB, MB and GB are powers of 1024. */
static const char *data_size(struct arena *a, int64_t b) {
  static const char *const units[] = {"KB", "MB", "GB"};
  int u = -1;
  while (u < 2 && b != 0 && b % 1024 == 0) {
    b /= 1024;
    u++;
  }
  return u < 0 ? arena_printf(a, "%" PRId64 "B", b) : arena_printf(a, "%" PRId64 "%s", b, units[u]);
}

/* Ports and Raft settings the estate chose; Camunda's defaults stay unwritten. */
static void broker_settings(struct compose *c, struct ynode *doc) {
  struct arena *a = c->a;
  const struct m_orchestration *o = &c->m->e.orchestration;
  const struct m_ports *p = &o->ports;
  if (p->rest.v != 8080)
    y_set(a, doc, "server.port", y_int(a, p->rest.v));
  if (p->management.v != 9600)
    y_set(a, doc, "management.server.port", y_int(a, p->management.v));
  if (p->grpc.v != 26500)
    y_set(a, doc, "zeebe.broker.gateway.network.port", y_int(a, p->grpc.v));
  if (p->command.v != 26501)
    y_set(a, doc, "zeebe.broker.network.commandApi.port", y_int(a, p->command.v));
  if (p->internal.v != 26502)
    y_set(a, doc, "zeebe.broker.network.internalApi.port", y_int(a, p->internal.v));
  if (m_given(o->heartbeat_interval.from))
    y_set(a, doc, "zeebe.broker.cluster.heartbeatInterval",
          y_str(a, arena_printf(a, "%" PRId64 "ms", o->heartbeat_interval.v)));
  if (m_given(o->election_timeout.from))
    y_set(a, doc, "zeebe.broker.cluster.electionTimeout",
          y_str(a, arena_printf(a, "%" PRId64 "ms", o->election_timeout.v)));
  if (m_given(o->flush.from))
    y_set(a, doc, "zeebe.broker.cluster.raft.flush.enabled", y_bool(a, o->flush.v));
  if (m_given(o->free_space_processing.from))
    y_set(a, doc, "zeebe.broker.data.disk.freeSpace.processing", y_str(a, data_size(a, o->free_space_processing.v)));
  if (m_given(o->free_space_replication.from))
    y_set(a, doc, "zeebe.broker.data.disk.freeSpace.replication", y_str(a, data_size(a, o->free_space_replication.v)));
  if (o->cpu_threads.set)
    y_set(a, doc, "camunda.system.cpu-thread-count", y_str(a, arena_printf(a, "%" PRId64, o->cpu_threads.v)));
  if (o->io_threads.set)
    y_set(a, doc, "camunda.system.io-thread-count", y_str(a, arena_printf(a, "%" PRId64, o->io_threads.v)));
  /* Camunda's 8.9 projects: no backups of the web applications without a store */
  if (c->m->minor == 9 && !c->m->e.backup.meta.present)
    y_set(a, doc, "camunda.backup.webapps.enabled", y_bool(a, false));
}

/* --- secondary storage -------------------------------------------------- */

static bool bundled_elasticsearch(const struct model *m) {
  const struct m_storage *s = &m->e.orchestration.storage;
  return s->meta.kind == M_storage_kind_elasticsearch && !s->url.set;
}

static bool bundled_rdbms(const struct model *m) {
  const struct m_storage *s = &m->e.orchestration.storage;
  return s->meta.kind == M_storage_kind_rdbms && !s->url.set;
}

/* The Elasticsearch or OpenSearch URL the services use. */
static const char *search_url(const struct compose *c) {
  const struct m_storage *s = &c->m->e.orchestration.storage;
  return s->url.set ? s->url.v : "http://elasticsearch:9200";
}

/* A single-node Elasticsearch without security, as in Camunda's projects. */
static void elasticsearch(struct compose *c) {
  struct arena *a = c->a;
  const struct model *m = c->m;
  const struct m_storage *s = &m->e.orchestration.storage;
  const struct m_image *img = &m->e.images.elasticsearch;
  const char *tag = s->version.set ? s->version.v : m->minor == 8 ? "8.17.10" : "8.19.11";
  struct ynode *svc = compose_service(
      c, "elasticsearch",
      compose_image(c, img, "docker.elastic.co", "elasticsearch/elasticsearch", "ELASTIC_VERSION", tag));
  compose_port(c, svc, "elasticsearch", 9200, 9200, s->meta.at);
  compose_port(c, svc, "elasticsearch", 9300, 9300, s->meta.at);
  compose_env(c, svc, "discovery.type", "single-node");
  compose_env(c, svc, "xpack.security.enabled", "false");
  /* allow running with little free disk, as Camunda's projects do */
  compose_env(c, svc, "cluster.routing.allocation.disk.threshold_enabled", "false");
  static const char *const test[] = {
      "CMD-SHELL", "curl -fsS 'http://localhost:9200/_cat/health?h=status' | grep -Eq 'green|yellow'", NULL};
  compose_health(c, svc, compose_argv(a, test), "5s", "5s", 30, "30s");
  compose_resources(c, svc, &s->resources);
  compose_volume(c, svc, "elastic", "/usr/share/elasticsearch/data");
  vec_push(a, &c->links, "Elasticsearch: http://localhost:9200");
}

/* The file-system backup store: a named volume at its path on every broker
 * (compose_check refuses a store without one). */
static const char *backup_path(const struct model *m) {
  const struct m_backup *b = &m->e.backup;
  return b->meta.present && b->filesystem.meta.present && b->filesystem.path.set ? b->filesystem.path.v : NULL;
}

/* Docker creates a named volume owned by root where the image has nothing
 * at its path, and the brokers run as the camunda user (uid 1001): so a
 * one-off container first hands such volumes to that user, as Camunda's
 * 8.9 project does for its H2 files.  Those volumes are the H2 files and
 * a file-system backup store (an absolute path of file names: lowering
 * checked it; it is quoted for the shell all the same). */
static bool data_init(const struct model *m) {
  return m->e.orchestration.storage.meta.kind == M_storage_kind_h2 || backup_path(m);
}

static void data_init_service(struct compose *c) {
  struct arena *a = c->a;
  struct ynode *svc = compose_service(c, "camunda-data-init",
                                      compose_image(c, &c->m->e.images.orchestration, NULL, "camunda/camunda",
                                                    "CAMUNDA_VERSION", c->m->e.images.orchestration.tag.v));
  y_set(a, svc, "user", y_str(a, "0:0"));
  const char *volumes[2], *paths[2];
  size_t n = 0;
  if (c->m->e.orchestration.storage.meta.kind == M_storage_kind_h2) {
    volumes[n] = "camunda-data";
    paths[n++] = ORCH_H2_DATA;
  }
  if (backup_path(c->m)) {
    volumes[n] = "backups";
    paths[n++] = backup_path(c->m);
  }
  struct buf b = {0};
  for (size_t i = 0; i < n; i++) {
    const char *p = name_shell_word(a, paths[i]);
    buf_printf(&b, "%schown -R 1001:1001 %s && chmod 775 %s", i ? " && " : "", p, p);
  }
  const char *cmd[] = {"/bin/sh", "-c", arena_strndup(a, b.data, b.len), NULL};
  buf_free(&b);
  y_set(a, svc, "entrypoint", compose_argv(a, cmd));
  y_set(a, svc, "restart", y_str(a, "no"));
  for (size_t i = 0; i < n; i++)
    compose_volume(c, svc, volumes[i], paths[i]);
}

/* The services the brokers need first, by condition. */
void compose_storage(struct compose *c) {
  const struct m_storage *s = &c->m->e.orchestration.storage;
  if (bundled_elasticsearch(c->m))
    elasticsearch(c);
  else if (bundled_rdbms(c->m))
    compose_postgres(c, "camunda-db", "camunda-db", "camunda", s->username.set ? s->username.v : "camunda",
                     &s->password, "camunda-db: password of the bundled secondary-storage database");
  if (data_init(c->m))
    data_init_service(c);
}

static void storage_after(struct compose *c, struct ynode *svc) {
  const struct m_storage *s = &c->m->e.orchestration.storage;
  if (bundled_elasticsearch(c->m))
    compose_after(c, svc, "elasticsearch", "service_healthy");
  else if (bundled_rdbms(c->m))
    compose_after(c, svc, "camunda-db", "service_healthy");
  else if (s->meta.kind == M_storage_kind_h2)
    compose_volume(c, svc, "camunda-data", ORCH_H2_DATA);
  if (data_init(c->m))
    compose_after(c, svc, "camunda-data-init", "service_completed_successfully");
  if (s->meta.kind == M_storage_kind_rdbms && s->jdbc_driver.v)
    y_push(c->a, y_get(svc, "volumes"), y_str(c->a, "./driver-lib:/driver-lib:ro"));
}

/* camunda.data.secondary-storage, for both 8.8 and 8.9. */
static void storage_config(struct compose *c, struct ynode *doc, struct ynode *reader) {
  struct arena *a = c->a;
  const struct m_storage *s = &c->m->e.orchestration.storage;
  const char *base = "camunda.data.secondary-storage";
  const char *use = "orchestration: password of the secondary storage";
  switch (s->meta.kind) {
  case M_storage_kind_none:
    y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, "none"));
    return;
  case M_storage_kind_h2:
    y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, "rdbms"));
    y_set(a, doc, arena_printf(a, "%s.rdbms.url", base),
          y_str(a, s->url.set ? s->url.v : "jdbc:h2:file:./camunda-data/h2db"));
    y_set(a, doc, arena_printf(a, "%s.rdbms.username", base), y_str(a, s->username.set ? s->username.v : "sa"));
    y_set(a, doc, arena_printf(a, "%s.rdbms.password", base),
          y_str(a, s->password.set ? compose_spring_value(c, reader, &s->password, "password", use) : ""));
    return;
  case M_storage_kind_rdbms:
    y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, "rdbms"));
    y_set(a, doc, arena_printf(a, "%s.rdbms.url", base),
          y_str(a, s->url.set ? s->url.v : compose_postgres_url(c, "camunda-db", "camunda")));
    y_set(a, doc, arena_printf(a, "%s.rdbms.username", base), y_str(a, s->username.set ? s->username.v : "camunda"));
    if (s->password.set || !s->url.set)
      y_set(a, doc, arena_printf(a, "%s.rdbms.password", base),
            y_str(a, s->password.set ? compose_spring_value(c, reader, &s->password, "password", use) : "camunda"));
    return;
  default:
    break;
  }
  const char *type = model_enum_name(s->meta.kind);
  y_set(a, doc, arena_printf(a, "%s.type", base), y_str(a, type));
  y_set(a, doc, arena_printf(a, "%s.%s.url", base, type), y_str(a, search_url(c)));
  if (s->username.set)
    y_set(a, doc, arena_printf(a, "%s.%s.username", base, type), y_str(a, s->username.v));
  if (s->password.set)
    y_set(a, doc, arena_printf(a, "%s.%s.password", base, type),
          y_str(a, compose_spring_value(c, reader, &s->password, "password", use)));
  if (s->index_replicas.set || bundled_elasticsearch(c->m))
    y_set(a, doc, "camunda.database.index.numberOfReplicas", y_int(a, s->index_replicas.set ? s->index_replicas.v : 0));
  if (s->index_prefix.set)
    y_set(a, doc, "camunda.database.indexPrefix", y_str(a, s->index_prefix.v));
}

/* Optimize imports the records of the Zeebe exporter (prefix zeebe-record). */
static void optimize_exporter(struct compose *c, struct ynode *doc, struct ynode *reader) {
  struct arena *a = c->a;
  const struct m_storage *s = &c->m->e.orchestration.storage;
  bool es = s->meta.kind == M_storage_kind_elasticsearch;
  if (!c->m->e.optimize.meta.present || (!es && s->meta.kind != M_storage_kind_opensearch))
    return;
  const char *p = es ? "zeebe.broker.exporters.elasticsearch" : "zeebe.broker.exporters.opensearch";
  y_set(a, doc, arena_printf(a, "%s.className", p),
        y_str(a, es ? "io.camunda.zeebe.exporter.ElasticsearchExporter"
                    : "io.camunda.zeebe.exporter.opensearch.OpensearchExporter"));
  y_set(a, doc, arena_printf(a, "%s.args.url", p), y_str(a, search_url(c)));
  y_set(a, doc, arena_printf(a, "%s.args.index.prefix", p), y_str(a, "zeebe-record"));
  if (s->index_replicas.set || bundled_elasticsearch(c->m))
    y_set(a, doc, arena_printf(a, "%s.args.index.numberOfReplicas", p),
          y_int(a, s->index_replicas.set ? s->index_replicas.v : 0));
  if (s->username.set)
    y_set(a, doc, arena_printf(a, "%s.args.authentication.username", p), y_str(a, s->username.v));
  if (s->password.set)
    y_set(a, doc, arena_printf(a, "%s.args.authentication.password", p),
          y_str(a, compose_spring_value(c, reader, &s->password, "password",
                                        "orchestration: password of the secondary storage")));
}

/* --- authentication ----------------------------------------------------- */

/* camunda.security.initialization.defaultRoles.<role>.<what>: the users
 * or clients given one of Camunda's default roles. */
static const char *default_role(struct arena *a, enum camunda_role r, const char *what) {
  return arena_printf(a, "%s.defaultRoles.%s.%s", SECURITY_INIT, camunda_role_name(r), what);
}

static struct ynode *one_str(struct arena *a, const char *s) {
  struct ynode *seq = y_seq(a);
  y_push(a, seq, y_str(a, s));
  return seq;
}

/* Initial users and their roles.  With OIDC the accounts live at the
 * provider: a user block then only gives the provider's user its roles,
 * and the clients of the cluster and of Connectors get theirs (as in
 * Camunda's full project). */
static void initial_users(struct compose *c, struct ynode *doc, struct ynode *reader, bool accounts) {
  struct arena *a = c->a;
  const struct m_list *list = &c->m->e.identity.user;
  struct ynode *seq = y_seq(a), *admins = y_seq(a), *conn = y_seq(a);
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    struct ynode *y = y_map(a);
    y_set(a, y, "username", y_str(a, u->meta.label));
    if (u->password.set && accounts)
      y_set(a, y, "password",
            y_str(a, compose_spring_value(c, reader, &u->password, "password",
                                          arena_printf(a, "orchestration: password of user \"%s\"", u->meta.label))));
    if (u->name.set)
      y_set(a, y, "name", y_str(a, u->name.v));
    if (u->email.set)
      y_set(a, y, "email", y_str(a, u->email.v));
    y_push(a, seq, y);
    if (camunda_has_role(u, ROLE_ADMIN))
      y_push(a, admins, y_str(a, u->meta.label));
    if (camunda_has_role(u, ROLE_CONNECTORS))
      y_push(a, conn, y_str(a, u->meta.label));
  }
  if (accounts && seq->items.len)
    y_set(a, doc, SECURITY_INIT ".users", seq);
  const struct m_management_identity *mi = &c->m->e.management_identity;
  if (!accounts && list->v.len == 0 && mi->meta.present && mi->first_user.set)
    y_push(a, admins, y_str(a, mi->first_user.v)); /* Management Identity's first user */
  if (admins->items.len)
    y_set(a, doc, default_role(a, ROLE_ADMIN, "users"), admins);
  if (conn->items.len)
    y_set(a, doc, default_role(a, ROLE_CONNECTORS, "users"), conn);
  if (accounts)
    return;
  const struct m_client *oc = model_client(&c->m->e.identity, "orchestration");
  const struct m_client *cc = model_client(&c->m->e.identity, "connectors");
  if (oc)
    y_set(a, doc, default_role(a, ROLE_ADMIN, "clients"), one_str(a, oc->id.v));
  if (cc && c->m->e.connectors.meta.present)
    y_set(a, doc, default_role(a, ROLE_CONNECTORS, "clients"), one_str(a, cc->id.v));
}

/* The provider's endpoints: those the estate gives, or, for Management
 * Identity's Keycloak, the login page as the browser reaches it and the
 * token and key endpoints as the services do. */
static void oidc_endpoints(struct compose *c, struct ynode *doc, const char *o) {
  struct arena *a = c->a;
  const struct m_identity *id = &c->m->e.identity;
  const char *pub = id->issuer.set ? NULL : compose_issuer_public(c);
  const char *back = id->issuer.set ? NULL : compose_issuer_backend(c);
  if (id->issuer.set)
    y_set(a, doc, arena_printf(a, "%s.issuer-uri", o), y_str(a, id->issuer.v));
  const char *auth = id->auth_url.set ? id->auth_url.v
                     : pub            ? arena_printf(a, "%s/protocol/openid-connect/auth", pub)
                                      : NULL;
  const char *token = id->token_url.set ? id->token_url.v
                      : back            ? arena_printf(a, "%s/protocol/openid-connect/token", back)
                                        : NULL;
  const char *jwks = id->jwks_url.set ? id->jwks_url.v
                     : back           ? arena_printf(a, "%s/protocol/openid-connect/certs", back)
                                      : NULL;
  if (auth)
    y_set(a, doc, arena_printf(a, "%s.authorization-uri", o), y_str(a, auth));
  if (token)
    y_set(a, doc, arena_printf(a, "%s.token-uri", o), y_str(a, token));
  if (jwks)
    y_set(a, doc, arena_printf(a, "%s.jwk-set-uri", o), y_str(a, jwks));
}

/* OIDC: the provider, the cluster's own client and the claims. */
static void oidc(struct compose *c, struct ynode *doc, struct ynode *reader) {
  struct arena *a = c->a;
  const struct m_identity *id = &c->m->e.identity;
  const char *o = "camunda.security.authentication.oidc";
  const char *back = compose_issuer_backend(c);
  y_set(a, doc, "camunda.security.authentication.method", y_str(a, "oidc"));
  oidc_endpoints(c, doc, o);
  const struct m_client *cl = model_client(&c->m->e.identity, "orchestration");
  if (cl) {
    y_set(a, doc, arena_printf(a, "%s.client-id", o), y_str(a, cl->id.v));
    if (cl->secret.set)
      y_set(a, doc, arena_printf(a, "%s.client-secret", o),
            y_str(a, compose_spring_value(c, reader, &cl->secret, "client-secret",
                                          "orchestration: secret of OIDC client \"orchestration\"")));
    const char *base = cl->redirect_url.set
                           ? cl->redirect_url.v
                           : arena_printf(a, "http://localhost:%" PRId64, compose_rest_host_port(c->m));
    y_set(a, doc, arena_printf(a, "%s.redirect-uri", o), y_str(a, arena_printf(a, "%s/sso-callback", base)));
  }
  struct ynode *aud = y_seq(a);
  y_push(a, aud, y_str(a, id->audience.v));
  if (back && c->m->e.web_modeler.meta.present)
    y_push(a, aud, y_str(a, "web-modeler-api")); /* Web Modeler deploys with its users' tokens */
  y_set(a, doc, arena_printf(a, "%s.audiences", o), aud);
  y_set(a, doc, arena_printf(a, "%s.username-claim", o), y_str(a, id->username_claim.v));
  y_set(a, doc, arena_printf(a, "%s.client-id-claim", o), y_str(a, id->client_id_claim.v));
  if (id->groups_claim.set)
    y_set(a, doc, arena_printf(a, "%s.groups-claim", o), y_str(a, id->groups_claim.v));
  if (back && c->m->e.management_identity.meta.present) { /* as in Camunda's full project */
    y_set(a, doc, "camunda.identity.issuer-backend-url", y_str(a, back));
    y_set(a, doc, "camunda.identity.base-url", y_str(a, "http://identity:8084"));
    y_set(a, doc, "camunda.identity.audience", y_str(a, id->audience.v));
  }
}

/* none: the unprotected API (web logins stay basic, with the initial
 * users); basic: users; oidc: the provider. */
static void authentication(struct compose *c, struct ynode *doc, struct ynode *reader) {
  struct arena *a = c->a;
  const struct m_identity *id = &c->m->e.identity;
  const char *sec = "camunda.security";
  switch (id->method.v) {
  case M_auth_method_none:
    y_set(a, doc, arena_printf(a, "%s.authentication.method", sec), y_str(a, "basic"));
    y_set(a, doc, arena_printf(a, "%s.authentication.unprotectedApi", sec), y_bool(a, true));
    y_set(a, doc, arena_printf(a, "%s.authorizations.enabled", sec), y_bool(a, false));
    initial_users(c, doc, reader, true);
    break;
  case M_auth_method_basic:
    y_set(a, doc, arena_printf(a, "%s.authentication.method", sec), y_str(a, "basic"));
    y_set(a, doc, arena_printf(a, "%s.authentication.unprotectedApi", sec), y_bool(a, false));
    y_set(a, doc, arena_printf(a, "%s.authorizations.enabled", sec), y_bool(a, id->authorizations.v));
    initial_users(c, doc, reader, true);
    break;
  default:
    oidc(c, doc, reader);
    initial_users(c, doc, reader, false);
    y_set(a, doc, arena_printf(a, "%s.authentication.unprotectedApi", sec), y_bool(a, false));
    y_set(a, doc, arena_printf(a, "%s.authorizations.enabled", sec), y_bool(a, id->authorizations.v));
    break;
  }
  /* identity as code, in the same defaultRoles map */
  access_into_spring(c->a, c->m, doc, SECURITY_INIT, "defaultRoles");
  if (id->multi_tenancy.v) {
    y_set(a, doc, arena_printf(a, "%s.multiTenancy.checksEnabled", sec), y_bool(a, true));
    y_set(a, doc, arena_printf(a, "%s.multiTenancy.apiEnabled", sec), y_bool(a, true));
  }
}

/* --- backups -------------------------------------------------------------- */

/* The backup store, in the brokers' environment (8.8: ZEEBE_BROKER_DATA_
 * BACKUP_*, 8.9: CAMUNDA_DATA_PRIMARYSTORAGE_BACKUP_*); credentials as
 * placeholders of the secrets file.  A file-system store is a named
 * volume mounted at its path on every broker, made theirs by
 * camunda-data-init. */
static void backup(struct compose *c, struct ynode *svc, const char *service) {
  struct vec vars = {0};
  appenv_backup(c->a, c->m, &vars);
  for (size_t i = 0; i < vars.len; i++) {
    const struct appenv *v = vars.items[i];
    const char *use = arena_printf(c->a, "%s: backup %s", service, v->default_key);
    compose_env(c, svc, v->name, compose_spring_value(c, svc, &v->value, v->default_key, use));
  }
  if (backup_path(c->m))
    compose_volume(c, svc, "backups", backup_path(c->m));
}

/* --- the brokers ---------------------------------------------------------- */

static struct ynode *config(struct compose *c, struct ynode *reader) {
  struct ynode *doc = y_map(c->a);
  broker_settings(c, doc);
  optimize_exporter(c, doc, reader);
  authentication(c, doc, reader);
  storage_config(c, doc, reader);
  return doc;
}

/* The cluster's shape, and per broker its node id, advertised host and the
 * contact points (the names of Camunda's manual-installation scripts). */
static void cluster_env(struct compose *c, struct ynode *svc, int64_t i) {
  struct arena *a = c->a;
  const struct m_orchestration *o = &c->m->e.orchestration;
  compose_env(c, svc, APPENV_CLUSTER_SIZE, arena_printf(a, "%" PRId64, o->brokers.v));
  compose_env(c, svc, APPENV_CLUSTER_PARTITIONS, arena_printf(a, "%" PRId64, o->partitions.v));
  compose_env(c, svc, APPENV_CLUSTER_REPLICATION, arena_printf(a, "%" PRId64, o->replication.v));
  if (o->brokers.v == 1)
    return;
  compose_env(c, svc, APPENV_CLUSTER_NODEID, arena_printf(a, "%" PRId64, i));
  compose_env(c, svc, "ZEEBE_BROKER_NETWORK_ADVERTISEDHOST", compose_broker(c, i));
  struct buf b = {0};
  for (int64_t k = 0; k < o->brokers.v; k++)
    buf_printf(&b, "%s%s:%" PRId64, k ? "," : "", compose_broker(c, k), o->ports.internal.v);
  compose_env(c, svc, APPENV_CONTACT_POINTS, arena_strndup(a, b.data, b.len));
  buf_free(&b);
}

/* Broker i publishes its ports shifted by 100 * i. */
static void broker_ports(struct compose *c, struct ynode *svc, const char *name, int64_t i) {
  const struct m_ports *p = &c->m->e.orchestration.ports;
  int64_t shift = 100 * i;
  compose_port(c, svc, name, p->grpc.v + shift, p->grpc.v, p->grpc.at);
  compose_port(c, svc, name, p->management.v + shift, p->management.v, p->management.at);
  compose_port(c, svc, name, compose_rest_host_port(c->m) + shift, p->rest.v, p->rest.at);
}

static struct ynode *broker(struct compose *c, int64_t i, struct ynode *reader) {
  struct arena *a = c->a;
  const struct model *m = c->m;
  const struct m_orchestration *o = &m->e.orchestration;
  const char *name = compose_broker(c, i);
  struct ynode *svc = reader ? reader
                             : compose_service(c, name,
                                               compose_image(c, &m->e.images.orchestration, NULL, "camunda/camunda",
                                                             "CAMUNDA_VERSION", m->e.images.orchestration.tag.v));
  broker_ports(c, svc, name, i);
  cluster_env(c, svc, i);
  if (o->java_opts.set)
    compose_env(c, svc, "JAVA_TOOL_OPTIONS", o->java_opts.v);
  backup(c, svc, name);
  compose_extra_env(c, svc, name, &o->env);
  /* Camunda's probe (bash's /dev/tcp: the image may have no curl), but
   * healthy only on 200: the endpoint answers 503 while the broker is down,
   * and Camunda's `head -n 1` succeeds on any answer.  bash builtins only;
   * $$ is Compose's escape for $. */
  const char *probe = arena_printf(a,
                                   "exec 3<>/dev/tcp/127.0.0.1/%" PRId64
                                   " && printf 'GET /actuator/health/status HTTP/1.1\\r\\nHost: localhost\\r\\n"
                                   "Connection: close\\r\\n\\r\\n' >&3 && read -r status <&3"
                                   " && [[ $$status == *' 200 '* ]]",
                                   o->ports.management.v);
  const char *test[] = {"CMD", "bash", "-c", probe, NULL};
  compose_health(c, svc, compose_argv(a, test), "5s", "5s", 30, "30s");
  compose_resources(c, svc, &o->resources);
  compose_volume(c, svc, o->brokers.v == 1 ? "orchestration" : name, ORCH_DATA);
  storage_after(c, svc);
  return svc;
}

void compose_orchestration(struct compose *c) {
  const struct model *m = c->m;
  const struct m_orchestration *o = &m->e.orchestration;
  struct ynode *first = compose_service(c, compose_broker(c, 0),
                                        compose_image(c, &m->e.images.orchestration, NULL, "camunda/camunda",
                                                      "CAMUNDA_VERSION", m->e.images.orchestration.tag.v));
  /* the secrets the shared configuration names mark the first broker;
   * every broker reads the same file */
  struct ynode *doc = config(c, first);
  bool secrets = y_get(first, "env_file")->kind == Y_SEQ;
  for (int64_t i = 0; i < o->brokers.v; i++) {
    struct ynode *svc = broker(c, i, i == 0 ? first : NULL);
    if (secrets)
      compose_reads_secrets(c, svc);
    compose_config(c, svc, ORCH_CONFIG, "/usr/local/camunda/config/application.yaml", doc,
                   "The Orchestration Cluster's configuration, mounted by every broker.");
  }
  int64_t rest = compose_rest_host_port(m);
  vec_push(c->a, &c->links, arena_printf(c->a, "Operate: http://localhost:%" PRId64 "/operate", rest));
  vec_push(c->a, &c->links, arena_printf(c->a, "Tasklist: http://localhost:%" PRId64 "/tasklist", rest));
  vec_push(c->a, &c->links, arena_printf(c->a, "REST API: http://localhost:%" PRId64 "/v2", rest));
  vec_push(c->a, &c->links, arena_printf(c->a, "gRPC API: localhost:%" PRId64, o->ports.grpc.v));
}
