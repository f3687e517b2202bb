/* check.c - what the Compose backend cannot express, refused with TGT002,
 * and what it leaves out of a local project, warned about with TGT003,
 * so no estate setting is dropped silently.  Once nothing is refused (and
 * no rule has failed), the project is built once with diagnostics, to find
 * host ports bound twice and secrets wanted under two variable names. */
#include <string.h>

#include "appenv.h"
#include "project.h"

static void refused(struct diags *d, struct span at, const char *what, const char *help) {
  struct diag *g = diag_error(d, "TGT002", at, "%s", what);
  if (help)
    diag_help(d, g, "%s", help);
}

/* A setting for another target: said only where the environment sets it
 * itself, since an estate with several targets carries them all. */
#define unused(d, at, what, why)         \
  do {                                   \
    if (emit_set_here(m, (at)))          \
      backend_ignored((d), (at), (what), (why)); \
  } while (0)

/* Kubernetes and machine settings a Compose project has no place for. */
static void platform_settings(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_orchestration *o = &e->orchestration;
  const char *k8s = "a Compose project runs on one Docker host";
  if (o->zones.v.len)
    unused(d, o->zones.at, "`zones` are not written to the Compose project", k8s);
  if (o->storage_class.set)
    unused(d, o->storage_class.at, "`storage_class` is not written to the Compose project",
            "Compose uses named volumes");
  if (o->disruption_budget.v)
    unused(d, o->disruption_budget.at, "`disruption_budget` is not written to the Compose project", k8s);
  if (span_known(o->disk.at))
    unused(d, o->disk.at, "`disk` is not written to the Compose project", "a named volume has no size");
  if (span_known(e->namespace.at))
    unused(d, e->namespace.at, "`namespace` is not written to the Compose project", "it names a Kubernetes namespace");
  if (span_known(e->release.at))
    unused(d, e->release.at, "`release` is not written to the Compose project", "it names a Helm release");
  if (e->images.pull_secrets.v.len)
    unused(d, e->images.pull_secrets.at, "`pull_secrets` are not written to the Compose project",
            "log in to the registry with `docker login`");
  const struct m_kubernetes *k = &e->kubernetes;
  const struct span facts[] = {k->nodes.at,          k->node_cpu.at,  k->node_memory.at,
                               k->reclaim_policy.at, k->openshift.at, k->self_signed_tls.at};
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
    if (span_known(facts[i]))
      unused(d, facts[i], "facts about a Kubernetes cluster are not used by a Compose project", k8s);
  if (e->host.v.len)
    unused(d, e->host.at, "`host` blocks are for target = systemd", "a Compose project runs on one Docker host");
  if (e->ingress.meta.present)
    unused(d, e->ingress.meta.at, "the Ingress is not written to the Compose project",
            "the services publish their ports on 127.0.0.1 instead");
  if (e->backup.meta.present && e->backup.schedule.set)
    unused(d, e->backup.schedule.at, "`schedule` is not written to the Compose project",
            "take backups through the backup API");
}

#undef unused

/* Components Compose runs as one container each. */
static void replicas(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct {
    bool present;
    const struct m_int *n;
    const char *name;
  } parts[] = {
      {e->connectors.meta.present, &e->connectors.replicas, "connectors"},
      {e->optimize.meta.present, &e->optimize.replicas, "optimize"},
      {e->management_identity.meta.present, &e->management_identity.replicas, "management_identity"},
      {e->web_modeler.meta.present, &e->web_modeler.replicas, "web_modeler"},
      {e->console.meta.present, &e->console.replicas, "console"},
  };
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
    if (parts[i].present && parts[i].n->v > 1)
      backend_ignored(d, parts[i].n->at,
                      arena_printf(d->arena, "%s: %lld replicas become one container", parts[i].name, (long long)parts[i].n->v),
                      "a service that publishes ports runs once in a Compose project");
  if (e->optimize.meta.present && span_known(e->optimize.importers.at))
    backend_ignored(d, e->optimize.importers.at, "`importers` is not written to the Compose project",
                    "the one Optimize container imports");
  if (e->optimize.meta.present && e->optimize.multi_tenancy.v)
    refused(d, e->optimize.multi_tenancy.at, "the compose backend cannot write Optimize's multi-tenancy yet", NULL);
}

/* The images the project runs from the estate's tags (the stdlib's, or
 * its own): each needs a tag or a digest. */
static void image_tags(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct {
    bool used;
    const struct m_image *img;
    const char *name;
  } images[] = {
      {true, &e->images.orchestration, "orchestration"},
      {e->connectors.meta.present, &e->images.connectors, "connectors"},
      {e->optimize.meta.present, &e->images.optimize, "optimize"},
      {e->management_identity.meta.present, &e->images.identity, "identity"},
      {e->web_modeler.meta.present, &e->images.web_modeler, "web_modeler"},
      {e->console.meta.present, &e->images.console, "console"},
  };
  for (size_t i = 0; i < sizeof images / sizeof images[0]; i++)
    if (images[i].used && !images[i].img->tag.set && !images[i].img->digest.set)
      refused(d, span_known(images[i].img->meta.at) ? images[i].img->meta.at : m->env_at,
              arena_printf(d->arena, "images.%s has no tag or digest: the Compose project names its version", images[i].name),
              "give images { ... { tag = \"...\" } }, or leave the tag to the release's standard library");
}

static void storage(const struct model *m, struct diags *d) {
  const struct m_storage *s = &m->e.orchestration.storage;
  int kind = s->meta.kind;
  if (kind == M_storage_kind_opensearch && !s->url.set)
    refused(d, s->meta.at, "Compose bundles no OpenSearch: give the url of an external one", NULL);
  if (kind == M_storage_kind_rdbms && !s->url.set && s->vendor.v != M_db_kind_postgres)
    refused(d, s->meta.at, "Compose bundles PostgreSQL only as a relational secondary storage: give the JDBC url",
            NULL);
  if (s->aws_iam.v)
    refused(d, s->aws_iam.at, "Compose services cannot authenticate with AWS IAM roles", "give username and password");
  bool bundled = kind == M_storage_kind_elasticsearch && !s->url.set;
  if (bundled && s->nodes.set && s->nodes.v > 1)
    backend_ignored(d, s->nodes.at, arena_printf(d->arena, "%lld Elasticsearch nodes become one", (long long)s->nodes.v),
                    "Compose bundles a single-node Elasticsearch, as Camunda's projects do");
  if (bundled && span_known(s->disk.at))
    backend_ignored(d, s->disk.at, "`disk` is not written to the Compose project", "a named volume has no size");
  if (m->e.backup.meta.present && m->e.backup.gcs.meta.present && m->e.backup.gcs.credentials.set)
    refused(d, m->e.backup.gcs.credentials.at, "the compose backend cannot mount a GCS key file yet",
            "leave credentials unset (workload identity)");
  appenv_backup_check(m, d);  /* the path is a volume's mount point: lowering checked it is absolute */
}

static bool has_role(const struct m_user *u, const char *role) {
  for (size_t r = 0; r < u->roles.v.len; r++)
    if (strcmp(u->roles.v.items[r], role) == 0)
      return true;
  return false;
}

/* How Connectors authenticate to the cluster must be derivable. */
static void connectors(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_identity *id = &e->identity;
  if (!e->connectors.meta.present)
    return;
  if (id->method.v == M_auth_method_basic) {
    bool found = false;
    for (size_t i = 0; i < id->user.v.len && !found; i++)
      found = has_role(id->user.v.items[i], "connectors");
    if (!found)
      refused(d, e->connectors.meta.at, "Connectors need a user with the role connectors under basic authentication",
              "add one: identity { user \"connectors\" { password = secret(\"...\"), roles = [\"connectors\"] } }");
  }
  if (id->method.v != M_auth_method_oidc)
    return;
  const struct m_client *cl = model_client(&m->e.identity, "connectors");
  if (!cl || !cl->secret.set)
    refused(d, cl ? cl->meta.at : e->connectors.meta.at,
            "Connectors need client \"connectors\" with a secret under OIDC",
            "add identity { client \"connectors\" { secret = secret(\"...\") } }");
  if (m->minor == 8 && id->issuer.set && !appenv_token_url(d->arena, m))
    refused(d, id->issuer.at, "Connectors on Camunda 8.8 need the provider's token_url",
            "camarch derives it only from a Keycloak or Entra ID issuer: set token_url");
}

static void needs_client(const struct model *m, struct diags *d, const char *label, struct span at, const char *who) {
  const struct m_client *cl = model_client(&m->e.identity, label);
  if (cl && cl->secret.set)
    return;
  struct diag *g =
      diag_error(d, "TGT002", cl ? cl->meta.at : at,
                 "%s needs client \"%s\" with a secret: Management Identity creates it in Keycloak", who, label);
  diag_help(d, g, "add identity { client \"%s\" { secret = secret(\"...\") } }", label);
}

static void database(const struct model *m, struct diags *d, const struct m_database *db, const char *what) {
  if (db->meta.present && !db->url.set && db->meta.kind != M_db_kind_postgres)
    refused(d, db->meta.at, arena_printf(d->arena, "Compose bundles PostgreSQL only as %s: give the JDBC url", what),
            NULL);
  if (db->meta.present && !db->url.set && span_known(db->disk.at))
    backend_ignored(d, db->disk.at, "`disk` is not written to the Compose project", "a named volume has no size");
  /* a setting for the helm target: said only where the environment sets it */
  if (db->meta.present && db->admin_password.set && emit_set_here(m, db->admin_password.at))
    backend_ignored(d, db->admin_password.at, "`admin_password` is not written to the Compose project",
                    "the PostgreSQL container's user is its administrator");
}

static void management_identity(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->meta.present)
    return;
  if (mi->provider.v == M_mi_provider_oidc) {
    refused(d, mi->provider.at,
            "the compose backend cannot write Management Identity with an external OIDC provider yet",
            "use provider = keycloak");
    return;
  }
  const struct m_keycloak *k = &mi->keycloak;
  if (!k->url.set && !k->admin_password.set)
    refused(d, mi->meta.at, "the bundled Keycloak needs keycloak.admin_password",
            "keycloak { admin_password = secret(\"keycloak-admin\") }");
  if (strcmp(k->realm.v, "camunda-platform") != 0)
    refused(d, k->realm.at, "the compose backend writes the realm camunda-platform only", NULL);
  if (k->database.meta.kind != M_db_kind_postgres && !k->url.set)
    refused(d, k->database.meta.at, "the compose backend gives Keycloak a PostgreSQL database only", NULL);
  else if (!k->url.set)
    database(m, d, &k->database, "Keycloak's database");
  database(m, d, &mi->database, "Management Identity's database");
  if (e->web_modeler.meta.present)
    database(m, d, &e->web_modeler.database, "Web Modeler's database");
  needs_client(m, d, "management_identity", mi->meta.at, "Management Identity");
  if (e->optimize.meta.present)
    needs_client(m, d, "optimize", e->optimize.meta.at, "Optimize");
  for (size_t i = 0; i < e->console.env.v.len && e->console.meta.present; i++) {
    const struct m_env *en = e->console.env.v.items[i];
    if (en->value.secret)
      refused(d, en->value.at, "Console cannot read a secret from its environment in Compose",
              "Console is not a Spring application: it does not resolve ${...} placeholders");
  }
}

static bool known_client(const char *label) {
  static const char *const known[] = {"orchestration", "connectors",  "optimize",
                                      "console",       "web_modeler", "management_identity"};
  for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
    if (strcmp(label, known[k]) == 0)
      return true;
  return false;
}

static void identity(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  if (id->method.v == M_auth_method_oidc && id->issuer_backend.set)
    backend_ignored(d, id->issuer_backend.at, "`issuer_backend` is not written to the Compose project",
                    "the services reach an external provider at its public issuer URL");
  if (id->tenants.v.len)
    backend_ignored(d, id->tenants.at, "`tenants` are not created by the Compose project", "create them in Identity");
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *cl = id->client.v.items[i];
    if (!known_client(cl->meta.label))
      backend_ignored(d, cl->meta.at,
                      arena_printf(d->arena, "client \"%s\" is not written to the Compose project", cl->meta.label),
                      "the project has clients for orchestration, connectors, optimize, console, web_modeler and "
                      "management_identity");
  }
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (id->method.v == M_auth_method_oidc && u->password.set)
      backend_ignored(d, u->password.at, "a user's `password` is not written under OIDC", "the provider holds the account");
  }
  backend_unwritten_roles(m, d, "to the Compose project", "the initial roles are admin and connectors");
}

void compose_check(const struct model *m, struct diags *d) {
  const struct m_orchestration *o = &m->e.orchestration;
  if (o->region.v.len)
    refused(d, o->region.at, "a Compose project runs one region: dual-region estates need target = helm", NULL);
  platform_settings(m, d);
  replicas(m, d);
  storage(m, d);
  image_tags(m, d);
  connectors(m, d);
  management_identity(m, d);
  identity(m, d);
  if (d->errors) /* the builder assumes an estate the rules and the checks above accept */
    return;
  struct compose c;
  compose_init(&c, d->arena, m, d);
  compose_build(&c);
}
