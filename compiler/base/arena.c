/* arena.c - bump allocator in chunks, plus the small growable containers. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
  struct chunk *next;
  size_t used, size;
  max_align_t data[];
};

struct arena {
  struct chunk *head;
};

static long fail_after;

void arena_set_fail_after(long n) { fail_after = n; }

/* Every allocation of the compiler goes through here, so out-of-memory has
 * exactly one exit. */
static void *xmalloc(size_t n) {
  if (fail_after > 0 && --fail_after == 0)
    die("out of memory");
  void *p = malloc(n);
  if (!p)
    die("out of memory");
  return p;
}

_Noreturn void die_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "camarch: internal error at %s:%d: ", file, line);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(70);
}

struct arena *arena_new(void) {
  struct arena *a = xmalloc(sizeof *a);
  a->head = NULL;
  return a;
}

void arena_free(struct arena *a) {
  if (!a)
    return;
  for (struct chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void *arena_alloc(struct arena *a, size_t size) {
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;
  struct chunk *c = a->head;
  if (!c || c->size - c->used < size) {
    size_t cap = size > 65536 ? size : 65536;
    c = xmalloc(sizeof *c + cap);
    c->size = cap;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    die("bad format string");
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

void vec_push(struct arena *a, struct vec *v, void *item) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    void **items = arena_alloc(a, cap * sizeof *items);
    if (v->len)
      memcpy(items, v->items, v->len * sizeof *items);
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
}

void vec_push_str_once(struct arena *a, struct vec *v, const char *s) {
  for (size_t i = 0; i < v->len; i++)
    if (strcmp(v->items[i], s) == 0)
      return;
  vec_push(a, v, arena_strdup(a, s));
}

void buf_append(struct buf *b, const void *data, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = xmalloc(cap);
    if (b->len)
      memcpy(p, b->data, b->len);
    free(b->data);
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    die("bad format string");
  char *tmp = xmalloc((size_t)n + 1);
  vsnprintf(tmp, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf_append(b, tmp, (size_t)n);
  free(tmp);
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
