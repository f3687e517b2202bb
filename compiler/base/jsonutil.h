/* jsonutil.h - jansson helpers shared by the JSON writers.
 *
 * jansson refuses strings that are not UTF-8 (json_string returns NULL).
 * Source text is checked by the lexer, but file names and --set values come
 * from outside; json_text replaces any invalid byte with '?' rather than
 * losing the value.  Ownership: the returned reference is new; pass it to a
 * stealing call (json_object_set_new, json_array_append_new, "o" in pack).
 */
#ifndef CAMARCH_JSONUTIL_H
#define CAMARCH_JSONUTIL_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static inline json_t *json_text(const char *s) {
  json_t *j = json_string(s ? s : "");
  if (j)
    return j;
  size_t n = strlen(s);
  char *copy = malloc(n + 1);
  if (!copy)
    return json_null();
  for (size_t i = 0; i < n; i++)
    copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
  copy[n] = '\0';
  j = json_string(copy);
  free(copy);
  return j ? j : json_null();
}

#endif
