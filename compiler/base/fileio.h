/* fileio.h - reading a file camarch did not make, safely.
 *
 * Everything camarch reads (the root file, imports, the standard library,
 * an output directory's manifest, a Compose project's secrets file) is read
 * through fio_read: opened once, without blocking (a FIFO or a device never
 * stalls the compiler), and only if it is a regular file of at most `limit`
 * bytes.  With `nofollow`, a symbolic link in the last component is refused
 * rather than followed (callers confine the components before it).
 */
#ifndef CAMARCH_FILEIO_H
#define CAMARCH_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "arena.h"

/* The largest source file camarch reads (an estate of a million lines is
 * about 30 MiB). */
#define FIO_SOURCE_LIMIT ((size_t)256 << 20)

enum fio_status {
  FIO_OK,
  FIO_ABSENT,       /* no such file (ENOENT, or ENOTDIR on the way) */
  FIO_NOT_REGULAR,  /* a directory, FIFO, socket, device, or (nofollow) a symbolic link */
  FIO_TOO_LARGE,    /* more than `limit` bytes */
  FIO_ERROR,        /* another failure; errno says which */
};

/* Reads `path` (relative to `dirfd`; AT_FDCWD for the working directory)
 * whole into `out` (which stays NUL-terminated, even when empty).  On
 * anything but FIO_OK, `out` is left empty, errno is kept and *why says
 * what was wrong (allocated in `a`), for a message: "no such file", "it is a FIFO, not a
 * regular file", "it is larger than 256 MiB", strerror(errno). */
enum fio_status fio_read(struct arena *a, int dirfd, const char *path, bool nofollow, size_t limit,
                         struct buf *out, const char **why);

/* The same in two steps, for a caller that must know which file it opened
 * before it reads a byte of it (an import confined to a directory): open,
 * ask fio_path where the file is, then read it or close it. */
struct fio_file {
  int fd;          /* -1 once read or closed */
  size_t limit;
  dev_t dev;
  ino_t ino;
};

/* Opens `path` as fio_read does and checks it is a regular file of at most
 * `limit` bytes, without reading it.  On anything but FIO_OK nothing stays
 * open and *why says what was wrong. */
enum fio_status fio_open(struct arena *a, int dirfd, const char *path, bool nofollow, size_t limit,
                         struct fio_file *f, const char **why);
/* The canonical path of the file that `f` has open (the kernel's own name
 * for the descriptor; where /proc is missing, the real path of `path` if it
 * still names that same file), in `a`; NULL if it cannot be known. */
const char *fio_path(struct arena *a, const struct fio_file *f, const char *path);
/* Reads the opened file whole into `out` (NUL-terminated) and closes it. */
enum fio_status fio_read_open(struct arena *a, struct fio_file *f, struct buf *out, const char **why);
void fio_close(struct fio_file *f);

#endif
