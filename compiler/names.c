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
  }
  return false;
}

const char *name_grammar(enum name_kind kind) {
  switch (kind) {
  case NAME_ENV:
    return "an environment name is a directory of the output: 1 to 63 lowercase letters, digits and '-', "
           "starting and ending with a letter or digit";
  case NAME_DNS_LABEL:
    return "a Kubernetes name (DNS-1123 label): 1 to 63 lowercase letters, digits and '-', "
           "starting and ending with a letter or digit";
  case NAME_RELEASE:
    return "a Helm release name: 1 to 53 lowercase letters, digits and '-', "
           "starting and ending with a letter or digit";
  case NAME_DNS_SUBDOMAIN:
    return "a Kubernetes object name (DNS-1123 subdomain): lowercase letters, digits, '-' and '.', "
           "at most 253, each part between dots starting and ending with a letter or digit";
  case NAME_SECRET_KEY:
    return "a Secret key: 1 to 253 letters, digits, '-', '_' and '.', not \".\" and not starting with \"..\"";
  case NAME_HOST:
    return "a host name: lowercase letters, digits, '-' and '.', at most 253, each part between dots "
           "1 to 63 long, starting and ending with a letter or digit (no scheme, port, path or space)";
  case NAME_INGRESS_HOST:
    return "an Ingress host: a host name (lowercase letters, digits, '-' and '.'), or *. and a host name; "
           "no scheme, port, path or space";
  case NAME_HOST_OR_IP:
    return "a host name (letters, digits, '-' and '.'), an IPv4 address or an IPv6 address; "
           "no scheme, port, path or space";
  case NAME_FILE:
    return "a file name: 1 to 255 letters, digits, '-', '_' and '.', not \".\" or \"..\"";
  case NAME_ENV_VAR:
    return "an environment variable name: letters, digits and '_', not starting with a digit";
  }
  return "";
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
