/* writer.c - the two non-YAML syntaxes the systemd backend writes.
 *
 * Environment files: one NAME="value" per line, read by systemd's
 * EnvironmentFile= (inside double quotes a backslash escapes " \ ` and $,
 * nothing is expanded).  The playbook renders them with Ansible's template
 * module, so they are Jinja text too: a value holding {{, {% or {# is
 * wrapped in {% raw %}, and a secret() becomes its Ansible Vault variable,
 * escaped for systemd by Jinja filters when the template is rendered.
 * Comments never carry braces.
 *
 * Unit files: INI sections and Key=value lines; in the settings that
 * expand specifiers, % starts one and is doubled (resource-control settings
 * such as CPUQuota= take theirs literally: 150%).  Control characters cannot
 * be written in either syntax: the writers refuse them (TGT002) where they
 * meet them and leave them out (the driver then writes no file at all).
 */
#include <ctype.h>
#include <string.h>

#include "names.h"
#include "systemd_int.h"

static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return true;
  return false;
}

static struct span where(const struct sd *s, struct span at) { return span_or(at, s->m->env_at); }

static bool jinja_open(const char *s) { return strstr(s, "{{") || strstr(s, "{%") || strstr(s, "{#"); }

bool systemd_plain_text(const char *s) { return !has_control(s) && !jinja_open(s); }

/* Reports a value the syntax cannot carry. */
static void writable(struct sd *s, const char *what, const char *value, struct span at, const char *file) {
  if (has_control(value))
    diag_error(s->d, "TGT002", where(s, at), "%s: a control character (newline, tab, ...) cannot be written to %s", what,
               file);
}

void systemd_env_comment(struct sd_env *e, const char *text) {
  buf_puts(&e->b, "# ");
  for (const char *p = text; *p; p++) {
    char c = *p == '{' ? '(' : *p == '}' ? ')' : (unsigned char)*p < 0x20 ? ' ' : *p;
    buf_append(&e->b, &c, 1);
  }
  buf_puts(&e->b, "\n");
}

void systemd_env_blank(struct sd_env *e) { buf_puts(&e->b, "\n"); }

/* The value, escaped for systemd's double quotes; control characters dropped. */
static void quoted(struct buf *b, const char *value) {
  for (const char *p = value; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      continue;
    if (strchr("\"\\`$", *p))
      buf_puts(b, "\\");
    buf_append(b, p, 1);
  }
}

void systemd_env_str(struct sd_env *e, const char *name, const char *value, struct span at) {
  struct sd *s = e->s;
  writable(s, name, value, at, "a systemd environment file");
  bool raw = jinja_open(value);
  if (raw && strstr(value, "endraw"))
    diag_error(s->d, "TGT002", where(s, at), "%s: the value holds Jinja's `endraw`, which the playbook's template cannot keep",
               name);
  buf_printf(&e->b, "%s=\"%s", name, raw ? "{% raw %}" : "");
  quoted(&e->b, value);
  buf_printf(&e->b, "%s\"\n", raw ? "{% endraw %}" : "");
}

void systemd_env_int(struct sd_env *e, const char *name, int64_t v) {
  buf_printf(&e->b, "%s=\"%lld\"\n", name, (long long)v);
}

void systemd_env_bool(struct sd_env *e, const char *name, bool v) {
  buf_printf(&e->b, "%s=\"%s\"\n", name, v ? "true" : "false");
}

void systemd_env_secstr(struct sd_env *e, const char *name, const struct m_secstr *v, const char *default_key) {
  if (!v->secret) {
    systemd_env_str(e, name, v->str ? v->str : "", v->at);
    return;
  }
  const char *var = systemd_vault_var(e->s, v, default_key, name);
  /* the secret's text, escaped for systemd's double quotes when rendered */
  buf_printf(&e->b,
             "%s=\"{{ %s | replace('\\\\', '\\\\\\\\') | replace('\"', '\\\\\"') | replace('$', '\\\\$')"
             " | replace('`', '\\\\`') }}\"\n",
             name, var);
}

void systemd_env_map(struct sd_env *e, const struct m_envmap *env) {
  for (size_t i = 0; i < env->v.len; i++) {
    const struct m_env *x = env->v.items[i];
    if (!name_valid(NAME_ENV_VAR, x->name))
      diag_error(e->s->d, "TGT002", where(e->s, x->value.at),
                 "`%s` is not a name systemd accepts in an environment file (letters, digits and _)", x->name);
    systemd_env_secstr(e, x->name, &x->value, "value");
  }
}

/* --- unit files ---------------------------------------------------------- */

void systemd_ini_comment(struct sd_ini *u, const char *text) {
  buf_puts(&u->b, "# ");
  for (const char *p = text; *p; p++)
    buf_append(&u->b, (unsigned char)*p < 0x20 ? " " : p, 1);
  buf_puts(&u->b, "\n");
}

void systemd_ini_section(struct sd_ini *u, const char *name) {
  buf_printf(&u->b, "%s[%s]\n", u->b.len ? "\n" : "", name);
}

/* Key=value; `specifiers`: the setting expands %-specifiers, so % is doubled. */
static void ini_line(struct sd_ini *u, const char *key, const char *value, struct span at, bool specifiers) {
  struct sd *s = u->s;
  const char *what = arena_printf(s->a, "%s=", key);
  writable(s, what, value, at, "a unit file");
  size_t n = strlen(value);
  if (n && (value[n - 1] == '\\' || isspace((unsigned char)value[n - 1]) || isspace((unsigned char)value[0])))
    diag_error(s->d, "TGT002", where(s, at), "%s: a unit file value cannot begin or end with a blank or end with \\", what);
  buf_printf(&u->b, "%s=", key);
  for (const char *p = value; *p; p++) {
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      continue;
    buf_puts(&u->b, *p == '%' && specifiers ? "%%" : (char[]){*p, 0});
  }
  buf_puts(&u->b, "\n");
}

void systemd_ini_set(struct sd_ini *u, const char *key, const char *value, struct span at) {
  ini_line(u, key, value, at, true);
}

void systemd_ini_set_literal(struct sd_ini *u, const char *key, const char *value) {
  ini_line(u, key, value, (struct span){0}, false);
}

/* --- Ansible Vault -------------------------------------------------------- */

static void slug(struct buf *b, const char *s) {
  for (const char *p = s; *p; p++) {
    char c = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    buf_append(b, &c, 1);
  }
}

const char *systemd_vault_var(struct sd *s, const struct m_secstr *v, const char *default_key, const char *use) {
  const char *key = v->key ? v->key : default_key;
  struct buf b = {0};
  buf_puts(&b, "vault_");
  slug(&b, v->secret);
  buf_puts(&b, "_");
  slug(&b, key);
  const char *var = arena_strndup(s->a, b.data, b.len);
  buf_free(&b);
  for (size_t i = 0; i < s->vault.len; i++) {
    const struct sd_vault *x = s->vault.items[i];
    if (strcmp(x->var, var) != 0)
      continue;
    if (strcmp(x->secret, v->secret) != 0 || strcmp(x->key, key) != 0)
      diag_error(s->d, "TGT002", where(s, v->at),
                 "secret(\"%s\", key = \"%s\") and secret(\"%s\", key = \"%s\") would share the Ansible Vault variable %s",
                 v->secret, key, x->secret, x->key, var);
    return var;
  }
  struct sd_vault *x = arena_alloc(s->a, sizeof *x);
  *x = (struct sd_vault){var, v->secret, key, use};
  vec_push(s->a, &s->vault, x);
  return var;
}
