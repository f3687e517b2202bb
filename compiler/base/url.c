/* url.c - the one parser of http(s) and JDBC URLs (see url.h).
 *
 * A hand-written scanner over at most URL_MAX_LEN bytes: first the whole
 * text is checked for characters no URL holds, then the scheme picks the
 * grammar, and each part (host, port, path, query) is cut at its
 * delimiter and checked on its own.  Hosts are checked by names.h; nothing
 * here reads past the terminating NUL or accumulates an unbounded number.
 *
 *   http(s)://host[:port][/path][?query]          RFC 3986, without userinfo or fragment
 *   jdbc:postgresql://host[:port]/database[?k=v&...]   also jdbc:aws-wrapper:postgresql://
 *   jdbc:mysql://host[:port]/database[?...]       also jdbc:aws-wrapper:mysql://
 *   jdbc:mariadb://host[:port]/database[?...]
 *   jdbc:oracle:thin:@host:port:SID, @host[:port]/service, @//host[:port]/service
 *   jdbc:sqlserver://host[\instance][:port][;key=value...]   databaseName=... names the database
 *   jdbc:h2:mem:name, jdbc:h2:file:path, jdbc:h2:tcp://host[:port]/path, jdbc:h2:path  [;KEY=value...]
 */
#include "url.h"

#include <string.h>

#include "names.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* RFC 3986 unreserved and sub-delims, and the two pchar extras. */
static bool pchar(char c) { return is_alpha(c) || is_digit(c) || (c && strchr("-._~!$&'()*+,;=:@", c)); }

/* Every byte of s[0..n) is a pchar, one of `extra`, or a well-formed %HH. */
static enum url_problem chars(const char *s, size_t n, const char *extra, enum url_problem bad) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%') {
      if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
        return URL_PERCENT;
      i += 2;
    } else if (!pchar(s[i]) && !(extra && strchr(extra, s[i]))) {
      return bad;
    }
  }
  return URL_OK;
}

/* Case-insensitive prefix. */
static bool prefix(const char *s, const char *p) {
  for (; *p; s++, p++)
    if (lower(*s) != *p)
      return false;
  return true;
}

/* A parameter list (k=v joined by `sep`) names a password: a secret in clear. */
static bool has_password(const char *s, size_t n, char sep) {
  for (size_t i = 0; i < n;) {
    size_t end = i;
    while (end < n && s[end] != sep)
      end++;
    size_t k = i;
    while (k < end && s[k] != '=')
      k++;
    static const char *const names[] = {"password", "pwd", "passwd"};
    for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
      size_t len = strlen(names[j]);
      if (k - i == len && prefix(s + i, names[j]))
        return true;
    }
    i = end + 1;
  }
  return false;
}

/* host[:port] at s[0..n): a DNS name or IPv4 address, or [IPv6]. */
static enum url_problem host_port(struct arena *a, const char *s, size_t n, struct url *u) {
  if (memchr(s, '@', n))
    return URL_CREDENTIALS;
  if (memchr(s, ',', n))
    return URL_HOSTS;
  size_t h;  /* bytes of the host, brackets included */
  if (n && s[0] == '[') {
    const char *close = memchr(s, ']', n);
    if (!close)
      return URL_HOST;
    h = (size_t)(close - s) + 1;
    char *ip = arena_strndup(a, s + 1, h - 2);
    if (!name_is_ipv6(ip))
      return URL_HOST;
    u->host = ip;
    u->ipv6 = true;
  } else {
    const char *colon = memchr(s, ':', n);
    h = colon ? (size_t)(colon - s) : n;
    char *host = arena_strndup(a, s, h);
    if (h == 0 || !name_valid(NAME_HOST_OR_IP, host) || name_is_ipv6(host))
      return URL_HOST;
    for (char *p = host; *p; p++)
      *p = lower(*p);
    u->host = host;
  }
  if (h == n)
    return URL_OK;
  if (s[h] != ':' || !name_port(s + h + 1, n - h - 1, &u->port))
    return s[h] == ':' ? URL_PORT : URL_HOST;
  return URL_OK;
}

/* The rest of a URL from p: ?query (parameters without a password), then
 * nothing, or a refused #fragment. */
static enum url_problem query(struct arena *a, const char *p, struct url *u) {
  if (*p == '?') {
    size_t q = strcspn(p + 1, "#");
    enum url_problem r = chars(p + 1, q, "/?", URL_QUERY);
    if (r != URL_OK)
      return r;
    if (has_password(p + 1, q, '&'))
      return URL_CREDENTIALS;
    u->query = arena_strndup(a, p + 1, q);
    p += 1 + q;
  }
  return *p == '#' ? URL_FRAGMENT : URL_OK;
}
/* http(s)://host[:port][/path][?query] */
static enum url_problem parse_http(struct arena *a, enum url_form form, const char *s, struct url *u) {
  if (prefix(s, "https://"))
    u->tls = true;
  else if (!prefix(s, "http://"))
    return URL_SCHEME;
  u->vendor = URL_HTTP;
  u->scheme = u->tls ? "https" : "http";
  const char *p = s + (u->tls ? 8 : 7);
  size_t auth = strcspn(p, "/?#");
  enum url_problem r = host_port(a, p, auth, u);
  if (r != URL_OK)
    return r;
  p += auth;
  size_t path = strcspn(p, "?#");
  if ((r = chars(p, path, "/", URL_PATH)) != URL_OK)
    return r;
  u->path = arena_strndup(a, p, path);
  p += path;
  if (form == URL_FORM_ORIGIN && path)
    return URL_PATH;
  if (*p == '?' && form != URL_FORM_HTTP && form != URL_FORM_HTTP_OR_JDBC)
    return URL_QUERY;
  return query(a, p, u);
}

/* //host[:port]/database[?query]: PostgreSQL, MySQL and MariaDB. */
static enum url_problem parse_network(struct arena *a, const char *p, struct url *u) {
  if (strncmp(p, "//", 2) != 0)
    return URL_HOST;
  p += 2;
  size_t auth = strcspn(p, "/?#");
  enum url_problem r = host_port(a, p, auth, u);
  if (r != URL_OK)
    return r;
  p += auth;
  if (*p != '/' || p[1] == '\0' || p[1] == '?')
    return URL_DATABASE;
  p++;
  size_t db = strcspn(p, "?#");
  if ((r = chars(p, db, NULL, URL_DATABASE)) != URL_OK)
    return r;
  u->path = arena_strndup(a, p, db);
  p += db;
  return query(a, p, u);
}

/* @host:port:SID, @host[:port]/service, @//host[:port]/service */
static enum url_problem parse_oracle(struct arena *a, const char *p, struct url *u) {
  if (*p != '@')
    return strchr(p, '@') ? URL_CREDENTIALS : URL_HOST;
  p++;
  if (*p == '(')
    return URL_HOST;  /* a TNS descriptor: camarch reads host, port and service */
  if (strncmp(p, "//", 2) == 0)
    p += 2;
  size_t auth;
  if (*p == '[') {
    const char *close = strchr(p, ']');
    auth = close ? (size_t)(close - p) + 1 : strlen(p);
  } else {
    auth = strcspn(p, ":/?");
  }
  /* host, then :port, then :SID or /service */
  const char *rest = p + auth;
  size_t port = *rest == ':' ? 1 + strcspn(rest + 1, ":/?") : 0;
  enum url_problem r = host_port(a, p, auth + port, u);
  if (r != URL_OK)
    return r;
  rest += port;
  if ((*rest != ':' && *rest != '/') || rest[1] == '\0')
    return URL_DATABASE;
  rest++;
  size_t db = strcspn(rest, "?");
  if ((r = chars(rest, db, NULL, URL_DATABASE)) != URL_OK)
    return r;
  u->path = arena_strndup(a, rest, db);
  rest += db;
  if (*rest == '?') {
    if ((r = chars(rest + 1, strlen(rest + 1), "/?", URL_QUERY)) != URL_OK)
      return r;
    if (has_password(rest + 1, strlen(rest + 1), '&'))
      return URL_CREDENTIALS;
    u->query = arena_strdup(a, rest + 1);
  }
  return URL_OK;
}

/* //host[\instance][:port][;key=value...]; databaseName= names the database. */
static enum url_problem parse_sqlserver(struct arena *a, const char *p, struct url *u) {
  if (strncmp(p, "//", 2) != 0)
    return URL_HOST;
  p += 2;
  size_t auth = strcspn(p, ";");
  size_t inst = strcspn(p, "\\;");
  size_t host = inst < auth ? inst : auth;
  char *hp = arena_strndup(a, p, auth);
  if (inst < auth) {  /* host\instance[:port]: drop the instance name */
    const char *after = p + inst + 1;
    size_t name = strcspn(after, ":;");
    if (name == 0 || chars(after, name, NULL, URL_HOST) != URL_OK)
      return URL_HOST;
    hp = arena_printf(a, "%.*s%.*s", (int)host, p, (int)(auth - inst - 1 - name), after + name);
  }
  enum url_problem r = host_port(a, hp, strlen(hp), u);
  if (r != URL_OK)
    return r;
  p += auth;
  u->path = "";
  if (*p != ';')
    return *p ? URL_QUERY : URL_DATABASE;
  const char *props = p + 1;
  if ((r = chars(props, strlen(props), NULL, URL_QUERY)) != URL_OK)
    return r;
  if (has_password(props, strlen(props), ';'))
    return URL_CREDENTIALS;
  u->query = arena_strdup(a, props);
  for (const char *q = props; *q;) {
    size_t n = strcspn(q, ";");
    if (prefix(q, "databasename=") || prefix(q, "database="))
      u->path = arena_strndup(a, strchr(q, '=') + 1, n - (size_t)(strchr(q, '=') + 1 - q));
    q += n + (q[n] == ';');
  }
  return *u->path ? URL_OK : URL_DATABASE;
}

/* mem:name, file:path, tcp://host[:port]/path, ssl://..., or a path. */
static enum url_problem parse_h2(struct arena *a, const char *p, struct url *u) {
  size_t body = strcspn(p, ";");
  enum url_problem r;
  if (prefix(p, "tcp://") || prefix(p, "ssl://")) {
    u->scheme = prefix(p, "tcp://") ? "h2:tcp" : "h2:ssl";
    p += 6;
    body -= 6;
    size_t auth = strcspn(p, "/;");
    if ((r = host_port(a, p, auth, u)) != URL_OK)
      return r;
    if (p[auth] != '/' || auth + 1 >= body)
      return URL_DATABASE;
    p += auth + 1;
    body -= auth + 1;
  } else if (prefix(p, "mem:") || prefix(p, "file:")) {
    size_t n = prefix(p, "mem:") ? 4 : 5;
    u->scheme = n == 4 ? "h2:mem" : "h2:file";
    p += n;
    body -= n;
  } else {
    u->scheme = "h2:file";
  }
  if (body == 0 && strcmp(u->scheme, "h2:mem") != 0)
    return URL_DATABASE;
  if ((r = chars(p, body, "/\\", URL_DATABASE)) != URL_OK)
    return r;
  u->path = arena_strndup(a, p, body);
  p += body;
  if (*p == ';') {
    if ((r = chars(p + 1, strlen(p + 1), NULL, URL_QUERY)) != URL_OK)
      return r;
    if (has_password(p + 1, strlen(p + 1), ';'))
      return URL_CREDENTIALS;
    u->query = arena_strdup(a, p + 1);
  }
  return URL_OK;
}

static enum url_problem parse_jdbc(struct arena *a, const char *s, struct url *u) {
  if (!prefix(s, "jdbc:"))
    return URL_SCHEME;
  const char *p = s + 5;
  bool wrapper = prefix(p, "aws-wrapper:");
  if (wrapper)
    p += 12;
  static const struct {
    const char *prefix, *scheme;
    enum url_vendor vendor;
    bool wrapped;  /* also behind aws-wrapper: */
  } vendors[] = {
      {"postgresql:", "postgresql", URL_POSTGRESQL, true}, {"mysql:", "mysql", URL_MYSQL, true},
      {"mariadb:", "mariadb", URL_MARIADB, false},         {"oracle:thin:", "oracle:thin", URL_ORACLE, false},
      {"sqlserver:", "sqlserver", URL_SQLSERVER, false},   {"h2:", "h2", URL_H2, false},
  };
  for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++) {
    if (!prefix(p, vendors[i].prefix) || (wrapper && !vendors[i].wrapped))
      continue;
    u->vendor = vendors[i].vendor;
    u->scheme = wrapper ? arena_printf(a, "aws-wrapper:%s", vendors[i].scheme) : vendors[i].scheme;
    p += strlen(vendors[i].prefix);
    switch (u->vendor) {
    case URL_ORACLE: return parse_oracle(a, p, u);
    case URL_SQLSERVER: return parse_sqlserver(a, p, u);
    case URL_H2: return parse_h2(a, p, u);
    default: return parse_network(a, p, u);
    }
  }
  return URL_VENDOR;
}

enum url_problem url_parse(struct arena *a, enum url_form form, const char *text, struct url *u) {
  *u = (struct url){.path = ""};
  if (!text || !*text)
    return URL_EMPTY;
  size_t n = strnlen(text, URL_MAX_LEN + 1);
  if (n > URL_MAX_LEN)
    return URL_TOO_LONG;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f)
      return URL_CHARACTER;
  switch (form) {
  case URL_FORM_JDBC:
    return parse_jdbc(a, text, u);
  case URL_FORM_HTTP_OR_JDBC:
    if (prefix(text, "jdbc:"))
      return parse_jdbc(a, text, u);
    return parse_http(a, form, text, u);
  default:
    return parse_http(a, form, text, u);
  }
}

const char *url_problem_text(enum url_problem p) {
  switch (p) {
  case URL_OK: return "it is well-formed";
  case URL_EMPTY: return "it is empty";
  case URL_TOO_LONG: return "it is longer than 2048 bytes";
  case URL_CHARACTER: return "it holds a blank, a control character or a character outside ASCII (percent-encode it)";
  case URL_SCHEME: return "it does not start with the scheme the field takes";
  case URL_VENDOR: return "it is not a JDBC URL of PostgreSQL, MySQL, MariaDB, Oracle, SQL Server or H2";
  case URL_CREDENTIALS: return "it holds a user name and password, a secret in clear";
  case URL_HOST: return "it has no host, or its host is not a host name, an IPv4 address or an [IPv6] address";
  case URL_HOSTS: return "it names several hosts; camarch reads one";
  case URL_PORT: return "its port is not a number from 1 to 65535";
  case URL_PATH: return "its path holds a character a URL path cannot, or it has a path where none belongs";
  case URL_DATABASE: return "it names no database (or service), or the name holds a character it cannot";
  case URL_QUERY: return "its query or parameters are malformed, or it has a query where none belongs";
  case URL_FRAGMENT: return "it has a #fragment, which a server address cannot use";
  case URL_PERCENT: return "it holds a % not followed by two hexadecimal digits";
  }
  return "it is malformed";
}

int url_port(const struct url *u) {
  if (u->port)
    return u->port;
  switch (u->vendor) {
  case URL_HTTP: return u->tls ? 443 : 80;
  case URL_POSTGRESQL: return 5432;
  case URL_MYSQL: case URL_MARIADB: return 3306;
  case URL_ORACLE: return 1521;
  case URL_SQLSERVER: return 1433;
  case URL_H2: return u->host ? 9092 : 0;
  }
  return 0;
}

const char *url_protocol(const struct url *u) { return u->tls ? "https" : "http"; }

const char *url_host_text(struct arena *a, const struct url *u) {
  if (!u->host)
    return "";
  return u->ipv6 ? arena_printf(a, "[%s]", u->host) : u->host;
}
