/* diag.h - diagnostics are values.
 *
 * Passes append diagnostics to a list and keep going; they never print.  One
 * text renderer (file:line:col: error[ID]: message, the source line, a caret
 * underline and notes, gcc/rustc style) and one JSON renderer read the list.
 */
#ifndef CAMARCH_DIAG_H
#define CAMARCH_DIAG_H

#include <stdio.h>

#include "source.h"

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

struct diag_note {
  struct span at;        /* may be unknown: then the note has no location */
  const char *message;
};

struct diag {
  enum severity severity;
  const char *id;        /* "SYN001", "ZB001" */
  struct span at;
  const char *message;
  struct vec notes;      /* struct diag_note * */
  const char *help;      /* optional fix-it text: "did you mean `brokers`?" */
  const char *envs;      /* rule findings: the environments it holds in, "\"dev\", \"prod\"" */
  unsigned seq;          /* insertion order, to keep sorting stable */
};

struct diags {
  struct arena *arena;
  struct vec list;       /* struct diag * */
  unsigned errors, warnings;
};

void diags_init(struct diags *d, struct arena *a);
struct diag *diag_add(struct diags *d, enum severity sev, const char *id, struct span at,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(d, id, ...) diag_add((d), SEV_ERROR, (id), __VA_ARGS__)
#define diag_warning(d, id, ...) diag_add((d), SEV_WARNING, (id), __VA_ARGS__)
void diag_note(struct diags *d, struct diag *g, struct span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_help(struct diags *d, struct diag *g, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sorts by file, offset, then insertion order. */
void diags_sort(struct diags *d);
void diags_render_text(const struct diags *d, const struct sources *src, FILE *out);
/* Returns a malloc'd JSON document (jansson): {"version":1,"diagnostics":[...]}. */
char *diags_render_json(const struct diags *d, const struct sources *src);

/* Whether a diagnostic is about the output directory rather than the
 * estate (the OUT family: a link, a FIFO or an oversized file where camarch
 * reads or writes): the CLI exits 2 for those, as for other I/O errors. */
bool diag_is_io(const struct diag *g);

/* The table of language diagnostic ids (diag.def). */
struct diag_info {
  const char *id, *title, *explanation;
  bool warning;          /* WARN in diag.def: reported as a warning */
};
const struct diag_info *diag_info_find(const char *id);
extern const struct diag_info diag_infos[];
extern const size_t diag_ninfos;

#endif
