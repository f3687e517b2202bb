/* output.c - the output set, committed to disk all or nothing.
 *
 * outputs_commit, in order:
 *   1. names: every environment directory is one NAME_ENV name, every file
 *      path NAME_FILE segments, no two files on one path;
 *   2. the root: created if missing, opened once, locked (flock) so two
 *      builds of one directory never interleave;
 *   3. look: open the directories component by component, never following
 *      a link; read the old manifests; classify every file (new, replaced,
 *      unchanged, mode only, stale) and refuse links, files that are not
 *      regular and files camarch did not write;
 *   4. write every new content to a temporary file beside its destination;
 *   5. apply: back up each file it replaces (a hard link, or a copy where
 *      linking is refused), back up and remove stale files, rename the
 *      manifests into place, then the files, fix modes, fsync directories;
 *   6. remove the backups, and leftovers of an interrupted build anywhere
 *      in the environment directories.
 * Every change of 2-5 is a step in a log; a failure undoes the log in
 * reverse.  A step that cannot be undone is reported, with where the
 * previous content is, never hidden behind "nothing was changed".
 *
 * The order of 5 keeps a build killed at any point recoverable by the next
 * one: stale files are gone (to backups) before a manifest stops listing
 * them, and a manifest lists every new file before it appears, so the next
 * build owns everything this one left.
 */
#define _DEFAULT_SOURCE /* flock */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "map.h"
#include "names.h"

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

/* The root as typed, without trailing slashes ("/" stays). */
static const char *root_shown(struct arena *a, const char *root) {
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/')
    n--;
  return arena_strndup(a, root, n);
}

static const char *join(struct arena *a, const char *dir, const char *name) {
  if (!dir)
    return name;
  return arena_printf(a, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
}

const char *outputs_path(const struct outputs *o, const char *dir, const char *name) {
  const char *d = o->root ? join(o->arena, root_shown(o->arena, o->root), dir) : dir;
  return name ? join(o->arena, d, name) : d;
}

/* A name as it may appear in a message: quoted, control bytes escaped,
 * cut after 80 bytes. */
static const char *shown(struct arena *a, const char *s) {
  struct buf b = {0};
  buf_puts(&b, "\"");
  size_t i = 0;
  for (; s[i] && i < 80; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
      buf_printf(&b, "\\x%02x", ch);
    else
      buf_append(&b, &s[i], 1);
  }
  buf_puts(&b, s[i] ? "...\"" : "\"");
  const char *r = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return r;
}

/* Whether `p` is a relative path of NAME_FILE segments. */
static bool path_valid(const char *p) {
  char seg[256];
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n >= sizeof seg)
      return false;
    memcpy(seg, p, n);
    seg[n] = '\0';
    if (!name_valid(NAME_FILE, seg))
      return false;
    if (!slash)
      return true;
    p = slash + 1;
  }
}

static bool suffix_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* `s` starts with `tag` and six suffix characters; returns what follows. */
static const char *tagged(const char *s, const char *tag) {
  size_t n = strlen(tag);
  if (strncmp(s, tag, n) != 0)
    return NULL;
  for (size_t i = 0; i < 6; i++)
    if (!suffix_char(s[n + i]))
      return NULL;
  return s + n + 6;
}

/* A temporary or backup file of camarch (this version's, or an earlier
 * one's <file>.camarch-tmp.XXXXXX.camarch-old). */
static bool leftover_name(const char *name) {
  for (const char *p = strchr(name, '.'); p; p = strchr(p + 1, '.')) {
    if (p == name)
      continue;
    const char *rest = tagged(p, OUTPUT_BACKUP);
    if (rest && !*rest)
      return true;
    rest = tagged(p, OUTPUT_TEMP);
    if (rest && (!*rest || strcmp(rest, ".camarch-old") == 0))
      return true;
  }
  return false;
}

/* --- system calls, through one table so a test can make any one fail ---------------------- */

struct fault {
  struct out_fault f;
  long n;  /* matching calls so far */
};
static struct fault faults[4];
static size_t nfaults;
static long ncalls;
static const char *last_faulted;

void outputs_add_fault(const struct out_fault *f) {
  if (nfaults < sizeof faults / sizeof faults[0])
    faults[nfaults++] = (struct fault){*f, 0};
}

void outputs_clear_faults(void) {
  nfaults = 0;
  ncalls = 0;
  last_faulted = NULL;
}

long outputs_calls(void) { return ncalls; }

const char *outputs_faulted_call(void) { return last_faulted; }

/* Whether this call of `call` is to fail (errno set); every fault counts it. */
static bool faulted(const char *call) {
  ncalls++;
  int err = -1;
  for (size_t i = 0; i < nfaults; i++) {
    const struct out_fault *f = &faults[i].f;
    if (f->call && strcmp(f->call, call) != 0)
      continue;
    long n = ++faults[i].n;
    if (err < 0 && (n == f->at || (f->persist && n > f->at)))
      err = f->err;
  }
  if (err == 0)
    _exit(137);
  if (err > 0) {
    errno = err;
    last_faulted = call;
  }
  return err > 0;
}

#define SYSCALL(ret, name, params, args) \
  static ret sys_##name params { return faulted(#name) ? -1 : name args; }
SYSCALL(int, openat, (int d, const char *p, int fl, mode_t m), (d, p, fl, m))
SYSCALL(int, mkdirat, (int d, const char *p, mode_t m), (d, p, m))
SYSCALL(ssize_t, read, (int fd, void *b, size_t n), (fd, b, n))
SYSCALL(ssize_t, write, (int fd, const void *b, size_t n), (fd, b, n))
SYSCALL(int, fsync, (int fd), (fd))
SYSCALL(int, fchmod, (int fd, mode_t m), (fd, m))
SYSCALL(int, fstat, (int fd, struct stat *st), (fd, st))
SYSCALL(int, fstatat, (int d, const char *p, struct stat *st, int fl), (d, p, st, fl))
SYSCALL(int, linkat, (int d1, const char *p1, int d2, const char *p2, int fl), (d1, p1, d2, p2, fl))
SYSCALL(int, renameat, (int d1, const char *p1, int d2, const char *p2), (d1, p1, d2, p2))
SYSCALL(int, unlinkat, (int d, const char *p, int fl), (d, p, fl))
SYSCALL(int, flock, (int fd, int op), (fd, op))
#undef SYSCALL
/* close releases the descriptor even when it reports an error */
static int sys_close(int fd) {
  int r = close(fd);
  return faulted("close") ? -1 : r;
}

/* --- the commit's state --------------------------------------------------------------------- */

enum dkind { D_DIR, D_ABSENT, D_NOTDIR };

struct odir {                /* a directory below the root, opened once */
  struct odir *parent;       /* NULL: an environment directory (its parent is the root) */
  const char *name, *path;   /* its last segment; root/env/... for messages and as its key */
  enum dkind kind;
  int fd;                    /* D_DIR: open */
  bool dirty;                /* an entry changed: fsync it */
};

enum fstate { F_NEW, F_REPLACE, F_SAME, F_MODE, F_STALE };

struct ofile {               /* a file of the commit: one of the build's, or a stale one */
  const struct out_file *f;  /* NULL: stale, an earlier build's */
  struct oenv *env;
  struct odir *d;
  const char *leaf, *path;
  enum fstate state;
  bool manifest, exists, placed, gone, keep_backup;
  mode_t mode, old_mode;
  int fd;                    /* F_MODE: the file, open for fchmod */
  char *tmp, *backup;        /* names in d, once made */
};

enum act { A_ROOT, A_MKDIR, A_TEMP, A_BACKUP, A_UNLINK, A_PLACE, A_MODE };

struct step {
  enum act what;
  struct ofile *f;
  struct odir *d;
  const char *path;          /* A_ROOT */
};

struct oenv {
  const char *name;
  struct odir *d;
  const char **old;          /* the old manifest's paths, sorted, unique */
  size_t nold;
  const char **names;        /* the build's paths, sorted */
  size_t nnames;
};

struct commit {
  struct outputs *o;
  struct arena *a;
  bool force;
  const char *root;          /* as shown */
  int rootfd;
  struct oenv *envs;
  struct vec files;          /* struct ofile *: the build's, then the manifests, then stale ones */
  struct vec steps;          /* struct step * */
  struct map dirmap;         /* every odir, by path */
  struct vec dirs;           /* struct odir *, in the order opened */
  struct vec manbufs;        /* struct out_file *: the manifests it made */
  mode_t umask;
  const char *id;
  char *err;                 /* the cause (malloc'd) */
  struct vec left, junk;     /* const char *: what undoing could not put back, files left over */
  struct commit_report *rep;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct commit *c, const char *id, const char *fmt, ...) {
  if (c->err)
    return false;  /* the first cause is the one to report */
  va_list ap;
  va_start(ap, fmt);
  const char *s = arena_vprintf(c->a, fmt, ap);
  va_end(ap);
  c->err = strdup(s);
  if (!c->err)
    die("out of memory");
  c->id = id;
  return false;
}

static void step(struct commit *c, enum act what, struct ofile *f, struct odir *d, const char *path) {
  struct step *s = arena_alloc(c->a, sizeof *s);
  *s = (struct step){what, f, d, path};
  vec_push(c->a, &c->steps, s);
}


/* Opens d (its parent is open) without following a link; with `make`,
 * creates it first if missing.  False after an error or a refusal. */
static bool dir_open(struct commit *c, struct odir *d, bool make) {
  int pfd = d->parent ? d->parent->fd : c->rootfd;
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  d->fd = sys_openat(pfd, d->name, flags, 0);
  if (d->fd >= 0) {
    d->kind = D_DIR;
    return true;
  }
  if (errno == ENOENT) {
    d->kind = D_ABSENT;
    if (!make)
      return true;
    if (sys_mkdirat(pfd, d->name, 0777) != 0)
      return fail(c, "OUT001", "cannot create directory %s: %s", d->path, strerror(errno));
    step(c, A_MKDIR, NULL, d, NULL);
    if (d->parent)
      d->parent->dirty = true;
    d->fd = sys_openat(pfd, d->name, flags, 0);
    if (d->fd < 0)
      return fail(c, "OUT001", "cannot open directory %s: %s", d->path, strerror(errno));
    d->kind = D_DIR;
    return true;
  }
  if (errno != ELOOP && errno != ENOTDIR)
    return fail(c, "OUT001", "cannot open directory %s: %s", d->path, strerror(errno));
  struct stat st;
  if (sys_fstatat(pfd, d->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return fail(c, "OUT001", "cannot open directory %s: %s", d->path, strerror(errno));
  if (S_ISLNK(st.st_mode))
    return fail(c, "OUT002", "%s is a symbolic link; camarch does not write through links", d->path);
  d->kind = D_NOTDIR;
  return true;
}

/* Directory `rel` ("" or "config/orchestration") of environment e, opened
 * (or created, with `make`) component by component.  NULL after an error. */
static struct odir *dir_get(struct commit *c, struct oenv *e, const char *rel, bool make) {
  if (!*rel) {
    if (e->d->kind == D_ABSENT && make && !dir_open(c, e->d, true))
      return NULL;
    return e->d;
  }
  const char *path = join(c->a, e->d->path, rel);
  struct odir *d = map_get(&c->dirmap, path, NULL);
  if (d && (d->kind != D_ABSENT || !make))
    return d;
  const char *slash = strrchr(rel, '/');
  struct odir *parent = dir_get(c, e, slash ? arena_strndup(c->a, rel, (size_t)(slash - rel)) : "", make);
  if (!parent)
    return NULL;
  if (!d) {
    d = arena_alloc(c->a, sizeof *d);
    *d = (struct odir){parent, slash ? slash + 1 : rel, path, D_ABSENT, -1, false};
    map_put(&c->dirmap, d->path, NULL, d);
    vec_push(c->a, &c->dirs, d);
  }
  if (parent->kind != D_DIR) {
    if (make)
      return fail(c, "OUT002", "%s is not a directory", parent->path), NULL;
    d->kind = D_ABSENT;
    return d;
  }
  return dir_open(c, d, make) ? d : NULL;
}

/* The directory part of a path inside an environment ("" for none). */
static const char *dir_part(struct arena *a, const char *p) {
  const char *slash = strrchr(p, '/');
  return slash ? arena_strndup(a, p, (size_t)(slash - p)) : "";
}

static const char *leaf_part(const char *p) {
  const char *slash = strrchr(p, '/');
  return slash ? slash + 1 : p;
}

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* qsort, but an empty array may be NULL. */
static void sort_strs(void *v, size_t n) {
  if (n)
    qsort(v, n, sizeof(char *), cmp_str);
}

static bool sorted_has(const char **v, size_t n, const char *s) {
  return n && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

/* A random six-character suffix for a temporary or backup name. */
static const char *suffix(struct arena *a) {
  static unsigned long long x;
  static pid_t seeded;
  if (seeded != getpid()) {  /* and again in a forked child */
    seeded = getpid();
    x = ((unsigned long long)seeded << 32) ^ (unsigned long long)time(NULL) ^ 0x9e3779b97f4a7c15ull;
  }
  static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  char s[7];
  for (int i = 0; i < 6; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s[i] = digits[x % 62];
  }
  s[6] = '\0';
  return arena_strdup(a, s);
}

/* --- 1. names ------------------------------------------------------------------------------- */

static bool check_names(struct commit *c) {
  struct outputs *o = c->o;
  if (!o->root || !*o->root)
    return fail(c, "OUT002", "no output directory was given");
  for (size_t i = 0; i < o->dirs.len; i++) {
    const char *env = o->dirs.items[i];
    if (!name_valid(NAME_ENV, env))
      return fail(c, "OUT002", "environment %s cannot be a directory of %s (an environment name is %s)", shown(c->a, env), c->root,
                  name_grammar(NAME_ENV));
  }
  for (size_t i = 0; i < o->files.len; i++) {
    const struct out_file *f = o->files.items[i];
    const char *leaf = leaf_part(f->name);
    if (!path_valid(f->name) || strcmp(leaf, OUTPUT_MANIFEST) == 0 || leftover_name(leaf))
      return fail(c, "OUT002", "%s cannot be a file of %s (each part of its path is %s, and not one of camarch's own)",
                  shown(c->a, f->name), outputs_path(o, f->dir, NULL), name_grammar(NAME_FILE));
  }
  /* no two files on one path, no file where another needs a directory */
  for (size_t i = 0; i < o->dirs.len; i++) {
    struct oenv *e = &c->envs[i];
    for (size_t k = 1; k < e->nnames; k++)
      if (strcmp(e->names[k - 1], e->names[k]) == 0)
        return fail(c, "OUT002", "two files of the build are both %s", outputs_path(o, e->name, e->names[k]));
    for (size_t k = 0; k < e->nnames; k++)
      for (const char *p = strchr(e->names[k], '/'); p; p = strchr(p + 1, '/')) {
        const char *prefix = arena_strndup(c->a, e->names[k], (size_t)(p - e->names[k]));
        if (sorted_has(e->names, e->nnames, prefix))
          return fail(c, "OUT002", "%s is both a file and a directory of the build", outputs_path(o, e->name, prefix));
      }
  }
  return true;
}

/* --- 2. the root ---------------------------------------------------------------------------- */

/* Opens the root (the user's path, followed; created like mkdir -p) and
 * locks it for the rest of the commit. */
static bool open_root(struct commit *c) {
  const char *root = c->o->root;
  const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  c->rootfd = sys_openat(AT_FDCWD, root, flags, 0);
  if (c->rootfd < 0 && errno == ENOENT) {
    char *p = arena_strdup(c->a, root);
    for (char *s = p + 1;; s++) {
      if (*s && *s != '/')
        continue;
      char saved = *s;
      *s = '\0';
      if (sys_mkdirat(AT_FDCWD, p, 0777) == 0)
        step(c, A_ROOT, NULL, NULL, arena_strdup(c->a, p));
      else if (errno != EEXIST)
        return fail(c, "OUT001", "cannot create directory %s: %s", p, strerror(errno));
      *s = saved;
      if (!saved || !s[1])
        break;
    }
    c->rootfd = sys_openat(AT_FDCWD, root, flags, 0);
  }
  if (c->rootfd < 0) {
    if (errno == ENOTDIR)
      return fail(c, "OUT002", "%s is not a directory", c->root);
    return fail(c, "OUT001", "cannot open %s: %s", c->root, strerror(errno));
  }
  if (sys_flock(c->rootfd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return fail(c, "OUT002", "another camarch build is writing to %s; try again when it has finished", c->root);
    return fail(c, "OUT001", "cannot lock %s: %s", c->root, strerror(errno));
  }
  return true;
}

/* --- 3. look -------------------------------------------------------------------------------- */

/* The valid paths of environment e's old manifest, sorted and unique. */
static bool read_manifest(struct commit *c, struct oenv *e) {
  e->nold = 0;
  if (e->d->kind != D_DIR)
    return true;
  struct buf b = {0};
  const char *why;
  const char *path = join(c->a, e->d->path, OUTPUT_MANIFEST);
  enum fio_status st = fio_read(c->a, e->d->fd, OUTPUT_MANIFEST, true, OUTPUT_MANIFEST_LIMIT, &b, &why);
  if (st == FIO_ABSENT) {
    buf_free(&b);
    return true;
  }
  if (st != FIO_OK) {
    buf_free(&b);
    return fail(c, st == FIO_ERROR ? "OUT001" : "OUT002", "cannot read %s: %s", path, why);
  }
  struct vec v = {0};
  for (char *line = b.data; line < b.data + b.len;) {
    char *nl = memchr(line, '\n', (size_t)(b.data + b.len - line));
    char *end = nl ? nl : b.data + b.len;
    char *tab = memchr(line, '\t', (size_t)(end - line));
    char *stop = tab ? tab : end;
    if (stop > line && stop[-1] == '\r')
      stop--;
    const char *entry = arena_strndup(c->a, line, (size_t)(stop - line));
    if (entry[0] != '#' && strlen(entry) == (size_t)(stop - line) && path_valid(entry))
      vec_push(c->a, &v, (void *)entry);
    line = end + 1;
  }
  buf_free(&b);
  sort_strs(v.items, v.len);
  e->old = (const char **)v.items;
  for (size_t i = 0; i < v.len; i++)
    if (e->nold == 0 || strcmp(e->old[e->nold - 1], v.items[i]) != 0)
      e->old[e->nold++] = v.items[i];
  return true;
}

static struct ofile *new_ofile(struct commit *c, const struct out_file *f, struct oenv *e, const char *name) {
  struct ofile *x = arena_alloc(c->a, sizeof *x);
  x->f = f;
  x->env = e;
  x->leaf = leaf_part(name);
  x->path = join(c->a, e->d->path, name);
  x->fd = -1;
  x->mode = f ? (mode_t)f->mode & 0777 & ~c->umask : 0;
  vec_push(c->a, &c->files, x);
  return x;
}

/* What is at x's destination now (*mode 0: nothing), refusing a link, and
 * for a file of the build anything but a regular file. */
static bool look_at(struct commit *c, struct ofile *x, mode_t *mode) {
  struct stat st;
  *mode = 0;
  if (x->d->kind != D_DIR)
    return true;
  if (sys_fstatat(x->d->fd, x->leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return true;
    return fail(c, "OUT001", "cannot look at %s: %s", x->path, strerror(errno));
  }
  if (S_ISLNK(st.st_mode))
    return fail(c, "OUT002", "%s is a symbolic link; camarch does not write through links", x->path);
  *mode = st.st_mode;
  if (!S_ISREG(st.st_mode) && x->f)
    return fail(c, "OUT002", "cannot replace %s: it is not a regular file", x->path);
  return true;
}

static bool look(struct commit *c) {
  struct outputs *o = c->o;
  for (size_t i = 0; i < o->dirs.len; i++) {
    struct oenv *e = &c->envs[i];
    if (!dir_open(c, e->d, false))
      return false;
    if (e->d->kind == D_NOTDIR)
      return fail(c, "OUT002", "%s is not a directory", e->d->path);
    if (!read_manifest(c, e))
      return false;
  }
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    struct oenv *e = x->env;
    const char *name = x->f->name;
    if (!(x->d = dir_get(c, e, dir_part(c->a, name), false)))
      return false;
    for (const struct odir *d = x->d; d; d = d->parent)
      if (d->kind == D_NOTDIR)
        return fail(c, "OUT002", "%s is not a directory", d->path);
    mode_t m;
    if (!look_at(c, x, &m))
      return false;
    x->exists = m != 0;
    if (x->exists && !x->manifest && !c->force && !sorted_has(e->old, e->nold, name))
      return fail(c, "OUT001", "refusing to overwrite %s: camarch did not write it (move it away, or use --force)",
                  x->path);
  }
  /* stale: listed in the old manifest, not produced now, still a regular file there */
  for (size_t i = 0; i < o->dirs.len; i++) {
    struct oenv *e = &c->envs[i];
    for (size_t k = 0; k < e->nold; k++) {
      const char *name = e->old[k];
      if (sorted_has(e->names, e->nnames, name) || strcmp(name, OUTPUT_MANIFEST) == 0)
        continue;
      struct odir *d = dir_get(c, e, dir_part(c->a, name), false);
      if (!d)
        return false;
      if (d->kind != D_DIR)
        continue;
      struct ofile x = {.d = d, .leaf = leaf_part(name), .path = join(c->a, e->d->path, name)};
      mode_t m;
      if (!look_at(c, &x, &m))
        return false;
      if (!S_ISREG(m))
        continue;  /* gone, or not a file camarch wrote */
      struct ofile *s = new_ofile(c, NULL, e, name);
      s->d = d;
      s->state = F_STALE;
      s->exists = true;
    }
  }
  return true;
}

/* --- 4. write ------------------------------------------------------------------------------- */

static bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = sys_write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* Whether x's existing file holds exactly its new content; when only its
 * mode differs, the file stays open for fchmod. */
static bool compare(struct commit *c, struct ofile *x) {
  int fd = sys_openat(x->d->fd, x->leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0) {
    if (errno == ELOOP)
      return fail(c, "OUT002", "%s is a symbolic link; camarch does not write through links", x->path);
    return fail(c, "OUT001", "cannot read %s: %s", x->path, strerror(errno));
  }
  struct stat st;
  if (sys_fstat(fd, &st) != 0) {
    int e = errno;
    sys_close(fd);
    return fail(c, "OUT001", "cannot read %s: %s", x->path, strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    sys_close(fd);
    return fail(c, "OUT002", "cannot replace %s: it is not a regular file", x->path);
  }
  x->old_mode = st.st_mode & 07777;
  const struct buf *data = &x->f->data;
  bool same = (unsigned long long)st.st_size == data->len;
  size_t off = 0;
  char chunk[65536];
  while (same) {
    ssize_t n = sys_read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      sys_close(fd);
      return fail(c, "OUT001", "cannot read %s: %s", x->path, strerror(e));
    }
    if (n == 0)
      break;
    same = off + (size_t)n <= data->len && memcmp(chunk, data->data + off, (size_t)n) == 0;
    off += (size_t)n;
  }
  same = same && off == data->len;
  x->state = !same ? F_REPLACE : x->old_mode == x->mode ? F_SAME : F_MODE;
  if (x->state == F_MODE) {
    x->fd = fd;
    return true;
  }
  if (sys_close(fd) != 0)
    return fail(c, "OUT001", "cannot read %s: %s", x->path, strerror(errno));
  return true;
}

/* A new file in x's directory, named <leaf><tag>XXXXXX, open for writing. */
static int create_beside(struct commit *c, struct ofile *x, const char *tag, char **name) {
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    *name = arena_printf(c->a, "%s%s%s", x->leaf, tag, suffix(c->a));
    fd = sys_openat(x->d->fd, *name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  return fd;
}

static bool write_temp(struct commit *c, struct ofile *x) {
  int fd = create_beside(c, x, OUTPUT_TEMP, &x->tmp);
  if (fd < 0)
    return fail(c, "OUT001", "cannot write %s: %s", x->path, strerror(errno));
  step(c, A_TEMP, x, NULL, NULL);
  bool ok = sys_fchmod(fd, x->mode) == 0 && write_all(fd, x->f->data.data, x->f->data.len) && sys_fsync(fd) == 0;
  int e = errno;
  if (sys_close(fd) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (!ok)
    return fail(c, "OUT001", "cannot write %s: %s", x->path, strerror(e));
  return true;
}

static bool write_temps(struct commit *c) {
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if (x->state == F_STALE)
      continue;
    if (!(x->d = dir_get(c, x->env, dir_part(c->a, x->f->name), true)))
      return false;
    x->state = F_NEW;
    if (x->exists && !compare(c, x))
      return false;
    if ((x->state == F_NEW || x->state == F_REPLACE) && !write_temp(c, x))
      return false;
  }
  return true;
}

/* --- 5. apply ------------------------------------------------------------------------------- */

/* Keeps x's current file as <leaf>.camarch-old.XXXXXX by copying it (where
 * a hard link is refused). */
static bool copy_backup(struct commit *c, struct ofile *x) {
  int src = sys_openat(x->d->fd, x->leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (src < 0) {
    if (errno == ENOENT) {  /* it went away meanwhile: there is nothing to keep */
      x->exists = false;
      return true;
    }
    return fail(c, "OUT001", "cannot keep a copy of %s: %s", x->path, strerror(errno));
  }
  struct stat st;
  int dst = -1;
  bool ok = sys_fstat(src, &st) == 0 && (S_ISREG(st.st_mode) || (errno = EINVAL, false)) &&
            (dst = create_beside(c, x, OUTPUT_BACKUP, &x->backup)) >= 0;
  if (dst < 0)
    x->backup = NULL;
  else {
    step(c, A_BACKUP, x, NULL, NULL);
    char chunk[65536];
    for (ssize_t n; ok && (n = sys_read(src, chunk, sizeof chunk)) != 0;) {
      if (n < 0 && errno == EINTR)
        continue;
      ok = n > 0 && write_all(dst, chunk, (size_t)n);
    }
    ok = ok && sys_fchmod(dst, st.st_mode & 07777) == 0 && sys_fsync(dst) == 0;
  }
  int e = errno;
  if (dst >= 0 && sys_close(dst) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (sys_close(src) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (!ok)
    return fail(c, "OUT001", "cannot keep a copy of %s: %s", x->path, strerror(e));
  return true;
}

/* Keeps x's current file as a backup: a hard link, or a copy. */
static bool backup(struct commit *c, struct ofile *x) {
  for (int tries = 0; tries < 100; tries++) {
    x->backup = arena_printf(c->a, "%s" OUTPUT_BACKUP "%s", x->leaf, suffix(c->a));
    if (sys_linkat(x->d->fd, x->leaf, x->d->fd, x->backup, 0) == 0) {
      step(c, A_BACKUP, x, NULL, NULL);
      return true;
    }
    if (errno != EEXIST)
      break;
  }
  x->backup = NULL;
  if (errno == ENOENT) {
    x->exists = false;
    return true;
  }
  return copy_backup(c, x);
}

static bool place(struct commit *c, struct ofile *x) {
  if (sys_renameat(x->d->fd, x->tmp, x->d->fd, x->leaf) != 0)
    return fail(c, "OUT001", "cannot rename into %s: %s", x->path, strerror(errno));
  x->placed = true;
  x->d->dirty = true;
  step(c, A_PLACE, x, NULL, NULL);
  return true;
}

static bool apply(struct commit *c) {
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if ((x->state == F_REPLACE || x->state == F_STALE) && !backup(c, x))
      return false;
  }
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if (x->state != F_STALE || !x->exists)
      continue;
    if (sys_unlinkat(x->d->fd, x->leaf, 0) != 0)
      return fail(c, "OUT001", "cannot remove %s: %s", x->path, strerror(errno));
    x->gone = true;
    x->d->dirty = true;
    step(c, A_UNLINK, x, NULL, NULL);
  }
  for (int manifests = 1; manifests >= 0; manifests--)
    for (size_t i = 0; i < c->files.len; i++) {
      struct ofile *x = c->files.items[i];
      if (x->manifest == manifests && (x->state == F_NEW || x->state == F_REPLACE) && !place(c, x))
        return false;
    }
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if (x->state != F_MODE)
      continue;
    if (sys_fchmod(x->fd, x->mode) != 0)
      return fail(c, "OUT001", "cannot change the mode of %s: %s", x->path, strerror(errno));
    step(c, A_MODE, x, NULL, NULL);
  }
  for (size_t i = 0; i < c->dirs.len; i++) {
    struct odir *d = c->dirs.items[i];
    if (d->dirty && sys_fsync(d->fd) != 0)
      return fail(c, "OUT001", "cannot sync directory %s: %s", d->path, strerror(errno));
  }
  if (c->rootfd >= 0 && sys_fsync(c->rootfd) != 0)
    return fail(c, "OUT001", "cannot sync directory %s: %s", c->root, strerror(errno));
  return true;
}

/* --- undo ----------------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void note(struct commit *c, struct vec *v, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vec_push(c->a, v, arena_vprintf(c->a, fmt, ap));
  va_end(ap);
}

static const char *beside(struct commit *c, const struct ofile *x, const char *name) {
  return join(c->a, x->d->path, name);
}

/* Undoes the steps taken, newest first; what it cannot undo goes to
 * c->left (outputs that differ from before) or c->junk (files left over). */
static void undo(struct commit *c) {
  for (size_t i = c->steps.len; i-- > 0;) {
    const struct step *s = c->steps.items[i];
    struct ofile *x = s->f;
    int fd = x ? x->d->fd : -1;
    switch (s->what) {
    case A_MODE:
      if (sys_fchmod(x->fd, x->old_mode) != 0)
        note(c, &c->left, "%s has mode %04o instead of %04o", x->path, (unsigned)x->mode, (unsigned)x->old_mode);
      break;
    case A_PLACE:
      if (x->backup && x->exists) {
        if (sys_renameat(fd, x->backup, fd, x->leaf) == 0)
          x->backup = NULL;
        else {
          x->keep_backup = true;
          note(c, &c->left, "%s holds the new content (the previous one is in %s)", x->path,
               beside(c, x, x->backup));
        }
      } else if (sys_unlinkat(fd, x->leaf, 0) != 0) {
        note(c, &c->left, "%s was added", x->path);
      }
      x->d->dirty = true;
      break;
    case A_UNLINK:
      if (sys_renameat(fd, x->backup, fd, x->leaf) == 0)
        x->backup = NULL;
      else {
        x->keep_backup = true;
        note(c, &c->left, "%s was removed (its content is in %s)", x->path, beside(c, x, x->backup));
      }
      x->d->dirty = true;
      break;
    case A_BACKUP:
      if (x->backup && !x->keep_backup && sys_unlinkat(fd, x->backup, 0) != 0)
        note(c, &c->junk, "%s", beside(c, x, x->backup));
      break;
    case A_TEMP:
      if (!x->placed && sys_unlinkat(fd, x->tmp, 0) != 0)
        note(c, &c->junk, "%s", beside(c, x, x->tmp));
      break;
    case A_MKDIR: {
      int pfd = s->d->parent ? s->d->parent->fd : c->rootfd;
      if (sys_unlinkat(pfd, s->d->name, AT_REMOVEDIR) != 0)
        note(c, &c->left, "directory %s was created", s->d->path);
      break;
    }
    case A_ROOT:
      if (sys_unlinkat(AT_FDCWD, s->path, AT_REMOVEDIR) != 0)
        note(c, &c->left, "directory %s was created", s->path);
      break;
    }
  }
  for (size_t i = 0; i < c->dirs.len; i++) {
    struct odir *d = c->dirs.items[i];
    if (d->dirty && d->fd >= 0)
      sys_fsync(d->fd);
  }
}

/* The cause, then what the failed commit left: the whole message. */
static char *failure_message(struct commit *c) {
  struct buf b = {0};
  buf_puts(&b, c->err);
  if (c->left.len) {
    c->id = "OUT003";
    buf_puts(&b, "; undoing the build failed too, so it is left part-written:");
    for (size_t i = 0; i < c->left.len; i++)
      buf_printf(&b, "%s %s", i ? ";" : "", (const char *)c->left.items[i]);
  } else {
    buf_puts(&b, "; nothing was changed");
  }
  if (c->junk.len) {
    buf_puts(&b, c->left.len ? "; and" : ", but");
    buf_printf(&b, " %zu temporary file%s could not be removed (the next build removes them):", c->junk.len,
               c->junk.len == 1 ? "" : "s");
    for (size_t i = 0; i < c->junk.len; i++)
      buf_printf(&b, "%s %s", i ? "," : "", (const char *)c->junk.items[i]);
  }
  return b.data;
}

/* --- 6. clean up ---------------------------------------------------------------------------- */

/* How far the search for leftovers goes below an environment directory. */
#define LEFTOVER_DEPTH 16
#define LEFTOVER_ENTRIES 100000

struct sweep {
  struct commit *c;
  const char **kept;  /* this build's backups it could not remove: counted already */
  size_t nkept;
  long entries;       /* left to look at */
};

/* Removes camarch's temporary and backup files from the tree of directory
 * fd (shown as `path`), never following a link: what an interrupted build
 * left, wherever its files were (a stale file's directory may be in no
 * manifest any more). */
static void sweep_dir(struct sweep *w, int fd, const char *path, int depth) {
  struct commit *c = w->c;
  int dup = sys_openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  DIR *dir = dup >= 0 ? fdopendir(dup) : NULL;
  if (!dir) {
    if (dup >= 0)
      sys_close(dup);
    return;
  }
  struct vec names = {0};
  for (struct dirent *de; w->entries > 0 && (de = readdir(dir)); w->entries--)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      vec_push(c->a, &names, arena_strdup(c->a, de->d_name));
  closedir(dir);
  for (size_t i = 0; i < names.len; i++) {
    const char *name = names.items[i];
    struct stat st;
    if (sys_fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    const char *shown_path = join(c->a, path, name);
    if (S_ISDIR(st.st_mode) && depth < LEFTOVER_DEPTH) {
      int sub = sys_openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
      if (sub >= 0) {
        sweep_dir(w, sub, shown_path, depth + 1);
        sys_close(sub);
      }
    } else if (S_ISREG(st.st_mode) && leftover_name(name) && !sorted_has(w->kept, w->nkept, shown_path)) {
      if (sys_unlinkat(fd, name, 0) == 0)
        c->rep->leftovers++;
      else
        c->rep->unremoved++;
    }
  }
}

/* Once everything is in place: the backups, then leftovers.  A failure
 * here is counted, not an error: the outputs are right, and the next
 * build removes what remains. */
static void clean_up(struct commit *c) {
  struct vec kept = {0};
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if (x->backup && sys_unlinkat(x->d->fd, x->backup, 0) != 0) {
      c->rep->unremoved++;
      vec_push(c->a, &kept, (void *)beside(c, x, x->backup));
    }
  }
  sort_strs(kept.items, kept.len);
  for (size_t i = 0; i < c->o->dirs.len; i++) {
    struct sweep w = {c, (const char **)kept.items, kept.len, LEFTOVER_ENTRIES};
    const struct odir *d = c->envs[i].d;
    if (d->kind == D_DIR)
      sweep_dir(&w, d->fd, d->path, 0);
  }
}

/* --- the commit ----------------------------------------------------------------------------- */

/* The manifest of environment e: the paths of its files, in the build's order. */
static struct out_file *manifest(struct commit *c, struct oenv *e) {
  struct out_file *m = arena_alloc(c->a, sizeof *m);
  m->dir = e->name;
  m->name = OUTPUT_MANIFEST;
  m->mode = 0644;
  buf_puts(&m->data, "# files camarch generated in this directory; it overwrites and removes only these\n");
  for (size_t j = 0; j < c->o->files.len; j++) {
    const struct out_file *f = c->o->files.items[j];
    if (strcmp(f->dir, e->name) == 0)
      buf_printf(&m->data, "%s\n", f->name);
  }
  vec_push(c->a, &c->manbufs, m);
  return m;
}

static void close_all(struct commit *c) {
  for (size_t i = 0; i < c->files.len; i++) {
    struct ofile *x = c->files.items[i];
    if (x->state == F_MODE && x->fd >= 0)
      close(x->fd);
  }
  for (size_t i = 0; i < c->dirs.len; i++) {
    struct odir *d = c->dirs.items[i];
    if (d->fd >= 0)
      close(d->fd);
  }
  if (c->rootfd >= 0)
    close(c->rootfd);  /* and releases the lock */
}

bool outputs_commit(struct outputs *o, bool force, struct commit_report *rep, char **err) {
  struct arena *a = o->arena;
  *rep = (struct commit_report){0};
  *err = NULL;
  struct commit c = {.o = o, .a = a, .force = force, .rootfd = -1, .rep = rep};
  c.root = o->root ? root_shown(a, o->root) : "";
  map_init(&c.dirmap, a);
  c.umask = umask(0);
  umask(c.umask);
  c.envs = arena_alloc(a, (o->dirs.len + 1) * sizeof *c.envs);
  for (size_t i = 0; i < o->dirs.len; i++) {
    struct oenv *e = &c.envs[i];
    e->name = o->dirs.items[i];
    e->d = arena_alloc(a, sizeof *e->d);
    *e->d = (struct odir){NULL, e->name, outputs_path(o, e->name, NULL), D_ABSENT, -1, false};
    vec_push(a, &c.dirs, e->d);
    e->names = arena_alloc(a, (o->files.len + 1) * sizeof *e->names);
  }
  for (size_t i = 0; i < o->files.len; i++) {
    const struct out_file *f = o->files.items[i];
    for (size_t k = 0; k < o->dirs.len; k++)
      if (strcmp(c.envs[k].name, f->dir) == 0)
        c.envs[k].names[c.envs[k].nnames++] = f->name;
  }
  for (size_t k = 0; k < o->dirs.len; k++)
    sort_strs(c.envs[k].names, c.envs[k].nnames);
  bool ok = check_names(&c);
  if (ok) {
    /* the build's files, then one manifest per environment */
    for (size_t i = 0; i < o->files.len + o->dirs.len; i++) {
      size_t k = 0;
      const struct out_file *f = i < o->files.len ? o->files.items[i] : manifest(&c, &c.envs[i - o->files.len]);
      while (strcmp(c.envs[k].name, f->dir) != 0)
        k++;
      new_ofile(&c, f, &c.envs[k], f->name)->manifest = i >= o->files.len;
    }
    ok = open_root(&c) && look(&c) && write_temps(&c) && apply(&c);
  }
  if (ok) {
    clean_up(&c);
    for (size_t i = 0; i < c.files.len; i++) {
      const struct ofile *x = c.files.items[i];
      rep->written += x->state == F_NEW || x->state == F_REPLACE;
      rep->unchanged += x->state == F_SAME || x->state == F_MODE;
      rep->removed += x->gone;
    }
  } else {
    undo(&c);
    *err = failure_message(&c);
    rep->error_id = c.id;
  }
  free(c.err);
  close_all(&c);
  for (size_t i = 0; i < c.manbufs.len; i++)
    buf_free(&((struct out_file *)c.manbufs.items[i])->data);
  return ok;
}

/* --- reading what an earlier build left ----------------------------------------------------- */

enum out_read outputs_read_previous(const struct outputs *o, const char *dir, const char *name, size_t limit,
                                    struct buf *content, const char **why) {
  struct arena *a = o->arena;
  content->len = 0;
  buf_append(content, "", 0);
  *why = NULL;
  if (!o->root || !*o->root)
    return OUT_READ_ABSENT;
  if (!name_valid(NAME_ENV, dir) || !path_valid(name)) {
    *why = arena_printf(a, "%s is not a path camarch writes", shown(a, outputs_path(o, dir, name)));
    return OUT_READ_REFUSED;
  }
  int fd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return OUT_READ_ABSENT;
    *why = arena_printf(a, "cannot open %s: %s", root_shown(a, o->root), strerror(errno));
    return OUT_READ_REFUSED;
  }
  /* the environment's directory, then the directories of name */
  const char *rel = join(a, dir, name), *path = root_shown(a, o->root);
  enum out_read r = OUT_READ_ABSENT;
  for (const char *p = rel;;) {
    const char *slash = strchr(p, '/');
    const char *seg = slash ? arena_strndup(a, p, (size_t)(slash - p)) : p;
    path = join(a, path, seg);
    if (!slash) {
      const char *w;
      enum fio_status st = fio_read(a, fd, seg, true, limit, content, &w);
      if (st == FIO_OK)
        r = OUT_READ_OK;
      else if (st != FIO_ABSENT) {  /* "out/dev/secrets.env is a FIFO, ...", or "...: <strerror>" */
        *why = strncmp(w, "it ", 3) == 0 ? arena_printf(a, "%s %s", path, w + 3) : arena_printf(a, "%s: %s", path, w);
        r = OUT_READ_REFUSED;
      }
      break;
    }
    int next = openat(fd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      int e = errno;
      struct stat st;
      if ((e == ELOOP || e == ENOTDIR) && fstatat(fd, seg, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        *why = arena_printf(a, "%s is a symbolic link; camarch does not read through links", path);
        r = OUT_READ_REFUSED;
      } else if (e != ENOENT && e != ENOTDIR && e != ELOOP) {
        *why = arena_printf(a, "cannot open %s: %s", path, strerror(e));
        r = OUT_READ_REFUSED;
      }
      break;
    }
    close(fd);
    fd = next;
    p = slash + 1;
  }
  close(fd);
  return r;
}
