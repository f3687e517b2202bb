/* output.c - atomic commit of an output set, with manifests. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void outputs_init(struct outputs *o, struct arena *a) {
  memset(o, 0, sizeof *o);
  o->arena = a;
}

void outputs_add_dir(struct outputs *o, const char *dir) {
  for (size_t i = 0; i < o->dirs.len; i++)
    if (strcmp(o->dirs.items[i], dir) == 0)
      return;
  vec_push(o->arena, &o->dirs, arena_strdup(o->arena, dir));
}

void outputs_add(struct outputs *o, const char *dir, const char *name, struct buf *data, unsigned mode) {
  struct out_file *f = arena_alloc(o->arena, sizeof *f);
  f->dir = arena_strdup(o->arena, dir);
  f->name = arena_strdup(o->arena, name);
  f->data = *data;
  f->mode = mode;
  *data = (struct buf){0};
  vec_push(o->arena, &o->files, f);
  outputs_add_dir(o, dir);
}

void outputs_free(struct outputs *o) {
  for (size_t i = 0; i < o->files.len; i++)
    buf_free(&((struct out_file *)o->files.items[i])->data);
}

__attribute__((format(printf, 1, 2))) static char *msg(const char *fmt, ...) {
  struct buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  char tmp[4096];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  buf_puts(&b, tmp);
  return b.data;
}

/* mkdir -p, remembering what it created so a failed build can undo it. */
static bool make_dirs(struct arena *a, const char *path, struct vec *created) {
  struct stat st;
  if (stat(path, &st) == 0)
    return S_ISDIR(st.st_mode) || (errno = ENOTDIR, false);
  char *parent = arena_strdup(a, path);
  char *slash = strrchr(parent, '/');
  if (slash && slash != parent) {
    *slash = '\0';
    if (!make_dirs(a, parent, created))
      return false;
  }
  if (mkdir(path, 0777) != 0 && errno != EEXIST)
    return false;
  vec_push(a, created, arena_strdup(a, path));
  return true;
}

/* The files an output directory's manifest lists (camarch wrote them). */
static void read_manifest(struct arena *a, const char *dir, struct vec *names) {
  char *path = arena_printf(a, "%s/%s", dir, OUTPUT_MANIFEST);
  FILE *f = fopen(path, "r");
  if (!f)
    return;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] && line[0] != '#' && !strstr(line, "..") && line[0] != '/')
      vec_push(a, names, arena_strdup(a, line));
  }
  fclose(f);
}

static bool listed(const struct vec *names, const char *name) {
  for (size_t i = 0; i < names->len; i++)
    if (strcmp(names->items[i], name) == 0)
      return true;
  return false;
}

static bool same_content(const char *path, const struct buf *data) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  bool same = true;
  size_t off = 0;
  char chunk[8192];
  size_t n;
  while (same && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    same = off + n <= data->len && memcmp(chunk, data->data + off, n) == 0;
    off += n;
  }
  fclose(f);
  return same && off == data->len;
}

/* Writes data to a fresh temp file beside `path`; returns its name. */
static char *write_temp(struct arena *a, const char *path, const struct buf *data, unsigned mode) {
  char *tmp = arena_printf(a, "%s.camarch-tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0)
    return NULL;
  mode_t mask = umask(0);
  umask(mask);
  size_t off = 0;
  bool ok = fchmod(fd, (mode_t)mode & ~mask) == 0;
  while (ok && off < data->len) {
    ssize_t w = write(fd, data->data + off, data->len - off);
    if (w < 0 && errno == EINTR)
      continue;
    ok = w > 0;
    if (ok)
      off += (size_t)w;
  }
  ok = ok && fsync(fd) == 0;
  int saved = errno;
  if (close(fd) != 0)
    ok = false;
  if (!ok) {
    unlink(tmp);
    errno = saved;
    return NULL;
  }
  return tmp;
}

struct pending {
  struct out_file *f;
  char *dest, *tmp;    /* tmp NULL: unchanged */
  char *backup;        /* a hard link to the file it replaces, if any */
  bool tmp_used;       /* renamed into place */
};

bool outputs_commit(struct outputs *o, bool force, struct commit_report *rep, char **err) {
  struct arena *a = o->arena;
  struct vec created = {0}, pend = {0};
  *rep = (struct commit_report){0};
  *err = NULL;
  /* 1. refuse to overwrite what camarch did not write */
  for (size_t i = 0; i < o->files.len && !force; i++) {
    struct out_file *f = o->files.items[i];
    struct vec names = {0};
    read_manifest(a, f->dir, &names);
    char *dest = arena_printf(a, "%s/%s", f->dir, f->name);
    struct stat st;
    if (lstat(dest, &st) == 0 && !listed(&names, f->name)) {
      *err = msg("refusing to overwrite %s: camarch did not write it (move it away, or use --force)", dest);
      return false;
    }
  }
  /* 2. every file and manifest to a temp file (the old manifests are kept
   * first, to find what the last build wrote and this one does not) */
  struct vec *old = arena_alloc(a, (o->dirs.len + 1) * sizeof *old);
  for (size_t i = 0; i < o->dirs.len; i++)
    read_manifest(a, o->dirs.items[i], &old[i]);
  for (size_t i = 0; i < o->dirs.len; i++) {
    const char *dir = o->dirs.items[i];
    struct buf man = {0};
    buf_puts(&man, "# files camarch generated in this directory; it overwrites and removes only these\n");
    for (size_t j = 0; j < o->files.len; j++) {
      struct out_file *f = o->files.items[j];
      if (strcmp(f->dir, dir) == 0)
        buf_printf(&man, "%s\n", f->name);
    }
    outputs_add(o, dir, OUTPUT_MANIFEST, &man, 0644);
  }
  bool ok = true;
  for (size_t i = 0; i < o->files.len && ok; i++) {
    struct out_file *f = o->files.items[i];
    struct pending *p = arena_alloc(a, sizeof *p);
    p->f = f;
    p->dest = arena_printf(a, "%s/%s", f->dir, f->name);
    vec_push(a, &pend, p);
    char *parent = arena_strdup(a, p->dest);
    *strrchr(parent, '/') = '\0';
    if (!make_dirs(a, parent, &created)) {
      *err = msg("cannot create directory %s: %s", parent, strerror(errno));
      ok = false;
    } else if (same_content(p->dest, &f->data)) {
      struct stat st;
      if (stat(p->dest, &st) == 0 && (st.st_mode & 0777) != (f->mode & 0777))
        chmod(p->dest, f->mode & 0777);
    } else if (!(p->tmp = write_temp(a, p->dest, &f->data, f->mode))) {
      *err = msg("cannot write %s: %s", p->dest, strerror(errno));
      ok = false;
    }
  }
  /* 3. all written: rename into place.  Each replaced file is first kept
   * as a hard link, so that if a later rename fails every earlier one can
   * be undone and the directory is left as it was. */
  for (size_t i = 0; i < pend.len && ok; i++) {
    struct pending *p = pend.items[i];
    struct stat st;
    if (p->tmp && lstat(p->dest, &st) == 0 && !S_ISREG(st.st_mode)) {
      *err = msg("cannot replace %s: it is not a regular file", p->dest);
      ok = false;
    }
  }
  size_t done = 0;
  for (; ok && done < pend.len; done++) {
    struct pending *p = pend.items[done];
    if (!p->tmp)
      continue;
    p->backup = arena_printf(a, "%s.camarch-old", p->tmp);
    if (link(p->dest, p->backup) != 0)
      p->backup = NULL;  /* nothing there yet */
    if (rename(p->tmp, p->dest) != 0) {
      *err = msg("cannot rename into %s: %s", p->dest, strerror(errno));
      ok = false;
      if (p->backup)
        unlink(p->backup);
      break;
    }
    p->tmp_used = true;
  }
  for (size_t i = 0; i < pend.len; i++) {
    struct pending *p = pend.items[i];
    if (!p->tmp) {
      rep->unchanged += ok;
      continue;
    }
    if (ok) {
      rep->written++;
      if (p->backup)
        unlink(p->backup);
    } else if (p->tmp_used) {  /* undo: restore the old file, or remove the new one */
      if (p->backup)
        rename(p->backup, p->dest);
      else
        unlink(p->dest);
    } else {
      unlink(p->tmp);
    }
  }
  if (!ok) {
    for (size_t i = created.len; i-- > 0;)
      rmdir(created.items[i]);
    return false;
  }
  /* 4. remove files an earlier build wrote that this one does not produce */
  for (size_t i = 0; i < o->dirs.len; i++) {
    const char *dir = o->dirs.items[i];
    for (size_t j = 0; j < old[i].len; j++) {
      const char *name = old[i].items[j];
      bool still = false;
      for (size_t k = 0; k < o->files.len && !still; k++) {
        struct out_file *f = o->files.items[k];
        still = strcmp(f->dir, dir) == 0 && strcmp(f->name, name) == 0;
      }
      if (!still && unlink(arena_printf(a, "%s/%s", dir, name)) == 0)
        rep->removed++;
    }
  }
  return true;
}
