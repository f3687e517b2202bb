/* rules/ha.c - high availability and zones. */
#include <inttypes.h>

#include "rules.h"

/* HA001: three brokers or more. */
void rule_HA001(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (o->brokers.v >= 3)
    return;
  struct diag *g = report(s, R_HA001, &o->meta, at_or(o->brokers.at, &o->meta),
                          "brokers = %" PRId64 ": production wants at least three", o->brokers.v);
  help(s, g, "brokers = 3, partitions = 3, replication = 3 is Camunda's baseline");
}

/* HA002: three zones or more. */
void rule_HA002(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (s->f.regions != 1 || s->f.nzones >= 3)
    return;
  if (on_place(s, M_place_kubernetes) && o->zones.v.len < 2)
    return;  /* HA007 says it: no zones for the spread */
  struct span at = s->f.nzones && o->zones.v.len ? o->zones.at : on_place(s, M_place_machines) ? s->e->host.at : o->meta.at;
  struct diag *g = report(s, R_HA002, &o->meta, at_or(at, &o->meta),
                          s->f.nzones ? "the brokers are in %d zone%s: production wants at least three"
                                      : "no zones given for the brokers: production wants at least three",
                          s->f.nzones, s->f.nzones == 1 ? "" : "s");
  help(s, g, on_place(s, M_place_machines) ? "give each host its zone: zone = \"eu-west-1a\""
                                             : "list them: zones = [\"a\", \"b\", \"c\"]");
}

/* HA003: no zone holds more copies of a partition than it may lose.
 * One pass over the partitions counts, per zone, the partitions that
 * would lose their quorum with it (the first, and its copies there). */
void rule_HA003(struct sema *s) {
  const struct facts *f = &s->f;
  if (!f->placement || f->nzones < 2)
    return;
  size_t nz = (size_t)f->nzones;
  int *firsts = arena_alloc(s->a, nz * sizeof *firsts), *worsts = arena_alloc(s->a, nz * sizeof *worsts);
  int *counts = arena_alloc(s->a, nz * sizeof *counts), *here = arena_alloc(s->a, nz * sizeof *here);
  for (size_t z = 0; z < nz; z++)
    firsts[z] = -1;
  for (int p = 0; p < f->partitions; p++) {
    const int *copies = &f->replica[p * f->replication];
    for (int k = 0; k < f->replication; k++)
      if (f->broker_zone[copies[k]] >= 0)
        here[f->broker_zone[copies[k]]]++;
    for (int k = 0; k < f->replication; k++) {
      int z = f->broker_zone[copies[k]];
      if (z < 0 || here[z] == 0)
        continue;  /* no zone, or this zone is counted already */
      if (here[z] > f->tolerated) {
        if (firsts[z] < 0) {
          firsts[z] = p;
          worsts[z] = here[z];
        }
        counts[z]++;
      }
      here[z] = 0;
    }
  }
  for (int z = 0; z < f->nzones; z++) {
    int first = firsts[z], count = counts[z], worst = worsts[z];
    if (first < 0)
      continue;
    const struct m_orchestration *o = &s->e->orchestration;
    struct span at = on_place(s, M_place_machines) ? s->e->host.at : o->zones.at;
    struct diag *g = report(s, R_HA003, &o->meta, at_or(at, &o->meta),
                            "losing zone %s would cost partition %d its quorum (%d of its %d copies are there)%s",
                            f->zones[z], first + 1, worst, f->replication,
                            count > 1 ? arena_printf(s->a, ", and %d more partition%s", count - 1, count > 2 ? "s" : "") : "");
    note(s, g, at_or(o->replication.at, &o->meta), "replication = %d: a partition keeps working while %d cop%s of %d remain",
         f->replication, f->quorum, f->quorum == 1 ? "y" : "ies", f->replication);
    if (f->nzones * f->tolerated < f->replication) {  /* no spread over these zones can help */
      if (f->tolerated == 0)
        help(s, g, "replication = %d tolerates no lost copy: use replication = 3 over three zones", f->replication);
      else
        help(s, g, "a partition may lose %d cop%s of %d: spread the brokers over at least %d zones", f->tolerated,
             f->tolerated == 1 ? "y" : "ies", f->replication, (f->replication + f->tolerated - 1) / f->tolerated);
      return;  /* one finding: every zone would say the same */
    }
    if (on_place(s, M_place_machines))
      help(s, g, "a partition's copies sit on consecutive node ids: give the hosts zones round-robin by node id, "
                 "with a host count that is a multiple of %d",
           f->nzones);
    else
      help(s, g, "spread the brokers so no zone holds more than %d cop%s of a partition: with %d zones, use brokers "
                 "in multiples of %d",
           f->tolerated, f->tolerated == 1 ? "y" : "ies", f->nzones, f->nzones);
  }
}

/* HA005: four Kubernetes nodes or more. */
void rule_HA005(struct sema *s) {
  const struct m_kubernetes *k = &s->e->kubernetes;
  if (!on_place(s, M_place_kubernetes) || !k->nodes.set || k->nodes.v >= 4)
    return;
  struct diag *g = report(s, R_HA005, &k->meta, k->nodes.at, "nodes = %" PRId64 ": Camunda recommends at least four",
                          k->nodes.v);
  help(s, g, "plan four nodes or more: three for the brokers and room for the other components");
}

/* HA006: a node for every broker. */
void rule_HA006(struct sema *s) {
  const struct m_kubernetes *k = &s->e->kubernetes;
  const struct m_orchestration *o = &s->e->orchestration;
  /* the brokers of the fullest region (broker i is in region i mod regions) */
  int64_t per_region = (o->brokers.v + s->f.regions - 1) / s->f.regions;
  if (!on_place(s, M_place_kubernetes) || !k->nodes.set || k->nodes.v >= per_region)
    return;
  struct diag *g = report(s, R_HA006, &o->meta, at_or(o->brokers.at, &o->meta),
                          "%" PRId64 " brokers%s need %" PRId64 " nodes%s; the cluster has %" PRId64 ": %" PRId64
                          " would stay Pending",
                          per_region, s->f.regions > 1 ? " per region" : "", per_region,
                          s->f.regions > 1 ? " in each region" : "", k->nodes.v, per_region - k->nodes.v);
  note(s, g, k->nodes.at, "nodes = %" PRId64 " here", k->nodes.v);
  help(s, g, "the chart places at most one broker on a node: add nodes, or run fewer brokers");
}

/* HA007: brokers spread across zones on Kubernetes. */
void rule_HA007(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (!on_place(s, M_place_kubernetes) || o->zones.v.len >= 2 || s->f.regions != 1)
    return;
  struct diag *g = report(s, R_HA007, &o->meta, at_or(o->zones.at, &o->meta),
                          "the brokers are not spread across zones");
  help(s, g, "list the zones: zones = [\"a\", \"b\", \"c\"]; camarch adds a topology spread constraint");
}

/* HA008: one Optimize importer. */
void rule_HA008(struct sema *s) {
  const struct m_optimize *op = &s->e->optimize;
  if (!op->meta.present || op->importers.v <= 1)
    return;
  struct diag *g = report(s, R_HA008, &op->meta, op->importers.at,
                          "importers = %" PRId64 ": the importer must run on one replica", op->importers.v);
  help(s, g, "set importers = 1");
}

/* HA009: a single broker has backups. */
void rule_HA009(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (o->brokers.v != 1 || s->e->backup.meta.present)
    return;
  struct diag *g = report(s, R_HA009, &o->meta, at_or(o->brokers.at, &o->meta),
                          "a single broker and no backup store");
  help(s, g, "add a backup block, e.g. backup { s3 { bucket = \"...\", region = \"...\" } }");
}

/* HA012: a PodDisruptionBudget for the brokers. */
void rule_HA012(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (!on_place(s, M_place_kubernetes) || o->disruption_budget.v || o->brokers.v < 2)
    return;
  struct diag *g = report(s, R_HA012, &o->meta, at_or(o->disruption_budget.at, &o->meta),
                          "no PodDisruptionBudget protects the brokers");
  help(s, g, "set disruption_budget = true");
}
