/* fuzz_one.c - runs the whole compiler over one input, in memory.
 *
 * Shared by the mutation smoke test (fuzz_smoke.c, run by ctest) and the
 * libFuzzer target (fuzz_libfuzzer.c, built with -DCAMARCH_FUZZ=ON and
 * clang).  Every stage runs: parse, resolve, lower, backend checks, IR JSON
 * and the Helm values emitter, so a crash, a leak or undefined behaviour
 * anywhere shows under the sanitizers.
 */
#include "fuzz_one.h"

#include <stdlib.h>

#include "backend.h"
#include "driver.h"
#include "ir.h"

int camarch_fuzz_one(const uint8_t *data, size_t size, const char *stdlib_dir) {
  struct compilation c;
  compilation_init(&c, stdlib_dir);
  resolve_load_text(&c, "fuzz.camarch", (const char *)data, size);
  int built = 0;
  for (size_t i = 0; i <= c.envs.len; i++) {
    const struct env_decl *env = i < c.envs.len ? c.envs.items[i] : NULL;
    if (!env && c.envs.len)
      break;
    struct model *m = compile_env(&c, env);
    if (!m)
      continue;
    char *json = ir_to_json(c.arena, m);
    free(json);
    const struct backend *b = backend_for(m->e.target.v);
    struct outputs out;
    outputs_init(&out, c.arena);
    struct emit_ctx ctx = {c.arena, &out, "out", &c.diags};
    if (b && b->emit(m, &ctx))
      built++;
    outputs_free(&out);
  }
  resolve_check_sets(&c);
  diags_sort(&c.diags);
  char *json = diags_render_json(&c.diags, &c.sources);
  free(json);
  compilation_free(&c);
  return built;
}
