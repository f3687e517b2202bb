/* model.h - the resolved, typed model of one environment (the IR).
 *
 * Backends read only this.  The structs are generated from model.def, so
 * `m->orchestration.brokers.v` is the broker count, `.at` the span of the
 * value that set it and `.set` whether the estate (or the stdlib) set it at
 * all.  Each struct starts with a `struct meta`; for optional blocks
 * (COMPONENT) meta.present says whether the component is enabled.
 */
#ifndef CAMARCH_MODEL_H
#define CAMARCH_MODEL_H

#include <stdint.h>

#include "source.h"

enum ftype {
  FT_INT, FT_SIZE, FT_CPU, FT_DUR, FT_BOOL, FT_STR, FT_ENUM, FT_STRLIST, FT_ENVMAP,
  FT_SECRET, FT_SECSTR, FT_BLOCK, FT_COMPONENT, FT_VARIANT, FT_LIST, FT_NAME,
};

/* Enumerations: M_<type>_<value>, numbered across all types, so an m_enum
 * compares directly with the constant. */
#define ENUM(type, value, doc) M_##type##_##value,
enum {
#include "model_enums.def"
  M_ENUM_END_
};
#undef ENUM

/* Formats of strings (model_formats.def): SF_url, SF_namespace, ... */
#define FORMAT(name, check, kind, title, grammar) SF_##name,
enum str_format {
#include "model_formats.def"
  SF_END_
};
#undef FORMAT

/* allow "ZB010" { reason = "..." }: a rule suppressed in a block and all
 * the blocks inside it. */
struct m_allow {
  const char *rule, *reason;
  struct span at, rule_at;
};

/* Where a resolved value came from, set once by the lowering: the model's
 * default (model.def), the standard library (the release's defaults and
 * its modules), a `defaults` block, the estate block, the environment's
 * block, or --set.  O_UNSET: nothing gave it. */
enum origin { O_UNSET, O_MODEL, O_STDLIB, O_DEFAULTS, O_ESTATE, O_ENV, O_CLI };

/* Whether something other than model.def's default gave the value. */
static inline bool m_given(enum origin o) { return o >= O_STDLIB; }

struct meta {
  struct span at;      /* the block, or the value that gave it */
  enum origin from;    /* COMPONENT, VARIANT, LIST elements: what enabled or wrote the block */
  bool present;        /* COMPONENT: enabled; others: always true once lowered */
  int kind;            /* VARIANT: the enum value of the object's kind */
  const char *label;   /* LIST elements and the estate: the block's label */
  const struct meta *parent;  /* the enclosing block; NULL for the estate */
  struct vec allows;   /* struct m_allow * */
};

struct m_int { int64_t v; struct span at; bool set; enum origin from; };          /* INT, SIZE (bytes), CPU (millicores), DUR (ms) */
struct m_bool { bool v; struct span at; bool set; enum origin from; };
struct m_str { const char *v; struct span at; bool set; enum origin from; };
struct m_enum { int v; struct span at; bool set; enum origin from; };
struct m_strlist { struct vec v; struct span at; bool set; enum origin from; };   /* const char * */
/* A string or a secret reference: exactly one of str and secret is set. */
struct m_secstr { const char *str; const char *secret, *key; struct span at; bool set; enum origin from; };
struct m_env { const char *name; struct m_secstr value; };
struct m_envmap { struct vec v; struct span at; bool set; enum origin from; };    /* struct m_env * */
struct m_list { struct vec v; struct span at; bool set; enum origin from; };      /* struct m_<sub> * */

#define STRUCT(name, doc) struct m_##name { struct meta meta;
#define END(name) };
#define INT(s, f, def, lo, hi, doc) struct m_int f;
#define SIZE(s, f, def, doc) struct m_int f;
#define CPU(s, f, def, doc) struct m_int f;
#define DUR(s, f, def, doc) struct m_int f;
#define BOOL(s, f, def, doc) struct m_bool f;
#define STR(s, f, fmt, def, doc) struct m_str f;
#define NAME(s, f, def, doc) struct m_str f;
#define ENUM(s, f, e, def, doc) struct m_enum f;
#define STRLIST(s, f, fmt, doc) struct m_strlist f;
#define ENVMAP(s, f, keyfmt, doc) struct m_envmap f;
#define SECMAP(s, f, keyfmt, doc) struct m_envmap f;
#define SECRET(s, f, doc) struct m_secstr f;
#define SECSTR(s, f, doc) struct m_secstr f;
#define BLOCK(s, f, sub, doc) struct m_##sub f;
#define COMPONENT(s, f, sub, doc) struct m_##sub f;
#define VARIANT(s, f, sub, e, def, doc) struct m_##sub f;
#define LIST(s, f, sub, labelfmt, doc) struct m_list f;
#define ON(s, f, places, why)
#include "model.def"
#include "model_undef.h"

/* The model of one environment. */
struct model {
  const char *env;           /* environment name */
  struct span env_at;        /* the environment block */
  const char *root_path;     /* the root .camarch file, as named */
  int minor;                 /* 8 or 9: Camunda 8.<minor> */
  bool only_environment;     /* one environment, or all of them with this target: the estate's settings are its own */
  int place;                 /* M_place_*: where the environment's target deploys to */
  struct m_estate e;
};

/* Whether the environment itself gave a value of this origin: its own
 * block or --set, or, when its target is the only one the estate has
 * (m->only_environment), the estate and its defaults too.  A setting for
 * another kind of place is normal in an estate with several targets, and
 * worth a warning only where the environment gives it itself. */
bool model_own(const struct model *m, enum origin o);

/* --- descriptors, for generic passes ----------------------------------- */

struct enum_desc {
  const char *type;
  int first, n;              /* the type's values are first .. first+n-1 */
};

struct struct_desc;

struct field_desc {
  const char *name;
  enum ftype type;
  size_t offset;
  const struct struct_desc *sub;   /* BLOCK, COMPONENT, VARIANT, LIST */
  const char *enum_type;           /* ENUM, VARIANT */
  const char *def;                 /* default as source text; "" = none */
  int64_t min, max;                /* INT */
  enum str_format format;          /* STR, STRLIST: the text; ENVMAP: the keys; LIST: the labels */
  bool secret_bearing;             /* SECRET, SECSTR, SECMAP: its values are secrets */
  const char *doc;
  const struct field_use *use;     /* model.def's ON row for it */
};

/* The kinds of place (M_place_*) that use a field: an ON row of model.def.
 * A field without one is used everywhere. */
struct field_use {
  unsigned places;                 /* bit (1 << (p - M_place_kubernetes)) per place; 0: every place */
  const char *why;                 /* what it is for, in words */
};
static inline unsigned model_place_bit(int place) { return 1u << (place - M_place_kubernetes); }
static inline bool model_used_on(const struct field_desc *fd, int place) {
  return !fd->use->places || (fd->use->places & model_place_bit(place));
}
/* "Kubernetes and machines": the places of a mask, for messages. */
const char *model_places_text(struct arena *a, unsigned places);
/* The kind of place target `target` deploys to (backends.def). */
int model_target_place(int target);
/* The targets that deploy to the places of a mask, "helm" or "compose or
 * c8run", for a help line that names what to write. */
const char *model_place_targets(struct arena *a, unsigned places);

struct struct_desc {
  const char *name;
  const char *doc;
  size_t size;
  const struct field_desc *fields;
  size_t nfields;
};

extern const struct struct_desc model_estate_desc;
const struct enum_desc *model_enum(const char *type);
const char *model_enum_name(int v);          /* "helm" */
const char *model_enum_doc(int v);
int model_enum_lookup(const struct enum_desc *e, const char *name);  /* -1: none */
const char *ftype_name(enum ftype t);
/* A format's name ("namespace") and title ("a Kubernetes namespace ..."). */
const char *model_format_name(enum str_format f);
const char *model_format_title(enum str_format f);
/* The grammar of a format in words, for the help line of an error. */
const char *model_format_grammar(enum str_format f);
/* Whether `s` has format f; for a URL format, *why says what is wrong
 * (an enum url_problem). */
bool model_format_valid(struct arena *a, enum str_format f, const char *s, int *why);
/* Finds a struct descriptor by name (for docs and tests). */
const struct struct_desc *model_struct_find(const char *name);

/* Formats a quantity the way .camarch writes it: 64Gi, 500m, 30s. */
/* The OIDC client with this label ("orchestration", "connectors", ...), or NULL. */
const struct m_client *model_client(const struct m_identity *id, const char *label);

const char *model_format_size(struct arena *a, int64_t bytes);
const char *model_format_cpu(struct arena *a, int64_t millis);
const char *model_format_dur(struct arena *a, int64_t ms);
/* Parses a quantity; returns false when the text is not one. */
bool model_parse_size(const char *text, int64_t *bytes);
bool model_parse_cpu(const char *text, int64_t *millis);
bool model_parse_dur(const char *text, int64_t *ms);
bool model_parse_int(const char *text, int64_t *v);
/* True when the text is a well-formed number too large for 64 bits. */
bool model_number_overflows(const char *text);

#endif
