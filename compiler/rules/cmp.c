/* rules/cmp.c - Docker Compose. */
#include "rules.h"

/* CMP001: Compose is for local development (production profiles only). */
void rule_CMP001(struct sema *s) {
  if (!on_place(s, M_place_docker))
    return;
  struct diag *g = report(s, R_CMP001, &s->e->meta, at_or(s->e->target.at, &s->e->meta),
                          "Docker Compose is not designed for production");
  if (span_known(s->e->profile.at))
    note(s, g, s->e->profile.at, "profile = %s here", s->e->profile.v);
  help(s, g, "deploy production with target = %s; keep target = %s for local development",
       model_place_targets(s->a, model_place_bit(M_place_kubernetes) | model_place_bit(M_place_machines)),
       model_enum_name(s->e->target.v));
}

/* CMP004: Compose upgrades are manual. */
void rule_CMP004(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  if (!on_place(s, M_place_docker) || !u->meta.present)
    return;
  struct diag *g = report(s, R_CMP004, &u->meta, at_or(u->from.at, &u->meta),
                          "%s%s%sDocker Compose has no automated upgrade path", u->from.set ? "upgrading from " : "",
                          u->from.set ? u->from.v : "", u->from.set ? ": " : "");
  help(s, g, "upgrade each component by hand, following Camunda's upgrade guide");
}

/* One component's requested CPU and memory, counted `n` times. */
static void ask(const struct m_resources *r, bool present, int64_t n, int64_t *cpu, int64_t *mem) {
  if (!present)
    return;
  if (r->cpu.set)
    *cpu += r->cpu.v * n;
  if (r->memory.set)
    *mem += r->memory.v * n;
}

/* CMP006: the containers ask for no more than the Docker host has. */
void rule_CMP006(struct sema *s) {
  const struct m_docker *dk = &s->e->docker;
  if (!on_place(s, M_place_docker) || (!dk->cpu.set && !dk->memory.set))
    return;
  const struct m_estate *e = s->e;
  int64_t cpu = 0, mem = 0;
  ask(&e->orchestration.resources, true, e->orchestration.brokers.v, &cpu, &mem);
  ask(&e->connectors.resources, e->connectors.meta.present, 1, &cpu, &mem);
  ask(&e->optimize.resources, e->optimize.meta.present, 1, &cpu, &mem);
  ask(&e->management_identity.resources, e->management_identity.meta.present, 1, &cpu, &mem);
  ask(&e->web_modeler.resources, e->web_modeler.meta.present, 1, &cpu, &mem);
  ask(&e->console.resources, e->console.meta.present, 1, &cpu, &mem);
  const struct m_storage *st = &e->orchestration.storage;
  ask(&st->resources, st->meta.kind == M_storage_kind_elasticsearch && !st->url.set, 1, &cpu, &mem);
  if (dk->cpu.set && cpu > dk->cpu.v) {
    struct diag *g = report(s, R_CMP006, &dk->meta, dk->cpu.at, "the containers ask for %s CPUs; the Docker host has %s",
                            model_format_cpu(s->a, cpu), model_format_cpu(s->a, dk->cpu.v));
    help(s, g, "give the host more, or the components smaller resources (std/sizing has development presets)");
  }
  if (dk->memory.set && mem > dk->memory.v) {
    struct diag *g = report(s, R_CMP006, &dk->meta, dk->memory.at, "the containers ask for %s of memory; the Docker host has %s",
                            model_format_size(s->a, mem), model_format_size(s->a, dk->memory.v));
    help(s, g, "give the host more, or the components smaller resources (std/sizing has development presets)");
  }
}
