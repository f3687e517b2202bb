/* fuzz_libfuzzer.c - libFuzzer entry point (clang, -DCAMARCH_FUZZ=ON):
 *   ./build-fuzz/fuzz_camarch -max_total_time=60 -dict=tests/fuzz/camarch.dict examples/acme */
#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  camarch_fuzz_one(data, size, CAMARCH_STDLIB_SOURCE_DIR);
  return 0;
}
