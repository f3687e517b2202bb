/* uses.c - the settings a target's kind of place does not use (TGT003).
 *
 * model.def's ON rows say which kinds of place use a field.  One walk over
 * an environment's model warns about each such field its target's place
 * does not use, where the environment gives it itself (model_own): an
 * estate with several targets carries every target's settings, and each
 * environment is told only about its own.  No backend lists another's
 * settings.
 */
#include "uses.h"

#include <string.h>

struct walk {
  const struct model *m;
  struct diags *d;
  const char *target;
};

static void *at_offset(const void *base, const struct field_desc *fd) { return (char *)base + fd->offset; }

static bool own_struct(const struct walk *w, const struct struct_desc *sd, const void *base, struct span *at);

/* Whether field fd of the block at base holds a value the environment gave
 * itself; *at says where. */
static bool own_field(const struct walk *w, const struct field_desc *fd, const void *base, struct span *at) {
  const void *p = at_offset(base, fd);
  const struct model *m = w->m;
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: {
    const struct m_int *x = p;
    *at = x->at;
    return x->set && model_own(m, x->from);
  }
  case FT_BOOL: {
    const struct m_bool *x = p;
    *at = x->at;
    return x->set && model_own(m, x->from);
  }
  case FT_STR: case FT_NAME: {
    const struct m_str *x = p;
    *at = x->at;
    return x->set && model_own(m, x->from);
  }
  case FT_ENUM: {
    const struct m_enum *x = p;
    *at = x->at;
    return x->set && model_own(m, x->from);
  }
  case FT_STRLIST: {
    const struct m_strlist *x = p;
    *at = x->at;
    return x->v.len && model_own(m, x->from);
  }
  case FT_ENVMAP: {
    const struct m_envmap *x = p;
    *at = x->at;
    return x->v.len && model_own(m, x->from);
  }
  case FT_SECRET: case FT_SECSTR: {
    const struct m_secstr *x = p;
    *at = x->at;
    return x->set && model_own(m, x->from);
  }
  case FT_COMPONENT: case FT_VARIANT: {
    const struct meta *x = p;
    *at = x->at;
    if (fd->type == FT_COMPONENT && !x->present)
      return false;
    return model_own(m, x->from) || own_struct(w, fd->sub, p, at);
  }
  case FT_BLOCK:
    return own_struct(w, fd->sub, p, at);
  case FT_LIST: {
    const struct m_list *x = p;
    *at = x->at;
    for (size_t i = 0; i < x->v.len; i++)
      if (model_own(m, ((const struct meta *)x->v.items[i])->from))
        return true;
    return false;
  }
  }
  return false;
}

/* The first value inside a block that the environment gave itself. */
static bool own_struct(const struct walk *w, const struct struct_desc *sd, const void *base, struct span *at) {
  for (size_t i = 0; i < sd->nfields; i++)
    if (own_field(w, &sd->fields[i], base, at))
      return true;
  return false;
}

static void unused(const struct walk *w, const struct field_desc *fd, const char *path, struct span at) {
  struct arena *a = w->d->arena;
  const char *name = *path ? arena_printf(a, "%s.%s", path, fd->name) : fd->name;
  struct diag *g = diag_warning(w->d, "TGT003", at, "`%s` is not used on %s (target = %s)", name,
                                model_enum_doc(w->m->place), w->target);
  diag_help(w->d, g, "`%s` is for %s: %s; give it in the environments that use it", fd->name,
            model_places_text(a, fd->use->places), fd->use->why);
}

static void walk_struct(const struct walk *w, const struct struct_desc *sd, const void *base, const char *path) {
  struct arena *a = w->d->arena;
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    const void *p = at_offset(base, fd);
    struct span at;
    if (!model_used_on(fd, w->m->place)) {
      if (own_field(w, fd, base, &at))
        unused(w, fd, path, at);
      continue;
    }
    const char *sub = fd->sub ? (*path ? arena_printf(a, "%s.%s", path, fd->name) : fd->name) : NULL;
    switch (fd->type) {
    case FT_BLOCK:
      walk_struct(w, fd->sub, p, sub);
      break;
    case FT_COMPONENT: case FT_VARIANT:
      if (((const struct meta *)p)->present)
        walk_struct(w, fd->sub, p, sub);
      break;
    case FT_LIST: {
      const struct m_list *x = p;
      for (size_t k = 0; k < x->v.len; k++)
        walk_struct(w, fd->sub, x->v.items[k],
                    arena_printf(a, "%s \"%s\"", sub, ((const struct meta *)x->v.items[k])->label));
      break;
    }
    default:
      break;
    }
  }
}

void uses_check(const struct model *m, struct diags *d) {
  struct walk w = {m, d, model_enum_name(m->e.target.v)};
  walk_struct(&w, &model_estate_desc, &m->e, "");
}
