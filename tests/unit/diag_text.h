/* diag_text.h - a compilation's diagnostics as text, for the failure
 * messages of unit tests (cut after 4000 bytes: an estate of 100,000 lets
 * can report many).  Include after <cmocka.h> and driver.h. */
#ifndef CAMARCH_TEST_DIAG_TEXT_H
#define CAMARCH_TEST_DIAG_TEXT_H

#include <stdio.h>
#include <stdlib.h>

/* In the compilation's arena. */
static inline const char *diag_text(struct compilation *c) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  assert_non_null(f);
  diags_render_text(&c->diags, &c->sources, f);
  fclose(f);
  const char *s = arena_strndup(c->arena, out ? out : "", len > 4000 ? 4000 : len);
  free(out);
  return s;
}

#endif
