/* suggest.h - "did you mean" for misspelt names. */
#ifndef CAMARCH_SUGGEST_H
#define CAMARCH_SUGGEST_H

#include <stddef.h>

/* The candidate closest to `word` by edit distance (transpositions count
 * once), if it is close enough to be a likely typo; NULL otherwise. */
const char *suggest(const char *word, const char *const *cands, size_t n);

#endif
