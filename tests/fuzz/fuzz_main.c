/* fuzz_main.c - runs a libFuzzer target's entry point over the files named
 * on the command line, without libFuzzer: the suite replays each target's
 * regression inputs in every build (plain, sanitizers, valgrind).
 *   fuzz_readback_replay FILE... */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  struct arena *a = arena_new();
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    struct buf b = {0};
    const char *why;
    if (fio_read(a, AT_FDCWD, argv[i], false, (size_t)1 << 24, &b, &why) != FIO_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], why);
      failed++;
    } else {
      LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    }
    buf_free(&b);
  }
  arena_free(a);
  printf("%d passed, %d failed\n", argc - 1 - failed, failed);
  return failed ? 2 : 0;
}
