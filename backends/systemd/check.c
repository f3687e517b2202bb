/* check.c - what the systemd backend cannot write (TGT002, an error) and
 * what it leaves out (TGT003, a warning), so no output silently lacks a
 * setting of the estate.
 *
 * Some gaps are Camunda's rules already (Optimize, Management Identity,
 * Web Modeler and Console on machines, a host count unlike the broker
 * count, hosts without an address): those are refused here only when the
 * rule did not stop the build itself (a profile turned it down, or an
 * allow suppressed it).  Settings for other kinds of place are the
 * model's ON rows (uses.c warns about those); a value the file syntaxes
 * cannot carry is refused by the writers (writer.c) as they write it.
 */
#include <ctype.h>
#include <string.h>

#include "access.h"
#include "appenv.h"
#include "names.h"
#include "systemd_int.h"

/* --- components and hosts ------------------------------------------------------ */

static void components(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct meta *parts[] = {&e->optimize.meta, &e->management_identity.meta, &e->web_modeler.meta,
                                &e->console.meta};
  static const char *const names[] = {"Optimize", "Management Identity", "Web Modeler", "Console"};
  static const char *const rules[] = {"OPT008", "OPT008", "MAN003", "MAN003"};
  for (size_t i = 0; i < 4; i++)
    if (parts[i]->present && !backend_reported(d, rules[i]))
      diag_error(d, "TGT002", parts[i]->at,
                 "the systemd backend cannot install %s: Camunda's manual installation does not support it", names[i]);
}

/* A host's label names its directory and inventory entry, its address is
 * a host name or an IP address and its user one useradd accepts: lowering
 * checked all three (model.def); what is left is the machines' own. */
static void host(const struct model *m, struct diags *d, const struct m_host *h) {
  struct arena *a = d->arena;
  const char *label = h->meta.label;
  if (!strcmp(label, "all") || !strcmp(label, "ungrouped") || !strcmp(label, "localhost") ||
      !strcmp(label, SYSTEMD_GROUP))
    diag_error(d, "TGT002", h->meta.at, "host \"%s\": Ansible's inventory reserves that name", label);
  if (!h->address.set && !backend_reported(d, "MAN007"))
    diag_error(d, "TGT002", h->meta.at, "host \"%s\" has no address: it cannot be a contact point", label);
  if (h->address.set && name_is_ipv6(h->address.v))
    diag_error(d, "TGT002", h->address.at,
               "address = \"%s\": the brokers' contact points take an IPv4 address or a DNS name, not an IPv6 address",
               h->address.v);
  if (h->zone.set && !systemd_plain_text(h->zone.v))
    diag_error(d, "TGT002", h->zone.at, "zone = \"%s\": a zone cannot hold control characters or {{, {%% or {#",
               h->zone.v);
  if (h->os.v != M_os_linux)
    diag_error(d, "TGT002", span_or(h->os.at, h->meta.at),
               "host \"%s\" runs %s: the systemd backend installs on Linux with systemd", label,
               model_enum_name(h->os.v));
  if (h->libc.v == M_libc_musl)
    diag_error(d, "TGT002", span_or(h->libc.at, h->meta.at),
               "host \"%s\" uses musl: the systemd backend installs on glibc distributions with systemd (Debian, Ubuntu, "
               "RHEL)", label);
  if (m_given(h->connectors.from) && h->connectors.v && !m->e.connectors.meta.present)
    backend_ignored(d, h->connectors.at, arena_printf(a, "host \"%s\" runs no Connectors", label),
                    "the estate does not enable the connectors component");
}

/* Node ids 0..brokers-1, one per host: rules ZB003 and ZB004. */
static void node_ids(const struct model *m, struct diags *d) {
  const struct m_list *hosts = &m->e.host;
  int64_t brokers = m->e.orchestration.brokers.v;
  if (hosts->v.len == 0) {
    diag_error(d, "TGT002", m->env_at, "a systemd environment needs its machines: one host block per broker");
    return;
  }
  if ((int64_t)hosts->v.len != brokers && !backend_reported(d, "ZB004"))
    diag_error(d, "TGT002", hosts->at, "%zu hosts for brokers = %lld: the systemd backend runs one broker per host",
               hosts->v.len, (long long)brokers);
  for (size_t i = 0; i < hosts->v.len; i++) {
    const struct m_host *h = hosts->v.items[i];
    int64_t id = h->node_id.set ? h->node_id.v : (int64_t)i;
    bool clash = false;
    for (size_t j = 0; j < i; j++) {
      const struct m_host *p = hosts->v.items[j];
      clash |= (p->node_id.set ? p->node_id.v : (int64_t)j) == id;
    }
    if ((clash || id >= brokers) && !backend_reported(d, "ZB003") && !backend_reported(d, "ZB004"))
      diag_error(d, "TGT002", span_or(h->node_id.at, h->meta.at),
                 "host \"%s\": node id %lld is taken or outside 0 to %lld", h->meta.label, (long long)id,
                 (long long)brokers - 1);
  }
}

/* --- the cluster ------------------------------------------------------------------ */

static void versions(const struct model *m, struct diags *d) {
  const struct m_images *im = &m->e.images;
  if (!camunda_is_release(camunda_release(m)))
    diag_error(d, "TGT002", span_or(im->orchestration.tag.at, m->env_at),
               "images.orchestration.tag = \"%s\" is not a Camunda release: the distribution is downloaded by version",
               camunda_release(m));
  if (m->e.connectors.meta.present && !camunda_is_release(systemd_connectors_version(m)))
    diag_error(d, "TGT002", span_or(im->connectors.tag.at, m->env_at),
               "images.connectors.tag = \"%s\" is not a Connectors release: the runtime is downloaded by version",
               systemd_connectors_version(m));
}

static void storage(const struct model *m, struct diags *d) {
  const struct m_storage *st = &m->e.orchestration.storage;
  int kind = st->meta.kind;
  if (kind == M_storage_kind_rdbms || kind == M_storage_kind_h2)
    diag_error(d, "TGT002", st->meta.at,
               "the systemd backend cannot configure %s secondary storage yet: Camunda's manual installation "
               "describes Elasticsearch and OpenSearch", model_enum_name(kind));
  bool search = kind == M_storage_kind_elasticsearch || kind == M_storage_kind_opensearch;
  if (search && !st->url.set && !backend_reported(d, "MAN007"))
    diag_error(d, "TGT002", st->meta.at, "the %s secondary storage needs a url: machines get no bundled store",
               model_enum_name(kind));
  if (st->aws_iam.v)
    diag_error(d, "TGT002", st->aws_iam.at, "the systemd backend cannot configure IAM authentication to the store yet");
}

static void orchestration(const struct model *m, struct diags *d) {
  const struct m_orchestration *o = &m->e.orchestration;
  if (o->region.v.len && !backend_reported(d, "DR009"))
    diag_error(d, "TGT002", o->region.at, "the systemd backend cannot write dual-region estates yet");
  else if (o->region_rtt.set)
    backend_ignored(d, o->region_rtt.at, "`region_rtt` is not used", "the estate has a single region");
  storage(m, d);
}

/* OIDC: the provider's endpoints and the two clients the machines use. */
static void oidc(const struct model *m, struct diags *d, bool conn) {
  struct arena *a = d->arena;
  const struct m_identity *id = &m->e.identity;
  if (!id->issuer.set && !(id->auth_url.set && id->token_url.set && id->jwks_url.set) && !backend_reported(d, "ID009"))
    diag_error(d, "TGT002", id->meta.at,
               "OIDC on machines needs the provider: issuer, or auth_url, token_url and jwks_url");
  bool have_orch = false, have_conn = false;
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    bool orch = strcmp(c->meta.label, "orchestration") == 0, con = strcmp(c->meta.label, "connectors") == 0;
    have_orch |= orch;
    have_conn |= con;
    if (!orch && !con && !access_names_client(id, c))
      backend_ignored(d, c->meta.at, arena_printf(a, "client \"%s\" is not written for machines", c->meta.label),
                      "the Orchestration Cluster and Connectors are the only applications installed");
    if (con && c->redirect_url.set)
      backend_ignored(d, c->redirect_url.at, "the connectors client's `redirect_url` is not written",
                      "Connectors only obtain tokens, with no sign-in page");
  }
  if (!have_orch && !backend_reported(d, "ID009"))
    diag_error(d, "TGT002", id->meta.at, "OIDC on machines needs the Orchestration Cluster's client: client \"orchestration\"");
  if (conn && !have_conn)
    diag_error(d, "TGT002", id->meta.at, "Connectors log in with a client under OIDC: add client \"connectors\"");
  if (conn && !appenv_token_url(d->arena, m))
    diag_error(d, "TGT002", id->meta.at,
               "Connectors need the provider's token endpoint: set token_url (it is derived only from a Keycloak or "
               "Entra ID issuer)");
}

/* Under OIDC the provider holds the accounts, so a password is not written. */
static void oidc_passwords(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (id->method.v == M_auth_method_oidc && u->password.set)
      backend_ignored(d, u->password.at, "a user's `password` is not written under OIDC", "the provider holds the account");
  }
}

/* Where the estate gives member `x` its roles, for a message. */
static struct span member_at(const struct m_identity *id, const struct access_member *x) {
  if (strcmp(x->kind, "users") == 0)
    for (size_t i = 0; i < id->user.v.len; i++) {
      const struct m_user *u = id->user.v.items[i];
      if (strcmp(u->meta.label, x->id) == 0)
        return u->roles.at;
    }
  if (strcmp(x->kind, "clients") == 0)
    for (size_t i = 0; i < id->client.v.len; i++) {
      const struct m_client *c = id->client.v.items[i];
      if (c->id.v && strcmp(c->id.v, x->id) == 0)
        return c->roles.at;
    }
  if (strcmp(x->kind, "groups") == 0)
    for (size_t i = 0; i < id->group.v.len; i++) {
      const struct m_group *g = id->group.v.items[i];
      if (strcmp(g->meta.label, x->id) == 0)
        return g->roles.at;
    }
  for (size_t i = 0; i < id->mapping_rule.v.len; i++) {
    const struct m_mapping_rule *r = id->mapping_rule.v.items[i];
    if (strcmp(r->meta.label, x->id) == 0)
      return r->roles.at;
  }
  return id->meta.at;
}

/* Members of built-in roles go to CAMUNDA_SECURITY_INITIALIZATION_
 * DEFAULTROLES_<ROLE>_<KIND>_<i>, where Spring reads the map key <role>
 * from the variable's name: lower-cased, with no '-'.  readonly-admin,
 * app-integrations and task-worker cannot be named that way. */
static void builtin_roles(const struct model *m, struct diags *d) {
  struct vec members = {0};
  access_builtin_members(d->arena, m, &members);
  for (size_t i = 0; i < members.len; i++) {
    const struct access_member *x = members.items[i];
    if (!strchr(x->role, '-'))
      continue;
    const char *kind = strcmp(x->kind, "users") == 0     ? "user"
                       : strcmp(x->kind, "clients") == 0 ? "client"
                       : strcmp(x->kind, "groups") == 0  ? "group"
                                                         : "mapping rule";
    backend_refused(d, member_at(&m->e.identity, x),
                    arena_printf(d->arena,
                                 "an environment file cannot name role \"%s\" (Spring reads the role from the "
                                 "variable's name, which has no '-'): give the permissions through a role of the "
                                 "estate's own, identity { role \"...\" { ... } }, and authorizations",
                                 x->role),
                    "%s \"%s\" cannot be given the built-in role \"%s\" on machines", kind, x->id, x->role);
  }
}

/* Basic: a user for Connectors to log in as. */
static void basic(const struct model *m, struct diags *d, bool conn) {
  const struct m_identity *id = &m->e.identity;
  bool login = false;  /* some user has the connectors role */
  for (size_t i = 0; i < id->user.v.len; i++)
    login |= camunda_has_role(id->user.v.items[i], ROLE_CONNECTORS);
  if (conn && !login && !backend_reported(d, "MAN012"))
    diag_error(d, "TGT002", m->e.connectors.meta.at,
               "Connectors log in as a user with the connectors role: the systemd backend writes its name and "
               "password into Connectors' environment, and no user has that role");
}

static void identity(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  bool conn = systemd_connectors_anywhere(m);
  if (id->method.v == M_auth_method_none && id->user.v.len)
    backend_ignored(d, id->user.at, "users are not written", "initial users are for method = basic, their roles for oidc");
  else
    oidc_passwords(m, d);
  builtin_roles(m, d);
  if (id->method.v == M_auth_method_basic)
    basic(m, d, conn);
  if (id->method.v == M_auth_method_oidc)
    oidc(m, d, conn);
}

static void connectors(const struct model *m, struct diags *d) {
  const struct m_connectors *c = &m->e.connectors;
  if (!c->meta.present)
    return;
  if (!c->inbound.v)
    diag_error(d, "TGT002", c->inbound.at, "the systemd backend cannot turn inbound connectors off yet");
}

/* --- backups ------------------------------------------------------------------------ */

static void backup(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  if (e->backup.meta.present && e->backup.schedule.set)
    backend_ignored(d, e->backup.schedule.at, "`schedule` is not written for machines", "take backups through the backup API");
  if (e->backup.meta.present && e->backup.gcs.meta.present && e->backup.gcs.credentials.set)
    diag_error(d, "TGT002", e->backup.gcs.credentials.at,
               "the systemd backend cannot install a GCS key file yet: use the hosts' service account (leave "
               "credentials unset)");
}

void systemd_check(const struct model *m, struct diags *d) {
  components(m, d);
  node_ids(m, d);
  for (size_t i = 0; i < m->e.host.v.len; i++)
    host(m, d, m->e.host.v.items[i]);
  versions(m, d);
  orchestration(m, d);
  identity(m, d);
  connectors(m, d);
  backup(m, d);
  appenv_backup_check(m, d);
}
