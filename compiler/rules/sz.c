/* rules/sz.c - sizing and storage of the brokers' volumes. */
#include <inttypes.h>
#include <strings.h>

#include "appenv.h"
#include "rules.h"

#define GiB ((int64_t)1 << 30)

/* SZ001: Kubernetes nodes of at least 4 CPUs and 16 GiB. */
void rule_SZ001(struct sema *s) {
  const struct m_kubernetes *k = &s->e->kubernetes;
  if (!on_place(s, M_place_kubernetes))
    return;
  if (k->node_cpu.set && k->node_cpu.v < 4000) {
    struct diag *g = report(s, R_SZ001, &k->meta, at_or(k->node_cpu.at, &k->meta),
                            "node_cpu = %s: Camunda's minimum node has 4 CPUs", model_format_cpu(s->a, k->node_cpu.v));
    help(s, g, "use nodes of at least 4 vCPUs and 16 GiB (EKS m6i.xlarge, AKS Standard_D4as_v4, GKE n2-standard-4)");
  }
  if (k->node_memory.set && k->node_memory.v < 16 * GiB) {
    struct diag *g = report(s, R_SZ001, &k->meta, at_or(k->node_memory.at, &k->meta),
                            "node_memory = %s: Camunda's minimum node has 16Gi",
                            model_format_size(s->a, k->node_memory.v));
    help(s, g, "use nodes of at least 4 vCPUs and 16 GiB (EKS m6i.xlarge, AKS Standard_D4as_v4, GKE n2-standard-4)");
  }
}

/* SZ002: the brokers' data is not on HDD. */
void rule_SZ002(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (o->disk_media.v != M_disk_media_hdd)
    return;
  struct diag *g = report(s, R_SZ002, &o->meta, at_or(o->disk_media.at, &o->meta),
                          "disk_media = hdd: HDD-backed volumes are not supported for the brokers' data");
  help(s, g, "put the brokers' volumes on SSD: disk_media = ssd");
}

/* SZ003: volumes sustain 1,000 IOPS. */
void rule_SZ003(struct sema *s) {
  const struct m_volume *v = &s->e->orchestration.volume;
  if (!v->iops.set || v->iops.v >= 1000)
    return;
  struct diag *g = report(s, R_SZ003, &v->meta, at_or(v->iops.at, &v->meta),
                          "iops = %" PRId64 ": the brokers' volumes need at least 1000", v->iops.v);
  help(s, g, "use a volume type that sustains 1,000 IOPS or more (the Kubernetes baseline is 3,000)");
}

/* SZ004: volumes meet the Kubernetes baseline of 3,000 IOPS, 125 MiB/s, 32 GiB. */
void rule_SZ004(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  const struct m_volume *v = &o->volume;
  if (!on_place(s, M_place_kubernetes))
    return;
  if (v->iops.set && v->iops.v >= 1000 && v->iops.v < 3000)  /* below 1000: SZ003 */
    report(s, R_SZ004, &v->meta, at_or(v->iops.at, &v->meta), "iops = %" PRId64 " is below the baseline of 3000",
           v->iops.v);
  if (v->throughput.set && v->throughput.v < 125)
    report(s, R_SZ004, &v->meta, at_or(v->throughput.at, &v->meta),
           "throughput = %" PRId64 " MiB/s is below the baseline of 125", v->throughput.v);
  if (o->disk.v < 32 * GiB)
    report(s, R_SZ004, &o->meta, at_or(o->disk.at, &o->meta), "disk = %s is below the baseline of 32Gi",
           model_format_size(s->a, o->disk.v));
}

/* SZ005: no burstable volumes. */
void rule_SZ005(struct sema *s) {
  const struct m_volume *v = &s->e->orchestration.volume;
  if (!v->burstable.v)
    return;
  struct diag *g = report(s, R_SZ005, &v->meta, at_or(v->burstable.at, &v->meta),
                          "burstable = true: the volumes slow down once their burst credits are spent");
  help(s, g, "use a volume type with sustained IOPS (gp3 on EKS, Premium SSD v2 on AKS, pd-ssd on GKE)");
}

/* SZ007: the storage class is not an HDD-class cloud volume type. */
void rule_SZ007(struct sema *s) {
  static const char *const hdd[] = {"sc1", "st1", "pd-standard", "standard_lrs"};
  const struct m_orchestration *o = &s->e->orchestration;
  if (!on_place(s, M_place_kubernetes) || !o->storage_class.set)
    return;
  for (size_t i = 0; i < sizeof hdd / sizeof hdd[0]; i++)
    if (strcasecmp(o->storage_class.v, hdd[i]) == 0) {
      struct diag *g = report(s, R_SZ007, &o->meta, o->storage_class.at,
                              "storage_class = \"%s\" is an HDD-class volume type, not supported for Zeebe",
                              o->storage_class.v);
      help(s, g, "use an SSD class: gp3 on EKS, Premium SSD v2 on AKS, pd-ssd on GKE");
      return;
    }
}

/* SZ009: an exposed gRPC API has TLS. */
void rule_SZ009(struct sema *s) {
  const struct m_ingress *in = &s->e->ingress;
  const struct m_grpc_ingress *g = &in->grpc;
  if (!in->meta.present || !g->meta.present || g->tls.set || appenv_ingress_tls(in))
    return;
  struct diag *d = report(s, R_SZ009, &g->meta, g->meta.at, "the gRPC API is exposed without TLS");
  help(s, d, "give the Ingress a certificate: tls = secret(\"camunda-tls\") (the gRPC Ingress takes it too)");
}
