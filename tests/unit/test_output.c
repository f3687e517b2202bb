/* test_output.c - committing an output set to disk (output.h): manifests,
 * refusing foreign files, removing stale ones, confinement below the root
 * (names, links, FIFOs), reading an earlier build's file, the lock, and
 * all-or-nothing writes proven by a fault at every system call of the
 * commit, a second fault while undoing, and a kill at every call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "output.h"

struct ox {
  struct arena *a;
  char dir[PATH_MAX];  /* the test's directory: out/ (the root) and outside/ */
  const char *root;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)flag;
  (void)ftw;
  if (S_ISDIR(st->st_mode))
    chmod(path, 0755);
  return remove(path);
}

static int chmod_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)flag;
  (void)ftw;
  if (S_ISDIR(st->st_mode))
    chmod(path, 0755);
  return 0;
}

static void rm_tree(const char *p) {
  nftw(p, chmod_entry, 16, FTW_PHYS);
  nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state) {
  struct ox *x = calloc(1, sizeof *x);
  if (!x)
    return -1;
  umask(022);
  /* tmpfs where there is one: the fault tests commit thousands of times */
  snprintf(x->dir, sizeof x->dir, "%s/camarch-test-output-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  if (!mkdtemp(x->dir)) {
    free(x);
    return -1;
  }
  x->a = arena_new();
  x->root = arena_printf(x->a, "%s/out", x->dir);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  struct ox *x = *state;
  outputs_clear_faults();
  rm_tree(x->dir);
  arena_free(x->a);
  free(x);
  return 0;
}

/* A path below the test's directory. */
static const char *path(struct ox *x, const char *rel) { return arena_printf(x->a, "%s/%s", x->dir, rel); }

static void set_init(struct ox *x, struct outputs *o) {
  outputs_init(o, x->a);
  o->root = x->root;
}

static void add(struct outputs *o, const char *dir, const char *name, const char *text, unsigned mode) {
  struct buf b = {0};
  buf_puts(&b, text);
  outputs_add(o, dir, name, &b, mode);
  assert_null(b.data);
}

/* The contents of a file, in the arena; NULL if it cannot be read. */
static const char *slurp(struct ox *x, const char *p) {
  FILE *f = fopen(p, "rb");
  if (!f)
    return NULL;
  struct buf b = {0};
  buf_puts(&b, "");
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_append(&b, chunk, n);
  fclose(f);
  const char *s = arena_strndup(x->a, b.data, b.len);
  buf_free(&b);
  return s;
}

static void spit(const char *p, const char *text) {
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static bool exists(const char *p) {
  struct stat st;
  return lstat(p, &st) == 0;
}

static unsigned mode_of(const char *p) {
  struct stat st;
  assert_int_equal(lstat(p, &st), 0);
  return st.st_mode & 07777;
}

static void mkdirs(struct ox *x, const char *rel) {
  char *p = arena_strdup(x->a, path(x, rel));
  for (char *s = p + strlen(x->dir) + 1;; s++)
    if (*s == '/' || !*s) {
      char c = *s;
      *s = '\0';
      mkdir(p, 0755);
      *s = c;
      if (!c)
        break;
    }
}

/* --- the whole test directory as text: type, mode, path, content ---------------------------- */

static struct buf snap;
static size_t snap_base;
static struct vec snap_lines;
static struct arena *snap_arena;

static int snap_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)flag;
  (void)ftw;
  const char *rel = p[snap_base] ? p + snap_base + 1 : ".";
  char line[8192];
  if (S_ISDIR(st->st_mode)) {
    snprintf(line, sizeof line, "d %04o %s", (unsigned)(st->st_mode & 07777), rel);
  } else if (S_ISLNK(st->st_mode)) {
    char target[PATH_MAX] = {0};
    ssize_t n = readlink(p, target, sizeof target - 1);
    (void)n;
    snprintf(line, sizeof line, "l %s -> %s", rel, target);
  } else if (S_ISREG(st->st_mode)) {
    char body[4096] = {0};
    FILE *f = fopen(p, "rb");
    size_t n = f ? fread(body, 1, sizeof body - 1, f) : 0;
    if (f)
      fclose(f);
    body[n] = '\0';
    for (char *c = body; *c; c++)
      if (*c == '\n')
        *c = '|';
    snprintf(line, sizeof line, "f %04o %s [%s]", (unsigned)(st->st_mode & 07777), rel, body);
  } else {
    snprintf(line, sizeof line, "? %s", rel);
  }
  vec_push(snap_arena, &snap_lines, arena_strdup(snap_arena, line));
  return 0;
}

static int cmp_line(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Every entry below the test's directory, sorted, one per line. */
static const char *snapshot(struct ox *x) {
  snap_lines = (struct vec){0};
  snap_arena = x->a;
  snap_base = strlen(x->dir);
  nftw(x->dir, snap_entry, 16, FTW_PHYS);
  if (snap_lines.len)
    qsort(snap_lines.items, snap_lines.len, sizeof *snap_lines.items, cmp_line);
  snap = (struct buf){0};
  buf_puts(&snap, "");
  for (size_t i = 0; i < snap_lines.len; i++)
    buf_printf(&snap, "%s\n", (const char *)snap_lines.items[i]);
  const char *s = arena_strdup(x->a, snap.data);
  buf_free(&snap);
  return s;
}

/* Prints the lines only one of two snapshots has (cmocka cuts long messages). */
static void print_diff(const char *what, const char *then, const char *now) {
  fprintf(stderr, "%s\n", what);
  for (int pass = 0; pass < 2; pass++) {
    const char *a = pass ? then : now, *b = pass ? now : then;
    for (const char *line = a; *line;) {
      const char *nl = strchr(line, '\n');
      size_t n = (size_t)(nl - line) + 1;
      bool found = false;
      for (const char *q = b; *q && !found;) {
        const char *ql = strchr(q, '\n');
        found = (size_t)(ql - q) + 1 == n && memcmp(q, line, n) == 0;
        q = ql + 1;
      }
      if (!found)
        fprintf(stderr, "  %s %.*s", pass ? "lost:" : "now: ", (int)n, line);
      line = nl + 1;
    }
  }
}

static int tmp_count;
static int count_tmp(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  tmp_count += strstr(p + ftw->base, ".camarch-tmp.") != NULL || strstr(p + ftw->base, ".camarch-old") != NULL;
  return 0;
}

static int temp_files(struct ox *x) {
  tmp_count = 0;
  nftw(x->dir, count_tmp, 16, FTW_PHYS);
  return tmp_count;
}

/* Commits a fresh output set of (name, text) pairs into environment `env`. */
static bool commit_set(struct ox *x, const char *env, const char *const *files, bool force,
                       struct commit_report *rep, char **err) {
  struct outputs o;
  set_init(x, &o);
  outputs_add_dir(&o, env);
  for (size_t i = 0; files[i]; i += 2)
    add(&o, env, files[i], files[i + 1], 0644);
  bool ok = outputs_commit(&o, force, rep, err);
  outputs_free(&o);
  return ok;
}

static void commit_ok(struct ox *x, const char *env, const char *const *files, bool force,
                      struct commit_report *rep) {
  char *err = NULL;
  bool ok = commit_set(x, env, files, force, rep, &err);
  if (!ok) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err ? err : "(no message)");
    free(err);
    fail_msg("commit failed: %s", msg);
  }
  assert_null(err);
}

/* Commits files into env, expecting a refusal whose message holds `needle`
 * and whose id is `id`. */
static void commit_refused(struct ox *x, const char *env, const char *const *files, const char *id,
                           const char *needle) {
  struct commit_report rep;
  char *err = NULL;
  bool ok = commit_set(x, env, files, false, &rep, &err);
  assert_false(ok);
  assert_non_null(err);
  if (!strstr(err, needle) || strcmp(rep.error_id, id) != 0) {
    char msg[1024];
    snprintf(msg, sizeof msg, "[%s] %s (expected [%s] ... %s)", rep.error_id, err, id, needle);
    free(err);
    fail_msg("%s", msg);
  }
  assert_non_null(strstr(err, "nothing was changed"));
  free(err);
}

/* --- what the commit does ------------------------------------------------------------------- */

static void test_commit_writes_files_and_manifest(void **state) {
  struct ox *x = *state;
  struct outputs o;
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "a: 1\n", 0644);
  add(&o, "prod", "ansible/site.yml", "- hosts: all\n", 0644);
  struct commit_report rep = {9, 9, 9, 9, 9, "x"};
  char *err = (char *)"untouched";
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_null(err);
  assert_int_equal(rep.written, 3); /* two files and the manifest */
  assert_int_equal(rep.unchanged, 0);
  assert_int_equal(rep.removed, 0);
  assert_null(rep.error_id);
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "a: 1\n");
  assert_string_equal(slurp(x, path(x, "out/prod/ansible/site.yml")), "- hosts: all\n");
  const char *man = slurp(x, path(x, "out/prod/" OUTPUT_MANIFEST));
  assert_non_null(man);
  assert_int_equal(man[0], '#');
  const char *body = strchr(man, '\n');
  assert_non_null(body);
  assert_string_equal(body + 1, "values.yaml\nansible/site.yml\n");
  assert_int_equal(temp_files(x), 0);
  assert_string_equal(outputs_path(&o, "prod", "values.yaml"), path(x, "out/prod/values.yaml"));
}

static void test_second_commit_with_same_content_is_unchanged(void **state) {
  struct ox *x = *state;
  const char *files[] = {"values.yaml", "a: 1\n", "other.yaml", "b: 2\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  assert_int_equal(rep.written, 3);
  struct stat before, after;
  assert_int_equal(stat(path(x, "out/prod/values.yaml"), &before), 0);
  commit_ok(x, "prod", files, false, &rep);
  assert_int_equal(rep.written, 0);
  assert_int_equal(rep.unchanged, 3);
  assert_int_equal(rep.removed, 0);
  assert_int_equal(stat(path(x, "out/prod/values.yaml"), &after), 0);
  assert_int_equal(before.st_ino, after.st_ino); /* not replaced */
  /* one file changes: only it is written */
  const char *changed[] = {"values.yaml", "a: 2\n", "other.yaml", "b: 2\n", NULL};
  commit_ok(x, "prod", changed, false, &rep);
  assert_int_equal(rep.written, 1);
  assert_int_equal(rep.unchanged, 2);
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "a: 2\n");
  assert_int_equal(temp_files(x), 0);
}

static void test_foreign_file_refused_unless_forced(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out/prod");
  spit(path(x, "out/prod/values.yaml"), "hand written\n");
  const char *files[] = {"new.yaml", "n: 1\n", "values.yaml", "a: 1\n", NULL};
  commit_refused(x, "prod", files, "OUT001", "refusing to overwrite");
  struct commit_report rep;
  char *err = NULL;
  assert_false(commit_set(x, "prod", files, false, &rep, &err));
  assert_non_null(strstr(err, "out/prod/values.yaml"));
  assert_non_null(strstr(err, "--force"));
  free(err);
  /* nothing changed: not even the files that were not in the way */
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "hand written\n");
  assert_false(exists(path(x, "out/prod/new.yaml")));
  assert_false(exists(path(x, "out/prod/" OUTPUT_MANIFEST)));
  assert_int_equal(temp_files(x), 0);
  /* forced */
  commit_ok(x, "prod", files, true, &rep);
  assert_int_equal(rep.written, 3);
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "a: 1\n");
  /* now camarch owns it: no force needed */
  const char *again[] = {"new.yaml", "n: 1\n", "values.yaml", "a: 2\n", NULL};
  commit_ok(x, "prod", again, false, &rep);
  assert_int_equal(rep.written, 1);
}

static void test_dropped_file_is_removed(void **state) {
  struct ox *x = *state;
  const char *two[] = {"a.yaml", "a\n", "sub/b.yaml", "b\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", two, false, &rep);
  spit(path(x, "out/prod/mine.txt"), "keep me\n");
  const char *one[] = {"a.yaml", "a\n", NULL};
  commit_ok(x, "prod", one, false, &rep);
  assert_int_equal(rep.removed, 1);
  assert_int_equal(rep.written, 1);   /* the manifest */
  assert_int_equal(rep.unchanged, 1); /* a.yaml */
  assert_false(exists(path(x, "out/prod/sub/b.yaml")));
  assert_true(exists(path(x, "out/prod/a.yaml")));
  /* a file camarch never wrote is never removed */
  assert_string_equal(slurp(x, path(x, "out/prod/mine.txt")), "keep me\n");
  const char *man = slurp(x, path(x, "out/prod/" OUTPUT_MANIFEST));
  assert_non_null(strstr(man, "\na.yaml\n"));
  assert_null(strstr(man, "b.yaml"));
  /* and a directory that produces nothing any more is emptied */
  struct outputs o;
  set_init(x, &o);
  outputs_add_dir(&o, "prod");
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(rep.removed, 1);
  assert_false(exists(path(x, "out/prod/a.yaml")));
  assert_true(exists(path(x, "out/prod/mine.txt")));
  assert_int_equal(temp_files(x), 0);
}

static void test_manifest_cannot_reach_outside_its_directory(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out/prod/sub");
  mkdirs(x, "outside");
  spit(path(x, "outside/victim"), "precious\n");
  spit(path(x, "out/prod/keep"), "mine\n");
  spit(path(x, "out/prod/sub/keep"), "mine\n");
  /* a line longer than any buffer: its tail must not be read as "keep" */
  struct buf man = {0};
  buf_puts(&man, "# forged\n../outside/victim\nsub/../../../outside/victim\n./keep\nsub//keep\n/etc/passwd\n");
  buf_printf(&man, "%s\n", path(x, "outside/victim"));
  for (int i = 0; i < 5000; i++)
    buf_puts(&man, "x");
  buf_puts(&man, "/keep\n");
  for (int i = 0; i < 8190; i++)
    buf_puts(&man, "y");
  buf_puts(&man, "keep\n\n\r\nsub/keep\r\nwith\x01control\n");
  buf_append(&man, "sub\0/keep\n", 10);
  FILE *f = fopen(path(x, "out/prod/" OUTPUT_MANIFEST), "wb");
  assert_non_null(f);
  fwrite(man.data, 1, man.len, f);
  fclose(f);
  buf_free(&man);
  const char *files[] = {"a.yaml", "a\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  /* only the one valid entry (sub/keep, written with CRLF) was acted on */
  assert_int_equal(rep.removed, 1);
  assert_false(exists(path(x, "out/prod/sub/keep")));
  assert_string_equal(slurp(x, path(x, "outside/victim")), "precious\n");
  assert_string_equal(slurp(x, path(x, "out/prod/keep")), "mine\n");
}

static void test_manifest_fields_after_a_tab_are_ignored(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out/prod");
  spit(path(x, "out/prod/a.yaml"), "old\n");
  spit(path(x, "out/prod/b.yaml"), "old\n");
  spit(path(x, "out/prod/" OUTPUT_MANIFEST), "# a later version\na.yaml\tsha256=00\tx=y\nb.yaml\tsha256=11\n");
  const char *files[] = {"a.yaml", "new\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep); /* a.yaml is camarch's: no --force needed */
  assert_int_equal(rep.removed, 1);
  assert_false(exists(path(x, "out/prod/b.yaml")));
  assert_string_equal(slurp(x, path(x, "out/prod/a.yaml")), "new\n");
}

static void test_file_modes(void **state) {
  struct ox *x = *state;
  struct outputs o;
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "a\n", 0644);
  add(&o, "prod", "secrets.yaml", "s\n", 0600);
  struct commit_report rep;
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(mode_of(path(x, "out/prod/values.yaml")), 0644);
  assert_int_equal(mode_of(path(x, "out/prod/secrets.yaml")), 0600);
  /* an unchanged file gets its mode back, in place */
  struct stat before, after;
  assert_int_equal(chmod(path(x, "out/prod/secrets.yaml"), 0644), 0);
  assert_int_equal(stat(path(x, "out/prod/secrets.yaml"), &before), 0);
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "a\n", 0644);
  add(&o, "prod", "secrets.yaml", "s\n", 0600);
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(rep.unchanged, 3);
  assert_int_equal(stat(path(x, "out/prod/secrets.yaml"), &after), 0);
  assert_int_equal(after.st_mode & 07777, 0600);
  assert_int_equal(before.st_ino, after.st_ino);
  /* the umask applies */
  umask(077);
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "b\n", 0644);
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  umask(022);
  assert_int_equal(mode_of(path(x, "out/prod/values.yaml")), 0600);
}

static void test_unwritable_directory_changes_nothing(void **state) {
  struct ox *x = *state;
  const char *v1[] = {"values.yaml", "v: 1\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", v1, false, &rep);
  const char *out = path(x, "out/prod");
  assert_int_equal(chmod(out, 0555), 0);
  if (access(out, W_OK) == 0) {
    chmod(out, 0755);
    skip(); /* running as root: permissions are not enforced (the fault tests cover this) */
  }
  const char *before = snapshot(x);
  const char *v2[] = {"values.yaml", "v: 2\n", "new.yaml", "n\n", NULL};
  char *err = NULL;
  bool ok = commit_set(x, "prod", v2, false, &rep, &err);
  assert_false(ok);
  assert_non_null(err);
  assert_non_null(strstr(err, "out/prod/values.yaml"));
  free(err);
  assert_string_equal(snapshot(x), before);
  chmod(out, 0755);
}

static void test_failure_midway_changes_nothing(void **state) {
  struct ox *x = *state;
  /* works as root too: the last environment's directory is a regular file */
  const char *v1[] = {"values.yaml", "v: 1\n", NULL};
  struct commit_report rep;
  commit_ok(x, "one", v1, false, &rep);
  spit(path(x, "out/blocker"), "a file, not a directory\n");
  const char *before = snapshot(x);
  struct outputs o;
  set_init(x, &o);
  add(&o, "one", "values.yaml", "v: 2\n", 0644);
  add(&o, "new", "deep/x.yaml", "x\n", 0644);
  add(&o, "blocker", "y.yaml", "y\n", 0644);
  char *err = NULL;
  bool ok = outputs_commit(&o, false, &rep, &err);
  outputs_free(&o);
  assert_false(ok);
  assert_non_null(err);
  assert_non_null(strstr(err, "out/blocker is not a directory"));
  free(err);
  assert_int_equal(rep.written, 0);
  assert_string_equal(snapshot(x), before); /* out/new was never created */
}

static void test_each_directory_has_its_own_manifest(void **state) {
  struct ox *x = *state;
  struct outputs o;
  set_init(x, &o);
  add(&o, "dev", "values.yaml", "dev\n", 0644);
  add(&o, "prod", "values.yaml", "prod\n", 0644);
  add(&o, "prod", "extra.yaml", "e\n", 0644);
  outputs_add_dir(&o, "dev"); /* again: no duplicate */
  assert_int_equal(o.dirs.len, 2);
  assert_int_equal(o.files.len, 3);
  struct commit_report rep;
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(rep.written, 5);
  const char *mdev = slurp(x, path(x, "out/dev/" OUTPUT_MANIFEST));
  const char *mprod = slurp(x, path(x, "out/prod/" OUTPUT_MANIFEST));
  assert_non_null(strstr(mdev, "\nvalues.yaml\n"));
  assert_null(strstr(mdev, "extra.yaml"));
  assert_non_null(strstr(mprod, "\nvalues.yaml\nextra.yaml\n"));
  assert_string_equal(slurp(x, path(x, "out/dev/values.yaml")), "dev\n");
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "prod\n");
}

/* --- confinement: names --------------------------------------------------------------------- */

static void test_environment_names_that_are_not_one_directory(void **state) {
  struct ox *x = *state;
  mkdirs(x, "outside");
  const char *before = snapshot(x);
  const char *const bad[] = {"..", ".", "", "a/b", "../../x/y", "a/.", "/etc", "prod\n", "$(touch x)", "Prod", "-a"};
  const char *files[] = {"values.yaml", "v\n", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    commit_refused(x, bad[i], files, "OUT002", "cannot be a directory of");
    assert_string_equal(snapshot(x), before); /* not even the root was created */
  }
  /* the message shows a control character escaped */
  struct commit_report rep;
  char *err = NULL;
  assert_false(commit_set(x, "prod\n", files, false, &rep, &err));
  assert_non_null(strstr(err, "\"prod\\x0a\""));
  assert_null(strchr(err, '\n'));
  free(err);
}

static void test_file_names_that_are_not_paths_inside(void **state) {
  struct ox *x = *state;
  mkdirs(x, "outside");
  const char *before = snapshot(x);
  const char *const bad[] = {"../x",   "/etc/x",        "a//b",         "a/./b", "",           "a/",
                             "a\nb",   "sub/../../x",   ".",            "..",    "a b",        OUTPUT_MANIFEST,
                             "sub/" OUTPUT_MANIFEST,    "v.yaml.camarch-tmp.abcdef", "v.yaml.camarch-old.abcdef"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *files[] = {bad[i], "v\n", NULL};
    commit_refused(x, "prod", files, "OUT002", "cannot be a file of");
    assert_string_equal(snapshot(x), before);
  }
}

static void test_two_files_never_share_a_path(void **state) {
  struct ox *x = *state;
  const char *twice[] = {"a.yaml", "1\n", "b.yaml", "2\n", "a.yaml", "3\n", NULL};
  commit_refused(x, "prod", twice, "OUT002", "two files of the build are both");
  const char *nested[] = {"a", "1\n", "a/b.yaml", "2\n", NULL};
  commit_refused(x, "prod", nested, "OUT002", "is both a file and a directory");
  assert_false(exists(path(x, "out")));
}

/* --- confinement: the root ------------------------------------------------------------------ */

static void test_root(void **state) {
  struct ox *x = *state;
  const char *files[] = {"values.yaml", "v\n", NULL};
  struct outputs o;
  struct commit_report rep;
  char *err = NULL;
  /* none, or empty */
  outputs_init(&o, x->a);
  add(&o, "prod", "values.yaml", "v\n", 0644);
  assert_false(outputs_commit(&o, false, &rep, &err));
  assert_string_equal(rep.error_id, "OUT002");
  free(err);
  o.root = "";
  assert_false(outputs_commit(&o, false, &rep, &err));
  assert_non_null(strstr(err, "no output directory"));
  free(err);
  outputs_free(&o);
  /* a file */
  spit(path(x, "out"), "a file\n");
  commit_refused(x, "prod", files, "OUT002", "out is not a directory");
  assert_string_equal(slurp(x, path(x, "out")), "a file\n");
  remove(path(x, "out"));
  /* missing: created like mkdir -p, and followed when a link (the user's) */
  x->root = path(x, "deep/er/out/");
  commit_ok(x, "prod", files, false, &rep);
  assert_string_equal(slurp(x, path(x, "deep/er/out/prod/values.yaml")), "v\n");
  assert_int_equal(symlink("deep/er/out", path(x, "link")), 0);
  x->root = path(x, "link");
  const char *files2[] = {"values.yaml", "w\n", NULL};
  commit_ok(x, "prod", files2, false, &rep);
  assert_string_equal(slurp(x, path(x, "deep/er/out/prod/values.yaml")), "w\n");
}

/* --- confinement: links, FIFOs -------------------------------------------------------------- */

static void test_environment_directory_is_a_link(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out");
  mkdirs(x, "outside");
  spit(path(x, "outside/values.yaml"), "precious\n");
  spit(path(x, "outside/" OUTPUT_MANIFEST), "# forged\nvalues.yaml\n");
  assert_int_equal(symlink("../outside", path(x, "out/prod")), 0);
  const char *before = snapshot(x);
  const char *files[] = {"values.yaml", "v\n", NULL};
  commit_refused(x, "prod", files, "OUT002", "out/prod is a symbolic link; camarch does not write through links");
  assert_string_equal(snapshot(x), before);
}

static void test_subdirectory_is_a_link(void **state) {
  struct ox *x = *state;
  const char *files[] = {"docker-compose.yaml", "c\n", "config/orchestration/application.yaml", "o\n", NULL};
  struct commit_report rep;
  commit_ok(x, "dev", files, false, &rep);
  mkdirs(x, "outside/orchestration");
  spit(path(x, "outside/orchestration/application.yaml"), "precious\n");
  rm_tree(path(x, "out/dev/config"));
  assert_int_equal(symlink("../../outside", path(x, "out/dev/config")), 0);
  const char *before = snapshot(x);
  const char *files2[] = {"docker-compose.yaml", "c2\n", "config/orchestration/application.yaml", "o2\n", NULL};
  commit_refused(x, "dev", files2, "OUT002", "out/dev/config is a symbolic link");
  assert_string_equal(snapshot(x), before);
  /* forcing does not write through a link either */
  char *err = NULL;
  assert_false(commit_set(x, "dev", files2, true, &rep, &err));
  free(err);
  assert_string_equal(snapshot(x), before);
}

static void test_unchanged_file_is_a_link(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out/prod");
  mkdirs(x, "outside");
  spit(path(x, "outside/target"), "v\n"); /* the same content camarch would write */
  assert_int_equal(chmod(path(x, "outside/target"), 0640), 0);
  assert_int_equal(symlink("../../outside/target", path(x, "out/prod/values.yaml")), 0);
  spit(path(x, "out/prod/" OUTPUT_MANIFEST), "#\nvalues.yaml\n");
  const char *before = snapshot(x);
  struct outputs o;
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "v\n", 0600);
  struct commit_report rep;
  char *err = NULL;
  assert_false(outputs_commit(&o, true, &rep, &err));
  outputs_free(&o);
  assert_non_null(strstr(err, "out/prod/values.yaml is a symbolic link"));
  assert_string_equal(rep.error_id, "OUT002");
  free(err);
  assert_string_equal(snapshot(x), before);
  assert_int_equal(mode_of(path(x, "outside/target")), 0640);
}

static void test_stale_file_through_a_linked_directory(void **state) {
  struct ox *x = *state;
  const char *files[] = {"a.yaml", "a\n", "sub/b.yaml", "b\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  mkdirs(x, "outside");
  spit(path(x, "outside/b.yaml"), "precious\n");
  rm_tree(path(x, "out/prod/sub"));
  assert_int_equal(symlink("../../outside", path(x, "out/prod/sub")), 0);
  const char *before = snapshot(x);
  const char *one[] = {"a.yaml", "a\n", NULL};
  commit_refused(x, "prod", one, "OUT002", "out/prod/sub is a symbolic link");
  assert_string_equal(snapshot(x), before);
  /* a stale file that is itself a link is not removed either */
  remove(path(x, "out/prod/sub"));
  mkdirs(x, "out/prod/sub");
  assert_int_equal(symlink("../../../outside/b.yaml", path(x, "out/prod/sub/b.yaml")), 0);
  before = snapshot(x);
  commit_refused(x, "prod", one, "OUT002", "out/prod/sub/b.yaml is a symbolic link");
  assert_string_equal(snapshot(x), before);
  /* a stale entry that is now a directory is left alone */
  remove(path(x, "out/prod/sub/b.yaml"));
  mkdirs(x, "out/prod/sub/b.yaml");
  commit_ok(x, "prod", one, false, &rep);
  assert_int_equal(rep.removed, 0);
  assert_true(exists(path(x, "out/prod/sub/b.yaml")));
}

static void test_manifest_that_is_not_a_regular_file(void **state) {
  struct ox *x = *state;
  mkdirs(x, "out/prod");
  const char *files[] = {"values.yaml", "v\n", NULL};
  const char *man = path(x, "out/prod/" OUTPUT_MANIFEST);
  assert_int_equal(mkfifo(man, 0644), 0);
  const char *before = snapshot(x);
  commit_refused(x, "prod", files, "OUT002", "it is a FIFO");
  assert_string_equal(snapshot(x), before);
  remove(man);
  assert_int_equal(symlink("/dev/zero", man), 0);
  before = snapshot(x);
  commit_refused(x, "prod", files, "OUT002", "symbolic link");
  assert_string_equal(snapshot(x), before);
  remove(man);
  /* larger than the limit */
  FILE *f = fopen(man, "wb");
  assert_non_null(f);
  assert_int_equal(fseek(f, (long)OUTPUT_MANIFEST_LIMIT, SEEK_SET), 0);
  fputc('\n', f);
  fclose(f);
  commit_refused(x, "prod", files, "OUT002", "larger than");
}

static void test_destination_that_is_not_a_regular_file(void **state) {
  struct ox *x = *state;
  const char *files[] = {"values.yaml", "v\n", "run.fifo", "f\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  remove(path(x, "out/prod/run.fifo"));
  assert_int_equal(mkfifo(path(x, "out/prod/run.fifo"), 0644), 0);
  const char *before = snapshot(x);
  const char *files2[] = {"values.yaml", "w\n", "run.fifo", "f\n", NULL};
  commit_refused(x, "prod", files2, "OUT002", "cannot replace");
  assert_string_equal(snapshot(x), before);
}

/* --- reading an earlier build's file -------------------------------------------------------- */

static enum out_read read_prev(struct ox *x, const char *env, const char *name, size_t limit, const char **text,
                               const char **why) {
  struct outputs o;
  set_init(x, &o);
  struct buf b = {0};
  enum out_read r = outputs_read_previous(&o, env, name, limit, &b, why);
  *text = arena_strndup(x->a, b.data, b.len);
  buf_free(&b);
  return r;
}

static void test_read_previous(void **state) {
  struct ox *x = *state;
  const char *text, *why;
  /* in memory: nothing is read */
  struct outputs o;
  outputs_init(&o, x->a);
  struct buf b = {0};
  assert_int_equal(outputs_read_previous(&o, "dev", "secrets.env", 100, &b, &why), OUT_READ_ABSENT);
  buf_free(&b);
  /* no root, no directory, no file */
  assert_int_equal(read_prev(x, "dev", "secrets.env", 100, &text, &why), OUT_READ_ABSENT);
  mkdirs(x, "out/dev/sub");
  assert_int_equal(read_prev(x, "dev", "secrets.env", 100, &text, &why), OUT_READ_ABSENT);
  assert_string_equal(text, "");
  spit(path(x, "out/dev/secrets.env"), "A=1\n");
  spit(path(x, "out/dev/sub/f"), "deep\n");
  assert_int_equal(read_prev(x, "dev", "secrets.env", 100, &text, &why), OUT_READ_OK);
  assert_string_equal(text, "A=1\n");
  assert_int_equal(read_prev(x, "dev", "sub/f", 100, &text, &why), OUT_READ_OK);
  assert_string_equal(text, "deep\n");
  /* too large */
  assert_int_equal(read_prev(x, "dev", "secrets.env", 2, &text, &why), OUT_READ_REFUSED);
  assert_non_null(strstr(why, "out/dev/secrets.env is larger than 2 bytes"));
  assert_string_equal(text, "");
  /* a FIFO, a link to /dev/zero: refused at once */
  remove(path(x, "out/dev/secrets.env"));
  assert_int_equal(mkfifo(path(x, "out/dev/secrets.env"), 0600), 0);
  assert_int_equal(read_prev(x, "dev", "secrets.env", 100, &text, &why), OUT_READ_REFUSED);
  assert_non_null(strstr(why, "out/dev/secrets.env is a FIFO"));
  remove(path(x, "out/dev/secrets.env"));
  assert_int_equal(symlink("/dev/zero", path(x, "out/dev/secrets.env")), 0);
  assert_int_equal(read_prev(x, "dev", "secrets.env", OUTPUT_READ_LIMIT, &text, &why), OUT_READ_REFUSED);
  assert_non_null(strstr(why, "symbolic link"));
  /* a link on the way */
  mkdirs(x, "outside");
  spit(path(x, "outside/secrets.env"), "STOLEN=1\n");
  assert_int_equal(symlink("../outside", path(x, "out/stage")), 0);
  assert_int_equal(read_prev(x, "stage", "secrets.env", 100, &text, &why), OUT_READ_REFUSED);
  assert_non_null(strstr(why, "out/stage is a symbolic link"));
  rm_tree(path(x, "out/dev/sub"));
  assert_int_equal(symlink("../../outside", path(x, "out/dev/sub")), 0);
  assert_int_equal(read_prev(x, "dev", "sub/secrets.env", 100, &text, &why), OUT_READ_REFUSED);
  assert_non_null(strstr(why, "out/dev/sub is a symbolic link"));
  /* names that are no path camarch writes */
  assert_int_equal(read_prev(x, "..", "secrets.env", 100, &text, &why), OUT_READ_REFUSED);
  assert_int_equal(read_prev(x, "dev", "../outside/secrets.env", 100, &text, &why), OUT_READ_REFUSED);
  /* the root: the user's, followed; a file there means no earlier build */
  x->root = path(x, "outside/secrets.env");
  assert_int_equal(read_prev(x, "dev", "secrets.env", 100, &text, &why), OUT_READ_ABSENT);
}

/* --- the lock ------------------------------------------------------------------------------- */

static void test_a_second_build_of_one_directory_is_refused(void **state) {
  struct ox *x = *state;
  const char *files[] = {"values.yaml", "v\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  int fd = open(x->root, O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  assert_int_equal(flock(fd, LOCK_EX), 0);
  const char *before = snapshot(x);
  const char *files2[] = {"values.yaml", "w\n", NULL};
  commit_refused(x, "prod", files2, "OUT002", "another camarch build is writing to");
  assert_string_equal(snapshot(x), before);
  close(fd);
  commit_ok(x, "prod", files2, false, &rep);
}

/* --- leftovers ------------------------------------------------------------------------------ */

static void test_leftovers_of_an_interrupted_build_are_removed(void **state) {
  struct ox *x = *state;
  const char *files[] = {"values.yaml", "v\n", "config/a.yaml", "a\n", NULL};
  struct commit_report rep;
  commit_ok(x, "prod", files, false, &rep);
  spit(path(x, "out/prod/values.yaml.camarch-tmp.Ab12Cd"), "half");
  spit(path(x, "out/prod/values.yaml.camarch-old.xY9876"), "old");
  spit(path(x, "out/prod/config/a.yaml.camarch-tmp.abcdef.camarch-old"), "older camarch");
  /* not camarch's: kept */
  spit(path(x, "out/prod/notes.camarch-tmp.txt"), "mine");
  spit(path(x, "out/prod/.camarch-tmp.abcdef"), "no file name before it");
  mkdirs(x, "out/prod/dir.camarch-old.abcdef");
  mkdirs(x, "outside");
  spit(path(x, "outside/x.camarch-tmp.abcdef"), "outside");
  commit_ok(x, "prod", files, false, &rep);
  assert_int_equal(rep.leftovers, 3);
  assert_int_equal(rep.written, 0);
  assert_false(exists(path(x, "out/prod/values.yaml.camarch-tmp.Ab12Cd")));
  assert_false(exists(path(x, "out/prod/values.yaml.camarch-old.xY9876")));
  assert_false(exists(path(x, "out/prod/config/a.yaml.camarch-tmp.abcdef.camarch-old")));
  assert_true(exists(path(x, "out/prod/notes.camarch-tmp.txt")));
  assert_true(exists(path(x, "out/prod/.camarch-tmp.abcdef")));
  assert_true(exists(path(x, "out/prod/dir.camarch-old.abcdef")));
  assert_true(exists(path(x, "outside/x.camarch-tmp.abcdef")));
}

/* --- all or nothing, by fault injection ----------------------------------------------------- */

/* The earlier build of the realistic case: two environments, files in
 * subdirectories, a user's own file, and a file whose mode the user
 * changed. */
static void realistic_before(struct ox *x) {
  rm_tree(x->root);
  rm_tree(path(x, "outside"));
  outputs_clear_faults();
  struct outputs o;
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "replicas: 1\n", 0644);
  add(&o, "prod", "README.md", "# prod\n", 0644);
  add(&o, "prod", "old.yaml", "stale\n", 0644);
  add(&o, "prod", "secret.env", "S=\n", 0600);
  add(&o, "dev", "docker-compose.yaml", "services: {}\n", 0644);
  add(&o, "dev", "config/orchestration/application.yaml", "o: 1\n", 0644);
  add(&o, "dev", "config/connectors/application.yaml", "c: 1\n", 0644);
  add(&o, "dev", "config/old/gone.yaml", "stale\n", 0644);
  struct commit_report rep;
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  spit(path(x, "out/prod/mine.txt"), "the user's\n");
  assert_int_equal(chmod(path(x, "out/prod/secret.env"), 0644), 0);
  mkdirs(x, "outside");
  spit(path(x, "outside/precious"), "outside\n");
  outputs_clear_faults(); /* and the count of calls */
}

/* The build that follows: changed, unchanged, stale, mode-only, new files,
 * a new subdirectory and a new environment. */
static bool realistic_commit(struct ox *x, struct commit_report *rep, char **err) {
  struct outputs o;
  set_init(x, &o);
  add(&o, "prod", "values.yaml", "replicas: 3\n", 0644);
  add(&o, "prod", "README.md", "# prod\n", 0644);
  add(&o, "prod", "secret.env", "S=\n", 0600);
  add(&o, "prod", "values-region-1.yaml", "region: 1\n", 0644);
  add(&o, "dev", "docker-compose.yaml", "services: {a: {}}\n", 0644);
  add(&o, "dev", "config/orchestration/application.yaml", "o: 1\n", 0644);
  add(&o, "dev", "config/connectors/application.yaml", "c: 2\n", 0644);
  add(&o, "dev", "driver-lib/README.md", "jars here\n", 0644);
  add(&o, "new", "values.yaml", "n: 1\n", 0644);
  bool ok = outputs_commit(&o, false, rep, err);
  outputs_free(&o);
  return ok;
}

struct realistic {
  const char *before, *after;
  long calls;
};

/* The states before and after a fault-free commit, and how many system
 * calls it makes (with the faults `base` already in place). */
static struct realistic realistic_states(struct ox *x, const struct out_fault *base) {
  struct realistic r;
  realistic_before(x);
  r.before = snapshot(x);
  if (base)
    outputs_add_fault(base);
  struct commit_report rep;
  char *err = NULL;
  if (!realistic_commit(x, &rep, &err))
    fail_msg("the fault-free commit failed: %s", err);
  r.calls = outputs_calls();
  outputs_clear_faults();
  r.after = snapshot(x);
  assert_int_equal(rep.written, 9); /* 6 files and 3 manifests */
  assert_int_equal(rep.unchanged, 3); /* one of them a change of mode only */
  assert_int_equal(rep.removed, 2);
  assert_int_equal(temp_files(x), 0);
  assert_true(r.calls > 50);
  return r;
}

/* After a fault: either the commit failed and nothing changed, or it
 * succeeded (the fault hit the clean-up) and everything is new. */
static void assert_all_or_nothing(struct ox *x, const struct realistic *r, long n, bool ok,
                                  const struct commit_report *rep, char *err) {
  const char *now = snapshot(x);
  if (ok) {
    assert_null(err);
    if (rep->unremoved == 0 && strcmp(now, r->after) != 0) {
      print_diff("against the expected outputs:", r->after, now);
      fail_msg("fault at call %ld: commit succeeded but the outputs differ", n);
    }
    /* what the clean-up could not remove, the next build does */
    char *err2 = NULL;
    struct commit_report rep2;
    assert_true(realistic_commit(x, &rep2, &err2));
    assert_string_equal(snapshot(x), r->after);
    return;
  }
  assert_non_null(err);
  if (strcmp(now, r->before) != 0) {
    fprintf(stderr, "%s\n", err);
    print_diff("against the state before:", r->before, now);
    fail_msg("fault at call %ld: the commit failed and the directory changed", n);
  }
  if (!strstr(err, "nothing was changed") || strstr(err, "part-written") || !strstr(err, x->root))
    fail_msg("fault at call %ld: a dishonest message: %s", n, err);
  assert_true(strcmp(rep->error_id, "OUT001") == 0 || strcmp(rep->error_id, "OUT002") == 0);
  free(err);
}

static void fault_at_every_call(struct ox *x, const struct out_fault *base, int err_no) {
  struct realistic r = realistic_states(x, base);
  long last_failed = 0, renames = 0;
  const char *survived[512] = {0};
  assert_true(r.calls < 512);
  for (long n = 1; n <= r.calls + 1; n++) {
    realistic_before(x);
    if (base)
      outputs_add_fault(base);
    outputs_add_fault(&(struct out_fault){NULL, n, err_no, false});
    struct commit_report rep;
    char *err = NULL;
    bool ok = realistic_commit(x, &rep, &err);
    const char *call = outputs_faulted_call();
    outputs_clear_faults();
    if (ok)
      survived[n] = call;
    else
      last_failed = n;
    renames += !ok && strcmp(call, "renameat") == 0;
    assert_all_or_nothing(x, &r, n, ok, &rep, err);
  }
  /* A commit goes on after a fault only where linking fails (it copies)
   * or once everything is in place (the clean-up). */
  for (long n = 1; n < last_failed; n++)
    if (survived[n] && strcmp(survived[n], "linkat") != 0)
      fail_msg("the commit went on after %s (call %ld) failed", survived[n], n);
  assert_true(renames >= 9); /* every rename into place was tried */
}

static void test_a_fault_at_any_call_changes_nothing(void **state) {
  fault_at_every_call(*state, NULL, EIO);
}

static void test_a_fault_at_any_call_with_hard_links_refused(void **state) {
  /* protected hard links (EPERM): the backups are copies */
  struct out_fault links = {"linkat", 1, EPERM, true};
  fault_at_every_call(*state, &links, ENOSPC);
}

static void test_hard_links_refused_still_commits(void **state) {
  struct ox *x = *state;
  struct out_fault links = {"linkat", 1, EPERM, true};
  struct realistic r = realistic_states(x, &links);
  struct realistic plain = realistic_states(x, NULL);
  assert_string_equal(r.after, plain.after);
  /* and a rename that fails after the copies puts every file back */
  for (long n = 1; n <= 8; n++) {
    realistic_before(x);
    outputs_add_fault(&links);
    outputs_add_fault(&(struct out_fault){"renameat", n, EXDEV, false});
    struct commit_report rep;
    char *err = NULL;
    bool ok = realistic_commit(x, &rep, &err);
    outputs_clear_faults();
    assert_all_or_nothing(x, &r, n, ok, &rep, err);
  }
}

static int left_count;
static const char *left_err;
static int check_left(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  const char *name = p + ftw->base;
  if ((strstr(name, ".camarch-tmp.") || strstr(name, ".camarch-old.")) && !strstr(left_err, p))
    left_count++;
  return 0;
}

/* Every line of `now` not in `then`, and the reverse: the paths that differ. */
static void assert_differences_named(struct ox *x, const char *then, const char *now, const char *err, long n) {
  for (int pass = 0; pass < 2; pass++) {
    const char *a = pass ? then : now, *b = pass ? now : then;
    for (const char *line = a; *line;) {
      const char *nl = strchr(line, '\n');
      char *l = arena_strndup(x->a, line, (size_t)(nl - line));
      line = nl + 1;
      if (strstr(b, arena_printf(x->a, "%s\n", l)))
        continue;
      /* "f 0644 out/prod/values.yaml [..]": the path, from the test's directory */
      char *p = strchr(l, ' ') + 1;
      if (l[0] != 'l' && strchr(p, ' '))
        p = strchr(p, ' ') + 1;
      char *end = strchr(p, ' ');
      if (end)
        *end = '\0';
      if (strstr(p, ".camarch-tmp.") || strstr(p, ".camarch-old."))
        continue; /* checked with the leftovers */
      if (!strstr(err, path(x, p)))
        fail_msg("second fault from call %ld: %s differs, and the message does not say so: %s", n, p, err);
    }
  }
}

static void test_a_failed_undo_says_what_is_left(void **state) {
  struct ox *x = *state;
  struct realistic r = realistic_states(x, NULL);
  long partial = 0;
  for (long n = 1; n <= r.calls + 1; n++) {
    realistic_before(x);
    /* from call n on, every call fails: the commit, then its undo */
    outputs_add_fault(&(struct out_fault){NULL, n, EIO, true});
    struct commit_report rep;
    char *err = NULL;
    bool ok = realistic_commit(x, &rep, &err);
    outputs_clear_faults();
    if (ok) {
      assert_null(err);
      char *err2 = NULL;
      struct commit_report rep2;
      assert_true(realistic_commit(x, &rep2, &err2));
      assert_string_equal(snapshot(x), r.after);
      continue;
    }
    const char *now = snapshot(x);
    left_err = err;
    left_count = 0;
    nftw(x->dir, check_left, 16, FTW_PHYS);
    if (left_count)
      fail_msg("second fault from call %ld: temporary files are left and not named: %s", n, err);
    if (strstr(err, "part-written")) {
      partial++;
      assert_string_equal(rep.error_id, "OUT003");
      assert_null(strstr(err, "nothing was changed"));
      assert_differences_named(x, r.before, now, err, n);
    } else if (strcmp(now, r.before) != 0) {
      /* only leftovers may differ, and they are named */
      assert_differences_named(x, r.before, now, "", n);
      assert_non_null(strstr(err, "the next build removes them"));
    }
    free(err);
    /* whatever was left, the next build finishes the job */
    char *err2 = NULL;
    struct commit_report rep2;
    if (!realistic_commit(x, &rep2, &err2))
      fail_msg("second fault from call %ld: the next build fails: %s", n, err2);
    if (strcmp(snapshot(x), r.after) != 0) {
      print_diff("against the expected outputs:", r.after, snapshot(x));
      fail_msg("second fault from call %ld: the next build leaves something else", n);
    }
  }
  assert_true(partial > 0);
}

struct kill_arg {
  struct ox *x;
  long n;
};

static void killed_commit(void *arg) {
  const struct kill_arg *k = arg;
  outputs_add_fault(&(struct out_fault){NULL, k->n, 0, false});
  struct commit_report rep;
  char *err = NULL;
  realistic_commit(k->x, &rep, &err);
}

static void test_a_build_killed_at_any_call_is_finished_by_the_next(void **state) {
  struct ox *x = *state;
  struct realistic r = realistic_states(x, NULL);
  for (long n = 1; n <= r.calls; n++) {
    realistic_before(x);
    struct kill_arg k = {x, n};
    struct child_result res;
    run_in_child(killed_commit, &k, &res);
    assert_true(WIFEXITED(res.status));
    assert_int_equal(WEXITSTATUS(res.status), 137);
    struct commit_report rep;
    char *err = NULL;
    if (!realistic_commit(x, &rep, &err))
      fail_msg("killed at call %ld: the next build fails: %s", n, err);
    if (strcmp(snapshot(x), r.after) != 0) {
      print_diff("against the expected outputs:", r.after, snapshot(x));
      fail_msg("killed at call %ld: the next build leaves something else", n);
    }
  }
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_commit_writes_files_and_manifest),
      T(test_second_commit_with_same_content_is_unchanged),
      T(test_foreign_file_refused_unless_forced),
      T(test_dropped_file_is_removed),
      T(test_manifest_cannot_reach_outside_its_directory),
      T(test_manifest_fields_after_a_tab_are_ignored),
      T(test_file_modes),
      T(test_unwritable_directory_changes_nothing),
      T(test_failure_midway_changes_nothing),
      T(test_each_directory_has_its_own_manifest),
      T(test_environment_names_that_are_not_one_directory),
      T(test_file_names_that_are_not_paths_inside),
      T(test_two_files_never_share_a_path),
      T(test_root),
      T(test_environment_directory_is_a_link),
      T(test_subdirectory_is_a_link),
      T(test_unchanged_file_is_a_link),
      T(test_stale_file_through_a_linked_directory),
      T(test_manifest_that_is_not_a_regular_file),
      T(test_destination_that_is_not_a_regular_file),
      T(test_read_previous),
      T(test_a_second_build_of_one_directory_is_refused),
      T(test_leftovers_of_an_interrupted_build_are_removed),
      T(test_a_fault_at_any_call_changes_nothing),
      T(test_a_fault_at_any_call_with_hard_links_refused),
      T(test_hard_links_refused_still_commits),
      T(test_a_failed_undo_says_what_is_left),
      T(test_a_build_killed_at_any_call_is_finished_by_the_next),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
