/* backend.c - the table of backends, and what they share for writing. */
#include "backend.h"

#include <stdarg.h>
#include <string.h>

#include "output.h"

#define BACKEND(name, place, doc) extern const struct backend name##_backend;
#include "backends.def"
#undef BACKEND

const struct backend *const backends[] = {
#define BACKEND(name, place, doc) &name##_backend,
#include "backends.def"
#undef BACKEND
    NULL,
};

const struct backend *backend_for(int target) {
  for (size_t i = 0; backends[i]; i++)
    if (backends[i]->target == target)
      return backends[i];
  return NULL;
}

bool emit_failed(const struct emit_ctx *ctx) { return ctx->diags->errors > ctx->errors; }

void emit_file(struct emit_ctx *ctx, const char *name, struct buf *b, unsigned mode) {
  outputs_add(ctx->out, ctx->dir, name, b, mode);
}

const char *emit_path(const struct emit_ctx *ctx, const char *name) { return outputs_path(ctx->out, ctx->dir, name); }

bool emit_previous(struct emit_ctx *ctx, const char *name, struct buf *prev, const char *what) {
  const char *why;
  if (outputs_read_previous(ctx->out, ctx->dir, name, OUTPUT_READ_LIMIT, prev, &why) != OUT_READ_REFUSED)
    return true;
  struct diag *g = diag_error(ctx->diags, "OUT002", (struct span){0}, "%s", why);
  diag_help(ctx->diags, g,
            "camarch reads the %s it wrote before, %s, only as a regular file of at most %zu MiB reached without "
            "links; move what is there away",
            name, what, (size_t)OUTPUT_READ_LIMIT >> 20);
  return false;
}

bool emit_yaml(struct emit_ctx *ctx, const struct model *m, const char *name, const struct ynode *doc,
               const char *extra_comment, unsigned mode) {
  const char *header[] = {camunda_generated(ctx->arena, m), extra_comment ? extra_comment : CAMUNDA_DO_NOT_EDIT,
                          extra_comment ? CAMUNDA_DO_NOT_EDIT : NULL, NULL};
  struct buf b = {0};
  if (!ytree_emit(doc, header, &b)) {
    buf_free(&b);
    diag_error(ctx->diags, "OUT001", (struct span){0}, "libyaml could not emit %s", emit_path(ctx, name));
    return false;
  }
  emit_file(ctx, name, &b, mode);
  return true;
}

void backend_ignored(struct diags *d, struct span at, const char *what, const char *why) {
  diag_warning(d, "TGT003", at, "%s: %s", what, why);
}

bool backend_reported(const struct diags *d, const char *id) {
  for (size_t i = 0; i < d->list.len; i++) {
    const struct diag *g = d->list.items[i];
    if (g->severity == SEV_ERROR && strcmp(g->id, id) == 0)
      return true;
  }
  return false;
}

struct diag *backend_refused(struct diags *d, struct span at, const char *help, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
  struct diag *g = diag_error(d, "TGT002", at, "%s", msg);
  if (help)
    diag_help(d, g, "%s", help);
  return g;
}
