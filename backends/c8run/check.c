/* check.c - what the Camunda 8 Run backend cannot write (TGT002, an
 * error) and what it leaves out (TGT003, a warning), so no output
 * silently lacks a setting of the estate.
 *
 * What Camunda 8 Run cannot run at all is Camunda's rule already (the LAP
 * family: several brokers, zones and regions, the management components,
 * OIDC, a store it does not bundle): those are refused here only when the
 * rule did not stop the build itself (an allow suppressed it, or a profile
 * lowered it).  Settings for other kinds of place are the model's ON rows
 * (uses.c warns about those). */
#include <ctype.h>
#include <string.h>

#include "c8run_int.h"

static void components(const struct model *m, struct diags *d) {
  const struct m_estate *e = &m->e;
  const struct meta *parts[] = {&e->optimize.meta, &e->web_modeler.meta, &e->console.meta,
                                &e->management_identity.meta};
  static const char *const names[] = {"optimize", "web_modeler", "console", "management_identity"};
  for (size_t i = 0; i < 4; i++)
    if (parts[i]->present && !backend_reported(d, "LAP004"))
      backend_refused(d, parts[i]->at, arena_printf(d->arena, "%s { enabled = false }", names[i]),
                      "Camunda 8 Run does not include %s", names[i]);
}

static void cluster(const struct model *m, struct diags *d) {
  const struct m_orchestration *o = &m->e.orchestration;
  if ((o->brokers.v > 1 || o->replication.v > 1) && !backend_reported(d, "LAP002"))
    backend_refused(d, o->brokers.v > 1 ? o->brokers.at : o->replication.at, "brokers = 1, replication = 1",
                    "Camunda 8 Run runs one broker (brokers = %lld, replication = %lld)", (long long)o->brokers.v,
                    (long long)o->replication.v);
  if (o->region.v.len && !backend_reported(d, "LAP003"))
    backend_refused(d, o->region.at, NULL, "Camunda 8 Run runs one region");
  else if (o->zones.v.len && !backend_reported(d, "LAP003"))
    backend_ignored(d, o->zones.at, "`zones` are not written", "Camunda 8 Run runs on one computer");
  struct {
    const struct m_int *v;
    const char *name;
  } raft[] = {{&o->heartbeat_interval, "heartbeat_interval"}, {&o->election_timeout, "election_timeout"},
              {&o->free_space_processing, "free_space_processing"},
              {&o->free_space_replication, "free_space_replication"}};
  for (size_t i = 0; i < sizeof raft / sizeof raft[0]; i++)
    if (m_given(raft[i].v->from))
      backend_ignored(d, raft[i].v->at, arena_printf(d->arena, "`%s` is not written", raft[i].name),
                      "Camunda 8 Run keeps its own defaults for its one broker");
  if (m_given(o->flush.from))
    backend_ignored(d, o->flush.at, "`flush` is not written", "Camunda 8 Run keeps its own defaults for its one broker");
}

/* Camunda 8 Run's health checks and its Connectors ask fixed ports; the
 * REST port is its --port flag. */
static void ports(const struct model *m, struct diags *d) {
  const struct m_ports *p = &m->e.orchestration.ports;
  const struct {
    const struct m_int *v;
    const char *name;
    int64_t fixed;
  } fixed[] = {{&p->grpc, "grpc", C8RUN_GRPC_PORT},
               {&p->command, "command", C8RUN_COMMAND_PORT},
               {&p->internal, "internal", C8RUN_INTERNAL_PORT},
               {&p->management, "management", C8RUN_MANAGEMENT_PORT}};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (fixed[i].v->v != fixed[i].fixed)
      backend_refused(d, span_or(fixed[i].v->at, m->env_at),
                      arena_printf(d->arena, "leave ports.%s at %lld; only ports.rest is Camunda 8 Run's to choose (--port)",
                                   fixed[i].name, (long long)fixed[i].fixed),
                      "ports.%s = %lld: Camunda 8 Run listens on %lld, which its health checks and Connectors use",
                      fixed[i].name, (long long)fixed[i].v->v, (long long)fixed[i].fixed);
}

static void storage(const struct model *m, struct diags *d) {
  const struct m_storage *s = &m->e.orchestration.storage;
  int kind = s->meta.kind;
  bool relational = kind == M_storage_kind_rdbms || kind == M_storage_kind_h2;
  if (m->minor == 8 && relational && !backend_reported(d, "SS001"))
    backend_refused(d, s->meta.at, "use elasticsearch, or version = \"8.9\"",
                    "Camunda 8 Run 8.8 has no relational secondary storage");
  bool bundled = !s->url.set && ((kind == M_storage_kind_elasticsearch && m->minor != 8) ||
                                 kind == M_storage_kind_opensearch || kind == M_storage_kind_rdbms);
  if (bundled && !backend_reported(d, "LAP006"))
    backend_refused(d, s->meta.at, "give the url of an external store", "Camunda 8 Run %s bundles no %s",
                    m->minor == 8 ? "8.8" : "8.9", model_enum_name(kind));
  if (s->aws_iam.v)
    backend_refused(d, s->aws_iam.at, "give username and password",
                    "Camunda 8 Run cannot authenticate to the store with AWS IAM roles");
}

static void identity(const struct model *m, struct diags *d) {
  const struct m_identity *id = &m->e.identity;
  if (id->method.v == M_auth_method_oidc && !backend_reported(d, "LAP005"))
    backend_refused(d, span_or(id->method.at, id->meta.at), "use method = basic", "Camunda 8 Run does not include OIDC");
  if (m->e.connectors.meta.present && id->method.v == M_auth_method_basic && !appenv_connectors_user(m))
    backend_refused(d, m->e.connectors.meta.at,
                    "add one: identity { user \"connectors\" { password = secret(\"...\"), roles = [\"connectors\"] } }",
                    "Connectors log in to a protected API as a user with the role connectors, and no user has it");
}

static void version(const struct model *m, struct diags *d) {
  const struct m_image *img = &m->e.images.orchestration;
  if (!camunda_is_release(camunda_release(m)))
    backend_refused(d, span_or(img->tag.at, m->env_at), "give a release such as \"8.8.3\", or leave the tag to the standard library",
                    "images.orchestration.tag = \"%s\" is not a Camunda release: Camunda 8 Run is downloaded by version",
                    camunda_release(m));
}

void c8run_check(const struct model *m, struct diags *d) {
  components(m, d);
  cluster(m, d);
  ports(m, d);
  storage(m, d);
  identity(m, d);
  version(m, d);
}
