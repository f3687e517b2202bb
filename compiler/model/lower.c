/* lower.c - types a merged estate against the model's descriptors.
 *
 * Walks the val tree and the descriptors of model.def side by side and
 * fills the model's structs.  Every mismatch is a diagnostic at the value
 * that caused it: an unknown field (with "did you mean"), a wrong type, a
 * value out of range, an unknown enum value.  Fields the estate leaves out
 * take the default of their descriptor.  Nothing here knows Camunda's rules;
 * those come after, on the finished model.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "rules.h"
#include "suggest.h"
#include "url.h"

struct lower {
  struct compilation *c;
  struct diags *d;
  struct arena *a;
  bool failed;
  struct span env_at;   /* the environment's block; nothing when the estate has none */
};

static void lower_struct(struct lower *L, const struct struct_desc *sd, void *dst, const struct val *obj,
                         struct span at, bool is_component);

static const char *article(const char *word) { return strchr("aeiou", word[0]) ? "an" : "a"; }

static void *field_ptr(void *base, const struct field_desc *fd) { return (char *)base + fd->offset; }

/* "expected a size, found a string" with a hint where the fix is obvious. */
static void type_error(struct lower *L, const struct field_desc *fd, const struct val *v) {
  L->failed = true;
  const char *found = val_kind_name(v->kind);
  struct diag *g;
  if (v->kind == V_SECRET && fd->type != FT_SECRET && fd->type != FT_SECSTR) {
    g = diag_error(L->d, "TYP006", v->at, "`%s` does not accept a secret", fd->name);

    diag_note(L->d, g, (struct span){0}, "%s %s field is written into the generated files in clear",
              article(ftype_name(fd->type)), ftype_name(fd->type));
    return;
  }
  g = diag_error(L->d, "TYP001", v->at, "`%s` expects %s %s, found %s %s", fd->name,
                 article(ftype_name(fd->type)), ftype_name(fd->type), article(found), found);
  switch (fd->type) {
  case FT_SIZE: case FT_CPU: case FT_DUR: case FT_INT:
    if (v->kind == V_STR)
      diag_help(L->d, g, "write the quantity without quotes: %s = %s", fd->name, v->s);
    else if (fd->type == FT_SIZE)
      diag_help(L->d, g, "sizes are written like 512Mi, 64Gi, 1Ti");
    else if (fd->type == FT_CPU)
      diag_help(L->d, g, "CPU is written like 500m or 2");
    else if (fd->type == FT_DUR)
      diag_help(L->d, g, "durations are written like 500ms, 30s, 5m, 1h");
    break;
  case FT_ENUM:
    if (v->kind == V_STR)
      diag_help(L->d, g, "enum values are bare identifiers: %s = %s", fd->name, v->s);
    break;
  case FT_STR:
    if (v->kind == V_NUM || v->kind == V_BOOL)
      diag_help(L->d, g, "quote it: %s = \"%s\"", fd->name, v->kind == V_NUM ? v->s : v->b ? "true" : "false");
    break;
  case FT_SECRET:
    if (v->kind == V_STR)
      diag_help(L->d, g, "name a secret instead of writing its value: %s = secret(\"name\", key = \"key\")", fd->name);
    break;
  default:
    break;
  }
}

/* A V_SYM that matched no let and lands in a field that is not an enum:
 * most likely a misspelt name. */
static void unknown_symbol(struct lower *L, const struct field_desc *fd, const struct val *v) {
  L->failed = true;
  struct diag *g = diag_error(L->d, "NAM001", v->at, "unknown name `%s`", v->s);
  diag_note(L->d, g, (struct span){0}, "`%s` expects %s %s; a bare word is only an enum value or a let",
            fd->name, article(ftype_name(fd->type)), ftype_name(fd->type));
  if (v->hint)
    diag_help(L->d, g, "did you mean `%s`?", v->hint);
  else if (fd->type == FT_STR || fd->type == FT_SECSTR || fd->type == FT_STRLIST)
    diag_help(L->d, g, "quote it if it is text: \"%s\"", v->s);
}

static bool quantity(const struct field_desc *fd, const char *text, int64_t *out) {
  switch (fd->type) {
  case FT_INT: return model_parse_int(text, out);
  case FT_SIZE: return model_parse_size(text, out);
  case FT_CPU: return model_parse_cpu(text, out);
  case FT_DUR: return model_parse_dur(text, out);
  default: return false;
  }
}

/* Text from --set or a default, typed by the field. */
static bool from_text(struct lower *L, const struct field_desc *fd, void *p, const char *text, struct span at) {
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: {
    struct m_int *x = p;
    if (!quantity(fd, text, &x->v))
      return false;
    x->set = true;
    x->at = at;
    return true;
  }
  case FT_BOOL: {
    struct m_bool *x = p;
    if (strcmp(text, "true") && strcmp(text, "false"))
      return false;
    *x = (struct m_bool){strcmp(text, "true") == 0, at, true, O_UNSET};
    return true;
  }
  case FT_STR: case FT_NAME:
    *(struct m_str *)p = (struct m_str){arena_strdup(L->a, text), at, true, O_UNSET};
    return true;
  case FT_SECSTR:
    *(struct m_secstr *)p = (struct m_secstr){.str = arena_strdup(L->a, text), .at = at, .set = true};
    return true;
  case FT_ENUM: {
    int v = model_enum_lookup(model_enum(fd->enum_type), text);
    if (v < 0)
      return false;
    *(struct m_enum *)p = (struct m_enum){v, at, true, O_UNSET};
    return true;
  }
  default:
    return false;
  }
}

/* "basic, oidc, none" */
static const char *enum_values(struct lower *L, const char *type) {
  const struct enum_desc *e = model_enum(type);
  struct buf all = {0};
  for (int i = 0; i < e->n; i++)
    buf_printf(&all, "%s%s", i ? ", " : "", model_enum_name(e->first + i));
  const char *s = arena_strndup(L->a, all.data, all.len);
  buf_free(&all);
  return s;
}

static void bad_enum(struct lower *L, const struct field_desc *fd, const struct val *v) {
  L->failed = true;
  const struct enum_desc *e = model_enum(fd->enum_type);
  const char *names[64];
  struct buf all = {0};
  for (int i = 0; i < e->n && i < 64; i++) {
    names[i] = model_enum_name(e->first + i);
    buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
  }
  struct diag *g = diag_error(L->d, "TYP004", v->at, "`%s` is not a valid %s", v->s, fd->name);
  const char *s = suggest(v->s, names, (size_t)(e->n < 64 ? e->n : 64));
  if (s)
    diag_help(L->d, g, "did you mean `%s`? (one of: %s)", s, all.data);
  else
    diag_help(L->d, g, "one of: %s", all.data);
  buf_free(&all);
}

static void range_check(struct lower *L, const struct field_desc *fd, const struct m_int *x) {
  if (fd->type != FT_INT || (fd->min == 0 && fd->max == 0))
    return;
  if (x->v < fd->min || x->v > fd->max) {
    L->failed = true;
    diag_error(L->d, "TYP002", x->at, "`%s` must be between %" PRId64 " and %" PRId64 ", not %" PRId64, fd->name,
               fd->min, fd->max, x->v);
  }
}

static bool secstr(struct lower *L, const struct field_desc *fd, struct m_secstr *x, const struct val *v) {
  if (v->kind == V_SECRET) {
    *x = (struct m_secstr){.secret = v->s, .key = v->key, .at = v->at, .set = true};
    return true;
  }
  if (fd->type == FT_SECSTR && (v->kind == V_STR || v->kind == V_TEXT)) {
    *x = (struct m_secstr){.str = v->s, .at = v->at, .set = true};
    return true;
  }
  type_error(L, fd, v);
  return false;
}

/* The struct's own field `name`, if it has one (for help lines). */
static bool has_field(const struct struct_desc *sd, const char *name) {
  for (size_t i = 0; sd && i < sd->nfields; i++)
    if (strcmp(sd->fields[i].name, name) == 0)
      return true;
  return false;
}

/* TYP008 (TYP009 for credentials in a URL) when `text` does not have
 * format f; `what` names the text: "`namespace`", "a name in `env`". */
static bool format_ok(struct lower *L, const struct struct_desc *sd, enum str_format f, const char *what,
                      const char *text, struct span at) {
  int why;
  if (model_format_valid(L->a, f, text, &why))
    return true;
  L->failed = true;
  struct diag *g;
  if (why == URL_CREDENTIALS) {
    g = diag_error(L->d, "TYP009", at, "%s carries a user name and password: a password in a URL is a secret in clear",
                   what);
    const char *user = has_field(sd, "username") ? "username" : has_field(sd, "user") ? "user" : NULL;
    if (user && has_field(sd, "password"))
      diag_help(L->d, g, "give the URL without them, the user as %s = \"...\" and the password as "
                         "password = secret(\"name\", key = \"password\")", user);
    else
      diag_help(L->d, g, "give the URL without user:password@ or a password parameter");
    return false;
  }
  if (why != URL_OK)
    g = diag_error(L->d, "TYP008", at, "%s must be %s: %s", what, model_format_title(f),
                   url_problem_text((enum url_problem)why));
  else
    g = diag_error(L->d, "TYP008", at, "%s must be %s", what, model_format_title(f));
  diag_help(L->d, g, "%s", model_format_grammar(f));
  return false;
}

/* A string field: its format checked.  An empty string in a field of a
 * format other than text and without a default leaves the field unset, so
 * that a layer can take back what a layer below it set; where the field
 * has a default ("camunda" for namespace), an empty string would silently
 * become that default, so it is checked like any other text and refused. */
static void string_field(struct lower *L, const struct struct_desc *sd, const struct field_desc *fd, struct m_str *x,
                         const char *text, struct span at) {
  if (fd->format != SF_text && !*text && !*fd->def)
    return;
  if (fd->type == FT_STR && !format_ok(L, sd, fd->format, arena_printf(L->a, "`%s`", fd->name), text, at))
    return;
  *x = (struct m_str){text, at, true, O_UNSET};
}

static void envmap(struct lower *L, const struct struct_desc *sd, const struct field_desc *fd, struct m_envmap *x,
                   const struct val *v, struct span at) {
  if (v->kind != V_OBJ || v->s) {
    type_error(L, fd, v);
    return;
  }
  x->set = true;
  x->at = at;
  for (size_t i = 0; i < v->items.len; i++) {
    const struct entry *e = v->items.items[i];
    if (e->is_block) {
      L->failed = true;
      diag_error(L->d, "TYP001", e->name_at, "`%s` takes NAME = \"value\" pairs, not blocks", fd->name);
      continue;
    }
    if (!format_ok(L, sd, fd->format, arena_printf(L->a, "a name in `%s`", fd->name), e->name, e->name_at))
      continue;
    struct m_env *me = arena_alloc(L->a, sizeof *me);
    me->name = e->name;
    const struct val *ev = e->v;
    if (ev->kind == V_SECRET) {
      me->value = (struct m_secstr){.secret = ev->s, .key = ev->key, .at = ev->at, .set = true};
    } else if (ev->kind == V_STR || ev->kind == V_TEXT || ev->kind == V_NUM) {
      me->value = (struct m_secstr){.str = ev->s, .at = ev->at, .set = true};
    } else if (ev->kind == V_BOOL) {
      me->value = (struct m_secstr){.str = ev->b ? "true" : "false", .at = ev->at, .set = true};
    } else {
      L->failed = true;
      diag_error(L->d, "TYP001", ev->at, "`%s.%s` must be a string, number, bool or secret, not a %s", fd->name,
                 e->name, val_kind_name(ev->kind));
      continue;
    }
    vec_push(L->a, &x->v, me);
  }
}

/* A COMPONENT block: present unless it says enabled = false, or unless it
 * comes only from a `defaults` layer (weak), which configures but never
 * enables.  A disabled component is still checked: an environment may turn
 * it back on, and a typo in it is a typo all the same. */
static void component(struct lower *L, const struct field_desc *fd, void *p, const struct entry *e) {
  struct meta *meta = p;
  const struct val *v = e->v;
  if (v->kind != V_OBJ || v->s) {
    type_error(L, fd, v);
    return;
  }
  bool on = !v->weak;
  const struct entry *en = val_find(v, "enabled", NULL);
  if (en) {
    const struct val *ev = en->v;
    bool text_bool = ev->kind == V_TEXT && (!strcmp(ev->s, "true") || !strcmp(ev->s, "false"));
    if (ev->kind != V_BOOL && !text_bool) {
      L->failed = true;
      if (ev->kind == V_TEXT)
        diag_error(L->d, "TYP001", ev->at, "--set %s=%s: `enabled` expects a bool", ev->param ? ev->param : "?", ev->s);
      else
        diag_error(L->d, "TYP001", ev->at, "`enabled` expects a bool, found %s %s", article(val_kind_name(ev->kind)),
                   val_kind_name(ev->kind));
      return;
    }
    on = ev->kind == V_BOOL ? ev->b : strcmp(ev->s, "true") == 0;
  }
  if (on) {
    lower_struct(L, fd->sub, p, v, e->name_at, true);
    meta->present = true;
    return;
  }
  void *scratch = arena_alloc(L->a, fd->sub->size);
  lower_struct(L, fd->sub, scratch, v, e->name_at, true);
}

/* A VARIANT: `kind { ... }`, or a bare `kind`. */
static void variant(struct lower *L, const struct field_desc *fd, void *p, const struct val *v) {
  struct meta *meta = p;
  const struct enum_desc *en = model_enum(fd->enum_type);
  const char *kind = v->kind == V_OBJ ? v->s : (v->kind == V_SYM || v->kind == V_TEXT) ? v->s : NULL;
  if (!kind) {
    L->failed = true;
    const char *first = model_enum_name(en->first);
    struct diag *g = diag_error(L->d, "TYP001", v->at, "`%s` expects a typed object such as %s { ... }, found %s %s",
                                fd->name, first, v->kind == V_OBJ ? "an" : article(val_kind_name(v->kind)),
                                v->kind == V_OBJ ? "untyped object" : val_kind_name(v->kind));
    diag_help(L->d, g, "write %s = %s { ... }", fd->name, first);
    return;
  }
  int k = model_enum_lookup(en, kind);
  if (k < 0) {
    struct val sym = *v;
    sym.s = kind;
    if (v->kind == V_OBJ)
      sym.at = v->kind_at;
    bad_enum(L, fd, &sym);
    return;
  }
  lower_struct(L, fd->sub, p, v->kind == V_OBJ ? v : NULL, v->at, false);
  meta->kind = k;
  meta->present = true;
}

static bool within(struct span inner, struct span outer) {
  return inner.file == outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

static int span_order(const void *pa, const void *pb) {
  const struct span *a = pa, *b = pb;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  return a->start < b->start ? -1 : a->start > b->start;
}

/* Whether `at` is inside a `defaults` block: a binary search of their
 * spans, sorted once per compilation (blocks do not nest), so an estate
 * of many defaults blocks stays linear. */
static bool in_defaults(struct compilation *c, struct span at) {
  if (c->ndefaults_at != c->defaults.len) {
    c->ndefaults_at = c->defaults.len;
    c->defaults_at = arena_alloc(c->arena, (c->ndefaults_at ? c->ndefaults_at : 1) * sizeof *c->defaults_at);
    for (size_t i = 0; i < c->ndefaults_at; i++)
      c->defaults_at[i] = ((const struct defaults_decl *)c->defaults.items[i])->block->at;
    qsort(c->defaults_at, c->ndefaults_at, sizeof *c->defaults_at, span_order);
  }
  size_t lo = 0, hi = c->ndefaults_at;  /* the last block starting at or before `at` */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (span_order(&c->defaults_at[mid], &at) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 && within(at, c->defaults_at[lo - 1]);
}

/* Who gave an attribute: where it is written (not where its value is
 * computed), or --set for the untyped text only a --set makes. */
static enum origin origin_of(const struct lower *L, const struct entry *e) {
  if (e->v->kind == V_TEXT)
    return O_CLI;
  struct span at = e->name_at;
  const struct source_file *f = span_known(at) ? sources_get(&L->c->sources, at.file) : NULL;
  if (!f)
    return O_MODEL;
  if (strncmp(f->path, "<stdlib>", 8) == 0)
    return O_STDLIB;
  if (within(at, L->env_at))
    return O_ENV;
  return in_defaults(L->c, at) ? O_DEFAULTS : O_ESTATE;
}

/* Records a value's origin on it (a LIST keeps the most personal of its
 * elements', each element its own). */
static void set_origin(const struct field_desc *fd, void *p, enum origin o) {
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: ((struct m_int *)p)->from = o; return;
  case FT_BOOL: ((struct m_bool *)p)->from = o; return;
  case FT_STR: case FT_NAME: ((struct m_str *)p)->from = o; return;
  case FT_ENUM: ((struct m_enum *)p)->from = o; return;
  case FT_STRLIST: ((struct m_strlist *)p)->from = o; return;
  case FT_ENVMAP: ((struct m_envmap *)p)->from = o; return;
  case FT_SECRET: case FT_SECSTR: ((struct m_secstr *)p)->from = o; return;
  case FT_BLOCK: case FT_COMPONENT: case FT_VARIANT: ((struct meta *)p)->from = o; return;
  case FT_LIST: {
    struct m_list *list = p;
    if (list->v.len)
      ((struct meta *)list->v.items[list->v.len - 1])->from = o;
    if (o > list->from)
      list->from = o;
    return;
  }
  }
}

static void field_value(struct lower *L, const struct struct_desc *sd, const struct field_desc *fd, void *base,
                        const struct entry *e);

static void field(struct lower *L, const struct struct_desc *sd, const struct field_desc *fd, void *base,
                  const struct entry *e) {
  field_value(L, sd, fd, base, e);
  set_origin(fd, field_ptr(base, fd), origin_of(L, e));
}

static void field_value(struct lower *L, const struct struct_desc *sd, const struct field_desc *fd, void *base,
                        const struct entry *e) {
  void *p = field_ptr(base, fd);
  const struct val *v = e->v;
  if (fd->type == FT_LIST) {
    if (!e->is_block || !e->label) {
      L->failed = true;
      diag_error(L->d, "TYP001", e->name_at, "`%s` is a labelled block: %s \"name\" { ... }", fd->name, fd->name);
      return;
    }
    struct m_list *list = p;
    format_ok(L, sd, fd->format, arena_printf(L->a, "the label of a `%s` block", fd->name), e->label, e->name_at);
    void *item = arena_alloc(L->a, fd->sub->size);
    lower_struct(L, fd->sub, item, v, e->name_at, false);
    ((struct meta *)item)->label = e->label;
    if (!list->set)
      list->at = e->name_at;
    vec_push(L->a, &list->v, item);
    list->set = true;
    return;
  }
  if (e->label) {
    L->failed = true;
    diag_error(L->d, "TYP001", e->name_at, "`%s` takes no label", fd->name);
    return;
  }
  if (fd->type == FT_NAME && (v->kind == V_SYM || v->kind == V_STR)) {
    *(struct m_str *)p = (struct m_str){v->s, v->at, true, O_UNSET};  /* checked by whoever knows the names */
    return;
  }
  if (v->kind == V_SYM && fd->type != FT_ENUM && fd->type != FT_VARIANT) {
    if (v->bare)
      unknown_symbol(L, fd, v);
    else
      type_error(L, fd, v);
    return;
  }
  if (v->kind == V_TEXT && fd->type == FT_STR) {
    string_field(L, sd, fd, p, v->s, v->at);
    return;
  }
  if (v->kind == V_TEXT && fd->type != FT_VARIANT) {
    if (!from_text(L, fd, p, v->s, v->at)) {
      L->failed = true;
      struct diag *g = diag_error(L->d, "TYP001", v->at, "--set %s=%s: `%s` expects %s %s", v->param ? v->param : "?",
                                  v->s, fd->name, article(ftype_name(fd->type)), ftype_name(fd->type));
      if (fd->type == FT_ENUM)
        diag_help(L->d, g, "one of: %s", enum_values(L, fd->enum_type));
    } else if (fd->type == FT_INT) {
      range_check(L, fd, p);
    }
    return;
  }
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: {
    struct m_int *x = p;
    if (v->kind != V_NUM) {
      type_error(L, fd, v);
      return;
    }
    if (!quantity(fd, v->s, &x->v)) {
      L->failed = true;
      if (model_number_overflows(v->s)) {
        diag_error(L->d, "SYN006", v->at, "`%s` is too large for `%s`", v->s, fd->name);
        return;
      }
      struct diag *g = diag_error(L->d, "TYP001", v->at, "`%s` is not a valid %s for `%s`", v->s,
                                  ftype_name(fd->type), fd->name);
      static const char *const hints[] = {
          [FT_INT] = "a whole number, such as 3", [FT_SIZE] = "a size, such as 512Mi, 64Gi or 1Ti",
          [FT_CPU] = "CPUs, such as 500m or 2", [FT_DUR] = "a duration, such as 500ms, 30s, 5m or 1h"};
      diag_help(L->d, g, "`%s` takes %s", fd->name, hints[fd->type]);
      return;
    }
    x->at = v->at;
    x->set = true;
    range_check(L, fd, x);
    return;
  }
  case FT_BOOL:
    if (v->kind != V_BOOL) {
      type_error(L, fd, v);
      return;
    }
    *(struct m_bool *)p = (struct m_bool){v->b, v->at, true, O_UNSET};
    return;
  case FT_STR: case FT_NAME:
    if (v->kind != V_STR) {
      type_error(L, fd, v);
      return;
    }
    string_field(L, sd, fd, p, v->s, v->at);
    return;
  case FT_ENUM: {
    if (v->kind != V_SYM) {
      type_error(L, fd, v);
      return;
    }
    int k = model_enum_lookup(model_enum(fd->enum_type), v->s);
    if (k < 0) {
      bad_enum(L, fd, v);
      return;
    }
    *(struct m_enum *)p = (struct m_enum){k, v->at, true, O_UNSET};
    return;
  }
  case FT_STRLIST: {
    struct m_strlist *x = p;
    if (v->kind != V_LIST) {
      type_error(L, fd, v);
      return;
    }
    *x = (struct m_strlist){.at = v->at, .set = true};
    for (size_t i = 0; i < v->items.len; i++) {
      const struct val *item = v->items.items[i];
      if (item->kind == V_SECRET) {
        L->failed = true;
        diag_error(L->d, "TYP006", item->at, "`%s` is a list of plain strings; a secret would be written in clear",
                   fd->name);
        continue;
      }
      if (item->kind == V_SYM && item->bare) {
        unknown_symbol(L, fd, item);
        continue;
      }
      if (item->kind != V_STR && item->kind != V_TEXT) {
        L->failed = true;
        diag_error(L->d, "TYP001", item->at, "`%s` is a list of strings; this item is %s %s", fd->name,
                   article(val_kind_name(item->kind)), val_kind_name(item->kind));
        continue;
      }
      if (!format_ok(L, sd, fd->format, arena_printf(L->a, "each item of `%s`", fd->name), item->s, item->at))
        continue;
      vec_push(L->a, &x->v, (void *)item->s);
    }
    return;
  }
  case FT_ENVMAP:
    envmap(L, sd, fd, p, v, e->name_at);
    return;
  case FT_SECRET: case FT_SECSTR:
    secstr(L, fd, p, v);
    return;
  case FT_BLOCK:
    if (v->kind != V_OBJ || v->s) {
      type_error(L, fd, v);
      return;
    }
    lower_struct(L, fd->sub, p, v, e->name_at, false);
    return;
  case FT_COMPONENT:
    component(L, fd, p, e);
    return;
  case FT_VARIANT:
    variant(L, fd, p, v);
    return;
  case FT_LIST:
    UNREACHABLE();
  }
}

static void unknown_field(struct lower *L, const struct struct_desc *sd, const struct entry *e, bool is_component) {
  L->failed = true;
  const char *names[64];
  size_t n = 0;
  for (size_t i = 0; i < sd->nfields && n < 63; i++)
    names[n++] = sd->fields[i].name;
  if (is_component)
    names[n++] = "enabled";
  struct diag *g = diag_error(L->d, "TYP003", e->name_at, "`%s` has no %s `%s`", sd->name,
                              e->is_block ? "block" : "field", e->name);
  const char *s = suggest(e->name, names, n);
  if (s)
    diag_help(L->d, g, "did you mean `%s`?", s);
}

static void apply_default(struct lower *L, const struct field_desc *fd, void *base, struct span at) {
  void *p = field_ptr(base, fd);
  switch (fd->type) {
  case FT_BLOCK:
    lower_struct(L, fd->sub, p, NULL, at, false);
    ((struct meta *)p)->from = O_MODEL;
    return;
  case FT_VARIANT:
    if (*fd->def) {
      struct val v = {.kind = V_SYM, .s = fd->def, .at = at};
      variant(L, fd, p, &v);
      ((struct meta *)p)->from = O_MODEL;
    }
    return;
  default: {
    int why;
    if (*fd->def && (!from_text(L, fd, p, fd->def, (struct span){0}) ||
                     (fd->type == FT_STR && !model_format_valid(L->a, fd->format, fd->def, &why))))
      die("bad default %s for %s", fd->def, fd->name);
    if (*fd->def)
      set_origin(fd, p, O_MODEL);
    return;
  }
  }
}

static bool is_set(const struct field_desc *fd, void *base) {
  void *p = field_ptr(base, fd);
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: return ((struct m_int *)p)->set;
  case FT_BOOL: return ((struct m_bool *)p)->set;
  case FT_STR: case FT_NAME: return ((struct m_str *)p)->set;
  case FT_ENUM: return ((struct m_enum *)p)->set;
  case FT_STRLIST: return ((struct m_strlist *)p)->set;
  case FT_ENVMAP: return ((struct m_envmap *)p)->set;
  case FT_SECRET: case FT_SECSTR: return ((struct m_secstr *)p)->set;
  case FT_BLOCK: case FT_VARIANT: return ((struct meta *)p)->present;
  case FT_COMPONENT: case FT_LIST: return true;  /* absent means absent */
  }
  return true;
}

/* allow "ZB010" { reason = "..." } in any block: kept on the block's meta
 * for the semantic pass, and once per source span on the compilation, so
 * that allows no environment used can be reported. */
static void allow(struct lower *L, struct meta *meta, const struct entry *e) {
  if (!e->is_block || !e->label) {
    L->failed = true;
    diag_error(L->d, "SUP001", e->name_at, "allow names a rule and says why: allow \"ZB010\" { reason = \"...\" }");
    return;
  }
  const struct val *v = e->v;
  const char *reason = NULL;
  for (size_t i = 0; i < v->items.len; i++) {
    const struct entry *f = v->items.items[i];
    if (strcmp(f->name, "reason") == 0 && !f->is_block && (f->v->kind == V_STR || f->v->kind == V_TEXT)) {
      reason = f->v->s;
    } else {
      L->failed = true;
      struct diag *g = diag_error(L->d, "SUP001", f->name_at, "an allow block holds only reason = \"...\"");
      (void)g;
    }
  }
  if (!reason || !*reason) {
    L->failed = true;
    struct diag *g = diag_error(L->d, "SUP001", e->name_at, "allow \"%s\" gives no reason", e->label);
    diag_help(L->d, g, "say why the estate departs from Camunda's guidance: reason = \"...\"");
    return;
  }
  if (!rule_find(e->label)) {
    L->failed = true;
    const char *ids[R_COUNT];
    for (size_t k = 0; k < R_COUNT; k++)
      ids[k] = rule_infos[k].id;
    struct diag *g = diag_error(L->d, "SUP001", e->name_at, "allow names no rule: %s", e->label);
    const char *sug = suggest(e->label, ids, R_COUNT);
    if (sug)
      diag_help(L->d, g, "did you mean %s?", sug);
    return;
  }
  struct m_allow *a = arena_alloc(L->a, sizeof *a);
  *a = (struct m_allow){e->label, reason, e->name_at, v->at};
  vec_push(L->a, &meta->allows, a);
  struct compilation *c = L->c;
  for (size_t i = 0; i < c->allows.len; i++) {
    struct allow_use *u = c->allows.items[i];
    if (u->allow->at.file == a->at.file && u->allow->at.start == a->at.start)
      return;
  }
  struct allow_use *u = arena_alloc(L->a, sizeof *u);
  u->allow = a;
  vec_push(L->a, &c->allows, u);
}

static void lower_struct(struct lower *L, const struct struct_desc *sd, void *dst, const struct val *obj,
                         struct span at, bool is_component) {
  struct meta *meta = dst;
  meta->at = span_known(at) ? at : obj ? obj->at : at;  /* the block's name, where there is one */
  meta->present = true;
  for (size_t i = 0; obj && i < obj->items.len; i++) {
    const struct entry *e = obj->items.items[i];
    if (strcmp(e->name, "allow") == 0) {
      allow(L, meta, e);
      continue;
    }
    const struct field_desc *fd = NULL;
    for (size_t j = 0; j < sd->nfields && !fd; j++)
      if (strcmp(sd->fields[j].name, e->name) == 0)
        fd = &sd->fields[j];
    if (fd)
      field(L, sd, fd, dst, e);
    else if (strcmp(e->name, "enabled") != 0 || !is_component)
      unknown_field(L, sd, e, is_component);
  }
  for (size_t j = 0; j < sd->nfields; j++)
    if (!is_set(&sd->fields[j], dst))
      apply_default(L, &sd->fields[j], dst, meta->at);
}

/* The profile names development, production, or a declared profile. */
static void check_profile(struct lower *L, const struct m_str *p) {
  struct vec names = {0};
  vec_push(L->a, &names, (void *)"development");
  vec_push(L->a, &names, (void *)"production");
  for (size_t i = 0; i < L->c->profile_decls.len; i++)
    vec_push(L->a, &names, (void *)((struct profile_decl *)L->c->profile_decls.items[i])->name);
  for (size_t i = 0; i < names.len; i++)
    if (strcmp(names.items[i], p->v) == 0)
      return;
  L->failed = true;
  struct buf all = {0};
  for (size_t i = 0; i < names.len && i < 32; i++)
    buf_printf(&all, "%s%s", i ? ", " : "", (const char *)names.items[i]);
  if (names.len > 32)
    buf_printf(&all, " and %zu more", names.len - 32);
  struct diag *g = diag_error(L->d, "PRF001", p->at, "unknown profile `%s`", p->v);
  const char *s = suggest(p->v, (const char *const *)names.items, names.len);
  if (s)
    diag_help(L->d, g, "did you mean `%s`? (profiles: %s)", s, all.data);
  else
    diag_help(L->d, g, "profiles: %s", all.data);
  buf_free(&all);
}

/* Points every block's meta at the block around it, for allow scoping. */
static void set_parents(const struct struct_desc *sd, void *base) {
  struct meta *self = base;
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    void *p = field_ptr(base, fd);
    if (fd->type == FT_BLOCK || fd->type == FT_COMPONENT || fd->type == FT_VARIANT) {
      ((struct meta *)p)->parent = self;
      set_parents(fd->sub, p);
    } else if (fd->type == FT_LIST) {
      struct m_list *list = p;
      for (size_t j = 0; j < list->v.len; j++) {
        ((struct meta *)list->v.items[j])->parent = self;
        set_parents(fd->sub, list->v.items[j]);
      }
    }
  }
}

/* The JDBC scheme of each database kind (db_kind), and the parser's vendors
 * that serve it: MySQL's and MariaDB's drivers read each other's URLs. */
static const char *jdbc_scheme(int kind, enum url_vendor v, bool *ok, const char **name) {
  static const struct {
    int kind;
    enum url_vendor a, b;
    const char *scheme, *name;
  } kinds[] = {
      {M_db_kind_postgres, URL_POSTGRESQL, URL_POSTGRESQL, "jdbc:postgresql://", "PostgreSQL"},
      {M_db_kind_aurora_postgres, URL_POSTGRESQL, URL_POSTGRESQL, "jdbc:aws-wrapper:postgresql:// or jdbc:postgresql://",
       "Aurora PostgreSQL"},
      {M_db_kind_mysql, URL_MYSQL, URL_MARIADB, "jdbc:mysql://", "MySQL"},
      {M_db_kind_mariadb, URL_MARIADB, URL_MYSQL, "jdbc:mariadb://", "MariaDB"},
      {M_db_kind_mssql, URL_SQLSERVER, URL_SQLSERVER, "jdbc:sqlserver://", "SQL Server"},
      {M_db_kind_oracle, URL_ORACLE, URL_ORACLE, "jdbc:oracle:thin:@", "Oracle"},
      {M_db_kind_h2, URL_H2, URL_H2, "jdbc:h2:", "H2"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i].kind == kind) {
      *ok = v == kinds[i].a || v == kinds[i].b;
      *name = kinds[i].name;
      return kinds[i].scheme;
    }
  UNREACHABLE();
}

/* A url that is well-formed but not of the kind its block says (TYP008):
 * secondary storage takes an http(s) URL for Elasticsearch and OpenSearch
 * and a JDBC URL of its vendor for RDBMS and H2; a database block, a JDBC
 * URL of its kind. */
static void url_of_kind(struct lower *L, const struct m_str *url, bool http, int db_kind, const char *what) {
  struct url u;
  if (!url->set || url_parse(L->a, URL_FORM_HTTP_OR_JDBC, url->v, &u) != URL_OK)
    return;
  if (http) {
    if (u.vendor == URL_HTTP)
      return;
    L->failed = true;
    struct diag *g = diag_error(L->d, "TYP008", url->at, "`url` of %s must be an http(s) URL", what);
    diag_help(L->d, g, "%s", model_format_grammar(SF_url));
    return;
  }
  bool ok;
  const char *name;
  const char *scheme = jdbc_scheme(db_kind, u.vendor, &ok, &name);
  if (ok)
    return;
  L->failed = true;
  struct diag *g = diag_error(L->d, "TYP008", url->at, "`url` of %s must be a JDBC URL of %s", what, name);
  diag_help(L->d, g, "write it as %s...", scheme);
}

static void urls_of_kinds(struct lower *L, const struct m_estate *e) {
  const struct m_storage *st = &e->orchestration.storage;
  int k = st->meta.kind;
  if (k == M_storage_kind_elasticsearch || k == M_storage_kind_opensearch)
    url_of_kind(L, &st->url, true, 0, arena_printf(L->a, "%s storage", model_enum_name(k)));
  else if (k == M_storage_kind_rdbms)
    url_of_kind(L, &st->url, false, st->vendor.v, "RDBMS storage");
  else if (k == M_storage_kind_h2)
    url_of_kind(L, &st->url, false, M_db_kind_h2, "H2 storage");
  const struct m_management_identity *mi = &e->management_identity;
  const struct m_database *dbs[] = {mi->meta.present ? &mi->keycloak.database : NULL,
                                    mi->meta.present ? &mi->database : NULL,
                                    e->web_modeler.meta.present ? &e->web_modeler.database : NULL};
  for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++)
    if (dbs[i] && dbs[i]->meta.present)
      url_of_kind(L, &dbs[i]->url, false, dbs[i]->meta.kind,
                  arena_printf(L->a, "a %s database", model_enum_name(dbs[i]->meta.kind)));
}

struct model *lower(struct compilation *c, const struct env_decl *env, const struct val *v, int minor) {
  struct lower L = {c, &c->diags, c->arena, false, env ? env->block->at : (struct span){0}};
  struct model *m = arena_alloc(c->arena, sizeof *m);
  m->env = env ? env->name : "default";
  m->env_at = env ? env->block->at : c->estate->at;
  m->root_path = c->root->file->path;
  m->minor = minor;
  lower_struct(&L, &model_estate_desc, &m->e, v, c->estate->name_at, false);
  m->e.meta.label = c->estate->label;
  set_parents(&model_estate_desc, &m->e);
  check_profile(&L, &m->e.profile);
  urls_of_kinds(&L, &m->e);
  /* a client's id defaults to its label, or Camunda's own id for it */
  for (size_t i = 0; i < m->e.identity.client.v.len; i++) {
    struct m_client *cl = m->e.identity.client.v.items[i];
    const char *id = strcmp(cl->meta.label, "web_modeler") == 0           ? "web-modeler"
                     : strcmp(cl->meta.label, "management_identity") == 0 ? "camunda-identity"
                                                                           : cl->meta.label;
    if (!cl->id.set)
      cl->id = (struct m_str){id, cl->meta.at, true, O_MODEL};
  }
  return L.failed ? NULL : m;
}
