/* rules/mt.c - multi-tenancy. */
#include <string.h>

#include "rules.h"

static const struct m_management_identity *mgmt(const struct sema *s) {
  return s->e->management_identity.meta.present ? &s->e->management_identity : NULL;
}

static const struct m_optimize *optimize(const struct sema *s) {
  return s->e->optimize.meta.present ? &s->e->optimize : NULL;
}

/* MT001: multi-tenancy checks need a protected API. */
void rule_MT001(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  if (!id->multi_tenancy.v || id->method.v != M_auth_method_none)
    return;
  struct diag *g = report(s, R_MT001, &id->meta, at_or(id->multi_tenancy.at, &id->meta),
                          "multi_tenancy = true needs authentication, but the API is unprotected");
  note(s, g, at_or(id->method.at, &id->meta), "method = none here");
  help(s, g, "protect the API: method = basic or oidc");
}

/* MT002: Optimize's tenants need Management Identity with a database. */
void rule_MT002(struct sema *s) {
  const struct m_optimize *op = optimize(s);
  const struct m_management_identity *mi = mgmt(s);
  if (!op || !op->multi_tenancy.v || (mi && mi->database.meta.present))
    return;
  struct diag *g = report(s, R_MT002, &op->meta, at_or(op->multi_tenancy.at, &op->meta),
                          mi ? "Optimize's multi-tenancy needs Management Identity's database, and it has none"
                             : "Optimize's multi-tenancy needs Management Identity with a database");
  if (mi)
    note(s, g, mi->meta.at, "Management Identity here, without database");
  help(s, g, mi ? "give Management Identity a database: database = postgres { ... }"
                : "add management_identity { database = postgres { ... } }");
}

/* MT003: Management Identity's multi-tenancy has a database. */
void rule_MT003(struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  if (!mi || !mi->multi_tenancy.v || mi->database.meta.present)
    return;
  struct diag *g = report(s, R_MT003, &mi->meta, at_or(mi->multi_tenancy.at, &mi->meta),
                          "multi_tenancy = true, but Management Identity has no database to keep tenants in");
  help(s, g, "give it a database: database = postgres { ... } (bundled while its url is unset)");
}

/* MT004: with Optimize, multi-tenancy is on everywhere or nowhere. */
void rule_MT004(struct sema *s) {
  const struct m_optimize *op = optimize(s);
  if (!op)
    return;
  const struct m_management_identity *mi = mgmt(s);
  const struct m_identity *id = &s->e->identity;
  struct flag {
    const char *name;
    const struct m_bool *v;
    const struct meta *block;
  } flags[3] = {{"optimize", &op->multi_tenancy, &op->meta}, {"identity", &id->multi_tenancy, &id->meta}};
  size_t n = 2, on = 0;
  if (mi)
    flags[n++] = (struct flag){"management_identity", &mi->multi_tenancy, &mi->meta};
  const struct flag *first = NULL;
  char off[64] = "";
  for (size_t i = 0; i < n; i++) {
    if (flags[i].v->v) {
      on++;
      first = first ? first : &flags[i];
    } else {
      strcat(off, *off ? " and " : "");
      strcat(off, flags[i].name);
    }
  }
  if (!on || on == n)
    return;
  struct diag *g = report(s, R_MT004, first->block, at_or(first->v->at, first->block),
                          "multi_tenancy is enabled in %s but not in %s", first->name, off);
  for (size_t i = 0; i < n; i++)
    if (!flags[i].v->v)
      note(s, g, at_or(flags[i].v->at, flags[i].block), "%s has multi_tenancy %s", flags[i].name,
           span_known(flags[i].v->at) ? "= false here" : "off (the default)");
  help(s, g, "set multi_tenancy = true in %s too, or in none", off);
}

/* MT005: tenants for Optimize are created in Management Identity by hand. */
void rule_MT005(struct sema *s) {
  const struct m_optimize *op = optimize(s);
  const struct m_identity *id = &s->e->identity;
  if (!op || !op->multi_tenancy.v || !id->tenants.v.len)
    return;
  struct diag *g = report(s, R_MT005, &id->meta, id->tenants.at,
                          "camarch creates %zu tenant%s in the cluster only; Optimize sees those of Management "
                          "Identity",
                          id->tenants.v.len, id->tenants.v.len == 1 ? "" : "s");
  help(s, g, "create the same tenant ids in Management Identity");
}

/* Why a tenant id is not valid, or NULL. */
static const char *tenant_fault(struct sema *s, const char *t) {
  size_t len = strlen(t);
  if (strcmp(t, "<default>") == 0)
    return "it is reserved for the default tenant";
  if (len == 0)
    return "it is empty";
  if (len > 31)
    return arena_printf(s->a, "it has %zu characters, at most 31 are allowed", len);
  for (const char *c = t; *c; c++)
    if ((unsigned char)*c >= 0x80)
      return "it has a character outside ASCII";
    else if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
          *c == '_' || *c == '.'))
      return arena_printf(s->a, "'%c' is not allowed", *c);
  return NULL;
}

/* MT006: tenant ids of letters, digits, '-', '_' and '.', at most 31. */
void rule_MT006(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  for (size_t i = 0; i < id->tenants.v.len; i++) {
    const char *t = id->tenants.v.items[i];
    const char *why = tenant_fault(s, t);
    if (!why)
      continue;
    struct diag *g = report(s, R_MT006, &id->meta, id->tenants.at, "tenant id \"%s\" is not valid: %s", t, why);
    help(s, g, "a tenant id has 1 to 31 letters, digits, '-', '_' or '.'");
  }
}
