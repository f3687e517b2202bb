/* fuzz_one.h - the whole pipeline over one in-memory input. */
#ifndef CAMARCH_FUZZ_ONE_H
#define CAMARCH_FUZZ_ONE_H

#include <stddef.h>
#include <stdint.h>

/* Returns how many (environment, backend) pairs compiled and emitted. */
int camarch_fuzz_one(const uint8_t *data, size_t size, const char *stdlib_dir);

#endif
