/* systemd.c - the systemd backend: Camunda's manual installation on
 * machines (virtual or bare metal), from the estate's host blocks.
 *
 * For each environment with target = systemd it writes:
 *   hosts/<host>/camunda.service            the broker's unit
 *   hosts/<host>/camunda-environment        its environment (an Ansible template)
 *   hosts/<host>/camunda-connectors.service Connectors' unit, where they run
 *   hosts/<host>/connectors-environment     their environment (an Ansible template)
 *   ansible/inventory.yml, ansible/site.yml the hosts and the playbook
 *   ansible/files/connectors-start.sh       the launcher Connectors' unit starts
 *   ansible/.yamllint                       the YAML style, for ansible-lint
 *   README.md                               the Vault variables and the command
 * This file holds the backend's table entry and its one pass; check.c
 * refuses what cannot be written, and the writers (writer.c) the values
 * their syntaxes cannot carry.  Secrets are Ansible Vault variables, never
 * values.
 */
#include <stdlib.h>
#include <string.h>

#include "systemd_int.h"

static void add(struct emit_ctx *ctx, const char *name, struct buf *b, unsigned mode) {
  emit_file(ctx, name, b, mode);
}

/* The four files of one host; environment files are 0600: they carry
 * credentials, or the references to them. */
static void host_files(struct sd *s, struct emit_ctx *ctx, const struct sd_host *host) {
  struct arena *a = s->a;
  const char *dir = arena_printf(a, "hosts/%s", host->h->meta.label);
  struct buf b = {0};
  systemd_camunda_env(s, host, &b);
  add(ctx, arena_printf(a, "%s/camunda-environment", dir), &b, 0600);
  systemd_camunda_unit(s, host, &b);
  add(ctx, arena_printf(a, "%s/camunda.service", dir), &b, 0644);
  if (!systemd_runs_connectors(s->m, host->h))
    return;
  systemd_connectors_env(s, host, &b);
  add(ctx, arena_printf(a, "%s/connectors-environment", dir), &b, 0600);
  systemd_connectors_unit(s, host, &b);
  add(ctx, arena_printf(a, "%s/camunda-connectors.service", dir), &b, 0644);
}

static int cmp_vault(const void *pa, const void *pb) {
  const struct sd_vault *a = *(const struct sd_vault *const *)pa, *b = *(const struct sd_vault *const *)pb;
  return strcmp(a->var, b->var);
}

static void readme_hosts(struct sd *s, struct readme *r) {
  static const char *const head[] = {"host", "address", "zone", "node id", "Connectors"};
  struct arena *a = s->a;
  size_t n;
  struct sd_host *hosts = systemd_hosts(s, &n);
  readme_table(r, 5, head);
  for (size_t i = 0; i < n; i++) {
    const struct m_host *h = hosts[i].h;
    const char *row[] = {arena_printf(a, "`%s`", h->meta.label), arena_printf(a, "`%s`", h->address.set ? h->address.v : ""),
                         h->zone.set ? h->zone.v : "", arena_printf(a, "%lld", (long long)hosts[i].node_id),
                         systemd_runs_connectors(s->m, h) ? "yes" : "no"};
    readme_row(r, 5, row);
  }
}

static void readme_vault(struct sd *s, struct readme *r) {
  static const char *const head[] = {"variable", "the estate's secret", "key", "first read as"};
  struct arena *a = s->a;
  readme_step(r, "Put the secrets in Ansible Vault");
  readme_puts(r, "The environment files refer to these Ansible Vault variables; camarch never\n"
                 "writes their values. Create the vault beside the inventory:\n\n"
                 "```sh\nansible-vault create ansible/group_vars/" SYSTEMD_GROUP "/vault.yml\n```\n\n");
  readme_table(r, 4, head);
  qsort(s->vault.items, s->vault.len, sizeof s->vault.items[0], cmp_vault);
  for (size_t i = 0; i < s->vault.len; i++) {
    const struct sd_vault *v = s->vault.items[i];
    const char *row[] = {arena_printf(a, "`%s`", v->var), arena_printf(a, "`%s`", v->secret),
                         arena_printf(a, "`%s`", v->key), arena_printf(a, "`%s`", v->use)};
    readme_row(r, 4, row);
  }
  readme_puts(r, "\nAnsible treats the values as Jinja templates: tag one that holds `{{` with\n"
                 "`!unsafe`.\n\n");
}

/* README.md: the hosts, the Vault variables (a step of their own when
 * there are any) and the command. */
static void readme(struct sd *s, struct emit_ctx *ctx) {
  const struct model *m = s->m;
  const struct m_estate *e = &m->e;
  const struct m_ports *p = &e->orchestration.ports;
  struct readme r;
  readme_begin(&r, ctx->arena, m);
  readme_printf(&r, "Camunda %s on %zu machine%s with systemd, as in Camunda's manual installation:\n"
                    "a broker of the Orchestration Cluster on every host, installed in `" SYSTEMD_BASE "`\n"
                    "and run by the service user%s.\n\n",
                camunda_release(m), e->host.v.len, e->host.v.len == 1 ? "" : "s",
                e->connectors.meta.present ? ", and Connectors where the table says" : "");
  readme_hosts(s, &r);
  readme_puts(&r, "\n`hosts/<host>/` holds each host's units and environment files (the\n"
                  "environment files are the playbook's templates); `ansible/` the inventory\n"
                  "and the playbook.\n\n");
  if (s->vault.len)
    readme_vault(s, &r);
  readme_step(&r, "Install or upgrade");
  readme_printf(&r, "```sh\nansible-playbook -i ansible/inventory.yml ansible/site.yml%s\n```\n\n",
                s->vault.len ? " --ask-vault-pass" : "");
  readme_printf(&r, "The playbook installs one host at a time and, once the cluster exists, waits\n"
                    "for each broker to be healthy before the next. It downloads Camunda\n"
                    "`camunda-zeebe-%s.tar.gz` from Camunda's artifact repository (variable\n"
                    "`camunda_distribution` of the inventory: a URL, or a file on the controller).\n",
                camunda_release(m));
  if (e->connectors.meta.present)
    readme_printf(&r, "The Connectors runtime %s comes from there too (`camunda_connectors_jar`).\n",
                  systemd_connectors_version(m));
  readme_puts(&r, "Java 21 comes from Adoptium's APT repository on Debian and Ubuntu; with Java\n"
                  "installed already, set `camunda_install_java: false`.\n\n");
  readme_printf(&r, "Ports: between the hosts %lld (internal) and %lld (command); for clients %lld\n"
                    "(REST API and web applications) and %lld (gRPC); for monitoring %lld (management)",
                (long long)p->internal.v, (long long)p->command.v, (long long)p->rest.v, (long long)p->grpc.v,
                (long long)p->management.v);
  if (e->connectors.meta.present)
    readme_printf(&r, "\nand %lld (Connectors)", (long long)systemd_connectors_port(m));
  readme_puts(&r, ".\n");
  struct buf b;
  readme_finish(&r, &b);
  add(ctx, "README.md", &b, 0644);
}

/* The one pass: the checks, then every file, written with diagnostics on,
 * so a value the file syntaxes cannot carry is refused as it is met.  The
 * files are written even after an error (the driver then keeps none): the
 * writers take any model, and so one run reports every value refused. */
static bool systemd_build(const struct model *m, struct emit_ctx *ctx) {
  systemd_check(m, ctx->diags);
  struct sd s = {ctx->arena, m, ctx->diags, {0}};
  size_t n;
  struct sd_host *hosts = systemd_hosts(&s, &n);
  for (size_t i = 0; i < n; i++)
    host_files(&s, ctx, &hosts[i]);
  if (m->e.connectors.meta.present) {
    struct buf b = {0};
    systemd_connectors_launcher(&b);
    add(ctx, "ansible/files/connectors-start.sh", &b, 0644);
  }
  const char *note = arena_printf(ctx->arena, "For Camunda %s on machines with systemd.", camunda_release(m));
  if (!emit_yaml(ctx, m, "ansible/inventory.yml", systemd_inventory(&s), note, 0644) ||
      !emit_yaml(ctx, m, "ansible/site.yml", systemd_playbook(&s), note, 0644) ||
      !emit_yaml(ctx, m, "ansible/.yamllint", systemd_yamllint(ctx->arena),
                 "The YAML style of these files, for yamllint and ansible-lint (which extends its own rules with it).",
                 0644))
    return false;
  readme(&s, ctx);
  return !emit_failed(ctx);
}

const struct backend systemd_backend = {
    .name = "systemd",
    .target = M_target_systemd,
    .place = M_place_machines,
    .summary = "machines (VMs, bare metal): Camunda's manual installation with systemd, driven by Ansible",
    .files = "hosts/<host>/ (units, environment files), ansible/inventory.yml, ansible/site.yml, README.md",
    .build = systemd_build,
};
