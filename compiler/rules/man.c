/* rules/man.c - manual installation on machines. */
#include <inttypes.h>
#include <string.h>

#include "camunda.h"
#include "rules.h"

static bool on_machines(const struct sema *s) { return on_place(s, M_place_machines); }

static const struct m_host *host(const struct sema *s, size_t i) { return s->e->host.v.items[i]; }

/* MAN001: production hosts run Linux. */
void rule_MAN001(struct sema *s) {
  if (!on_machines(s))
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (h->os.v == M_os_linux)
      continue;
    struct diag *g = report(s, R_MAN001, &h->meta, at_or(h->os.at, &h->meta),
                            "host \"%s\" runs %s: supported for development only", h->meta.label,
                            model_enum_name(h->os.v));
    help(s, g, "run production hosts on Linux: os = linux");
  }
}

/* MAN002: glibc rather than musl. */
void rule_MAN002(struct sema *s) {
  if (!on_machines(s))
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (h->libc.v != M_libc_musl)
      continue;
    struct diag *g = report(s, R_MAN002, &h->meta, at_or(h->libc.at, &h->meta),
                            "host \"%s\" uses musl: Java runs slower on it", h->meta.label);
    help(s, g, "prefer a glibc distribution (Debian, Ubuntu, RHEL)");
  }
}

/* MAN003: no Console or Web Modeler on machines. */
void rule_MAN003(struct sema *s) {
  if (!on_machines(s))
    return;
  const struct meta *parts[] = {&s->e->console.meta, &s->e->web_modeler.meta};
  static const char *const names[] = {"Console", "Web Modeler"};
  for (size_t i = 0; i < 2; i++) {
    if (!parts[i]->present)
      continue;
    struct diag *g = report(s, R_MAN003, parts[i], parts[i]->at, "%s is not supported on machines", names[i]);
    help(s, g, "run %s with target = %s, or disable it here: enabled = false", names[i],
         model_place_targets(s->a, model_place_bit(M_place_kubernetes)));
  }
}

/* One MAN004 finding about host h. */
static void below(struct sema *s, const struct m_host *h, struct span at, const char *what) {
  struct diag *g = report(s, R_MAN004, &h->meta, at_or(at, &h->meta), "host \"%s\": %s", h->meta.label, what);
  help(s, g, "Camunda suggests at least 2 cores, 4 GB of memory and a 32 GB SSD sustaining 1,000 IOPS per host");
}

/* MAN004: each host meets the suggested minimum. */
void rule_MAN004(struct sema *s) {
  if (!on_machines(s))
    return;
  struct arena *a = s->a;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (h->cpu.set && h->cpu.v < 2000)
      below(s, h, h->cpu.at, arena_printf(a, "cpu = %s is below 2 cores", model_format_cpu(a, h->cpu.v)));
    if (h->memory.set && h->memory.v < INT64_C(4000000000))
      below(s, h, h->memory.at, arena_printf(a, "memory = %s is below 4 GB", model_format_size(a, h->memory.v)));
    if (h->disk.set && h->disk.v < INT64_C(32000000000))
      below(s, h, h->disk.at, arena_printf(a, "disk = %s is below 32 GB", model_format_size(a, h->disk.v)));
    if (h->disk_iops.set && h->disk_iops.v < 1000)
      below(s, h, h->disk_iops.at, arena_printf(a, "disk_iops = %" PRId64 " is below 1,000", h->disk_iops.v));
    if (h->burstable.v)
      below(s, h, h->burstable.at, "the data disk relies on burst credits");
  }
}

/* MAN005: no HDD under the brokers. */
void rule_MAN005(struct sema *s) {
  if (!on_machines(s))
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (h->disk_media.v != M_disk_media_hdd)
      continue;
    struct diag *g = report(s, R_MAN005, &h->meta, at_or(h->disk_media.at, &h->meta),
                            "host \"%s\" keeps its data on HDD: too slow for the Raft log", h->meta.label);
    help(s, g, "use an SSD-backed data disk: disk_media = ssd");
  }
}

/* MAN007: every host has an address, the secondary storage a url. */
void rule_MAN007(struct sema *s) {
  if (!on_machines(s))
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (h->address.set)
      continue;
    struct diag *g = report(s, R_MAN007, &h->meta, h->meta.at,
                            "host \"%s\" has no address: it cannot be a contact point or advertise itself",
                            h->meta.label);
    help(s, g, "give its IP address or DNS name: address = \"10.0.1.10\"");
  }
  const struct m_storage *st = &s->e->orchestration.storage;
  int k = st->meta.kind;
  if ((k == M_storage_kind_elasticsearch || k == M_storage_kind_opensearch || k == M_storage_kind_rdbms) &&
      !st->url.set) {
    struct diag *g = report(s, R_MAN007, &st->meta, st->meta.at,
                            "the %s secondary storage has no url: machines get no bundled store", model_enum_name(k));
    help(s, g, "give the url of the external store: %s { url = \"%s\" }", model_enum_name(k),
         k == M_storage_kind_rdbms ? "jdbc:postgresql://..." : "https://...");
  }
}

/* MAN009: services run unprivileged. */
void rule_MAN009(struct sema *s) {
  if (!on_machines(s))
    return;
  for (size_t i = 0; i < s->e->host.v.len; i++) {
    const struct m_host *h = host(s, i);
    if (!h->user.v || strcmp(h->user.v, "root") != 0)
      continue;
    struct diag *g = report(s, R_MAN009, &h->meta, at_or(h->user.at, &h->meta),
                            "host \"%s\" runs Camunda as root", h->meta.label);
    help(s, g, "run it as a dedicated user: user = \"camunda\"");
  }
}

/* MAN012: Connectors have a user under basic authentication. */
void rule_MAN012(struct sema *s) {
  const struct m_connectors *c = &s->e->connectors;
  const struct m_identity *id = &s->e->identity;
  if (!on_machines(s) || !c->meta.present || id->method.v != M_auth_method_basic)
    return;
  bool runs = false;
  for (size_t i = 0; i < s->e->host.v.len; i++)
    runs |= host(s, i)->connectors.v;
  if (!runs)
    return;
  for (size_t i = 0; i < id->user.v.len; i++)
    if (camunda_has_role(id->user.v.items[i], ROLE_CONNECTORS))
      return;
  struct diag *g = report(s, R_MAN012, &c->meta, c->meta.at,
                          "no user has the connectors role: Connectors cannot authenticate");
  if (span_known(id->method.at))
    note(s, g, id->method.at, "basic authentication here");
  help(s, g, "add identity { user \"connectors\" { password = secret(\"...\"), roles = [\"connectors\"] } }");
}

/* One MAN014 check: an artifact's tag has the estate's minor. */
static void same_minor(struct sema *s, const struct m_image *img, const char *name) {
  const char *tag = img->tag.v;
  if (!img->tag.set || !tag || tag[0] < '0' || tag[0] > '9')
    return;
  if (version_major(tag) == 8 && version_minor(tag) == s->m->minor)
    return;
  struct diag *g = report(s, R_MAN014, &img->meta, at_or(img->tag.at, &img->meta),
                          "images.%s.tag = \"%s\" is not a Camunda 8.%d artifact", name, tag, s->m->minor);
  note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.%d", s->m->minor);
  help(s, g, "use an 8.%d release, or leave the tag to the standard library", s->m->minor);
}

/* MAN014: the artifacts on the machines share the estate's minor version. */
void rule_MAN014(struct sema *s) {
  if (!on_machines(s))
    return;
  same_minor(s, &s->e->images.orchestration, "orchestration");
  if (s->e->connectors.meta.present)
    same_minor(s, &s->e->images.connectors, "connectors");
}
