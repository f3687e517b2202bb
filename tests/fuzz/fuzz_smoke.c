/* fuzz_smoke.c - deterministic mutation testing of the whole compiler.
 *
 * usage: fuzz_smoke ITERATIONS SEED_FILE...
 * Each iteration takes a seed estate, applies a few random edits (byte
 * flips, deletions, duplicated spans, inserted tokens of the language) and
 * compiles the result.  The test passes when nothing crashes, hangs (ctest's
 * timeout) or, under the sanitizers, misbehaves.  The PRNG is seeded with a
 * constant, so a failure reproduces; set FUZZ_SEED to explore other runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_one.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static size_t below(size_t n) { return n ? (size_t)(next() % n) : 0; }

static const char *const tokens[] = {
    "{", "}", "[", "]", "(", ")", "=", ",", ".", "\n", "\"", "${", "${x}", "\\", "/*", "*/", "//", "#",
    "estate", "environment \"e\" { target = helm }", "defaults", "import \"std/sizing\"", "import \"./nope\"",
    "let a = a", "let b = 3", "secret(\"s\")", "param(\"P\")", "param(\"P\", default = 1)", "enabled = false",
    "version = \"8.9\"", "version = \"9.1\"", "99999999999999999999", "-1", "0.5", "64Gi", "500m", "30s", "1e9",
    "true", "false", "none", "opensearch { }", "rdbms { url = \"jdbc:x\" }", "user \"u\" { }", "\xff\xfe",
    "\t", "\r\n", "sizing.baseline", "a.b.c.d", "\"${sizing.baseline}\"",
};

static char *mutate(const char *seed, size_t len, size_t *out_len) {
  size_t cap = len * 2 + 4096;
  char *buf = malloc(cap);
  if (!buf)
    abort();
  memcpy(buf, seed, len);
  size_t n = len;
  int edits = 1 + (int)below(8);
  for (int e = 0; e < edits; e++) {
    size_t at = below(n + 1);
    switch (below(5)) {
    case 0: /* flip a byte */
      if (n)
        buf[below(n)] = (char)below(256);
      break;
    case 1: { /* delete a span */
      size_t k = below(32);
      if (at + k > n)
        k = n - at;
      memmove(buf + at, buf + at + k, n - at - k);
      n -= k;
      break;
    }
    case 2: { /* duplicate a span */
      size_t from = below(n + 1), k = below(64);
      if (from + k > n)
        k = n - from;
      if (n + k >= cap)
        break;
      char tmp[64];
      memcpy(tmp, buf + from, k);
      memmove(buf + at + k, buf + at, n - at);
      memcpy(buf + at, tmp, k);
      n += k;
      break;
    }
    default: { /* insert a token */
      const char *t = tokens[below(sizeof tokens / sizeof tokens[0])];
      size_t k = strlen(t);
      if (n + k >= cap)
        break;
      memmove(buf + at + k, buf + at, n - at);
      memcpy(buf + at, t, k);
      n += k;
      break;
    }
    }
  }
  *out_len = n;
  return buf;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(s);
    return NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return s;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: fuzz_smoke ITERATIONS SEED_FILE...\n");
    return 2;
  }
  long iterations = strtol(argv[1], NULL, 10);
  if (getenv("FUZZ_SEED"))
    state = strtoull(getenv("FUZZ_SEED"), NULL, 10) | 1;
  int nseeds = argc - 2;
  char **seeds = calloc((size_t)nseeds, sizeof *seeds);
  size_t *lens = calloc((size_t)nseeds, sizeof *lens);
  if (!seeds || !lens)
    return 2;
  long compiled = 0;
  for (int i = 0; i < nseeds; i++) {
    seeds[i] = slurp(argv[i + 2], &lens[i]);
    if (!seeds[i]) {
      fprintf(stderr, "fuzz_smoke: cannot read %s\n", argv[i + 2]);
      return 2;
    }
    compiled += camarch_fuzz_one((const uint8_t *)seeds[i], lens[i], CAMARCH_STDLIB_SOURCE_DIR) > 0;
  }
  long built = 0;
  for (long it = 0; it < iterations; it++) {
    int s = (int)below((size_t)nseeds);
    size_t n;
    char *input = mutate(seeds[s], lens[s], &n);
    built += camarch_fuzz_one((const uint8_t *)input, n, CAMARCH_STDLIB_SOURCE_DIR) > 0;
    free(input);
  }
  for (int i = 0; i < nseeds; i++)
    free(seeds[i]);
  free(seeds);
  free(lens);
  printf("fuzz_smoke: %d seeds (%ld compile as they are), %ld mutants, %ld of them still build\n", nseeds, compiled,
         iterations, built);
  printf("%ld passed, 0 failed\n", iterations);
  return 0;
}
