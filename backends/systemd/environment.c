/* environment.c - the environment files of one host: camunda-environment
 * for the Orchestration Cluster and connectors-environment for Connectors.
 *
 * The variables are those of Camunda's manual installation (its
 * camunda-environment and connectors-environment files plus the per-node
 * block camunda-configure.sh appends: node id, cluster size, replication,
 * initial contact points on the internal port, advertised host, secondary
 * storage url), with the values the estate gives; settings the estate
 * leaves at Camunda's defaults are not written.  Where the reference has no
 * variable (OIDC, ports, Raft tuning, backups), the names are the Spring
 * relaxed-binding forms of the keys Camunda's chart renders for the same
 * setting.  A secret() is always an Ansible Vault variable, never a value.
 */
#include <ctype.h>
#include <string.h>

#include "access.h"
#include "appenv.h"
#include "systemd_int.h"

static void header(struct sd_env *e, const struct sd_host *host, const char *file, const char *dest) {
  struct sd *s = e->s;
  systemd_env_comment(e, arena_printf(s->a, "%s of host \"%s\" (broker node %lld), environment \"%s\".", file,
                                      host->h->meta.label, (long long)host->node_id, s->m->env));
  systemd_env_comment(e, camunda_generated_line1(s->a, s->m));
  systemd_env_comment(e, CAMUNDA_GENERATED_LINE2);
  systemd_env_comment(e, arena_printf(s->a, "ansible/site.yml renders it to %s", dest));
  systemd_env_comment(e, "(mode 0600), filling in the vault_* variables from Ansible Vault.");
}

/* --- camunda-environment --------------------------------------------------- */

static void storage(struct sd_env *e) {
  const struct m_storage *st = &e->s->m->e.orchestration.storage;
  int kind = st->meta.kind;
  if (kind != M_storage_kind_elasticsearch && kind != M_storage_kind_opensearch && kind != M_storage_kind_none)
    return;  /* rdbms and h2: refused by the check */
  systemd_env_blank(e);
  systemd_env_comment(e, "Secondary storage");
  systemd_env_str(e, "CAMUNDA_DATA_SECONDARYSTORAGE_TYPE", model_enum_name(kind), st->meta.at);
  if (kind == M_storage_kind_none)
    return;
  const char *p = kind == M_storage_kind_opensearch ? "CAMUNDA_DATA_SECONDARYSTORAGE_OPENSEARCH"
                                                    : "CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH";
  struct arena *a = e->s->a;
  systemd_env_str(e, arena_printf(a, "%s_URL", p), st->url.set ? st->url.v : "", st->url.at);
  if (st->username.set)
    systemd_env_str(e, arena_printf(a, "%s_USERNAME", p), st->username.v, st->username.at);
  if (st->password.set)
    systemd_env_secstr(e, arena_printf(a, "%s_PASSWORD", p), &st->password, "password");
  if (st->index_prefix.set)
    systemd_env_str(e, arena_printf(a, "%s_INDEXPREFIX", p), st->index_prefix.v, st->index_prefix.at);
  systemd_env_blank(e);
  systemd_env_comment(e, "Camunda exporter");
  systemd_env_str(e, "ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_CLASSNAME", "io.camunda.exporter.CamundaExporter",
                  (struct span){0});
  systemd_env_bool(e, "ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_ARGS_CREATESCHEMA", true);
}

static void jvm(struct sd_env *e) {
  struct sd *s = e->s;
  const struct m_orchestration *o = &s->m->e.orchestration;
  struct buf b = {0};
  buf_puts(&b, "-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=" SYSTEMD_CAMUNDA_DIR "/logs -XX:ErrorFile="
               SYSTEMD_CAMUNDA_DIR "/logs/zeebe_error%p.log -XX:+ExitOnOutOfMemoryError");
  const char *heap = systemd_heap(s, &o->resources);
  if (heap)
    buf_printf(&b, " %s", heap);
  if (o->java_opts.set && *o->java_opts.v)
    buf_printf(&b, " %s", o->java_opts.v);
  systemd_env_blank(e);
  systemd_env_comment(e, heap ? "JVM: the heap is a quarter of the memory limit (orchestration.resources)" : "JVM");
  systemd_env_str(e, "JAVA_TOOL_OPTIONS", arena_strndup(s->a, b.data, b.len), o->java_opts.at);
  buf_free(&b);
}

static void cluster(struct sd_env *e, const struct sd_host *host) {
  struct sd *s = e->s;
  const struct m_orchestration *o = &s->m->e.orchestration;
  systemd_env_blank(e);
  systemd_env_comment(e, "Cluster: this broker, its peers on the internal port, and its own address");
  systemd_env_int(e, APPENV_CLUSTER_NODEID, host->node_id);
  systemd_env_int(e, APPENV_CLUSTER_SIZE, o->brokers.v);
  systemd_env_int(e, APPENV_CLUSTER_PARTITIONS, o->partitions.v);
  systemd_env_int(e, APPENV_CLUSTER_REPLICATION, o->replication.v);
  systemd_env_str(e, APPENV_CONTACT_POINTS, systemd_contact_points(s), s->m->e.host.at);
  systemd_env_str(e, APPENV_ADVERTISED_HOST, host->h->address.set ? host->h->address.v : "",
                  host->h->address.at);
}

/* Spring's DataSize: bytes, in the largest binary unit that divides them. */
static const char *data_size(struct arena *a, int64_t bytes) {
  static const char *const units[] = {"GB", "MB", "KB"};
  int64_t div = INT64_C(1) << 30;
  for (size_t i = 0; i < 3; i++, div >>= 10)
    if (bytes > 0 && bytes % div == 0)
      return arena_printf(a, "%lld%s", (long long)(bytes / div), units[i]);
  return arena_printf(a, "%lldB", (long long)bytes);
}

/* Ports, threads, Raft and disk thresholds: only what the estate changes. */
static void tuning(struct sd_env *e) {
  struct sd *s = e->s;
  const struct m_orchestration *o = &s->m->e.orchestration;
  const struct m_ports *p = &o->ports;
  size_t before = e->b.len;
  systemd_env_blank(e);
  systemd_env_comment(e, "Ports and tuning the estate sets");
  size_t head = e->b.len;
  static const char *const names[] = {"SERVER_PORT", "ZEEBE_BROKER_GATEWAY_NETWORK_PORT",
                                      "ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT", "ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT",
                                      "MANAGEMENT_SERVER_PORT"};
  const struct m_int *ports[] = {&p->rest, &p->grpc, &p->command, &p->internal, &p->management};
  static const int64_t defaults[] = {8080, 26500, 26501, 26502, 9600};
  for (size_t i = 0; i < 5; i++)
    if (ports[i]->v != defaults[i])
      systemd_env_int(e, names[i], ports[i]->v);
  if (o->cpu_threads.set)
    systemd_env_int(e, "ZEEBE_BROKER_THREADS_CPUTHREADCOUNT", o->cpu_threads.v);
  if (o->io_threads.set)
    systemd_env_int(e, "ZEEBE_BROKER_THREADS_IOTHREADCOUNT", o->io_threads.v);
  struct arena *a = s->a;
  if (m_given(o->heartbeat_interval.from))
    systemd_env_str(e, "ZEEBE_BROKER_CLUSTER_HEARTBEATINTERVAL", arena_printf(a, "%lldms", (long long)o->heartbeat_interval.v),
                    o->heartbeat_interval.at);
  if (m_given(o->election_timeout.from))
    systemd_env_str(e, "ZEEBE_BROKER_CLUSTER_ELECTIONTIMEOUT", arena_printf(a, "%lldms", (long long)o->election_timeout.v),
                    o->election_timeout.at);
  if (m_given(o->flush.from))
    systemd_env_bool(e, "ZEEBE_BROKER_CLUSTER_RAFT_FLUSH_ENABLED", o->flush.v);
  if (m_given(o->free_space_processing.from))
    systemd_env_str(e, "ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING", data_size(a, o->free_space_processing.v),
                    o->free_space_processing.at);
  if (m_given(o->free_space_replication.from))
    systemd_env_str(e, "ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION", data_size(a, o->free_space_replication.v),
                    o->free_space_replication.at);
  if (e->b.len == head)
    e->b.len = before;  /* nothing set: no heading */
}

/* The members given to built-in roles so far: per variable prefix
 * (CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_<ROLE>_<KIND>) the ids
 * written, so that the next is _<i> after them and none is written twice
 * (a client the estate gives the admin role is also the cluster's own). */
struct role_members {
  struct vec prefixes;  /* const char * */
  struct vec ids;       /* struct vec * of const char *, one per prefix */
};

/* CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_<ROLE>_<KIND>: both in
 * capitals (Spring's environment form; a role with '-' has none). */
static const char *role_prefix(struct arena *a, const char *role, const char *kind) {
  char *name = arena_printf(a, "CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_%s_%s", role, kind);
  for (char *p = name; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  return name;
}

static void role_member(struct sd_env *e, struct role_members *rm, const char *role, const char *kind, const char *id,
                        struct span at) {
  struct arena *a = e->s->a;
  const char *prefix = role_prefix(a, role, kind);
  struct vec *ids = NULL;
  for (size_t i = 0; i < rm->prefixes.len && !ids; i++)
    if (strcmp(rm->prefixes.items[i], prefix) == 0)
      ids = rm->ids.items[i];
  if (!ids) {
    ids = arena_alloc(a, sizeof *ids);
    *ids = (struct vec){0};
    vec_push(a, &rm->prefixes, (void *)prefix);
    vec_push(a, &rm->ids, ids);
  }
  for (size_t i = 0; i < ids->len; i++)
    if (strcmp(ids->items[i], id) == 0)
      return;
  systemd_env_str(e, arena_printf(a, "%s_%zu", prefix, ids->len), id, at);
  vec_push(a, ids, (void *)id);
}

/* Roles at start-up.  Basic: the initial users, with their roles.  OIDC:
 * the accounts live at the provider, so only the roles of the users the
 * estate names, and those of the two clients: the cluster's own is admin,
 * Connectors' gets the connectors role, without which Connectors have no
 * permissions once authorizations are on (as in Camunda's own reference
 * configuration).  Other roles: identity_as_code. */
static void users(struct sd_env *e, struct role_members *rm, bool accounts) {
  struct sd *s = e->s;
  struct arena *a = s->a;
  const struct m_list *list = &s->m->e.identity.user;
  for (size_t i = 0; i < list->v.len; i++) {
    const struct m_user *u = list->v.items[i];
    const char *p = arena_printf(a, "CAMUNDA_SECURITY_INITIALIZATION_USERS_%zu", i);
    if (accounts) {
      systemd_env_str(e, arena_printf(a, "%s_USERNAME", p), u->meta.label, u->meta.at);
      if (u->password.set)
        systemd_env_secstr(e, arena_printf(a, "%s_PASSWORD", p), &u->password, "password");
      if (u->name.set)
        systemd_env_str(e, arena_printf(a, "%s_NAME", p), u->name.v, u->name.at);
      if (u->email.set)
        systemd_env_str(e, arena_printf(a, "%s_EMAIL", p), u->email.v, u->email.at);
    }
    for (enum camunda_role r = 0; r < ROLE_COUNT; r++)
      if (camunda_has_role(u, r))
        role_member(e, rm, camunda_role_name(r), "users", u->meta.label, u->roles.at);
  }
  if (accounts)
    return;
  const struct m_client *oc = model_client(&s->m->e.identity, "orchestration");
  const struct m_client *cc = model_client(&s->m->e.identity, "connectors");
  if (oc)
    role_member(e, rm, camunda_role_name(ROLE_ADMIN), "clients", oc->id.v, oc->id.at);
  if (cc && systemd_connectors_anywhere(s->m))
    role_member(e, rm, camunda_role_name(ROLE_CONNECTORS), "clients", cc->id.v, cc->id.at);
}

/* Identity as code: the estate's mapping rules, groups, roles, tenants
 * and authorizations in Spring's environment form, then the members of
 * built-in roles beyond the users' admin and connectors, after those
 * (a role whose id has '-' is refused by the check: no variable names it). */
static void identity_as_code(struct sd_env *e, struct role_members *rm) {
  struct sd *s = e->s;
  struct arena *a = s->a;
  const struct m_identity *id = &s->m->e.identity;
  struct vec vars = {0}, members = {0};
  struct ynode *lists = access_lists(a, s->m);
  if (lists)
    camunda_env_form(a, "camunda.security.initialization", lists, &vars);
  access_builtin_members(a, s->m, &members);
  if (!vars.len && !members.len)
    return;
  systemd_env_comment(e, "Identity as code: created at start-up, matched by id (a later change does not update them)");
  for (size_t i = 0; i < vars.len; i++) {
    const struct camunda_env *v = vars.items[i];
    systemd_env_str(e, v->name, v->value, id->meta.at);
  }
  for (size_t i = 0; i < members.len; i++) {
    const struct access_member *x = members.items[i];
    if (!strchr(x->role, '-'))
      role_member(e, rm, x->role, x->kind, x->id, id->meta.at);
  }
}

/* The base URL users reach the web applications at, if the estate says. */
static const char *public_base(struct sd *s, const struct m_client *c) {
  if (c && c->redirect_url.set)
    return c->redirect_url.v;
  return appenv_ingress_url(s->a, &s->m->e.ingress);
}

static void oidc(struct sd_env *e) {
  struct sd *s = e->s;
  struct arena *a = s->a;
  const struct m_identity *id = &s->m->e.identity;
  const char *p = "CAMUNDA_SECURITY_AUTHENTICATION_OIDC";
  const struct m_client *c = model_client(&s->m->e.identity, "orchestration");
  if (c) {
    systemd_env_str(e, arena_printf(a, "%s_CLIENTID", p), c->id.v, c->id.at);
    if (c->secret.set)
      systemd_env_secstr(e, arena_printf(a, "%s_CLIENTSECRET", p), &c->secret, "client-secret");
  }
  const struct m_str *uris[] = {&id->issuer, &id->auth_url, &id->token_url, &id->jwks_url};
  static const char *const names[] = {"ISSUERURI", "AUTHORIZATIONURI", "TOKENURI", "JWKSETURI"};
  for (size_t i = 0; i < 4; i++)
    if (uris[i]->set)
      systemd_env_str(e, arena_printf(a, "%s_%s", p, names[i]), uris[i]->v, uris[i]->at);
  const char *base = public_base(s, c);
  if (base) {
    size_t n = strlen(base);
    systemd_env_str(e, arena_printf(a, "%s_REDIRECTURI", p),
                    arena_printf(a, "%.*s/sso-callback", (int)(n && base[n - 1] == '/' ? n - 1 : n), base),
                    c && c->redirect_url.set ? c->redirect_url.at : s->m->e.ingress.host.at);
  }
  systemd_env_str(e, arena_printf(a, "%s_AUDIENCES_0", p), id->audience.v, id->audience.at);
  systemd_env_str(e, arena_printf(a, "%s_USERNAMECLAIM", p), id->username_claim.v, id->username_claim.at);
  systemd_env_str(e, arena_printf(a, "%s_CLIENTIDCLAIM", p), id->client_id_claim.v, id->client_id_claim.at);
  if (id->groups_claim.set)
    systemd_env_str(e, arena_printf(a, "%s_GROUPSCLAIM", p), id->groups_claim.v, id->groups_claim.at);
}

static void authentication(struct sd_env *e) {
  const struct m_identity *id = &e->s->m->e.identity;
  systemd_env_blank(e);
  systemd_env_comment(e, "Authentication and authorization");
  bool none = id->method.v == M_auth_method_none;
  systemd_env_str(e, "CAMUNDA_SECURITY_AUTHENTICATION_METHOD", id->method.v == M_auth_method_oidc ? "oidc" : "basic",
                  id->method.at);
  systemd_env_bool(e, "CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI", none);
  systemd_env_bool(e, "CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED", !none && id->authorizations.v);
  systemd_env_bool(e, "CAMUNDA_SECURITY_MULTITENANCY_ENABLED", id->multi_tenancy.v);
  if (id->multi_tenancy.v) {
    systemd_env_bool(e, "CAMUNDA_SECURITY_MULTITENANCY_CHECKSENABLED", true);
    systemd_env_bool(e, "CAMUNDA_SECURITY_MULTITENANCY_APIENABLED", true);
  }
  struct role_members rm = {0};
  if (id->method.v == M_auth_method_oidc) {
    oidc(e);
    systemd_env_comment(e, "Initial roles of the provider's users and clients");
    users(e, &rm, false);
  }
  if (id->method.v == M_auth_method_basic && id->user.v.len) {
    systemd_env_comment(e, "Initial users");
    users(e, &rm, true);
  }
  identity_as_code(e, &rm);
}

/* Backups: the brokers' backup store (8.8: zeebe.broker.data.backup.*,
 * 8.9: camunda.data.primary-storage.backup.*), the variables appenv.h
 * gives every target. */
static void backup(struct sd_env *e) {
  struct vec vars = {0};
  appenv_backup(e->s->a, e->s->m, &vars);
  if (vars.len == 0)
    return;
  systemd_env_blank(e);
  systemd_env_comment(e, "Backups");
  for (size_t i = 0; i < vars.len; i++) {
    const struct appenv *v = vars.items[i];
    systemd_env_secstr(e, v->name, &v->value, v->default_key);
  }
}

void systemd_camunda_env(struct sd *s, const struct sd_host *host, struct buf *out) {
  const struct m_estate *es = &s->m->e;
  struct sd_env e = {s, {0}};
  header(&e, host, "camunda-environment", SYSTEMD_CAMUNDA_ENV);
  storage(&e);
  jvm(&e);
  cluster(&e, host);
  tuning(&e);
  authentication(&e);
  if (es->license.set) {
    systemd_env_blank(&e);
    systemd_env_comment(&e, "License");
    systemd_env_secstr(&e, "CAMUNDA_LICENSE_KEY", &es->license, "license-key");
  }
  backup(&e);
  if (es->orchestration.env.v.len) {
    systemd_env_blank(&e);
    systemd_env_comment(&e, "orchestration.env");
    systemd_env_map(&e, &es->orchestration.env);
  }
  *out = e.b;
}

/* --- connectors-environment ------------------------------------------------- */

static void client_auth(struct sd_env *e) {
  struct sd *s = e->s;
  const struct m_identity *id = &s->m->e.identity;
  if (id->method.v == M_auth_method_none) {
    systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_METHOD", "none", id->method.at);
    return;
  }
  if (id->method.v == M_auth_method_basic) {
    systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_METHOD", "basic", id->method.at);
    const struct m_user *u = appenv_connectors_user(s->m);
    if (!u)
      return;  /* refused by the check */
    systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_USERNAME", u->meta.label, u->meta.at);
    if (u->password.set)
      systemd_env_secstr(e, "CAMUNDA_CLIENT_AUTH_PASSWORD", &u->password, "password");
    return;
  }
  systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_METHOD", "oidc", id->method.at);
  const char *token = appenv_token_url(s->a, s->m);
  if (token)
    systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_TOKENURL", token, id->token_url.set ? id->token_url.at : id->issuer.at);
  const struct m_client *c = model_client(&s->m->e.identity, "connectors");
  if (!c)
    return;  /* refused by the check */
  systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_CLIENTID", c->id.v, c->id.at);
  if (c->secret.set)
    systemd_env_secstr(e, "CAMUNDA_CLIENT_AUTH_CLIENTSECRET", &c->secret, "client-secret");
  systemd_env_str(e, "CAMUNDA_CLIENT_AUTH_AUDIENCE", c->audience.set ? c->audience.v : id->audience.v,
                  c->audience.set ? c->audience.at : id->audience.at);
}

int64_t systemd_connectors_port(const struct model *m) {
  const struct m_connectors *c = &m->e.connectors;
  return m_given(c->port.from) ? c->port.v : 9090;
}

void systemd_connectors_env(struct sd *s, const struct sd_host *host, struct buf *out) {
  struct arena *a = s->a;
  const struct m_estate *es = &s->m->e;
  const struct m_ports *p = &es->orchestration.ports;
  struct sd_env e = {s, {0}};
  header(&e, host, "connectors-environment", SYSTEMD_CONNECTORS_ENV);
  systemd_env_blank(&e);
  systemd_env_comment(&e, "Connectors' own port, off the cluster's 8080 as in Camunda's reference");
  systemd_env_int(&e, "SERVER_PORT", systemd_connectors_port(s->m));
  systemd_env_str(&e, "LOGGING_LEVEL_IO_CAMUNDA_CONNECTOR", "ERROR", (struct span){0});
  systemd_env_blank(&e);
  systemd_env_comment(&e, "The Orchestration Cluster: the broker on this host");
  systemd_env_str(&e, "CAMUNDA_CLIENT_RESTADDRESS", arena_printf(a, "http://127.0.0.1:%lld", (long long)p->rest.v),
                  p->rest.at);
  systemd_env_str(&e, "CAMUNDA_CLIENT_GRPCADDRESS", arena_printf(a, "http://127.0.0.1:%lld", (long long)p->grpc.v),
                  p->grpc.at);
  systemd_env_str(&e, "CAMUNDA_CLIENT_MODE", "selfManaged", (struct span){0});
  client_auth(&e);
  systemd_env_blank(&e);
  systemd_env_comment(&e, "Connectors use no Elasticsearch: its health check stays off");
  systemd_env_bool(&e, "MANAGEMENT_HEALTH_ELASTICSEARCH_ENABLED", false);
  const char *heap = systemd_heap(s, &es->connectors.resources);
  if (heap) {
    systemd_env_blank(&e);
    systemd_env_comment(&e, "JVM: the heap is a quarter of the memory limit (connectors.resources)");
    systemd_env_str(&e, "JAVA_OPTS", heap, systemd_memory_max(&es->connectors.resources)->at);
  }
  systemd_env_blank(&e);
  systemd_env_comment(&e, "Connector secrets: a process reads " APPENV_CONNECTOR_SECRET_PREFIX
                          "NAME as secrets.NAME, and no other variable");
  systemd_env_str(&e, APPENV_CONNECTOR_PREFIX_VAR, APPENV_CONNECTOR_SECRET_PREFIX, (struct span){0});
  struct m_envmap secrets = appenv_connector_secrets(a, s->m);
  systemd_env_map(&e, &secrets);
  if (es->connectors.env.v.len) {
    systemd_env_blank(&e);
    systemd_env_comment(&e, "connectors.env");
    systemd_env_map(&e, &es->connectors.env);
  }
  *out = e.b;
}
