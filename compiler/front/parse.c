/* parse.c - drives the scanner and parser over one file, and decodes string
 * literals (escapes and ${...} interpolation) for the scanner. */
#include "parse.h"

#include <string.h>

#include "lexer.h"
#include "parser.h"

struct ast *parse_file(struct source_file *f, struct arena *a, struct diags *d) {
  struct parse_ctx ctx = {.arena = a, .diags = d, .file = f, .errors_before = d->errors};
  yyscan_t scanner;
  if (yylex_init_extra(&ctx, &scanner))
    die("out of memory");
  YY_BUFFER_STATE b = yy_scan_bytes(f->text, (int)f->len, scanner);
  yyparse(&ctx, scanner);
  yy_delete_buffer(b, scanner);
  yylex_destroy(scanner);
  if (!ctx.root)
    ctx.root = ast_new(a, AST_FILE, (struct span){f->id, 0, 0});
  ctx.root->at = (struct span){f->id, 0, (uint32_t)f->len};
  return ctx.root;
}

static bool is_ident_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* Parses the inside of ${ ... }: a dotted name, optional blanks around it. */
static struct ast *interpolation(struct parse_ctx *p, const char *s, size_t len, struct span at) {
  struct ast *ref = ast_new(p->arena, AST_REF, at);
  size_t i = 0;
  while (i < len && s[i] == ' ')
    i++;
  for (;;) {
    if (i >= len || !is_ident_start(s[i]))
      goto bad;
    size_t start = i;
    while (i < len && is_ident_char(s[i]))
      i++;
    vec_push(p->arena, &ref->segs, arena_strndup(p->arena, s + start, i - start));
    if (i < len && s[i] == '.') {
      i++;
      continue;
    }
    break;
  }
  while (i < len && s[i] == ' ')
    i++;
  if (i == len)
    return ref;
bad:
  diag_error(p->diags, "SYN005", at, "expected a name inside ${...}, such as ${domain} or ${sizing.baseline.memory}");
  return NULL;
}

struct ast *parse_string_literal(struct parse_ctx *p, const char *text, size_t len, struct span at,
                                 bool closed) {
  struct ast *str = ast_new(p->arena, AST_STRING, at);
  str->broken = !closed;  /* the scanner reported it */
  /* strip the quotes (an unterminated literal has only the opening one) */
  const char *s = text + 1;
  size_t n = len - 1 - (closed ? 1 : 0);
  struct buf lit = {0};
  buf_puts(&lit, "");
  size_t i = 0;
  uint32_t base = at.start + 1;
  while (i < n) {
    char c = s[i];
    if (c == '\\' && i + 1 < n) {
      char e = s[i + 1];
      const char *rep = e == 'n' ? "\n" : e == 't' ? "\t" : e == 'r' ? "\r" : e == '"' ? "\""
                      : e == '\\' ? "\\" : e == '$' ? "$" : NULL;
      if (rep) {
        buf_puts(&lit, rep);
      } else {
        str->broken = true;
        if (e != '\0')  /* the scanner reports a NUL itself */
          diag_error(p->diags, "SYN005", (struct span){at.file, base + (uint32_t)i, base + (uint32_t)i + 2},
                     "unknown escape '\\%c' (use \\\\ \\\" \\n \\t \\r or \\$)", e);
      }
      i += 2;
    } else if (c == '$' && i + 1 < n && s[i + 1] == '{') {
      const char *close = memchr(s + i + 2, '}', n - i - 2);
      struct span pat = {at.file, base + (uint32_t)i, close ? base + (uint32_t)(close - s) + 1 : at.end};
      if (!close) {
        diag_error(p->diags, "SYN005", pat, "'${' has no closing '}'");
        str->broken = true;
        break;
      }
      if (lit.len) {
        struct ast *part = ast_new(p->arena, AST_STRPART, at);
        part->text = arena_strndup(p->arena, lit.data, lit.len);
        vec_push(p->arena, &str->items, part);
        lit.len = 0;
      }
      struct ast *ref = interpolation(p, s + i + 2, (size_t)(close - (s + i + 2)), pat);
      if (ref)
        vec_push(p->arena, &str->items, ref);
      else
        str->broken = true;
      i = (size_t)(close - s) + 1;
    } else {
      if (c == '\0')
        str->broken = true;  /* reported by the scanner; texts are C strings */
      else
        buf_append(&lit, &c, 1);
      i++;
    }
  }
  if (lit.len || str->items.len == 0) {
    struct ast *part = ast_new(p->arena, AST_STRPART, at);
    part->text = arena_strndup(p->arena, lit.data, lit.len);
    vec_push(p->arena, &str->items, part);
  }
  buf_free(&lit);
  return str;
}
