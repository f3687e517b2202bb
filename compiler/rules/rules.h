/* rules.h - the semantic pass: Camunda's reference-architecture rules.
 *
 * Every rule has one entry in rules.def (via rules/<family>.def): its id,
 * its severity in the development and production profiles, a title, an
 * explanation and the Camunda page it comes from, and a check function
 * named after it (rule_ZB001) in rules/<family>.c.  Checks read the
 * resolved model of one environment plus the facts derived from it once
 * (quorum, partition placement, brokers per zone and region), and report
 * through report(), which applies the profile's severity and the estate's
 * `allow "ID" { reason = "..." }` suppressions.
 */
#ifndef CAMARCH_RULES_H
#define CAMARCH_RULES_H

#include "driver.h"

enum rule_sev { RS_OFF, RS_NOTE, RS_WARNING, RS_ERROR };

enum rule_id {
#define RULE(id, dev, prod, title, expl, source) R_##id,
#define NOT_ENFORCED(id, sev, title, reason, source)
#include "rules.def"
#undef RULE
#undef NOT_ENFORCED
  R_COUNT
};

struct sema;

struct rule_info {
  const char *id;
  enum rule_sev dev, prod;
  const char *title, *explanation, *source;
  void (*check)(struct sema *s);
};

struct rule_skipped {
  const char *id;
  enum rule_sev sev;
  const char *title, *reason, *source;
};

extern const struct rule_info rule_infos[R_COUNT];
extern const struct rule_skipped rules_not_enforced[];
extern const size_t rules_not_enforced_count;
const struct rule_info *rule_find(const char *id);
const char *rule_sev_name(enum rule_sev s);

/* Facts derived once from the model, for the checks. */
struct facts {
  int brokers, partitions, replication;
  int quorum;                 /* floor(R/2) + 1 */
  int tolerated;              /* R - quorum: replicas a partition may lose */
  int nzones;                 /* distinct zones hosting brokers (0: unknown) */
  const char **zones;         /* their names */
  int *broker_zone;           /* per broker: index into zones, or -1 */
  int regions;                /* 1, or the number of region blocks */
  int *broker_region;         /* per broker: node id mod regions */
  int *replica;               /* partition p (0-based), copy k: broker replica[p * R + k] */
  bool placement;             /* false when the cluster is too large to lay out */
};

struct sema {
  struct compilation *c;
  const struct model *m;
  const struct m_estate *e;
  struct diags *d;
  struct arena *a;
  const enum rule_sev *sev;   /* per rule, for this environment's profile */
  bool production;            /* the profile is production or extends it */
  struct facts f;
};

/* Reports rule `r` at `at` about the block `owner` (whose allow blocks,
 * and those of its enclosing blocks, may suppress it).  Returns the
 * diagnostic, or NULL when the profile turns the rule off or an allow
 * suppresses it; note() and help() accept NULL. */
struct diag *report(struct sema *s, enum rule_id r, const struct meta *owner, struct span at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void note(struct sema *s, struct diag *g, struct span at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void help(struct sema *s, struct diag *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A span to point at: the value if the estate set it, else the block. */
struct span at_or(struct span value, const struct meta *block);

/* Helpers for checks. */
/* Whether the environment's target deploys to this kind of place (M_place_*):
 * rules ask this, never which backend it is. */
bool on_place(const struct sema *s, int place);
int version_cmp(const char *a, const char *b);   /* "8.19.2" vs "8.16": <0, 0, >0 (missing parts are 0) */
int version_major(const char *v);
int version_minor(const char *v);

/* Shared between rule families (rules/db.c): how many versions of RDBMS
 * vendor `vendor` that Camunda 8.9 supports are newer than `version` (0:
 * it is the newest); -1 when the vendor or version is not on the list.
 * Sets the vendor's name and its newest two versions, for messages. */
int db_rdbms_newer(struct sema *s, int vendor, const char *version, const char **name, const char **latest);

/* The check functions, one per rule. */
#define RULE(id, dev, prod, title, expl, source) void rule_##id(struct sema *s);
#define NOT_ENFORCED(id, sev, title, reason, source)
#include "rules.def"
#undef RULE
#undef NOT_ENFORCED

/* Runs every rule over one environment's model. */
void sema_check(struct compilation *c, const struct model *m);
/* After every environment: allow blocks that suppressed nothing (SUP002). */
void sema_check_allows(struct compilation *c);

#endif
