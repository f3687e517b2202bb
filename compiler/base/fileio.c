/* fileio.c - bounded, non-blocking reads of regular files. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why a file that is not regular is refused. */
static const char *not_regular(mode_t m) {
  if (S_ISDIR(m))
    return "it is a directory, not a regular file";
  if (S_ISFIFO(m))
    return "it is a FIFO, not a regular file";
  if (S_ISSOCK(m))
    return "it is a socket, not a regular file";
  if (S_ISCHR(m) || S_ISBLK(m))
    return "it is a device, not a regular file";
  return "it is not a regular file";
}

static const char *too_large(struct arena *a, size_t limit) {
  return limit >= (1u << 20) ? arena_printf(a, "it is larger than %zu MiB", limit >> 20)
                             : arena_printf(a, "it is larger than %zu bytes", limit);
}

static enum fio_status fail(int fd, enum fio_status st, const char **why, const char *text) {
  int saved = errno;
  if (fd >= 0)
    close(fd);
  errno = saved;
  *why = text ? text : strerror(saved);
  return st;
}

enum fio_status fio_open(struct arena *a, int dirfd, const char *path, bool nofollow, size_t limit,
                         struct fio_file *f, const char **why) {
  *f = (struct fio_file){.fd = -1, .limit = limit};
  *why = NULL;
  int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
  int fd = openat(dirfd, path, flags);
  if (fd < 0) {
    if (errno == ELOOP && nofollow)
      return fail(fd, FIO_NOT_REGULAR, why, "it is a symbolic link, which camarch does not follow here");
    if (errno == ENOENT || errno == ENOTDIR)
      return fail(fd, FIO_ABSENT, why, "no such file");
    return fail(fd, FIO_ERROR, why, NULL);
  }
  struct stat st;
  if (fstat(fd, &st) != 0)
    return fail(fd, FIO_ERROR, why, NULL);
  if (!S_ISREG(st.st_mode))
    return fail(fd, FIO_NOT_REGULAR, why, not_regular(st.st_mode));
  if (st.st_size < 0 || (unsigned long long)st.st_size > limit)
    return fail(fd, FIO_TOO_LARGE, why, too_large(a, limit));
  *f = (struct fio_file){fd, limit, st.st_dev, st.st_ino};
  return FIO_OK;
}

const char *fio_path(struct arena *a, const struct fio_file *f, const char *path) {
  char proc[64], buf[PATH_MAX];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
  ssize_t n = readlink(proc, buf, sizeof buf - 1);
  if (n > 0 && buf[0] == '/') {
    buf[n] = '\0';
    struct stat st;
    if (stat(buf, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino)
      return arena_strdup(a, buf);
  }
  struct stat st;
  if (!realpath(path, buf) || stat(buf, &st) != 0 || st.st_dev != f->dev || st.st_ino != f->ino)
    return NULL;
  return arena_strdup(a, buf);
}

enum fio_status fio_read_open(struct arena *a, struct fio_file *f, struct buf *out, const char **why) {
  out->len = 0;
  buf_append(out, "", 0);
  *why = NULL;
  int fd = f->fd;
  f->fd = -1;
  /* the file may grow while it is read: stop one chunk past the limit */
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || (n > 0 && out->len + (size_t)n > f->limit)) {
      out->len = 0;
      out->data[0] = '\0';
      return n < 0 ? fail(fd, FIO_ERROR, why, NULL) : fail(fd, FIO_TOO_LARGE, why, too_large(a, f->limit));
    }
    if (n == 0)
      break;
    buf_append(out, chunk, (size_t)n);
  }
  close(fd);
  return FIO_OK;
}

void fio_close(struct fio_file *f) {
  if (f->fd >= 0)
    close(f->fd);
  f->fd = -1;
}

enum fio_status fio_read(struct arena *a, int dirfd, const char *path, bool nofollow, size_t limit,
                         struct buf *out, const char **why) {
  out->len = 0;
  buf_append(out, "", 0);
  struct fio_file f;
  enum fio_status st = fio_open(a, dirfd, path, nofollow, limit, &f, why);
  return st == FIO_OK ? fio_read_open(a, &f, out, why) : st;
}
