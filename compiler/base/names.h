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
#define NAME(kind, grammar) NAME_##kind,
#include "names.def"
#undef NAME
};

/* Whether `s` belongs to the grammar of `kind`. */
bool name_valid(enum name_kind kind, const char *s);
/* The grammar in words (names.def): "1 to 63 lowercase letters, ...". */
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
