/* main.c - the camarch command line.
 *
 *   camarch check FILE [--env NAME]... [--set K=V]...
 *   camarch ir FILE --env NAME [--set K=V]...
 *   camarch build FILE [--env NAME]... [-o DIR] [--set K=V]... [--force]
 *   camarch explain ID | --list
 *
 * Exit status: 0 clean (warnings allowed), 1 errors in the input, 2 usage
 * or I/O errors.  Diagnostics go to stderr, as text or (--diagnostics=json)
 * as one JSON document.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "driver.h"
#include "ir.h"
#include "suggest.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

struct options {
  const char *command, *file, *out_dir, *dump;
  struct vec envs;       /* const char * */
  bool json, werror, force;
};

static void usage(FILE *out) {
  fprintf(out,
          "usage: camarch COMMAND FILE [options]\n"
          "\n"
          "Compiles a Camunda 8 estate (.camarch) into the artefacts that deploy it.\n"
          "\n"
          "commands:\n"
          "  check FILE            check every environment (or those named with --env)\n"
          "  ir FILE --env NAME    print the resolved model of one environment as JSON\n"
          "  build FILE            write each environment's artefacts to DIR/<env>/\n"
          "  explain ID            explain a diagnostic id; explain --list lists them all\n"
          "\n"
          "options:\n"
          "  --env NAME            only this environment (repeatable)\n"
          "  -o, --output DIR      output directory for build (default: out)\n"
          "  --set NAME=VALUE      give a value to param(\"NAME\") (repeatable)\n"
          "  --diagnostics=FORMAT  text (default) or json, on stderr\n"
          "  --werror              treat warnings as errors\n"
          "  --force               overwrite files camarch did not write\n"
          "  --dump=ast            print the syntax tree of FILE and stop\n"
          "  -h, --help            show this help\n"
          "  --version             show the version\n"
          "\n"
          "targets:\n");
  for (size_t i = 0; backends[i]; i++)
    fprintf(out, "  %-10s %s\n  %-10s writes %s\n", backends[i]->name, backends[i]->summary, "",
            backends[i]->files);
  fprintf(out, "\nexit status: 0 success (warnings allowed), 1 errors in the input, 2 usage or I/O error\n");
}

/* The standard library: $CAMARCH_STDLIB, else beside an installed binary
 * (../share/camarch/stdlib), else the source tree it was built from. */
static const char *stdlib_dir(struct arena *a) {
  const char *env = getenv("CAMARCH_STDLIB");
  if (env && *env)
    return env;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      const char *installed = arena_printf(a, "%s/../share/camarch/stdlib", exe);
      struct stat st;
      if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return installed;
    }
  }
  return CAMARCH_STDLIB_SOURCE_DIR;
}

static int finish(struct compilation *c, const struct options *o) {
  if (o->werror && c->diags.warnings) {
    for (size_t i = 0; i < c->diags.list.len; i++) {
      struct diag *g = c->diags.list.items[i];
      if (g->severity == SEV_WARNING) {
        g->severity = SEV_ERROR;
        c->diags.errors++;
      }
    }
  }
  diags_sort(&c->diags);
  if (o->json) {
    char *s = diags_render_json(&c->diags, &c->sources);
    fprintf(stderr, "%s\n", s);
    free(s);
  } else {
    diags_render_text(&c->diags, &c->sources, stderr);
    if (c->diags.errors)
      fprintf(stderr, "camarch: %u error%s, %u warning%s\n", c->diags.errors, c->diags.errors == 1 ? "" : "s",
              c->diags.warnings, c->diags.warnings == 1 ? "" : "s");
  }
  return c->diags.errors ? EXIT_INPUT : EXIT_OK;
}

static int explain(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "camarch: explain needs an id, or --list\n");
    return EXIT_USAGE;
  }
  if (strcmp(argv[2], "--list") == 0) {
    for (size_t i = 0; i < diag_ninfos; i++)
      printf("%s error %s\n", diag_infos[i].id, diag_infos[i].title);
    return EXIT_OK;
  }
  const struct diag_info *d = diag_info_find(argv[2]);
  if (!d) {
    const char *ids[256];
    size_t n = 0;
    for (size_t i = 0; i < diag_ninfos && n < 256; i++)
      ids[n++] = diag_infos[i].id;
    const char *s = suggest(argv[2], ids, n);
    fprintf(stderr, "camarch: no diagnostic %s%s%s%s\n", argv[2], s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
    return EXIT_USAGE;
  }
  printf("%s: %s\n\n%s\n", d->id, d->title, d->explanation);
  return EXIT_OK;
}

/* Parses NAME=VALUE for --set. */
static bool add_set(struct compilation *c, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) {
    fprintf(stderr, "camarch: --set takes NAME=VALUE, not '%s'\n", arg);
    return false;
  }
  for (const unsigned char *p = (const unsigned char *)eq + 1; *p; p++)
    if (*p < 0x20 || *p == 0x7f) {
      fprintf(stderr, "camarch: --set %.*s: the value has a control character\n", (int)(eq - arg), arg);
      return false;
    }
  struct param_set *ps = arena_alloc(c->arena, sizeof *ps);
  ps->name = arena_strndup(c->arena, arg, (size_t)(eq - arg));
  ps->value = arena_strdup(c->arena, eq + 1);
  for (size_t i = 0; i < c->sets.len; i++)
    if (strcmp(((struct param_set *)c->sets.items[i])->name, ps->name) == 0) {
      fprintf(stderr, "camarch: --set %s given twice\n", ps->name);
      return false;
    }
  vec_push(c->arena, &c->sets, ps);
  return true;
}

static bool parse_args(struct compilation *c, int argc, char **argv, struct options *o) {
  o->command = argv[1];
  o->out_dir = "out";
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--env") == 0 || strcmp(a, "-e") == 0) {
      if (!next)
        goto missing;
      vec_push(c->arena, &o->envs, (void *)next);
      i++;
    } else if (strncmp(a, "--env=", 6) == 0) {
      vec_push(c->arena, &o->envs, (void *)(a + 6));
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (!next)
        goto missing;
      o->out_dir = next;
      i++;
    } else if (strncmp(a, "--output=", 9) == 0) {
      o->out_dir = a + 9;
    } else if (strcmp(a, "--set") == 0) {
      if (!next)
        goto missing;
      if (!add_set(c, next))
        return false;
      i++;
    } else if (strncmp(a, "--set=", 6) == 0) {
      if (!add_set(c, a + 6))
        return false;
    } else if (strcmp(a, "--diagnostics=json") == 0) {
      o->json = true;
    } else if (strcmp(a, "--diagnostics=text") == 0) {
      o->json = false;
    } else if (strcmp(a, "--werror") == 0) {
      o->werror = true;
    } else if (strcmp(a, "--force") == 0) {
      o->force = true;
    } else if (strcmp(a, "--dump=ast") == 0) {
      o->dump = "ast";
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "camarch: unknown option '%s' (see camarch --help)\n", a);
      return false;
    } else if (!o->file) {
      o->file = a;
    } else {
      fprintf(stderr, "camarch: one estate file at a time ('%s' and '%s')\n", o->file, a);
      return false;
    }
    continue;
  missing:
    fprintf(stderr, "camarch: %s needs a value\n", a);
    return false;
  }
  if (!o->file) {
    fprintf(stderr, "camarch: %s needs an estate file (see camarch --help)\n", o->command);
    return false;
  }
  return true;
}

/* The environments to compile: those named with --env, or all of them. */
static bool select_envs(struct compilation *c, const struct options *o, struct vec *out) {
  if (o->envs.len == 0) {
    for (size_t i = 0; i < c->envs.len; i++)
      vec_push(c->arena, out, c->envs.items[i]);
    if (c->envs.len == 0)
      vec_push(c->arena, out, NULL);  /* the estate alone */
    return true;
  }
  bool ok = true;
  for (size_t i = 0; i < o->envs.len; i++) {
    const char *name = o->envs.items[i];
    const struct env_decl *e = find_env(c, name);
    bool seen = false;
    for (size_t j = 0; j < out->len && !seen; j++)
      seen = out->items[j] == e;
    if (e) {
      if (!seen)
        vec_push(c->arena, out, (void *)e);
      continue;
    }
    const char *names[256];
    size_t n = 0;
    for (size_t j = 0; j < c->envs.len && n < 256; j++)
      names[n++] = ((struct env_decl *)c->envs.items[j])->name;
    struct diag *g = diag_error(&c->diags, "NAM005", (struct span){0}, "no environment \"%s\" in %s", name, o->file);
    const char *s = suggest(name, names, n);
    if (s)
      diag_help(&c->diags, g, "did you mean \"%s\"?", s);
    ok = false;
  }
  return ok;
}

static int run(struct compilation *c, const struct options *o) {
  if (!resolve_load(c, o->file)) {
    fprintf(stderr, "camarch: cannot read %s: %s\n", o->file, strerror(errno));
    return EXIT_USAGE;
  }
  if (o->dump) {
    struct buf b = {0};
    ast_dump(c->root->ast, &b);
    fputs(b.data ? b.data : "", stdout);
    buf_free(&b);
    return finish(c, o);
  }
  if (c->diags.errors)
    return finish(c, o);
  struct vec envs = {0};
  if (!select_envs(c, o, &envs))
    return finish(c, o);
  if (strcmp(o->command, "ir") == 0 && envs.len != 1) {
    fprintf(stderr, "camarch: ir prints one environment; name it with --env\n");
    return EXIT_USAGE;
  }
  struct vec models = {0};
  for (size_t i = 0; i < envs.len; i++) {
    struct model *m = compile_env(c, envs.items[i]);
    if (m)
      vec_push(c->arena, &models, m);
  }
  resolve_check_lets(c);
  resolve_check_sets(c);
  if (c->diags.errors || (o->werror && c->diags.warnings))
    return finish(c, o);
  if (strcmp(o->command, "ir") == 0) {
    char *s = ir_to_json(c->arena, models.items[0]);
    printf("%s\n", s);
    free(s);
    return finish(c, o);
  }
  /* check and build both emit, in memory; only build commits */
  struct outputs out;
  outputs_init(&out, c->arena);
  for (size_t i = 0; i < models.len; i++) {
    const struct model *m = models.items[i];
    struct emit_ctx ctx = {c->arena, &out, arena_printf(c->arena, "%s/%s", o->out_dir, m->env), &c->diags};
    backend_for(m->e.target.v)->emit(m, &ctx);
  }
  int rc = finish(c, o);
  if (rc != EXIT_OK || strcmp(o->command, "build") != 0) {
    outputs_free(&out);
    return rc;
  }
  struct commit_report rep;
  char *err;
  bool ok = outputs_commit(&out, o->force, &rep, &err);
  outputs_free(&out);
  if (!ok) {
    fprintf(stderr, "camarch: error[OUT001]: %s; nothing was changed\n", err);
    free(err);
    return EXIT_USAGE;
  }
  for (size_t i = 0; i < models.len; i++) {
    const struct model *m = models.items[i];
    fprintf(stderr, "camarch: %s -> %s/%s (%s)\n", m->env, o->out_dir, m->env, model_enum_name(m->e.target.v));
  }
  fprintf(stderr, "camarch: %u file%s written, %u unchanged, %u removed\n", rep.written, rep.written == 1 ? "" : "s",
          rep.unchanged, rep.removed);
  return EXIT_OK;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("camarch %s\n", CAMARCH_VERSION);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "explain") == 0)
    return explain(argc, argv);
  if (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "ir") != 0 && strcmp(argv[1], "build") != 0) {
    static const char *const cmds[] = {"check", "ir", "build", "explain"};
    const char *s = suggest(argv[1], cmds, 4);
    fprintf(stderr, "camarch: unknown command '%s'%s%s%s (see camarch --help)\n", argv[1], s ? "; did you mean '" : "",
            s ? s : "", s ? "'?" : "");
    return EXIT_USAGE;
  }
  struct compilation c;
  struct arena *tmp = arena_new();
  compilation_init(&c, stdlib_dir(tmp));
  struct options o = {0};
  int rc = parse_args(&c, argc, argv, &o) ? run(&c, &o) : EXIT_USAGE;
  compilation_free(&c);
  arena_free(tmp);
  return rc;
}
