/* ir_json.c - prints the model of one environment as JSON (camarch ir).
 *
 * A generic walk over the descriptors: every field appears, with its value
 * or null, so the output documents the whole model.  Quantities print the
 * way .camarch writes them (64Gi, 500m); secrets print as references,
 * never as values.  jansson: json_object_set_new steals the reference.
 */
#include "jsonutil.h"

#include "ir.h"

static json_t *secstr_json(const struct m_secstr *s) {
  if (!s->set)
    return json_null();
  if (s->secret)
    return s->key ? json_pack("{s:o, s:o}", "secret", json_text(s->secret), "key", json_text(s->key))
                  : json_pack("{s:o}", "secret", json_text(s->secret));
  return json_text(s->str);
}

static json_t *struct_json(struct arena *a, const struct struct_desc *sd, const void *base);

static json_t *field_json(struct arena *a, const struct field_desc *fd, const void *base) {
  const void *p = (const char *)base + fd->offset;
  switch (fd->type) {
  case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: {
    const struct m_int *x = p;
    if (!x->set)
      return json_null();
    if (fd->type == FT_INT)
      return json_integer((json_int_t)x->v);
    return json_text(fd->type == FT_SIZE  ? model_format_size(a, x->v)
                       : fd->type == FT_CPU ? model_format_cpu(a, x->v)
                                            : model_format_dur(a, x->v));
  }
  case FT_BOOL: {
    const struct m_bool *x = p;
    return x->set ? json_boolean(x->v) : json_null();
  }
  case FT_STR: case FT_NAME: {
    const struct m_str *x = p;
    return x->set ? json_text(x->v) : json_null();
  }
  case FT_ENUM: {
    const struct m_enum *x = p;
    return x->set ? json_text(model_enum_name(x->v)) : json_null();
  }
  case FT_STRLIST: {
    const struct m_strlist *x = p;
    json_t *arr = json_array();
    for (size_t i = 0; i < x->v.len; i++)
      json_array_append_new(arr, json_text(x->v.items[i]));
    return arr;
  }
  case FT_ENVMAP: {
    const struct m_envmap *x = p;
    json_t *obj = json_object();
    for (size_t i = 0; i < x->v.len; i++) {
      const struct m_env *e = x->v.items[i];
      json_object_set_new(obj, e->name, secstr_json(&e->value));
    }
    return obj;
  }
  case FT_SECRET: case FT_SECSTR:
    return secstr_json(p);
  case FT_BLOCK:
    return struct_json(a, fd->sub, p);
  case FT_COMPONENT: {
    const struct meta *m = p;
    return m->present ? struct_json(a, fd->sub, p) : json_null();
  }
  case FT_VARIANT: {
    const struct meta *m = p;
    if (!m->present)
      return json_null();
    json_t *obj = json_pack("{s:s}", "kind", model_enum_name(m->kind));
    json_t *body = struct_json(a, fd->sub, p);
    json_object_update(obj, body);
    json_decref(body);
    return obj;
  }
  case FT_LIST: {
    const struct m_list *x = p;
    json_t *arr = json_array();
    for (size_t i = 0; i < x->v.len; i++) {
      const struct meta *m = x->v.items[i];
      json_t *obj = json_pack("{s:o}", "label", json_text(m->label));
      json_t *body = struct_json(a, fd->sub, m);
      json_object_update(obj, body);
      json_decref(body);
      json_array_append_new(arr, obj);
    }
    return arr;
  }
  }
  return json_null();
}

static json_t *struct_json(struct arena *a, const struct struct_desc *sd, const void *base) {
  json_t *obj = json_object();
  for (size_t i = 0; i < sd->nfields; i++)
    json_object_set_new(obj, sd->fields[i].name, field_json(a, &sd->fields[i], base));
  return obj;
}

char *ir_to_json(struct arena *a, const struct model *m) {
  json_t *doc = json_pack("{s:s, s:o, s:o, s:o}", "camarch", CAMARCH_VERSION_STRING, "environment", json_text(m->env),
                          "source", json_text(m->root_path), "estate", struct_json(a, &model_estate_desc, &m->e));
  json_object_set_new(json_object_get(doc, "estate"), "name",
                      m->e.meta.label ? json_text(m->e.meta.label) : json_null());
  char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (!s)
    die("out of memory");
  return s;
}
