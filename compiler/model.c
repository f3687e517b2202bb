/* model.c - descriptor tables generated from model.def, and quantities. */
#include "model.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- enumerations ------------------------------------------------------ */

static const struct {
  const char *type, *name, *doc;
} enum_values[] = {
#define ENUM(type, value, doc) {#type, #value, doc},
#include "model_enums.def"
#undef ENUM
};
enum { N_ENUM_VALUES = sizeof enum_values / sizeof enum_values[0] };

const struct enum_desc *model_enum(const char *type) {
  static struct enum_desc descs[N_ENUM_VALUES];
  static int ndescs;
  for (int i = 0; i < ndescs; i++)
    if (strcmp(descs[i].type, type) == 0)
      return &descs[i];
  struct enum_desc d = {type, -1, 0};
  for (int i = 0; i < N_ENUM_VALUES; i++)
    if (strcmp(enum_values[i].type, type) == 0) {
      if (d.first < 0)
        d.first = i;
      d.n++;
    }
  if (d.n == 0)
    die("unknown enum type %s", type);
  descs[ndescs] = d;
  return &descs[ndescs++];
}

const char *model_enum_name(int v) {
  return v >= 0 && v < N_ENUM_VALUES ? enum_values[v].name : "?";
}
const char *model_enum_doc(int v) { return v >= 0 && v < N_ENUM_VALUES ? enum_values[v].doc : ""; }

int model_enum_lookup(const struct enum_desc *e, const char *name) {
  for (int i = e->first; i < e->first + e->n; i++)
    if (strcmp(enum_values[i].name, name) == 0)
      return i;
  return -1;
}

/* --- struct descriptors ------------------------------------------------ */

#define F(s, f, t, sub, en, def, lo, hi, doc) \
  {#f, t, offsetof(struct m_##s, f), sub, en, def, lo, hi, doc},
#define STRUCT(name, doc) static const struct field_desc fields_##name[] = {
#define END(name) };
#define INT(s, f, def, lo, hi, doc) F(s, f, FT_INT, NULL, NULL, def, lo, hi, doc)
#define SIZE(s, f, def, doc) F(s, f, FT_SIZE, NULL, NULL, def, 0, 0, doc)
#define CPU(s, f, def, doc) F(s, f, FT_CPU, NULL, NULL, def, 0, 0, doc)
#define DUR(s, f, def, doc) F(s, f, FT_DUR, NULL, NULL, def, 0, 0, doc)
#define BOOL(s, f, def, doc) F(s, f, FT_BOOL, NULL, NULL, def, 0, 0, doc)
#define STR(s, f, def, doc) F(s, f, FT_STR, NULL, NULL, def, 0, 0, doc)
#define ENUM(s, f, e, def, doc) F(s, f, FT_ENUM, NULL, #e, def, 0, 0, doc)
#define STRLIST(s, f, doc) F(s, f, FT_STRLIST, NULL, NULL, "", 0, 0, doc)
#define ENVMAP(s, f, doc) F(s, f, FT_ENVMAP, NULL, NULL, "", 0, 0, doc)
#define SECRET(s, f, doc) F(s, f, FT_SECRET, NULL, NULL, "", 0, 0, doc)
#define SECSTR(s, f, doc) F(s, f, FT_SECSTR, NULL, NULL, "", 0, 0, doc)
#define BLOCK(s, f, sub, doc) F(s, f, FT_BLOCK, &sd_##sub, NULL, "", 0, 0, doc)
#define COMPONENT(s, f, sub, doc) F(s, f, FT_COMPONENT, &sd_##sub, NULL, "", 0, 0, doc)
#define VARIANT(s, f, sub, e, def, doc) F(s, f, FT_VARIANT, &sd_##sub, #e, def, 0, 0, doc)
#define LIST(s, f, sub, doc) F(s, f, FT_LIST, &sd_##sub, NULL, "", 0, 0, doc)

/* First pass: the field arrays, each followed by its struct descriptor. */
#undef END
#define END(name)                                                                    \
  }                                                                                  \
  ;                                                                                  \
  static const struct struct_desc sd_##name = {#name, doc_##name, sizeof(struct m_##name), \
                                                fields_##name,                       \
                                                sizeof fields_##name / sizeof fields_##name[0]};
#undef STRUCT
#define STRUCT(name, doc)                 \
  static const char doc_##name[] = doc; \
  static const struct field_desc fields_##name[] = {
#include "model.def"
#undef STRUCT
#undef END
#undef INT
#undef SIZE
#undef CPU
#undef DUR
#undef BOOL
#undef STR
#undef ENUM
#undef STRLIST
#undef ENVMAP
#undef SECRET
#undef SECSTR
#undef BLOCK
#undef COMPONENT
#undef VARIANT
#undef LIST
#undef F

const struct struct_desc model_estate_desc = {"estate", doc_estate, sizeof(struct m_estate),
                                              fields_estate,
                                              sizeof fields_estate / sizeof fields_estate[0]};

static const struct struct_desc *const all_structs[] = {
#define STRUCT(name, doc) &sd_##name,
#define END(name)
#define INT(...)
#define SIZE(...)
#define CPU(...)
#define DUR(...)
#define BOOL(...)
#define STR(...)
#define ENUM(...)
#define STRLIST(...)
#define ENVMAP(...)
#define SECRET(...)
#define SECSTR(...)
#define BLOCK(...)
#define COMPONENT(...)
#define VARIANT(...)
#define LIST(...)
#include "model.def"
};

const struct struct_desc *model_struct_find(const char *name) {
  for (size_t i = 0; i < sizeof all_structs / sizeof all_structs[0]; i++)
    if (strcmp(all_structs[i]->name, name) == 0)
      return all_structs[i];
  return NULL;
}

const char *ftype_name(enum ftype t) {
  static const char *const names[] = {"integer", "size",     "cpu",    "duration", "bool",
                                      "string",  "enum",     "list of strings", "environment map",
                                      "secret",  "string or secret", "block", "block",
                                      "typed object", "labelled blocks"};
  return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* --- quantities ---------------------------------------------------------- */

/* Splits "1.5Gi" into a number and a suffix; false if there is no number. */
static bool split_number(const char *text, double *num, const char **suffix, bool *integral) {
  const char *p = text;
  if (*p == '-' || *p == '+')
    p++;
  if (*p < '0' || *p > '9')
    return false;
  while (*p >= '0' && *p <= '9')
    p++;
  *integral = true;
  if (*p == '.') {
    *integral = false;
    p++;
    if (*p < '0' || *p > '9')
      return false;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  errno = 0;
  *num = strtod(text, NULL);
  if (errno || !isfinite(*num))
    return false;
  *suffix = p;
  return true;
}

bool model_parse_int(const char *text, int64_t *v) {
  char *end;
  errno = 0;
  long long x = strtoll(text, &end, 10);
  if (errno || end == text || *end || !((*text >= '0' && *text <= '9') || *text == '-'))
    return false;
  *v = (int64_t)x;
  return true;
}

static bool scaled(double num, double scale, int64_t *out) {
  double r = num * scale;
  if (r < 0 || r > 9.2e18 || r != floor(r))
    return false;
  *out = (int64_t)r;
  return true;
}

bool model_parse_size(const char *text, int64_t *bytes) {
  static const struct { const char *s; double scale; } units[] = {
      {"", 1},          {"k", 1e3},   {"K", 1e3},    {"M", 1e6},           {"G", 1e9},
      {"T", 1e12},      {"P", 1e15},  {"Ki", 1024.}, {"Mi", 1048576.},     {"Gi", 1073741824.},
      {"Ti", 1099511627776.}, {"Pi", 1125899906842624.},
  };
  double num;
  const char *suffix;
  bool integral;
  if (!split_number(text, &num, &suffix, &integral))
    return false;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp(suffix, units[i].s) == 0)
      return scaled(num, units[i].scale, bytes);
  return false;
}

bool model_parse_cpu(const char *text, int64_t *millis) {
  double num;
  const char *suffix;
  bool integral;
  if (!split_number(text, &num, &suffix, &integral))
    return false;
  if (strcmp(suffix, "m") == 0)
    return integral && scaled(num, 1, millis);
  if (*suffix)
    return false;
  return scaled(num, 1000, millis);
}

bool model_parse_dur(const char *text, int64_t *ms) {
  static const struct { const char *s; double scale; } units[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
  };
  double num;
  const char *suffix;
  bool integral;
  if (!split_number(text, &num, &suffix, &integral))
    return false;
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (strcmp(suffix, units[i].s) == 0)
      return scaled(num, units[i].scale, ms);
  return false;
}

const char *model_format_size(struct arena *a, int64_t bytes) {
  static const char *const units[] = {"Ki", "Mi", "Gi", "Ti", "Pi"};
  int u = -1;
  int64_t v = bytes;
  while (u < 4 && v != 0 && v % 1024 == 0) {
    v /= 1024;
    u++;
  }
  return arena_printf(a, "%" PRId64 "%s", v, u < 0 ? "" : units[u]);
}

const char *model_format_cpu(struct arena *a, int64_t millis) {
  if (millis % 1000 == 0)
    return arena_printf(a, "%" PRId64, millis / 1000);
  return arena_printf(a, "%" PRId64 "m", millis);
}

const char *model_format_dur(struct arena *a, int64_t ms) {
  static const struct { const char *s; int64_t scale; } units[] = {
      {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000},
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (ms != 0 && ms % units[i].scale == 0)
      return arena_printf(a, "%" PRId64 "%s", ms / units[i].scale, units[i].s);
  return arena_printf(a, "%" PRId64 "ms", ms);
}
