/* ast.c - node construction and the --dump=ast printer. */
#include "ast.h"

struct ast *ast_new(struct arena *a, enum ast_kind kind, struct span at) {
  struct ast *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  n->at = at;
  return n;
}

const char *ast_kind_name(enum ast_kind kind) {
  static const char *const names[] = {"file",  "import", "let",    "block", "attr",
                                      "string", "strpart", "number", "bool",  "ref",
                                      "list",   "object", "call"};
  return (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

static void dump(const struct ast *n, int depth, struct buf *out) {
  buf_printf(out, "%*s%s @%u-%u", depth * 2, "", ast_kind_name(n->kind), n->at.start, n->at.end);
  if (n->name)
    buf_printf(out, " name=%s", n->name);
  if (n->label)
    buf_printf(out, " label=\"%s\"", n->label);
  if (n->text)
    buf_printf(out, " text=\"%s\"", n->text);
  if (n->kind == AST_BOOL)
    buf_puts(out, n->boolean ? " true" : " false");
  for (size_t i = 0; i < n->segs.len; i++)
    buf_printf(out, "%s%s", i ? "." : " ", (const char *)n->segs.items[i]);
  buf_puts(out, "\n");
  if (n->value)
    dump(n->value, depth + 1, out);
  for (size_t i = 0; i < n->items.len; i++)
    dump(n->items.items[i], depth + 1, out);
}

void ast_dump(const struct ast *n, struct buf *out) { dump(n, 0, out); }

const char *ast_string_text(struct arena *a, const struct ast *str) {
  if (!str || str->kind != AST_STRING)
    return NULL;
  struct buf b = {0};
  buf_puts(&b, "");
  for (size_t i = 0; i < str->items.len; i++) {
    const struct ast *part = str->items.items[i];
    if (part->kind != AST_STRPART) {
      buf_free(&b);
      return NULL;
    }
    buf_puts(&b, part->text);
  }
  const char *s = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return s;
}
