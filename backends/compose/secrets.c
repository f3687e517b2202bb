/* secrets.c - the secrets file of a Compose project (secrets.env, mode
 * 0600): one variable per secret(), its value left empty for the user,
 * with a comment naming the secret, its key and what reads it.  Every
 * service that reads a secret loads the file with env_file; the value
 * never appears in docker-compose.yaml or in the configuration files,
 * which refer to it as ${VAR} (Spring resolves the placeholder).
 *
 * Variable names.  Where a program reads the value under a fixed name, the
 * variable has that name (CAMUNDA_LICENSE_KEY, KC_DB_PASSWORD,
 * CONNECTORS_SECRET_<NAME> of a connector secret); such names are reserved
 * before the services are built, so every use of the secret agrees on it.
 * Any other secret("name", key = "key") is SECRET_<NAME>__<KEY>: name and
 * key upper-cased, every other character an underscore, joined by two.
 * That name depends on the secret alone, whatever else the estate holds,
 * and tells secrets apart as long as name and key are lowercase words
 * joined by single dashes (the usual form of secret names and keys).  A
 * name or key of another form ("a.b", "DB_URL", "x--y") ends in _<8 hex
 * digits>, a hash of the name and key, for the same reason.  Two
 * secrets that still meet on one variable (a fixed name equal to a derived
 * one, a hash collision) are an error, never a suffix by order.
 *
 * A few values the project needs have no field in the model (Web Modeler's
 * WebSockets secret): they are variables of this file too, under the name
 * their program reads, for the user to fill in, rather than fixed values
 * in .env.
 *
 * Values filled in.  The next build reads the previous file and keeps each
 * value with the secret it was written for: the `# secret "name", key
 * "key"` line camarch writes above each variable says which.  A value
 * returns to a secret when its variable is that secret's variable and the
 * line above it names the secret (or names none, where the variable alone
 * does: a derived name, or a value of the project), or when the line names
 * the secret and its variable is no longer anyone's (a secret renamed by a
 * change of the estate or of this naming).  Anything else, including the
 * values of secrets the estate no longer names, is dropped; the file's
 * header says so. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "appenv.h"
#include "compose_int.h"
#include "names.h"

static const char *key_of(const struct m_secstr *s, const char *default_key) { return s->key ? s->key : default_key; }

static struct compose_secret *find(const struct compose *c, const char *name, const char *key) {
  for (size_t i = 0; i < c->secrets.len; i++) {
    struct compose_secret *s = c->secrets.items[i];
    if (s->name && strcmp(s->name, name) == 0 && strcmp(s->key, key) == 0)
      return s;
  }
  return NULL;
}

static struct compose_secret *find_var(const struct compose *c, const char *var) {
  for (size_t i = 0; i < c->secrets.len; i++) {
    struct compose_secret *s = c->secrets.items[i];
    if (strcmp(s->var, var) == 0)
      return s;
  }
  return NULL;
}

static struct compose_secret *add(struct compose *c, const char *var, bool fixed, const struct m_secstr *s,
                                  const char *key) {
  struct compose_secret *n = arena_alloc(c->a, sizeof *n);
  n->var = var;
  n->fixed = fixed;
  n->name = s->secret;
  n->key = key;
  n->at = s->at;
  vec_push(c->a, &c->secrets, n);
  return n;
}

/* What holds a variable, for messages: secret("n", key = "k"), or the
 * project's own value. */
static const char *holder(struct arena *a, const struct compose_secret *s) {
  return s->name ? arena_printf(a, "secret(\"%s\", key = \"%s\")", s->name, s->key) : s->what;
}

void compose_reserve(struct compose *c, const struct m_secstr *s, const char *default_key, const char *var,
                     const char *use) {
  if (!s->set || !s->secret)
    return;
  const char *key = key_of(s, default_key);
  struct compose_secret *old = find(c, s->secret, key), *taken = find_var(c, var);
  if (old && strcmp(old->var, var) != 0) {
    backend_refused(c->d, s->at, NULL,
                    "secret(\"%s\", key = \"%s\") would be read as %s here and as %s elsewhere: the Compose secrets "
                    "file has one variable per secret",
                    s->secret, key, var, old->var);
    return;
  }
  if (!old && taken) {
    backend_refused(c->d, s->at, NULL,
                    "%s would hold both %s and secret(\"%s\", key = \"%s\") in the Compose secrets file", var,
                    holder(c->a, taken), s->secret, key);
    return;
  }
  struct compose_secret *held = old ? old : add(c, var, true, s, key);
  vec_push_str_once(c->a, &held->uses, use);
}

void compose_reserve_fixed(struct compose *c) {
  const struct m_estate *e = &c->m->e;
  compose_reserve(c, &e->license, "license-key", "CAMUNDA_LICENSE_KEY",
                  "every Camunda service: the license, as CAMUNDA_LICENSE_KEY");
  /* connector secrets and Connectors' own variables: the runtime reads them
   * from its environment by name */
  struct m_envmap secrets = appenv_connector_secrets(c->a, c->m);
  const struct m_envmap *maps[] = {&secrets, &e->connectors.env};
  for (size_t k = 0; e->connectors.meta.present && k < 2; k++)
    for (size_t i = 0; i < maps[k]->v.len; i++) {
      const struct m_env *en = maps[k]->v.items[i];
      compose_reserve(c, &en->value, "value", en->name,
                      arena_printf(c->a, "connectors: environment variable %s", en->name));
    }
  const struct m_management_identity *mi = &e->management_identity;
  if (!mi->meta.present || mi->provider.v != M_mi_provider_keycloak || mi->keycloak.url.set)
    return;
  compose_reserve(c, &mi->keycloak.admin_password, "password", "KC_BOOTSTRAP_ADMIN_PASSWORD",
                  "keycloak: password of its administrator");
  compose_reserve(c, &mi->keycloak.database.password, "password", "KC_DB_PASSWORD",
                  "keycloak: password of its database");
}

/* Every Camunda component reads the license as CAMUNDA_LICENSE_KEY, from
 * the secrets file. */
void compose_license(struct compose *c) {
  if (!c->m->e.license.set)
    return;
  static const char *const readers[] = {"identity", "optimize", "web-modeler-restapi", "console"};
  for (size_t i = 0; i < c->services->keys.len; i++) {
    const char *name = c->services->keys.items[i];
    bool reads = strncmp(name, "orchestration", 13) == 0;
    for (size_t r = 0; r < sizeof readers / sizeof readers[0]; r++)
      reads = reads || strcmp(name, readers[r]) == 0;
    if (reads)
      compose_reads_secrets(c, c->services->items.items[i]);
  }
}

/* A name or key that SECRET_<NAME>__<KEY> renders without loss: lowercase
 * letters and digits, in words joined by single dashes. */
static bool plain_word(const char *s) {
  bool word = false; /* inside a word: a dash may follow */
  for (const char *p = s; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
      word = true;
    else if (*p == '-' && word)
      word = false;
    else
      return false;
  }
  return word;
}

static void upper_word(struct buf *b, const char *s) {
  for (const char *p = s; *p; p++) {
    char ch = *p;
    if (ch >= 'a' && ch <= 'z')
      ch = (char)(ch - 'a' + 'A');
    else if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
      ch = '_';
    buf_append(b, &ch, 1);
  }
}

/* FNV-1a (32 bits) of name, a NUL and key: the same on every machine. */
static uint32_t identity_hash(const char *name, const char *key) {
  uint32_t h = 2166136261u;
  for (const char *p = name;; p++) {
    h = (h ^ (unsigned char)*p) * 16777619u;
    if (!*p)
      break;
  }
  for (const char *p = key; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return h;
}

const char *compose_secret_derived_var(struct arena *a, const char *name, const char *key) {
  struct buf b = {0};
  buf_puts(&b, "SECRET_");
  upper_word(&b, name);
  buf_puts(&b, "__");
  upper_word(&b, key);
  if (!plain_word(name) || !plain_word(key))
    buf_printf(&b, "_%08" PRIX32, identity_hash(name, key));
  const char *var = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return var;
}

void compose_own_secret(struct compose *c, struct ynode *svc, const char *var, const char *what, const char *fill,
                        const char *use) {
  struct compose_secret *n = find_var(c, var);
  if (n && n->name) {
    backend_refused(c->d, n->at, "give the secret another variable name",
                    "%s holds secret(\"%s\", key = \"%s\") in the Compose secrets file, and the project needs that "
                    "variable for %s",
                    var, n->name, n->key, what);
    return;
  }
  if (!n) {
    n = arena_alloc(c->a, sizeof *n);
    *n = (struct compose_secret){.var = var, .fixed = true, .what = what, .fill = fill};
    vec_push(c->a, &c->secrets, n);
  }
  vec_push_str_once(c->a, &n->uses, use);
  compose_reads_secrets(c, svc);
}

void compose_reads_secrets(struct compose *c, struct ynode *svc) {
  struct ynode *files = y_get(svc, "env_file");
  if (files && files->kind == Y_SEQ)
    return;
  files = y_seq(c->a);
  struct ynode *f = y_map(c->a);
  y_set(c->a, f, "path", y_str(c->a, COMPOSE_SECRETS_FILE));
  y_set(c->a, f, "required", y_bool(c->a, true));
  y_push(c->a, files, f);
  y_set(c->a, svc, "env_file", files);
}

const char *compose_secret_var(struct compose *c, struct ynode *svc, const struct m_secstr *s, const char *default_key,
                               const char *use) {
  const char *key = key_of(s, default_key);
  struct compose_secret *n = find(c, s->secret, key);
  if (!n) {
    const char *var = compose_secret_derived_var(c->a, s->secret, key);
    const struct compose_secret *taken = find_var(c, var);
    if (taken) {
      struct diag *g = backend_refused(c->d, s->at, NULL,
                                       "secret(\"%s\", key = \"%s\") would be %s in the Compose secrets file, the "
                                       "variable of %s",
                                       s->secret, key, var, holder(c->a, taken));
      diag_help(c->d, g,
                taken->fixed ? "give the environment variable %s another name, or rename one of the secrets"
                             : "rename one of the secrets or keys (%s: two secrets with one hash)",
                var);
    }
    n = add(c, var, false, s, key);
  }
  vec_push_str_once(c->a, &n->uses, use);
  if (svc)
    compose_reads_secrets(c, svc);
  return n->var;
}

const char *compose_spring_value(struct compose *c, struct ynode *svc, const struct m_secstr *s,
                                 const char *default_key, const char *use) {
  if (!s->secret)
    return s->str ? s->str : "";
  return arena_printf(c->a, "${%s}", compose_secret_var(c, svc, s, default_key, use));
}

void compose_extra_env(struct compose *c, struct ynode *svc, const char *service, const struct m_envmap *env) {
  for (size_t i = 0; i < env->v.len; i++) {
    const struct m_env *e = env->v.items[i];
    const char *use = arena_printf(c->a, "%s: environment variable %s", service, e->name);
    if (e->value.secret && strcmp(compose_secret_var(c, svc, &e->value, "value", use), e->name) == 0)
      continue; /* reserved under its own name: the secrets file sets it */
    compose_env(c, svc, e->name, compose_spring_value(c, svc, &e->value, "value", use));
  }
}

/* --- the file's text ------------------------------------------------------- */

/* The line that says which secret a variable holds, without its "# ";
 * a value of the project has none. */
static const char *identity_line(struct arena *a, const struct compose_secret *s) {
  return s->name ? camunda_secret_identity(a, s->name, s->key) : NULL;
}

#define OWN_LINE "no secret() of the estate: "

/* One assignment of the previous file: its variable, its value as written
 * after '=' (quotes and all, several lines for a quoted value that spans
 * them), and the identity line that belongs to it (NULL: none; OWN_LINE: a
 * value of the project). */
struct prev_entry {
  const char *var, *value, *identity;
  bool unterminated;  /* the value opens a quote that its line does not close */
};

/* A copy of the text without NUL bytes and with CRLF as LF: a file edited
 * on Windows reads as the one camarch wrote. */
static char *normalized(struct arena *a, const char *data, size_t len, size_t *out_len) {
  char *t = arena_alloc(a, len + 1);
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (data[i] == '\0' || (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      continue;
    t[n++] = data[i];
  }
  if (n && t[n - 1] == '\r')
    n--;
  t[n] = '\0';
  *out_len = n;
  return t;
}

static const char *skip_blanks(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* The quote that closes the one at q (a backslash escapes the next
 * character, as Compose reads it), before end; NULL if q is no quote or
 * nothing closes it. */
static const char *closing_quote(const char *q, const char *end) {
  if (*q != '\'' && *q != '"')
    return NULL;
  for (const char *p = q + 1; p < end; p++) {
    if (*p == '\\' && p + 1 < end)
      p++;
    else if (*p == *q)
      return p;
  }
  return NULL;
}

/* The end of an assignment's value starting at v: the end of its line, or
 * of the line holding the closing quote of a value that opens with one.
 * An unterminated quote ends with its line, so it cannot swallow the
 * variables after it. */
static const char *value_end(const char *v, const char *end) {
  const char *nl = memchr(v, '\n', (size_t)(end - v));
  const char *eol = nl ? nl : end;
  const char *q = skip_blanks(v, eol);
  const char *close = q < eol ? closing_quote(q, end) : NULL;
  if (!close)
    return eol;
  const char *close_nl = memchr(close, '\n', (size_t)(end - close));
  return close_nl ? close_nl : end;
}

/* Whether the value starting at v opens a quote that nothing up to vend
 * closes (value_end then ends it with its line). */
static bool unterminated(const char *v, const char *vend) {
  const char *q = skip_blanks(v, vend);
  return q < vend && (*q == '\'' || *q == '"') && !closing_quote(q, vend);
}

/* The end of a "..." string as camunda_comment_text writes it, from p at its
 * opening quote; NULL when the line ends first. */
static const char *quoted_end(const char *p, const char *eol) {
  if (p == eol || *p != '"')
    return NULL;
  for (p++; p < eol; p++) {
    if (*p == '\\' && p + 1 < eol)
      p++;
    else if (*p == '"')
      return p + 1;
  }
  return NULL;
}

/* The length of the identity line `secret "name", key "key"` at the start
 * of a comment's text c (whatever follows it: a note the user added);
 * 0 when the comment is not one. */
static size_t identity_length(const char *c, const char *eol) {
  static const char head[] = "secret ", mid[] = ", key ";
  if ((size_t)(eol - c) < sizeof head - 1 || memcmp(c, head, sizeof head - 1) != 0)
    return 0;
  const char *p = quoted_end(c + sizeof head - 1, eol);
  if (!p || (size_t)(eol - p) < sizeof mid - 1 || memcmp(p, mid, sizeof mid - 1) != 0)
    return 0;
  p = quoted_end(p + sizeof mid - 1, eol);
  return p ? (size_t)(p - c) : 0;
}

/* The assignments of a previous secrets file, in order.  Comments and
 * lines that are not VAR=value are skipped; an identity line (written by
 * camarch above each variable) belongs to the next assignment, and to the
 * repeats of that variable right after it. */
static void parse_previous(struct arena *a, const struct buf *prev, struct vec *out) {
  if (!prev || !prev->data)
    return;
  size_t len;
  const char *text = normalized(a, prev->data, prev->len, &len);
  const char *p = text, *end = text + len;
  const char *pending = NULL;              /* an identity line not yet claimed */
  const char *last_var = NULL, *last_id = NULL;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    const char *t = skip_blanks(p, eol);
    const char *next = eol < end ? eol + 1 : end;
    if (t < eol && *t == '#') {
      const char *c = skip_blanks(t + 1, eol);
      size_t n = identity_length(c, eol);
      if (n)
        pending = arena_strndup(a, c, n);
      else if ((size_t)(eol - c) >= strlen(OWN_LINE) && memcmp(c, OWN_LINE, strlen(OWN_LINE)) == 0)
        pending = OWN_LINE;
      p = next;
      continue;
    }
    if ((size_t)(eol - t) > 7 && memcmp(t, "export", 6) == 0 && (t[6] == ' ' || t[6] == '\t'))
      t = skip_blanks(t + 7, eol);
    const char *name = t;
    while (t < eol && *t != '=' && *t != ' ' && *t != '\t')
      t++;
    const char *var = arena_strndup(a, name, (size_t)(t - name));
    t = skip_blanks(t, eol);
    if (t == eol || *t != '=' || !name_valid(NAME_ENV_VAR, var)) {
      p = next;
      continue;
    }
    const char *v = t + 1, *vend = value_end(v, end);
    struct prev_entry *e = arena_alloc(a, sizeof *e);
    e->var = var;
    e->value = arena_strndup(a, v, (size_t)(vend - v));
    e->unterminated = unterminated(v, vend);
    if (pending)
      e->identity = pending;
    else if (last_var && strcmp(last_var, var) == 0)
      e->identity = last_id;
    pending = NULL;
    last_var = var;
    last_id = e->identity;
    vec_push(a, out, e);
    p = vend < end ? vend + 1 : end;
  }
}

/* Whether VAR=value, written as a line of the file, reads back as that
 * value: what camarch writes must be what the next build reads. */
static bool reads_back(struct arena *a, const char *var, const char *value) {
  struct buf line = {0};
  buf_printf(&line, "%s=%s\n", var, value);
  struct vec got = {0};
  parse_previous(a, &line, &got);
  buf_free(&line);
  const struct prev_entry *e = got.len == 1 ? got.items[0] : NULL;
  return e && strcmp(e->var, var) == 0 && strcmp(e->value, value) == 0;
}

static bool same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* The value the previous file holds for secret s (its identity line `id`),
 * as written there; '' (empty, single-quoted) when there is none.  See the
 * top of the file for when a value returns. */
static const char *previous_value(const struct compose *c, const struct vec *prev, const struct compose_secret *s,
                                  const char *id) {
  const struct prev_entry *exact = NULL, *renamed = NULL;
  bool named_by_var = !s->name || !s->fixed; /* a value of the project, or a derived name */
  for (size_t i = 0; i < prev->len; i++) {
    const struct prev_entry *e = prev->items[i];
    const char *want = s->name ? id : OWN_LINE;
    if (strcmp(e->var, s->var) == 0) {
      if (same(e->identity, want) || (!e->identity && named_by_var))
        exact = e;
    } else if (s->name && same(e->identity, id) && !find_var(c, e->var)) {
      renamed = e;
    }
  }
  const struct prev_entry *e = exact ? exact : renamed;
  const char *why = NULL;
  if (e && e->unterminated)
    why = "opens a quote its line does not close";
  else if (e && !reads_back(c->a, s->var, e->value))
    why = "holds a carriage return, or another byte that would not read back the same";
  if (why) {
    /* written back as it is, it would change in the next build, or swallow
     * the lines after it in Compose and in camarch */
    struct diag *g = diag_warning(c->d, "OUT004", (struct span){0}, "%s in the previous %s %s; its value is not kept",
                                  e->var, COMPOSE_SECRETS_FILE, why);
    diag_help(c->d, g, "fill it in again, inside the single quotes: %s='...'", s->var);
    return "''";
  }
  return e ? e->value : "''";
}

void compose_secrets_text(const struct compose *c, const struct buf *previous, struct buf *out) {
  const struct model *m = c->m;
  struct vec prev = {0};
  parse_previous(c->a, previous, &prev);
  buf_printf(out, "# %s\n", camunda_generated(c->a, m));
  buf_puts(out, "# The secrets of this Compose project: one variable per secret() of the\n"
                "# estate. Fill in the values; camarch writes none. A later build keeps\n"
                "# each value with the secret named above it, and drops the values of\n"
                "# secrets the estate no longer names. The services named with each\n"
                "# variable read this file (env_file). Keep it out of version control\n"
                "# (mode 0600; the .gitignore beside it names it).\n"
                "# Write each value inside the single quotes, where Compose takes it\n"
                "# literally ($ included); a quote inside is written \\'.\n");
  if (c->secrets.len == 0)
    buf_puts(out, "#\n# The estate names no secret.\n");
  for (size_t i = 0; i < c->secrets.len; i++) {
    const struct compose_secret *s = c->secrets.items[i];
    const char *id = identity_line(c->a, s);
    if (id)
      buf_printf(out, "\n# %s\n", id);
    else
      buf_printf(out, "\n# " OWN_LINE "%s (the model has no field for it);\n# fill in %s\n", s->what, s->fill);
    for (size_t u = 0; u < s->uses.len; u++) {
      buf_puts(out, "#   ");
      camunda_comment_text(out, s->uses.items[u], false);
      buf_puts(out, "\n");
    }
    buf_printf(out, "%s=%s\n", s->var, previous_value(c, &prev, s, id));
  }
}
