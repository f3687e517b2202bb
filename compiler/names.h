/* names.h - what a string may be before it becomes a path, a Kubernetes
 * object name, a host name or a word of a printed command.
 *
 * Every value of the estate that camarch turns into a directory or file
 * name, a namespace, a release, a Secret's name or key, or a host is
 * checked here, against one explicit grammar per kind, so that no input
 * can name a path outside the output directory, break a generated command
 * or produce an object Kubernetes refuses.  name_grammar() gives the
 * grammar in words, for the help line of the error that refuses a value.
 */
#ifndef CAMARCH_NAMES_H
#define CAMARCH_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

enum name_kind {
  NAME_ENV,            /* an environment: a directory of the output (DNS-1123 label) */
  NAME_DNS_LABEL,      /* a Kubernetes namespace (DNS-1123 label, at most 63) */
  NAME_RELEASE,        /* a Helm release (DNS-1123 label, at most 53) */
  NAME_DNS_SUBDOMAIN,  /* a Kubernetes object: Secret, StorageClass (at most 253) */
  NAME_SECRET_KEY,     /* a key of a Kubernetes Secret: [-._a-zA-Z0-9]+ */
  NAME_HOST,           /* a DNS host name (lowercase labels, dots) */
  NAME_INGRESS_HOST,   /* a host name, or *.host-name: Kubernetes Ingress rules */
  NAME_HOST_OR_IP,     /* a host name, an IPv4 address or an IPv6 address */
  NAME_FILE,           /* one path segment: [A-Za-z0-9._-]+, not "." or ".." */
  NAME_ENV_VAR,        /* an environment variable: [A-Za-z_][A-Za-z0-9_]* */
  NAME_ENV_KEY,        /* a container's environment variable (Kubernetes): [-._A-Za-z][-._A-Za-z0-9]* */
  NAME_ANNOTATION_KEY, /* a Kubernetes annotation key: [DNS-subdomain/]name */
  NAME_IP,             /* an IPv4 or IPv6 address */
  NAME_LABEL,          /* a block label that names a file and an inventory entry (hosts, regions, clients) */
  NAME_USER_ID,        /* a Camunda user id: [A-Za-z0-9_~@.+-]{1,256} */
  NAME_UNIX_USER,      /* a Unix user name useradd accepts: [a-z_][a-z0-9_-]{0,31} */
  NAME_ABS_PATH,       /* an absolute path of file-name segments, no "." or ".." */
  NAME_URL_PATH,       /* a URL path: "/" or "/" and segments of [A-Za-z0-9._~-] */
  NAME_EMAIL,          /* an e-mail address: local part @ host name */
  NAME_VERSION,        /* a version: [A-Za-z0-9][A-Za-z0-9._-]{0,127} */
  NAME_IMAGE_REGISTRY, /* host[:port][/path] of a container registry */
  NAME_IMAGE_REPOSITORY, /* repository path components of an image reference */
  NAME_IMAGE_TAG,      /* an image tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
  NAME_IMAGE_DIGEST,   /* sha256:<64 hex> or sha512:<128 hex> */
};

/* Whether `s` belongs to the grammar of `kind`. */
bool name_valid(enum name_kind kind, const char *s);
/* The grammar in words: "lowercase letters, digits and '-', ...". */
const char *name_grammar(enum name_kind kind);

bool name_is_ipv4(const char *s);
bool name_is_ipv6(const char *s);
/* The n bytes at s as a port: 1 to 5 digits, 1 to 65535, read without
 * overflow; false for anything else. */
bool name_port(const char *s, size_t n, int *port);

/* `s` as one word of a POSIX shell command: unchanged when it holds only
 * characters no shell treats specially, else in single quotes. */
const char *name_shell_word(struct arena *a, const char *s);

#endif
