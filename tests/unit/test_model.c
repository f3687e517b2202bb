/* test_model.c - quantities, enumerations and descriptors (model.h), and
 * "did you mean" (suggest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "backend.h"
#include "model.h"
#include "suggest.h"


typedef bool (*parse_fn)(const char *, int64_t *);

static void expect_parse(parse_fn fn, const char *what, const char *text, int64_t want) {
  int64_t v = -12345;
  if (!fn(text, &v))
    fail_msg("%s: \"%s\" was rejected, expected %" PRId64, what, text, want);
  if (v != want)
    fail_msg("%s: \"%s\" gave %" PRId64 ", expected %" PRId64, what, text, v, want);
}

static void expect_reject(parse_fn fn, const char *what, const char *text) {
  int64_t v = -12345;
  if (fn(text, &v))
    fail_msg("%s: \"%s\" was accepted as %" PRId64 ", expected a rejection", what, text, v);
}

/* --- sizes ----------------------------------------------------------------- */

static void test_parse_size_valid(void **state) {
  (void)state;
  expect_parse(model_parse_size, "size", "0", 0);
  expect_parse(model_parse_size, "size", "1", 1);
  expect_parse(model_parse_size, "size", "1k", 1000);
  expect_parse(model_parse_size, "size", "1K", 1000);
  expect_parse(model_parse_size, "size", "2M", 2000000);
  expect_parse(model_parse_size, "size", "3G", 3000000000);
  expect_parse(model_parse_size, "size", "1T", 1000000000000);
  expect_parse(model_parse_size, "size", "1P", 1000000000000000);
  expect_parse(model_parse_size, "size", "1Ki", 1024);
  expect_parse(model_parse_size, "size", "512Mi", 536870912);
  expect_parse(model_parse_size, "size", "1500Mi", 1572864000);
  expect_parse(model_parse_size, "size", "64Gi", INT64_C(68719476736));
  expect_parse(model_parse_size, "size", "1.5Gi", INT64_C(1610612736));
  expect_parse(model_parse_size, "size", "1Ti", INT64_C(1099511627776));
  expect_parse(model_parse_size, "size", "8Pi", INT64_C(9007199254740992));
  expect_parse(model_parse_size, "size", "0.5Ki", 512);
}

static void test_parse_size_invalid_and_overflow(void **state) {
  (void)state;
  const char *bad[] = {"",       "Mi",   "12XB", "1.5",   "-1Gi", "1e3",  " 1Gi",  "1Gi ",
                       "1.Gi",   "1.5.5", "1mi", "1gi",   "Gi1",  "1 Gi", "0.3",   "1KiB",
                       "9000Pi", "99999999999999999999", "9223372036854775807Ki", "1Ei"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_reject(model_parse_size, "size", bad[i]);
}

/* --- cpu ------------------------------------------------------------------- */

static void test_parse_cpu(void **state) {
  (void)state;
  expect_parse(model_parse_cpu, "cpu", "500m", 500);
  expect_parse(model_parse_cpu, "cpu", "3500m", 3500);
  expect_parse(model_parse_cpu, "cpu", "0m", 0);
  expect_parse(model_parse_cpu, "cpu", "2", 2000);
  expect_parse(model_parse_cpu, "cpu", "0", 0);
  expect_parse(model_parse_cpu, "cpu", "0.5", 500);
  expect_parse(model_parse_cpu, "cpu", "1.5", 1500);
  expect_parse(model_parse_cpu, "cpu", "0.25", 250);
  expect_parse(model_parse_cpu, "cpu", "0.001", 1);
  const char *bad[] = {"", "m", "1.5m", "2x", "-1", "-500m", "1 m", "1M", "0.0005", "2 ", "1.", ".5"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_reject(model_parse_cpu, "cpu", bad[i]);
}

/* Regression: quantities were once multiplied in floating point and then
 * required to be whole, so exact decimal quantities were rejected when the
 * product rounded below:
 * "2.01" CPUs is 2010m, but 2.01 * 1000 = 2009.9999999999998 and the
 * value is refused; likewise "1.001" (1001m), "1.1h" (3960000 ms) and
 * "1.001s" (1001 ms).  Other decimals of the same precision ("2.02",
 * "1.002") are accepted.  Sizes with decimal suffixes have the same fault:
 * "2.01M" (2010000 bytes) and "1.001k" are refused.  docs/language.md says
 * quantities are "parsed exactly" and a fraction is allowed whenever the
 * result is whole in the smallest unit. */
static void test_parse_decimal_quantities_exactly(void **state) {
  (void)state;
  expect_parse(model_parse_cpu, "cpu", "2.02", 2020);
  expect_parse(model_parse_dur, "dur", "1.002s", 1002);
  expect_parse(model_parse_size, "size", "2.02M", 2020000);
  expect_parse(model_parse_size, "size", "2.01M", 2010000);
  expect_parse(model_parse_size, "size", "1.001k", 1001);
  expect_parse(model_parse_cpu, "cpu", "2.01", 2010);
  expect_parse(model_parse_cpu, "cpu", "1.001", 1001);
  expect_parse(model_parse_cpu, "cpu", "16.1", 16100);
  expect_parse(model_parse_dur, "dur", "1.1h", 3960000);
  expect_parse(model_parse_dur, "dur", "1.001s", 1001);
}

/* --- durations ------------------------------------------------------------- */

static void test_parse_dur(void **state) {
  (void)state;
  expect_parse(model_parse_dur, "dur", "0ms", 0);
  expect_parse(model_parse_dur, "dur", "500ms", 500);
  expect_parse(model_parse_dur, "dur", "30s", 30000);
  expect_parse(model_parse_dur, "dur", "1.5s", 1500);
  expect_parse(model_parse_dur, "dur", "5m", 300000);
  expect_parse(model_parse_dur, "dur", "1h", 3600000);
  expect_parse(model_parse_dur, "dur", "0.5h", 1800000);
  expect_parse(model_parse_dur, "dur", "2d", 172800000);
  const char *bad[] = {"", "30", "1w", "s", "-1s", "1.5ms", "1 s", "1S", "1sec", "ms", "1hm"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_reject(model_parse_dur, "dur", bad[i]);
}

/* --- integers -------------------------------------------------------------- */

static void test_parse_int(void **state) {
  (void)state;
  expect_parse(model_parse_int, "int", "0", 0);
  expect_parse(model_parse_int, "int", "42", 42);
  expect_parse(model_parse_int, "int", "-7", -7);
  expect_parse(model_parse_int, "int", "007", 7);
  expect_parse(model_parse_int, "int", "9223372036854775807", INT64_MAX);
  expect_parse(model_parse_int, "int", "-9223372036854775808", INT64_MIN);
  const char *bad[] = {"",    "+5",  " 5", "5 ",  "1.0", "1e3", "9223372036854775808",
                       "-9223372036854775809", "abc", "0x10", "5Mi", "-",  "--1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_reject(model_parse_int, "int", bad[i]);
}

/* --- formatting and round trips -------------------------------------------- */

static void test_format_quantities(void **state) {
  (void)state;
  struct arena *a = arena_new();
  assert_string_equal(model_format_size(a, 0), "0");
  assert_string_equal(model_format_size(a, 1), "1");
  assert_string_equal(model_format_size(a, 1000), "1k"); /* the shorter exact form */
  assert_string_equal(model_format_size(a, 1024), "1Ki");
  assert_string_equal(model_format_size(a, 1536), "1536");
  assert_string_equal(model_format_size(a, 536870912), "512Mi");
  assert_string_equal(model_format_size(a, 1572864000), "1500Mi");
  assert_string_equal(model_format_size(a, INT64_C(68719476736)), "64Gi");
  assert_string_equal(model_format_size(a, INT64_C(1099511627776)), "1Ti");
  assert_string_equal(model_format_size(a, INT64_C(1125899906842624)), "1Pi");
  assert_string_equal(model_format_size(a, INT64_C(1152921504606846976)), "1024Pi");
  assert_string_equal(model_format_cpu(a, 0), "0");
  assert_string_equal(model_format_cpu(a, 500), "500m");
  assert_string_equal(model_format_cpu(a, 1500), "1500m");
  assert_string_equal(model_format_cpu(a, 2000), "2");
  assert_string_equal(model_format_dur(a, 0), "0ms");
  assert_string_equal(model_format_dur(a, 1), "1ms");
  assert_string_equal(model_format_dur(a, 1500), "1500ms");
  assert_string_equal(model_format_dur(a, 30000), "30s");
  assert_string_equal(model_format_dur(a, 90000), "90s");
  assert_string_equal(model_format_dur(a, 300000), "5m");
  assert_string_equal(model_format_dur(a, 5400000), "90m");
  assert_string_equal(model_format_dur(a, 3600000), "1h");
  assert_string_equal(model_format_dur(a, 86400000), "1d");
  assert_string_equal(model_format_dur(a, 90000000), "25h");
  arena_free(a);
}

static void test_format_parse_round_trips(void **state) {
  (void)state;
  struct arena *a = arena_new();
  int64_t v;
  for (int64_t x = 0; x < 5000; x++) {
    int64_t sizes[] = {x, x * 1024, x * 1048576, x * INT64_C(1073741824), x * INT64_C(1099511627776) + 1};
    for (size_t i = 0; i < 5; i++) {
      const char *t = model_format_size(a, sizes[i]);
      if (!model_parse_size(t, &v) || v != sizes[i])
        fail_msg("size %" PRId64 " -> \"%s\" does not read back", sizes[i], t);
    }
    int64_t cpus[] = {x, x * 1000};
    for (size_t i = 0; i < 2; i++) {
      const char *t = model_format_cpu(a, cpus[i]);
      if (!model_parse_cpu(t, &v) || v != cpus[i])
        fail_msg("cpu %" PRId64 " -> \"%s\" does not read back", cpus[i], t);
    }
    int64_t durs[] = {x, x * 1000, x * 60000, x * 3600000, x * 86400000, x * 1000 + 7};
    for (size_t i = 0; i < 6; i++) {
      const char *t = model_format_dur(a, durs[i]);
      if (!model_parse_dur(t, &v) || v != durs[i])
        fail_msg("dur %" PRId64 " -> \"%s\" does not read back", durs[i], t);
    }
  }
  arena_free(a);
}

/* --- enumerations ---------------------------------------------------------- */

static void test_enum_lookups(void **state) {
  (void)state;
  const struct enum_desc *t = model_enum("target");
  assert_non_null(t);
  assert_string_equal(t->type, "target");
  assert_int_equal(t->first, M_target_helm);
  int n = 0;  /* one target per backend of backends.def */
  while (backends[n])
    n++;
  assert_int_equal(t->n, n);
  assert_ptr_equal(model_enum("target"), t); /* cached */
  assert_int_equal(model_enum_lookup(t, "helm"), M_target_helm);
  assert_int_equal(model_enum_lookup(t, "compose"), M_target_compose);
  assert_int_equal(model_enum_lookup(t, "systemd"), M_target_systemd);
  assert_int_equal(model_enum_lookup(t, "kubernetes"), -1);
  assert_int_equal(model_enum_lookup(t, "Helm"), -1);
  assert_int_equal(model_enum_lookup(t, ""), -1);
  /* a value of another type is not found through this one */
  assert_int_equal(model_enum_lookup(t, "none"), -1);

  const struct enum_desc *sk = model_enum("storage_kind");
  assert_int_equal(sk->n, 5);
  assert_int_equal(model_enum_lookup(sk, "none"), M_storage_kind_none);
  const struct enum_desc *am = model_enum("auth_method");
  assert_int_equal(model_enum_lookup(am, "none"), M_auth_method_none);
  assert_true(M_auth_method_none != M_storage_kind_none);

  assert_string_equal(model_enum_name(M_idp_generic), "generic");
  assert_string_equal(model_enum_name(M_storage_kind_h2), "h2");
  assert_string_equal(model_enum_name(-1), "?");
  assert_string_equal(model_enum_name(M_ENUM_END_), "?");
  assert_true(strlen(model_enum_doc(M_target_helm)) > 0);
  assert_string_equal(model_enum_doc(-1), "");
}

static void unknown_enum_type(void *arg) {
  (void)arg;
  (void)model_enum("no_such_type");
}

static void test_unknown_enum_type_dies(void **state) {
  (void)state;
  struct child_result r;
  run_in_child(unknown_enum_type, NULL, &r);
  assert_true(WIFEXITED(r.status));
  assert_int_equal(WEXITSTATUS(r.status), 70);
}

/* --- descriptors ----------------------------------------------------------- */

static const struct field_desc *find_field(const struct struct_desc *sd, const char *name) {
  for (size_t i = 0; i < sd->nfields; i++)
    if (strcmp(sd->fields[i].name, name) == 0)
      return &sd->fields[i];
  return NULL;
}

static void test_struct_descriptors(void **state) {
  (void)state;
  const struct struct_desc *r = model_struct_find("resources");
  assert_non_null(r);
  assert_string_equal(r->name, "resources");
  assert_int_equal(r->size, sizeof(struct m_resources));
  assert_int_equal(r->nfields, 4);
  const char *names[] = {"cpu", "memory", "cpu_limit", "memory_limit"};
  const enum ftype types[] = {FT_CPU, FT_SIZE, FT_CPU, FT_SIZE};
  for (size_t i = 0; i < 4; i++) {
    assert_string_equal(r->fields[i].name, names[i]);
    assert_int_equal(r->fields[i].type, types[i]);
  }
  assert_int_equal(find_field(r, "memory")->offset, offsetof(struct m_resources, memory));

  const struct struct_desc *o = model_struct_find("orchestration");
  const struct field_desc *brokers = find_field(o, "brokers");
  assert_non_null(brokers);
  assert_int_equal(brokers->type, FT_INT);
  assert_string_equal(brokers->def, "3");
  assert_int_equal(brokers->min, 1);
  assert_int_equal(brokers->max, 512);
  assert_int_equal(brokers->offset, offsetof(struct m_orchestration, brokers));
  const struct field_desc *storage = find_field(o, "storage");
  assert_int_equal(storage->type, FT_VARIANT);
  assert_string_equal(storage->enum_type, "storage_kind");
  assert_ptr_equal(storage->sub, model_struct_find("storage"));
  assert_ptr_equal(find_field(o, "resources")->sub, r);

  const struct struct_desc *e = model_struct_find("estate");
  assert_non_null(e);
  assert_int_equal(e->size, sizeof(struct m_estate));
  assert_int_equal(model_estate_desc.size, sizeof(struct m_estate));
  assert_int_equal(model_estate_desc.nfields, e->nfields);
  assert_int_equal(find_field(e, "connectors")->type, FT_COMPONENT);
  assert_int_equal(find_field(e, "host")->type, FT_LIST);
  assert_int_equal(find_field(e, "license")->type, FT_SECRET);
  assert_null(find_field(e, "brokers"));
  assert_null(model_struct_find("nope"));
  assert_null(model_struct_find(""));

  assert_string_equal(ftype_name(FT_SIZE), "size");
  assert_string_equal(ftype_name(FT_INT), "integer");
  assert_string_equal(ftype_name(FT_LIST), "labelled blocks");
  assert_string_equal(ftype_name((enum ftype)99), "?");
}

/* Every default written in model.def reads as its field's type. */
static void check_defaults(const struct struct_desc *sd, int depth) {
  assert_true(depth < 10);
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    assert_non_null(fd->doc);
    assert_true(strlen(fd->doc) > 0);
    int64_t v;
    bool ok = true;
    if (*fd->def) {
      switch (fd->type) {
      case FT_INT:
        ok = model_parse_int(fd->def, &v) && v >= fd->min && v <= fd->max;
        break;
      case FT_SIZE: ok = model_parse_size(fd->def, &v); break;
      case FT_CPU: ok = model_parse_cpu(fd->def, &v); break;
      case FT_DUR: ok = model_parse_dur(fd->def, &v); break;
      case FT_BOOL: ok = strcmp(fd->def, "true") == 0 || strcmp(fd->def, "false") == 0; break;
      case FT_ENUM: case FT_VARIANT:
        ok = model_enum_lookup(model_enum(fd->enum_type), fd->def) >= 0;
        break;
      case FT_STR: case FT_NAME: break;
      default: ok = false; /* these kinds take no default */
      }
    }
    if (!ok)
      fail_msg("%s.%s: bad default \"%s\"", sd->name, fd->name, fd->def);
    if (fd->type == FT_INT && !(fd->min == 0 && fd->max == 0))
      assert_true(fd->min <= fd->max);
    if (fd->type == FT_ENUM || fd->type == FT_VARIANT)
      assert_true(model_enum(fd->enum_type)->n > 0);
    if (fd->sub)
      check_defaults(fd->sub, depth + 1);
  }
}

static void test_all_defaults_are_valid(void **state) {
  (void)state;
  check_defaults(&model_estate_desc, 0);
}

/* Every SECRET and SECSTR field is secret-bearing, and so is the one map
 * of secrets (connectors.secrets); no other field is (rule ID020 walks
 * these flags). */
static void count_secret_bearing(const struct struct_desc *sd, int depth, int *maps) {
  assert_true(depth < 10);
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    if (fd->type == FT_SECRET || fd->type == FT_SECSTR)
      assert_true(fd->secret_bearing);
    else if (fd->type == FT_ENVMAP)
      *maps += fd->secret_bearing;
    else
      assert_false(fd->secret_bearing);
    if (fd->sub)
      count_secret_bearing(fd->sub, depth + 1, maps);
  }
}

static void test_secret_bearing_fields(void **state) {
  (void)state;
  int maps = 0;
  count_secret_bearing(&model_estate_desc, 0, &maps);
  const struct struct_desc *cn = model_struct_find("connectors");
  assert_true(find_field(cn, "secrets")->secret_bearing);
  assert_int_equal(find_field(cn, "secrets")->type, FT_ENVMAP);
  assert_false(find_field(cn, "env")->secret_bearing);
  assert_false(find_field(model_struct_find("ingress"), "annotations")->secret_bearing);
  assert_true(find_field(model_struct_find("user"), "password")->secret_bearing);
  assert_true(maps >= 1);
}

/* --- suggest ----------------------------------------------------------------- */

static void test_suggest_typos(void **state) {
  (void)state;
  const char *fields[] = {"brokers", "partitions", "replication", "zones", "resources", "disk"};
  size_t n = sizeof fields / sizeof fields[0];
  assert_string_equal(suggest("brokres", fields, n), "brokers");      /* transposition */
  assert_string_equal(suggest("broker", fields, n), "brokers");       /* deletion */
  assert_string_equal(suggest("partitionss", fields, n), "partitions"); /* insertion */
  assert_string_equal(suggest("replicaton", fields, n), "replication");
  assert_string_equal(suggest("zonez", fields, n), "zones");          /* substitution */
  assert_string_equal(suggest("dsik", fields, n), "disk");
  assert_string_equal(suggest("Brokers", fields, n), "brokers");
}

static void test_suggest_not_close_enough(void **state) {
  (void)state;
  const char *fields[] = {"brokers", "partitions", "replication"};
  size_t n = sizeof fields / sizeof fields[0];
  assert_null(suggest("xyz", fields, n));
  assert_null(suggest("memory", fields, n));
  assert_null(suggest("bkrs", fields, n));           /* 3 edits for a 4-letter word */
  assert_null(suggest("brokers", fields, n));        /* an exact match is not a typo */
  assert_null(suggest("brokres", fields, 0));
  /* short words allow one edit only */
  const char *two[] = {"ac", "cd"};
  assert_string_equal(suggest("ab", two, 2), "ac");
  assert_null(suggest("xy", two, 2));
  /* long words allow three edits at most */
  const char *longw[] = {"abcdefghijkl"};
  assert_string_equal(suggest("abcdefghiXYZ", longw, 1), "abcdefghijkl");
  assert_null(suggest("abcdefghWXYZ", longw, 1));
  /* words longer than 64 characters are not compared */
  char big[80], big2[80];
  memset(big, 'a', 70);
  big[70] = '\0';
  memcpy(big2, big, 71);
  big2[0] = 'b';
  const char *bigc[] = {big2};
  assert_null(suggest(big, bigc, 1));
}

static void test_suggest_picks_closest_first_on_ties(void **state) {
  (void)state;
  const char *c1[] = {"cpu_limit", "gpu", "cpus", "memory"};
  /* gpu and cpus are both one edit away: the first listed wins */
  assert_string_equal(suggest("cpu", c1, 4), "gpu");
  const char *c2[] = {"broker", "brokers"};
  assert_string_equal(suggest("brokerss", c2, 2), "brokers"); /* 1 edit vs 2 */
  assert_string_equal(suggest("brokerz", c2, 2), "broker");   /* tie: the first */
  assert_string_equal(suggest("brokrs", c2, 2), "brokers");
  const char *withnull[] = {NULL, "zones", NULL};
  assert_string_equal(suggest("zone", withnull, 3), "zones");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_size_valid),
      cmocka_unit_test(test_parse_size_invalid_and_overflow),
      cmocka_unit_test(test_parse_cpu),
      cmocka_unit_test(test_parse_decimal_quantities_exactly),
      cmocka_unit_test(test_parse_dur),
      cmocka_unit_test(test_parse_int),
      cmocka_unit_test(test_format_quantities),
      cmocka_unit_test(test_format_parse_round_trips),
      cmocka_unit_test(test_enum_lookups),
      cmocka_unit_test(test_unknown_enum_type_dies),
      cmocka_unit_test(test_struct_descriptors),
      cmocka_unit_test(test_all_defaults_are_valid),
      cmocka_unit_test(test_secret_bearing_fields),
      cmocka_unit_test(test_suggest_typos),
      cmocka_unit_test(test_suggest_not_close_enough),
      cmocka_unit_test(test_suggest_picks_closest_first_on_ties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
