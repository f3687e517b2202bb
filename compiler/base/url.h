/* url.h - the one parser of the URLs an estate gives.
 *
 * Every URL a backend or a rule takes apart goes through url_parse: the
 * http(s) URLs of search stores, identity providers, Keycloak and S3
 * endpoints, and the JDBC URLs of the databases the model supports
 * (PostgreSQL, also through Amazon's aws-wrapper, MySQL, MariaDB, Oracle,
 * SQL Server and H2).  The parser is bounded (a URL has at most
 * URL_MAX_LEN bytes; a port is 1 to 5 digits, 1 to 65535, read without
 * overflow), refuses blanks, control characters and bytes outside ASCII,
 * malformed percent-encoding and trailing junk, and refuses credentials:
 * a user:password@ or a password parameter is a secret in clear, which
 * belongs in the username and password fields, as a secret().
 *
 * Lowering checks every URL field with it (model.def names the form, and
 * model_formats.def gives its grammar in words), so the backends and the
 * rules parse only URLs that are known good.
 */
#ifndef CAMARCH_URL_H
#define CAMARCH_URL_H

#include <stdbool.h>

#include "arena.h"

#define URL_MAX_LEN 2048

/* What a field accepts. */
enum url_form {
  URL_FORM_HTTP,         /* http(s)://host[:port][/path][?query] */
  URL_FORM_BASE,         /* the same without a query: camarch appends paths to it */
  URL_FORM_ORIGIN,       /* http(s)://host[:port], no path: a context path is given apart */
  URL_FORM_JDBC,         /* jdbc:<vendor>:... */
  URL_FORM_HTTP_OR_JDBC, /* either: secondary storage, whose kind says which */
};

enum url_vendor {
  URL_HTTP,        /* http or https */
  URL_POSTGRESQL,  /* jdbc:postgresql://, jdbc:aws-wrapper:postgresql:// */
  URL_MYSQL,       /* jdbc:mysql://, jdbc:aws-wrapper:mysql:// */
  URL_MARIADB,     /* jdbc:mariadb:// */
  URL_ORACLE,      /* jdbc:oracle:thin:@... */
  URL_SQLSERVER,   /* jdbc:sqlserver:// */
  URL_H2,          /* jdbc:h2:... */
};

struct url {
  enum url_vendor vendor;
  const char *scheme;  /* "https", "postgresql", "aws-wrapper:postgresql", "oracle:thin", "h2:file" */
  bool tls;            /* https */
  const char *host;    /* a DNS name, IPv4 or IPv6 address (no brackets); NULL for H2 files and memory */
  bool ipv6;
  int port;            /* 0: the URL names none (see url_port) */
  const char *path;    /* http: "" or "/..."; JDBC: the database, service, SID or H2 path ("" if none) */
  const char *query;   /* http and JDBC parameters, without '?' or the first ';'; NULL if none */
};

enum url_problem {
  URL_OK,
  URL_EMPTY,
  URL_TOO_LONG,
  URL_CHARACTER,       /* a blank, a control character or a byte outside ASCII */
  URL_SCHEME,          /* not http:// or https:// (or not jdbc:) */
  URL_VENDOR,          /* a JDBC URL of a database the model does not know */
  URL_CREDENTIALS,     /* user:password@, or a password parameter */
  URL_HOST,            /* no host, or not a host name, IPv4 or [IPv6] address */
  URL_HOSTS,           /* several hosts */
  URL_PORT,            /* not 1 to 65535 */
  URL_PATH,            /* a character a path cannot hold, or a path where none belongs */
  URL_DATABASE,        /* a JDBC URL without its database (or service) */
  URL_QUERY,           /* a bad query, or a query where none belongs */
  URL_FRAGMENT,        /* a #fragment */
  URL_PERCENT,         /* % not followed by two hexadecimal digits */
};

/* Parses `text` as a URL of `form` into *u (its strings in the arena).
 * Returns URL_OK, or what is wrong; *u is then unspecified. */
enum url_problem url_parse(struct arena *a, enum url_form form, const char *text, struct url *u);
/* What is wrong, as the end of a sentence: "the port is not 1 to 65535". */
const char *url_problem_text(enum url_problem p);

/* The port the URL names, or its scheme's default (443, 80, 5432, 3306,
 * 1521, 1433, 9092); 0 for an H2 file or memory database. */
int url_port(const struct url *u);
/* "http" or "https". */
const char *url_protocol(const struct url *u);
/* The host as a URL or a host:port pair writes it: IPv6 in brackets. */
const char *url_host_text(struct arena *a, const struct url *u);

#endif
