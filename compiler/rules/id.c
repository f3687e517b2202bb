/* rules/id.c - identity and authentication. */
#include <string.h>

#include "rules.h"
#include "url.h"

static const struct m_identity *ident(const struct sema *s) { return &s->e->identity; }

/* Management Identity, or NULL when the environment does not enable it. */
static const struct m_management_identity *mgmt(const struct sema *s) {
  return s->e->management_identity.meta.present ? &s->e->management_identity : NULL;
}

static struct span method_at(const struct sema *s) { return at_or(ident(s)->method.at, &ident(s)->meta); }

/* A component that authenticates through Management Identity has it. */
static void needs_mgmt(struct sema *s, enum rule_id r, const struct meta *comp, const char *name) {
  if (!comp->present || mgmt(s))
    return;
  struct diag *g = report(s, r, comp, comp->at, "%s needs Management Identity, which is not enabled", name);
  help(s, g, "add management_identity {} (it bundles Keycloak; provider = oidc uses an external provider)");
}

/* ID001: Web Modeler with Management Identity. */
void rule_ID001(struct sema *s) { needs_mgmt(s, R_ID001, &s->e->web_modeler.meta, "web_modeler"); }

/* ID002: Console with Management Identity. */
void rule_ID002(struct sema *s) { needs_mgmt(s, R_ID002, &s->e->console.meta, "console"); }

/* ID003: Optimize with Management Identity. */
void rule_ID003(struct sema *s) { needs_mgmt(s, R_ID003, &s->e->optimize.meta, "optimize"); }

/* ID006: no unprotected API in production. */
void rule_ID006(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v != M_auth_method_none)
    return;
  struct diag *g = report(s, R_ID006, &id->meta, method_at(s),
                          "method = none leaves the REST and gRPC APIs unprotected in production");
  help(s, g, "authenticate callers: method = oidc (or basic)");
}

/* ID007: authorizations = true only with a protected API. */
void rule_ID007(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v != M_auth_method_none || !id->authorizations.v || !span_known(id->authorizations.at))
    return;
  struct diag *g = report(s, R_ID007, &id->meta, id->authorizations.at,
                          "authorizations = true has no effect: the API is unprotected");
  note(s, g, method_at(s), "method = none here: no caller is authenticated, and camarch turns authorizations off");
  help(s, g, "remove authorizations = true, or protect the API: method = oidc or basic");
}

/* ID008: OIDC rather than basic authentication in production. */
void rule_ID008(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v != M_auth_method_basic)
    return;
  struct diag *g = report(s, R_ID008, &id->meta, method_at(s),
                          span_known(id->method.at)
                              ? "method = basic in production: no single sign-on, multi-factor authentication or "
                                "lockout"
                              : "basic authentication (the default) in production: no single sign-on, multi-factor "
                                "authentication or lockout");
  help(s, g, "connect an OIDC provider: method = oidc, issuer = \"...\", client \"orchestration\" { ... }");
}

/* Management Identity's Keycloak gives the cluster its issuer. */
/* With Management Identity on Keycloak, that Keycloak is the cluster's
 * provider too, and camarch derives the issuer from it. */
static bool issuer_from_keycloak(const struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  return mi && mi->provider.v == M_mi_provider_keycloak;
}

/* ID009: OIDC has an issuer and the cluster's client with its secret. */
void rule_ID009(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v != M_auth_method_oidc)
    return;
  bool endpoints = id->token_url.set && id->jwks_url.set && id->auth_url.set;
  if (!id->issuer.set && !endpoints && !issuer_from_keycloak(s)) {
    struct diag *g = report(s, R_ID009, &id->meta, method_at(s), "method = oidc without the provider's issuer");
    help(s, g, "set issuer = \"https://login.example.com/realms/camunda\" (or token_url, jwks_url and auth_url)");
  }
  const struct m_client *c = model_client(id, "orchestration");
  if (!c) {
    struct diag *g = report(s, R_ID009, &id->meta, method_at(s), "method = oidc without client \"orchestration\"");
    help(s, g, "register the cluster at the provider: "
               "client \"orchestration\" { secret = secret(\"oidc-orchestration\") }");
  } else if (!c->secret.set) {
    struct diag *g = report(s, R_ID009, &c->meta, c->meta.at, "client \"orchestration\" has no secret");
    help(s, g, "name the client secret the provider issued: secret = secret(\"oidc-orchestration\")");
  }
}

/* ID012: Management Identity does not share basic-auth users. */
void rule_ID012(struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  const struct m_identity *id = ident(s);
  if (!mi || id->method.v != M_auth_method_basic)
    return;
  struct diag *g = report(s, R_ID012, &mi->meta, mi->meta.at,
                          "Management Identity does not share the cluster's basic-auth users and clients");
  note(s, g, method_at(s),
       span_known(id->method.at) ? "method = basic here" : "the cluster uses basic authentication (the default)");
  help(s, g, "to share users, connect both to one OIDC provider: method = oidc");
}

/* ID013: an external identity provider for Management Identity in production. */
void rule_ID013(struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  if (!mi || mi->provider.v != M_mi_provider_keycloak || mi->keycloak.url.set)
    return;
  struct diag *g = report(s, R_ID013, &mi->keycloak.meta, mi->keycloak.meta.at,
                          "Management Identity uses the bundled Keycloak in production");
  help(s, g, "use an external provider: keycloak { url = \"https://sso.example.com\" }, or provider = oidc");
}

/* ID018: an external Keycloak has its admin password.  That its url is a
 * full one (protocol, host, optional port) is its field's format, checked
 * when the estate is lowered (TYP008). */
void rule_ID018(struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  if (!mi || mi->provider.v != M_mi_provider_keycloak || !mi->keycloak.url.set)
    return;
  const struct m_keycloak *k = &mi->keycloak;
  if (!k->admin_password.set) {
    struct diag *g = report(s, R_ID018, &k->meta, k->url.at, "the external Keycloak has no admin_password");
    note(s, g, at_or(k->admin_user.at, &k->meta), "Management Identity logs in as admin_user = \"%s\"",
         k->admin_user.v);
    help(s, g, "name the administrator's password: admin_password = secret(\"keycloak-admin\", key = \"password\")");
  }
}

/* ID019: Management Identity on an OIDC provider has a database, endpoints and clients. */
void rule_ID019(struct sema *s) {
  const struct m_management_identity *mi = mgmt(s);
  if (!mi || mi->provider.v != M_mi_provider_oidc)
    return;
  const struct m_identity *id = ident(s);
  struct span at = at_or(mi->provider.at, &mi->meta);
  if (!mi->database.meta.present) {
    struct diag *g = report(s, R_ID019, &mi->meta, at, "provider = oidc without a database for Management Identity");
    help(s, g, "give it one: database = postgres { url = \"jdbc:postgresql://...\", user = \"identity\", "
               "password = secret(\"identity-db\", key = \"password\") }");
  }
  const struct m_str *urls[] = {&id->issuer, &id->token_url, &id->jwks_url, &id->auth_url};
  static const char *const names[] = {"issuer", "token_url", "jwks_url", "auth_url"};
  char missing[64] = "";
  for (size_t i = 0; i < 4; i++)
    if (!urls[i]->set) {
      strcat(missing, *missing ? ", " : "");
      strcat(missing, names[i]);
    }
  if (*missing) {
    struct diag *g = report(s, R_ID019, &mi->meta, at, "provider = oidc, but identity does not give %s", missing);
    note(s, g, id->meta.at, "the provider's settings are in identity");
    help(s, g, "write the provider's endpoints in identity, as its discovery document lists them");
  }
  if (!s->e->optimize.meta.present)
    return;
  const struct m_client *c = model_client(id, "optimize");
  if (!c || !c->secret.set) {
    struct diag *g = report(s, R_ID019, c ? &c->meta : &s->e->optimize.meta, c ? c->meta.at : s->e->optimize.meta.at,
                            c ? "client \"optimize\" has no secret" : "Optimize has no client at the provider");
    note(s, g, at, "Management Identity uses an external provider here");
    help(s, g, "in identity: client \"optimize\" { secret = secret(\"oidc-optimize\") }");
  }
}

/* --- passwords ---------------------------------------------------------- */

/* A password field and the user it belongs to, for ID021. */
struct pw {
  const struct meta *owner;
  const struct m_secstr *password;
  const char *user;      /* the user name, or NULL */
  const char *whose;     /* "user \"alice\"", "the Keycloak database" */
  const char *field;     /* the field, for the help */
};

static const char *opt(const struct m_str *v) { return v->set ? v->v : NULL; }

/* Every password of the estate that the environment uses; *n gets their number. */
static struct pw *passwords(const struct sema *s, size_t *n) {
  const struct m_estate *e = s->e;
  const struct m_identity *id = &e->identity;
  struct pw *out = arena_alloc(s->a, (id->user.v.len + 8) * sizeof *out);
  *n = 0;
#define PW(o, p, u, w, f)                                                                                   \
  do {                                                                                                      \
    if ((p)->set)                                                                                           \
      out[(*n)++] = (struct pw){(o), (p), (u), (w), (f)};                                                   \
  } while (0)
  for (size_t i = 0; i < id->user.v.len && id->method.v == M_auth_method_basic; i++) {
    const struct m_user *u = id->user.v.items[i];
    PW(&u->meta, &u->password, u->meta.label, arena_printf(s->a, "user \"%s\"", u->meta.label), "password");
  }
  const struct m_storage *st = &e->orchestration.storage;
  int kind = st->meta.kind;
  if (kind == M_storage_kind_elasticsearch || kind == M_storage_kind_opensearch || kind == M_storage_kind_rdbms)
    PW(&st->meta, &st->password, opt(&st->username), "the secondary storage", "password");
  const struct m_management_identity *mi = mgmt(s);
  if (mi) {
    if (mi->provider.v == M_mi_provider_keycloak) {
      const struct m_keycloak *k = &mi->keycloak;
      PW(&k->meta, &k->admin_password, k->admin_user.v,
         arena_printf(s->a, "Keycloak's administrator \"%s\"", k->admin_user.v), "admin_password");
      PW(&k->database.meta, &k->database.password, opt(&k->database.user), "the Keycloak database", "password");
    }
    if (mi->database.meta.present)
      PW(&mi->database.meta, &mi->database.password, opt(&mi->database.user), "the Management Identity database",
         "password");
    PW(&mi->meta, &mi->first_user_password, opt(&mi->first_user),
       mi->first_user.set ? arena_printf(s->a, "first user \"%s\"", mi->first_user.v) : "the first user",
       "first_user_password");
  }
  const struct m_web_modeler *wm = &e->web_modeler;
  if (wm->meta.present) {
    PW(&wm->database.meta, &wm->database.password, opt(&wm->database.user), "the Web Modeler database", "password");
    if (wm->mail.meta.present)
      PW(&wm->mail.meta, &wm->mail.smtp_password, opt(&wm->mail.smtp_user), "the SMTP account", "smtp_password");
  }
#undef PW
  return out;
}

/* --- secrets written in clear ------------------------------------------ */

/* Where a field sits in the estate, innermost last: `up` is the enclosing
 * block; a labelled block's part reads `user "ops"`. */
struct path {
  const struct path *up;
  const char *name, *label;
};

/* identity.user "ops".password */
static void path_text(struct buf *b, const struct path *p) {
  if (!p)
    return;
  path_text(b, p->up);
  buf_printf(b, "%s%s", p->up ? "." : "", p->name);
  if (p->label)
    buf_printf(b, " \"%s\"", p->label);
}

static void clear_secret(struct sema *s, const struct meta *owner, const struct path *where, const char *field,
                         struct span at) {
  struct buf b = {0};
  path_text(&b, where);
  struct diag *g = report(s, R_ID020, owner, at, "`%s` is a secret, written here in clear", b.data);
  buf_free(&b);
  help(s, g, "create the Secret before installing and name it: %s = secret(\"name\", key = \"key\")", field);
}

/* Every literal in a secret-bearing field of the struct at `base`
 * (SECRET, SECSTR, SECMAP of model.def), found by the descriptors: the
 * blocks, enabled components, typed objects and labelled blocks the
 * environment has, each the owner of its fields for `allow`. */
static void clear_secrets(struct sema *s, const struct struct_desc *sd, const void *base, const struct path *up) {
  const struct meta *owner = base; /* every struct of the model starts with its meta */
  for (size_t i = 0; i < sd->nfields; i++) {
    const struct field_desc *fd = &sd->fields[i];
    const void *p = (const char *)base + fd->offset;
    struct path here = {up, fd->name, NULL};
    switch (fd->type) {
    case FT_COMPONENT: case FT_VARIANT:
      if (((const struct meta *)p)->present)
        clear_secrets(s, fd->sub, p, &here);
      break;
    case FT_BLOCK:
      clear_secrets(s, fd->sub, p, &here);
      break;
    case FT_LIST: {
      const struct m_list *list = p;
      for (size_t k = 0; k < list->v.len; k++) {
        const struct meta *item = list->v.items[k];
        struct path labelled = {up, fd->name, item->label};
        clear_secrets(s, fd->sub, item, &labelled);
      }
      break;
    }
    case FT_SECRET: case FT_SECSTR: {
      const struct m_secstr *v = p;
      if (fd->secret_bearing && v->set && v->str)
        clear_secret(s, owner, &here, fd->name, v->at);
      break;
    }
    case FT_ENVMAP: {
      const struct m_envmap *map = p;
      for (size_t k = 0; fd->secret_bearing && k < map->v.len; k++) {
        const struct m_env *e = map->v.items[k];
        struct path entry = {&here, e->name, NULL};
        if (e->value.set && e->value.str)
          clear_secret(s, owner, &entry, e->name, e->value.at);
      }
      break;
    }
    default:
      break;
    }
  }
}

/* ID020: secrets come from secret() in production, in every field whose
 * values are secrets. */
void rule_ID020(struct sema *s) { clear_secrets(s, &model_estate_desc, s->e, NULL); }

/* ID021: no demo or default credentials. */
void rule_ID021(struct sema *s) {
  size_t n;
  const struct pw *pws = passwords(s, &n);
  for (size_t i = 0; i < n; i++) {
    const char *p = pws[i].password->str;
    bool demo = p && strcmp(p, "demo") == 0, same = p && pws[i].user && strcmp(p, pws[i].user) == 0;
    if (!demo && !same)
      continue;
    struct diag *g = report(s, R_ID021, pws[i].owner, pws[i].password->at,
                            demo ? "the password of %s is \"%s\", a demo credential"
                                 : "the password of %s is \"%s\", its user name",
                            pws[i].whose, p);
    help(s, g, "set a unique password, kept in a Secret: %s = secret(\"name\", key = \"key\")", pws[i].field);
  }
}

/* ID010: a client's redirect_url is a base URL, without /sso-callback
 * (that it is an http(s) base URL is its field's format: TYP008). */
void rule_ID010(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  if (id->method.v != M_auth_method_oidc)
    return;
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    struct url u;
    if (!c->redirect_url.set || url_parse(s->a, URL_FORM_BASE, c->redirect_url.v, &u) != URL_OK)
      continue;
    const char *tail = "/sso-callback";
    size_t n = strlen(u.path), t = strlen(tail);
    if (n < t || strcmp(u.path + n - t, tail) != 0)
      continue;
    const char *url = c->redirect_url.v;
    struct diag *g = report(s, R_ID010, &c->meta, c->redirect_url.at, "redirect_url = \"%s\" already ends in /sso-callback",
                            url);
    help(s, g, "give the base URL: redirect_url = \"%.*s\"; the provider must allow it with /sso-callback",
         (int)(strlen(url) - t), url);
  }
}
