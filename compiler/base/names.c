/* names.c - the grammars of names that become paths, objects and hosts. */
#include "names.h"

#include <arpa/inet.h>
#include <string.h>

static bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

/* One DNS label of n bytes: alphanumerics and '-', not at either end. */
static bool dns_label(const char *s, size_t n, bool any_case) {
  if (n == 0 || n > 63)
    return false;
  for (size_t i = 0; i < n; i++) {
    bool ok = any_case ? alnum(s[i]) : lower_alnum(s[i]);
    if (!ok && !(s[i] == '-' && i > 0 && i + 1 < n))
      return false;
  }
  return true;
}

/* Labels joined by dots, at most `max` bytes in all. */
static bool dns_name(const char *s, size_t max, bool any_case) {
  size_t len = strlen(s);
  if (len == 0 || len > max)
    return false;
  for (const char *p = s;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (!dns_label(p, n, any_case))
      return false;
    if (!dot)
      return true;
    p = dot + 1;
  }
}

bool name_is_ipv4(const char *s) {
  unsigned char buf[sizeof(struct in_addr)];
  return inet_pton(AF_INET, s, buf) == 1;
}

bool name_is_ipv6(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET6, s, buf) == 1;
}

bool name_port(const char *s, size_t n, int *port) {
  if (n == 0 || n > 5)
    return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v < 1 || v > 65535)
    return false;
  if (port)
    *port = v;
  return true;
}

/* Every byte of s[0..n) is in `set` or alphanumeric. */
static bool only(const char *s, size_t n, const char *set) {
  for (size_t i = 0; i < n; i++)
    if (!alnum(s[i]) && (!s[i] || !strchr(set, s[i])))
      return false;
  return true;
}

/* One path component of an image repository: [a-z0-9]+ joined by '.',
 * '_', "__" or runs of '-' (the distribution reference grammar). */
static bool repo_component(const char *s, size_t n) {
  for (size_t i = 0;;) {
    size_t run = i;
    while (i < n && lower_alnum(s[i]))
      i++;
    if (i == run)
      return false;
    if (i == n)
      return true;
    if (s[i] == '.')
      i++;
    else if (s[i] == '_')
      i += i + 1 < n && s[i + 1] == '_' ? 2 : 1;
    else if (s[i] == '-')
      while (i < n && s[i] == '-')
        i++;
    else
      return false;
  }
}

/* Components joined by '/', each satisfying `ok`. */
static bool path_of(const char *s, bool (*ok)(const char *, size_t)) {
  for (const char *p = s;;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (!ok(p, n))
      return false;
    if (!slash)
      return true;
    p = slash + 1;
  }
}

static bool file_segment(const char *s, size_t n) {
  return n > 0 && n <= 255 && only(s, n, "-._") && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static bool url_segment(const char *s, size_t n) {
  return n > 0 && only(s, n, "-._~") && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

/* host[:port][/path]: a registry, optionally with a path prefix. */
static bool registry(const char *s) {
  size_t n = strcspn(s, ":/");
  char host[254];
  if (n == 0 || n >= sizeof host)
    return false;
  memcpy(host, s, n);
  host[n] = '\0';
  if (!dns_name(host, 253, true))
    return false;
  const char *p = s + n;
  if (*p == ':') {
    size_t d = strcspn(p + 1, "/");
    if (!name_port(p + 1, d, NULL))
      return false;
    p += 1 + d;
  }
  return *p == '\0' || (*p == '/' && path_of(p + 1, repo_component));
}

/* local@domain, the local part of RFC 5322's atext and inner dots. */
static bool email(const char *s) {
  const char *at = strrchr(s, '@');
  if (!at)
    return false;
  size_t n = (size_t)(at - s);
  if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.' || strstr(s, "..") || !only(s, n, "!#$%&'*+/=?^_`{|}~.-"))
    return false;
  return dns_name(at + 1, 253, true);
}

static bool hex(const char *s, size_t n) {
  if (strlen(s) != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* [prefix/]name: the prefix a DNS subdomain, the name 1 to 63 letters,
 * digits, '-', '_' and '.', starting and ending with a letter or digit. */
static bool annotation_key(const char *s) {
  const char *slash = strchr(s, '/');
  const char *name = slash ? slash + 1 : s;
  if (slash) {
    size_t n = (size_t)(slash - s);
    char prefix[254];
    if (n == 0 || n >= sizeof prefix)
      return false;
    memcpy(prefix, s, n);
    prefix[n] = '\0';
    if (!dns_name(prefix, 253, false))
      return false;
  }
  size_t n = strlen(name);
  return n > 0 && n <= 63 && alnum(name[0]) && alnum(name[n - 1]) && only(name, n, "-_.");
}

bool name_valid(enum name_kind kind, const char *s) {
  if (!s)
    return false;
  size_t len = strlen(s);
  switch (kind) {
  case NAME_ENV:
  case NAME_DNS_LABEL:
    return dns_label(s, len, false);
  case NAME_RELEASE:
    return len <= 53 && dns_label(s, len, false);
  case NAME_DNS_SUBDOMAIN:
  case NAME_HOST:
    return dns_name(s, 253, false);
  case NAME_INGRESS_HOST:
    return dns_name(strncmp(s, "*.", 2) == 0 ? s + 2 : s, 253, false);
  case NAME_HOST_OR_IP:
    return dns_name(s, 253, true) || name_is_ipv4(s) || name_is_ipv6(s);
  case NAME_SECRET_KEY:  /* as Kubernetes checks a Secret's keys: no ".", "..", or "..x" */
    if (len == 0 || len > 253 || strcmp(s, ".") == 0 || strncmp(s, "..", 2) == 0)
      return false;
    for (size_t i = 0; i < len; i++)
      if (!alnum(s[i]) && !strchr("-._", s[i]))
        return false;
    return true;
  case NAME_FILE:
    if (len == 0 || len > 255 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
      return false;
    for (size_t i = 0; i < len; i++)
      if (!alnum(s[i]) && !strchr("-._", s[i]))
        return false;
    return true;
  case NAME_ENV_VAR:
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
      return false;
    for (size_t i = 0; i < len; i++)
      if (!alnum(s[i]) && s[i] != '_')
        return false;
    return true;
  case NAME_ENV_KEY:
    return len > 0 && len <= 1024 && !(s[0] >= '0' && s[0] <= '9') && only(s, len, "-._");
  case NAME_ANNOTATION_KEY:
    return annotation_key(s);
  case NAME_IP:
    return name_is_ipv4(s) || name_is_ipv6(s);
  case NAME_LABEL:
    return len > 0 && len <= 63 && alnum(s[0]) && only(s, len, "-._");
  case NAME_USER_ID:
    return len > 0 && len <= 256 && only(s, len, "_~@.+-");
  case NAME_UNIX_USER:
    return len > 0 && len <= 32 && (lower_alnum(s[0]) || s[0] == '_') && !(s[0] >= '0' && s[0] <= '9') &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
  case NAME_ABS_PATH:
    return len > 1 && len <= 4096 && s[0] == '/' && path_of(s + 1, file_segment);
  case NAME_URL_PATH:
    return strcmp(s, "/") == 0 || (len > 1 && len <= 1024 && s[0] == '/' && path_of(s + 1, url_segment));
  case NAME_EMAIL:
    return len <= 254 && email(s);
  case NAME_VERSION:
    return len > 0 && len <= 128 && alnum(s[0]) && only(s, len, "._-");
  case NAME_IMAGE_REGISTRY:
    return len <= 255 && registry(s);
  case NAME_IMAGE_REPOSITORY:
    return len > 0 && len <= 255 && path_of(s, repo_component);
  case NAME_IMAGE_TAG:
    return len > 0 && len <= 128 && (alnum(s[0]) || s[0] == '_') && only(s, len, "_.-");
  case NAME_IMAGE_DIGEST:
    return (strncmp(s, "sha256:", 7) == 0 && hex(s + 7, 64)) || (strncmp(s, "sha512:", 7) == 0 && hex(s + 7, 128));
  }
  return false;
}

const char *name_grammar(enum name_kind kind) {
  static const char *const grammars[] = {
#define NAME(kind, grammar) grammar,
#include "names.def"
#undef NAME
  };
  return (size_t)kind < sizeof grammars / sizeof grammars[0] ? grammars[kind] : "";
}

const char *name_shell_word(struct arena *a, const char *s) {
  bool plain = *s != '\0';
  for (const char *p = s; *p && plain; p++)
    plain = alnum(*p) || strchr("_@%+=:,./-", *p);
  if (plain)
    return s;
  struct buf b = {0};
  buf_puts(&b, "'");
  for (const char *p = s; *p; p++)
    buf_puts(&b, *p == '\'' ? "'\\''" : (char[2]){*p, '\0'});
  buf_puts(&b, "'");
  const char *out = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return out;
}
