/* secrets.c - the secrets file of a Compose project (secrets.env, mode
 * 0600): one variable per secret(), its value left empty for the user,
 * with a comment naming the secret, its key and what reads it.  Every
 * service that reads a secret loads the file with env_file; the value
 * never appears in docker-compose.yaml or in the configuration files,
 * which refer to it as ${VAR} (Spring resolves the placeholder).
 *
 * A variable is called after the secret (SECRET_<NAME>_<KEY>), or, where
 * a program reads the value under a fixed name, after that name
 * (CAMUNDA_LICENSE_KEY, KC_DB_PASSWORD, CONNECTORS_SECRET_<NAME> of a
 * connector secret); such names are reserved before the services are built,
 * so every use of the secret agrees on it.  A few values the project needs
 * have no field in the model (Web Modeler's WebSockets secret): they are
 * variables of this file too, under the name their program reads, for the
 * user to fill in, rather than fixed values in .env. */
#include <string.h>

#include "project.h"

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

static void add_use(struct compose *c, struct compose_secret *s, const char *use) {
  for (size_t i = 0; i < s->uses.len; i++)
    if (strcmp(s->uses.items[i], use) == 0)
      return;
  vec_push(c->a, &s->uses, arena_strdup(c->a, use));
}

static struct compose_secret *add(struct compose *c, const char *var, const struct m_secstr *s, const char *key) {
  struct compose_secret *n = arena_alloc(c->a, sizeof *n);
  n->var = var;
  n->name = s->secret;
  n->key = key;
  n->at = s->at;
  vec_push(c->a, &c->secrets, n);
  return n;
}

void compose_reserve(struct compose *c, const struct m_secstr *s, const char *default_key, const char *var,
                     const char *use) {
  if (!s->set || !s->secret)
    return;
  const char *key = key_of(s, default_key);
  struct compose_secret *old = find(c, s->secret, key), *taken = find_var(c, var);
  if (old && strcmp(old->var, var) != 0) {
    if (c->d)
      diag_error(c->d, "TGT002", s->at,
                 "secret(\"%s\", key = \"%s\") would be read as %s here and as %s elsewhere: the Compose secrets "
                 "file has one variable per secret",
                 s->secret, key, var, old->var);
    return;
  }
  if (!old && taken) {
    if (c->d)
      diag_error(c->d, "TGT002", s->at,
                 "%s would hold both secret(\"%s\", key = \"%s\") and secret(\"%s\", key = \"%s\") in the Compose "
                 "secrets file",
                 var, taken->name, taken->key, s->secret, key);
    return;
  }
  add_use(c, old ? old : add(c, var, s, key), use);
}

/* SECRET_<NAME>_<KEY>: upper case, every other character an underscore. */
static const char *derived_var(struct compose *c, const char *name, const char *key) {
  char *v = arena_printf(c->a, "SECRET_%s_%s", name, key);
  for (char *p = v; *p; p++) {
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
    else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
      *p = '_';
  }
  const char *out = v;
  for (int n = 2; find_var(c, out); n++)
    out = arena_printf(c->a, "%s_%d", v, n);
  return out;
}

void compose_own_secret(struct compose *c, struct ynode *svc, const char *var, const char *what, const char *fill,
                        const char *use) {
  struct compose_secret *n = find_var(c, var);
  if (n && n->name) {
    if (c->d) {
      struct diag *g = diag_error(c->d, "TGT002", n->at,
                                  "%s holds secret(\"%s\", key = \"%s\") in the Compose secrets file, and the project "
                                  "needs that variable for %s",
                                  var, n->name, n->key, what);
      diag_help(c->d, g, "give the secret another variable name");
    }
    return;
  }
  if (!n) {
    n = arena_alloc(c->a, sizeof *n);
    *n = (struct compose_secret){.var = var, .what = what, .fill = fill};
    vec_push(c->a, &c->secrets, n);
  }
  add_use(c, n, use);
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
  if (!n)
    n = add(c, derived_var(c, s->secret, key), s, key);
  add_use(c, n, use);
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

/* The value the user gave `var` in the previous secrets file, as written
 * there; '' (empty, single-quoted) when there is none. */
static const char *previous_value(struct arena *a, const struct buf *prev, const char *var) {
  if (!prev || !prev->data)
    return "''";
  size_t n = strlen(var);
  const char *p = prev->data, *end = prev->data + prev->len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *eol = nl ? nl : end;
    if ((size_t)(eol - p) > n && memcmp(p, var, n) == 0 && p[n] == '=')
      return arena_strndup(a, p + n + 1, (size_t)(eol - p - (ptrdiff_t)n - 1));
    p = eol + 1;
  }
  return "''";
}

void compose_secrets_text(const struct compose *c, const struct buf *previous, struct buf *out) {
  const struct model *m = c->m;
  buf_printf(out, "# Generated by camarch %s from %s (environment \"%s\").\n", CAMARCH_VERSION, m->root_path, m->env);
  buf_puts(out, "# The secrets of this Compose project: one variable per secret() of the\n"
                "# estate. Fill in the values; camarch writes none, and a later build keeps\n"
                "# the values filled in here. The services named with each variable read\n"
                "# this file (env_file). Keep it out of version control (mode 0600).\n"
                "# Write each value inside the single quotes, where Compose takes it\n"
                "# literally ($ included); a quote inside is written \\'.\n");
  if (c->secrets.len == 0)
    buf_puts(out, "#\n# The estate names no secret.\n");
  for (size_t i = 0; i < c->secrets.len; i++) {
    const struct compose_secret *s = c->secrets.items[i];
    if (s->name)
      buf_printf(out, "\n# secret \"%s\", key \"%s\"\n", s->name, s->key);
    else
      buf_printf(out, "\n# %s: no secret() of the estate (the model has no field for it);\n# fill in %s\n", s->what,
                 s->fill);
    for (size_t u = 0; u < s->uses.len; u++)
      buf_printf(out, "#   %s\n", (const char *)s->uses.items[u]);
    buf_printf(out, "%s=%s\n", s->var, previous_value(c->a, previous, s->var));
  }
}
