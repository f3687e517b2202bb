/* model.c - descriptor tables generated from model.def, and quantities. */
#include "model.h"

#include "names.h"
#include "url.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
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

/* --- formats of strings ------------------------------------------------- */

enum format_check { CHECK_TEXT, CHECK_NAME, CHECK_URL };

static const struct {
  const char *name, *title, *grammar;
  enum format_check check;
  int kind;  /* enum name_kind or enum url_form */
} formats[] = {
#define FORMAT(name, check, kind, title, grammar) {#name, title, grammar, CHECK_##check, kind},
#include "model_formats.def"
#undef FORMAT
};

const char *model_format_name(enum str_format f) { return formats[f].name; }
const char *model_format_title(enum str_format f) { return formats[f].title; }
const char *model_format_grammar(enum str_format f) {
  return formats[f].check == CHECK_NAME ? name_grammar((enum name_kind)formats[f].kind) : formats[f].grammar;
}

bool model_format_valid(struct arena *a, enum str_format f, const char *s, int *why) {
  *why = URL_OK;
  switch (formats[f].check) {
  case CHECK_NAME:
    return name_valid((enum name_kind)formats[f].kind, s);
  case CHECK_URL: {
    struct url u;
    *why = (int)url_parse(a, (enum url_form)formats[f].kind, s, &u);
    return *why == URL_OK;
  }
  case CHECK_TEXT:
    break;
  }
  return true;
}

/* --- which places use which fields (ON rows) ------------------------------ */

/* Every field, numbered: FX_<struct>_<field>. */
enum field_index {
#define FX(s, f) FX_##s##_##f,
#define INT(s, f, ...) FX(s, f)
#define SIZE(s, f, ...) FX(s, f)
#define CPU(s, f, ...) FX(s, f)
#define DUR(s, f, ...) FX(s, f)
#define BOOL(s, f, ...) FX(s, f)
#define STR(s, f, ...) FX(s, f)
#define NAME(s, f, ...) FX(s, f)
#define ENUM(s, f, ...) FX(s, f)
#define STRLIST(s, f, ...) FX(s, f)
#define ENVMAP(s, f, ...) FX(s, f)
#define SECMAP(s, f, ...) FX(s, f)
#define SECRET(s, f, ...) FX(s, f)
#define SECSTR(s, f, ...) FX(s, f)
#define BLOCK(s, f, ...) FX(s, f)
#define COMPONENT(s, f, ...) FX(s, f)
#define VARIANT(s, f, ...) FX(s, f)
#define LIST(s, f, ...) FX(s, f)
#include "model_empty.h"
#include "model.def"
#include "model_undef.h"
#undef FX
  FX_COUNT
};

/* The ON rows, by field; the others stay {0, NULL}: every place. */
#define P(place) (1u << (M_place_##place - M_place_kubernetes))
static const struct field_use field_uses[FX_COUNT] = {
#define ON(s, f, places, why) [FX_##s##_##f] = {places, why},
#include "model_empty.h"
#include "model.def"
#include "model_undef.h"
};
#undef P

const char *model_places_text(struct arena *a, unsigned places) {
  const struct enum_desc *pd = model_enum("place");
  const char *names[32];
  size_t n = 0;
  for (int i = 0; i < pd->n && n < 32; i++)
    if (places & (1u << i))
      names[n++] = model_enum_doc(pd->first + i);
  struct buf b = {0};
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
  char *s = arena_strdup(a, b.data ? b.data : "no place");
  buf_free(&b);
  return s;
}

static const struct {
  int target, place;
} target_places[] = {
#define BACKEND(name, place, doc) {M_target_##name, M_place_##place},
#include "backends.def"
#undef BACKEND
};

int model_target_place(int target) {
  for (size_t i = 0; i < sizeof target_places / sizeof target_places[0]; i++)
    if (target_places[i].target == target)
      return target_places[i].place;
  UNREACHABLE();
}

const char *model_place_targets(struct arena *a, unsigned places) {
  struct buf b = {0};
  size_t n = sizeof target_places / sizeof target_places[0], k = 0;
  for (size_t i = 0; i < n; i++)
    if (places & model_place_bit(target_places[i].place))
      buf_printf(&b, "%s%s", k++ ? " or " : "", model_enum_name(target_places[i].target));
  char *s = arena_strdup(a, b.data ? b.data : "(none)");
  buf_free(&b);
  return s;
}

bool model_own(const struct model *m, enum origin o) {
  return o == O_ENV || o == O_CLI || (m->only_environment && (o == O_ESTATE || o == O_DEFAULTS));
}

/* --- struct descriptors ------------------------------------------------ */

/* format (fmt): what a string must be (model_formats.def); secret_bearing
 * (sec): the field's values are secrets (SECRET, SECSTR, SECMAP), so a
 * literal there is written in clear (rule ID020). */
#define F(s, f, t, sub, en, def, lo, hi, sec, doc) F_(s, f, t, sub, en, def, lo, hi, SF_text, sec, doc)
#define F_(s, f, t, sub, en, def, lo, hi, fmt, sec, doc) \
  {#f, t, offsetof(struct m_##s, f), sub, en, def, lo, hi, fmt, sec, doc, &field_uses[FX_##s##_##f]},
#define ON(s, f, places, why)
#define STRUCT(name, doc) static const struct field_desc fields_##name[] = {
#define END(name) };
#define INT(s, f, def, lo, hi, doc) F(s, f, FT_INT, NULL, NULL, def, lo, hi, false, doc)
#define SIZE(s, f, def, doc) F(s, f, FT_SIZE, NULL, NULL, def, 0, 0, false, doc)
#define CPU(s, f, def, doc) F(s, f, FT_CPU, NULL, NULL, def, 0, 0, false, doc)
#define DUR(s, f, def, doc) F(s, f, FT_DUR, NULL, NULL, def, 0, 0, false, doc)
#define BOOL(s, f, def, doc) F(s, f, FT_BOOL, NULL, NULL, def, 0, 0, false, doc)
#define STR(s, f, fmt, def, doc) F_(s, f, FT_STR, NULL, NULL, def, 0, 0, SF_##fmt, false, doc)
#define NAME(s, f, def, doc) F(s, f, FT_NAME, NULL, NULL, def, 0, 0, false, doc)
#define ENUM(s, f, e, def, doc) F(s, f, FT_ENUM, NULL, #e, def, 0, 0, false, doc)
#define STRLIST(s, f, fmt, doc) F_(s, f, FT_STRLIST, NULL, NULL, "", 0, 0, SF_##fmt, false, doc)
#define ENVMAP(s, f, keyfmt, doc) F_(s, f, FT_ENVMAP, NULL, NULL, "", 0, 0, SF_##keyfmt, false, doc)
#define SECMAP(s, f, keyfmt, doc) F_(s, f, FT_ENVMAP, NULL, NULL, "", 0, 0, SF_##keyfmt, true, doc)
#define SECRET(s, f, doc) F(s, f, FT_SECRET, NULL, NULL, "", 0, 0, true, doc)
#define SECSTR(s, f, doc) F(s, f, FT_SECSTR, NULL, NULL, "", 0, 0, true, doc)
#define BLOCK(s, f, sub, doc) F(s, f, FT_BLOCK, &sd_##sub, NULL, "", 0, 0, false, doc)
#define COMPONENT(s, f, sub, doc) F(s, f, FT_COMPONENT, &sd_##sub, NULL, "", 0, 0, false, doc)
#define VARIANT(s, f, sub, e, def, doc) F(s, f, FT_VARIANT, &sd_##sub, #e, def, 0, 0, false, doc)
#define LIST(s, f, sub, labelfmt, doc) F_(s, f, FT_LIST, &sd_##sub, NULL, "", 0, 0, SF_##labelfmt, false, doc)

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
#include "model_undef.h"
#undef F
#undef F_

const struct struct_desc model_estate_desc = {"estate", doc_estate, sizeof(struct m_estate),
                                              fields_estate,
                                              sizeof fields_estate / sizeof fields_estate[0]};

static const struct struct_desc *const all_structs[] = {
#define STRUCT(name, doc) &sd_##name,
#include "model_empty.h"
#include "model.def"
#include "model_undef.h"
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
                                      "typed object", "labelled blocks", "name"};
  return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* --- quantities ---------------------------------------------------------- */

/* A decimal literal as an exact fraction: mant / 10^frac, and its suffix.
 * Quantities are computed in integers, so 2.01 CPUs is exactly 2010m. */
struct number {
  uint64_t mant;
  unsigned frac;        /* digits after the point */
  bool neg, overflow;
  const char *suffix;
};

static bool split_number(const char *text, struct number *n) {
  *n = (struct number){0};
  const char *p = text;
  if (*p == '-' || *p == '+')
    n->neg = *p++ == '-';
  if (*p < '0' || *p > '9')
    return false;
  bool point = false;
  for (; (*p >= '0' && *p <= '9') || (*p == '.' && !point); p++) {
    if (*p == '.') {
      point = true;
      if (p[1] < '0' || p[1] > '9')
        return false;
      continue;
    }
    if (__builtin_mul_overflow(n->mant, 10u, &n->mant) || __builtin_add_overflow(n->mant, (uint64_t)(*p - '0'), &n->mant))
      n->overflow = true;
    if (point)
      n->frac++;
  }
  n->suffix = p;
  return true;
}

/* mant / 10^frac * scale, exactly: 1 when it is a whole non-negative
 * number that fits, 0 when it is not whole or negative, -1 on overflow. */
static int scale_exact(const struct number *n, uint64_t scale, int64_t *out) {
  if (n->overflow || n->frac > 19)
    return -1;
  if (n->neg && n->mant != 0)
    return 0;
  uint64_t product, divisor = 1;
  if (__builtin_mul_overflow(n->mant, scale, &product))
    return -1;
  for (unsigned i = 0; i < n->frac; i++)
    divisor *= 10;
  if (product % divisor != 0)
    return 0;
  product /= divisor;
  if (product > (uint64_t)INT64_MAX)
    return -1;
  *out = (int64_t)product;
  return 1;
}

struct unit {
  const char *s;
  uint64_t scale;
};

static const struct unit size_units[] = {
    {"", 1},           {"k", 1000},       {"K", 1000},        {"M", 1000000},        {"G", 1000000000},
    {"T", 1000000000000}, {"P", 1000000000000000}, {"Ki", 1ull << 10}, {"Mi", 1ull << 20}, {"Gi", 1ull << 30},
    {"Ti", 1ull << 40}, {"Pi", 1ull << 50},    {NULL, 0},
};
static const struct unit cpu_units[] = {{"", 1000}, {"m", 1}, {NULL, 0}};
static const struct unit dur_units[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {NULL, 0},
};

/* 1 parsed, 0 not a quantity of this kind, -1 too large. */
static int parse_quantity(const char *text, const struct unit *units, int64_t *out) {
  struct number n;
  if (!split_number(text, &n))
    return 0;
  for (const struct unit *u = units; u->s; u++)
    if (strcmp(n.suffix, u->s) == 0)
      return scale_exact(&n, u->scale, out);
  return 0;
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

/* Too large for 64 bits once scaled by its suffix (any suffix of a size,
 * a CPU quantity or a duration); an unknown suffix is not an overflow. */
bool model_number_overflows(const char *text) {
  int64_t out;
  struct number n;
  if (!split_number(text, &n))
    return false;
  if (*n.suffix == '\0' && n.frac == 0)
    return n.overflow || n.mant > (uint64_t)INT64_MAX;
  return parse_quantity(text, size_units, &out) < 0 || parse_quantity(text, cpu_units, &out) < 0 ||
         parse_quantity(text, dur_units, &out) < 0;
}

bool model_parse_size(const char *text, int64_t *bytes) { return parse_quantity(text, size_units, bytes) > 0; }

bool model_parse_cpu(const char *text, int64_t *millis) {
  struct number n;
  if (split_number(text, &n) && strcmp(n.suffix, "m") == 0 && n.frac)
    return false;  /* millicores are whole */
  return parse_quantity(text, cpu_units, millis) > 0;
}

bool model_parse_dur(const char *text, int64_t *ms) { return parse_quantity(text, dur_units, ms) > 0; }

/* The shorter of the exact binary (64Gi) and decimal (2G) forms. */
const struct m_client *model_client(const struct m_identity *id, const char *label) {
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (strcmp(c->meta.label, label) == 0)
      return c;
  }
  return NULL;
}

const char *model_format_size(struct arena *a, int64_t bytes) {
  static const char *const bin[] = {"Ki", "Mi", "Gi", "Ti", "Pi"}, *const dec[] = {"k", "M", "G", "T", "P"};
  int ub = -1, ud = -1;
  int64_t vb = bytes, vd = bytes;
  while (ub < 4 && vb != 0 && vb % 1024 == 0) {
    vb /= 1024;
    ub++;
  }
  while (ud < 4 && vd != 0 && vd % 1000 == 0) {
    vd /= 1000;
    ud++;
  }
  const char *b = arena_printf(a, "%" PRId64 "%s", vb, ub < 0 ? "" : bin[ub]);
  const char *d = arena_printf(a, "%" PRId64 "%s", vd, ud < 0 ? "" : dec[ud]);
  return strlen(d) < strlen(b) ? d : b;
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
