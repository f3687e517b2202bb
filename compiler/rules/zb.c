/* rules/zb.c - the Orchestration Cluster's topology (Zeebe). */
#include <inttypes.h>
#include <string.h>

#include "rules.h"

static const struct m_orchestration *orch(const struct sema *s) { return &s->e->orchestration; }

/* ZB001: replication <= brokers. */
void rule_ZB001(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (o->replication.v <= o->brokers.v)
    return;
  struct diag *g = report(s, R_ZB001, &o->meta, at_or(o->replication.at, &o->meta),
                          "replication = %" PRId64 " exceeds the %" PRId64 " broker%s", o->replication.v,
                          o->brokers.v, o->brokers.v == 1 ? "" : "s");
  note(s, g, at_or(o->brokers.at, &o->meta), "brokers = %" PRId64 " here", o->brokers.v);
  help(s, g, "raise brokers to at least %" PRId64 ", or lower replication to %" PRId64, o->replication.v,
       o->brokers.v);
}

static bool on_hosts(const struct sema *s) { return on_place(s, M_place_machines) && s->e->host.v.len; }

/* ZB003: a host's node_id is below the broker count. */
void rule_ZB003(struct sema *s) {
  if (!on_hosts(s))
    return;
  const struct m_orchestration *o = orch(s);
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = s->e->host.v.items[i];
    if (!h->node_id.set || h->node_id.v < o->brokers.v)
      continue;
    struct diag *g = report(s, R_ZB003, &h->meta, h->node_id.at, "node_id = %" PRId64 " is outside 0 to %" PRId64,
                            h->node_id.v, o->brokers.v - 1);
    note(s, g, at_or(o->brokers.at, &o->meta), "the cluster has brokers = %" PRId64, o->brokers.v);
    help(s, g, "number the brokers 0 to %" PRId64 ", one node_id each", o->brokers.v - 1);
  }
}

/* ZB004: one host per broker, node ids unique and covering 0..N-1. */
void rule_ZB004(struct sema *s) {
  if (!on_hosts(s))
    return;
  const struct m_orchestration *o = orch(s);
  const struct m_list *hosts = &s->e->host;
  if ((int64_t)hosts->v.len != o->brokers.v) {
    struct diag *g = report(s, R_ZB004, &s->e->meta, hosts->at, "%zu host%s for brokers = %" PRId64, hosts->v.len,
                            hosts->v.len == 1 ? "" : "s", o->brokers.v);
    note(s, g, at_or(o->brokers.at, &o->meta), "each host runs one broker");
    help(s, g, "set brokers = %zu, or declare one host per broker", hosts->v.len);
    return;
  }
  for (size_t i = 0; i < hosts->v.len; i++) {
    const struct m_host *h = hosts->v.items[i];
    int64_t id = h->node_id.set ? h->node_id.v : (int64_t)i;
    for (size_t j = 0; j < i; j++) {
      const struct m_host *p = hosts->v.items[j];
      int64_t pid = p->node_id.set ? p->node_id.v : (int64_t)j;
      if (pid != id)
        continue;
      struct diag *g = report(s, R_ZB004, &h->meta, at_or(h->node_id.at, &h->meta),
                              "host \"%s\" and host \"%s\" both have node id %" PRId64, h->meta.label, p->meta.label, id);
      note(s, g, at_or(p->node_id.at, &p->meta), "host \"%s\" has it here%s", p->meta.label,
           p->node_id.set ? "" : " (from its position in the list)");
      break;
    }
  }
}

/* ZB005: node ids written down, not taken from the order of the hosts. */
void rule_ZB005(struct sema *s) {
  if (!on_hosts(s) || s->e->host.v.len < 2)
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = s->e->host.v.items[i];
    if (h->node_id.set)
      continue;
    struct diag *g = report(s, R_ZB005, &h->meta, h->meta.at,
                            "host \"%s\" takes node id %zu from its position in the list", h->meta.label, i);
    help(s, g, "pin it: node_id = %zu, so that re-ordering the hosts cannot renumber brokers", i);
  }
}

/* ZB010: an odd replication factor (single region). */
void rule_ZB010(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (s->f.regions != 1 || o->replication.v % 2 != 0)
    return;
  struct diag *g = report(s, R_ZB010, &o->meta, at_or(o->replication.at, &o->meta),
                          "replication = %" PRId64 " is even: it tolerates %d lost cop%s, like %" PRId64, o->replication.v,
                          s->f.tolerated, s->f.tolerated == 1 ? "y" : "ies", o->replication.v - 1);
  if (o->replication.v == 2)
    help(s, g, "use replication = 3, with three brokers or more");
  else
    help(s, g, "use replication = %" PRId64 " (or %" PRId64 " with enough brokers)", o->replication.v - 1,
         o->replication.v + 1);
}

/* ZB013: at least as many partitions as brokers. */
void rule_ZB013(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (o->partitions.v >= o->brokers.v)
    return;
  struct diag *g = report(s, R_ZB013, &o->meta, at_or(o->partitions.at, &o->meta),
                          "partitions = %" PRId64 " is below the %" PRId64 " brokers: %" PRId64 " broker%s lead%s nothing",
                          o->partitions.v, o->brokers.v, o->brokers.v - o->partitions.v,
                          o->brokers.v - o->partitions.v == 1 ? "" : "s", o->brokers.v - o->partitions.v == 1 ? "s" : "");
  note(s, g, at_or(o->brokers.at, &o->meta), "brokers = %" PRId64 " here", o->brokers.v);
}

static const struct m_upgrade *upgrade(const struct sema *s) {
  return s->e->upgrade.meta.present ? &s->e->upgrade : NULL;
}

/* ZB014: partitions never decrease. */
void rule_ZB014(struct sema *s) {
  const struct m_upgrade *u = upgrade(s);
  const struct m_orchestration *o = orch(s);
  if (!u || !u->partitions.set || o->partitions.v >= u->partitions.v)
    return;
  struct diag *g = report(s, R_ZB014, &o->meta, at_or(o->partitions.at, &o->meta),
                          "partitions = %" PRId64 " is below the %" PRId64 " the cluster runs with", o->partitions.v,
                          u->partitions.v);
  note(s, g, u->partitions.at, "the running cluster has %" PRId64 " partitions", u->partitions.v);
}

/* ZB015: on Helm, the partition count stays as installed. */
void rule_ZB015(struct sema *s) {
  const struct m_upgrade *u = upgrade(s);
  const struct m_orchestration *o = orch(s);
  if (!u || !u->partitions.set || o->partitions.v == u->partitions.v || !on_place(s, M_place_kubernetes))
    return;
  struct diag *g = report(s, R_ZB015, &o->meta, at_or(o->partitions.at, &o->meta),
                          "partitions changes from %" PRId64 " to %" PRId64 " on a Helm installation", u->partitions.v,
                          o->partitions.v);
  note(s, g, u->partitions.at, "the running cluster has %" PRId64 " partitions", u->partitions.v);
  help(s, g, "keep partitions = %" PRId64 " in the values and scale with the cluster scaling API", u->partitions.v);
}

/* The most partitions any one broker holds a copy of. */
static int64_t partitions_per_broker(const struct sema *s) {
  const struct facts *f = &s->f;
  if (!f->placement)  /* round-robin spreads the copies evenly */
    return ((int64_t)f->partitions * f->replication + f->brokers - 1) / f->brokers;
  int *held = arena_alloc(s->a, (size_t)f->brokers * sizeof *held);
  int most = 0;
  for (int i = 0; i < f->partitions * f->replication; i++)
    if (++held[f->replica[i]] > most)
      most = held[f->replica[i]];
  return most;
}

/* ZB016: memory for added partitions. */
void rule_ZB016(struct sema *s) {
  const struct m_upgrade *u = upgrade(s);
  const struct m_orchestration *o = orch(s);
  if (!u || !u->partitions.set || o->partitions.v <= u->partitions.v)
    return;
  int64_t held = partitions_per_broker(s);
  report(s, R_ZB016, &o->meta, at_or(o->partitions.at, &o->meta),
         "%" PRId64 " partition%s added: allow at least 32 MB of RocksDB memory per partition (%" PRId64
         " MB on a broker that holds %" PRId64 ")",
         o->partitions.v - u->partitions.v, o->partitions.v - u->partitions.v == 1 ? "" : "s", 32 * held, held);
}

/* ZB018: no two services bind one port on one machine. */
void rule_ZB018(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  const struct m_ports *p = &o->ports;
  const struct m_int *ports[] = {&p->rest, &p->grpc, &p->command, &p->internal, &p->management};
  static const char *const names[] = {"rest", "grpc", "command", "internal", "management"};
  for (size_t i = 0; i < 5; i++)
    for (size_t j = 0; j < i; j++)
      if (ports[i]->v == ports[j]->v) {
        /* point at the port the estate set; the other may be a default */
        size_t a = span_known(ports[i]->at) || !span_known(ports[j]->at) ? i : j, b = a == i ? j : i;
        struct diag *g = report(s, R_ZB018, &p->meta, at_or(ports[a]->at, &p->meta),
                                "ports.%s and ports.%s are both %" PRId64, names[a], names[b], ports[a]->v);
        note(s, g, at_or(ports[b]->at, &p->meta), "ports.%s = %" PRId64 " here%s", names[b], ports[b]->v,
             span_known(ports[b]->at) ? "" : " (the default)");
        help(s, g, "give each port its own number");
      }
  /* Connectors share the brokers' machines */
  const struct m_connectors *c = &s->e->connectors;
  if (!c->meta.present || !on_place(s, M_place_machines))
    return;
  bool shared = s->e->host.v.len == 0;
  for (size_t i = 0; i < s->e->host.v.len && !shared; i++)
    shared = ((const struct m_host *)s->e->host.v.items[i])->connectors.v;
  if (!shared)
    return;  /* every host has connectors = false */
  for (size_t i = 0; i < 5; i++)
    if (c->port.v == ports[i]->v) {
      struct diag *g = report(s, R_ZB018, &c->meta, at_or(c->port.at, &c->meta),
                              "Connectors' port %" PRId64 " is the cluster's %s port on the same hosts", c->port.v, names[i]);
      note(s, g, at_or(ports[i]->at, &p->meta), "ports.%s = %" PRId64, names[i], ports[i]->v);
      help(s, g, "move Connectors: port = 9090, as Camunda's reference does");
    }
}

/* ZB020: replication threshold below the processing threshold. */
void rule_ZB020(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (o->free_space_replication.v < o->free_space_processing.v)
    return;
  struct diag *g = report(s, R_ZB020, &o->meta, at_or(o->free_space_replication.at, &o->meta),
                          "free_space_replication = %s is not below free_space_processing = %s",
                          model_format_size(s->a, o->free_space_replication.v),
                          model_format_size(s->a, o->free_space_processing.v));
  note(s, g, at_or(o->free_space_processing.at, &o->meta), "free_space_processing = %s here",
       model_format_size(s->a, o->free_space_processing.v));
  help(s, g, "keep free_space_replication below free_space_processing (the defaults are 1G and 2G)");
}

/* ZB022: election timeout above the heartbeat interval. */
void rule_ZB022(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (o->election_timeout.v > o->heartbeat_interval.v)
    return;
  struct diag *g = report(s, R_ZB022, &o->meta, at_or(o->election_timeout.at, &o->meta),
                          "election_timeout = %s is not above heartbeat_interval = %s",
                          model_format_dur(s->a, o->election_timeout.v), model_format_dur(s->a, o->heartbeat_interval.v));
  note(s, g, at_or(o->heartbeat_interval.at, &o->meta), "heartbeat_interval = %s here",
       model_format_dur(s->a, o->heartbeat_interval.v));
  help(s, g, "keep election_timeout well above heartbeat_interval (the defaults are 2500ms and 250ms)");
}

/* ZB023: keep the Raft flush. */
void rule_ZB023(struct sema *s) {
  const struct m_orchestration *o = orch(s);
  if (o->flush.v)
    return;
  report(s, R_ZB023, &o->meta, at_or(o->flush.at, &o->meta), "flush = false: the Raft log is not flushed explicitly");
}
