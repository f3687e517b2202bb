/* driver.h - one compilation: the files it read, what they declare, and the
 * flat pipeline (load -> resolve -> lower -> rules -> uses -> backend). */
#ifndef CAMARCH_DRIVER_H
#define CAMARCH_DRIVER_H

#include "ast.h"
#include "diag.h"
#include "map.h"
#include "model.h"
#include "value.h"

/* A --set NAME=value from the command line. */
struct param_set {
  const char *name, *value;
  bool used;
};

enum let_state {
  LET_NEW,               /* not evaluated yet */
  LET_BUSY,              /* being evaluated: on the path of lets that need it */
  LET_DONE,
};

struct let_binding {
  const char *name;
  struct ast *decl;
  struct module *module;
  enum let_state state;
  struct val *val;       /* NULL if evaluation failed */
  bool failed;           /* evaluating it reported errors, or it used a let that failed */
};

struct import_binding {
  const char *alias;
  struct span at;
  struct module *module;
};

struct module {
  struct source_file *file;
  const char *dir;          /* canonical directory of the file */
  bool is_stdlib;
  bool loading;             /* on the import stack: a cycle if seen again */
  size_t collected;         /* top-level items collected so far, while loading */
  struct ast *ast;
  struct vec lets;          /* struct let_binding *, in source order */
  struct map let_names;     /* name -> struct let_binding * */
  struct vec imports;       /* struct import_binding *, in source order */
  struct map import_names;  /* alias -> struct import_binding * */
  struct map hints;         /* bare word -> its "did you mean" (or "" for none) */
  struct span import_at;    /* where it was first imported from */
};

struct env_decl {
  const char *name;
  struct ast *block;
  struct module *module;
  struct val *val;          /* evaluated body, cached */
};

struct compilation {
  struct arena *arena;
  struct sources sources;
  struct diags diags;
  const char *stdlib_dir;
  const char *root_dir;     /* canonical directory of the root file */
  const char *root_path;    /* the root file as the user named it */
  struct vec sets;          /* struct param_set * */
  struct map set_names;     /* name -> struct param_set *, built on first use */
  size_t sets_indexed;      /* how many of `sets` set_names holds */
  struct vec modules;       /* struct module *, in load order */
  struct map loaded;        /* canonical path -> struct module * */
  struct map stdlib_named;  /* "std/camunda/8.8" -> the module camarch loaded by itself */
  const char *stdlib_real;  /* canonical path of <stdlib>/std, or NULL */
  bool stdlib_located;      /* stdlib_real has been looked up */
  struct module *root;
  struct ast *estate;
  struct module *estate_module;
  struct val *estate_val;
  bool estate_failed;       /* evaluating the estate reported errors */
  struct vec defaults;      /* struct defaults_decl * of `defaults` blocks in user modules */
  struct span *defaults_at; /* lower.c: their spans, sorted, for origins (built once) */
  size_t ndefaults_at;
  struct map bases;         /* resolve.c: the merged layers under the estate, per version written */
  struct vec envs;          /* struct env_decl *, in source order */
  struct map env_names;     /* name -> struct env_decl * */
  struct vec params;        /* const char * names declared by param() */
  struct map param_names;   /* the same, as a set */
  unsigned depth;           /* evaluation depth, bounded so no input exhausts the stack */
  bool let_failed;          /* a let used by the expression being evaluated failed */
  size_t suggest_budget;    /* candidates "did you mean" may still compare (see suggest_in) */
  int one_target;           /* driver.c: 1 one target serves all environments, -1 not, 0 not known yet */
  struct vec profile_decls; /* struct profile_decl * */
  struct vec profiles;      /* struct profile_def *, resolved by the semantic pass */
  struct map profile_names; /* name -> struct profile_def * */
  struct vec allows;        /* struct allow_use *: every allow block met, by source span */
};

struct defaults_decl {
  struct ast *block;
  struct module *module;
  struct val *val;          /* evaluated and weakened, cached: the same for every environment */
};

struct profile_decl {
  const char *name;
  struct ast *block;
  struct module *module;
};

/* One allow block of the source, and whether any environment used it. */
struct allow_use {
  const struct m_allow *allow;
  bool used;
};

void compilation_init(struct compilation *c, const char *stdlib_dir);
void compilation_free(struct compilation *c);

/* Loads and parses the root file and everything it imports, and collects
 * the estate and environments.  Returns false only when the root file
 * cannot be read (an I/O error, exit status 2), with *why saying why ("no
 * such file", "it is a FIFO, not a regular file"); language errors go to
 * c->diags. */
bool resolve_load(struct compilation *c, const char *root_path, const char **why);
/* Loads a file given in memory as the root (for tests and the fuzzer). */
void resolve_load_text(struct compilation *c, const char *name, const char *text, size_t len);
/* The estate as environment `env` sees it: stdlib defaults, user defaults,
 * the estate and the environment overlay, merged.  NULL on errors. */
struct val *resolve_env(struct compilation *c, const struct env_decl *env, int *minor);
/* --set names that no param() declares (PAR002). */
void resolve_check_sets(struct compilation *c);
/* Evaluates every let of the user's files, used or not, so a broken let is
 * reported even where nothing refers to it. */
void resolve_check_lets(struct compilation *c);

/* Evaluates a block's body to an object (for the semantic pass's profiles). */
struct val *resolve_block(struct compilation *c, struct module *m, struct ast *block);

/* Types a merged estate against the model; NULL if it has errors. */
struct model *lower(struct compilation *c, const struct env_decl *env, const struct val *v, int minor);

struct outputs;
/* One environment, through the whole pipeline: resolves and lowers it, runs
 * the rules and the uses check (uses.h), then its target's backend, which
 * adds its files to `out`.  NULL when any stage reported an error. */
struct model *compile_env_into(struct compilation *c, const struct env_decl *env, struct outputs *out);
/* The same, keeping no files (for checks and tests). */
struct model *compile_env(struct compilation *c, const struct env_decl *env);
const struct env_decl *find_env(const struct compilation *c, const char *name);

#endif
