/* check.c - what the Compose backend cannot express, refused with TGT002,
 * and what it leaves out of a local project, warned about with TGT003,
 * so no estate setting it reads is dropped silently.  (Settings for other
 * kinds of place are the model's ON rows: uses.c warns about those.) */
#include <string.h>

#include "access.h"
#include "appenv.h"
#include "compose_int.h"

/* What a Compose project has no place for among the settings it reads. */
static void platform_settings(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  if (e->backup.meta.present && e->backup.schedule.set)
    backend_ignored(d, e->backup.schedule.at, "`schedule` is not written to the Compose project",
                    "take backups through the backup API");
}

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
  if (e->optimize.meta.present && m_given(e->optimize.importers.from))
    backend_ignored(d, e->optimize.importers.at, "`importers` is not written to the Compose project",
                    "the one Optimize container imports");
  if (e->optimize.meta.present && e->optimize.multi_tenancy.v)
    backend_refused(d, e->optimize.multi_tenancy.at, NULL,
                    "the compose backend cannot write Optimize's multi-tenancy yet");
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
      backend_refused(d, span_or(images[i].img->meta.at, m->env_at),
                      "give images { ... { tag = \"...\" } }, or leave the tag to the release's standard library",
                      "images.%s has no tag or digest: the Compose project names its version", images[i].name);
}

static void storage(const struct model *m, struct diags *d) {
  const struct m_storage *s = &m->e.orchestration.storage;
  int kind = s->meta.kind;
  if (kind == M_storage_kind_opensearch && !s->url.set)
    backend_refused(d, s->meta.at, NULL, "Compose bundles no OpenSearch: give the url of an external one");
  if (kind == M_storage_kind_rdbms && !s->url.set && s->vendor.v != M_db_kind_postgres)
    backend_refused(d, s->meta.at, NULL,
                    "Compose bundles PostgreSQL only as a relational secondary storage: give the JDBC url");
  if (s->aws_iam.v)
    backend_refused(d, s->aws_iam.at, "give username and password",
                    "Compose services cannot authenticate with AWS IAM roles");
  bool bundled = kind == M_storage_kind_elasticsearch && !s->url.set;
  if (bundled && s->nodes.set && s->nodes.v > 1)
    backend_ignored(d, s->nodes.at, arena_printf(d->arena, "%lld Elasticsearch nodes become one", (long long)s->nodes.v),
                    "Compose bundles a single-node Elasticsearch, as Camunda's projects do");
  if (m->e.backup.meta.present && m->e.backup.gcs.meta.present && m->e.backup.gcs.credentials.set)
    backend_refused(d, m->e.backup.gcs.credentials.at, "leave credentials unset (workload identity)",
                    "the compose backend cannot mount a GCS key file yet");
  appenv_backup_check(m, d);  /* the path is a volume's mount point: lowering checked it is absolute */
}

/* How Connectors authenticate to the cluster must be derivable. */
static void connectors(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_identity *id = &e->identity;
  if (!e->connectors.meta.present)
    return;
  if (id->method.v == M_auth_method_basic && !appenv_connectors_user(m)) {
    const char *role = camunda_role_name(ROLE_CONNECTORS);
    const char *help = arena_printf(
        d->arena, "add one: identity { user \"connectors\" { password = secret(\"...\"), roles = [\"%s\"] } }", role);
    backend_refused(d, e->connectors.meta.at, help,
                    "Connectors need a user with the role %s under basic authentication", role);
  }
  if (id->method.v != M_auth_method_oidc)
    return;
  const struct m_client *cl = model_client(&m->e.identity, "connectors");
  if (!cl || !cl->secret.set)
    backend_refused(d, cl ? cl->meta.at : e->connectors.meta.at,
                    "add identity { client \"connectors\" { secret = secret(\"...\") } }",
                    "Connectors need client \"connectors\" with a secret under OIDC");
  if (m->minor == 8 && id->issuer.set && !appenv_token_url(d->arena, m))
    backend_refused(d, id->issuer.at, "camarch derives it only from a Keycloak or Entra ID issuer: set token_url",
                    "Connectors on Camunda 8.8 need the provider's token_url");
}

static void needs_client(const struct model *m, struct diags *d, const char *label, struct span at, const char *who) {
  const struct m_client *cl = model_client(&m->e.identity, label);
  if (cl && cl->secret.set)
    return;
  backend_refused(d, cl ? cl->meta.at : at,
                  arena_printf(d->arena, "add identity { client \"%s\" { secret = secret(\"...\") } }", label),
                  "%s needs client \"%s\" with a secret: Management Identity creates it in Keycloak", who, label);
}

static void database(struct diags *d, const struct m_database *db, const char *what) {
  if (db->meta.present && !db->url.set && db->meta.kind != M_db_kind_postgres)
    backend_refused(d, db->meta.at, NULL, "Compose bundles PostgreSQL only as %s: give the JDBC url", what);
}

static void management_identity(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->meta.present)
    return;
  if (mi->provider.v == M_mi_provider_oidc) {
    backend_refused(d, mi->provider.at, "use provider = keycloak",
                    "the compose backend cannot write Management Identity with an external OIDC provider yet");
    return;
  }
  const struct m_keycloak *k = &mi->keycloak;
  if (!k->url.set && !k->admin_password.set)
    backend_refused(d, mi->meta.at, "keycloak { admin_password = secret(\"keycloak-admin\") }",
                    "the bundled Keycloak needs keycloak.admin_password");
  if (strcmp(k->realm.v, "camunda-platform") != 0)
    backend_refused(d, k->realm.at, NULL, "the compose backend writes the realm camunda-platform only");
  if (k->database.meta.kind != M_db_kind_postgres && !k->url.set)
    backend_refused(d, k->database.meta.at, NULL, "the compose backend gives Keycloak a PostgreSQL database only");
  else if (!k->url.set)
    database(d, &k->database, "Keycloak's database");
  database(d, &mi->database, "Management Identity's database");
  if (e->web_modeler.meta.present)
    database(d, &e->web_modeler.database, "Web Modeler's database");
  needs_client(m, d, "management_identity", mi->meta.at, "Management Identity");
  if (e->optimize.meta.present)
    needs_client(m, d, "optimize", e->optimize.meta.at, "Optimize");
  for (size_t i = 0; i < e->console.env.v.len && e->console.meta.present; i++) {
    const struct m_env *en = e->console.env.v.items[i];
    if (en->value.secret)
      backend_refused(d, en->value.at, "Console is not a Spring application: it does not resolve ${...} placeholders",
                      "Console cannot read a secret from its environment in Compose");
  }
}

static void identity(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *cl = id->client.v.items[i];
    if (!camunda_known_client(cl->meta.label) && !access_names_client(id, cl))
      backend_ignored(d, cl->meta.at,
                      arena_printf(d->arena, "client \"%s\" is not written to the Compose project", cl->meta.label),
                      arena_printf(d->arena, "the project has clients for %s", camunda_clients));
  }
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (id->method.v == M_auth_method_oidc && u->password.set)
      backend_ignored(d, u->password.at, "a user's `password` is not written under OIDC", "the provider holds the account");
  }
}

void compose_check(const struct model *m, struct diags *d) {
  const struct m_orchestration *o = &m->e.orchestration;
  if (o->region.v.len)
    backend_refused(d, o->region.at, NULL, "a Compose project runs one region: dual-region estates run on Kubernetes");
  platform_settings(m, d);
  replicas(m, d);
  storage(m, d);
  image_tags(m, d);
  connectors(m, d);
  management_identity(m, d);
  identity(m, d);
}
