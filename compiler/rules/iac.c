/* rules/iac.c - identity as code (access.h). */
#include <string.h>

#include "access.h"
#include "camunda.h"
#include "rules.h"

static const struct m_identity *ident(const struct sema *s) { return &s->e->identity; }

static bool is_label(const struct m_list *l, const char *name) {
  for (size_t i = 0; i < l->v.len; i++)
    if (strcmp(((const struct meta *)l->v.items[i])->label, name) == 0)
      return true;
  return false;
}

static bool is_tenant(const struct m_identity *id, const char *name) {
  for (size_t i = 0; i < id->tenants.v.len; i++)
    if (strcmp(id->tenants.v.items[i], name) == 0)
      return true;
  return strcmp(name, "<default>") == 0 || is_label(&id->tenant, name);
}

/* The names of the blocks of a list, "a, b", for a help line. */
static const char *labels(struct arena *a, const struct m_list *l) {
  struct buf b = {0};
  for (size_t i = 0; i < l->v.len && i < 16; i++)
    buf_printf(&b, "%s\"%s\"", i ? ", " : "", ((const struct meta *)l->v.items[i])->label);
  char *s = arena_strdup(a, b.data ? b.data : "none");
  buf_free(&b);
  return s;
}

/* Each name of a membership list must be a block of `kind` (or a built-in role). */
static void names_exist(struct sema *s, const struct meta *owner, const char *who, const struct m_strlist *list,
                        const char *kind) {
  const struct m_identity *id = ident(s);
  for (size_t i = 0; i < list->v.len; i++) {
    const char *n = list->v.items[i];
    bool ok = strcmp(kind, "role") == 0    ? is_label(&id->role, n) || access_builtin_role(s->m->minor, n)
              : strcmp(kind, "group") == 0 ? is_label(&id->group, n)
                                           : is_tenant(id, n);
    if (ok)
      continue;
    struct diag *g = report(s, R_IAC001, owner, list->at, "%s names %s \"%s\", which the estate does not define", who,
                            kind, n);
    if (strcmp(kind, "role") == 0)
      help(s, g, "define it: identity { role \"%s\" { name = \"...\" } }, or use a built-in role (%s)", n,
           access_builtin_roles(s->m->minor));
    else if (strcmp(kind, "group") == 0)
      help(s, g, "define it: identity { group \"%s\" { name = \"...\" } } (groups: %s)", n, labels(s->a, &id->group));
    else
      help(s, g, "define it: identity { tenant \"%s\" { name = \"...\" } }, or add it to tenants = [...]", n);
  }
}

/* IAC001: every role, group, tenant and owner named exists. */
void rule_IAC001(struct sema *s) {
  const struct m_identity *id = ident(s);
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    const char *who = arena_printf(s->a, "user \"%s\"", u->meta.label);
    names_exist(s, &u->meta, who, &u->roles, "role");
    names_exist(s, &u->meta, who, &u->groups, "group");
    names_exist(s, &u->meta, who, &u->tenants, "tenant");
  }
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    const char *who = arena_printf(s->a, "client \"%s\"", c->meta.label);
    names_exist(s, &c->meta, who, &c->roles, "role");
    names_exist(s, &c->meta, who, &c->groups, "group");
    names_exist(s, &c->meta, who, &c->tenants, "tenant");
  }
  for (size_t i = 0; i < id->group.v.len; i++) {
    const struct m_group *g = id->group.v.items[i];
    const char *who = arena_printf(s->a, "group \"%s\"", g->meta.label);
    names_exist(s, &g->meta, who, &g->roles, "role");
    names_exist(s, &g->meta, who, &g->tenants, "tenant");
  }
  for (size_t i = 0; i < id->mapping_rule.v.len; i++) {
    const struct m_mapping_rule *r = id->mapping_rule.v.items[i];
    const char *who = arena_printf(s->a, "mapping rule \"%s\"", r->meta.label);
    names_exist(s, &r->meta, who, &r->roles, "role");
    names_exist(s, &r->meta, who, &r->groups, "group");
    names_exist(s, &r->meta, who, &r->tenants, "tenant");
  }
  for (size_t i = 0; i < id->authorization.v.len; i++) {
    const struct m_authorization *z = id->authorization.v.items[i];
    const char *o = z->owner.set ? z->owner.v : "";
    bool ok = false;
    switch (z->owner_type.v) {
    case M_owner_type_user: ok = is_label(&id->user, o) || id->method.v == M_auth_method_oidc; break;
    case M_owner_type_client: ok = is_label(&id->client, o); break;
    case M_owner_type_group: ok = is_label(&id->group, o) || id->groups_claim.set; break;
    case M_owner_type_role: ok = is_label(&id->role, o) || access_builtin_role(s->m->minor, o); break;
    default: ok = is_label(&id->mapping_rule, o); break;
    }
    if (!z->owner_type.set || !z->resource_type.set || !z->owner.set) {
      struct diag *g = report(s, R_IAC001, &z->meta, z->meta.at, "authorization \"%s\" names no %s", z->meta.label,
                              !z->owner_type.set ? "owner_type" : !z->owner.set ? "owner" : "resource_type");
      help(s, g, "authorization \"%s\" { owner_type = role, owner = \"...\", resource_type = process_definition, "
                 "permissions = [\"READ_PROCESS_INSTANCE\"] }",
           z->meta.label);
      continue;
    }
    if (ok)
      continue;
    struct diag *g = report(s, R_IAC001, &z->meta, z->owner.at, "authorization \"%s\": %s \"%s\" is not defined",
                            z->meta.label, model_enum_name(z->owner_type.v), o);
    help(s, g, "define the %s, or name one the estate has", model_enum_name(z->owner_type.v));
  }
}

/* IAC002: the permissions are the resource type's in this version. */
void rule_IAC002(struct sema *s) {
  const struct m_identity *id = ident(s);
  for (size_t i = 0; i < id->authorization.v.len; i++) {
    const struct m_authorization *z = id->authorization.v.items[i];
    if (!z->resource_type.set)
      continue;  /* IAC001 */
    int rt = z->resource_type.v;
    if (!access_resource_type_in(s->m->minor, rt)) {
      struct diag *g = report(s, R_IAC002, &z->meta, z->resource_type.at,
                              "resource_type = %s does not exist in Camunda 8.%d", model_enum_name(rt), s->m->minor);
      help(s, g, "it comes with Camunda 8.9: version = \"8.9\", or another resource type");
      continue;
    }
    if (z->resource.v && strchr(z->resource.v, '*') && strcmp(z->resource.v, "*") != 0) {
      struct diag *g = report(s, R_IAC002, &z->meta, z->resource.at,
                              "resource = \"%s\": Camunda takes * alone, for every resource, not inside an id",
                              z->resource.v);
      help(s, g, "resource = \"*\", or one authorization per resource id");
    }
    if (!z->permissions.v.len) {
      struct diag *g = report(s, R_IAC002, &z->meta, z->meta.at, "authorization \"%s\" grants no permission",
                              z->meta.label);
      help(s, g, "permissions of %s: %s", model_enum_name(rt), access_permissions(s->a, s->m->minor, rt));
    }
    for (size_t k = 0; k < z->permissions.v.len; k++) {
      const char *p = z->permissions.v.items[k];
      if (access_permission_valid(s->m->minor, rt, p))
        continue;
      struct diag *g = report(s, R_IAC002, &z->meta, z->permissions.at, "%s is not a permission of %s in Camunda 8.%d", p,
                              model_enum_name(rt), s->m->minor);
      help(s, g, "permissions of %s: %s", model_enum_name(rt), access_permissions(s->a, s->m->minor, rt));
    }
  }
}

static bool admin_in(const struct m_strlist *roles) {
  for (size_t i = 0; i < roles->v.len; i++)
    if (strcmp(roles->v.items[i], camunda_role_name(ROLE_ADMIN)) == 0)
      return true;
  return false;
}

/* IAC003: under OIDC someone holds the admin role. */
void rule_IAC003(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v != M_auth_method_oidc)
    return;
  for (size_t i = 0; i < id->user.v.len; i++)
    if (admin_in(&((const struct m_user *)id->user.v.items[i])->roles))
      return;
  for (size_t i = 0; i < id->client.v.len; i++)
    if (admin_in(&((const struct m_client *)id->client.v.items[i])->roles))
      return;
  for (size_t i = 0; i < id->group.v.len; i++)
    if (admin_in(&((const struct m_group *)id->group.v.items[i])->roles))
      return;
  for (size_t i = 0; i < id->mapping_rule.v.len; i++)
    if (admin_in(&((const struct m_mapping_rule *)id->mapping_rule.v.items[i])->roles))
      return;
  const struct m_management_identity *mi = &s->e->management_identity;
  if (mi->meta.present && mi->first_user.set)
    return;  /* the backends make Management Identity's first user the admin */
  struct diag *g = report(s, R_IAC003, &id->meta, at_or(id->method.at, &id->meta),
                          "no user, client, group or mapping rule holds the admin role under OIDC");
  help(s, g, "give it to someone: user \"jane\" { roles = [\"admin\"] }, or a mapping rule: mapping_rule \"admins\" "
             "{ claim = \"groups\", value = \"camunda-admins\", roles = [\"admin\"] }");
}

/* IAC004: mapping rules only under OIDC. */
void rule_IAC004(struct sema *s) {
  const struct m_identity *id = ident(s);
  if (id->method.v == M_auth_method_oidc)
    return;
  /* an estate's rules for its OIDC environments are no business of one on
   * basic authentication: only the rules the environment gives itself */
  const struct m_mapping_rule *r = NULL;
  for (size_t i = 0; i < id->mapping_rule.v.len && !r; i++)
    if (model_own(s->m, ((const struct meta *)id->mapping_rule.v.items[i])->from))
      r = id->mapping_rule.v.items[i];
  if (!r)
    return;
  struct diag *g = report(s, R_IAC004, &r->meta, r->meta.at, "mapping rule \"%s\" under method = %s: there are no tokens",
                          r->meta.label, model_enum_name(id->method.v));
  help(s, g, "use method = oidc, or give the users their roles, groups and tenants directly");
}

/* IAC005: groups, roles and tenants need 8.8.12, authorizations 8.8.10. */
void rule_IAC005(struct sema *s) {
  const struct m_identity *id = ident(s);
  const char *release = camunda_release(s->m);
  if (s->m->minor != 8 || !camunda_is_release(release))
    return;
  bool lists = id->group.v.len || id->role.v.len || id->tenant.v.len || id->tenants.v.len;
  const char *need = lists ? "8.8.12" : id->authorization.v.len ? "8.8.10" : NULL;
  if (!need || version_cmp(release, need) >= 0)
    return;
  struct diag *g = report(s, R_IAC005, &id->meta, id->meta.at, "Camunda %s does not create %s at start-up: it needs %s",
                          release, lists ? "groups, roles or tenants" : "authorizations", need);
  help(s, g, "run %s or later (version = \"8.8\" takes the standard library's latest)", need);
}

static bool tenant_id_ok(const char *t) {
  size_t n = strlen(t);
  if (n < 1 || n > 31)
    return false;
  for (const char *p = t; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("_.-", *p)))
      return false;
  return true;
}

/* IAC006: tenant ids as Camunda accepts them. */
void rule_IAC006(struct sema *s) {
  const struct m_identity *id = ident(s);
  for (size_t i = 0; i < id->tenants.v.len; i++)
    if (!tenant_id_ok(id->tenants.v.items[i])) {
      struct diag *g = report(s, R_IAC006, &id->meta, id->tenants.at, "tenant id \"%s\" is not one Camunda accepts",
                              (const char *)id->tenants.v.items[i]);
      help(s, g, "1 to 31 letters, digits, '_', '.' and '-'");
    }
  for (size_t i = 0; i < id->tenant.v.len; i++) {
    const struct m_tenant *t = id->tenant.v.items[i];
    if (tenant_id_ok(t->meta.label))
      continue;
    struct diag *g = report(s, R_IAC006, &t->meta, t->meta.at, "tenant id \"%s\" is not one Camunda accepts", t->meta.label);
    help(s, g, "1 to 31 letters, digits, '_', '.' and '-'");
  }
}
