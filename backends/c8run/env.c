/* env.c - camarch.env, the environment Camunda 8 Run is started with
 * (mode 0600).
 *
 * c8run starts the Orchestration Cluster and Connectors as child
 * processes, which inherit its environment; so the file is loaded into
 * the shell that runs `c8run start` (README.md says how, for sh and
 * PowerShell).  It holds two kinds of variable:
 *   - one per secret() of the estate, its value left empty for the user
 *     to fill in: the Spring configuration refers to it as ${VAR};
 *     Connectors read connector secrets (CONNECTORS_SECRET_<NAME>) and
 *     their login (CAMUNDA_CLIENT_AUTH_*) by name, the cluster its license
 *     (CAMUNDA_LICENSE_KEY);
 *   - settings camarch writes itself, for Connectors (which the --config
 *     file does not reach).
 * A variable of a secret that no process reads by name is
 * SECRET_<NAME>__<KEY> (name and key upper-cased, any other character an
 * underscore); two secrets that would share one are refused.
 *
 * Values filled in.  The next build reads the previous file and keeps the
 * value of each secret's variable when the `# secret "name", key "key"`
 * line above it still names that secret; settings are written anew.
 * Values are single-quoted: sh reads them literally, and README.md's
 * PowerShell loader strips the quotes. */
#include <string.h>

#include "c8run_int.h"
#include "names.h"

static struct c8_var *find_var(const struct c8 *c, const char *var) {
  for (size_t i = 0; i < c->vars.len; i++) {
    struct c8_var *v = c->vars.items[i];
    if (strcmp(v->var, var) == 0)
      return v;
  }
  return NULL;
}

static struct c8_var *find_secret(const struct c8 *c, const char *secret, const char *key) {
  for (size_t i = 0; i < c->vars.len; i++) {
    struct c8_var *v = c->vars.items[i];
    if (v->secret && strcmp(v->secret, secret) == 0 && strcmp(v->key, key) == 0)
      return v;
  }
  return NULL;
}

static const char *holder(struct arena *a, const struct c8_var *v) {
  return v->secret ? arena_printf(a, "secret(\"%s\", key = \"%s\")", v->secret, v->key)
                   : arena_printf(a, "the setting %s", v->var);
}

/* A value sh reads back as it is inside single quotes, and that keeps to
 * its line. */
static bool quotable(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p == '\'' || *p < 0x20 || *p == 0x7f)
      return false;
  return true;
}

static struct c8_var *new_var(struct c8 *c, const char *var, struct span at) {
  struct c8_var *v = arena_alloc(c->a, sizeof *v);
  *v = (struct c8_var){.var = var, .at = at};
  vec_push(c->a, &c->vars, v);
  return v;
}

void c8run_setting(struct c8 *c, const char *var, const char *value, const char *comment) {
  struct c8_var *v = find_var(c, var);
  if (v) {
    if (v->secret || strcmp(v->value, value) != 0)
      backend_refused(c->d, v->at, "give one of them another name", "%s would hold both %s and %s in " C8RUN_ENV, var,
                      holder(c->a, v), value);
    return;
  }
  if (!quotable(value)) {
    backend_refused(c->d, (struct span){0}, "use secret() for it, and fill the value into " C8RUN_ENV,
                    "%s: its value holds a single quote or a control character, which " C8RUN_ENV " cannot hold", var);
    return;
  }
  v = new_var(c, var, (struct span){0});
  v->value = value;
  v->comment = comment;
}

static struct c8_var *secret_var(struct c8 *c, const char *var, const struct m_secstr *s, const char *key) {
  struct c8_var *v = find_var(c, var);
  if (v && !(v->secret && strcmp(v->secret, s->secret) == 0 && strcmp(v->key, key) == 0)) {
    backend_refused(c->d, s->at, "rename one of the secrets or keys",
                    "secret(\"%s\", key = \"%s\") would be %s in " C8RUN_ENV ", the variable of %s", s->secret, key, var,
                    holder(c->a, v));
    return v;
  }
  if (!v) {
    v = new_var(c, var, s->at);
    v->secret = s->secret;
    v->key = key;
  }
  return v;
}

void c8run_fixed(struct c8 *c, const char *var, const struct m_secstr *v, const char *default_key, const char *use) {
  if (!v->set)
    return;
  if (!v->secret) {
    if (!quotable(v->str ? v->str : ""))
      backend_refused(c->d, v->at, "use secret(), and fill the value into " C8RUN_ENV,
                      "%s: the value holds a single quote or a control character, which " C8RUN_ENV " cannot hold", var);
    else
      c8run_setting(c, var, v->str ? v->str : "", use);
    return;
  }
  struct c8_var *held = secret_var(c, var, v, v->key ? v->key : default_key);
  vec_push_str_once(c->a, &held->uses, use);
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

static const char *derived_var(struct arena *a, const char *name, const char *key) {
  struct buf b = {0};
  buf_puts(&b, "SECRET_");
  upper_word(&b, name);
  buf_puts(&b, "__");
  upper_word(&b, key);
  const char *var = arena_strndup(a, b.data, b.len);
  buf_free(&b);
  return var;
}

const char *c8run_spring_value(struct c8 *c, const struct m_secstr *v, const char *default_key, const char *use) {
  if (!v->secret)
    return v->str ? v->str : "";
  const char *key = v->key ? v->key : default_key;
  struct c8_var *var = find_secret(c, v->secret, key);
  if (!var)
    var = secret_var(c, derived_var(c->a, v->secret, key), v, key);
  vec_push_str_once(c->a, &var->uses, use);
  return arena_printf(c->a, "${%s}", var->var);
}

bool c8run_has_secrets(const struct c8 *c) {
  for (size_t i = 0; i < c->vars.len; i++)
    if (((const struct c8_var *)c->vars.items[i])->secret)
      return true;
  return false;
}

/* --- the file's text ------------------------------------------------------- */

static const char *identity_line(struct arena *a, const struct c8_var *v) {
  return arena_printf(a, "# %s", camunda_secret_identity(a, v->secret, v->key));
}

/* The value the previous file gives `var` right below the line `id`, as
 * written after '='; NULL when it gives none.  A line that is not
 * VAR=value ends the search for the identity line above it. */
static const char *previous_value(struct arena *a, const struct buf *prev, const char *id, const char *var) {
  if (!prev || !prev->data)
    return NULL;
  const char *p = prev->data, *end = prev->data + prev->len;
  const char *found = NULL;
  bool after_id = false;
  size_t vlen = strlen(var), idlen = strlen(id);
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    size_t n = (size_t)(eol - p);
    if (n && p[n - 1] == '\r')
      n--;
    if (n == idlen && memcmp(p, id, n) == 0) {
      after_id = true;
    } else if (after_id && n > vlen && memcmp(p, var, vlen) == 0 && p[vlen] == '=') {
      if (!memchr(p, '\0', n))
        found = arena_strndup(a, p + vlen + 1, n - vlen - 1);
      after_id = false;
    } else if (!(n && p[0] == '#')) {
      after_id = false;
    }
    p = nl ? nl + 1 : end;
  }
  return found;
}

void c8run_env_text(const struct c8 *c, const struct buf *previous, struct buf *out) {
  const struct model *m = c->m;
  buf_printf(out, "# %s\n", camunda_generated(c->a, m));
  buf_puts(out, "# The environment Camunda 8 Run starts with: the values of the estate's\n"
                "# secrets, empty for you to fill in (camarch writes none; a later build\n"
                "# keeps each value with the secret named above it), and settings camarch\n"
                "# writes itself. Load it into the shell that runs c8run (README.md).\n"
                "# Keep it out of version control (mode 0600; the .gitignore beside it\n"
                "# names it). Write each value inside the single quotes.\n");
  if (c->vars.len == 0)
    buf_puts(out, "#\n# The estate names no secret.\n");
  for (size_t i = 0; i < c->vars.len; i++) {
    const struct c8_var *v = c->vars.items[i];
    if (!v->secret) {
      buf_printf(out, "\n# %s\n%s='%s'\n", v->comment, v->var, v->value);
      continue;
    }
    const char *id = identity_line(c->a, v);
    buf_printf(out, "\n%s\n", id);
    for (size_t u = 0; u < v->uses.len; u++) {
      buf_puts(out, "#   ");
      camunda_comment_text(out, v->uses.items[u], false);
      buf_puts(out, "\n");
    }
    const char *prev = previous_value(c->a, previous, id, v->var);
    buf_printf(out, "%s=%s\n", v->var, prev ? prev : "''");
  }
}
