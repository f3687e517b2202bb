/* sema.c - runs the rules over one environment: profiles, suppressions and
 * derived facts.  The rules themselves are in rules/<family>.c.
 *
 * Severity: each rule has one for the development profile and one for the
 * production profile (rules.def).  A declared profile
 *   profile "staging" { extends = production, severity { HA001 = warning } }
 * starts from the profile it extends and overrides single rules; the
 * standard library declares some (std/profiles), an estate may declare
 * more.  Suppression: allow "ID" { reason = "..." } in a block suppresses
 * the rule for that block and every block inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "rules.h"
#include "suggest.h"

#define E RS_ERROR
#define W RS_WARNING
#define N RS_NOTE
#define O RS_OFF

const struct rule_info rule_infos[R_COUNT] = {
#define RULE(id, dev, prod, title, expl, source) {#id, dev, prod, title, expl, source, rule_##id},
#define NOT_ENFORCED(id, sev, title, reason, source)
#include "rules.def"
#undef RULE
#undef NOT_ENFORCED
};

const struct rule_skipped rules_not_enforced[] = {
#define RULE(id, dev, prod, title, expl, source)
#define NOT_ENFORCED(id, sev, title, reason, source) {#id, sev, title, reason, source},
#include "rules.def"
#undef RULE
#undef NOT_ENFORCED
    {NULL, RS_OFF, NULL, NULL, NULL},
};
const size_t rules_not_enforced_count = sizeof rules_not_enforced / sizeof rules_not_enforced[0] - 1;

#undef E
#undef W
#undef N
#undef O

const struct rule_info *rule_find(const char *id) {
  for (size_t i = 0; i < R_COUNT; i++)
    if (strcmp(rule_infos[i].id, id) == 0)
      return &rule_infos[i];
  return NULL;
}

const char *rule_sev_name(enum rule_sev s) {
  static const char *const names[] = {"off", "note", "warning", "error"};
  return names[s];
}

static bool sev_parse(const char *s, enum rule_sev *out) {
  for (int i = 0; i <= RS_ERROR; i++)
    if (strcmp(s, rule_sev_name((enum rule_sev)i)) == 0) {
      *out = (enum rule_sev)i;
      return true;
    }
  return false;
}

/* --- profiles ------------------------------------------------------------ */

struct profile_def {
  const char *name;
  struct span at;
  const struct profile_decl *decl;   /* NULL for the built-in two */
  enum rule_sev sev[R_COUNT];
  bool production;
  int state;                         /* 0 new, 1 resolving, 2 done, 3 failed */
  struct val *body;                  /* while resolving: the evaluated block */
  struct profile_def *base;          /* while resolving: the profile it extends, if known */
  bool own_ok;                       /* while resolving: its extends = ... is right */
};

static struct profile_def *profile_named(struct compilation *c, const char *name);

static struct profile_def *builtin(struct compilation *c, const char *name, bool production) {
  struct profile_def *p = arena_alloc(c->arena, sizeof *p);
  p->name = name;
  p->production = production;
  p->state = 2;
  for (size_t i = 0; i < R_COUNT; i++)
    p->sev[i] = production ? rule_infos[i].prod : rule_infos[i].dev;
  vec_push(c->arena, &c->profiles, p);
  map_put(&c->profile_names, name, NULL, p);
  return p;
}

static void profiles_init(struct compilation *c) {
  if (c->profiles.len)
    return;
  builtin(c, "development", false);
  builtin(c, "production", true);
  for (size_t i = 0; i < c->profile_decls.len; i++) {
    const struct profile_decl *d = c->profile_decls.items[i];
    struct profile_def *old = map_get(&c->profile_names, d->name, NULL);
    if (old) {
      struct diag *g = diag_error(&c->diags, "PRF001", d->block->label_at, "profile \"%s\" is declared twice", d->name);
      if (old->decl)
        diag_note(&c->diags, g, old->decl->block->label_at, "first declared here");
      else
        diag_note(&c->diags, g, (struct span){0}, "development and production are built in");
      continue;
    }
    struct profile_def *p = arena_alloc(c->arena, sizeof *p);
    p->name = d->name;
    p->at = d->block->label_at;
    p->decl = d;
    vec_push(c->arena, &c->profiles, p);
    map_put(&c->profile_names, p->name, NULL, p);
  }
}

/* profile "x" { extends = production }: evaluates the block and finds the
 * profile it extends (p->base, NULL if that is wrong, and said). */
static void profile_open(struct compilation *c, struct profile_def *p) {
  p->state = 1;
  p->body = resolve_block(c, p->decl->module, p->decl->block);
  const struct entry *ext = val_find(p->body, "extends", NULL);
  p->own_ok = false;
  if (!ext || (ext->v->kind != V_SYM && ext->v->kind != V_STR)) {
    diag_error(&c->diags, "PRF001", ext ? ext->v->at : p->at,
               "profile \"%s\" needs extends = development or production (or another profile)", p->name);
  } else if (!(p->base = profile_named(c, ext->v->s))) {
    diag_error(&c->diags, "PRF001", ext->v->at, "profile \"%s\" extends unknown profile `%s`", p->name, ext->v->s);
  } else {
    p->own_ok = true;
  }
}

/* severity { ZB010 = off }: the profile's severities, from its base's
 * (base_ok: the base resolved). */
static void profile_close(struct compilation *c, struct profile_def *p, bool base_ok) {
  bool ok = p->own_ok && base_ok;
  if (ok) {
    memcpy(p->sev, p->base->sev, sizeof p->sev);
    p->production = p->base->production;
  }
  const struct val *v = p->body;
  for (size_t i = 0; i < v->items.len; i++) {
    const struct entry *e = v->items.items[i];
    if (strcmp(e->name, "extends") == 0)
      continue;
    if (strcmp(e->name, "severity") != 0 || e->v->kind != V_OBJ) {
      diag_error(&c->diags, "PRF001", e->name_at, "a profile holds extends = ... and severity { RULE = error|warning|note|off }");
      ok = false;
      continue;
    }
    for (size_t j = 0; j < e->v->items.len; j++) {
      const struct entry *r = e->v->items.items[j];
      const struct rule_info *ri = rule_find(r->name);
      enum rule_sev sev;
      if (!ri) {
        struct diag *g = diag_error(&c->diags, "PRF001", r->name_at, "no rule %s", r->name);
        const char *ids[R_COUNT];
        for (size_t k = 0; k < R_COUNT; k++)
          ids[k] = rule_infos[k].id;
        const char *sug = suggest(r->name, ids, R_COUNT);
        if (sug)
          diag_help(&c->diags, g, "did you mean %s?", sug);
        ok = false;
      } else if ((r->v->kind != V_SYM && r->v->kind != V_STR) || !sev_parse(r->v->s, &sev)) {
        diag_error(&c->diags, "PRF001", r->v->at, "a severity is error, warning, note or off");
        ok = false;
      } else {
        p->sev[ri - rule_infos] = sev;
      }
    }
  }
  p->state = ok ? 2 : 3;
}

/* Resolves a profile and the chain of profiles it extends: down the chain
 * to one resolved already (or built in), then back up, on an explicit
 * stack, so a chain of any length costs no stack.  A profile met again on
 * the way down extends itself. */
static bool profile_resolve(struct compilation *c, struct profile_def *p) {
  struct vec chain = {0};
  bool ok;
  for (struct profile_def *q = p;;) {
    if (q->state == 2 || q->state == 3) {
      ok = q->state == 2;
      break;
    }
    if (q->state == 1) {
      diag_error(&c->diags, "PRF001", q->at, "profile \"%s\" extends itself, through the profiles it extends", q->name);
      q->state = 3;
      ok = false;
      break;
    }
    profile_open(c, q);
    vec_push(c->arena, &chain, q);
    if (!q->base) {
      ok = false;
      break;
    }
    q = q->base;
  }
  while (chain.len) {
    struct profile_def *q = chain.items[--chain.len];
    profile_close(c, q, ok && q->base);
    ok = q->state == 2;
  }
  return p->state == 2;
}

static struct profile_def *profile_named(struct compilation *c, const char *name) {
  profiles_init(c);
  return map_get(&c->profile_names, name, NULL);
}

static struct profile_def *env_profile(struct compilation *c, const struct model *m) {
  const struct m_str *name = &m->e.profile;
  struct profile_def *p = profile_named(c, name->v);
  if (p && profile_resolve(c, p))
    return p;
  if (!p) {
    const char *names[64];
    size_t n = 0;
    struct buf all = {0};
    for (size_t i = 0; i < c->profiles.len && n < 64; i++) {
      names[n] = ((struct profile_def *)c->profiles.items[i])->name;
      buf_printf(&all, "%s%s", n ? ", " : "", names[n]);
      n++;
    }
    struct diag *g = diag_error(&c->diags, "PRF001", name->at, "unknown profile `%s`", name->v);
    const char *sug = suggest(name->v, names, n);
    if (sug)
      diag_help(&c->diags, g, "did you mean `%s`? (profiles: %s)", sug, all.data);
    else
      diag_help(&c->diags, g, "profiles: %s", all.data);
    buf_free(&all);
  }
  return NULL;
}

/* --- reporting ----------------------------------------------------------- */

static bool suppressed(struct sema *s, enum rule_id r, const struct meta *owner) {
  for (const struct meta *m = owner; m; m = m->parent)
    for (size_t i = 0; i < m->allows.len; i++) {
      const struct m_allow *a = m->allows.items[i];
      if (strcmp(a->rule, rule_infos[r].id) != 0)
        continue;
      for (size_t j = 0; j < s->c->allows.len; j++) {
        struct allow_use *u = s->c->allows.items[j];
        if (u->allow->at.file == a->at.file && u->allow->at.start == a->at.start)
          u->used = true;
      }
      return true;
    }
  return false;
}

struct diag *report(struct sema *s, enum rule_id r, const struct meta *owner, struct span at, const char *fmt, ...) {
  enum rule_sev sev = s->sev[r];
  if (sev == RS_OFF || suppressed(s, r, owner ? owner : &s->e->meta))
    return NULL;
  if (!span_known(at))
    at = s->m->env_at;
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(s->a, fmt, ap);
  va_end(ap);
  enum severity ds = sev == RS_ERROR ? SEV_ERROR : sev == RS_WARNING ? SEV_WARNING : SEV_NOTE;
  struct diag *g = diag_add(s->d, ds, rule_infos[r].id, at, "%s", msg);
  if (s->c->envs.len)
    g->envs = arena_printf(s->a, "\"%s\"", s->m->env);
  return g;
}

void note(struct sema *s, struct diag *g, struct span at, const char *fmt, ...) {
  if (!g)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(s->a, fmt, ap);
  va_end(ap);
  diag_note(s->d, g, at, "%s", msg);
}

void help(struct sema *s, struct diag *g, const char *fmt, ...) {
  if (!g || g->help)
    return;
  va_list ap;
  va_start(ap, fmt);
  g->help = arena_vprintf(s->a, fmt, ap);
  va_end(ap);
}

struct span at_or(struct span value, const struct meta *block) { return span_known(value) ? value : block->at; }

bool on_place(const struct sema *s, int place) { return s->m->place == place; }

/* Compares dotted versions numerically; a missing part counts as 0. */
int version_cmp(const char *a, const char *b) {
  while (*a || *b) {
    long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
    if (x != y)
      return x < y ? -1 : 1;
    a += *a == '.';
    b += *b == '.';
    if ((*a && (*a < '0' || *a > '9')) || (*b && (*b < '0' || *b > '9')))
      break;
  }
  return 0;
}

int version_major(const char *v) { return (int)strtol(v, NULL, 10); }

int version_minor(const char *v) {
  const char *dot = strchr(v, '.');
  return dot ? (int)strtol(dot + 1, NULL, 10) : 0;
}

/* --- derived facts ------------------------------------------------------- */

/* The index of a zone in s->f.zones, adding it if new (`seen` maps names
 * to index + 1). */
static int zone_index(struct sema *s, struct map *seen, const char *zone) {
  intptr_t known = (intptr_t)map_get(seen, zone, NULL);
  if (known)
    return (int)(known - 1);
  s->f.zones[s->f.nzones] = zone;
  map_put(seen, zone, NULL, (void *)(intptr_t)(s->f.nzones + 1));
  return s->f.nzones++;
}

/* Brokers and zones: on machines, each host's zone; on Kubernetes, brokers
 * spread evenly over the estate's zones (broker i in zone i mod Z, as the
 * topology spread places them).  Partition p (0-based) has its copies on
 * brokers (p + k) mod N, Zeebe's round-robin placement. */
static void derive(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  struct facts *f = &s->f;
  f->brokers = (int)o->brokers.v;
  f->partitions = (int)o->partitions.v;
  f->replication = (int)o->replication.v;
  f->quorum = f->replication / 2 + 1;
  f->tolerated = f->replication - f->quorum;
  f->regions = o->region.v.len ? (int)o->region.v.len : 1;
  size_t nb = (size_t)f->brokers;
  f->broker_zone = arena_alloc(s->a, nb * sizeof *f->broker_zone);
  f->broker_region = arena_alloc(s->a, nb * sizeof *f->broker_region);
  size_t maxz = o->zones.v.len + s->e->host.v.len + 1;
  f->zones = arena_alloc(s->a, maxz * sizeof *f->zones);
  struct map seen;
  map_init(&seen, s->a);
  for (size_t i = 0; i < nb; i++) {
    f->broker_zone[i] = -1;
    f->broker_region[i] = (int)(i % (size_t)f->regions);
  }
  if (on_place(s, M_place_machines) && s->e->host.v.len) {
    for (size_t i = 0; i < s->e->host.v.len; i++) {
      const struct m_host *h = s->e->host.v.items[i];
      size_t id = h->node_id.set ? (size_t)h->node_id.v : i;
      if (h->zone.set && id < nb)
        f->broker_zone[id] = zone_index(s, &seen, h->zone.v);
    }
  } else if (o->zones.v.len) {
    for (size_t i = 0; i < o->zones.v.len; i++)
      zone_index(s, &seen, o->zones.v.items[i]);
    for (size_t i = 0; i < nb; i++)
      f->broker_zone[i] = (int)(i % (size_t)f->nzones);
  }
  /* lay out partitions only while that stays small */
  f->placement = (size_t)f->partitions * (size_t)f->replication <= 1u << 20;
  if (f->placement) {
    f->replica = arena_alloc(s->a, (size_t)f->partitions * (size_t)f->replication * sizeof *f->replica);
    for (int p = 0; p < f->partitions; p++)
      for (int k = 0; k < f->replication; k++)
        f->replica[p * f->replication + k] = (p + k) % f->brokers;
  }
}

/* --- the pass -------------------------------------------------------------- */

void sema_check(struct compilation *c, const struct model *m) {
  struct profile_def *p = env_profile(c, m);
  if (!p)
    return;
  struct sema s = {c, m, &m->e, &c->diags, c->arena, p->sev, p->production, {0}};
  derive(&s);
  for (size_t i = 0; i < R_COUNT; i++)
    if (s.sev[i] != RS_OFF)
      rule_infos[i].check(&s);
}

void sema_check_allows(struct compilation *c) {
  if (c->diags.errors)
    return;  /* an environment that failed may not have reached its allows */
  for (size_t i = 0; i < c->allows.len; i++) {
    struct allow_use *u = c->allows.items[i];
    if (!u->used)
      diag_warning(&c->diags, "SUP002", u->allow->at, "allow \"%s\" suppressed nothing", u->allow->rule);
  }
}
