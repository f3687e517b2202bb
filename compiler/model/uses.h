/* uses.h - TGT003 for the settings an environment gives that its target's
 * kind of place does not use (model.def's ON rows). */
#ifndef CAMARCH_USES_H
#define CAMARCH_USES_H

#include "diag.h"
#include "model.h"

void uses_check(const struct model *m, struct diags *d);

#endif
