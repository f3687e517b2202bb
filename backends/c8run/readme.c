/* readme.c - the README of a Camunda 8 Run environment: the download, the
 * secrets to fill in, the exact start commands for Linux and macOS and
 * for Windows with the flags the estate needs, the addresses, and the stop
 * command.  Camunda 8 Run resolves --config against its own directory and
 * loads nothing else of ours, so the commands copy application.yaml there
 * and load camarch.env into the shell first. */
#include <inttypes.h>
#include <string.h>

#include "c8run_int.h"
#include "url.h"

/* MySQL and Oracle drivers are not bundled: 8.9's --extra-driver adds one. */
static bool extra_driver(struct arena *a, const struct model *m) {
  const struct m_storage *s = &m->e.orchestration.storage;
  if (m->minor == 8 || s->meta.kind != M_storage_kind_rdbms)
    return false;
  struct url u;
  if (s->url.set && url_parse(a, URL_FORM_JDBC, s->url.v, &u) == URL_OK)
    return u.vendor == URL_MYSQL || u.vendor == URL_ORACLE;
  return s->vendor.v == M_db_kind_mysql || s->vendor.v == M_db_kind_oracle;
}

/* 8.8 starts its bundled Elasticsearch unless told not to. */
static bool disable_elasticsearch(const struct model *m) { return m->minor == 8 && !c8run_bundled_elasticsearch(m); }

static int64_t rest_port(const struct model *m) { return m->e.orchestration.ports.rest.v; }

static const char *flags(struct arena *a, const struct model *m) {
  struct buf b = {0};
  buf_puts(&b, " --config " C8RUN_CONFIG);
  if (rest_port(m) != C8RUN_REST_PORT)
    buf_printf(&b, " --port %" PRId64, rest_port(m));
  if (disable_elasticsearch(m))
    buf_puts(&b, " --disable-elasticsearch");
  if (extra_driver(a, m))
    buf_puts(&b, " --extra-driver DRIVER.jar");
  const char *s = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return s;
}

static void download(struct readme *r, const struct model *m) {
  readme_step(r, "Download Camunda 8 Run");
  readme_printf(r,
                "Download Camunda 8 Run %s for your operating system from\n"
                "https://github.com/camunda/camunda/releases (the `camunda8-run` assets) and\n"
                "extract it. It needs OpenJDK 21 to %s, with `JAVA_HOME` set or `java` on the\n"
                "`PATH`. The commands below run in the directory it extracts to (`c8run`).\n\n",
                camunda_release(m), m->minor == 8 ? "23" : "25");
}

static void secrets(struct readme *r, const struct c8 *c) {
  if (!c8run_has_secrets(c))
    return;
  readme_step(r, "Fill in the secrets");
  readme_puts(r, "`" C8RUN_ENV "` holds one empty variable per secret of the estate; fill in\n"
                 "the values, inside the single quotes (a later `camarch build` keeps them):\n\n");
  static const char *const head[] = {"variable", "secret", "key"};
  readme_table(r, 3, head);
  for (size_t i = 0; i < c->vars.len; i++) {
    const struct c8_var *v = c->vars.items[i];
    if (!v->secret)
      continue;
    const char *cells[] = {arena_printf(c->a, "`%s`", v->var), arena_printf(c->a, "`%s`", v->secret),
                           arena_printf(c->a, "`%s`", v->key)};
    readme_row(r, 3, cells);
  }
  readme_puts(r, "\n");
}

static void start(struct readme *r, const struct c8 *c) {
  const struct model *m = c->m;
  const char *f = flags(c->a, m);
  readme_step(r, "Start");
  readme_puts(r, "From this directory: copy `" C8RUN_CONFIG "` into the `c8run` directory\n"
                 "(c8run reads `--config` relative to it), load `" C8RUN_ENV "` into the shell,\n"
                 "and start.\n\nLinux and macOS:\n\n```sh\nOUT=$PWD\ncd /path/to/c8run\n"
                 "cp \"$OUT/" C8RUN_CONFIG "\" .\nset -a; . \"$OUT/" C8RUN_ENV "\"; set +a\n");
  readme_printf(r, "./start.sh%s\n```\n\nWindows (PowerShell):\n\n```powershell\n$out = $PWD\ncd C:\\path\\to\\c8run\n", f);
  readme_puts(r, "Copy-Item \"$out\\" C8RUN_CONFIG "\" .\n"
                 "Get-Content \"$out\\" C8RUN_ENV "\" | Where-Object { $_ -match '^[A-Za-z_][A-Za-z0-9_]*=' } |\n"
                 "  ForEach-Object { $k, $v = $_ -split '=', 2; Set-Item \"env:$k\" ($v -replace \"^'(.*)'$\", '$1') }\n");
  readme_printf(r, ".\\c8run.exe start%s\n```\n\n", f);
  if (extra_driver(c->a, m))
    readme_puts(r, "`DRIVER.jar` is the JDBC driver of the secondary-storage database: Camunda 8\n"
                   "Run bundles those of PostgreSQL and MariaDB only.\n\n");
  if (disable_elasticsearch(m))
    readme_puts(r, "`--disable-elasticsearch`: the estate's secondary storage is not the\n"
                   "Elasticsearch Camunda 8 Run bundles, which then stays stopped.\n\n");
  /* c8run turns --username and --password into system properties of the
   * first user, which replace a users list of the configuration whole */
  if (m->e.identity.user.v.len)
    readme_puts(r, "Do not add `--username` or `--password`: they replace the users\n"
                   "`" C8RUN_CONFIG "` gives.\n\n");
  readme_puts(r, "Other flags of `c8run start`: `--keystore FILE --keystorePassword PASSWORD`\n"
                 "(HTTPS, for testing), `--log-level LEVEL` and `--startup-url URL`.\n\n");
}

static void addresses(struct readme *r, const struct c8 *c) {
  const struct model *m = c->m;
  int64_t rest = rest_port(m);
  readme_puts(r, "Then:\n\n");
  readme_printf(r, "- Operate: http://localhost:%" PRId64 "/operate\n", rest);
  readme_printf(r, "- Tasklist: http://localhost:%" PRId64 "/tasklist\n", rest);
  readme_printf(r, "- %s: http://localhost:%" PRId64 "/%s\n", m->minor == 8 ? "Identity" : "Admin", rest,
                m->minor == 8 ? "identity" : "admin");
  readme_printf(r, "- REST API: http://localhost:%" PRId64 "/v2\n", rest);
  readme_printf(r, "- gRPC API: localhost:%d\n", C8RUN_GRPC_PORT);
  readme_printf(r, "- Metrics: http://localhost:%d/actuator/prometheus\n", C8RUN_MANAGEMENT_PORT);
  readme_printf(r, "- Connectors: http://localhost:%d/actuator/health%s\n", C8RUN_CONNECTORS_PORT,
                m->e.connectors.meta.present ? "" : " (Camunda 8 Run starts them though the estate does not enable them)");
  if (c8run_bundled_elasticsearch(m))
    readme_puts(r, "- Elasticsearch: http://localhost:9200\n");
  const struct m_identity *id = &m->e.identity;
  if (id->user.v.len)
    readme_puts(r, "\nLog in to the web applications as one of the estate's users.\n");
  else
    readme_puts(r, "\nLog in to the web applications as `demo`, password `demo` (Camunda 8 Run's\nown user).\n");
  readme_printf(r, "The API is %s.\n\n",
                id->method.v == M_auth_method_basic ? "protected: clients log in with basic authentication"
                                                    : "unprotected, as Camunda 8 Run ships it");
}

static void stop(struct readme *r, const struct model *m) {
  const char *f = disable_elasticsearch(m) ? " --disable-elasticsearch" : "";
  readme_step(r, "Stop");
  readme_printf(r, "In the `c8run` directory, on Linux and macOS:\n\n```sh\n./shutdown.sh%s\n```\n\nWindows (PowerShell):\n\n"
                   "```powershell\n.\\c8run.exe stop%s\n```\n",
                f, f);
}

void c8run_readme(const struct c8 *c, struct buf *out) {
  const struct model *m = c->m;
  struct readme r;
  readme_begin(&r, c->a, m);
  readme_printf(&r,
                "Camunda 8.%d with Camunda 8 Run on a developer's computer, without\n"
                "containers: for local development and prototyping only, not for\n"
                "production (Camunda 8 Run is not supported for production use).\n\n",
                m->minor);
  download(&r, m);
  secrets(&r, c);
  start(&r, c);
  addresses(&r, c);
  stop(&r, m);
  readme_finish(&r, out);
}
