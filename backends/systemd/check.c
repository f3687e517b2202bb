/* check.c - what the systemd backend cannot write (TGT002, an error) and
 * what it leaves out (TGT003, a warning), so no output silently lacks a
 * setting of the estate.
 *
 * Some gaps are Camunda's rules already (Optimize, Management Identity,
 * Web Modeler and Console on machines, a host count unlike the broker
 * count, hosts without an address): those are refused here only when the
 * rule did not stop the build itself (a profile turned it down, or an
 * allow suppressed it).  Finally every file is rendered once with
 * diagnostics on, so a value the file syntaxes cannot carry is refused
 * before anything is written.
 */
#include <ctype.h>
#include <string.h>

#include "appenv.h"
#include "names.h"
#include "systemd_int.h"

/* An error with this id is already reported: the build stops anyway. */
static bool reported(const struct diags *d, const char *id) {
  for (size_t i = 0; i < d->list.len; i++) {
    const struct diag *g = d->list.items[i];
    if (g->severity == SEV_ERROR && strcmp(g->id, id) == 0)
      return true;
  }
  return false;
}

static struct span at_or(struct span v, struct span block) { return span_known(v) ? v : block; }

/* A setting for another target: said only where the environment sets it
 * itself, since an estate with several targets carries them all. */
static void unused(const struct model *m, struct diags *d, struct span at, const char *what, const char *why) {
  if (emit_set_here(m, at))
    backend_ignored(d, at, what, why);
}

/* --- components and hosts ------------------------------------------------------ */

static void components(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct meta *parts[] = {&e->optimize.meta, &e->management_identity.meta, &e->web_modeler.meta,
                                &e->console.meta};
  static const char *const names[] = {"Optimize", "Management Identity", "Web Modeler", "Console"};
  static const char *const rules[] = {"OPT008", "OPT008", "MAN003", "MAN003"};
  for (size_t i = 0; i < 4; i++)
    if (parts[i]->present && !reported(d, rules[i]))
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
  if (!h->address.set && !reported(d, "MAN007"))
    diag_error(d, "TGT002", h->meta.at, "host \"%s\" has no address: it cannot be a contact point", label);
  if (h->address.set && name_is_ipv6(h->address.v))
    diag_error(d, "TGT002", h->address.at,
               "address = \"%s\": the brokers' contact points take an IPv4 address or a DNS name, not an IPv6 address",
               h->address.v);
  if (h->zone.set && !systemd_plain_text(h->zone.v))
    diag_error(d, "TGT002", h->zone.at, "zone = \"%s\": a zone cannot hold control characters or {{, {%% or {#",
               h->zone.v);
  if (h->os.v != M_os_linux)
    diag_error(d, "TGT002", at_or(h->os.at, h->meta.at),
               "host \"%s\" runs %s: the systemd backend installs on Linux with systemd", label,
               model_enum_name(h->os.v));
  if (h->libc.v == M_libc_musl)
    diag_error(d, "TGT002", at_or(h->libc.at, h->meta.at),
               "host \"%s\" uses musl: the systemd backend installs on glibc distributions with systemd (Debian, Ubuntu, "
               "RHEL)", label);
  if (span_known(h->connectors.at) && h->connectors.v && !m->e.connectors.meta.present)
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
  if ((int64_t)hosts->v.len != brokers && !reported(d, "ZB004"))
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
    if ((clash || id >= brokers) && !reported(d, "ZB003") && !reported(d, "ZB004"))
      diag_error(d, "TGT002", at_or(h->node_id.at, h->meta.at),
                 "host \"%s\": node id %lld is taken or outside 0 to %lld", h->meta.label, (long long)id,
                 (long long)brokers - 1);
  }
}

/* --- the cluster ------------------------------------------------------------------ */

static bool release_version(const char *v) {
  if (!v || !isdigit((unsigned char)*v))
    return false;
  for (const char *p = v; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr(".-", *p))
      return false;
  return strchr(v, '.') != NULL;
}

static void versions(const struct model *m, struct diags *d) {
  const struct m_images *im = &m->e.images;
  if (!release_version(systemd_camunda_version(m)))
    diag_error(d, "TGT002", at_or(im->orchestration.tag.at, m->env_at),
               "images.orchestration.tag = \"%s\" is not a Camunda release: the distribution is downloaded by version",
               systemd_camunda_version(m));
  if (m->e.connectors.meta.present && !release_version(systemd_connectors_version(m)))
    diag_error(d, "TGT002", at_or(im->connectors.tag.at, m->env_at),
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
  if (search && !st->url.set && !reported(d, "MAN007"))
    diag_error(d, "TGT002", st->meta.at, "the %s secondary storage needs a url: machines get no bundled store",
               model_enum_name(kind));
  if (st->aws_iam.v)
    diag_error(d, "TGT002", st->aws_iam.at, "the systemd backend cannot configure IAM authentication to the store yet");
  const char *why = "machines use an external store (its url)";
  if (st->nodes.set)
    backend_ignored(d, st->nodes.at, "`nodes` of the bundled store is not used", why);
  if (span_known(st->disk.at))
    backend_ignored(d, st->disk.at, "`disk` of the bundled store is not used", why);
  const struct m_resources *r = &st->resources;
  if (r->cpu.set || r->memory.set || r->cpu_limit.set || r->memory_limit.set)
    backend_ignored(d, st->resources.meta.at, "`resources` of the bundled store are not used", why);
  if (st->index_replicas.set)
    backend_ignored(d, st->index_replicas.at, "`index_replicas` is not written for machines",
                    "set the replicas of Camunda's indices in the store's index templates");
}

static void orchestration(const struct model *m, struct diags *d) {
  const struct m_orchestration *o = &m->e.orchestration;
  if (o->region.v.len && !reported(d, "DR009"))
    diag_error(d, "TGT002", o->region.at, "the systemd backend cannot write dual-region estates yet");
  else if (o->region_rtt.set)
    backend_ignored(d, o->region_rtt.at, "`region_rtt` is not used", "the estate has a single region");
  if (o->zones.v.len)
    unused(m, d, o->zones.at, "`zones` is not written for machines", "each host's zone goes to the inventory");
  if (span_known(o->disk.at))
    unused(m, d, o->disk.at, "`disk` is not written for machines", "the data disk is the host's (host { disk = ... })");
  if (o->storage_class.set)
    unused(m, d, o->storage_class.at, "`storage_class` is not written for machines", "machines have no storage classes");
  if (o->disruption_budget.v)
    unused(m, d, o->disruption_budget.at, "`disruption_budget` is not written for machines",
            "the playbook restarts one host at a time and waits for it to be healthy");
  storage(m, d);
}

/* OIDC: the provider's endpoints and the two clients the machines use. */
static void oidc(const struct model *m, struct diags *d, struct sd *s, bool conn) {
  struct arena *a = d->arena;
  const struct m_identity *id = &m->e.identity;
  if (id->issuer_backend.set)
    backend_ignored(d, id->issuer_backend.at, "`issuer_backend` is not written for machines",
                    "the hosts reach the provider at issuer (or token_url, jwks_url)");
  if (!id->issuer.set && !(id->auth_url.set && id->token_url.set && id->jwks_url.set) && !reported(d, "ID009"))
    diag_error(d, "TGT002", id->meta.at,
               "OIDC on machines needs the provider: issuer, or auth_url, token_url and jwks_url");
  bool have_orch = false, have_conn = false;
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    bool orch = strcmp(c->meta.label, "orchestration") == 0, con = strcmp(c->meta.label, "connectors") == 0;
    have_orch |= orch;
    have_conn |= con;
    if (!orch && !con)
      backend_ignored(d, c->meta.at, arena_printf(a, "client \"%s\" is not written for machines", c->meta.label),
                      "the Orchestration Cluster and Connectors are the only applications installed");
    if (con && c->redirect_url.set)
      backend_ignored(d, c->redirect_url.at, "the connectors client's `redirect_url` is not written",
                      "Connectors only obtain tokens, with no sign-in page");
  }
  if (!have_orch && !reported(d, "ID009"))
    diag_error(d, "TGT002", id->meta.at, "OIDC on machines needs the Orchestration Cluster's client: client \"orchestration\"");
  if (conn && !have_conn)
    diag_error(d, "TGT002", id->meta.at, "Connectors log in with a client under OIDC: add client \"connectors\"");
  if (conn && !appenv_token_url(d->arena, s->m))
    diag_error(d, "TGT002", id->meta.at,
               "Connectors need the provider's token endpoint: set token_url (it is derived only from a Keycloak or "
               "Entra ID issuer)");
}

/* The users' roles written (admin and connectors), under basic and OIDC;
 * under OIDC the provider holds the accounts, so a password is not. */
static void roles(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (id->method.v == M_auth_method_oidc && u->password.set)
      backend_ignored(d, u->password.at, "a user's `password` is not written under OIDC", "the provider holds the account");
  }
  backend_unwritten_roles(m, d, "for machines", "the initial roles written are admin and connectors");
}

/* Basic: a user for Connectors to log in as. */
static void basic(const struct model *m, struct diags *d, bool conn) {
  const struct m_identity *id = &m->e.identity;
  bool login = false;  /* some user has the connectors role */
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    for (size_t r = 0; r < u->roles.v.len; r++)
      login |= strcmp(u->roles.v.items[r], "connectors") == 0;
  }
  if (conn && !login && !reported(d, "MAN012"))
    diag_error(d, "TGT002", m->e.connectors.meta.at,
               "Connectors log in as a user with the connectors role: the systemd backend writes its name and "
               "password into Connectors' environment, and no user has that role");
}

static void identity(const struct model *m, struct diags *d, struct sd *s) {
  const struct m_identity *id = &m->e.identity;
  if (id->tenants.v.len)
    diag_error(d, "TGT002", id->tenants.at, "the systemd backend cannot create tenants at start-up yet");
  bool conn = false;  /* Connectors run on some host */
  for (size_t i = 0; i < m->e.host.v.len; i++)
    conn |= systemd_runs_connectors(m, m->e.host.v.items[i]);
  if (id->method.v == M_auth_method_none && id->user.v.len)
    backend_ignored(d, id->user.at, "users are not written", "initial users are for method = basic, their roles for oidc");
  else
    roles(m, d);
  if (id->method.v == M_auth_method_basic)
    basic(m, d, conn);
  if (id->method.v == M_auth_method_oidc)
    oidc(m, d, s, conn);
}

static void connectors(const struct model *m, struct diags *d) {
  const struct m_connectors *c = &m->e.connectors;
  if (!c->meta.present)
    return;
  if (!c->inbound.v)
    diag_error(d, "TGT002", c->inbound.at, "the systemd backend cannot turn inbound connectors off yet");
  if (span_known(c->replicas.at))
    backend_ignored(d, c->replicas.at, "`replicas` is not written for machines",
                    "one Connectors runtime runs on each host with connectors = true");
}

/* --- settings for other targets ------------------------------------------------------ */

static void image(const struct model *m, struct diags *d, const struct m_image *img, const char *name) {
  struct arena *a = d->arena;
  const struct m_str *f[] = {&img->registry, &img->repository, &img->digest};
  static const char *const keys[] = {"registry", "repository", "digest"};
  for (size_t i = 0; i < 3; i++)
    if (f[i]->set)
      unused(m, d, f[i]->at, arena_printf(a, "images.%s.%s is not used on machines", name, keys[i]),
              "the playbook installs Camunda's distribution of the version in the tag");
}

static void elsewhere(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const char *helm = "it is for target = helm";
  if (span_known(e->namespace.at))
    unused(m, d, e->namespace.at, "`namespace` is not used on machines", helm);
  if (span_known(e->release.at))
    unused(m, d, e->release.at, "`release` is not used on machines", helm);
  if (span_known(e->chart_version.at) && e->chart_version.at.file != m->version_file)
    unused(m, d, e->chart_version.at, "`chart_version` is not used on machines", helm);
  if (e->images.registry.set)
    unused(m, d, e->images.registry.at, "images.registry is not used on machines", "the playbook installs distributions");
  if (e->images.pull_secrets.v.len)
    unused(m, d, e->images.pull_secrets.at, "images.pull_secrets is not used on machines", "machines pull no images");
  image(m, d, &e->images.orchestration, "orchestration");
  image(m, d, &e->images.connectors, "connectors");
  const struct m_kubernetes *k = &e->kubernetes;
  const struct span ks[] = {k->nodes.at, k->node_cpu.at, k->node_memory.at, k->reclaim_policy.at, k->openshift.at,
                            k->self_signed_tls.at};
  for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
    if (span_known(ks[i])) {
      unused(m, d, ks[i], "`kubernetes` facts are not used on machines", helm);
      break;
    }
  if (e->ingress.meta.present)
    unused(m, d, e->ingress.meta.at, "the Ingress is not deployed on machines",
            "put a load balancer in front of the hosts; its host only gives the OIDC redirect URL");
  if (e->backup.meta.present && e->backup.schedule.set)
    backend_ignored(d, e->backup.schedule.at, "`schedule` is not written for machines", "take backups through the backup API");
  if (e->backup.meta.present && e->backup.gcs.meta.present && e->backup.gcs.credentials.set)
    diag_error(d, "TGT002", e->backup.gcs.credentials.at,
               "the systemd backend cannot install a GCS key file yet: use the hosts' service account (leave "
               "credentials unset)");
}

/* Renders every file once with diagnostics on: values the syntaxes cannot carry. */
static void render(struct sd *s) {
  size_t n;
  struct sd_host *hosts = systemd_hosts(s, &n);
  for (size_t i = 0; i < n; i++) {
    struct buf b = {0};
    systemd_camunda_env(s, &hosts[i], &b);
    buf_free(&b);
    systemd_camunda_unit(s, &hosts[i], &b);
    buf_free(&b);
    if (!systemd_runs_connectors(s->m, hosts[i].h))
      continue;
    systemd_connectors_env(s, &hosts[i], &b);
    buf_free(&b);
    systemd_connectors_unit(s, &hosts[i], &b);
    buf_free(&b);
  }
}

void systemd_check(const struct model *m, struct diags *d) {
  struct sd s = {d->arena, m, d, {0}};
  components(m, d);
  node_ids(m, d);
  for (size_t i = 0; i < m->e.host.v.len; i++)
    host(m, d, m->e.host.v.items[i]);
  versions(m, d);
  orchestration(m, d);
  identity(m, d, &s);
  connectors(m, d);
  elsewhere(m, d);
  appenv_backup_check(m, d);
  render(&s);
}
