/* fuzz_one.c - runs the whole compiler over one input, in memory.
 *
 * Shared by the mutation smoke test (fuzz_smoke.c, run by ctest) and the
 * libFuzzer target (fuzz_libfuzzer.c, built with -DCAMARCH_FUZZ=ON and
 * clang).  Every environment of the input is resolved and lowered once and
 * then taken through every backend of the build, not only its own target's:
 * the rules and the backend's checks as that target, and, when they pass,
 * the backend's emitter into an in-memory output set, as `camarch check`
 * does.  The IR JSON and both diagnostic renderers run too, so a crash, a
 * leak or undefined behaviour anywhere shows under the sanitizers.
 */
#include "fuzz_one.h"

#include <stdio.h>
#include <stdlib.h>

#include "backend.h"
#include "output.h"
#include "uses.h"
#include "driver.h"
#include "ir.h"
#include "rules.h"

/* One environment's model through backend `b`, as if the environment named
 * b's target.  Returns whether it emitted. */
static bool through(struct compilation *c, const struct model *m, const struct backend *b) {
  struct model as = *m;
  as.e.target.v = b->target;
  as.place = b->place;
  unsigned before = c->diags.errors;
  sema_check(c, &as);
  uses_check(&as, &c->diags);
  struct outputs out;
  outputs_init(&out, c->arena);
  struct emit_ctx ctx = {c->arena, &out, m->env, &c->diags, before};
  bool ok = b->build(&as, &ctx);
  outputs_free(&out);
  return ok;
}

/* Renders the diagnostics as text (to a memory stream) and as JSON. */
static void render(struct compilation *c) {
  diags_sort(&c->diags);
  char *json = diags_render_json(&c->diags, &c->sources);
  free(json);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f) {
    diags_render_text(&c->diags, &c->sources, f);
    fclose(f);
  }
  free(text);
}

int camarch_fuzz_one(const uint8_t *data, size_t size, const char *stdlib_dir) {
  struct compilation c;
  compilation_init(&c, stdlib_dir);
  resolve_load_text(&c, "fuzz.camarch", (const char *)data, size);
  int built = 0;
  bool loaded = c.diags.errors == 0;  /* as the CLI: a file that does not parse compiles no environment */
  for (size_t i = 0; loaded && i <= c.envs.len; i++) {
    const struct env_decl *env = i < c.envs.len ? c.envs.items[i] : NULL;
    if (!env && c.envs.len)
      break;
    int minor = 0;
    unsigned before = c.diags.errors;
    struct val *v = resolve_env(&c, env, &minor);
    struct model *m = v ? lower(&c, env, v, minor) : NULL;
    if (!m || c.diags.errors > before)
      continue;
    char *json = ir_to_json(c.arena, m);
    free(json);
    for (size_t k = 0; backends[k]; k++)
      built += through(&c, m, backends[k]);
  }
  resolve_check_lets(&c);
  resolve_check_sets(&c);
  if (c.envs.len)
    sema_check_allows(&c);
  render(&c);
  compilation_free(&c);
  return built;
}
