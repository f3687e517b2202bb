/* test_url.c - the one URL parser (url.h): the http(s) and JDBC forms the
 * estate uses, taken apart; and hostile inputs, each refused with the
 * problem it has, never read past their end or overflowed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "url.h"

static struct arena *A;

static int setup(void **state) {
  (void)state;
  A = arena_new();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(A);
  return 0;
}

static struct url ok(enum url_form form, const char *text) {
  struct url u;
  enum url_problem p = url_parse(A, form, text, &u);
  if (p != URL_OK)
    fail_msg("%s: %s", text, url_problem_text(p));
  return u;
}

static void refused(enum url_form form, const char *text, enum url_problem want) {
  struct url u;
  enum url_problem p = url_parse(A, form, text, &u);
  if (p != want)
    fail_msg("%s: got \"%s\", want \"%s\"", text, url_problem_text(p), url_problem_text(want));
}

static void test_http_parts(void **state) {
  (void)state;
  struct url u = ok(URL_FORM_HTTP, "https://Search.ACME.internal:9243/base?x=1&y=%2F");
  assert_int_equal(u.vendor, URL_HTTP);
  assert_true(u.tls);
  assert_string_equal(u.host, "search.acme.internal");
  assert_int_equal(u.port, 9243);
  assert_int_equal(url_port(&u), 9243);
  assert_string_equal(u.path, "/base");
  assert_string_equal(u.query, "x=1&y=%2F");
  u = ok(URL_FORM_HTTP, "http://es");
  assert_int_equal(u.port, 0);
  assert_int_equal(url_port(&u), 80);
  assert_string_equal(url_protocol(&u), "http");
  assert_null(u.query);
  assert_int_equal(url_port(&(struct url){.tls = true}), 443);
  u = ok(URL_FORM_HTTP, "http://10.0.0.7:9200/");
  assert_string_equal(u.host, "10.0.0.7");
  assert_string_equal(u.path, "/");
}

static void test_ipv6(void **state) {
  (void)state;
  struct url u = ok(URL_FORM_HTTP, "http://[fd00::7]:9200");
  assert_true(u.ipv6);
  assert_string_equal(u.host, "fd00::7");
  assert_string_equal(url_host_text(A, &u), "[fd00::7]");
  assert_int_equal(u.port, 9200);
  ok(URL_FORM_ORIGIN, "https://[::1]");
  refused(URL_FORM_HTTP, "http://fd00::7/", URL_PORT);        /* unbracketed */
  refused(URL_FORM_HTTP, "http://[fd00::7/", URL_HOST);       /* unclosed */
  refused(URL_FORM_HTTP, "http://[nothex::g]/", URL_HOST);
  refused(URL_FORM_HTTP, "http://[10.0.0.1]/", URL_HOST);     /* IPv4 in brackets */
  refused(URL_FORM_HTTP, "http://[::1]x/", URL_HOST);         /* junk after the bracket */
  refused(URL_FORM_HTTP, "http://[::1]:/", URL_PORT);
}

static void test_ports(void **state) {
  (void)state;
  ok(URL_FORM_HTTP, "http://h:1");
  ok(URL_FORM_HTTP, "http://h:65535");
  refused(URL_FORM_HTTP, "http://h:0", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:65536", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:-1", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:+80", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:80x", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:0x50", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:80:81", URL_PORT);
  refused(URL_FORM_HTTP, "http://h:000080", URL_PORT);
  /* far beyond 64 bits: refused, not overflowed */
  char huge[600] = "https://search.acme.internal:";
  memset(huge + strlen(huge), '9', 500);
  huge[529] = '\0';
  refused(URL_FORM_HTTP, huge, URL_PORT);
  refused(URL_FORM_HTTP, "https://h:99999999999999999999999999/x", URL_PORT);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:99999999999999999999/x", URL_PORT);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:54x32/x", URL_PORT);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:@db:15210000000000000000:SID", URL_PORT);
}

static void test_hosts_and_schemes(void **state) {
  (void)state;
  refused(URL_FORM_HTTP, "", URL_EMPTY);
  refused(URL_FORM_HTTP, "search.acme.internal:443", URL_SCHEME);
  refused(URL_FORM_HTTP, "ftp://h/", URL_SCHEME);
  refused(URL_FORM_HTTP, "https:/h", URL_SCHEME);
  refused(URL_FORM_HTTP, "https://", URL_HOST);
  refused(URL_FORM_HTTP, "https:///path", URL_HOST);
  refused(URL_FORM_HTTP, "https://:443", URL_HOST);
  refused(URL_FORM_HTTP, "https://-h.example", URL_HOST);
  refused(URL_FORM_HTTP, "https://h..example", URL_HOST);
  refused(URL_FORM_HTTP, "https://h_x.example", URL_HOST);
  refused(URL_FORM_HTTP, "https://h%41.example", URL_HOST);
  refused(URL_FORM_HTTP, "https://a,b", URL_HOSTS);
  refused(URL_FORM_JDBC, "jdbc:postgresql://a:5432,b:5432/db", URL_HOSTS);
}

static void test_characters(void **state) {
  (void)state;
  refused(URL_FORM_HTTP, "https://h/a b", URL_CHARACTER);
  refused(URL_FORM_HTTP, " https://h", URL_CHARACTER);
  refused(URL_FORM_HTTP, "https://h\n", URL_CHARACTER);
  refused(URL_FORM_HTTP, "https://h/\t", URL_CHARACTER);
  refused(URL_FORM_HTTP, "https://h/\x7f", URL_CHARACTER);
  refused(URL_FORM_HTTP, "https://h/caf\xc3\xa9", URL_CHARACTER);
  refused(URL_FORM_HTTP, "https://h/a\"b", URL_PATH);
  refused(URL_FORM_HTTP, "https://h/a<b>", URL_PATH);
  refused(URL_FORM_HTTP, "https://h/a\\b", URL_PATH);
  refused(URL_FORM_HTTP, "https://h/a%", URL_PERCENT);
  refused(URL_FORM_HTTP, "https://h/a%4", URL_PERCENT);
  refused(URL_FORM_HTTP, "https://h/a%zz", URL_PERCENT);
  refused(URL_FORM_HTTP, "https://h/?q=%G0", URL_PERCENT);
  ok(URL_FORM_HTTP, "https://h/a%20b/%C3%A9?x=%7B%7D");
  refused(URL_FORM_HTTP, "https://h/#top", URL_FRAGMENT);
  refused(URL_FORM_HTTP, "https://h#", URL_FRAGMENT);
  char big[URL_MAX_LEN + 32] = "https://h/";
  memset(big + 10, 'a', URL_MAX_LEN);
  big[URL_MAX_LEN + 10] = '\0';
  refused(URL_FORM_HTTP, big, URL_TOO_LONG);
}

static void test_credentials(void **state) {
  (void)state;
  refused(URL_FORM_HTTP, "https://elastic:hunter2@search.acme.internal:443", URL_CREDENTIALS);
  refused(URL_FORM_HTTP, "https://user@h", URL_CREDENTIALS);
  refused(URL_FORM_HTTP, "https://h/?user=a&Password=b", URL_CREDENTIALS);
  ok(URL_FORM_HTTP, "https://h/a@b");  /* an @ in the path is no userinfo */
  refused(URL_FORM_JDBC, "jdbc:postgresql://u:pw@db:5432/camunda", URL_CREDENTIALS);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:5432/camunda?user=u&password=pw", URL_CREDENTIALS);
  refused(URL_FORM_JDBC, "jdbc:mysql://u:pw@db/camunda", URL_CREDENTIALS);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:scott/tiger@db:1521/svc", URL_CREDENTIALS);
  refused(URL_FORM_JDBC, "jdbc:sqlserver://db:1433;databaseName=c;password=pw", URL_CREDENTIALS);
  refused(URL_FORM_JDBC, "jdbc:h2:file:./x;PASSWORD=pw", URL_CREDENTIALS);
}

static void test_forms(void **state) {
  (void)state;
  ok(URL_FORM_BASE, "https://login.acme.example/realms/camunda");
  refused(URL_FORM_BASE, "https://login.acme.example/realms?x=1", URL_QUERY);
  ok(URL_FORM_ORIGIN, "https://sso.acme.example:8443");
  refused(URL_FORM_ORIGIN, "https://sso.acme.example/auth", URL_PATH);
  refused(URL_FORM_ORIGIN, "https://sso.acme.example/", URL_PATH);
  refused(URL_FORM_HTTP, "jdbc:postgresql://db/x", URL_SCHEME);
  refused(URL_FORM_JDBC, "https://db/x", URL_SCHEME);
  struct url u = ok(URL_FORM_HTTP_OR_JDBC, "jdbc:postgresql://db/x");
  assert_int_equal(u.vendor, URL_POSTGRESQL);
  u = ok(URL_FORM_HTTP_OR_JDBC, "http://es:9200/?tls=false");
  assert_int_equal(u.vendor, URL_HTTP);
}

static void test_jdbc_vendors(void **state) {
  (void)state;
  struct url u = ok(URL_FORM_JDBC, "jdbc:postgresql://db.internal:5432/identity?ssl=true");
  assert_int_equal(u.vendor, URL_POSTGRESQL);
  assert_string_equal(u.host, "db.internal");
  assert_int_equal(u.port, 5432);
  assert_string_equal(u.path, "identity");
  assert_string_equal(u.query, "ssl=true");
  u = ok(URL_FORM_JDBC, "jdbc:postgresql://pg/camunda");
  assert_int_equal(url_port(&u), 5432);
  u = ok(URL_FORM_JDBC, "jdbc:aws-wrapper:postgresql://aurora.acme.internal:5432/camunda");
  assert_int_equal(u.vendor, URL_POSTGRESQL);
  assert_string_equal(u.scheme, "aws-wrapper:postgresql");
  u = ok(URL_FORM_JDBC, "jdbc:mysql://db.acme.internal/identity");
  assert_int_equal(u.vendor, URL_MYSQL);
  assert_int_equal(url_port(&u), 3306);
  u = ok(URL_FORM_JDBC, "jdbc:mariadb://db.acme.internal:3307/camunda");
  assert_int_equal(u.vendor, URL_MARIADB);
  assert_int_equal(url_port(&u), 3307);
  u = ok(URL_FORM_JDBC, "jdbc:oracle:thin:@db.acme.internal:1521/camunda");
  assert_int_equal(u.vendor, URL_ORACLE);
  assert_string_equal(u.host, "db.acme.internal");
  assert_int_equal(u.port, 1521);
  assert_string_equal(u.path, "camunda");
  u = ok(URL_FORM_JDBC, "jdbc:oracle:thin:@db:1521:ORCL");
  assert_string_equal(u.path, "ORCL");
  u = ok(URL_FORM_JDBC, "jdbc:oracle:thin:@//db.acme.internal/svc");
  assert_int_equal(url_port(&u), 1521);
  assert_string_equal(u.path, "svc");
  u = ok(URL_FORM_JDBC, "jdbc:sqlserver://sql.acme.internal:1433;databaseName=camunda;encrypt=true");
  assert_int_equal(u.vendor, URL_SQLSERVER);
  assert_string_equal(u.host, "sql.acme.internal");
  assert_string_equal(u.path, "camunda");
  u = ok(URL_FORM_JDBC, "jdbc:sqlserver://sql\\inst:1500;database=c");
  assert_string_equal(u.host, "sql");
  assert_int_equal(u.port, 1500);
  u = ok(URL_FORM_JDBC, "jdbc:h2:file:./camunda-data/h2db");
  assert_int_equal(u.vendor, URL_H2);
  assert_null(u.host);
  assert_int_equal(url_port(&u), 0);
  assert_string_equal(u.path, "./camunda-data/h2db");
  ok(URL_FORM_JDBC, "jdbc:h2:mem:");
  ok(URL_FORM_JDBC, "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1");
  u = ok(URL_FORM_JDBC, "jdbc:h2:tcp://h2host:9101/data/x");
  assert_string_equal(u.host, "h2host");
  assert_string_equal(u.path, "data/x");
}

static void test_jdbc_malformed(void **state) {
  (void)state;
  refused(URL_FORM_JDBC, "jdbc:", URL_VENDOR);
  refused(URL_FORM_JDBC, "jdbc:x", URL_VENDOR);
  refused(URL_FORM_JDBC, "jdbc:db2://h/x", URL_VENDOR);
  refused(URL_FORM_JDBC, "jdbc:aws-wrapper:oracle:thin:@h:1/x", URL_VENDOR);
  refused(URL_FORM_JDBC, "postgresql://db/x", URL_SCHEME);
  refused(URL_FORM_JDBC, "jdbc:postgresql:camunda", URL_HOST);
  refused(URL_FORM_JDBC, "jdbc:postgresql://", URL_HOST);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:5432", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:5432/", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db:5432/?ssl=true", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db/a/b", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db/x#y", URL_FRAGMENT);
  refused(URL_FORM_JDBC, "jdbc:postgresql://db/x?a=%", URL_PERCENT);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h)))", URL_HOST);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:@db", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:@db:1521", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:oracle:thin:db:1521/x", URL_HOST);
  refused(URL_FORM_JDBC, "jdbc:sqlserver://sql:1433", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:sqlserver://sql:1433;encrypt=true", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:sqlserver:sql", URL_HOST);
  refused(URL_FORM_JDBC, "jdbc:h2:file:", URL_DATABASE);
  refused(URL_FORM_JDBC, "jdbc:h2:tcp://h2host", URL_DATABASE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_http_parts),   cmocka_unit_test(test_ipv6),
      cmocka_unit_test(test_ports),        cmocka_unit_test(test_hosts_and_schemes),
      cmocka_unit_test(test_characters),   cmocka_unit_test(test_credentials),
      cmocka_unit_test(test_forms),        cmocka_unit_test(test_jdbc_vendors),
      cmocka_unit_test(test_jdbc_malformed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
