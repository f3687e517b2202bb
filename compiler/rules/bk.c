/* rules/bk.c - backups of the Orchestration Cluster. */
#include <inttypes.h>
#include <string.h>

#include "rules.h"

static const struct m_backup *backup(const struct sema *s) {
  return s->e->backup.meta.present ? &s->e->backup : NULL;
}

/* BK001: a backup block names exactly one store. */
void rule_BK001(struct sema *s) {
  const struct m_backup *b = backup(s);
  if (!b)
    return;
  const struct meta *stores[] = {&b->s3.meta, &b->gcs.meta, &b->azure.meta, &b->filesystem.meta};
  static const char *const names[] = {"s3", "gcs", "azure", "filesystem"};
  const struct meta *first = NULL;
  size_t first_i = 0;
  for (size_t i = 0; i < 4; i++) {
    if (!stores[i]->present)
      continue;
    if (!first) {
      first = stores[i];
      first_i = i;
      continue;
    }
    struct diag *g = report(s, R_BK001, stores[i], stores[i]->at, "a second backup store: %s besides %s", names[i],
                            names[first_i]);
    note(s, g, first->at, "%s is the store here", names[first_i]);
    help(s, g, "a cluster backs up to one store: keep one of the blocks");
  }
  if (first)
    return;
  struct diag *g = report(s, R_BK001, &b->meta, b->meta.at, "the backup block names no store");
  help(s, g, "add one: s3 { bucket = \"...\" }, gcs { bucket = \"...\" }, azure { container = \"...\" } or "
             "filesystem { path = \"...\" }");
}

/* BK002: production has a backup store. */
void rule_BK002(struct sema *s) {
  const struct m_orchestration *o = &s->e->orchestration;
  if (backup(s) || (o->brokers.v == 1 && s->sev[R_HA009] != RS_OFF))
    return;  /* a single broker: HA009 says it */
  struct diag *g = report(s, R_BK002, &s->e->meta, s->e->meta.at, "no backup store: no backups can be taken");
  help(s, g, "add a backup block, e.g. backup { s3 { bucket = \"camunda-backups\", region = \"eu-west-1\" } }");
}

static bool blank(const char *v) { return v[strspn(v, " \t")] == '\0'; }

/* A base path that is set is not empty and has no leading or trailing '/'. */
static void base_path(struct sema *s, enum rule_id r, const struct meta *store, const struct m_str *p) {
  if (!p->set)
    return;
  size_t n = strlen(p->v);
  if (blank(p->v)) {
    struct diag *g = report(s, r, store, p->at, "base_path is empty");
    help(s, g, "drop base_path, or give a prefix such as \"camunda-prod\"");
  } else if (p->v[0] == '/' || p->v[n - 1] == '/') {
    struct diag *g = report(s, r, store, p->at, "base_path \"%s\" %s with '/'", p->v, p->v[0] == '/' ? "starts" : "ends");
    help(s, g, "write the prefix without leading or trailing '/'");
  }
}

/* A bucket is named. */
static void bucket(struct sema *s, enum rule_id r, const struct meta *store, const struct m_str *b, const char *kind) {
  if (b->set && !blank(b->v))
    return;
  struct diag *g = report(s, r, store, at_or(b->at, store), "the %s backup store names no bucket", kind);
  help(s, g, "bucket = \"...\": an existing bucket the brokers may write to");
}

/* BK004: S3 names a bucket; a base path is well-formed. */
void rule_BK004(struct sema *s) {
  const struct m_backup *b = backup(s);
  if (!b || !b->s3.meta.present)
    return;
  bucket(s, R_BK004, &b->s3.meta, &b->s3.bucket, "S3");
  base_path(s, R_BK004, &b->s3.meta, &b->s3.base_path);
}

/* BK005: GCS names a bucket; a base path is well-formed. */
void rule_BK005(struct sema *s) {
  const struct m_backup *b = backup(s);
  if (!b || !b->gcs.meta.present)
    return;
  bucket(s, R_BK005, &b->gcs.meta, &b->gcs.bucket, "GCS");
  base_path(s, R_BK005, &b->gcs.meta, &b->gcs.base_path);
}

/* BK006: Azure names its container. */
void rule_BK006(struct sema *s) {
  const struct m_backup *b = backup(s);
  if (!b || !b->azure.meta.present)
    return;
  const struct m_str *c = &b->azure.container;
  if (c->set && !blank(c->v))
    return;
  struct diag *g = report(s, R_BK006, &b->azure.meta, at_or(c->at, &b->azure.meta),
                          c->set ? "the Azure backup container is empty" : "the Azure backup store names no container");
  help(s, g, "container = \"...\": the blob container the backups go to");
}

/* BK007: production prefers an object store to a file system. */
void rule_BK007(struct sema *s) {
  const struct m_backup *b = backup(s);
  if (!b || !b->filesystem.meta.present)
    return;
  struct diag *g = report(s, R_BK007, &b->filesystem.meta, b->filesystem.meta.at,
                          "backups to a shared file system in production");
  help(s, g, "prefer s3, gcs or azure; if it must be a file system, make it POSIX-compliant, replicated and "
             "mounted on every broker");
}

/* BK010: RDBMS backups do not cover Optimize. */
void rule_BK010(struct sema *s) {
  const struct m_estate *e = s->e;
  const struct m_storage *st = &e->orchestration.storage;
  if (!backup(s) || !e->optimize.meta.present || st->meta.kind != M_storage_kind_rdbms)
    return;
  struct diag *g = report(s, R_BK010, &e->optimize.meta, e->optimize.meta.at,
                          "Optimize's data is not covered by backups with RDBMS secondary storage");
  note(s, g, st->meta.at, "the secondary storage is RDBMS");
  help(s, g, "back up Optimize's Elasticsearch or OpenSearch with the Elasticsearch/OpenSearch backup procedure");
}

/* BK012: a backup before scaling brokers or partitions. */
void rule_BK012(struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  const struct m_orchestration *o = &s->e->orchestration;
  if (!u->meta.present || u->backup_taken.v)
    return;
  const struct m_int *now = NULL, *was = NULL;
  const char *what = NULL;
  if (u->brokers.set && u->brokers.v != o->brokers.v) {
    now = &o->brokers;
    was = &u->brokers;
    what = "brokers";
  } else if (u->partitions.set && u->partitions.v != o->partitions.v) {
    now = &o->partitions;
    was = &u->partitions;
    what = "partitions";
  } else {
    return;
  }
  struct diag *g = report(s, R_BK012, &u->meta, at_or(u->backup_taken.at, &u->meta),
                          "%s change from %" PRId64 " to %" PRId64 " without a backup taken first", what, was->v, now->v);
  note(s, g, at_or(now->at, &o->meta), "%s = %" PRId64 " here", what, now->v);
  help(s, g, "take a backup of the running cluster, then set backup_taken = true");
}
