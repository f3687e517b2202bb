/* rules/db.c - supported versions of the databases around Camunda.
 *
 * The support matrices of Camunda 8.8 and 8.9, as small tables: one line
 * per Camunda minor and database kind, its versions oldest first.  A
 * version is written as the docs write it: "8.16+" is 8.16 or any later
 * 8.x (the docs' "+" keeps the major version), "16" is any 16.x, "10.11"
 * any 10.11.x, and "19c" is 19.
 */
#include <string.h>

#include "rules.h"

struct support {
  int minor, kind;          /* kind: storage_kind or db_kind; KEYCLOAK for Keycloak */
  const char *v[8];
};

#define KEYCLOAK (-1)

/* D88/D89 supported environments: the Orchestration Cluster's and Optimize's search store. */
static const struct support search[] = {
    {8, M_storage_kind_elasticsearch, {"8.16+"}},
    {8, M_storage_kind_opensearch, {"2.17+"}},
    {9, M_storage_kind_elasticsearch, {"8.19+", "9.2+"}},
    {9, M_storage_kind_opensearch, {"2.19+", "3.4+"}},
};

/* D88/D89 supported environments, Management Identity. */
static const struct support keycloak[] = {
    {8, KEYCLOAK, {"25", "26"}},
    {9, KEYCLOAK, {"26"}},
};

/* D88 supported environments: Management Identity's database on 8.8. */
static const struct support mi88[] = {
    {8, M_db_kind_postgres, {"14", "15", "16", "17"}},
    {8, M_db_kind_aurora_postgres, {"13", "14", "15", "16", "17"}},
    {8, M_db_kind_oracle, {"19c"}},
    {8, M_db_kind_mssql, {"2019"}},
};

/* D88 supported environments: Web Modeler's database on 8.8. */
static const struct support wm88[] = {
    {8, M_db_kind_postgres, {"13", "14", "15", "16", "17", "18"}},
    {8, M_db_kind_aurora_postgres, {"13", "14", "15", "16", "17"}},
    {8, M_db_kind_oracle, {"19c", "23ai"}},
    {8, M_db_kind_mssql, {"2019", "2022"}},
};

/* D89 RDBMS support policy: secondary storage, Management Identity and Web Modeler on 8.9. */
static const struct support rdbms89[] = {
    {9, M_db_kind_postgres, {"14", "15", "16", "17", "18"}},
    {9, M_db_kind_aurora_postgres, {"14", "15", "16", "17"}},
    {9, M_db_kind_mariadb, {"10.11", "11.4", "11.8"}},
    {9, M_db_kind_mysql, {"8.4"}},
    {9, M_db_kind_mssql, {"2019", "2022", "2025"}},
    {9, M_db_kind_oracle, {"19c", "23ai"}},
    {9, M_db_kind_h2, {"2.3", "2.4"}},
};

#define N(t) (sizeof(t) / sizeof(t)[0])

static const char *db_name(int kind) {
  switch (kind) {
  case KEYCLOAK: return "Keycloak";
  case M_storage_kind_elasticsearch: return "Elasticsearch";
  case M_storage_kind_opensearch: return "OpenSearch";
  case M_db_kind_postgres: return "PostgreSQL";
  case M_db_kind_aurora_postgres: return "Amazon Aurora PostgreSQL";
  case M_db_kind_mariadb: return "MariaDB";
  case M_db_kind_mysql: return "MySQL";
  case M_db_kind_mssql: return "SQL Server";
  case M_db_kind_oracle: return "Oracle";
  case M_db_kind_h2: return "H2";
  default: return model_enum_name(kind);
  }
}

/* Reads up to four numeric parts: "8.19.2" -> 8 19 2, "19c" -> 19, "23ai" -> 23. */
static int vparse(const char *v, long p[4]) {
  int n = 0;
  while (n < 4 && *v >= '0' && *v <= '9') {
    long x = 0;
    for (; *v >= '0' && *v <= '9'; v++)
      if (x < 100000000)
        x = x * 10 + (*v - '0');
    p[n++] = x;
    while (*v && *v != '.' && (*v < '0' || *v > '9'))
      v++;  /* a suffix: "c", "ai", "-ubi" */
    if (*v != '.')
      break;
    v++;
  }
  return n;
}

/* Whether `version` is one of `entry` ("8.16+", "16", "10.11", "19c"). */
static bool ver_in(const char *version, const char *entry) {
  long e[4] = {0}, v[4] = {0};
  int ne = vparse(entry, e);
  if (!ne || !vparse(version, v))
    return false;
  if (entry[strlen(entry) - 1] == '+') {
    if (v[0] != e[0])
      return false;
    for (int i = 1; i < 4; i++)
      if (v[i] != e[i])
        return v[i] > e[i];
    return true;
  }
  for (int i = 0; i < ne; i++)
    if (v[i] != e[i])
      return false;
  return true;
}

static const struct support *find(const struct support *t, size_t n, int minor, int kind) {
  for (size_t i = 0; i < n; i++)
    if (t[i].minor == minor && t[i].kind == kind)
      return &t[i];
  return NULL;
}

/* The index of the entry holding `version`, or -1. */
static int entry_of(const struct support *sup, const char *version) {
  for (int i = 0; i < 8 && sup->v[i]; i++)
    if (ver_in(version, sup->v[i]))
      return i;
  return -1;
}

static int entries(const struct support *sup) {
  int n = 0;
  while (n < 8 && sup->v[n])
    n++;
  return n;
}

/* "14, 15, 16 or 17" */
static const char *versions(struct sema *s, const struct support *sup) {
  const char *out = "";
  int n = entries(sup);
  for (int i = 0; i < n; i++)
    out = arena_printf(s->a, "%s%s%s", out, !i ? "" : i == n - 1 ? " or " : ", ", sup->v[i]);
  return out;
}

/* "PostgreSQL, Oracle, SQL Server": the kinds of one minor, but `skip`. */
static const char *kinds(struct sema *s, const struct support *t, size_t n, int minor, int skip) {
  const char *out = "";
  for (size_t i = 0; i < n; i++)
    if (t[i].minor == minor && t[i].kind != skip)
      out = arena_printf(s->a, "%s%s%s", out, *out ? ", " : "", db_name(t[i].kind));
  return out;
}

/* One database checked against a support matrix. */
struct db_use {
  enum rule_id r;
  const struct meta *owner;
  const char *who;              /* " for Web Modeler", or "" */
  int kind;
  struct span kind_at;
  const struct m_str *version;
  bool h2_dev_only;             /* refuse H2 in production */
};

static void check(struct sema *s, const struct support *t, size_t n, const struct db_use *u) {
  int minor = s->m->minor;
  const struct support *sup = find(t, n, minor, u->kind);
  if (!sup) {
    struct diag *g = report(s, u->r, u->owner, u->kind_at, "%s is not supported%s on Camunda 8.%d", db_name(u->kind),
                            u->who, minor);
    help(s, g, "use one of: %s", kinds(s, t, n, minor, -1));
    return;
  }
  if (u->h2_dev_only && u->kind == M_db_kind_h2 && s->production) {
    struct diag *g = report(s, u->r, u->owner, u->kind_at, "H2%s is for development and tests only, not production",
                            u->who);
    help(s, g, "use one of: %s", kinds(s, t, n, minor, M_db_kind_h2));
    return;
  }
  long p[4];
  if (!u->version->set || !vparse(u->version->v, p) || entry_of(sup, u->version->v) >= 0)
    return;
  struct diag *g = report(s, u->r, u->owner, u->version->at, "%s %s is not supported%s on Camunda 8.%d",
                          db_name(u->kind), u->version->v, u->who, minor);
  note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.%d", minor);
  help(s, g, "Camunda 8.%d supports %s %s", minor, db_name(u->kind), versions(s, sup));
}

/* For SS016: newer supported versions than `version` under the 8.9 policy. */
int db_rdbms_newer(struct sema *s, int vendor, const char *version, const char **name, const char **latest) {
  const struct support *sup = find(rdbms89, N(rdbms89), 9, vendor);
  int i = sup ? entry_of(sup, version) : -1;
  if (i < 0)
    return -1;
  int n = entries(sup);
  *name = db_name(vendor);
  *latest = n > 1 ? arena_printf(s->a, "%s or %s", sup->v[n - 2], sup->v[n - 1]) : sup->v[0];
  return n - 1 - i;
}

/* DB001: the search store's version is supported. */
void rule_DB001(struct sema *s) {
  const struct m_storage *st = &s->e->orchestration.storage;
  int k = st->meta.kind;
  if (k != M_storage_kind_elasticsearch && k != M_storage_kind_opensearch)
    return;
  struct db_use u = {R_DB001, &st->meta, "", k, st->meta.at, &st->version, false};
  check(s, search, N(search), &u);
}

/* DB003: Management Identity's Keycloak version is supported. */
void rule_DB003(struct sema *s) {
  const struct m_management_identity *mi = &s->e->management_identity;
  if (!mi->meta.present || mi->provider.v != M_mi_provider_keycloak)
    return;
  const struct m_keycloak *kc = &mi->keycloak;
  struct db_use u = {R_DB003, &kc->meta, " for Management Identity", KEYCLOAK, kc->meta.at, &kc->version, false};
  check(s, keycloak, N(keycloak), &u);
}

/* DB004: Management Identity's database is supported. */
void rule_DB004(struct sema *s) {
  const struct m_management_identity *mi = &s->e->management_identity;
  const struct m_database *d = &mi->database;
  if (!mi->meta.present || !d->meta.present)
    return;
  struct db_use u = {R_DB004, &d->meta, " for Management Identity", d->meta.kind, d->meta.at, &d->version, true};
  if (s->m->minor == 8)
    check(s, mi88, N(mi88), &u);
  else
    check(s, rdbms89, N(rdbms89), &u);
}

/* DB005: Web Modeler's database is supported. */
void rule_DB005(struct sema *s) {
  const struct m_web_modeler *wm = &s->e->web_modeler;
  const struct m_database *d = &wm->database;
  if (!wm->meta.present || !d->meta.present)
    return;
  struct db_use u = {R_DB005, &d->meta, " for Web Modeler", d->meta.kind, d->meta.at, &d->version, true};
  if (s->m->minor == 8)
    check(s, wm88, N(wm88), &u);
  else
    check(s, rdbms89, N(rdbms89), &u);
}

/* DB006: the relational secondary storage's version is supported (8.8: SS001). */
void rule_DB006(struct sema *s) {
  const struct m_storage *st = &s->e->orchestration.storage;
  int k = st->meta.kind;
  if (s->m->minor != 9 || (k != M_storage_kind_rdbms && k != M_storage_kind_h2))
    return;
  int vendor = k == M_storage_kind_h2 ? M_db_kind_h2 : st->vendor.v;
  struct span at = k == M_storage_kind_h2 ? st->meta.at : at_or(st->vendor.at, &st->meta);
  struct db_use u = {R_DB006, &st->meta, "", vendor, at, &st->version, false};
  check(s, rdbms89, N(rdbms89), &u);
}

/* DB007: chart 13.x for 8.8, 14.x for 8.9. */
void rule_DB007(struct sema *s) {
  const struct m_str *cv = &s->e->chart_version;
  int want = s->m->minor == 8 ? 13 : 14;
  long p[4];
  if (!on_place(s, M_place_kubernetes) || !cv->set || !vparse(cv->v, p) || p[0] == want)
    return;
  struct diag *g = report(s, R_DB007, &s->e->meta, at_or(cv->at, &s->e->meta),
                          "chart_version = \"%s\" does not deploy Camunda 8.%d", cv->v, s->m->minor);
  note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.%d", s->m->minor);
  help(s, g, "use a %d.x chart, or leave chart_version to the standard library", want);
}
