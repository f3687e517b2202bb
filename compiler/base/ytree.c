/* ytree.c - YAML trees and their emission through libyaml.
 *
 * libyaml's emitter takes ownership of every event passed to
 * yaml_emitter_emit, even when emitting fails; events are initialised and
 * handed over at once, never reused.
 */
#include "ytree.h"

#include <inttypes.h>
#include <string.h>
#include <yaml.h>

struct ynode *y_map(struct arena *a) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_MAP;
  return n;
}

struct ynode *y_seq(struct arena *a) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_SEQ;
  return n;
}

struct ynode *y_str(struct arena *a, const char *s) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_STR;
  n->s = arena_strdup(a, s ? s : "");
  return n;
}

struct ynode *y_int(struct arena *a, int64_t v) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_INT;
  n->s = arena_printf(a, "%" PRId64, v);
  return n;
}

struct ynode *y_bool(struct arena *a, bool v) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_BOOL;
  n->s = v ? "true" : "false";
  return n;
}

struct ynode *y_null(struct arena *a) {
  struct ynode *n = arena_alloc(a, sizeof *n);
  n->kind = Y_NULL;
  n->s = "null";
  return n;
}

void y_push(struct arena *a, struct ynode *seq, struct ynode *item) { vec_push(a, &seq->items, item); }

void y_prune(struct ynode *map) {
  if (map->kind != Y_MAP)
    return;
  size_t out = 0;
  for (size_t i = 0; i < map->keys.len; i++) {
    struct ynode *v = map->items.items[i];
    y_prune(v);
    if (v->kind == Y_MAP && v->keys.len == 0)
      continue;
    map->keys.items[out] = map->keys.items[i];
    map->items.items[out++] = v;
  }
  map->keys.len = map->items.len = out;
}

static struct ynode **slot(const struct ynode *map, const char *key, size_t keylen) {
  for (size_t i = 0; i < map->keys.len; i++) {
    const char *k = map->keys.items[i];
    if (strlen(k) == keylen && memcmp(k, key, keylen) == 0)
      return (struct ynode **)&map->items.items[i];
  }
  return NULL;
}

void y_set(struct arena *a, struct ynode *map, const char *path, struct ynode *value) {
  for (;;) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    struct ynode **s = slot(map, path, n);
    if (!dot) {
      if (s) {
        *s = value;
      } else {
        vec_push(a, &map->keys, arena_strndup(a, path, n));
        vec_push(a, &map->items, value);
      }
      return;
    }
    if (!s || (*s)->kind != Y_MAP) {
      struct ynode *sub = y_map(a);
      if (s) {
        *s = sub;
      } else {
        vec_push(a, &map->keys, arena_strndup(a, path, n));
        vec_push(a, &map->items, sub);
      }
      map = sub;
    } else {
      map = *s;
    }
    path = dot + 1;
  }
}

void y_put(struct arena *a, struct ynode *map, const char *key, struct ynode *value) {
  struct ynode **s = slot(map, key, strlen(key));
  if (s) {
    *s = value;
    return;
  }
  vec_push(a, &map->keys, arena_strdup(a, key));
  vec_push(a, &map->items, value);
}

void y_remove(struct ynode *map, const char *path) {
  const char *dot;
  while ((dot = strchr(path, '.'))) {
    struct ynode **s = slot(map, path, (size_t)(dot - path));
    if (!s || (*s)->kind != Y_MAP)
      return;
    map = *s;
    path = dot + 1;
  }
  for (size_t i = 0; i < map->keys.len; i++)
    if (strcmp(map->keys.items[i], path) == 0) {
      memmove(&map->keys.items[i], &map->keys.items[i + 1], (map->keys.len - i - 1) * sizeof map->keys.items[0]);
      memmove(&map->items.items[i], &map->items.items[i + 1], (map->items.len - i - 1) * sizeof map->items.items[0]);
      map->keys.len--;
      map->items.len--;
      return;
    }
}

struct ynode *y_get(const struct ynode *map, const char *path) {
  while (map && map->kind == Y_MAP) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    struct ynode **s = slot(map, path, n);
    if (!s)
      return NULL;
    if (!dot)
      return *s;
    map = *s;
    path = dot + 1;
  }
  return NULL;
}

/* Would a plain scalar with this text be read back as something other than
 * a string (YAML 1.1 or 1.2 core schema)?  Then it must be quoted. */
static bool needs_quotes(const char *s) {
  static const char *const special[] = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
                                        "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
                                        "ON", "off", "Off", "OFF", "y", "Y", "n", "N", ".inf", ".Inf",
                                        ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF",
                                        ".nan", ".NaN", ".NAN", "<<", "="};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (strcmp(s, special[i]) == 0)
      return true;
  /* anything that starts like a number (3, -1, 0x1f, 1e3, 1_000, 12:30) */
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  if (*p == '.')
    p++;
  if (*p >= '0' && *p <= '9') {
    for (; *p; p++)
      if (!strchr("0123456789_.:eE+-xXoObBabcdefABCDEF", *p))
        return false;
    return true;
  }
  return false;
}

static int emit(yaml_emitter_t *em, yaml_event_t *ev) { return yaml_emitter_emit(em, ev); }

static int emit_scalar(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style) {
  yaml_event_t ev;
  if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style))
    return 0;
  return emit(em, &ev);
}

static int emit_node(yaml_emitter_t *em, const struct ynode *n) {
  yaml_event_t ev;
  switch (n->kind) {
  case Y_MAP:
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) || !emit(em, &ev))
      return 0;
    for (size_t i = 0; i < n->keys.len; i++)
      if (!emit_scalar(em, n->keys.items[i], needs_quotes(n->keys.items[i]) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                                              : YAML_ANY_SCALAR_STYLE) ||
          !emit_node(em, n->items.items[i]))
        return 0;
    return yaml_mapping_end_event_initialize(&ev) && emit(em, &ev);
  case Y_SEQ:
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) || !emit(em, &ev))
      return 0;
    for (size_t i = 0; i < n->items.len; i++)
      if (!emit_node(em, n->items.items[i]))
        return 0;
    return yaml_sequence_end_event_initialize(&ev) && emit(em, &ev);
  case Y_STR:
    if (n->literal && strchr(n->s, '\n'))
      return emit_scalar(em, n->s, YAML_LITERAL_SCALAR_STYLE);
    return emit_scalar(em, n->s, needs_quotes(n->s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
  case Y_INT: case Y_BOOL: case Y_NULL:
    return emit_scalar(em, n->s, YAML_PLAIN_SCALAR_STYLE);
  }
  return 0;
}

static int write_handler(void *data, unsigned char *buffer, size_t size) {
  buf_append(data, buffer, size);
  return 1;
}

bool ytree_emit(const struct ynode *doc, const char *const *comments, struct buf *out) {
  for (size_t i = 0; comments && comments[i]; i++) {
    /* a comment is not YAML structure: libyaml's emitter cannot write one */
    buf_puts(out, "# ");
    for (const char *p = comments[i]; *p; p++)
      buf_append(out, *p == '\n' || *p == '\r' ? " " : p, 1);
    buf_puts(out, "\n");
  }
  yaml_emitter_t em;
  yaml_event_t ev;
  if (!yaml_emitter_initialize(&em))
    die("out of memory");
  yaml_emitter_set_output(&em, write_handler, out);
  yaml_emitter_set_unicode(&em, 1);
  yaml_emitter_set_width(&em, 120);
  yaml_emitter_set_indent(&em, 2);
  int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && emit(&em, &ev) &&
           yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0) && emit(&em, &ev) &&
           emit_node(&em, doc) && yaml_document_end_event_initialize(&ev, 1) && emit(&em, &ev) &&
           yaml_stream_end_event_initialize(&ev) && emit(&em, &ev);
  yaml_emitter_delete(&em);
  return ok;
}
