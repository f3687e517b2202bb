/* driver.c - the flat pipeline for one environment: resolve, lower, the
 * rules, the generic uses check, and the target's backend. */
#include "driver.h"

#include <string.h>

#include "backend.h"
#include "output.h"
#include "rules.h"
#include "uses.h"

/* The target a block names directly (target = helm), or NULL. */
static const char *named_target(const struct ast *block) {
  for (size_t i = 0; block && i < block->items.len; i++) {
    const struct ast *it = block->items.items[i];
    if (it->kind == AST_ATTR && it->name && strcmp(it->name, "target") == 0 && it->value &&
        it->value->kind == AST_REF && it->value->segs.len == 1)
      return it->value->segs.items[0];
  }
  return NULL;
}

static bool same_target(const struct compilation *c) {
  const char *common = named_target(c->estate);
  const char *seen = NULL;
  for (size_t i = 0; i < c->envs.len; i++) {
    const struct env_decl *e = c->envs.items[i];
    const char *t = named_target(e->block);
    t = t ? t : common;
    if (!t)
      return false;
    if (seen && strcmp(seen, t) != 0)
      return false;
    seen = t;
  }
  return true;
}

/* Whether every environment deploys with the same target: then settings
 * only another target could use are the estate's mistake, not another
 * environment's business.  Looked at once per compilation, not once per
 * environment (which made many environments quadratic). */
static bool one_target(struct compilation *c) {
  if (!c->one_target)
    c->one_target = same_target(c) ? 1 : -1;
  return c->one_target > 0;
}

/* The environment's target, or an error saying what to write. */
static bool has_target(struct compilation *c, const struct env_decl *env, const struct model *m) {
  if (m->e.target.set)
    return true;
  struct diag *g;
  if (env) {
    const struct enum_desc *t = model_enum("target");
    struct buf others = {0};
    for (int i = 1; i < t->n; i++)
      buf_printf(&others, "%s%s", i > 1 ? ", " : "", model_enum_name(t->first + i));
    g = diag_error(&c->diags, "TGT001", env->block->name_at, "environment \"%s\" has no target", m->env);
    diag_help(&c->diags, g, "add target = %s (or %s) to the environment", model_enum_name(t->first),
              others.data ? others.data : "");
    buf_free(&others);
  } else {
    g = diag_error(&c->diags, "TGT001", c->estate->name_at, "the estate has no environment and no target");
    diag_help(&c->diags, g, "add an environment: environment \"prod\" { target = helm }");
  }
  return false;
}

struct model *compile_env_into(struct compilation *c, const struct env_decl *env, struct outputs *out) {
  int minor = 0;
  unsigned before = c->diags.errors;
  struct val *v = resolve_env(c, env, &minor);
  if (!v)
    return NULL;
  /* type-check what did evaluate, even after errors, so one run shows all */
  struct model *m = lower(c, env, v, minor);
  if (!m || c->diags.errors > before)
    return NULL;
  m->only_environment = c->envs.len <= 1 || one_target(c);
  if (!has_target(c, env, m))
    return NULL;
  m->place = model_target_place(m->e.target.v);
  /* the rules hold for the estate whatever its target */
  sema_check(c, m);
  uses_check(m, &c->diags);
  struct emit_ctx ctx = {c->arena, out, m->env, &c->diags, before};
  backend_for(m->e.target.v)->build(m, &ctx);
  return c->diags.errors > before ? NULL : m;
}

struct model *compile_env(struct compilation *c, const struct env_decl *env) {
  struct outputs out;
  outputs_init(&out, c->arena);
  struct model *m = compile_env_into(c, env, &out);
  outputs_free(&out);
  return m;
}
