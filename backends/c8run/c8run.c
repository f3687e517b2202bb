/* c8run.c - the Camunda 8 Run backend: Camunda 8.8 or 8.9 on a developer's
 * computer, without containers, from Camunda's c8run distribution (one
 * broker with its web applications, Connectors, and on 8.8 a bundled
 * Elasticsearch).  For development only: rule LAP001 refuses it in
 * production.
 *
 * For each environment with target = c8run it writes:
 *   application.yaml   the Spring configuration for `c8run start --config`
 *   camarch.env        the environment c8run starts with (0600): the
 *                      secrets' values, for the user to fill in, and
 *                      Connectors' settings
 *   .gitignore         keeps camarch.env out of the user's repository
 *   README.md          the download, the secrets, start, addresses, stop
 * This file holds the backend's table entry and its one pass; check.c
 * refuses what cannot be written. */
#include <inttypes.h>

#include "c8run_int.h"

/* Connectors read their settings from the environment only (the --config
 * file reaches the Orchestration Cluster alone): the secret provider's
 * prefix, the connector secrets, the login to a protected API and the
 * REST address when it moved. */
static void connectors_env(struct c8 *c) {
  struct arena *a = c->a;
  const struct model *m = c->m;
  const struct m_connectors *cn = &m->e.connectors;
  if (!cn->meta.present)
    return;
  c8run_setting(c, APPENV_CONNECTOR_PREFIX_VAR, APPENV_CONNECTOR_SECRET_PREFIX,
                "Connectors resolve {{secrets.NAME}} from " APPENV_CONNECTOR_SECRET_PREFIX "NAME only");
  const struct m_user *u = c8run_connectors_login(m);
  if (u) {
    c8run_setting(c, "CAMUNDA_CLIENT_AUTH_METHOD", "basic", "Connectors log in to the protected API");
    c8run_setting(c, "CAMUNDA_CLIENT_AUTH_USERNAME", u->meta.label,
                  arena_printf(a, "as user \"%s\", who has the connectors role", u->meta.label));
    c8run_fixed(c, "CAMUNDA_CLIENT_AUTH_PASSWORD", &u->password, "password",
                arena_printf(a, "connectors: log in with the password of user \"%s\"", u->meta.label));
  }
  int64_t rest = m->e.orchestration.ports.rest.v;
  if (rest != C8RUN_REST_PORT)
    c8run_setting(c, "CAMUNDA_CLIENT_RESTADDRESS", arena_printf(a, "http://localhost:%" PRId64, rest),
                  "Connectors reach the REST API on the port c8run starts with (--port)");
  if (!cn->inbound.v) {
    c8run_setting(c, "CAMUNDA_CONNECTOR_POLLING_ENABLED", "false", "no inbound connectors: no polling");
    c8run_setting(c, "CAMUNDA_CONNECTOR_WEBHOOK_ENABLED", "false", "no inbound connectors: no webhooks");
  }
  struct m_envmap secrets = appenv_connector_secrets(a, m);
  for (size_t i = 0; i < secrets.v.len; i++) {
    const struct m_env *e = secrets.v.items[i];
    c8run_fixed(c, e->name, &e->value, "value", arena_printf(a, "connectors: {{secrets.%s}}", e->name + sizeof APPENV_CONNECTOR_SECRET_PREFIX - 1));
  }
}

/* Variables processes read by name, before the configuration names any
 * secret, so every use of a secret agrees on its variable. */
static void fixed_vars(struct c8 *c) {
  c8run_fixed(c, "CAMUNDA_LICENSE_KEY", &c->m->e.license, "license-key", "orchestration: the license");
  connectors_env(c);
}

static void env_file(struct emit_ctx *ctx, const struct c8 *c) {
  struct buf prev = {0}, b = {0};
  emit_previous(ctx, C8RUN_ENV, &prev, "to keep the values filled in");
  c8run_env_text(c, &prev, &b);
  buf_free(&prev);
  emit_file(ctx, C8RUN_ENV, &b, 0600);
}

static void gitignore(struct emit_ctx *ctx) {
  struct buf b = {0};
  camunda_gitignore(&b, C8RUN_ENV, "the estate's");
  emit_file(ctx, ".gitignore", &b, 0644);
}

/* The one pass: the checks, then the configuration, built once with
 * diagnostics (two secrets on one variable), then the files. */
static bool c8run_build(const struct model *m, struct emit_ctx *ctx) {
  c8run_check(m, ctx->diags);
  if (emit_failed(ctx))
    return false;
  struct c8 c = {ctx->arena, m, ctx->diags, {0}};
  fixed_vars(&c);
  struct ynode *doc = c8run_config(&c);
  if (emit_failed(ctx))
    return false;
  const char *what = arena_printf(ctx->arena, "Camunda 8 Run %s configuration: c8run start --config " C8RUN_CONFIG,
                                  camunda_release(m));
  if (!emit_yaml(ctx, m, C8RUN_CONFIG, doc, what, 0644))
    return false;
  env_file(ctx, &c);
  gitignore(ctx);
  struct buf readme = {0};
  c8run_readme(&c, &readme);
  emit_file(ctx, "README.md", &readme, 0644);
  return !emit_failed(ctx);
}

const struct backend c8run_backend = {
    .name = "c8run",
    .target = M_target_c8run,
    .place = M_place_laptop,
    .summary = "a developer's computer without containers: Camunda 8 Run (c8run) 8.8 and 8.9, for development only",
    .files = "application.yaml, camarch.env (0600), .gitignore, README.md",
    .build = c8run_build,
};
