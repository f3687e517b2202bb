/* resolve.c - imports, lets, params, interpolation and environment overlays.
 *
 * Loading reads the root file and, depth first, every file it imports
 * (relative paths confined to the root's directory tree; std/... from the
 * standard library), parsing each once.  Evaluation turns AST expressions
 * into vals: lets are evaluated on first use (a let that reaches itself is
 * a cycle), param() takes its value from --set or its default, secret()
 * becomes a reference that is never resolved to a value.
 *
 * An environment sees, merged in this order: the `defaults` of the stdlib
 * module std/camunda/<minor> for the estate's version, the `defaults` blocks
 * of the user's own files, the estate, and the environment block itself.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "parse.h"
#include "suggest.h"

void compilation_init(struct compilation *c, const char *stdlib_dir) {
  memset(c, 0, sizeof *c);
  c->arena = arena_new();
  sources_init(&c->sources, c->arena);
  diags_init(&c->diags, c->arena);
  c->stdlib_dir = stdlib_dir;
}

void compilation_free(struct compilation *c) { arena_free(c->arena); }

/* --- loading ------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_append(&b, chunk, n);
  bool err = ferror(f);
  fclose(f);
  if (err) {
    buf_free(&b);
    return NULL;
  }
  if (!b.data)
    buf_append(&b, "", 0);
  *len = b.len;
  return b.data;
}

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

static struct module *find_loaded(struct compilation *c, const char *realpath) {
  for (size_t i = 0; i < c->modules.len; i++) {
    struct module *m = c->modules.items[i];
    if (m->file->realpath && strcmp(m->file->realpath, realpath) == 0)
      return m;
  }
  return NULL;
}

static void collect(struct compilation *c, struct module *m);

static struct module *load_text(struct compilation *c, const char *path, const char *realpath,
                                const char *text, size_t len, bool is_stdlib, struct span import_at) {
  struct module *m = arena_alloc(c->arena, sizeof *m);
  m->import_at = import_at;
  m->file = sources_add(&c->sources, path, realpath, text, len);
  m->dir = dir_of(c->arena, realpath ? realpath : path);
  m->is_stdlib = is_stdlib;
  vec_push(c->arena, &c->modules, m);
  m->ast = parse_file(m->file, c->arena, &c->diags);
  m->loading = true;
  collect(c, m);
  m->loading = false;
  return m;
}

/* Resolves an import path to a canonical file path; NULL if none exists. */
static char *locate(struct compilation *c, const struct module *from, const char *path, bool *is_stdlib) {
  char *candidates[2];
  *is_stdlib = strncmp(path, "std/", 4) == 0;
  const char *base = *is_stdlib ? c->stdlib_dir : from->dir;
  if (!*is_stdlib && !(strncmp(path, "./", 2) == 0 || strncmp(path, "../", 3) == 0))
    return NULL;
  candidates[0] = arena_printf(c->arena, "%s/%s", base, path);
  candidates[1] = arena_printf(c->arena, "%s/%s.camarch", base, path);
  for (int i = 0; i < 2; i++) {
    char resolved[PATH_MAX];
    if (realpath(candidates[i], resolved)) {
      FILE *f = fopen(resolved, "rb");
      if (f) {
        fclose(f);
        return arena_strdup(c->arena, resolved);
      }
    }
  }
  return NULL;
}

static bool inside(const char *dir, const char *path) {
  size_t n = strlen(dir);
  if (strcmp(dir, "/") == 0)
    return true;
  return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* "std/camunda/8.8, std/camunda/8.9, std/sizing": the modules a std/
 * import can name, for a note on a missing one. */
static void list_modules(struct compilation *c, const char *dir, const char *prefix, struct vec *out) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.')
      continue;
    const char *path = arena_printf(c->arena, "%s/%s", dir, e->d_name);
    const char *name = arena_printf(c->arena, "%s%s", prefix, e->d_name);
    size_t n = strlen(name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
      list_modules(c, path, arena_printf(c->arena, "%s/", name), out);
    else if (n > 8 && strcmp(name + n - 8, ".camarch") == 0)
      vec_push(c->arena, out, arena_strndup(c->arena, name, n - 8));
  }
  closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *stdlib_modules(struct compilation *c) {
  struct vec mods = {0};
  list_modules(c, arena_printf(c->arena, "%s/std", c->stdlib_dir), "std/", &mods);
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

static void load_import(struct compilation *c, struct module *m, struct ast *imp) {
  const char *path = imp->text;
  struct span at = imp->value ? imp->value->at : imp->at;
  if (!path) {
    diag_error(&c->diags, "IMP001", at, "an import path cannot use ${...} interpolation");
    return;
  }
  bool is_stdlib;
  char *real = locate(c, m, path, &is_stdlib);
  if (!real) {
    struct diag *g = diag_error(&c->diags, "IMP001", at, "cannot find import \"%s\"", path);
    if (!is_stdlib && strncmp(path, "./", 2) != 0 && strncmp(path, "../", 3) != 0)
      diag_help(&c->diags, g, "relative imports start with ./ or ../; library modules with std/");
    else if (is_stdlib)
      diag_note(&c->diags, g, (struct span){0}, "the standard library has %s", stdlib_modules(c));
    return;
  }
  if (!is_stdlib && !m->is_stdlib && !inside(c->root_dir, real)) {
    struct diag *g = diag_error(&c->diags, "IMP003", at, "import \"%s\" leaves the estate's directory", path);
    diag_note(&c->diags, g, (struct span){0}, "imports must stay in the directory of %s or below it",
              c->root_path);
    return;
  }
  const char *alias = imp->label ? imp->label : default_alias(c->arena, path);
  struct import_binding *b = arena_alloc(c->arena, sizeof *b);
  b->alias = alias;
  b->at = imp->label ? imp->label_at : at;
  for (size_t i = 0; alias && i < m->imports.len; i++) {
    struct import_binding *o = m->imports.items[i];
    if (o->alias && strcmp(o->alias, alias) == 0) {
      struct diag *g = diag_error(&c->diags, "IMP004", at, "a second import binds the name `%s`", alias);
      diag_note(&c->diags, g, o->at, "first bound here");
      diag_help(&c->diags, g, "rename one with: import \"%s\" as other_name", path);
      return;
    }
  }
  struct module *target = find_loaded(c, real);
  if (target && target->loading) {
    struct diag *g = diag_error(&c->diags, "IMP002", at, "import cycle: \"%s\" imports itself through this import", path);
    if (span_known(target->import_at))
      diag_note(&c->diags, g, target->import_at, "the cycle starts here");
    else
      diag_note(&c->diags, g, (struct span){0}, "the cycle leads back to the root file, %s", target->file->path);
    return;
  }
  if (!target) {
    size_t len;
    char *text = read_file(real, &len);
    if (!text) {
      diag_error(&c->diags, "IMP001", at, "cannot read import \"%s\": %s", path, strerror(errno));
      return;
    }
    const char *shown = is_stdlib ? arena_printf(c->arena, "<stdlib>/%s", path + 4)
                                  : display_join(c->arena, dir_of(c->arena, m->file->path), path);
    target = load_text(c, shown, real, text, len, is_stdlib || m->is_stdlib, at);
    free(text);
  }
  b->module = target;
  vec_push(c->arena, &m->imports, b);
}

static struct let_binding *find_let(const struct module *m, const char *name) {
  for (size_t i = 0; i < m->lets.len; i++) {
    struct let_binding *l = m->lets.items[i];
    if (strcmp(l->name, name) == 0)
      return l;
  }
  return NULL;
}

/* Walks a module's top level: imports (loaded now, depth first), lets,
 * and the estate, environment and defaults blocks. */
static void collect(struct compilation *c, struct module *m) {
  for (size_t i = 0; i < m->ast->items.len; i++) {
    struct ast *it = m->ast->items.items[i];
    switch (it->kind) {
    case AST_IMPORT:
      load_import(c, m, it);
      break;
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
      } else if (strcmp(it->name, "defaults") == 0) {
        if (!m->is_stdlib)
          vec_push(c->arena, &c->defaults, it);
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
}

static struct val *eval_body(struct compilation *c, struct module *m, struct ast *body);

/* A module of the standard library that camarch loads by itself ("std/
 * profiles", "std/camunda/8.8"), once; NULL if it is not there. */
static struct module *load_stdlib(struct compilation *c, const char *path, struct span why) {
  struct module fake = {.dir = c->stdlib_dir, .is_stdlib = true};
  bool is_std;
  char *real = locate(c, &fake, path, &is_std);
  if (!real)
    return NULL;
  struct module *m = find_loaded(c, real);
  if (m)
    return m;
  size_t len;
  char *text = read_file(real, &len);
  if (!text)
    return NULL;
  m = load_text(c, arena_printf(c->arena, "<stdlib>/%s", path + 4), real, text, len, true, why);
  free(text);
  return m;
}

/* The profiles the standard library declares (std/profiles) are there for
 * every estate, imported or not. */
static void load_std_profiles(struct compilation *c) { load_stdlib(c, "std/profiles", (struct span){0}); }

struct val *resolve_block(struct compilation *c, struct module *m, struct ast *block) {
  return eval_body(c, m, block);
}

bool resolve_load(struct compilation *c, const char *root_path) {
  size_t len;
  char *text = read_file(root_path, &len);
  if (!text)
    return false;
  char resolved[PATH_MAX];
  const char *real = realpath(root_path, resolved) ? resolved : NULL;
  c->root_dir = dir_of(c->arena, real ? real : root_path);
  c->root_path = arena_strdup(c->arena, root_path);
  c->root = load_text(c, root_path, real, text, len, false, (struct span){0});
  free(text);
  load_std_profiles(c);
  return true;
}

void resolve_load_text(struct compilation *c, const char *name, const char *text, size_t len) {
  char cwd[PATH_MAX];
  c->root_dir = arena_strdup(c->arena, getcwd(cwd, sizeof cwd) ? cwd : ".");
  c->root_path = arena_strdup(c->arena, name);
  c->root = load_text(c, name, NULL, text, len, false, (struct span){0});
  load_std_profiles(c);
}

const struct env_decl *find_env(const struct compilation *c, const char *name) {
  for (size_t i = 0; i < c->envs.len; i++) {
    const struct env_decl *e = c->envs.items[i];
    if (strcmp(e->name, name) == 0)
      return e;
  }
  return NULL;
}

/* --- evaluation ---------------------------------------------------------- */

static struct val *eval(struct compilation *c, struct module *m, struct ast *e);

static struct val *eval_let(struct compilation *c, struct let_binding *l, struct span use) {
  if (l->state == 2)
    return l->val;
  if (l->state == 1) {
    struct diag *g = diag_error(&c->diags, "NAM003", use, "`%s` refers to itself", l->name);
    diag_note(&c->diags, g, l->decl->name_at, "`%s` is defined here", l->name);
    l->state = 2;
    return NULL;
  }
  l->state = 1;
  unsigned before = c->diags.errors;
  struct val *v = eval(c, l->module, l->decl->value);
  if (l->state == 1)
    l->val = v;
  l->failed = c->diags.errors > before;
  l->state = 2;
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

/* The closest name in scope: a let or import of this module, or a let
 * of an imported module written in full (common.domain). */
static const char *closest_name(struct compilation *c, struct module *m, const char *name) {
  for (size_t i = 0; i < m->imports.len; i++) {
    struct import_binding *b = m->imports.items[i];
    if (b->alias && b->module && find_let(b->module, name))
      return arena_printf(c->arena, "%s.%s", b->alias, name);
  }
  struct vec names = {0};
  for (size_t i = 0; i < m->lets.len; i++)
    vec_push(c->arena, &names, (void *)((struct let_binding *)m->lets.items[i])->name);
  for (size_t i = 0; i < m->imports.len; i++)
    vec_push(c->arena, &names, (void *)((struct import_binding *)m->imports.items[i])->alias);
  return suggest(name, (const char *const *)names.items, names.len);
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
    struct import_binding *imp = NULL;
    for (size_t i = 0; i < m->imports.len; i++) {
      struct import_binding *b = m->imports.items[i];
      if (b->alias && strcmp(b->alias, first) == 0)
        imp = b;
    }
    if (!imp) {
      if (ref->segs.len == 1) {
        v = val_new(c->arena, V_SYM, ref->at);
        v->s = first;
        v->bare = true;
        v->hint = closest_name(c, m, first);
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
      struct vec names = {0};
      for (size_t i = 0; i < imp->module->lets.len; i++)
        vec_push(c->arena, &names, (void *)((struct let_binding *)imp->module->lets.items[i])->name);
      struct diag *g = diag_error(&c->diags, "NAM001", ref->at, "module `%s` has no `%s`", first, name);
      const char *s = suggest(name, (const char *const *)names.items, names.len);
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
  for (size_t i = 0; i < c->params.len; i++)
    if (strcmp(c->params.items[i], name) == 0)
      return;
  vec_push(c->arena, &c->params, (void *)name);
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
      v->key = kv->s;
    }
    return v;
  }
  declare_param(c, nv->s);
  for (size_t i = 0; i < c->sets.len; i++) {
    struct param_set *ps = c->sets.items[i];
    if (strcmp(ps->name, nv->s) == 0) {
      ps->used = true;
      struct val *v = val_new(c->arena, V_TEXT, call->at);
      v->s = ps->value;
      v->param = nv->s;
      return v;
    }
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

/* A body: attributes and nested blocks, in source order. */
static struct val *eval_body(struct compilation *c, struct module *m, struct ast *body) {
  struct val *obj = val_new(c->arena, V_OBJ, body->at);
  bool ok = true;
  for (size_t i = 0; i < body->items.len; i++) {
    struct ast *it = body->items.items[i];
    if (!it->name) {
      diag_error(&c->diags, "SYN005", it->name_at, "an attribute name cannot use ${...} interpolation");
      ok = false;
      continue;
    }
    if (it->kind == AST_BLOCK && it->value && !it->label) {
      diag_error(&c->diags, "SYN005", it->label_at, "a block label cannot use ${...} interpolation");
      ok = false;
      continue;
    }
    struct entry *old = val_find(obj, it->name, it->kind == AST_BLOCK ? it->label : NULL);
    if (old) {
      struct diag *g = diag_error(&c->diags, "TYP005", it->name_at, "`%s%s%s%s` is given twice in this block",
                                  it->name, it->label ? " \"" : "", it->label ? it->label : "", it->label ? "\"" : "");
      diag_note(&c->diags, g, old->name_at, "first given here");
      ok = false;
      continue;
    }
    struct entry *e = arena_alloc(c->arena, sizeof *e);
    e->name = it->name;
    e->name_at = it->name_at;
    if (it->kind == AST_BLOCK) {
      e->label = it->label;
      e->is_block = true;
      if (c->depth >= EVAL_MAX_DEPTH) {
        diag_error(&c->diags, "NAM003", it->at, "blocks nested deeper than %d levels", EVAL_MAX_DEPTH);
        continue;
      }
      c->depth++;
      e->v = eval_body(c, m, it);
      c->depth--;
    } else {
      e->v = eval(c, m, it->value);
    }
    if (!e->v) {
      ok = false;
      continue;
    }
    vec_push(c->arena, &obj->items, e);
  }
  (void)ok;  /* errors are in c->diags; keep what evaluated for more checks */
  return obj;
}

static struct val *eval_node(struct compilation *c, struct module *m, struct ast *e);

/* Every evaluation passes here: lets that name lets, objects in objects.
 * Past EVAL_MAX_DEPTH the estate is refused instead of the stack. */
static struct val *eval(struct compilation *c, struct module *m, struct ast *e) {
  if (!e)
    return NULL;
  if (c->depth >= EVAL_MAX_DEPTH) {
    diag_error(&c->diags, "NAM003", e->at, "nesting deeper than %d levels (lets that name lets, or objects in objects)",
               EVAL_MAX_DEPTH);
    return NULL;
  }
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
    for (size_t i = 0; i < e->items.len; i++) {
      struct val *item = eval(c, m, e->items.items[i]);
      if (!item)
        return NULL;
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
  if (v->kind != V_OBJ)
    return;
  v->weak = true;
  for (size_t i = 0; i < v->items.len; i++)
    weaken(((struct entry *)v->items.items[i])->v);
}

static struct val *defaults_layer(struct compilation *c, struct module *m, struct ast *block) {
  struct val *v = eval_body(c, m, block);
  weaken(v);
  return v;
}

static struct val *eval_defaults(struct compilation *c, struct module *m, struct val *acc) {
  for (size_t i = 0; i < m->ast->items.len; i++) {
    struct ast *it = m->ast->items.items[i];
    if (it->kind == AST_BLOCK && strcmp(it->name, "defaults") == 0)
      acc = val_merge(c->arena, acc, defaults_layer(c, m, it));
  }
  return acc;
}

/* Sets images.<component>.tag in a defaults layer, for a patch version. */
static struct val *pin_tag(struct compilation *c, struct val *layer, const char *component, const char *tag,
                           struct span at) {
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
  weaken(top);
  return val_merge(c->arena, layer, top);
}

struct val *resolve_env(struct compilation *c, const struct env_decl *env, int *minor, uint32_t *version_file) {
  if (!c->estate) {
    diag_error(&c->diags, "NAM004", c->root->ast->at.file ? (struct span){c->root->file->id, 0, 0} : (struct span){0},
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
  struct module *std = load_stdlib(c, path, ve->v->at);
  struct val *base = val_new(c->arena, V_OBJ, c->estate->at);
  base->weak = true;
  if (!std) {
    struct diag *g = diag_error(&c->diags, "IMP001", ve->v->at, "the standard library has no %s", path);
    diag_note(&c->diags, g, (struct span){0}, "looked in %s (set CAMARCH_STDLIB to override)", c->stdlib_dir);
    return NULL;
  }
  *version_file = std->file->id;
  base = eval_defaults(c, std, base);
  if (patch) {
    base = pin_tag(c, base, "orchestration", ve->v->s, ve->v->at);
    base = pin_tag(c, base, "optimize", ve->v->s, ve->v->at);
  }
  for (size_t i = 0; i < c->defaults.len; i++) {
    struct ast *d = c->defaults.items[i];
    struct module *dm = NULL;
    for (size_t j = 0; j < c->modules.len && !dm; j++) {
      struct module *m = c->modules.items[j];
      if (m->file->id == d->at.file)
        dm = m;
    }
    base = val_merge(c->arena, base, defaults_layer(c, dm, d));
  }
  return val_merge(c->arena, base, merged);
}

void resolve_check_sets(struct compilation *c) {
  for (size_t i = 0; i < c->sets.len; i++) {
    struct param_set *ps = c->sets.items[i];
    if (ps->used)
      continue;
    bool declared = false;
    for (size_t j = 0; j < c->params.len && !declared; j++)
      declared = strcmp(c->params.items[j], ps->name) == 0;
    if (declared)
      continue;
    struct diag *g = diag_error(&c->diags, "PAR002", (struct span){0}, "--set %s: no param(\"%s\") in the estate",
                                ps->name, ps->name);
    const char *s = suggest(ps->name, (const char *const *)c->params.items, c->params.len);
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
