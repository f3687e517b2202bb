/* fuzz_readback.c - libFuzzer target for what camarch parses besides the
 * estate: the URLs of the estate, the secrets.env a user edited, and the
 * manifests an output directory holds (which anyone may have forged).
 *
 *   ./build-fuzz/tests/fuzz_readback -dict=build-fuzz/tests/camarch-fuzz.dict tests/fuzz/seeds/fuzz_readback
 *
 * The first byte of an input picks the parser, the rest is its text:
 *   'u' url_parse in every form; a URL it accepts must have the parts it
 *       promises (a host unless H2, a port of 0..65535, no control bytes);
 *   's' compose_secrets_text with the text as the previous secrets file,
 *       for a project with secrets of every kind; the file it writes must
 *       read back to itself (a later build keeps every value);
 *   'm' outputs_commit into a fresh directory under /dev/shm whose
 *       environment already holds files, links leading out of it and the
 *       text as its manifest; no file outside the environment's directory
 *       may change, and a commit that succeeds writes every file of the
 *       build.
 * Any other first byte is taken as 'u'.  A broken property aborts, which
 * libFuzzer reports as a crash.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose/compose_int.h"
#include "output.h"
#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "fuzz_readback: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                             \
    }                                                                      \
  } while (0)

static bool clean(const char *s) {
  for (; s && *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return false;
  return true;
}

static void fuzz_url(struct arena *a, const char *text) {
  static const enum url_form forms[] = {URL_FORM_HTTP, URL_FORM_BASE, URL_FORM_ORIGIN, URL_FORM_JDBC,
                                        URL_FORM_HTTP_OR_JDBC};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    struct url u;
    enum url_problem p = url_parse(a, forms[i], text, &u);
    CHECK(url_problem_text(p) != NULL);
    if (p != URL_OK)
      continue;
    CHECK(u.vendor == URL_H2 || u.host);
    CHECK(u.port >= 0 && u.port <= 65535);
    CHECK(url_port(&u) >= 0 && url_port(&u) <= 65535);
    CHECK(clean(u.host) && clean(u.path) && clean(u.query) && clean(u.scheme));
    CHECK(url_protocol(&u) != NULL);
    CHECK(u.vendor == URL_H2 || clean(url_host_text(a, &u)));
  }
}

/* A Compose project with secrets of each kind: derived names, a fixed
 * name, a value of the project, and names that need a hash. */
static void fuzz_secrets(struct arena *a, const char *text, size_t len) {
  struct model m = {.env = "dev", .root_path = "estate.camarch"};
  struct diags d;
  diags_init(&d, a);
  struct compose c;
  compose_init(&c, a, &m, &d);
  static const char *const secrets[][2] = {
      {"oidc-clients", "orchestration"}, {"oidc-clients", "connectors"}, {"db", "password"},
      {"app.b", "KEY"}, {"x--y", "z"}, {"camunda-license", "key"},
  };
  struct m_secstr lic = {.secret = "camunda-license", .key = "key", .set = true};
  compose_reserve(&c, &lic, "key", "CAMUNDA_LICENSE_KEY", "every service: the license");
  for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
    struct m_secstr s = {.secret = secrets[i][0], .key = secrets[i][1], .set = true};
    compose_secret_var(&c, NULL, &s, "password", "a use");
  }
  compose_own_secret(&c, y_map(a), "WEBSOCKETS_SECRET", "the WebSockets secret", "any random text", "web modeler");
  struct buf prev = {0}, once = {0}, twice = {0};
  buf_append(&prev, text, len);
  compose_secrets_text(&c, &prev, &once);
  compose_secrets_text(&c, &once, &twice);
  CHECK(once.len == twice.len && memcmp(once.data, twice.data, once.len) == 0);
  buf_free(&prev);
  buf_free(&once);
  buf_free(&twice);
}

static void put(const char *path, const char *text, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, text, len) == (ssize_t)len);
  close(fd);
}

static bool same_file(const char *path, const char *text) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

static void rm_tree(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    unlink(path);
    return;
  }
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    struct stat st;
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      rm_tree(sub);
    else
      unlink(sub);
  }
  closedir(d);
  rmdir(path);
}

/* A sandbox: canary files beside and above the output root, an earlier
 * build's files and the fuzzed manifest; then a commit of a new build. */
static void fuzz_manifest(struct arena *a, const char *text, size_t len) {
  char top[] = "/dev/shm/camarch-fuzz-XXXXXX";
  if (!mkdtemp(top))
    return;
  char path[4096];
  /* what lies outside out/dev is not camarch's to touch, whatever the manifest lists */
  static const char *const canaries[] = {"canary", "out/canary", "keep/values.yaml", "keep/stale.yaml"};
  mkdir(arena_printf(a, "%s/out", top), 0755);
  mkdir(arena_printf(a, "%s/out/dev", top), 0755);
  mkdir(arena_printf(a, "%s/out/dev/config", top), 0755);
  mkdir(arena_printf(a, "%s/keep", top), 0755);
  for (size_t i = 0; i < sizeof canaries / sizeof canaries[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", top, canaries[i]);
    put(path, "canary", 6);
  }
  put(arena_printf(a, "%s/out/dev/values.yaml", top), "old", 3);
  put(arena_printf(a, "%s/out/dev/config/a.yaml", top), "old", 3);
  put(arena_printf(a, "%s/out/dev/stale.yaml", top), "old", 3);
  put(arena_printf(a, "%s/out/dev/.camarch-manifest", top), text, len);
  CHECK(symlink("../../keep", arena_printf(a, "%s/out/dev/link", top)) == 0);
  CHECK(symlink("../canary", arena_printf(a, "%s/out/dev/canary.yaml", top)) == 0);
  struct outputs o;
  outputs_init(&o, a);
  o.root = arena_printf(a, "%s/out", top);
  static const char *const files[] = {"values.yaml", "config/a.yaml", "README.md"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    struct buf b = {0};
    buf_puts(&b, "new");
    outputs_add(&o, "dev", files[i], &b, 0644);
  }
  struct commit_report rep;
  char *err = NULL;
  bool ok = outputs_commit(&o, false, &rep, &err);
  free(err);
  for (size_t i = 0; i < sizeof canaries / sizeof canaries[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", top, canaries[i]);
    CHECK(same_file(path, "canary"));
  }
  if (ok)
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
      CHECK(same_file(arena_printf(a, "%s/out/dev/%s", top, files[i]), "new"));
  outputs_free(&o);
  rm_tree(top);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct arena *a = arena_new();
  char mode = size ? (char)data[0] : 'u';
  const char *rest = size ? (const char *)data + 1 : "";
  size_t len = size ? size - 1 : 0;
  char *text = arena_strndup(a, rest, len);  /* parsers of C strings see up to a NUL, as camarch's do */
  if (mode == 's')
    fuzz_secrets(a, rest, len);
  else if (mode == 'm')
    fuzz_manifest(a, rest, len);
  else
    fuzz_url(a, text);
  arena_free(a);
  return 0;
}
