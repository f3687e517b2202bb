/* resolve.c - imports, lets, params, interpolation and environment overlays.
 *
 * Loading reads the root file and, depth first, every file it imports,
 * parsing each once.  It keeps an explicit stack of the files being
 * collected rather than recursing, so an import chain of any length costs
 * no stack.  Every file is opened once, through fio_open: it must be a
 * regular file of at most FIO_SOURCE_LIMIT bytes, and where it lies is
 * taken from the open file itself before a byte of it is read.  Relative
 * imports must stay in the root file's directory tree, std/... imports
 * (and the relative imports of standard library modules) in the standard
 * library's.
 *
 * Evaluation turns AST expressions into vals: a let is evaluated on first
 * use, after the lets it names, in dependency order with an explicit work
 * stack (a let that reaches itself is a cycle); param() takes its value
 * from --set or its default; secret() becomes a reference that is never
 * resolved to a value.  Names are looked up in hash maps, so the time is
 * linear in the size of the estate; a value nesting lists and objects
 * deeper than NEST_MAX (through lets that hold lets) is refused.
 *
 * An environment sees, merged in this order: the `defaults` of the stdlib
 * module std/camunda/<minor> for the estate's version, the `defaults` blocks
 * of the user's own files, the estate, and the environment block itself.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "fileio.h"
#include "names.h"
#include "parse.h"
#include "suggest.h"

/* How many candidate names "did you mean" may compare, in all, in one
 * compilation (see suggest_in). */
#define SUGGEST_BUDGET ((size_t)2 * 1000 * 1000)

void compilation_init(struct compilation *c, const char *stdlib_dir) {
  memset(c, 0, sizeof *c);
  c->arena = arena_new();
  sources_init(&c->sources, c->arena);
  diags_init(&c->diags, c->arena);
  c->stdlib_dir = stdlib_dir;
  map_init(&c->set_names, c->arena);
  map_init(&c->loaded, c->arena);
  map_init(&c->env_names, c->arena);
  map_init(&c->param_names, c->arena);
  map_init(&c->profile_names, c->arena);
  map_init(&c->bases, c->arena);
  map_init(&c->stdlib_named, c->arena);
  c->suggest_budget = SUGGEST_BUDGET;
}

void compilation_free(struct compilation *c) { arena_free(c->arena); }

/* --- loading ------------------------------------------------------------- */

static const char *dir_of(struct arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return ".";
  if (slash == path)
    return "/";
  return arena_strndup(a, path, (size_t)(slash - path));
}

/* Joins a directory and a relative path for display, folding "." and
 * "dir/.." segments: "./lib" + "./more.camarch" -> "lib/more.camarch". */
static const char *display_join(struct arena *a, const char *dir, const char *rel) {
  char *joined = strcmp(dir, ".") == 0 ? arena_strdup(a, rel) : arena_printf(a, "%s/%s", dir, rel);
  const char *segs[256];
  size_t n = 0;
  bool absolute = joined[0] == '/';
  for (char *tok = strtok(joined, "/"); tok; tok = strtok(NULL, "/")) {
    if (strcmp(tok, ".") == 0)
      continue;
    if (strcmp(tok, "..") == 0 && n > 0 && strcmp(segs[n - 1], "..") != 0) {
      n--;
      continue;
    }
    if (n < 256)
      segs[n++] = tok;
  }
  struct buf b = {0};
  buf_puts(&b, absolute ? "/" : "");
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "%s%s", i ? "/" : "", segs[i]);
  const char *out = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return *out ? out : ".";
}

static bool is_ident(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || (*s >= '0' && *s <= '9')))
      return false;
  return true;
}

/* The name an import binds by default: the last path component that is an
 * identifier once ".camarch" is dropped ("std/camunda/8.8" -> camunda). */
static const char *default_alias(struct arena *a, const char *path) {
  char *p = arena_strdup(a, path);
  size_t n = strlen(p);
  if (n > 8 && strcmp(p + n - 8, ".camarch") == 0)
    p[n - 8] = '\0';
  for (;;) {
    char *slash = strrchr(p, '/');
    const char *last = slash ? slash + 1 : p;
    if (is_ident(last))
      return last;
    if (!slash)
      return NULL;
    *slash = '\0';
  }
}

static struct let_binding *find_let(const struct module *m, const char *name) {
  return map_get(&m->let_names, name, NULL);
}

static bool inside(const char *dir, const char *path) {
  size_t n = strlen(dir);
  if (strcmp(dir, "/") == 0)
    return true;
  return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* The canonical directory std/ imports must stay in: <stdlib>/std, looked
 * up once; NULL if there is none. */
static const char *stdlib_real(struct compilation *c) {
  if (!c->stdlib_located) {
    char buf[PATH_MAX];
    const char *std = arena_printf(c->arena, "%s/std", c->stdlib_dir);
    c->stdlib_real = realpath(std, buf) ? arena_strdup(c->arena, buf) : NULL;
    c->stdlib_located = true;
  }
  return c->stdlib_real;
}

enum found_kind { FOUND, MISSING, UNREADABLE, OUTSIDE };

/* The file an import names, opened but not yet read. */
struct found {
  const char *real;       /* FOUND: its canonical path */
  const char *why;        /* UNREADABLE: why ("it is a FIFO, not a regular file") */
  struct fio_file file;   /* FOUND: open, to be read or closed */
};

/* Opens the file an import path names: base/path, or else
 * base/path.camarch, whichever is first a regular file inside `within` (a
 * canonical directory, NULL for none).  Each candidate is opened once,
 * without blocking and without reading it, and its place is the open
 * file's own, so the file that is checked is the file that is read.  A
 * candidate outside `within` is never read, whatever it is. */
static enum found_kind find_module(struct compilation *c, const char *base, const char *within, const char *path,
                                   struct found *out) {
  const char *cands[2] = {arena_printf(c->arena, "%s/%s", base, path),
                          arena_printf(c->arena, "%s/%s.camarch", base, path)};
  enum found_kind result = MISSING;
  *out = (struct found){.file = {.fd = -1}};
  for (int i = 0; i < 2; i++) {
    struct fio_file f;
    const char *why;
    enum fio_status st = fio_open(c->arena, AT_FDCWD, cands[i], false, FIO_SOURCE_LIMIT, &f, &why);
    if (st == FIO_ABSENT)
      continue;
    char buf[PATH_MAX];
    const char *real = st == FIO_OK ? fio_path(c->arena, &f, cands[i]) : realpath(cands[i], buf) ? buf : NULL;
    bool in = real && within && inside(within, real);
    if (st == FIO_OK && in) {
      out->real = real;
      out->file = f;
      return FOUND;
    }
    fio_close(&f);
    if (result != MISSING)
      continue;  /* the first candidate that exists says what is wrong */
    if (real && !in) {
      result = OUTSIDE;
    } else {
      result = UNREADABLE;
      out->why = st == FIO_OK ? "camarch cannot tell where the file is" : why;
    }
  }
  return result;
}

/* "std/camunda/8.8, std/camunda/8.9, std/sizing": the modules a std/
 * import can name, for a note on a missing one.  Symbolic links are not
 * followed and the tree is read at most 8 directories deep. */
static void list_modules(struct compilation *c, const char *dir, const char *prefix, int depth, struct vec *out) {
  DIR *d = depth < 8 ? opendir(dir) : NULL;
  if (!d)
    return;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.')
      continue;
    const char *path = arena_printf(c->arena, "%s/%s", dir, e->d_name);
    const char *name = arena_printf(c->arena, "%s%s", prefix, e->d_name);
    size_t n = strlen(name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      list_modules(c, path, arena_printf(c->arena, "%s/", name), depth + 1, out);
    else if (n > 8 && strcmp(name + n - 8, ".camarch") == 0)
      vec_push(c->arena, out, arena_strndup(c->arena, name, n - 8));
  }
  closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *stdlib_modules(struct compilation *c) {
  struct vec mods = {0};
  list_modules(c, arena_printf(c->arena, "%s/std", c->stdlib_dir), "std/", 0, &mods);
  if (mods.len == 0)
    return arena_printf(c->arena, "no modules (looked in %s; set CAMARCH_STDLIB)", c->stdlib_dir);
  qsort(mods.items, mods.len, sizeof mods.items[0], cmp_str);
  struct buf b = {0};
  for (size_t i = 0; i < mods.len; i++)
    buf_printf(&b, "%s%s", i ? ", " : "", (const char *)mods.items[i]);
  const char *s = arena_strndup(c->arena, b.data, b.len);
  buf_free(&b);
  return s;
}

/* Registers and parses a file; its top level is collected by load_tree. */
static struct module *new_module(struct compilation *c, const char *path, const char *realpath, const char *text,
                                 size_t len, bool is_stdlib, struct span import_at) {
  struct module *m = arena_alloc(c->arena, sizeof *m);
  m->import_at = import_at;
  m->file = sources_add(&c->sources, path, realpath, text, len);
  m->dir = dir_of(c->arena, realpath ? realpath : path);
  m->is_stdlib = is_stdlib;
  map_init(&m->let_names, c->arena);
  map_init(&m->import_names, c->arena);
  map_init(&m->hints, c->arena);
  vec_push(c->arena, &c->modules, m);
  if (realpath)
    map_put(&c->loaded, m->file->realpath, NULL, m);
  m->ast = parse_file(m->file, c->arena, &c->diags);
  m->loading = true;
  return m;
}

/* Reads a found file whole and registers it; NULL, with *why, if reading
 * it failed after all. */
static struct module *read_module(struct compilation *c, struct found *fd, const char *shown, bool is_stdlib,
                                  struct span import_at, const char **why) {
  struct buf text = {0};
  enum fio_status st = fio_read_open(c->arena, &fd->file, &text, why);
  struct module *m = st == FIO_OK ? new_module(c, shown, fd->real, text.data, text.len, is_stdlib, import_at) : NULL;
  buf_free(&text);
  return m;
}

/* import "PATH" [as NAME].  Returns the module it loads for the first
 * time, for load_tree to collect next; NULL if the import names a module
 * already loaded, or is wrong (and says why). */
static struct module *load_import(struct compilation *c, struct module *m, struct ast *imp) {
  const char *path = imp->text;
  struct span at = imp->value ? imp->value->at : imp->at;
  if (imp->value && imp->value->broken)
    return NULL;  /* its text is not what was written; the scanner said why */
  if (!path) {
    diag_error(&c->diags, "IMP001", at, "an import path cannot use ${...} interpolation");
    return NULL;
  }
  bool is_stdlib = strncmp(path, "std/", 4) == 0;
  if (!is_stdlib && strncmp(path, "./", 2) != 0 && strncmp(path, "../", 3) != 0) {
    struct diag *g = diag_error(&c->diags, "IMP001", at, "cannot find import \"%s\"", path);
    diag_help(&c->diags, g, "relative imports start with ./ or ../; library modules with std/");
    return NULL;
  }
  bool in_stdlib = is_stdlib || m->is_stdlib;
  const char *within = in_stdlib ? stdlib_real(c) : c->root_dir;
  struct found fd;
  switch (find_module(c, is_stdlib ? c->stdlib_dir : m->dir, within, path, &fd)) {
  case MISSING: {
    struct diag *g = diag_error(&c->diags, "IMP001", at, "cannot find import \"%s\"", path);
    if (is_stdlib)
      diag_note(&c->diags, g, (struct span){0}, "the standard library has %s", stdlib_modules(c));
    return NULL;
  }
  case OUTSIDE: {
    if (in_stdlib) {
      struct diag *g = diag_error(&c->diags, "IMP005", at, "import \"%s\" leaves the standard library", path);
      diag_note(&c->diags, g, (struct span){0}, "the standard library has %s", stdlib_modules(c));
    } else {
      struct diag *g = diag_error(&c->diags, "IMP003", at, "import \"%s\" leaves the estate's directory", path);
      diag_note(&c->diags, g, (struct span){0}, "imports must stay in the directory of %s or below it",
                c->root_path);
    }
    return NULL;
  }
  case UNREADABLE:
    diag_error(&c->diags, "IMP006", at, "cannot read import \"%s\": %s", path, fd.why);
    return NULL;
  case FOUND:
    break;
  }
  const char *alias = imp->label ? imp->label : default_alias(c->arena, path);
  struct import_binding *first = alias ? map_get(&m->import_names, alias, NULL) : NULL;
  if (first) {
    fio_close(&fd.file);
    struct diag *g = diag_error(&c->diags, "IMP004", at, "a second import binds the name `%s`", alias);
    diag_note(&c->diags, g, first->at, "first bound here");
    diag_help(&c->diags, g, "rename one with: import \"%s\" as other_name", path);
    return NULL;
  }
  struct module *target = map_get(&c->loaded, fd.real, NULL), *fresh = NULL;
  if (target) {
    fio_close(&fd.file);
    if (target->loading) {
      struct diag *g =
          diag_error(&c->diags, "IMP002", at, "import cycle: \"%s\" imports itself through this import", path);
      if (span_known(target->import_at))
        diag_note(&c->diags, g, target->import_at, "the cycle starts here");
      else
        diag_note(&c->diags, g, (struct span){0}, "the cycle leads back to the root file, %s", target->file->path);
      return NULL;
    }
  } else {
    const char *shown = is_stdlib ? arena_printf(c->arena, "<stdlib>/%s", path + 4)
                                  : display_join(c->arena, dir_of(c->arena, m->file->path), path);
    const char *why;
    target = fresh = read_module(c, &fd, shown, in_stdlib, at, &why);
    if (!target) {
      diag_error(&c->diags, "IMP006", at, "cannot read import \"%s\": %s", path, why);
      return NULL;
    }
  }
  struct import_binding *b = arena_alloc(c->arena, sizeof *b);
  b->alias = alias;
  b->at = imp->label ? imp->label_at : at;
  b->module = target;
  vec_push(c->arena, &m->imports, b);
  if (alias)
    map_put(&m->import_names, alias, NULL, b);
  return fresh;
}

/* One item of a module's top level: a let, or an estate, environment,
 * defaults or profile block.  An import is load_import's. */
static void collect_item(struct compilation *c, struct module *m, struct ast *it) {
  switch (it->kind) {
  case AST_LET: {
    struct let_binding *old = find_let(m, it->name);
    if (old) {
      struct diag *g = diag_error(&c->diags, "NAM002", it->name_at, "`%s` is already defined", it->name);
      diag_note(&c->diags, g, old->decl->name_at, "first defined here");
      break;
    }
    struct let_binding *l = arena_alloc(c->arena, sizeof *l);
    l->name = it->name;
    l->decl = it;
    l->module = m;
    vec_push(c->arena, &m->lets, l);
    map_put(&m->let_names, l->name, NULL, l);
    break;
  }
  case AST_BLOCK:
    if (it->value && !it->label) {
      diag_error(&c->diags, "SYN005", it->label_at, "a block label cannot use ${...} interpolation");
      break;
    }
    if (strcmp(it->name, "estate") == 0) {
      if (c->estate) {
        struct diag *g = diag_error(&c->diags, "NAM004", it->name_at, "a second `estate` block");
        diag_note(&c->diags, g, c->estate->name_at, "the estate is defined here");
        diag_help(&c->diags, g, "an estate is one block; split it with `defaults` blocks in imported files");
      } else {
        c->estate = it;
        c->estate_module = m;
      }
    } else if (strcmp(it->name, "environment") == 0) {
      if (!it->label) {
        diag_error(&c->diags, "SYN001", it->name_at, "an environment needs a name: environment \"prod\" { ... }");
        break;
      }
      if (!(it->value && it->value->broken) && !name_valid(NAME_ENV, it->label)) {
        /* the name becomes a directory of the output and a word of printed commands */
        struct diag *g = diag_error(&c->diags, "NAM006", it->label_at, "this environment name cannot name a directory");
        diag_help(&c->diags, g, "an environment name is a directory of the output: %s", name_grammar(NAME_ENV));
        break;
      }
      const struct env_decl *old = find_env(c, it->label);
      if (old) {
        struct diag *g = diag_error(&c->diags, "NAM002", it->label_at, "environment \"%s\" is defined twice", it->label);
        diag_note(&c->diags, g, old->block->label_at, "first defined here");
        break;
      }
      struct env_decl *e = arena_alloc(c->arena, sizeof *e);
      e->name = it->label;
      e->block = it;
      e->module = m;
      vec_push(c->arena, &c->envs, e);
      map_put(&c->env_names, e->name, NULL, e);
    } else if (strcmp(it->name, "defaults") == 0) {
      if (!m->is_stdlib) {
        struct defaults_decl *d = arena_alloc(c->arena, sizeof *d);
        *d = (struct defaults_decl){it, m, NULL};
        vec_push(c->arena, &c->defaults, d);
      }
    } else if (strcmp(it->name, "profile") == 0) {
      if (!it->label) {
        diag_error(&c->diags, "SYN001", it->name_at, "a profile needs a name: profile \"staging\" { extends = production }");
        break;
      }
      struct profile_decl *pd = arena_alloc(c->arena, sizeof *pd);
      *pd = (struct profile_decl){it->label, it, m};
      vec_push(c->arena, &c->profile_decls, pd);
    } else {
      static const char *const kinds[] = {"estate", "environment", "defaults", "profile"};
      struct diag *g = diag_error(&c->diags, "TYP003", it->name_at, "unknown top-level block `%s`", it->name);
      const char *s = suggest(it->name, kinds, 4);
      if (s)
        diag_help(&c->diags, g, "did you mean `%s`?", s);
      else
        diag_note(&c->diags, g, (struct span){0},
                  "a file holds imports, lets, and estate, environment, defaults and profile blocks");
    }
    break;
  default:
    break;
  }
}

/* Collects `root` and every module it loads, depth first, in source order:
 * a module's import is collected whole before the module's next item, as
 * a recursion would, but on an explicit stack of the modules being
 * collected (those marked `loading`: an import of one of them is a
 * cycle). */
static void load_tree(struct compilation *c, struct module *root) {
  struct vec stack = {0};
  vec_push(c->arena, &stack, root);
  while (stack.len) {
    struct module *m = stack.items[stack.len - 1];
    if (m->collected == m->ast->items.len) {
      m->loading = false;
      stack.len--;
      continue;
    }
    struct ast *it = m->ast->items.items[m->collected++];
    struct module *child = it->kind == AST_IMPORT ? load_import(c, m, it) : NULL;
    if (child)
      vec_push(c->arena, &stack, child);
    else
      collect_item(c, m, it);
  }
}

static struct val *eval_body(struct compilation *c, struct module *m, struct ast *body);

/* A module of the standard library that camarch loads by itself ("std/
 * profiles", "std/camunda/8.8"), once.  NULL if it is not there (then
 * *why is NULL) or cannot be read (then *why says why). */
static struct module *load_stdlib(struct compilation *c, const char *path, struct span why_at, const char **why) {
  *why = NULL;
  struct module *m = map_get(&c->stdlib_named, path, NULL);
  if (m)
    return m;  /* once per compilation, not once per environment */
  struct found fd;
  switch (find_module(c, c->stdlib_dir, stdlib_real(c), path, &fd)) {
  case MISSING:
    return NULL;
  case OUTSIDE:
    *why = "it is outside the standard library";
    return NULL;
  case UNREADABLE:
    *why = fd.why;
    return NULL;
  case FOUND:
    break;
  }
  m = map_get(&c->loaded, fd.real, NULL);
  if (m) {
    fio_close(&fd.file);
  } else {
    m = read_module(c, &fd, arena_printf(c->arena, "<stdlib>/%s", path + 4), true, why_at, why);
    if (!m)
      return NULL;
    load_tree(c, m);
  }
  map_put(&c->stdlib_named, path, NULL, m);
  return m;
}

/* The profiles the standard library declares (std/profiles) are there for
 * every estate, imported or not. */
static void load_std_profiles(struct compilation *c) {
  const char *why;
  if (!load_stdlib(c, "std/profiles", (struct span){0}, &why) && why)
    diag_error(&c->diags, "IMP006", (struct span){0}, "cannot read the standard library's std/profiles: %s", why);
}

struct val *resolve_block(struct compilation *c, struct module *m, struct ast *block) {
  return eval_body(c, m, block);
}

bool resolve_load(struct compilation *c, const char *root_path, const char **why) {
  struct fio_file f;
  if (fio_open(c->arena, AT_FDCWD, root_path, false, FIO_SOURCE_LIMIT, &f, why) != FIO_OK)
    return false;
  const char *real = fio_path(c->arena, &f, root_path);
  struct buf text = {0};
  if (fio_read_open(c->arena, &f, &text, why) != FIO_OK) {
    buf_free(&text);
    return false;
  }
  c->root_dir = dir_of(c->arena, real ? real : root_path);
  c->root_path = arena_strdup(c->arena, root_path);
  c->root = new_module(c, root_path, real, text.data, text.len, false, (struct span){0});
  buf_free(&text);
  load_tree(c, c->root);
  load_std_profiles(c);
  return true;
}

void resolve_load_text(struct compilation *c, const char *name, const char *text, size_t len) {
  char cwd[PATH_MAX];
  c->root_dir = arena_strdup(c->arena, getcwd(cwd, sizeof cwd) ? cwd : ".");
  c->root_path = arena_strdup(c->arena, name);
  c->root = new_module(c, name, NULL, text, len, false, (struct span){0});
  load_tree(c, c->root);
  load_std_profiles(c);
}

const struct env_decl *find_env(const struct compilation *c, const char *name) {
  return map_get(&c->env_names, name, NULL);
}

/* --- evaluation ---------------------------------------------------------- */


static struct val *eval(struct compilation *c, struct module *m, struct ast *e);

/* The let a reference names: a let of this module, or an import's let
 * (payments.domain); NULL for anything else.  eval_ref follows the same
 * rule. */
static struct let_binding *ref_let(const struct module *m, const struct ast *ref) {
  const char *first = ref->segs.items[0];
  struct let_binding *l = find_let(m, first);
  if (l)
    return l;
  struct import_binding *imp = map_get(&m->import_names, first, NULL);
  return imp && ref->segs.len >= 2 ? find_let(imp->module, ref->segs.items[1]) : NULL;
}

/* The references to lets in an expression, in the order evaluation meets
 * them.  The walk is as deep as the expression, which the parser bounds
 * by NEST_MAX. */
static void let_refs(struct arena *a, const struct module *m, const struct ast *e, struct vec *out) {
  if (!e)
    return;
  if (e->kind == AST_REF) {
    if (ref_let(m, e))
      vec_push(a, out, (void *)e);
    return;
  }
  let_refs(a, m, e->value, out);
  for (size_t i = 0; i < e->items.len; i++)
    let_refs(a, m, e->items.items[i], out);
}

/* A reference to a let that is being evaluated: a cycle.  The let fails,
 * from here on, as the user of the reference does. */
static void let_cycle(struct compilation *c, struct let_binding *l, struct span use) {
  struct diag *g = diag_error(&c->diags, "NAM003", use, "`%s` refers to itself", l->name);
  diag_note(&c->diags, g, l->decl->name_at, "`%s` is defined here", l->name);
  l->state = LET_DONE;
}

/* Evaluates one let whose dependencies are done, or made to fail by a
 * cycle (`cyclic`: one of its own references closed it).  At depth 0: a
 * let's own nesting is what counts, not how deep its first use was. */
static void eval_let_body(struct compilation *c, struct let_binding *l, bool cyclic) {
  unsigned before = c->diags.errors, depth = c->depth;
  bool used_failed = c->let_failed;
  c->depth = 0;
  c->let_failed = false;
  struct val *v = eval(c, l->module, l->decl->value);
  if (l->state == LET_BUSY)
    l->val = v;  /* a cycle through it has already made it fail */
  l->failed = cyclic || c->diags.errors > before || c->let_failed;
  l->state = LET_DONE;
  c->depth = depth;
  c->let_failed = used_failed;
}

/* Evaluates `l` and, first, every let it needs that is not evaluated yet:
 * a depth-first walk over the lets they name, in the order evaluation
 * meets the references, with an explicit stack instead of a recursion per
 * let; each let is evaluated once all it names are done.  The lets on the
 * stack are LET_BUSY, exactly those a recursive evaluation would be inside
 * of, so a reference to one of them closes a cycle and is reported where
 * the recursion would report it. */
static void eval_lets_from(struct compilation *c, struct let_binding *l) {
  struct frame {
    struct let_binding *l;
    struct vec refs;  /* struct ast * (AST_REF) */
    size_t next;
    bool cyclic;
  };
  struct vec stack = {0};
  for (struct let_binding *d = l; d;) {
    struct frame *f = arena_alloc(c->arena, sizeof *f);
    f->l = d;
    let_refs(c->arena, d->module, d->decl->value, &f->refs);
    d->state = LET_BUSY;
    vec_push(c->arena, &stack, f);
    d = NULL;
    while (!d && stack.len) {
      f = stack.items[stack.len - 1];
      if (f->next == f->refs.len) {
        stack.len--;
        eval_let_body(c, f->l, f->cyclic);
        continue;
      }
      struct ast *ref = f->refs.items[f->next++];
      struct let_binding *dep = ref_let(f->l->module, ref);
      if (dep->state == LET_NEW) {
        d = dep;  /* evaluated before the rest of f */
      } else if (dep->state == LET_BUSY) {
        let_cycle(c, dep, ref->at);
        f->cyclic = true;
      }
    }
  }
}

/* A let's value at a use of it (NULL if it failed, with c->let_failed set
 * so the user of the value knows it failed). */
static struct val *eval_let(struct compilation *c, struct let_binding *l, struct span use) {
  if (l->state == LET_NEW)
    eval_lets_from(c, l);
  if (l->state == LET_BUSY) {
    let_cycle(c, l, use);
    c->let_failed = true;
    return NULL;
  }
  if (l->failed)
    c->let_failed = true;
  return l->val;
}

static const char *join_segs(struct arena *a, const struct ast *ref, size_t n) {
  struct buf b = {0};
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "%s%s", i ? "." : "", (const char *)ref->segs.items[i]);
  const char *s = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

/* Takes n from the compilation's budget of names "did you mean" may
 * compare.  An estate with a great many names and a great many mistakes
 * loses its hints past the budget, never the compiler its linear time;
 * callers spend before they gather the candidates. */
static bool spend(struct compilation *c, size_t n) {
  if (n > c->suggest_budget) {
    c->suggest_budget = 0;
    return false;
  }
  c->suggest_budget -= n;
  return true;
}

/* suggest() among the names of the lets in `lets`, then the aliases in
 * `imports` (either may be NULL), comparing only those whose length is
 * within 3 of the word's: no other can be suggested. */
static const char *suggest_near(const char *word, const struct vec *lets, const struct vec *imports) {
  size_t len = strlen(word), n = 0, cap = (lets ? lets->len : 0) + (imports ? imports->len : 0);
  const char **near = malloc((cap ? cap : 1) * sizeof *near);
  if (!near)
    die("out of memory");
  for (size_t i = 0; lets && i < lets->len; i++) {
    const char *name = ((const struct let_binding *)lets->items[i])->name;
    if (strlen(name) + 3 >= len && strlen(name) <= len + 3)
      near[n++] = name;
  }
  for (size_t i = 0; imports && i < imports->len; i++) {
    const char *name = ((const struct import_binding *)imports->items[i])->alias;
    if (name && strlen(name) + 3 >= len && strlen(name) <= len + 3)
      near[n++] = name;
  }
  const char *s = suggest(word, near, n);
  free(near);
  return s;
}

/* The closest name in scope: a let or import of this module, or a let
 * of an imported module written in full (common.domain). */
static const char *closest_name(struct compilation *c, struct module *m, const char *name) {
  if (!spend(c, m->lets.len + 2 * m->imports.len))
    return NULL;
  for (size_t i = 0; i < m->imports.len; i++) {
    struct import_binding *b = m->imports.items[i];
    if (b->alias && b->module && find_let(b->module, name))
      return arena_printf(c->arena, "%s.%s", b->alias, name);
  }
  return suggest_near(name, &m->lets, &m->imports);
}

/* closest_name for a bare word, once per word and module: the same enum
 * value written a thousand times costs one search. */
static const char *bare_hint(struct compilation *c, struct module *m, const char *word) {
  const char *h = map_get(&m->hints, word, NULL);
  if (!h) {
    h = closest_name(c, m, word);
    h = h ? h : "";
    map_put(&m->hints, word, NULL, (void *)h);
  }
  return *h ? h : NULL;
}

static void unknown_name(struct compilation *c, struct module *m, struct ast *ref) {
  struct diag *g = diag_error(&c->diags, "NAM001", ref->at, "unknown name `%s`", join_segs(c->arena, ref, ref->segs.len));
  const char *s = closest_name(c, m, ref->segs.items[0]);
  if (s)
    diag_help(&c->diags, g, "did you mean `%s`?", s);
}

/* A reference: a let of this module, or an import's let, then fields of
 * an object value.  A lone name that is neither is an enum value (V_SYM),
 * checked later against the field it is given to. */
static struct val *eval_ref(struct compilation *c, struct module *m, struct ast *ref) {
  const char *first = ref->segs.items[0];
  struct let_binding *l = find_let(m, first);
  struct val *v = NULL;
  size_t used = 1;
  bool last_let_failed = false;
  if (l) {
    v = eval_let(c, l, ref->at);
  } else {
    struct import_binding *imp = map_get(&m->import_names, first, NULL);
    if (!imp) {
      if (ref->segs.len == 1) {
        v = val_new(c->arena, V_SYM, ref->at);
        v->s = first;
        v->bare = true;
        v->hint = bare_hint(c, m, first);
        return v;
      }
      unknown_name(c, m, ref);
      return NULL;
    }
    if (ref->segs.len < 2) {
      diag_error(&c->diags, "NAM001", ref->at, "`%s` is a module; name one of its lets: %s.NAME", first, first);
      return NULL;
    }
    const char *name = ref->segs.items[1];
    struct let_binding *il = find_let(imp->module, name);
    if (!il) {
      struct diag *g = diag_error(&c->diags, "NAM001", ref->at, "module `%s` has no `%s`", first, name);
      const char *s = spend(c, imp->module->lets.len) ? suggest_near(name, &imp->module->lets, NULL) : NULL;
      if (s)
        diag_help(&c->diags, g, "did you mean `%s.%s`?", first, s);
      return NULL;
    }
    v = eval_let(c, il, ref->at);
    last_let_failed = il->failed;
    used = 2;
  }
  bool base_failed = (l && l->failed) || (used == 2 && last_let_failed);
  for (size_t i = used; v && i < ref->segs.len; i++) {
    const char *field = ref->segs.items[i];
    struct entry *e = v->kind == V_OBJ ? val_find(v, field, NULL) : NULL;
    if (!e && base_failed)
      return NULL;  /* the let already reported why it lacks the field */
    if (!e) {
      diag_error(&c->diags, "NAM001", ref->at, "`%s` has no field `%s`", join_segs(c->arena, ref, i), field);
      return NULL;
    }
    v = e->v;
  }
  if (v && v->kind != V_OBJ && v->kind != V_LIST) {
    /* a scalar reports at the use, so a type error points where it landed */
    struct val *copy = val_new(c->arena, v->kind, ref->at);
    *copy = *v;
    copy->at = ref->at;
    copy->bare = false;  /* it came through a let: a value, not a typo */
    v = copy;
  }
  return v;
}

static void declare_param(struct compilation *c, const char *name) {
  if (map_get(&c->param_names, name, NULL))
    return;
  vec_push(c->arena, &c->params, (void *)name);
  map_put(&c->param_names, name, NULL, (void *)name);
}

/* The --set of a parameter, or NULL (c->sets is indexed on first use). */
static struct param_set *find_set(struct compilation *c, const char *name) {
  for (; c->sets_indexed < c->sets.len; c->sets_indexed++) {
    struct param_set *ps = c->sets.items[c->sets_indexed];
    if (!map_get(&c->set_names, ps->name, NULL))
      map_put(&c->set_names, ps->name, NULL, ps);
  }
  return map_get(&c->set_names, name, NULL);
}

static struct val *eval_call(struct compilation *c, struct module *m, struct ast *call) {
  bool is_secret = strcmp(call->name, "secret") == 0, is_param = strcmp(call->name, "param") == 0;
  if (!is_secret && !is_param) {
    static const char *const fns[] = {"secret", "param"};
    struct diag *g = diag_error(&c->diags, "PAR003", call->name_at, "unknown function `%s`", call->name);
    const char *s = suggest(call->name, fns, 2);
    diag_help(&c->diags, g, s ? "did you mean `%s`?" : "the functions are secret() and param()", s);
    return NULL;
  }
  struct ast *name = NULL;
  struct ast *named = NULL;
  size_t positional = 0;
  for (size_t i = 0; i < call->items.len; i++) {
    struct ast *a = call->items.items[i];
    if (a->kind == AST_ATTR) {
      const char *want = is_secret ? "key" : "default";
      if (!a->name || strcmp(a->name, want) != 0 || named) {
        diag_error(&c->diags, "PAR003", a->name_at, "%s() takes one named argument, `%s`", call->name, want);
        return NULL;
      }
      named = a;
    } else if (positional++ == 0) {
      name = a;
    } else {
      diag_error(&c->diags, "PAR003", a->at, "%s() takes one name and one named argument", call->name);
      return NULL;
    }
  }
  struct val *nv = name ? eval(c, m, name) : NULL;
  if (!name || !nv || nv->kind != V_STR || !*nv->s) {
    if (!name || nv)
      diag_error(&c->diags, "PAR003", name ? name->at : call->at, "%s() needs a name as a string: %s",
                 call->name, is_secret ? "secret(\"name\", key = \"key\")" : "param(\"NAME\", default = value)");
    return NULL;
  }
  if (is_secret) {
    /* the name and key become a Kubernetes Secret's, and variable names */
    if (!name_valid(NAME_DNS_SUBDOMAIN, nv->s)) {
      struct diag *g = diag_error(&c->diags, "NAM007", name->at, "this secret name is not a Kubernetes Secret name");
      diag_help(&c->diags, g, "a Kubernetes object name (DNS-1123 subdomain): %s", name_grammar(NAME_DNS_SUBDOMAIN));
      return NULL;
    }
    struct val *v = val_new(c->arena, V_SECRET, call->at);
    v->s = nv->s;
    if (named) {
      struct val *kv = eval(c, m, named->value);
      if (!kv)
        return NULL;
      if (kv->kind != V_STR || !*kv->s) {
        diag_error(&c->diags, "PAR003", named->value->at, "a secret's key is a non-empty string");
        return NULL;
      }
      if (!name_valid(NAME_SECRET_KEY, kv->s)) {
        struct diag *g = diag_error(&c->diags, "NAM007", named->value->at, "this key is not a Kubernetes Secret key");
        diag_help(&c->diags, g, "a Secret key: %s", name_grammar(NAME_SECRET_KEY));
        return NULL;
      }
      v->key = kv->s;
    }
    return v;
  }
  declare_param(c, nv->s);
  struct param_set *ps = find_set(c, nv->s);
  if (ps) {
    ps->used = true;
    struct val *v = val_new(c->arena, V_TEXT, call->at);
    v->s = ps->value;
    v->param = nv->s;
    return v;
  }
  if (!named) {
    struct diag *g = diag_error(&c->diags, "PAR001", call->at, "parameter %s has no value", nv->s);
    diag_help(&c->diags, g, "pass --set %s=VALUE, or give it a default: param(\"%s\", default = ...)", nv->s, nv->s);
    return NULL;
  }
  struct val *d = eval(c, m, named->value);
  if (!d)
    return NULL;
  struct val *v = val_new(c->arena, d->kind, call->at);
  *v = *d;
  v->at = call->at;
  v->param = nv->s;
  return v;
}

/* ${...} parts become text; a secret never does. */
static bool interpolate(struct compilation *c, struct val *v, struct span at, struct buf *out) {
  switch (v->kind) {
  case V_STR: case V_NUM: case V_SYM: case V_TEXT:
    buf_puts(out, v->s);
    return true;
  case V_BOOL:
    buf_puts(out, v->b ? "true" : "false");
    return true;
  case V_SECRET: {
    struct diag *g = diag_error(&c->diags, "TYP006", at, "a secret cannot be interpolated into a string");
    diag_note(&c->diags, g, (struct span){0}, "its value would be written in clear into the generated files");
    return false;
  }
  default:
    diag_error(&c->diags, "TYP001", at, "cannot interpolate %s %s into a string",
               strchr("aeiou", val_kind_name(v->kind)[0]) ? "an" : "a", val_kind_name(v->kind));
    return false;
  }
}

static struct val *eval_string(struct compilation *c, struct module *m, struct ast *s) {
  struct val *v = val_new(c->arena, V_STR, s->at);
  if (s->items.len == 1 && ((struct ast *)s->items.items[0])->kind == AST_STRPART) {
    v->s = ((struct ast *)s->items.items[0])->text;
    return v;
  }
  struct buf b = {0};
  buf_puts(&b, "");
  bool ok = true;
  for (size_t i = 0; i < s->items.len; i++) {
    struct ast *part = s->items.items[i];
    if (part->kind == AST_STRPART) {
      buf_puts(&b, part->text);
      continue;
    }
    struct val *pv = eval_ref(c, m, part);
    if (pv && pv->kind == V_SYM && pv->bare) {
      unknown_name(c, m, part);
      pv = NULL;
    }
    if (!pv || !interpolate(c, pv, part->at, &b))
      ok = false;
  }
  v->s = arena_strndup(c->arena, b.data, b.len);
  buf_free(&b);
  return ok ? v : NULL;
}

/* How deep a part makes the list or object that holds it. */
static unsigned depth_of(const struct val *v) { return v->kind == V_LIST || v->kind == V_OBJ ? v->depth : 0; }

/* A part already NEST_MAX deep cannot go into a list or object: refused
 * (SYN008), so that no value nests deeper, whatever lets build it up. */
static bool too_deep(struct compilation *c, const struct val *part, struct span at) {
  if (depth_of(part) < NEST_MAX)
    return false;
  diag_error(&c->diags, "SYN008", at, "this value nests lists and objects deeper than %d levels", NEST_MAX);
  return true;
}

/* Evaluation recursion follows the syntax tree, which the scanner keeps
 * NEST_MAX brackets deep; this is the backstop should anything else
 * recurse. */
static bool recursion_too_deep(struct compilation *c, struct span at) {
  if (c->depth <= NEST_MAX)
    return false;
  diag_error(&c->diags, "SYN008", at, "nesting deeper than %d levels", NEST_MAX);
  return true;
}

/* A body: attributes and nested blocks, in source order.  A large body
 * finds repeated names through a hash map, a small one by looking. */
static struct val *eval_body(struct compilation *c, struct module *m, struct ast *body) {
  struct val *obj = val_new(c->arena, V_OBJ, body->at);
  obj->depth = 1;
  struct map seen;
  bool hashed = body->items.len > 8;
  if (hashed)
    map_init(&seen, c->arena);
  for (size_t i = 0; i < body->items.len; i++) {
    struct ast *it = body->items.items[i];
    if (!it->name) {
      diag_error(&c->diags, "SYN005", it->name_at, "an attribute name cannot use ${...} interpolation");
      continue;
    }
    if (it->kind == AST_BLOCK && it->value && !it->label) {
      diag_error(&c->diags, "SYN005", it->label_at, "a block label cannot use ${...} interpolation");
      continue;
    }
    const char *label = it->kind == AST_BLOCK ? it->label : NULL;
    struct entry *old = hashed ? map_get(&seen, it->name, label) : val_find(obj, it->name, label);
    if (old) {
      struct diag *g = diag_error(&c->diags, "TYP005", it->name_at, "`%s%s%s%s` is given twice in this block",
                                  it->name, it->label ? " \"" : "", it->label ? it->label : "", it->label ? "\"" : "");
      diag_note(&c->diags, g, old->name_at, "first given here");
      continue;
    }
    struct entry *e = arena_alloc(c->arena, sizeof *e);
    e->name = it->name;
    e->name_at = it->name_at;
    if (it->kind == AST_BLOCK) {
      e->label = it->label;
      e->is_block = true;
      if (recursion_too_deep(c, it->at))
        continue;
      c->depth++;
      e->v = eval_body(c, m, it);
      c->depth--;
    } else {
      e->v = eval(c, m, it->value);
    }
    /* errors are in c->diags; keep what evaluated for more checks */
    if (!e->v || too_deep(c, e->v, it->kind == AST_BLOCK ? it->name_at : it->value->at))
      continue;
    if (obj->depth < depth_of(e->v) + 1)
      obj->depth = depth_of(e->v) + 1;
    vec_push(c->arena, &obj->items, e);
    if (hashed)
      map_put(&seen, e->name, e->label, e);
  }
  return obj;
}

static struct val *eval_node(struct compilation *c, struct module *m, struct ast *e);

/* Every evaluation of an expression passes here. */
static struct val *eval(struct compilation *c, struct module *m, struct ast *e) {
  if (!e || recursion_too_deep(c, e->at))
    return NULL;
  c->depth++;
  struct val *v = eval_node(c, m, e);
  c->depth--;
  return v;
}

static struct val *eval_node(struct compilation *c, struct module *m, struct ast *e) {
  switch (e->kind) {
  case AST_STRING:
    return eval_string(c, m, e);
  case AST_NUMBER: {
    struct val *v = val_new(c->arena, V_NUM, e->at);
    v->s = e->text;
    return v;
  }
  case AST_BOOL: {
    struct val *v = val_new(c->arena, V_BOOL, e->at);
    v->b = e->boolean;
    return v;
  }
  case AST_REF:
    return eval_ref(c, m, e);
  case AST_LIST: {
    struct val *v = val_new(c->arena, V_LIST, e->at);
    v->depth = 1;
    for (size_t i = 0; i < e->items.len; i++) {
      struct ast *ie = e->items.items[i];
      struct val *item = eval(c, m, ie);
      if (!item || too_deep(c, item, ie->at))
        return NULL;
      if (v->depth < depth_of(item) + 1)
        v->depth = depth_of(item) + 1;
      vec_push(c->arena, &v->items, item);
    }
    return v;
  }
  case AST_OBJECT: {
    struct val *v = eval_body(c, m, e);
    v->s = e->name;
    v->kind_at = e->name ? e->name_at : e->at;
    return v;
  }
  case AST_CALL:
    return eval_call(c, m, e);
  default:
    UNREACHABLE();
  }
}

/* --- environments -------------------------------------------------------- */

/* A version component: digits without a leading zero. */
static const char *version_number(const char *s, long *v) {
  if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' && s[1] <= '9'))
    return NULL;
  *v = 0;
  for (; *s >= '0' && *s <= '9'; s++)
    if ((*v = *v * 10 + (*s - '0')) > 100000)
      return NULL;
  return s;
}

/* Splits "8.8" or "8.8.3" into the minor and the patch text (or NULL). */
static bool parse_version(const char *s, int *minor, const char **patch) {
  long major, mi, p;
  const char *q = version_number(s, &major);
  if (!q || major != 8 || *q != '.' || !(q = version_number(q + 1, &mi)))
    return false;
  *minor = (int)mi;
  *patch = NULL;
  if (*q == '\0')
    return true;
  if (*q != '.' || !version_number(q + 1, &p) || *version_number(q + 1, &p) != '\0')
    return false;
  *patch = q + 1;
  return true;
}

/* Marks every object of a defaults layer weak: a component block there
 * configures the component for estates that enable it, and enables none. */
static void weaken(struct val *v) {
  if (v->kind != V_OBJ || v->weak)
    return;  /* a weak object's objects are all weak already: a value shared many times is walked once */
  v->weak = true;
  for (size_t i = 0; i < v->items.len; i++)
    weaken(((struct entry *)v->items.items[i])->v);
}

static struct val *defaults_layer(struct compilation *c, struct module *m, struct ast *block) {
  struct val *v = eval_body(c, m, block);
  weaken(v);
  return v;
}

/* The `defaults` blocks of a module, as layers, in source order. */
static void module_defaults(struct compilation *c, struct module *m, struct vec *layers) {
  for (size_t i = 0; i < m->ast->items.len; i++) {
    struct ast *it = m->ast->items.items[i];
    if (it->kind == AST_BLOCK && strcmp(it->name, "defaults") == 0)
      vec_push(c->arena, layers, defaults_layer(c, m, it));
  }
}

/* A defaults layer that sets images.<component>.tag, for a patch version. */
static struct val *pin_tag(struct compilation *c, const char *component, const char *tag, struct span at) {
  struct val *tagv = val_new(c->arena, V_STR, at);
  tagv->s = tag;
  struct val *img = val_new(c->arena, V_OBJ, at);
  struct entry *te = arena_alloc(c->arena, sizeof *te);
  *te = (struct entry){"tag", NULL, at, false, tagv};
  vec_push(c->arena, &img->items, te);
  struct val *imgs = val_new(c->arena, V_OBJ, at);
  struct entry *ce = arena_alloc(c->arena, sizeof *ce);
  *ce = (struct entry){component, NULL, at, true, img};
  vec_push(c->arena, &imgs->items, ce);
  struct val *top = val_new(c->arena, V_OBJ, at);
  struct entry *ie = arena_alloc(c->arena, sizeof *ie);
  *ie = (struct entry){"images", NULL, at, true, imgs};
  vec_push(c->arena, &top->items, ie);
  img->depth = 1;
  imgs->depth = 2;
  top->depth = 3;
  weaken(top);
  return top;
}

/* The layers under the estate for a version written at `at`: the stdlib
 * version module's defaults, the patch pins, the user's defaults blocks,
 * merged in that order, in one pass.  The same for every environment
 * whose version is written at the same place, so kept. */
struct base_layers {
  struct val *val;
};

static struct base_layers *base_for(struct compilation *c, struct module *std, const struct val *version,
                                    const char *patch) {
  const char *key = arena_printf(c->arena, "%u:%u:%s", version->at.file, version->at.start, version->s);
  struct base_layers *b = map_get(&c->bases, key, NULL);
  if (b)
    return b;
  struct vec layers = {0};
  struct val *empty = val_new(c->arena, V_OBJ, c->estate->at);
  empty->weak = true;
  vec_push(c->arena, &layers, empty);
  module_defaults(c, std, &layers);
  if (patch) {
    vec_push(c->arena, &layers, pin_tag(c, "orchestration", version->s, version->at));
    vec_push(c->arena, &layers, pin_tag(c, "optimize", version->s, version->at));
  }
  for (size_t i = 0; i < c->defaults.len; i++) {
    struct defaults_decl *d = c->defaults.items[i];
    if (!d->val)
      d->val = defaults_layer(c, d->module, d->block);
    vec_push(c->arena, &layers, d->val);
  }
  b = arena_alloc(c->arena, sizeof *b);
  b->val = val_merge_all(c->arena, (const struct val *const *)layers.items, layers.len);
  map_put(&c->bases, key, NULL, b);
  return b;
}

struct val *resolve_env(struct compilation *c, const struct env_decl *env, int *minor) {
  if (!c->estate) {
    /* at the start of the root file (after a byte order mark) */
    uint32_t start = c->root->file->lines[0];
    diag_error(&c->diags, "NAM004", c->root->ast->at.file ? (struct span){c->root->file->id, start, start} : (struct span){0},
               "no `estate` block: an estate file needs estate \"name\" { version = \"8.8\" ... }");
    return NULL;
  }
  unsigned errors_before = c->diags.errors;
  if (!c->estate_val) {
    c->estate_val = eval_body(c, c->estate_module, c->estate);
    c->estate_failed = c->diags.errors > errors_before;
  }
  struct val *merged = c->estate_val;
  if (env) {
    struct env_decl *e = (struct env_decl *)env;
    if (!e->val)
      e->val = eval_body(c, e->module, e->block);
    merged = val_merge(c->arena, merged, e->val);
  }
  struct entry *ve = val_find(merged, "version", NULL);
  if (!ve && (c->diags.errors > errors_before || c->estate_failed))
    return NULL;  /* the version's own expression failed, and said why */
  if (!ve) {
    struct diag *g = diag_error(&c->diags, "TYP007", c->estate->name_at, "the estate has no version");
    diag_help(&c->diags, g, "add version = \"8.8\" (or \"8.9\") to the estate");
    return NULL;
  }
  const char *patch = NULL;
  if (ve->v->kind == V_NUM) {
    struct diag *g = diag_error(&c->diags, "TYP007", ve->v->at, "the version must be a string");
    diag_help(&c->diags, g, "write version = \"%s\"", ve->v->s);
    return NULL;
  }
  if ((ve->v->kind != V_STR && ve->v->kind != V_TEXT) || !parse_version(ve->v->s, minor, &patch) ||
      (*minor != 8 && *minor != 9)) {
    struct diag *g = diag_error(&c->diags, "TYP007", ve->v->at, "unsupported Camunda version%s%s%s",
                                ve->v->s ? " \"" : "", ve->v->s ? ve->v->s : "", ve->v->s ? "\"" : "");
    diag_help(&c->diags, g, "camarch supports \"8.8\" and \"8.9\", optionally with a patch level (\"8.8.3\")");
    return NULL;
  }
  /* the stdlib's version module: the lowest layer */
  const char *path = arena_printf(c->arena, "std/camunda/8.%d", *minor);
  const char *why;
  struct module *std = load_stdlib(c, path, ve->v->at, &why);
  if (!std && why) {
    diag_error(&c->diags, "IMP006", ve->v->at, "cannot read the standard library's %s: %s", path, why);
    return NULL;
  }
  if (!std) {
    struct diag *g = diag_error(&c->diags, "IMP001", ve->v->at, "the standard library has no %s", path);
    diag_note(&c->diags, g, (struct span){0}, "looked in %s (set CAMARCH_STDLIB to override)", c->stdlib_dir);
    return NULL;
  }
  struct base_layers *base = base_for(c, std, ve->v, patch);
  return val_merge(c->arena, base->val, merged);
}

void resolve_check_sets(struct compilation *c) {
  for (size_t i = 0; i < c->sets.len; i++) {
    struct param_set *ps = c->sets.items[i];
    if (ps->used)
      continue;
    if (map_get(&c->param_names, ps->name, NULL))
      continue;
    struct diag *g = diag_error(&c->diags, "PAR002", (struct span){0}, "--set %s: no param(\"%s\") in the estate",
                                ps->name, ps->name);
    const char *s = spend(c, c->params.len)
                        ? suggest(ps->name, (const char *const *)c->params.items, c->params.len)
                        : NULL;
    if (s)
      diag_help(&c->diags, g, "did you mean %s?", s);
  }
}

void resolve_check_lets(struct compilation *c) {
  for (size_t i = 0; i < c->modules.len; i++) {
    struct module *m = c->modules.items[i];
    if (m->is_stdlib)
      continue;
    for (size_t j = 0; j < m->lets.len; j++)
      eval_let(c, m->lets.items[j], ((struct let_binding *)m->lets.items[j])->decl->name_at);
  }
}
