/* fileio.c - bounded, non-blocking reads of regular files. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
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

static enum fio_status fail(int fd, enum fio_status st, const char **why, const char *text) {
  int saved = errno;
  if (fd >= 0)
    close(fd);
  errno = saved;
  *why = text ? text : strerror(saved);
  return st;
}

enum fio_status fio_read(struct arena *a, int dirfd, const char *path, bool nofollow, size_t limit,
                         struct buf *out, const char **why) {
  out->len = 0;
  buf_append(out, "", 0);
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
  const char *too_large = limit >= (1u << 20) ? arena_printf(a, "it is larger than %zu MiB", limit >> 20)
                                               : arena_printf(a, "it is larger than %zu bytes", limit);
  if (st.st_size < 0 || (unsigned long long)st.st_size > limit)
    return fail(fd, FIO_TOO_LARGE, why, too_large);
  /* the file may grow while it is read: stop one chunk past the limit */
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 || (n > 0 && out->len + (size_t)n > limit)) {
      enum fio_status st2 = n < 0 ? FIO_ERROR : FIO_TOO_LARGE;
      out->len = 0;
      out->data[0] = '\0';
      return fail(fd, st2, why, n < 0 ? NULL : too_large);
    }
    if (n == 0)
      break;
    buf_append(out, chunk, (size_t)n);
  }
  close(fd);
  return FIO_OK;
}
