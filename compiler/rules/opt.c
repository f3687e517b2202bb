/* rules/opt.c - Optimize. */
#include "rules.h"

static const struct m_optimize *optimize(const struct sema *s) {
  return s->e->optimize.meta.present ? &s->e->optimize : NULL;
}

/* Optimize reads the cluster's secondary storage of this kind. */
static void storage_note(struct sema *s, struct diag *g) {
  const struct m_storage *st = &s->e->orchestration.storage;
  note(s, g, st->meta.at, "storage = %s here", model_enum_name(st->meta.kind));
}

/* OPT001: Optimize on Elasticsearch or OpenSearch, not a relational database. */
void rule_OPT001(struct sema *s) {
  const struct m_optimize *op = optimize(s);
  int kind = s->e->orchestration.storage.meta.kind;
  if (!op || (kind != M_storage_kind_rdbms && kind != M_storage_kind_h2))
    return;
  struct diag *g = report(s, R_OPT001, &op->meta, op->meta.at,
                          "Optimize supports only Elasticsearch and OpenSearch, not %s secondary storage",
                          model_enum_name(kind));
  storage_note(s, g);
  help(s, g, "use storage = elasticsearch or opensearch, or leave Optimize out of this environment");
}

/* OPT008: no Optimize or Management Identity on machines. */
void rule_OPT008(struct sema *s) {
  if (!on_place(s, M_place_machines))
    return;
  const struct meta *comps[] = {&s->e->optimize.meta, &s->e->management_identity.meta};
  static const char *const names[] = {"optimize", "management_identity"};
  for (size_t i = 0; i < 2; i++) {
    if (!comps[i]->present)
      continue;
    struct diag *g = report(s, R_OPT008, comps[i], comps[i]->at,
                            "%s is not supported on machines (target = %s)", names[i],
                            model_enum_name(s->e->target.v));
    help(s, g, "run it with Docker or Helm in another environment, or remove it: %s { enabled = false }", names[i]);
  }
}

/* OPT009: Optimize has secondary storage to import from. */
void rule_OPT009(struct sema *s) {
  const struct m_optimize *op = optimize(s);
  if (!op || s->e->orchestration.storage.meta.kind != M_storage_kind_none)
    return;
  struct diag *g = report(s, R_OPT009, &op->meta, op->meta.at, "Optimize is disabled without secondary storage");
  storage_note(s, g);
  help(s, g, "use storage = elasticsearch or opensearch, or remove Optimize: optimize { enabled = false }");
}
