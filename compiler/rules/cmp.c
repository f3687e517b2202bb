/* rules/cmp.c - Docker Compose. */
#include "rules.h"

/* CMP001: Compose is for local development (production profiles only). */
void rule_CMP001(struct sema *s) {
  if (!has_target(s, M_target_compose))
    return;
  struct diag *g = report(s, R_CMP001, &s->e->meta, at_or(s->e->target.at, &s->e->meta),
                          "Docker Compose is not designed for production");
  if (span_known(s->e->profile.at))
    note(s, g, s->e->profile.at, "profile = %s here", s->e->profile.v);
  help(s, g, "deploy production with target = helm; keep compose for local development");
}

/* CMP004: Compose upgrades are manual. */
void rule_CMP004(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  if (!has_target(s, M_target_compose) || !u->meta.present)
    return;
  struct diag *g = report(s, R_CMP004, &u->meta, at_or(u->from.at, &u->meta),
                          "%s%s%sDocker Compose has no automated upgrade path", u->from.set ? "upgrading from " : "",
                          u->from.set ? u->from.v : "", u->from.set ? ": " : "");
  help(s, g, "upgrade each component by hand, following Camunda's upgrade guide");
}
