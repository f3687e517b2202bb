/* backend.h - one backend per deployment target, all alike.
 *
 * A backend is a folder under backends/, one line in backends.def and one
 * const struct, listed in the NULL-terminated table `backends`.  Its one
 * pass, build(), reads the resolved model of one environment, adds its
 * target's own diagnostics and, when it has found nothing wrong, its files.
 * The driver runs it after the rules and the generic pass that warns about
 * settings the target's kind of place does not use (uses.c), so a backend
 * never looks at another target's settings.
 *
 * This header and the model's public headers are all a backend sees: the
 * build gives backends/ no other include directory.
 */
#ifndef CAMARCH_BACKEND_H
#define CAMARCH_BACKEND_H

#include "camunda.h"
#include "diag.h"
#include "model.h"
#include "ytree.h"

struct outputs;

struct emit_ctx {
  struct arena *arena;
  struct outputs *out;
  const char *dir;           /* the environment's directory, relative to the output root */
  struct diags *diags;
  unsigned errors;           /* diags->errors when this environment's pass began */
};

struct backend {
  const char *name;          /* as written after target = (backends.def) */
  int target;                /* M_target_<name> */
  int place;                 /* M_place_*: the kind of place it deploys to */
  const char *summary;
  const char *files;         /* what it writes, for --help */
  /* Checks and writes one environment; false when it reported an error
   * (then the driver writes nothing at all). */
  bool (*build)(const struct model *m, struct emit_ctx *ctx);
};

extern const struct backend *const backends[];
const struct backend *backend_for(int target);

/* Whether this environment's pass has reported an error. */
bool emit_failed(const struct emit_ctx *ctx);

/* Adds file `name` (a relative path) of the environment's directory, taking
 * the buffer; mode 0600 for files that hold secrets. */
void emit_file(struct emit_ctx *ctx, const char *name, struct buf *b, unsigned mode);
/* The path the user sees for file `name` (out/prod/values.yaml), for messages. */
const char *emit_path(const struct emit_ctx *ctx, const char *name);
/* The content of `name` as the last build left it, for a file whose values
 * the user fills in; false (with OUT002 reported, naming `what`) when
 * something camarch does not read is in its place.  An absent file reads
 * as empty. */
bool emit_previous(struct emit_ctx *ctx, const char *name, struct buf *prev, const char *what);

/* Emits a YAML tree as file `name`, under camunda_header() and
 * (optionally) one more line.  False if libyaml fails. */
bool emit_yaml(struct emit_ctx *ctx, const struct model *m, const char *name, const struct ynode *doc,
               const char *extra_comment, unsigned mode);

/* TGT003, a setting of this target's own that it does not write:
 * "<what>: <why>". */
void backend_ignored(struct diags *d, struct span at, const char *what, const char *why);
/* Whether an error with this id (a rule's) was reported in this build:
 * a backend then need not refuse the same thing again (the build stops
 * anyway), and does when an allow or the profile let the rule pass. */
bool backend_reported(const struct diags *d, const char *id);

/* TGT002, what this backend cannot express: an error, with an optional help line. */
struct diag *backend_refused(struct diags *d, struct span at, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
