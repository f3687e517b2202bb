/* ast.h - the syntax tree the parser builds, one per source file.
 *
 * Grammar actions only build these nodes; names, defaults and validation
 * belong to later passes.  Every node carries the span of its source text.
 */
#ifndef CAMARCH_AST_H
#define CAMARCH_AST_H

#include "source.h"

/* How deeply brackets may nest in a file, and lists and objects in a value
 * built through lets: the scanner refuses deeper source (SYN008) and the
 * resolver deeper values, so every recursive walk over syntax trees and
 * values (the AST dump, evaluation, the overlay merge, lowering) is
 * bounded by it, whatever the input. */
#define NEST_MAX 256

enum ast_kind {
  AST_FILE,    /* items: imports, lets, blocks */
  AST_IMPORT,  /* text: path; label: alias or NULL */
  AST_LET,     /* name = value */
  AST_BLOCK,   /* name ["label"] { items } */
  AST_ATTR,    /* name = value (in a body or as a named call argument) */
  AST_STRING,  /* items: AST_STRPART and AST_REF parts, in order */
  AST_STRPART, /* text: decoded literal text */
  AST_NUMBER,  /* text: as written, e.g. "512Mi", "500m", "3" */
  AST_BOOL,    /* boolean */
  AST_REF,     /* segs: dotted name, e.g. sizing.medium */
  AST_LIST,    /* items: elements */
  AST_OBJECT,  /* name: kind or NULL ({ ... }); items: body */
  AST_CALL,    /* name(items): positional exprs and AST_ATTR named arguments */
};

struct ast {
  enum ast_kind kind;
  struct span at;
  const char *name;
  struct span name_at;
  const char *label;
  struct span label_at;
  const char *text;
  bool boolean;
  bool broken;        /* AST_STRING: it held a NUL byte or a bad escape, already reported */
  struct ast *value;
  struct vec items;   /* struct ast * */
  struct vec segs;    /* const char * (AST_REF) */
};

struct ast *ast_new(struct arena *a, enum ast_kind kind, struct span at);
const char *ast_kind_name(enum ast_kind kind);
/* The text of a string literal without interpolation; NULL if it has any. */
const char *ast_string_text(struct arena *a, const struct ast *str);
/* Prints the tree in a stable indented form (for --dump=ast). */
void ast_dump(const struct ast *n, struct buf *out);

#endif
