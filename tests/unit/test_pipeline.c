/* test_pipeline.c - the whole compiler in memory: resolve_load_text,
 * find_env and compile_env against the real stdlib, then the typed model,
 * the IR as JSON, and the Helm backend's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "output.h"
#include "child.h"
#include "driver.h"
#include "diag_text.h"
#include "ir.h"

#define GiB INT64_C(1073741824)
#define MiB INT64_C(1048576)


/* --- fixture and helpers ---------------------------------------------------- */

static int setup(void **state) {
  struct compilation *c = calloc(1, sizeof *c);
  if (!c)
    return -1;
  *state = c;
  return 0;
}

static int teardown(void **state) {
  struct compilation *c = *state;
  if (c->arena)
    compilation_free(c);
  free(c);
  return 0;
}

static void load(struct compilation *c, const char *text) {
  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  resolve_load_text(c, "estate.camarch", text, strlen(text));
}

static void set_param(struct compilation *c, const char *name, const char *value) {
  struct param_set *ps = arena_alloc(c->arena, sizeof *ps);
  ps->name = name;
  ps->value = value;
  vec_push(c->arena, &c->sets, ps);
}

static struct model *compile(struct compilation *c, const char *env) {
  const struct env_decl *e = find_env(c, env);
  if (!e)
    fail_msg("no environment %s; diagnostics:\n%s", env, diag_text(c));
  return compile_env(c, e);
}

/* Compiles an environment that must compile cleanly. */
static struct model *compile_ok(struct compilation *c, const char *env) {
  struct model *m = compile(c, env);
  if (!m || c->diags.errors)
    fail_msg("environment %s did not compile:\n%s", env, diag_text(c));
  return m;
}

static const struct diag *find_diag(const struct compilation *c, const char *id) {
  for (size_t i = 0; i < c->diags.list.len; i++) {
    const struct diag *g = c->diags.list.items[i];
    if (g->id && strcmp(g->id, id) == 0)
      return g;
  }
  return NULL;
}

static const struct diag *expect_diag(struct compilation *c, const char *id) {
  const struct diag *g = find_diag(c, id);
  if (!g)
    fail_msg("expected a %s diagnostic; got:\n%s", id, diag_text(c));
  return g;
}

static size_t count_diag(const struct compilation *c, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < c->diags.list.len; i++) {
    const struct diag *g = c->diags.list.items[i];
    n += g->id && strcmp(g->id, id) == 0;
  }
  return n;
}

static struct loc loc_of(const struct compilation *c, struct span s) {
  const struct source_file *f = sources_get(&c->sources, s.file);
  assert_non_null(f);
  return source_loc(f, s.start);
}

/* The source text a span covers (in the arena). */
static const char *span_text(const struct compilation *c, struct span s) {
  const struct source_file *f = sources_get(&c->sources, s.file);
  assert_non_null(f);
  return arena_strndup(c->arena, f->text + s.start, s.end - s.start);
}

static bool span_inside(struct span inner, struct span outer) {
  return inner.file == outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/* --- the estates ---------------------------------------------------------------- */

static const char minimal[] = "estate \"min\" {\n"
                              "  version = \"8.8\"\n"
                              "}\n"
                              "environment \"dev\" {\n"
                              "  target = helm\n"
                              "}\n";

static const char overlay[] = "import \"std/sizing\"\n"
                              "let size = 5\n"
                              "let zone_list = [\"eu-1a\", \"eu-1b\"]\n"
                              "let domain = \"example\"\n"
                              "estate \"acme\" {\n"
                              "  version = \"8.8\"\n"
                              "  namespace = \"camunda-${domain}-${size}\"\n"
                              "  license = secret(\"camunda-license\", key = \"key\")\n"
                              "  orchestration {\n"
                              "    brokers = size\n"
                              "    partitions = 6\n"
                              "    zones = zone_list\n"
                              "    resources = sizing.baseline\n"
                              "    disk = sizing.baseline_disk\n"
                              "    env { JAVA_TOOL_OPTIONS = \"-Xmx1g\", TOKEN = secret(\"tok\") }\n"
                              "  }\n"
                              "  connectors { replicas = 2 }\n"
                              "}\n"
                              "environment \"dev\" {\n"
                              "  target = helm\n"
                              "  orchestration { brokers = 1, replication = 1, partitions = 1 }\n"
                              "  connectors { enabled = false }\n"
                              "}\n"
                              "environment \"prod\" {\n"
                              "  target = helm\n"
                              "  profile = production\n"
                              "  orchestration {\n"
                              "    resources { cpu = 4 }\n"
                              "    zones = [\"eu-1c\"]\n"
                              "  }\n"
                              "}\n";

/* --- defaults and overlays -------------------------------------------------------- */

/* Checks that every field of an unwritten struct holds the default
 * model.def gives it (fields without a default may be set by the stdlib). */
static void check_struct_defaults(const struct struct_desc *sd, const void *base, const char *where) {
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    const void *p = (const char *)base + fd->offset;
    int64_t want;
    switch (fd->type) {
    case FT_INT: case FT_SIZE: case FT_CPU: case FT_DUR: {
      const struct m_int *x = p;
      if (!*fd->def)
        break;
      bool ok = fd->type == FT_INT    ? model_parse_int(fd->def, &want)
                : fd->type == FT_SIZE ? model_parse_size(fd->def, &want)
                : fd->type == FT_CPU  ? model_parse_cpu(fd->def, &want)
                                      : model_parse_dur(fd->def, &want);
      assert_true(ok);
      if (!x->set || x->v != want)
        fail_msg("%s.%s: expected the default %s", where, fd->name, fd->def);
      break;
    }
    case FT_BOOL: {
      const struct m_bool *x = p;
      if (*fd->def && (!x->set || x->v != (strcmp(fd->def, "true") == 0)))
        fail_msg("%s.%s: expected the default %s", where, fd->name, fd->def);
      break;
    }
    case FT_STR: case FT_NAME: {
      const struct m_str *x = p;
      if (*fd->def && (!x->set || strcmp(x->v, fd->def) != 0))
        fail_msg("%s.%s: expected the default \"%s\"", where, fd->name, fd->def);
      break;
    }
    case FT_ENUM: {
      const struct m_enum *x = p;
      if (*fd->def && (!x->set || x->v != model_enum_lookup(model_enum(fd->enum_type), fd->def)))
        fail_msg("%s.%s: expected the default %s", where, fd->name, fd->def);
      break;
    }
    case FT_BLOCK:
      check_struct_defaults(fd->sub, p, fd->name);
      break;
    case FT_COMPONENT:
      if (((const struct meta *)p)->present)
        fail_msg("%s.%s: a component nobody wrote is present", where, fd->name);
      break;
    case FT_VARIANT: {
      const struct meta *m = p;
      if (!*fd->def) {
        assert_false(m->present);
        break;
      }
      if (!m->present || m->kind != model_enum_lookup(model_enum(fd->enum_type), fd->def))
        fail_msg("%s.%s: expected the default kind %s", where, fd->name, fd->def);
      check_struct_defaults(fd->sub, p, fd->name);
      break;
    }
    case FT_LIST:
      assert_int_equal(((const struct m_list *)p)->v.len, 0);
      break;
    case FT_STRLIST:
      assert_int_equal(((const struct m_strlist *)p)->v.len, 0);
      break;
    case FT_ENVMAP:
      assert_int_equal(((const struct m_envmap *)p)->v.len, 0);
      break;
    case FT_SECRET: case FT_SECSTR:
      assert_false(((const struct m_secstr *)p)->set);
      break;
    }
  }
}

static void test_defaults_applied(void **state) {
  struct compilation *c = *state;
  load(c, minimal);
  struct model *m = compile_ok(c, "dev");
  assert_string_equal(m->env, "dev");
  assert_string_equal(m->root_path, "estate.camarch");
  assert_int_equal(m->minor, 8);
  assert_string_equal(m->e.meta.label, "min");
  const struct m_estate *e = &m->e;
  assert_string_equal(e->version.v, "8.8");
  assert_int_equal(e->target.v, M_target_helm);
  assert_true(e->target.set);
  assert_int_equal(loc_of(c, e->target.at).line, 5);
  assert_string_equal(e->profile.v, "development");
  assert_string_equal(e->namespace.v, "camunda");
  assert_string_equal(e->release.v, "camunda");
  /* every field the estate does not write has model.def's default */
  check_struct_defaults(&model_estate_desc, e, "estate");
  /* defaults are set, without a source location; a few Camunda facts */
  const struct m_orchestration *o = &e->orchestration;
  assert_true(o->brokers.set);
  assert_int_equal(o->brokers.at.file, 0);
  assert_int_equal(o->brokers.v, 3);
  assert_int_equal(o->ports.rest.v, 8080);
  assert_int_equal(o->ports.grpc.v, 26500);
  assert_int_equal(o->ports.management.v, 9600);
  assert_true(o->storage.meta.present);
  assert_false(o->resources.cpu.set);
  assert_false(e->license.set);
  /* optional components are absent unless written */
  assert_false(e->connectors.meta.present);
  assert_false(e->optimize.meta.present);
  assert_int_equal(e->host.v.len, 0);
  /* the stdlib's version module */
  assert_true(e->chart_version.set);
  assert_memory_equal(e->chart_version.v, "13.", 3);
  assert_true(e->images.orchestration.tag.set);
  assert_memory_equal(e->images.orchestration.tag.v, "8.8.", 4);
  assert_true(e->images.connectors.tag.set);
  assert_int_equal(c->diags.errors, 0);
}

static void test_environment_overlay_replaces_and_merges(void **state) {
  struct compilation *c = *state;
  load(c, overlay);
  struct model *prod = compile_ok(c, "prod");
  const struct m_orchestration *o = &prod->e.orchestration;
  assert_string_equal(prod->e.profile.v, "production");
  assert_int_equal(o->brokers.v, 5);
  assert_int_equal(o->partitions.v, 6);
  /* resources { cpu = 4 } merges into the estate's resources = sizing.baseline */
  assert_int_equal(o->resources.cpu.v, 4000);
  assert_int_equal(o->resources.memory.v, 2 * GiB);
  assert_int_equal(o->resources.cpu_limit.v, 3000);
  assert_true(span_inside(o->resources.cpu.at, prod->env_at));
  assert_false(span_inside(o->resources.memory.at, prod->env_at));
  /* a list attribute replaces */
  assert_int_equal(o->zones.v.len, 1);
  assert_string_equal(o->zones.v.items[0], "eu-1c");

  struct model *dev = compile_ok(c, "dev");
  o = &dev->e.orchestration;
  assert_int_equal(o->brokers.v, 1);
  assert_int_equal(o->replication.v, 1);
  assert_int_equal(o->partitions.v, 1);
  assert_true(span_inside(o->brokers.at, dev->env_at));
  assert_string_equal(span_text(c, o->brokers.at), "1");
  /* untouched by the other environment's overlay */
  assert_int_equal(o->resources.cpu.v, 3000);
  assert_int_equal(o->zones.v.len, 2);
  assert_string_equal(o->zones.v.items[1], "eu-1b");
  /* and prod is untouched by dev */
  assert_int_equal(prod->e.orchestration.brokers.v, 5);
  assert_int_equal(c->diags.errors, 0);
}

static void test_enabled_false_removes_a_component(void **state) {
  struct compilation *c = *state;
  load(c, overlay);
  struct model *dev = compile_ok(c, "dev");
  assert_false(dev->e.connectors.meta.present);
  struct model *prod = compile_ok(c, "prod");
  assert_true(prod->e.connectors.meta.present);
  assert_int_equal(prod->e.connectors.replicas.v, 2);
  assert_true(prod->e.connectors.inbound.v);      /* default */
  assert_int_equal(prod->e.connectors.port.v, 8080);
  compilation_free(c);
  /* disabled in the estate, enabled again by an environment */
  load(c, "estate {\n  version = \"8.8\"\n  connectors { enabled = false, replicas = 3 }\n}\n"
          "environment \"a\" { target = helm }\n"
          "environment \"b\" {\n  target = helm\n  connectors { enabled = true }\n}\n");
  assert_false(compile_ok(c, "a")->e.connectors.meta.present);
  struct model *b = compile_ok(c, "b");
  assert_true(b->e.connectors.meta.present);
  assert_int_equal(b->e.connectors.replicas.v, 3);
}

static void test_lets_interpolation_and_stdlib_sizing(void **state) {
  struct compilation *c = *state;
  load(c, overlay);
  struct model *m = compile_ok(c, "prod");
  const struct m_estate *e = &m->e;
  assert_string_equal(e->namespace.v, "camunda-example-5");
  assert_int_equal(e->orchestration.disk.v, 128 * GiB);
  assert_int_equal(e->orchestration.resources.memory_limit.v, 2 * GiB);
  /* a let's value reports where it is used */
  assert_string_equal(span_text(c, e->orchestration.brokers.at), "size");
  /* secrets are references */
  assert_true(e->license.set);
  assert_null(e->license.str);
  assert_string_equal(e->license.secret, "camunda-license");
  assert_string_equal(e->license.key, "key");
  const struct m_envmap *env = &e->orchestration.env;
  assert_int_equal(env->v.len, 2);
  const struct m_env *j = env->v.items[0], *t = env->v.items[1];
  assert_string_equal(j->name, "JAVA_TOOL_OPTIONS");
  assert_string_equal(j->value.str, "-Xmx1g");
  assert_string_equal(t->name, "TOKEN");
  assert_string_equal(t->value.secret, "tok");
  assert_null(t->value.key);
  /* other presets of std/sizing */
  compilation_free(c);
  load(c, "import \"std/sizing\" as sz\n"
          "let res = sz.throughput\n"
          "estate {\n  version = \"8.8\"\n"
          "  orchestration { resources = res }\n"
          "  connectors { resources = sz.connectors }\n}\n"
          "environment \"x\" { target = helm }\n");
  m = compile_ok(c, "x");
  assert_int_equal(m->e.orchestration.resources.cpu.v, 3500);
  assert_int_equal(m->e.connectors.resources.cpu.v, 200);
  assert_int_equal(m->e.connectors.resources.memory.v, 512 * MiB);
  assert_false(m->e.connectors.resources.cpu_limit.set);
}

static void test_user_defaults_block(void **state) {
  struct compilation *c = *state;
  load(c, "defaults {\n  orchestration { partitions = 12, replication = 2 }\n  namespace = \"from-defaults\"\n}\n"
          "estate {\n  version = \"8.8\"\n  orchestration { replication = 1 }\n}\n"
          "environment \"x\" { target = helm }\n");
  struct model *m = compile_ok(c, "x");
  assert_int_equal(m->e.orchestration.partitions.v, 12);
  assert_int_equal(m->e.orchestration.replication.v, 1); /* the estate wins */
  assert_int_equal(m->e.orchestration.brokers.v, 3);
  assert_string_equal(m->e.namespace.v, "from-defaults");
}

static void test_labelled_blocks_hosts_and_clients(void **state) {
  struct compilation *c = *state;
  load(c, "estate {\n  version = \"8.8\"\n"
          "  host \"zb0\" { address = \"10.0.0.1\", zone = \"a\" }\n"
          "  host \"zb1\" { address = \"10.0.0.2\", zone = \"b\" }\n"
          "  identity {\n    method = oidc\n    provider = keycloak\n"
          "    client \"orchestration\" { secret = secret(\"oidc\", key = \"s\") }\n"
          "    client \"connectors\" { id = \"conn-id\" }\n  }\n}\n"
          "environment \"x\" {\n  target = systemd\n  host \"zb1\" { zone = \"c\" }\n"
          "  host \"zb2\" { address = \"10.0.0.3\" }\n}\n");
  /* lowered directly: the model, before any rule or backend */
  const struct env_decl *env = find_env(c, "x");
  assert_non_null(env);
  int minor = 0;
  struct val *v = resolve_env(c, env, &minor);
  assert_non_null(v);
  assert_int_equal(minor, 8);
  struct model *m = lower(c, env, v, minor);
  if (!m)
    fail_msg("lowering failed:\n%s", diag_text(c));
  assert_int_equal(m->e.host.v.len, 3);
  const struct m_host *h0 = m->e.host.v.items[0], *h1 = m->e.host.v.items[1], *h2 = m->e.host.v.items[2];
  assert_string_equal(h0->meta.label, "zb0");
  assert_string_equal(h1->meta.label, "zb1");
  assert_string_equal(h1->zone.v, "c");
  assert_string_equal(h1->address.v, "10.0.0.2"); /* merged by label */
  assert_string_equal(h2->meta.label, "zb2");
  assert_false(h2->zone.set);
  assert_true(h0->connectors.v);
  assert_int_equal(m->e.identity.method.v, M_auth_method_oidc);
  assert_int_equal(m->e.identity.provider.v, M_idp_keycloak);
  assert_int_equal(m->e.identity.client.v.len, 2);
  const struct m_client *co = m->e.identity.client.v.items[0], *cc = m->e.identity.client.v.items[1];
  assert_string_equal(co->id.v, "orchestration"); /* defaults to the label */
  assert_string_equal(co->secret.secret, "oidc");
  assert_string_equal(cc->id.v, "conn-id");
}

/* --- params --------------------------------------------------------------------- */

static const char with_params[] = "let b = param(\"BROKERS\", default = 3)\n"
                                  "estate {\n  version = param(\"VERSION\", default = \"8.8\")\n"
                                  "  orchestration {\n    brokers = b\n    disk = param(\"DISK\", default = 10Gi)\n"
                                  "    zones = [param(\"ZONE\", default = \"z1\")]\n  }\n"
                                  "  connectors { enabled = param(\"CONNECTORS\", default = true) }\n}\n"
                                  "environment \"x\" { target = helm }\n";

static void test_params_take_set_values(void **state) {
  struct compilation *c = *state;
  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  set_param(c, "BROKERS", "5");
  set_param(c, "DISK", "100Gi");
  set_param(c, "VERSION", "8.9");
  set_param(c, "ZONE", "eu-west-1a");
  set_param(c, "CONNECTORS", "false");
  resolve_load_text(c, "estate.camarch", with_params, strlen(with_params));
  struct model *m = compile_ok(c, "x");
  assert_int_equal(m->e.orchestration.brokers.v, 5);
  assert_int_equal(m->e.orchestration.disk.v, 100 * GiB);
  assert_int_equal(m->minor, 9);
  assert_string_equal(m->e.version.v, "8.9");
  assert_string_equal(m->e.orchestration.zones.v.items[0], "eu-west-1a");
  assert_false(m->e.connectors.meta.present);
  for (size_t i = 0; i < c->sets.len; i++)
    assert_true(((struct param_set *)c->sets.items[i])->used);
  assert_int_equal(c->params.len, 5);
  resolve_check_sets(c);
  assert_int_equal(c->diags.errors, 0);
}

static void test_params_defaults(void **state) {
  struct compilation *c = *state;
  load(c, with_params);
  struct model *m = compile_ok(c, "x");
  assert_int_equal(m->e.orchestration.brokers.v, 3);
  assert_int_equal(m->e.orchestration.disk.v, 10 * GiB);
  assert_int_equal(m->minor, 8);
  assert_string_equal(m->e.orchestration.zones.v.items[0], "z1");
  assert_true(m->e.connectors.meta.present);
}

static void test_param_errors(void **state) {
  struct compilation *c = *state;
  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  set_param(c, "BROKER", "4");                    /* misspelt */
  const char *text = "estate {\n  version = \"8.8\"\n  orchestration {\n    brokers = param(\"BROKERS\")\n  }\n}\n"
                     "environment \"x\" { target = helm }\n";
  resolve_load_text(c, "estate.camarch", text, strlen(text));
  assert_null(compile(c, "x"));
  const struct diag *g = expect_diag(c, "PAR001");
  assert_non_null(strstr(g->message, "BROKERS"));
  assert_int_equal(loc_of(c, g->at).line, 4);
  assert_non_null(g->help);
  resolve_check_sets(c);
  g = expect_diag(c, "PAR002");
  assert_non_null(strstr(g->message, "BROKER"));
  assert_false(span_known(g->at));
  assert_non_null(g->help);
  assert_non_null(strstr(g->help, "BROKERS"));
}

static void test_set_values_are_typed_by_their_field(void **state) {
  struct compilation *c = *state;
  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  set_param(c, "BROKERS", "many");
  resolve_load_text(c, "estate.camarch", with_params, strlen(with_params));
  assert_null(compile(c, "x"));
  const struct diag *g = expect_diag(c, "TYP001");
  assert_non_null(strstr(g->message, "--set BROKERS=many"));
  compilation_free(c);

  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  set_param(c, "BROKERS", "0");
  resolve_load_text(c, "estate.camarch", with_params, strlen(with_params));
  assert_null(compile(c, "x"));
  g = expect_diag(c, "TYP002");
  assert_non_null(strstr(g->message, "between 1 and 512"));
  compilation_free(c);

  compilation_init(c, CAMARCH_STDLIB_SOURCE_DIR);
  set_param(c, "CONNECTORS", "maybe");
  resolve_load_text(c, "estate.camarch", with_params, strlen(with_params));
  assert_null(compile(c, "x"));
  expect_diag(c, "TYP001");
}

static void test_bad_calls(void **state) {
  struct compilation *c = *state;
  load(c, "estate {\n  version = \"8.8\"\n  license = secrett(\"x\")\n"
          "  orchestration { java_opts = param(42) }\n}\nenvironment \"x\" { target = helm }\n");
  assert_null(compile(c, "x"));
  assert_int_equal(count_diag(c, "PAR003"), 2);
  const struct diag *g = expect_diag(c, "PAR003");
  assert_non_null(strstr(g->message, "secrett"));
  assert_non_null(g->help);
  assert_non_null(strstr(g->help, "`secret`"));
}

/* --- versions ----------------------------------------------------------------------- */

static void test_versions_and_patch_pin(void **state) {
  struct compilation *c = *state;
  load(c, "estate {\n  version = \"8.8.3\"\n}\n"
          "environment \"a\" { target = helm }\n"
          "environment \"b\" {\n  target = helm\n  version = \"8.9\"\n}\n");
  struct model *a = compile_ok(c, "a");
  assert_int_equal(a->minor, 8);
  assert_string_equal(a->e.images.orchestration.tag.v, "8.8.3");
  assert_string_equal(a->e.images.optimize.tag.v, "8.8.3");
  assert_memory_equal(a->e.images.connectors.tag.v, "8.8.", 4);
  assert_string_not_equal(a->e.images.connectors.tag.v, "8.8.3");
  struct model *b = compile_ok(c, "b");
  assert_int_equal(b->minor, 9);
  assert_memory_equal(b->e.chart_version.v, "14.", 3);
  assert_memory_equal(b->e.images.orchestration.tag.v, "8.9", 3);
  /* an estate's own image tag wins over the stdlib's */
  compilation_free(c);
  load(c, "estate {\n  version = \"8.8\"\n  images { orchestration { tag = \"custom\" } }\n}\n"
          "environment \"a\" { target = helm }\n");
  assert_string_equal(compile_ok(c, "a")->e.images.orchestration.tag.v, "custom");
}

static void test_bad_versions(void **state) {
  struct compilation *c = *state;
  const char *bad[] = {"\"8.7\"", "\"9.0\"", "\"8\"", "\"8.x\"", "\"8.8.\"", "\"8.8.3.1\"", "8.8", "\"\""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, "estate {\n  version = %s\n}\nenvironment \"x\" { target = helm }\n", bad[i]);
    load(c, text);
    if (compile(c, "x"))
      fail_msg("version %s was accepted", bad[i]);
    const struct diag *g = find_diag(c, "TYP007");
    if (!g)
      fail_msg("version %s: expected TYP007, got:\n%s", bad[i], diag_text(c));
    assert_int_equal(loc_of(c, g->at).line, 2);
    compilation_free(c);
  }
  load(c, "estate {\n  namespace = \"x\"\n}\nenvironment \"x\" { target = helm }\n");
  assert_null(compile(c, "x"));
  assert_non_null(strstr(expect_diag(c, "TYP007")->message, "no version"));
}

/* --- errors ---------------------------------------------------------------------------- */

static void test_type_errors(void **state) {
  struct compilation *c = *state;
  load(c, "estate {\n"
          "  version = \"8.8\"\n"
          "  orchestration {\n"
          "    brokres = 3\n"               /* 4: unknown field, did you mean */
          "    partitions = 0\n"            /* 5: out of range */
          "    disk_media = floppy\n"       /* 6: bad enum */
          "    disk = \"32Gi\"\n"           /* 7: quoted quantity */
          "    java_opts = 3\n"             /* 8: number for a string */
          "    replication = 2.5\n"         /* 9: not an integer */
          "    storage = mongodb { }\n"     /* 10: unknown variant */
          "  }\n"
          "}\nenvironment \"x\" { target = helm }\n");
  assert_null(compile(c, "x"));
  const struct diag *g = expect_diag(c, "TYP003");
  assert_int_equal(loc_of(c, g->at).line, 4);
  assert_non_null(strstr(g->message, "brokres"));
  assert_string_equal(g->help, "did you mean `brokers`?");
  g = expect_diag(c, "TYP002");
  assert_int_equal(loc_of(c, g->at).line, 5);
  assert_string_equal(span_text(c, g->at), "0");
  assert_int_equal(count_diag(c, "TYP004"), 2);
  g = expect_diag(c, "TYP004");
  assert_int_equal(loc_of(c, g->at).line, 6);
  assert_non_null(strstr(g->help, "ssd"));
  size_t typ001 = 0;
  for (size_t i = 0; i < c->diags.list.len; i++) {
    const struct diag *d = c->diags.list.items[i];
    if (strcmp(d->id, "TYP001") != 0)
      continue;
    typ001++;
    uint32_t line = loc_of(c, d->at).line;
    if (line == 7)
      assert_non_null(strstr(d->help, "without quotes"));
    else if (line == 8)
      assert_non_null(strstr(d->help, "quote it"));
    else
      assert_int_equal(line, 9);
  }
  assert_int_equal(typ001, 3);
}

static void test_duplicate_and_unknown_things(void **state) {
  struct compilation *c = *state;
  load(c, "import \"std/sizing\"\n"
          "let a = b\nlet b = a\n"
          "estate {\n  version = \"8.8\"\n"
          "  orchestration {\n    brokers = 3\n    brokers = 4\n"
          "    resources = sizing.basline\n    cpu_threads = a\n  }\n}\n"
          "environment \"x\" { target = helm }\n"
          "environment \"x\" { target = helm }\n"
          "estat { }\n");
  struct model *m = compile(c, "x");
  assert_null(m);
  const struct diag *g = expect_diag(c, "TYP005");
  assert_int_equal(loc_of(c, g->at).line, 8);
  assert_int_equal(g->notes.len, 1);
  g = expect_diag(c, "NAM001");
  assert_non_null(strstr(g->message, "basline"));
  assert_string_equal(g->help, "did you mean `sizing.baseline`?");
  expect_diag(c, "NAM003");
  g = expect_diag(c, "NAM002");
  assert_int_equal(loc_of(c, g->at).line, 14);
  g = expect_diag(c, "TYP003");
  assert_non_null(strstr(g->message, "estat"));
  assert_string_equal(g->help, "did you mean `estate`?");
  assert_null(find_env(c, "y"));
}

static void test_no_estate(void **state) {
  struct compilation *c = *state;
  load(c, "environment \"x\" { target = helm }\n");
  assert_null(compile(c, "x"));
  expect_diag(c, "NAM004");
  compilation_free(c);
  load(c, "estate { version = \"8.8\" }\nestate { version = \"8.9\" }\nenvironment \"x\" { target = helm }\n");
  expect_diag(c, "NAM004");
}

static void test_secret_rules(void **state) {
  struct compilation *c = *state;
  load(c, "let pw = secret(\"db\", key = \"password\")\n"
          "estate {\n  version = \"8.8\"\n"
          "  namespace = \"ns-${pw}\"\n"                     /* 4: interpolated */
          "  orchestration {\n    java_opts = pw\n"           /* 6: plain string field */
          "    storage = elasticsearch { url = \"https://es:9200\", password = pw }\n  }\n"
          "}\nenvironment \"x\" { target = helm }\n");
  assert_null(compile(c, "x"));
  assert_int_equal(count_diag(c, "TYP006"), 2);
  for (size_t i = 0; i < c->diags.list.len; i++) {
    const struct diag *g = c->diags.list.items[i];
    uint32_t line = loc_of(c, g->at).line;
    assert_string_equal(g->id, "TYP006");
    assert_true(line == 4 || line == 6);
  }
}

static void test_target_errors(void **state) {
  struct compilation *c = *state;
  /* RDBMS secondary storage needs 8.9: the helm backend refuses it on 8.8 */
  load(c, "estate {\n  version = \"8.8\"\n"
          "  orchestration { storage = rdbms { url = \"jdbc:postgresql://db:5432/camunda\" } }\n}\n"
          "environment \"none\" { }\n"
          "environment \"helm\" { target = helm }\n"
          "environment \"bad\" { target = kubernetes }\n"
          "environment \"new\" {\n  target = helm\n  version = \"8.9\"\n}\n");
  assert_null(compile(c, "none"));
  const struct diag *g = expect_diag(c, "TGT001");
  assert_non_null(strstr(g->message, "no target"));
  assert_null(compile(c, "helm"));
  g = expect_diag(c, "TGT002");
  assert_non_null(strstr(g->message, "8.9"));
  assert_int_equal(loc_of(c, g->at).line, 3);
  struct model *m = compile(c, "new");
  if (!m)
    fail_msg("rdbms on 8.9 did not compile:\n%s", diag_text(c));
  assert_int_equal(m->e.orchestration.storage.meta.kind, M_storage_kind_rdbms);
  assert_null(compile(c, "bad"));
  g = expect_diag(c, "TYP004");
  assert_non_null(strstr(g->help, "helm"));
}

static void test_repeated_diagnostics_across_environments_dedup(void **state) {
  struct compilation *c = *state;
  load(c, "estate {\n  version = \"8.8\"\n  orchestration { brokres = 3 }\n}\n"
          "environment \"a\" { target = helm }\n"
          "environment \"b\" { target = helm }\n");
  assert_null(compile(c, "a"));
  assert_null(compile(c, "b"));
  assert_int_equal(count_diag(c, "TYP003"), 2);
  diags_sort(&c->diags);
  assert_int_equal(count_diag(c, "TYP003"), 1);
  assert_int_equal(c->diags.errors, 1);
}

/* --- imports (relative to the working directory) ---------------------------------------- */

/* resolve_load_text takes the working directory as the estate's root: this
 * fixture makes base/root/ with modules in it, and base/outside.camarch,
 * and runs the test in base/root.  Teardown always goes back and cleans up. */
struct imports {
  struct compilation c;
  char base[64], root[PATH_MAX], cwd[PATH_MAX];
};

static void write_file(const char *dir, const char *name, const char *text) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void remove_file(const char *dir, const char *name) {
  char p[PATH_MAX + 64];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  unlink(p);
}

static int imports_setup(void **state) {
  struct imports *x = calloc(1, sizeof *x);
  if (!x)
    return -1;
  snprintf(x->base, sizeof x->base, "/tmp/camarch-test-imports-XXXXXX");
  if (!mkdtemp(x->base) || !getcwd(x->cwd, sizeof x->cwd)) {
    free(x);
    return -1;
  }
  snprintf(x->root, sizeof x->root, "%s/root", x->base);
  mkdir(x->root, 0755);
  write_file(x->root, "sizes.camarch", "let brokers = 7\nlet res = { cpu = 2, memory = 4Gi }\n");
  write_file(x->root, "cyc_a.camarch", "import \"./cyc_b\"\n");
  write_file(x->root, "cyc_b.camarch", "import \"./cyc_a\"\n");
  write_file(x->base, "outside.camarch", "let x = 1\n");
  if (chdir(x->root) != 0) {
    free(x);
    return -1;
  }
  *state = x;
  return 0;
}

static int imports_teardown(void **state) {
  struct imports *x = *state;
  int rc = chdir(x->cwd);
  remove_file(x->root, "sizes.camarch");
  remove_file(x->root, "cyc_a.camarch");
  remove_file(x->root, "cyc_b.camarch");
  remove_file(x->base, "outside.camarch");
  rmdir(x->root);
  rmdir(x->base);
  if (x->c.arena)
    compilation_free(&x->c);
  free(x);
  return rc;
}

/* Runs body in a child, in the fixture's directory, so that a crash of the
 * compiler fails this test only; the child reports facts as text lines
 * ("IMP003 1", "brokers 7"), returned in the arena-free buffer `out`. */
static void run_child(struct imports *x, void (*body)(struct compilation *, FILE *), char *out, size_t cap) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    child_default_signals();
    close(fds[0]);
    FILE *f = fdopen(fds[1], "w");
    if (!f)
      _exit(2);
    body(&x->c, f);
    for (size_t i = 0; i < x->c.diags.list.len; i++) {
      const struct diag *g = x->c.diags.list.items[i];
      const struct source_file *sf = sources_get(&x->c.sources, g->at.file);
      fprintf(f, "%s %u%s\n", g->id, sf ? source_loc(sf, g->at.start).line : 0, g->help ? " help" : "");
    }
    fclose(f);
    _exit(0);
  }
  close(fds[1]);
  size_t len = 0;
  ssize_t n;
  while ((n = read(fds[0], out + len, cap - 1 - len)) > 0)
    len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status))
    fail_msg("the compiler crashed with signal %d; it had reported:\n%s", WTERMSIG(status), out);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static void good_imports(struct compilation *c, FILE *out) {
  load(c, "import \"./sizes\"\nimport \"./sizes.camarch\" as s2\n"
          "estate {\n  version = \"8.8\"\n  orchestration {\n    brokers = sizes.brokers\n"
          "    resources = s2.res\n  }\n}\nenvironment \"x\" { target = helm }\n");
  struct model *m = compile_env(c, find_env(c, "x"));
  if (m)
    fprintf(out, "brokers %lld\nmemory %lld\nmodules %zu\n", (long long)m->e.orchestration.brokers.v,
            (long long)m->e.orchestration.resources.memory.v, c->modules.len);
}

static void test_relative_imports(void **state) {
  char out[4096];
  run_child(*state, good_imports, out, sizeof out);
  if (!strstr(out, "brokers 7\n"))
    fail_msg("expected brokers 7; the child said:\n%s", out);
  assert_non_null(strstr(out, "memory 4294967296\n"));
  assert_non_null(strstr(out, "modules 4\n")); /* the root, sizes once, std/profiles, std/camunda/8.8 */
}

static void bad_imports(struct compilation *c, FILE *out) {
  (void)out;
  load(c, "import \"./missing\"\nimport \"sizes\"\nimport \"./cyc_a\"\nimport \"std/nope\"\n"
          "estate { version = \"8.8\" }\n");
}

static void test_import_errors(void **state) {
  char out[4096];
  run_child(*state, bad_imports, out, sizeof out);
  if (!strstr(out, "IMP001 1\n") || !strstr(out, "IMP001 2 help\n") || !strstr(out, "IMP001 4\n"))
    fail_msg("expected IMP001 on lines 1, 2 (with help) and 4; got:\n%s", out);
  /* the cycle is reported in the second module, at its import of the first */
  assert_non_null(strstr(out, "IMP002 1\n"));
}

static void escaping_import(struct compilation *c, FILE *out) {
  (void)out;
  load(c, "import \"../outside\"\nestate { version = \"8.8\" }\n");
}

static void test_import_leaving_the_root_directory(void **state) {
  char out[4096];
  run_child(*state, escaping_import, out, sizeof out);
  assert_string_equal(out, "IMP003 1\n");
}

/* --- outputs of the pipeline ------------------------------------------------------------- */

static void test_ir_json(void **state) {
  struct compilation *c = *state;
  load(c, overlay);
  struct model *m = compile_ok(c, "dev");
  char *s = ir_to_json(c->arena, m);
  assert_non_null(s);
  json_error_t err;
  json_t *doc = json_loads(s, 0, &err);
  free(s);
  if (!doc)
    fail_msg("invalid IR JSON: %s", err.text);
  assert_true(json_is_string(json_object_get(doc, "camarch")));
  assert_string_equal(json_string_value(json_object_get(doc, "environment")), "dev");
  assert_string_equal(json_string_value(json_object_get(doc, "source")), "estate.camarch");
  json_t *e = json_object_get(doc, "estate");
  assert_string_equal(json_string_value(json_object_get(e, "name")), "acme");
  assert_string_equal(json_string_value(json_object_get(e, "target")), "helm");
  assert_string_equal(json_string_value(json_object_get(e, "profile")), "development");
  json_t *o = json_object_get(e, "orchestration");
  assert_true(json_is_integer(json_object_get(o, "brokers")));
  assert_int_equal(json_integer_value(json_object_get(o, "brokers")), 1);
  assert_string_equal(json_string_value(json_object_get(o, "disk")), "128Gi");
  json_t *r = json_object_get(o, "resources");
  assert_string_equal(json_string_value(json_object_get(r, "cpu")), "3");
  assert_string_equal(json_string_value(json_object_get(r, "memory")), "2Gi");
  assert_true(json_is_null(json_object_get(o, "cpu_threads")));
  assert_int_equal(json_array_size(json_object_get(o, "zones")), 2);
  json_t *st = json_object_get(o, "storage");
  assert_string_equal(json_string_value(json_object_get(st, "kind")), "elasticsearch");
  assert_string_equal(json_string_value(json_object_get(st, "disk")), "64Gi");
  json_t *env = json_object_get(o, "env");
  assert_string_equal(json_string_value(json_object_get(env, "JAVA_TOOL_OPTIONS")), "-Xmx1g");
  assert_string_equal(json_string_value(json_object_get(json_object_get(env, "TOKEN"), "secret")), "tok");
  json_t *lic = json_object_get(e, "license");
  assert_string_equal(json_string_value(json_object_get(lic, "secret")), "camunda-license");
  assert_string_equal(json_string_value(json_object_get(lic, "key")), "key");
  assert_true(json_is_null(json_object_get(e, "connectors")));
  assert_true(json_is_array(json_object_get(e, "host")));
  assert_true(json_is_false(json_object_get(json_object_get(e, "identity"), "multi_tenancy")));
  /* every field of the model is there */
  assert_int_equal(json_object_size(e), model_estate_desc.nfields + 1);
  assert_int_equal(json_object_size(o), model_struct_find("orchestration")->nfields);
  json_decref(doc);
}

/* Any number of declared profiles can be chosen, the last one too. */
static void test_many_profiles(void **state) {
  struct compilation *c = *state;
  struct buf b = {0};
  for (int i = 0; i < 300; i++)
    buf_printf(&b, "profile \"p%d\" { extends = production }\n", i);
  buf_puts(&b, "estate \"x\" { version = \"8.8\" }\nenvironment \"prod\" { target = helm, profile = p299 }\n");
  load(c, b.data);
  buf_free(&b);
  assert_non_null(compile_ok(c, "prod"));
}

/* Each value knows who gave it: the model's default, the standard library,
 * a defaults block, the estate, the environment or --set. */
static void test_origins(void **state) {
  struct compilation *c = *state;
  load(c, "defaults { orchestration { disk = 64Gi } }\n"
          "estate \"x\" {\n  version = \"8.8\"\n  orchestration { partitions = 6, brokers = param(\"BROKERS\", default = 3) }\n}\n"
          "environment \"dev\" { target = compose, orchestration { replication = 1 } }\n"
          "environment \"prod\" { target = helm }\n");
  set_param(c, "BROKERS", "1");
  struct model *m = compile_ok(c, "dev");
  const struct m_orchestration *o = &m->e.orchestration;
  assert_int_equal(o->heartbeat_interval.from, O_MODEL);
  assert_int_equal(m->e.images.orchestration.tag.from, O_STDLIB);
  assert_int_equal(o->disk.from, O_DEFAULTS);
  assert_int_equal(o->partitions.from, O_ESTATE);
  assert_int_equal(o->replication.from, O_ENV);
  assert_int_equal(o->brokers.from, O_CLI);
  assert_int_equal(m->e.orchestration.storage_class.from, O_UNSET);
  /* two targets: only the environment's own block and --set are its own */
  assert_false(m->only_environment);
  assert_false(model_own(m, o->partitions.from));
  assert_true(model_own(m, o->replication.from));
  assert_true(model_own(m, o->brokers.from));
  assert_false(model_own(m, m->e.images.orchestration.tag.from));
}

/* uses.c: a setting for another kind of place is reported where the
 * environment gives it itself, not where an estate of several targets
 * carries it for the others. */
static void test_unused_settings(void **state) {
  struct compilation *c = *state;
  load(c, "estate \"x\" {\n  version = \"8.8\"\n  namespace = \"camunda-prod\"\n}\n"
          "environment \"dev\" { target = compose, kubernetes { nodes = 3 } }\n"
          "environment \"prod\" { target = helm }\n");
  compile_ok(c, "dev");
  assert_int_equal(count_diag(c, "TGT003"), 1);  /* kubernetes, not the estate's namespace */
  const struct diag *g = expect_diag(c, "TGT003");
  assert_non_null(strstr(g->message, "`kubernetes` is not used on one Docker host (target = compose)"));
  assert_non_null(strstr(g->help, "is for a Kubernetes cluster"));
  compilation_free(c);
  /* one target only: the estate's settings are the environment's own */
  load(c, "estate \"x\" {\n  version = \"8.8\"\n  namespace = \"camunda-prod\"\n}\n"
          "environment \"dev\" { target = compose }\n");
  compile_ok(c, "dev");
  g = expect_diag(c, "TGT003");
  assert_non_null(strstr(g->message, "`namespace` is not used"));
}

static void test_helm_values_emitted(void **state) {
  struct compilation *c = *state;
  load(c, overlay);
  struct model *m = compile_ok(c, "prod");
  const struct backend *b = backend_for(m->e.target.v);
  assert_non_null(b);
  assert_string_equal(b->name, "helm");
  struct outputs out;
  outputs_init(&out, c->arena);
  struct emit_ctx ctx = {c->arena, &out, "prod", &c->diags, c->diags.errors};
  assert_true(b->build(m, &ctx));
  assert_int_equal(out.files.len, 2);  /* values.yaml and its README.md */
  const struct out_file *f = out.files.items[0];
  assert_string_equal(f->dir, "prod");
  assert_string_equal(f->name, "values.yaml");
  const struct out_file *r = out.files.items[1];
  assert_string_equal(r->name, "README.md");
  assert_non_null(strstr(r->data.data, "helm upgrade --install"));
  assert_non_null(strstr(r->data.data, "| `camunda-license` |"));
  const char *y = f->data.data;
  assert_non_null(strstr(y, "# Generated by camarch"));
  assert_non_null(strstr(y, "environment \"prod\""));
  assert_non_null(strstr(y, "clusterSize: \"5\""));
  assert_non_null(strstr(y, "partitionCount: \"6\""));
  assert_non_null(strstr(y, "pvcSize: 128Gi"));
  assert_non_null(strstr(y, "existingSecret: camunda-license"));
  assert_non_null(strstr(y, "  - name: JAVA_TOOL_OPTIONS\n    value: -Xmx1g\n"));
  /* a secret stays a reference to a Secret, never a value */
  assert_non_null(strstr(y, "  - name: TOKEN\n    valueFrom:\n      secretKeyRef:\n        name: tok\n"));
  assert_non_null(strstr(y, "cpu: \"4\""));    /* quantities that look like numbers stay strings */
  assert_non_null(strstr(y, "replicas: 2\n"));
  outputs_free(&out);
}

/* --- out of memory anywhere ----------------------------------------------------------------- */

/* Compiles an estate with allocation *(long *)arg failing. */
static void oom_child(void *arg) {
  arena_set_fail_after(*(const long *)arg);
  struct compilation c;
  compilation_init(&c, CAMARCH_STDLIB_SOURCE_DIR);
  resolve_load_text(&c, "estate.camarch", overlay, strlen(overlay));
  struct model *m = compile_env(&c, find_env(&c, "prod"));
  if (!m)
    _exit(3);
  char *s = ir_to_json(c.arena, m);
  free(s);
  compilation_free(&c);
  _exit(0);
}

static void test_out_of_memory_anywhere_exits_cleanly(void **state) {
  (void)state;
  long n = 1, step = 1, failures = 0;
  bool finished = false;
  while (n < 100000) {
    struct child_result r;
    run_in_child(oom_child, &n, &r);
    if (!WIFEXITED(r.status))
      fail_msg("allocation %ld failing: the child died of signal %d", n,
               WIFSIGNALED(r.status) ? WTERMSIG(r.status) : -1);
    int code = WEXITSTATUS(r.status);
    if (code == 0) {
      finished = true;
      break;
    }
    if (code != 70 || !strstr(r.err, "out of memory"))
      fail_msg("allocation %ld failing: exit %d, stderr: %s", n, code, r.err);
    failures++;
    n += step;
    if (n > 300)
      step = 13; /* past the start, sample */
  }
  assert_true(finished);
  assert_true(failures > 10);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_defaults_applied),
      T(test_environment_overlay_replaces_and_merges),
      T(test_enabled_false_removes_a_component),
      T(test_lets_interpolation_and_stdlib_sizing),
      T(test_user_defaults_block),
      T(test_labelled_blocks_hosts_and_clients),
      T(test_params_take_set_values),
      T(test_params_defaults),
      T(test_param_errors),
      T(test_set_values_are_typed_by_their_field),
      T(test_bad_calls),
      T(test_versions_and_patch_pin),
      T(test_bad_versions),
      T(test_type_errors),
      T(test_duplicate_and_unknown_things),
      T(test_no_estate),
      T(test_secret_rules),
      T(test_target_errors),
      T(test_repeated_diagnostics_across_environments_dedup),
      cmocka_unit_test_setup_teardown(test_relative_imports, imports_setup, imports_teardown),
      cmocka_unit_test_setup_teardown(test_import_errors, imports_setup, imports_teardown),
      cmocka_unit_test_setup_teardown(test_import_leaving_the_root_directory, imports_setup, imports_teardown),
      T(test_ir_json),
      T(test_many_profiles),
      T(test_origins),
      T(test_unused_settings),
      T(test_helm_values_emitted),
      T(test_out_of_memory_anywhere_exits_cleanly),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
