/* parse.h - run the flex/bison front end over one source file.
 *
 * The scanner and parser are reentrant; their shared state is a
 * struct parse_ctx (the scanner's "extra" and the parser's parameter).
 */
#ifndef CAMARCH_PARSE_H
#define CAMARCH_PARSE_H

#include "ast.h"
#include "diag.h"

struct open_bracket {
  char ch;           /* '{', '[' or '(' */
  struct span at;
};

struct parse_ctx {
  struct arena *arena;
  struct diags *diags;
  struct source_file *file;
  void *scanner;
  struct ast *root;
  uint32_t offset;              /* scanner position, in bytes */
  struct open_bracket stack[256];
  size_t depth;                 /* may exceed 256: deeper entries are not tracked */
  struct span comment_at;       /* where an open block comment started */
  unsigned errors_before;       /* diagnostics count when this file started */
  bool stopped;                 /* too many errors: the scanner ended the file early */
};

#define PARSE_MAX_ERRORS 50

/* Parses `f` into an AST_FILE; syntax errors go to `d` (the tree is still
 * returned, with the erroneous parts left out). */
struct ast *parse_file(struct source_file *f, struct arena *a, struct diags *d);

/* Used by the scanner: decodes a string literal (with its quotes) into an
 * AST_STRING with literal and ${...} parts, reporting bad escapes. */
struct ast *parse_string_literal(struct parse_ctx *p, const char *text, size_t len,
                                 struct span at, bool closed);

#endif
