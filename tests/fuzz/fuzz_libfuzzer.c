/* fuzz_libfuzzer.c - libFuzzer entry point for the whole pipeline (clang,
 * -DCAMARCH_FUZZ=ON; tests/fuzz/run.sh runs it with its seeds and the
 * dictionary the build generates from the model).
 *
 * Besides libFuzzer's byte-level mutations, a custom mutator edits an
 * estate the way a person does, in units of the language: the items of a
 * body (its lines, its comma-separated attributes, what stands between
 * braces).  It deletes one (a block
 * left without a field it needs), duplicates or swaps them, moves the value
 * of one attribute to another (a string where a number belongs, a URL
 * where a host belongs), or lets libFuzzer mutate bytes.  Byte mutations
 * alone rarely delete exactly one attribute of a valid estate, and that is
 * the edit that reaches a backend with a field unset.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  camarch_fuzz_one(data, size, CAMARCH_STDLIB_SOURCE_DIR);
  return 0;
}

/* An item: [start, end) of a line, or of a part of one between commas and
 * braces (so `filesystem { path = "/b" }` holds the item ` path = "/b" `). */
struct item {
  size_t start, end;
};

#define MAX_ITEMS 4096

static size_t split(const uint8_t *d, size_t n, struct item *items) {
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= n && k < MAX_ITEMS; i++) {
    if (i == n || d[i] == '\n' || d[i] == ',' || d[i] == '{' || d[i] == '}') {
      if (i > start)
        items[k++] = (struct item){start, i};
      start = i + 1;
    }
  }
  return k;
}

/* The position of '=' in an item, or its end. */
static size_t equals(const uint8_t *d, struct item it) {
  for (size_t i = it.start; i < it.end; i++)
    if (d[i] == '=')
      return i;
  return it.end;
}

/* Replaces [from, to) of data (size n) with len bytes of src; returns the
 * new size, or n when it would not fit. */
static size_t splice(uint8_t *data, size_t n, size_t max, size_t from, size_t to, const uint8_t *src, size_t len) {
  if (n - (to - from) + len > max)
    return n;
  memmove(data + from + len, data + to, n - to);
  memcpy(data + from, src, len);
  return n - (to - from) + len;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
  srand(seed);
  static struct item items[MAX_ITEMS];
  size_t k = split(data, size, items);
  if (k < 2 || rand() % 3 == 0)
    return LLVMFuzzerMutate(data, size, max_size);
  struct item a = items[(size_t)rand() % k], b = items[(size_t)rand() % k];
  uint8_t copy[512];
  switch (rand() % 4) {
  case 0: /* delete an item */
    return splice(data, size, max_size, a.start, a.end, NULL, 0);
  case 1: { /* duplicate an item after another */
    size_t len = a.end - a.start < sizeof copy - 1 ? a.end - a.start : sizeof copy - 1;
    memcpy(copy, data + a.start, len);
    copy[len++] = '\n';
    return splice(data, size, max_size, b.end, b.end, copy, len);
  }
  case 2: { /* give a's value to b */
    size_t ea = equals(data, a), eb = equals(data, b);
    if (ea == a.end || eb == b.end)
      return LLVMFuzzerMutate(data, size, max_size);
    size_t len = a.end - ea - 1 < sizeof copy ? a.end - ea - 1 : sizeof copy;
    memcpy(copy, data + ea + 1, len);
    return splice(data, size, max_size, eb + 1, b.end, copy, len);
  }
  default: { /* swap two items: the later one first, so the earlier one's offsets hold */
    if (a.start > b.start) {
      struct item t = a;
      a = b;
      b = t;
    }
    size_t la = a.end - a.start, lb = b.end - b.start;
    uint8_t first[512];
    if (a.end > b.start || la > sizeof first || lb > sizeof copy)
      return LLVMFuzzerMutate(data, size, max_size);
    memcpy(first, data + a.start, la);
    memcpy(copy, data + b.start, lb);
    size_t n = splice(data, size, max_size, b.start, b.end, first, la);
    return splice(data, n, max_size, a.start, a.end, copy, lb);
  }
  }
}
