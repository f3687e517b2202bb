/* ir.h - the model as JSON, for `camarch ir` and for tests. */
#ifndef CAMARCH_IR_H
#define CAMARCH_IR_H

#include "model.h"

#ifndef CAMARCH_VERSION_STRING
#define CAMARCH_VERSION_STRING CAMARCH_VERSION
#endif

/* A malloc'd JSON document: {"camarch", "environment", "source", "estate"}. */
char *ir_to_json(struct arena *a, const struct model *m);

#endif
