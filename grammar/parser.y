/* parser.y - the .camarch grammar (pure bison, LALR(1), no conflicts).
 *
 * Actions only build AST nodes (ast.h); every check happens in later passes.
 * `error` productions at item and entry boundaries let one run report
 * several syntax errors: after an error the parser skips to the next
 * newline or comma and goes on.
 *
 *   file    := item (SEP item)*
 *   item    := "import" STRING ["as" IDENT] | "let" IDENT "=" expr | block
 *   block   := IDENT [STRING] "{" body "}"
 *   body    := entry (SEP entry)*          SEP := newline | ","
 *   entry   := (IDENT | STRING) "=" expr | block
 *   expr    := STRING | NUMBER | "true" | "false" | ref
 *            | "[" expr, ... "]" | [IDENT] "{" body "}" | IDENT "(" args ")"
 *   ref     := IDENT ("." IDENT)*
 */
%define api.pure full
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
%define lr.default-reduction accepting
%locations
%expect 0
%parse-param {struct parse_ctx *ctx} {void *scanner}
%lex-param {void *scanner}

%code requires {
#include "parse.h"
}

%code provides {
int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, void *scanner);
}

%code {
#include <string.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N)                         \
  do {                                                      \
    if (N) {                                                \
      (Cur).file = YYRHSLOC(Rhs, 1).file;                   \
      (Cur).start = YYRHSLOC(Rhs, 1).start;                 \
      (Cur).end = YYRHSLOC(Rhs, N).end;                     \
    } else {                                                \
      (Cur).file = YYRHSLOC(Rhs, 0).file;                   \
      (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;       \
    }                                                       \
  } while (0)

static struct ast *node(struct parse_ctx *ctx, enum ast_kind k, struct span at) {
  return ast_new(ctx->arena, k, at);
}
static void add(struct parse_ctx *ctx, struct ast *list, struct ast *item) {
  if (item)
    vec_push(ctx->arena, &list->items, item);
}
static void yyerror(YYLTYPE *loc, struct parse_ctx *ctx, void *scanner, const char *msg) {
  (void)scanner;
  if (ctx->stopped)
    return;
  if (strcmp(msg, "memory exhausted") == 0)
    msg = "blocks or lists nested too deeply";
  diag_error(ctx->diags, "SYN001", *loc, "%s", msg);
}
}

%union {
  struct ast *node;
  const char *str;
}

%token END 0 "end of file"
%token NL "newline"
%token IMPORT "import" LET "let" AS "as" TRUE "true" FALSE "false"
%token <str> IDENT "identifier" NUMBER "number"
%token <node> STRING "string"
%token '{' "'{'" '}' "'}'" '[' "'['" ']' "']'" '(' "'('" ')' "')'" '=' "'='" ',' "','" '.' "'.'"

%type <node> items item import let block body entries entry expr ref list elems args arg

%%

file:
    seps_opt                    { ctx->root = node(ctx, AST_FILE, @$); }
  | seps_opt items seps_opt     { ctx->root = $2; }
  ;

items:
    item                        { $$ = node(ctx, AST_FILE, @$); add(ctx, $$, $1); }
  | items seps item             { $$ = $1; $$->at = @$; add(ctx, $$, $3); }
  ;

item:
    import
  | let
  | block
  | error                       { $$ = NULL; if (yychar == NL || yychar == ',') yyerrok; }
  ;

import:
    "import" STRING             { $$ = node(ctx, AST_IMPORT, @$); $$->value = $2;
                                  $$->text = ast_string_text(ctx->arena, $2); }
  | "import" STRING "as" IDENT  { $$ = node(ctx, AST_IMPORT, @$); $$->value = $2;
                                  $$->text = ast_string_text(ctx->arena, $2);
                                  $$->label = $4; $$->label_at = @4; }
  ;

let:
    "let" IDENT '=' expr        { $$ = node(ctx, AST_LET, @$); $$->name = $2; $$->name_at = @2;
                                  $$->value = $4; }
  ;

/* KIND ["label"] { body } */
block:
    IDENT '{' body '}'          { $$ = $3; $$->kind = AST_BLOCK; $$->at = @$;
                                  $$->name = $1; $$->name_at = @1; }
  | IDENT STRING '{' body '}'   { $$ = $4; $$->kind = AST_BLOCK; $$->at = @$;
                                  $$->name = $1; $$->name_at = @1;
                                  $$->value = $2; $$->label = ast_string_text(ctx->arena, $2);
                                  $$->label_at = @2; }
  ;

body:
    seps_opt                    { $$ = node(ctx, AST_OBJECT, @$); }
  | seps_opt entries seps_opt   { $$ = $2; }
  ;

entries:
    entry                       { $$ = node(ctx, AST_OBJECT, @$); add(ctx, $$, $1); }
  | entries seps entry          { $$ = $1; add(ctx, $$, $3); }
  ;

entry:
    IDENT '=' expr              { $$ = node(ctx, AST_ATTR, @$); $$->name = $1; $$->name_at = @1;
                                  $$->value = $3; }
  | STRING '=' expr             { $$ = node(ctx, AST_ATTR, @$); $$->name = ast_string_text(ctx->arena, $1);
                                  $$->name_at = @1; $$->value = $3; }
  | block
  | error                       { $$ = NULL; if (yychar == NL || yychar == ',') yyerrok; }
  ;

seps: NL | ',' | seps NL | seps ',' ;
seps_opt: %empty | seps ;

expr:
    STRING
  | NUMBER                      { $$ = node(ctx, AST_NUMBER, @$); $$->text = $1; }
  | "true"                      { $$ = node(ctx, AST_BOOL, @$); $$->boolean = true; }
  | "false"                     { $$ = node(ctx, AST_BOOL, @$); $$->boolean = false; }
  | ref
  | '[' list ']'                { $$ = $2; $$->at = @$; }
  | '{' body '}'                { $$ = $2; $$->at = @$; }
  | IDENT '{' body '}'          { $$ = $3; $$->at = @$; $$->name = $1; $$->name_at = @1; }
  | IDENT '(' args ')'          { $$ = $3; $$->at = @$; $$->name = $1; $$->name_at = @1; }
  ;

ref:
    IDENT                       { $$ = node(ctx, AST_REF, @$); vec_push(ctx->arena, &$$->segs, (void *)$1); }
  | ref '.' IDENT               { $$ = $1; $$->at = @$; vec_push(ctx->arena, &$$->segs, (void *)$3); }
  ;

list:
    %empty                      { $$ = node(ctx, AST_LIST, @$); }
  | elems
  | elems ','
  ;

elems:
    expr                        { $$ = node(ctx, AST_LIST, @$); add(ctx, $$, $1); }
  | elems ',' expr              { $$ = $1; add(ctx, $$, $3); }
  ;

args:
    %empty                      { $$ = node(ctx, AST_CALL, @$); }
  | arg                         { $$ = node(ctx, AST_CALL, @$); add(ctx, $$, $1); }
  | args ',' arg                { $$ = $1; add(ctx, $$, $3); }
  ;

arg:
    expr
  | IDENT '=' expr              { $$ = node(ctx, AST_ATTR, @$); $$->name = $1; $$->name_at = @1;
                                  $$->value = $3; }
  ;

%%

/* "expected '=' or '{', found newline".  When a value may start here the
 * message says "expected a value"; at end of file inside a block the
 * diagnostic is SYN002 with a note at the bracket that was never closed. */
static int yyreport_syntax_error(const yypcontext_t *pc, struct parse_ctx *ctx, void *scanner) {
  (void)scanner;
  if (ctx->stopped)
    return 0;  /* the scanner gave up on this file; the end it reported is not real */
  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens(pc, expected, YYNTOKENS);
  yysymbol_kind_t found = yypcontext_token(pc);
  struct span at = *yypcontext_location(pc);
  if (found == YYSYMBOL_YYEOF && ctx->depth > 0 && ctx->depth <= sizeof ctx->stack / sizeof ctx->stack[0]) {
    struct open_bracket *ob = &ctx->stack[ctx->depth - 1];
    const char *what = ob->ch == '{' ? "block" : ob->ch == '[' ? "list" : "argument list";
    char close = ob->ch == '{' ? '}' : ob->ch == '[' ? ']' : ')';
    struct diag *g = diag_error(ctx->diags, "SYN002", at, "unterminated %s: the file ends before its closing '%c'",
                                what, close);
    struct loc l = source_loc(ctx->file, ob->at.start);
    diag_note(ctx->diags, g, ob->at, "'%c' opened at line %u is never closed", ob->ch, l.line);
    return 0;
  }
  bool value = false, nl = false;
  for (int i = 0; i < n; i++) {
    value |= expected[i] == YYSYMBOL_NUMBER;
    nl |= expected[i] == YYSYMBOL_NL;
  }
  struct buf msg = {0};
  if (value) {
    buf_puts(&msg, "expected a value (string, number, true/false, list, object or name)");
  } else if (n > 0 && n <= 5) {
    buf_puts(&msg, "expected ");
    for (int i = 0; i < n; i++)
      buf_printf(&msg, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", yysymbol_name(expected[i]));
  } else {
    buf_puts(&msg, "syntax error");
  }
  buf_printf(&msg, ", found %s", yysymbol_name(found));
  struct diag *g = diag_error(ctx->diags, "SYN001", at, "%s", msg.data);
  if (nl && (found == YYSYMBOL_STRING || found == YYSYMBOL_NUMBER || found == YYSYMBOL_IDENT))
    diag_help(ctx->diags, g, "put each attribute on its own line, or separate them with ','");
  buf_free(&msg);
  return 0;
}
