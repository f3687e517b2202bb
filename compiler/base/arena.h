/* arena.h - one arena per compilation; passes allocate and never free.
 *
 * Everything the compiler builds (AST, values, model, diagnostics) lives in
 * the arena of the compilation that made it and dies with it.  Running out of
 * memory is not a user error: it aborts through die().  Tests may install a
 * failing allocator (arena_set_fail_after) to prove that path exits cleanly.
 */
#ifndef CAMARCH_ARENA_H
#define CAMARCH_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);            /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Growable array of pointers, allocated in an arena. */
struct vec {
  void **items;
  size_t len, cap;
};
void vec_push(struct arena *a, struct vec *v, void *item);
/* Adds a copy of string `s` to a vec of strings, unless it holds it already. */
void vec_push_str_once(struct arena *a, struct vec *v, const char *s);

/* Growable byte buffer, malloc-backed (for output that leaves the arena). */
struct buf {
  char *data;
  size_t len, cap;
};
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* Broken invariants and out-of-memory: print where and abort. */
_Noreturn void die_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define die(...) die_at(__FILE__, __LINE__, __VA_ARGS__)
#define UNREACHABLE() die_at(__FILE__, __LINE__, "unreachable")

/* For tests: make the n-th allocation from now on fail (0 disables). */
void arena_set_fail_after(long n);

#endif
