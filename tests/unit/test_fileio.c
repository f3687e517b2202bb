/* test_fileio.c - bounded, non-blocking reads of regular files (fileio.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

struct fx {
  struct arena *a;
  char dir[64];
  int dfd;
};

static int setup(void **state) {
  struct fx *x = calloc(1, sizeof *x);
  if (!x)
    return -1;
  snprintf(x->dir, sizeof x->dir, "/tmp/camarch-test-fileio-XXXXXX");
  if (!mkdtemp(x->dir))
    return -1;
  x->dfd = open(x->dir, O_RDONLY | O_DIRECTORY);
  x->a = arena_new();
  *state = x;
  return 0;
}

static int teardown(void **state) {
  struct fx *x = *state;
  const char *names[] = {"plain", "empty", "fifo", "link", "big", "sub"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (unlinkat(x->dfd, names[i], 0) != 0)
      unlinkat(x->dfd, names[i], AT_REMOVEDIR);
  close(x->dfd);
  rmdir(x->dir);
  arena_free(x->a);
  free(x);
  return 0;
}

static void put(struct fx *x, const char *name, const char *text) {
  int fd = openat(x->dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

static void test_regular_files_are_read_whole(void **state) {
  struct fx *x = *state;
  put(x, "plain", "estate \"x\" {}\n");
  put(x, "empty", "");
  struct buf b = {0};
  const char *why;
  assert_int_equal(fio_read(x->a, x->dfd, "plain", true, 1024, &b, &why), FIO_OK);
  assert_string_equal(b.data, "estate \"x\" {}\n");
  assert_int_equal(fio_read(x->a, x->dfd, "empty", true, 1024, &b, &why), FIO_OK);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  assert_int_equal(fio_read(x->a, x->dfd, "missing", true, 1024, &b, &why), FIO_ABSENT);
  buf_free(&b);
}

/* A FIFO with no writer would block a plain open(); a device never ends. */
static void test_fifos_devices_and_directories_are_refused_without_blocking(void **state) {
  struct fx *x = *state;
  assert_int_equal(mkfifoat(x->dfd, "fifo", 0644), 0);
  assert_int_equal(mkdirat(x->dfd, "sub", 0755), 0);
  struct buf b = {0};
  const char *why;
  assert_int_equal(fio_read(x->a, x->dfd, "fifo", false, 1024, &b, &why), FIO_NOT_REGULAR);
  assert_non_null(strstr(why, "FIFO"));
  assert_int_equal(fio_read(x->a, AT_FDCWD, "/dev/zero", false, 1024, &b, &why), FIO_NOT_REGULAR);
  assert_non_null(strstr(why, "device"));
  assert_int_equal(fio_read(x->a, x->dfd, "sub", false, 1024, &b, &why), FIO_NOT_REGULAR);
  assert_non_null(strstr(why, "directory"));
  buf_free(&b);
}

static void test_symlinks_are_refused_with_nofollow(void **state) {
  struct fx *x = *state;
  put(x, "plain", "text");
  assert_int_equal(symlinkat("plain", x->dfd, "link"), 0);
  struct buf b = {0};
  const char *why;
  assert_int_equal(fio_read(x->a, x->dfd, "link", false, 1024, &b, &why), FIO_OK);
  assert_string_equal(b.data, "text");
  assert_int_equal(fio_read(x->a, x->dfd, "link", true, 1024, &b, &why), FIO_NOT_REGULAR);
  assert_non_null(strstr(why, "symbolic link"));
  assert_int_equal(b.len, 0);
  buf_free(&b);
}

static void test_files_over_the_limit_are_refused(void **state) {
  struct fx *x = *state;
  put(x, "big", "0123456789");
  struct buf b = {0};
  const char *why;
  assert_int_equal(fio_read(x->a, x->dfd, "big", true, 10, &b, &why), FIO_OK);
  assert_int_equal(fio_read(x->a, x->dfd, "big", true, 9, &b, &why), FIO_TOO_LARGE);
  assert_non_null(strstr(why, "larger than 9 bytes"));
  assert_int_equal(b.len, 0);
  /* a sparse file of 1 GiB is refused by its size, without reading it */
  int fd = openat(x->dfd, "big", O_WRONLY);
  assert_int_equal(ftruncate(fd, (off_t)1 << 30), 0);
  close(fd);
  assert_int_equal(fio_read(x->a, x->dfd, "big", true, FIO_SOURCE_LIMIT, &b, &why), FIO_TOO_LARGE);
  assert_non_null(strstr(why, "256 MiB"));
  buf_free(&b);
}

/* fio_open checks the file and opens it without reading; fio_path says
 * where the opened file is (a symbolic link's target, canonical); the file
 * read is the one opened even if its name now leads elsewhere. */
static void test_open_then_locate_then_read(void **state) {
  struct fx *x = *state;
  put(x, "plain", "first");
  assert_int_equal(symlinkat("plain", x->dfd, "link"), 0);
  char path[128], real[PATH_MAX];
  snprintf(path, sizeof path, "%s/link", x->dir);
  struct fio_file f;
  const char *why;
  assert_int_equal(fio_open(x->a, AT_FDCWD, path, false, 1024, &f, &why), FIO_OK);
  assert_true(f.fd >= 0);
  snprintf(path, sizeof path, "%s/plain", x->dir);
  assert_non_null(realpath(path, real));
  snprintf(path, sizeof path, "%s/link", x->dir);
  assert_string_equal(fio_path(x->a, &f, path), real);
  /* the name now leads to another file: the open one is still read */
  assert_int_equal(unlinkat(x->dfd, "link", 0), 0);
  put(x, "link", "second");
  struct buf b = {0};
  assert_int_equal(fio_read_open(x->a, &f, &b, &why), FIO_OK);
  assert_string_equal(b.data, "first");
  assert_int_equal(f.fd, -1);
  fio_close(&f); /* harmless once read */
  buf_free(&b);
}

/* What fio_read refuses, fio_open refuses, with nothing left open. */
static void test_open_refuses_what_read_refuses(void **state) {
  struct fx *x = *state;
  assert_int_equal(mkfifoat(x->dfd, "fifo", 0644), 0);
  put(x, "big", "0123456789");
  struct fio_file f;
  const char *why;
  assert_int_equal(fio_open(x->a, x->dfd, "fifo", false, 1024, &f, &why), FIO_NOT_REGULAR);
  assert_int_equal(f.fd, -1);
  assert_int_equal(fio_open(x->a, x->dfd, "big", false, 9, &f, &why), FIO_TOO_LARGE);
  assert_int_equal(f.fd, -1);
  assert_int_equal(fio_open(x->a, x->dfd, "missing", false, 9, &f, &why), FIO_ABSENT);
  assert_int_equal(fio_open(x->a, AT_FDCWD, "/dev/null", false, 9, &f, &why), FIO_NOT_REGULAR);
  /* opened and closed unread */
  assert_int_equal(fio_open(x->a, x->dfd, "big", false, 1024, &f, &why), FIO_OK);
  fio_close(&f);
  assert_int_equal(f.fd, -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_open_then_locate_then_read, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_refuses_what_read_refuses, setup, teardown),
      cmocka_unit_test_setup_teardown(test_regular_files_are_read_whole, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fifos_devices_and_directories_are_refused_without_blocking, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_symlinks_are_refused_with_nofollow, setup, teardown),
      cmocka_unit_test_setup_teardown(test_files_over_the_limit_are_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
