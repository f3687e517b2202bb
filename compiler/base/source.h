/* source.h - the files of one compilation, spans into them, and line maps.
 *
 * A span is a file id plus byte offsets; line and column are computed only
 * when a message is printed, from a line map built once per file.  File id 0
 * is reserved for "no location" (command-line values, built-in defaults).
 */
#ifndef CAMARCH_SOURCE_H
#define CAMARCH_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct span {
  uint32_t file;   /* 0: no source location */
  uint32_t start;  /* byte offset of the first byte */
  uint32_t end;    /* byte offset one past the last byte */
};

struct source_file {
  uint32_t id;
  const char *path;      /* as the user named it (for messages) */
  const char *realpath;  /* canonical, for import identity; may be NULL */
  const char *text;      /* NUL-terminated contents */
  size_t len;
  uint32_t *lines;       /* byte offset of each line start */
  size_t nlines;
  uint32_t *points;      /* code points before each 256-byte block, for columns */
};

struct sources {
  struct arena *arena;
  struct vec files;      /* struct source_file *, index = id - 1 */
};

struct loc {
  uint32_t line, col;    /* 1-based; col counts code points */
};

void sources_init(struct sources *s, struct arena *a);
/* Adds a file whose text is already in memory; the text is copied. */
struct source_file *sources_add(struct sources *s, const char *path, const char *realpath,
                                const char *text, size_t len);
struct source_file *sources_get(const struct sources *s, uint32_t id);
struct loc source_loc(const struct source_file *f, uint32_t offset);
/* The text of line `line` (1-based), without its newline. */
const char *source_line(const struct source_file *f, uint32_t line, size_t *len);

struct span span_join(struct span a, struct span b);
static inline bool span_known(struct span s) { return s.file != 0; }
/* Where a message points: the value's span, or `fallback` (its block, the
 * environment) when the value has no location. */
static inline struct span span_or(struct span s, struct span fallback) { return span_known(s) ? s : fallback; }

#endif
