/* hosts.c - what the systemd backend derives from the estate's hosts and
 * versions: node ids, the brokers' contact points, which hosts run
 * Connectors, the service user, the versions installed and where the
 * distribution comes from, and the JVM heap for a memory budget.
 *
 * A node id is the host's node_id, or its position in the host list (rule
 * ZB005 warns about the latter: re-ordering the hosts would renumber the
 * brokers).  The model names no download location, so the distribution
 * and the Connectors runtime come from Camunda's artifact repository, at
 * the paths Camunda's camunda-install.sh uses, for the versions the
 * estate's images carry (std/camunda/<minor>, or the estate's own tags).
 * The inventory keeps both URLs as variables, so an operator may point
 * them at a mirror or a file on the controller.
 *
 * Memory: the limit is memory_limit, or else memory; the unit enforces it
 * (MemoryMax=) and the JVM's heap is a quarter of it, the share a JVM
 * takes by default of the memory its cgroup allows.
 */
#include <stdlib.h>
#include <string.h>

#include "systemd_int.h"

static int cmp_node(const void *pa, const void *pb) {
  const struct sd_host *a = pa, *b = pb;
  return a->node_id < b->node_id ? -1 : a->node_id > b->node_id;
}

struct sd_host *systemd_hosts(struct sd *s, size_t *n) {
  const struct m_list *hosts = &s->m->e.host;
  *n = hosts->v.len;
  struct sd_host *out = arena_alloc(s->a, (hosts->v.len + 1) * sizeof *out);
  for (size_t i = 0; i < hosts->v.len; i++) {
    const struct m_host *h = hosts->v.items[i];
    out[i] = (struct sd_host){h, h->node_id.set ? h->node_id.v : (int64_t)i};
  }
  /* qsort is not stable: equal ids (refused by ZB004) keep no particular order */
  qsort(out, hosts->v.len, sizeof *out, cmp_node);
  return out;
}

bool systemd_runs_connectors(const struct model *m, const struct m_host *h) {
  return m->e.connectors.meta.present && h->connectors.v;
}

bool systemd_connectors_anywhere(const struct model *m) {
  for (size_t i = 0; i < m->e.host.v.len; i++)
    if (systemd_runs_connectors(m, m->e.host.v.items[i]))
      return true;
  return false;
}

const char *systemd_user(const struct m_host *h) { return h->user.set && h->user.v ? h->user.v : "camunda"; }

const char *systemd_contact_points(struct sd *s) {
  size_t n;
  struct sd_host *hosts = systemd_hosts(s, &n);
  struct buf b = {0};
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "%s%s:%lld", i ? "," : "", hosts[i].h->address.set ? hosts[i].h->address.v : "",
               (long long)s->m->e.orchestration.ports.internal.v);
  const char *cp = arena_strndup(s->a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return cp;
}

const char *systemd_connectors_version(const struct model *m) {
  const struct m_str *tag = &m->e.images.connectors.tag;
  return tag->set && tag->v ? tag->v : m->e.version.v;
}

const char *systemd_distribution_url(struct sd *s) {
  const char *v = camunda_release(s->m);
  return arena_printf(s->a, "https://artifacts.camunda.com/artifactory/zeebe/io/camunda/camunda-zeebe/%s/camunda-zeebe-%s.tar.gz",
                      v, v);
}

const char *systemd_connectors_url(struct sd *s) {
  const char *v = systemd_connectors_version(s->m);
  return arena_printf(s->a,
                      "https://artifacts.camunda.com/artifactory/connectors/io/camunda/connector/connector-runtime-bundle/"
                      "%s/connector-runtime-bundle-%s-with-dependencies.jar",
                      v, v);
}

const struct m_int *systemd_memory_max(const struct m_resources *r) {
  return r->memory_limit.set ? &r->memory_limit : r->memory.set ? &r->memory : NULL;
}

const char *systemd_heap(struct sd *s, const struct m_resources *r) {
  const struct m_int *mem = systemd_memory_max(r);
  if (!mem)
    return NULL;
  int64_t mib = mem->v / 4 / (1024 * 1024);
  return arena_printf(s->a, "-Xmx%lldm", (long long)(mib > 0 ? mib : 1));
}
