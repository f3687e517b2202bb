/* test_output.c - committing an output set to disk (output.h): manifests,
 * refusing foreign files, removing stale ones, and all-or-nothing writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

struct ox {
  struct arena *a;
  char dir[PATH_MAX];
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

static int setup(void **state) {
  struct ox *x = calloc(1, sizeof *x);
  if (!x)
    return -1;
  umask(022);
  snprintf(x->dir, sizeof x->dir, "/tmp/camarch-test-output-XXXXXX");
  if (!mkdtemp(x->dir)) {
    free(x);
    return -1;
  }
  x->a = arena_new();
  *state = x;
  return 0;
}

static int teardown(void **state) {
  struct ox *x = *state;
  nftw(x->dir, chmod_entry, 16, FTW_PHYS);
  nftw(x->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  arena_free(x->a);
  free(x);
  return 0;
}

static const char *path(struct ox *x, const char *rel) { return arena_printf(x->a, "%s/%s", x->dir, rel); }

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

static int tmp_count;
static int count_tmp(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  tmp_count += strstr(p + ftw->base, ".camarch-tmp.") != NULL;
  return 0;
}

static int temp_files(struct ox *x) {
  tmp_count = 0;
  nftw(x->dir, count_tmp, 16, FTW_PHYS);
  return tmp_count;
}

/* Commits a fresh output set of (name, text) pairs into one directory. */
static bool commit_set(struct ox *x, const char *dir, const char *const *files, bool force,
                       struct commit_report *rep, char **err) {
  struct outputs o;
  outputs_init(&o, x->a);
  outputs_add_dir(&o, dir);
  for (size_t i = 0; files[i]; i += 2)
    add(&o, dir, files[i], files[i + 1], 0644);
  bool ok = outputs_commit(&o, force, rep, err);
  outputs_free(&o);
  return ok;
}

static void commit_ok(struct ox *x, const char *dir, const char *const *files, bool force,
                      struct commit_report *rep) {
  char *err = NULL;
  bool ok = commit_set(x, dir, files, force, rep, &err);
  if (!ok) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err ? err : "(no message)");
    free(err);
    fail_msg("commit failed: %s", msg);
  }
  assert_null(err);
}

/* --- tests ------------------------------------------------------------------ */

static void test_commit_writes_files_and_manifest(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out/prod");
  struct outputs o;
  outputs_init(&o, x->a);
  add(&o, out, "values.yaml", "a: 1\n", 0644);
  add(&o, out, "ansible/site.yml", "- hosts: all\n", 0644);
  struct commit_report rep = {9, 9, 9};
  char *err = (char *)"untouched";
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_null(err);
  assert_int_equal(rep.written, 3); /* two files and the manifest */
  assert_int_equal(rep.unchanged, 0);
  assert_int_equal(rep.removed, 0);
  assert_string_equal(slurp(x, path(x, "out/prod/values.yaml")), "a: 1\n");
  assert_string_equal(slurp(x, path(x, "out/prod/ansible/site.yml")), "- hosts: all\n");
  const char *man = slurp(x, path(x, "out/prod/" OUTPUT_MANIFEST));
  assert_non_null(man);
  assert_int_equal(man[0], '#');
  const char *body = strchr(man, '\n');
  assert_non_null(body);
  assert_string_equal(body + 1, "values.yaml\nansible/site.yml\n");
  assert_int_equal(temp_files(x), 0);
}

static void test_second_commit_with_same_content_is_unchanged(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  const char *files[] = {"values.yaml", "a: 1\n", "other.yaml", "b: 2\n", NULL};
  struct commit_report rep;
  commit_ok(x, out, files, false, &rep);
  assert_int_equal(rep.written, 3);
  struct stat before, after;
  assert_int_equal(stat(path(x, "out/values.yaml"), &before), 0);
  commit_ok(x, out, files, false, &rep);
  assert_int_equal(rep.written, 0);
  assert_int_equal(rep.unchanged, 3);
  assert_int_equal(rep.removed, 0);
  assert_int_equal(stat(path(x, "out/values.yaml"), &after), 0);
  assert_int_equal(before.st_ino, after.st_ino); /* not replaced */
  /* one file changes: only it is written */
  const char *changed[] = {"values.yaml", "a: 2\n", "other.yaml", "b: 2\n", NULL};
  commit_ok(x, out, changed, false, &rep);
  assert_int_equal(rep.written, 1);
  assert_int_equal(rep.unchanged, 2);
  assert_string_equal(slurp(x, path(x, "out/values.yaml")), "a: 2\n");
  assert_int_equal(temp_files(x), 0);
}

static void test_foreign_file_refused_unless_forced(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  assert_int_equal(mkdir(out, 0755), 0);
  spit(path(x, "out/values.yaml"), "hand written\n");
  const char *files[] = {"new.yaml", "n: 1\n", "values.yaml", "a: 1\n", NULL};
  struct commit_report rep;
  char *err = NULL;
  assert_false(commit_set(x, out, files, false, &rep, &err));
  assert_non_null(err);
  assert_non_null(strstr(err, "out/values.yaml"));
  assert_non_null(strstr(err, "--force"));
  free(err);
  /* nothing changed: not even the files that were not in the way */
  assert_string_equal(slurp(x, path(x, "out/values.yaml")), "hand written\n");
  assert_false(exists(path(x, "out/new.yaml")));
  assert_false(exists(path(x, "out/" OUTPUT_MANIFEST)));
  assert_int_equal(temp_files(x), 0);
  /* forced */
  commit_ok(x, out, files, true, &rep);
  assert_int_equal(rep.written, 3);
  assert_string_equal(slurp(x, path(x, "out/values.yaml")), "a: 1\n");
  /* now camarch owns it: no force needed */
  const char *again[] = {"new.yaml", "n: 1\n", "values.yaml", "a: 2\n", NULL};
  commit_ok(x, out, again, false, &rep);
  assert_int_equal(rep.written, 1);
}

static void test_dropped_file_is_removed(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  const char *two[] = {"a.yaml", "a\n", "sub/b.yaml", "b\n", NULL};
  struct commit_report rep;
  commit_ok(x, out, two, false, &rep);
  spit(path(x, "out/mine.txt"), "keep me\n");
  const char *one[] = {"a.yaml", "a\n", NULL};
  commit_ok(x, out, one, false, &rep);
  assert_int_equal(rep.removed, 1);
  assert_int_equal(rep.written, 1);   /* the manifest */
  assert_int_equal(rep.unchanged, 1); /* a.yaml */
  assert_false(exists(path(x, "out/sub/b.yaml")));
  assert_true(exists(path(x, "out/a.yaml")));
  /* a file camarch never wrote is never removed */
  assert_string_equal(slurp(x, path(x, "out/mine.txt")), "keep me\n");
  const char *man = slurp(x, path(x, "out/" OUTPUT_MANIFEST));
  assert_non_null(strstr(man, "\na.yaml\n"));
  assert_null(strstr(man, "b.yaml"));
  /* and a directory that produces nothing any more is emptied */
  struct outputs o;
  outputs_init(&o, x->a);
  outputs_add_dir(&o, out);
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(rep.removed, 1);
  assert_false(exists(path(x, "out/a.yaml")));
  assert_true(exists(path(x, "out/mine.txt")));
}

static void test_manifest_cannot_reach_outside_its_directory(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  assert_int_equal(mkdir(out, 0755), 0);
  spit(path(x, "victim"), "precious\n");
  spit(path(x, "out/" OUTPUT_MANIFEST),
       arena_printf(x->a, "# forged\n../victim\nsub/../../victim\n%s\n\n", path(x, "victim")));
  const char *files[] = {"a.yaml", "a\n", NULL};
  struct commit_report rep;
  commit_ok(x, out, files, false, &rep);
  assert_int_equal(rep.removed, 0);
  assert_string_equal(slurp(x, path(x, "victim")), "precious\n");
}

static void test_file_modes(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  struct outputs o;
  outputs_init(&o, x->a);
  add(&o, out, "values.yaml", "a\n", 0644);
  add(&o, out, "secrets.yaml", "s\n", 0600);
  struct commit_report rep;
  char *err = NULL;
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  struct stat st;
  assert_int_equal(stat(path(x, "out/values.yaml"), &st), 0);
  assert_int_equal(st.st_mode & 0777, 0644);
  assert_int_equal(stat(path(x, "out/secrets.yaml"), &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  /* an unchanged file gets its mode back */
  assert_int_equal(chmod(path(x, "out/secrets.yaml"), 0644), 0);
  outputs_init(&o, x->a);
  add(&o, out, "values.yaml", "a\n", 0644);
  add(&o, out, "secrets.yaml", "s\n", 0600);
  assert_true(outputs_commit(&o, false, &rep, &err));
  outputs_free(&o);
  assert_int_equal(rep.unchanged, 3);
  assert_int_equal(stat(path(x, "out/secrets.yaml"), &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_unwritable_directory_changes_nothing(void **state) {
  struct ox *x = *state;
  const char *out = path(x, "out");
  const char *v1[] = {"values.yaml", "v: 1\n", NULL};
  struct commit_report rep;
  commit_ok(x, out, v1, false, &rep);
  const char *man_before = slurp(x, path(x, "out/" OUTPUT_MANIFEST));
  assert_int_equal(chmod(out, 0555), 0);
  if (access(out, W_OK) == 0) {
    chmod(out, 0755);
    skip(); /* running as root: permissions are not enforced */
  }
  const char *v2[] = {"values.yaml", "v: 2\n", "new.yaml", "n\n", NULL};
  char *err = NULL;
  bool ok = commit_set(x, out, v2, false, &rep, &err);
  chmod(out, 0755);
  assert_false(ok);
  assert_non_null(err);
  assert_non_null(strstr(err, "out/values.yaml"));
  free(err);
  assert_string_equal(slurp(x, path(x, "out/values.yaml")), "v: 1\n");
  assert_false(exists(path(x, "out/new.yaml")));
  assert_string_equal(slurp(x, path(x, "out/" OUTPUT_MANIFEST)), man_before);
  assert_int_equal(temp_files(x), 0);
}

static void test_failure_midway_changes_nothing(void **state) {
  struct ox *x = *state;
  /* works as root too: the last file's directory is a regular file */
  const char *out1 = path(x, "out1");
  const char *v1[] = {"values.yaml", "v: 1\n", NULL};
  struct commit_report rep;
  commit_ok(x, out1, v1, false, &rep);
  spit(path(x, "blocker"), "a file, not a directory\n");
  struct outputs o;
  outputs_init(&o, x->a);
  add(&o, out1, "values.yaml", "v: 2\n", 0644);
  add(&o, path(x, "new/deep"), "x.yaml", "x\n", 0644);
  add(&o, path(x, "blocker"), "y.yaml", "y\n", 0644);
  char *err = NULL;
  bool ok = outputs_commit(&o, false, &rep, &err);
  outputs_free(&o);
  assert_false(ok);
  assert_non_null(err);
  assert_non_null(strstr(err, "blocker"));
  free(err);
  assert_int_equal(rep.written, 0);
  assert_string_equal(slurp(x, path(x, "out1/values.yaml")), "v: 1\n");
  assert_false(exists(path(x, "new"))); /* directories it created are gone */
  assert_string_equal(slurp(x, path(x, "blocker")), "a file, not a directory\n");
  assert_int_equal(temp_files(x), 0);
}

static void test_each_directory_has_its_own_manifest(void **state) {
  struct ox *x = *state;
  const char *dev = path(x, "out/dev"), *prod = path(x, "out/prod");
  struct outputs o;
  outputs_init(&o, x->a);
  add(&o, dev, "values.yaml", "dev\n", 0644);
  add(&o, prod, "values.yaml", "prod\n", 0644);
  add(&o, prod, "extra.yaml", "e\n", 0644);
  outputs_add_dir(&o, dev); /* again: no duplicate */
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

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_commit_writes_files_and_manifest),
      T(test_second_commit_with_same_content_is_unchanged),
      T(test_foreign_file_refused_unless_forced),
      T(test_dropped_file_is_removed),
      T(test_manifest_cannot_reach_outside_its_directory),
      T(test_file_modes),
      T(test_unwritable_directory_changes_nothing),
      T(test_failure_midway_changes_nothing),
      T(test_each_directory_has_its_own_manifest),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
