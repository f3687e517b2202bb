/* source.c - file registry and line maps.
 *
 * A UTF-8 byte order mark at the start of a file (which the scanner skips)
 * is not part of the first line: line 1 starts after it, so columns and
 * the excerpts of diagnostics are those of the text an editor shows.
 *
 * Columns count code points.  So that a line of any length costs the same
 * per diagnostic, the file keeps the number of code points before every
 * SOURCE_BLOCK bytes, and a column counts at most one block by hand. */
#include "source.h"

#include <string.h>

#define SOURCE_BLOCK 256

static bool starts_code_point(char c) { return ((unsigned char)c & 0xC0) != 0x80; }

void sources_init(struct sources *s, struct arena *a) {
  memset(s, 0, sizeof *s);
  s->arena = a;
}

struct source_file *sources_add(struct sources *s, const char *path, const char *realpath,
                                const char *text, size_t len) {
  struct source_file *f = arena_alloc(s->arena, sizeof *f);
  f->id = (uint32_t)s->files.len + 1;
  f->path = arena_strdup(s->arena, path);
  f->realpath = realpath ? arena_strdup(s->arena, realpath) : NULL;
  f->text = arena_strndup(s->arena, text, len);
  f->len = len;
  size_t n = 1;
  for (size_t i = 0; i < len; i++)
    n += text[i] == '\n';
  f->lines = arena_alloc(s->arena, n * sizeof *f->lines);
  f->lines[0] = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  f->nlines = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      f->lines[f->nlines++] = (uint32_t)(i + 1);
  f->points = arena_alloc(s->arena, (len / SOURCE_BLOCK + 1) * sizeof *f->points);
  uint32_t points = 0;
  for (size_t i = 0; i < len; i++) {
    if (i % SOURCE_BLOCK == 0)
      f->points[i / SOURCE_BLOCK] = points;
    points += starts_code_point(text[i]);
  }
  if (len % SOURCE_BLOCK == 0)
    f->points[len / SOURCE_BLOCK] = points;
  vec_push(s->arena, &s->files, f);
  return f;
}

struct source_file *sources_get(const struct sources *s, uint32_t id) {
  if (id == 0 || id > s->files.len)
    return NULL;
  return s->files.items[id - 1];
}

/* The code points in the file before byte `offset`. */
static uint32_t points_before(const struct source_file *f, uint32_t offset) {
  uint32_t n = f->points[offset / SOURCE_BLOCK];
  for (uint32_t i = offset / SOURCE_BLOCK * SOURCE_BLOCK; i < offset; i++)
    n += starts_code_point(f->text[i]);
  return n;
}

struct loc source_loc(const struct source_file *f, uint32_t offset) {
  if (offset > f->len)
    offset = (uint32_t)f->len;
  size_t lo = 0, hi = f->nlines;  /* find the last line start <= offset */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (f->lines[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  uint32_t start = f->lines[lo] < offset ? f->lines[lo] : offset;
  return (struct loc){(uint32_t)lo + 1, points_before(f, offset) - points_before(f, start) + 1};
}

const char *source_line(const struct source_file *f, uint32_t line, size_t *len) {
  if (line == 0 || line > f->nlines) {
    *len = 0;
    return "";
  }
  const char *start = f->text + f->lines[line - 1];
  const char *end = memchr(start, '\n', f->len - f->lines[line - 1]);
  *len = end ? (size_t)(end - start) : f->len - f->lines[line - 1];
  if (*len && start[*len - 1] == '\r')
    (*len)--;
  return start;
}

struct span span_join(struct span a, struct span b) {
  if (!span_known(a))
    return b;
  if (!span_known(b) || a.file != b.file)
    return a;
  return (struct span){a.file, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end};
}
