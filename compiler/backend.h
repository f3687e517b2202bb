/* backend.h - one backend per deployment target, all alike.
 *
 * A backend is a folder under backends/ and one const struct of function
 * pointers, listed in the NULL-terminated table `backends`.  It reads only
 * the resolved model of one environment, adds its target's own checks to
 * the diagnostics, and adds its files to the output set.
 */
#ifndef CAMARCH_BACKEND_H
#define CAMARCH_BACKEND_H

#include "diag.h"
#include "model.h"
#include "output.h"
#include "ytree.h"

struct emit_ctx {
  struct arena *arena;
  struct outputs *out;
  const char *dir;           /* the environment's directory: its name, under out->root
                                (outputs_path() gives what the user sees, e.g. out/prod) */
  struct diags *diags;
};

struct backend {
  const char *name;          /* as written after target = */
  int target;                /* M_target_* */
  const char *summary;
  const char *files;         /* what it writes, for --help */
  /* target-specific checks; may be NULL */
  void (*check)(const struct model *m, struct diags *d);
  /* adds the environment's files to ctx->out; false if it could not */
  bool (*emit)(const struct model *m, struct emit_ctx *ctx);
};

extern const struct backend *const backends[];

/* Whether a value was written in the environment's own block (rather than
 * inherited from the estate or a defaults layer).  A setting another
 * target needs (zones for Kubernetes, hosts for machines) is normal in an
 * estate with several environments; there, backends warn that they do not
 * use it only where the environment itself sets it. */
bool emit_set_here(const struct model *m, struct span at);

/* TGT003, a setting this backend does not write: "<what>: <why>". */
void backend_ignored(struct diags *d, struct span at, const char *what, const char *why);
/* TGT003 for each initial user's role other than admin and connectors (the
 * roles every backend writes): "role "x" is not written <where>: <why>". */
void backend_unwritten_roles(const struct model *m, struct diags *d, const char *where, const char *why);
const struct backend *backend_for(int target);

/* Emits a YAML tree as file `name` of the environment's directory, under a
 * header naming the source, camarch's version and (optionally) one more
 * line.  False if libyaml fails. */
bool emit_yaml(struct emit_ctx *ctx, const struct model *m, const char *name, const struct ynode *doc,
               const char *extra_comment, unsigned mode);

#endif
