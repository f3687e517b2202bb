/* helm.h - the Helm backend: values for Camunda's camunda-platform chart. */
#ifndef CAMARCH_HELM_H
#define CAMARCH_HELM_H

#include "backend.h"

extern const struct backend helm_backend;

/* The values document for one environment (exposed for tests). */
struct ynode *helm_values(const struct model *m, struct arena *a);

#endif
