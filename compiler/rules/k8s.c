/* rules/k8s.c - Kubernetes and the camunda-platform Helm chart. */
#include "rules.h"

static bool on_kubernetes(const struct sema *s) { return on_place(s, M_place_kubernetes); }

/* K8S001: Web Modeler, Console and Management Identity apart from the cluster. */
void rule_K8S001(struct sema *s) {
  const struct m_estate *e = s->e;
  if (!on_kubernetes(s))
    return;
  const struct meta *parts[] = {&e->web_modeler.meta, &e->console.meta, &e->management_identity.meta};
  static const char *const names[] = {"Web Modeler", "Console", "Management Identity"};
  for (size_t i = 0; i < 3; i++) {
    if (!parts[i]->present)
      continue;
    struct diag *g = report(s, R_K8S001, parts[i], parts[i]->at,
                            "%s runs in the Orchestration Cluster's namespace \"%s\"", names[i], e->namespace.v);
    note(s, g, at_or(e->namespace.at, &e->meta), span_known(e->namespace.at) ? "the estate's one namespace"
                                                                               : "the estate's one namespace, the default");
    help(s, g, "camarch deploys an estate as one Helm release: for a small environment, allow \"K8S001\" with a "
               "reason; a larger one needs Camunda's two-namespace setup, which the model cannot describe yet");
    return;
  }
}

/* K8S002: the brokers' storage class retains volumes. */
void rule_K8S002(struct sema *s) {
  const struct m_kubernetes *k = &s->e->kubernetes;
  if (!on_kubernetes(s) || !k->reclaim_policy.set || k->reclaim_policy.v != M_reclaim_policy_delete)
    return;
  struct diag *g = report(s, R_K8S002, &k->meta, k->reclaim_policy.at,
                          "reclaim_policy = delete: deleting a claim deletes the broker's data");
  help(s, g, "use a storage class with reclaimPolicy: Retain (storage_class = \"...\"), and reclaim_policy = retain");
}

/* K8S003: a trusted certificate on the Ingress. */
void rule_K8S003(struct sema *s) {
  const struct m_kubernetes *k = &s->e->kubernetes;
  if (!on_kubernetes(s) || !s->e->ingress.meta.present || !s->e->ingress.tls.set || !k->self_signed_tls.v)
    return;
  struct diag *g = report(s, R_K8S003, &k->meta, at_or(k->self_signed_tls.at, &k->meta),
                          "the Ingress certificate is self-signed");
  help(s, g, "use a certificate from a trusted CA (cert-manager with Let's Encrypt, or the corporate CA)");
}

/* K8S004: Web Modeler has a sender address. */
void rule_K8S004(struct sema *s) {
  const struct m_web_modeler *w = &s->e->web_modeler;
  if (!on_kubernetes(s) || !w->meta.present)
    return;
  const struct m_mail *m = &w->mail;
  if (m->meta.present && m->from.set && *m->from.v)
    return;
  struct diag *g = report(s, R_K8S004, &w->meta, m->meta.present ? at_or(m->from.at, &m->meta) : w->meta.at,
                          m->meta.present ? "Web Modeler's mail has no sender address" : "Web Modeler has no mail block");
  help(s, g, "the chart requires webModeler.restapi.mail.fromAddress: mail { from = \"camunda@example.com\" }");
}
