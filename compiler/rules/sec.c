/* rules/sec.c - security of what the estate exposes. */
#include "rules.h"

/* SEC001: an Ingress in production has a TLS certificate. */
void rule_SEC001(struct sema *s) {
  const struct m_ingress *in = &s->e->ingress;
  if (!in->meta.present || in->tls.set)
    return;
  struct diag *g = report(s, R_SEC001, &in->meta, in->meta.at, "the Ingress%s%s serves plain HTTP",
                          in->host.set ? " for " : "", in->host.set ? in->host.v : "");
  help(s, g, "name its certificate: tls = secret(\"camunda-tls\")");
}
