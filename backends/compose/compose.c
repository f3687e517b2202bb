/* compose.c - the Docker Compose backend: a local Camunda project from the
 * same estate as production, in the shape of Camunda's own Compose
 * projects (camunda-distributions, docker-compose/versions/camunda-8.x).
 *
 * It writes docker-compose.yaml, .env (image versions and other
 * non-secret settings, interpolated into docker-compose.yaml), secrets.env
 * (mode 0600: one empty variable per secret()), a .gitignore that keeps
 * secrets.env out of the user's repository, the application
 * configuration files the services mount (config/<service>/...), and a
 * README.md.  Host ports bind to 127.0.0.1.  What it cannot express is
 * refused in check.c, never left out silently.
 *
 * This file holds the backend's table entry and its one pass, which
 * builds the project (compose_int.h) and writes its files; the services
 * are built by area: orchestration.c, connectors.c, identity.c
 * (Management Identity and its Keycloak), apps.c (Optimize, Web Modeler,
 * Console), on project.c's services and secrets.c's variables. */
#include <string.h>

#include "compose_int.h"

/* The builder, in the order the services are written; the variables a
 * program reads by name come first, so every use of such a secret agrees. */
static void build(struct compose *c) {
  compose_reserve_fixed(c);
  compose_orchestration(c);
  compose_connectors(c);
  compose_storage(c);
  compose_management_identity(c);
  compose_platform(c);
  compose_license(c);
  compose_finish(c);
}

/* .env: read by Compose itself to fill ${VAR} in docker-compose.yaml. */
static void dotenv(struct emit_ctx *ctx, const struct model *m, const struct compose *c) {
  struct buf b = {0};
  buf_printf(&b, "# %s\n# %s\n", camunda_generated(ctx->arena, m), CAMUNDA_DO_NOT_EDIT);
  buf_puts(&b, "# Image versions and other settings that are not secret; Compose reads\n"
               "# this file to fill in ${...} in docker-compose.yaml. Secrets are in\n"
               "# " COMPOSE_SECRETS_FILE ".\n");
  for (size_t i = 0; i < c->env.len; i++) {
    const struct compose_var *v = c->env.items[i];
    buf_printf(&b, "\n# %s\n%s=%s\n", v->comment, v->name, v->value);
  }
  emit_file(ctx, ".env", &b, 0644);
}

static void secrets(struct emit_ctx *ctx, const struct compose *c) {
  struct buf prev = {0}, b = {0};
  emit_previous(ctx, COMPOSE_SECRETS_FILE, &prev, "to keep the values filled in");
  compose_secrets_text(c, &prev, &b);
  buf_free(&prev);
  emit_file(ctx, COMPOSE_SECRETS_FILE, &b, 0600);
}

/* .gitignore: the secrets file holds the values the user filled in, so it
 * never belongs in the repository that holds the rest of the project. */
static void gitignore(struct emit_ctx *ctx) {
  struct buf b = {0};
  camunda_gitignore(&b, COMPOSE_SECRETS_FILE, "the project's");
  emit_file(ctx, ".gitignore", &b, 0644);
}

/* The secrets to fill in: variable, secret and key; a value of the
 * project's own says what it is instead. */
static void readme_secrets(struct readme *r, const struct compose *c) {
  readme_step(r, "Fill in the secrets");
  readme_puts(r, "`" COMPOSE_SECRETS_FILE "` holds one empty variable per secret of the estate; fill in\n"
                 "the values (a later `camarch build` keeps them):\n\n");
  static const char *const head[] = {"variable", "secret", "key"};
  readme_table(r, 3, head);
  for (size_t i = 0; i < c->secrets.len; i++) {
    const struct compose_secret *s = c->secrets.items[i];
    struct arena *a = r->arena;
    if (s->name) {
      const char *row[] = {arena_printf(a, "`%s`", s->var), arena_printf(a, "`%s`", s->name),
                           arena_printf(a, "`%s`", s->key)};
      readme_row(r, 3, row);
    } else { /* its key cell is empty: "| |", where readme_row would write two blanks */
      readme_printf(r, "| `%s` | none: %s; fill in %s | |\n", s->var, s->what, s->fill);
    }
  }
  readme_puts(r, "\n");
}

static void readme(struct emit_ctx *ctx, const struct model *m, const struct compose *c) {
  const char *bind = m->e.docker.bind.v;
  bool everywhere = strcmp(bind, "0.0.0.0") == 0;
  struct readme r;
  readme_begin(&r, ctx->arena, m);
  readme_printf(&r,
                "Camunda 8.%d with Docker Compose, for local development: not for production.\n"
                "Ports are published on %s%s.\n\n",
                m->minor, everywhere ? "every interface (0.0.0.0)" : bind, everywhere ? "" : " only");
  if (c->secrets.len)
    readme_secrets(&r, c);
  readme_step(&r, "Start");
  readme_puts(&r, "With Docker Compose 2.24 or later:\n\n```sh\ndocker compose up -d\n```\n\n");
  if (c->links.len) {
    readme_puts(&r, "Then:\n\n");
    for (size_t i = 0; i < c->links.len; i++)
      readme_printf(&r, "- %s\n", (const char *)c->links.items[i]);
    readme_puts(&r, "\n");
  }
  readme_step(&r, "Stop");
  readme_puts(&r, "```sh\ndocker compose down      # keeps the data volumes\n"
                  "docker compose down -v   # removes them too\n```\n");
  struct buf b;
  readme_finish(&r, &b);
  emit_file(ctx, "README.md", &b, 0644);
}

/* Relational storage with a JDBC driver: the directory the brokers mount
 * for it, with a note on what to put there. */
static void driver_lib(struct emit_ctx *ctx, const struct model *m) {
  const struct m_storage *s = &m->e.orchestration.storage;
  if (s->meta.kind != M_storage_kind_rdbms || !s->jdbc_driver.v)
    return;
  struct buf b = {0};
  buf_puts(&b, "# JDBC driver\n\nPut the JDBC driver of the secondary-storage database (a .jar) in this\n"
               "directory; the brokers mount it at /driver-lib. camarch leaves other files here alone.\n");
  emit_file(ctx, "driver-lib/README.md", &b, 0644);
}

/* The one pass: the checks, then the project, built with diagnostics (a
 * host port bound twice, one secret wanted under two variable names), then
 * its files. */
static bool compose_build_env(const struct model *m, struct emit_ctx *ctx) {
  compose_check(m, ctx->diags);
  if (emit_failed(ctx)) /* the builder assumes an estate the rules and the checks accept */
    return false;
  struct compose c;
  compose_init(&c, ctx->arena, m, ctx->diags);
  build(&c);
  if (emit_failed(ctx))
    return false;
  const char *what = arena_printf(ctx->arena,
                                  "Docker Compose project for Camunda 8.%d, for local development: "
                                  "docker compose up -d",
                                  m->minor);
  if (!emit_yaml(ctx, m, "docker-compose.yaml", c.doc, what, 0644))
    return false;
  for (size_t i = 0; i < c.files.len; i++) {
    const struct compose_file *f = c.files.items[i];
    if (!emit_yaml(ctx, m, f->name, f->doc, f->comment, 0644))
      return false;
  }
  dotenv(ctx, m, &c);
  secrets(ctx, &c);
  gitignore(ctx);
  driver_lib(ctx, m);
  readme(ctx, m, &c);
  return !emit_failed(ctx);
}

const struct backend compose_backend = {
    .name = "compose",
    .target = M_target_compose,
    .place = M_place_docker,
    .summary = "Docker Compose, for local development (Camunda's Compose projects for 8.8 and 8.9)",
    .files = "docker-compose.yaml, .env, secrets.env (0600), .gitignore, config/*/*.yaml, README.md",
    .build = compose_build_env,
};
