/* access.c - identity as code, from the estate's memberships to Camunda's
 * lists (access.h). */
#include "access.h"

#include <string.h>

#include "camunda.h"

/* --- Camunda's vocabulary ---------------------------------------------------- */

static const char *const builtin_88[] = {"admin", "readonly-admin", "connectors", "rpa", "app-integrations"};

/* The roles the backends write with the users themselves. */
static bool with_users(const char *role) {
  return strcmp(role, camunda_role_name(ROLE_ADMIN)) == 0 || strcmp(role, camunda_role_name(ROLE_CONNECTORS)) == 0;
}

bool access_builtin_role(int minor, const char *id) {
  for (size_t i = 0; i < sizeof builtin_88 / sizeof builtin_88[0]; i++)
    if (strcmp(id, builtin_88[i]) == 0)
      return true;
  return minor >= 9 && strcmp(id, "task-worker") == 0;
}

const char *access_builtin_roles(int minor) {
  return minor >= 9 ? "admin, readonly-admin, connectors, rpa, app-integrations and task-worker"
                    : "admin, readonly-admin, connectors, rpa and app-integrations";
}

/* The permissions of each resource type: Camunda's authorization docs for
 * 8.8 and 8.9 (components/concepts/access-control/authorizations). `since`
 * is the first minor that has the type; `more89` what 8.9 adds to it. */
static const struct {
  int rt, since;
  const char *perms, *more89;
} types[] = {
    {M_resource_type_authorization, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_batch, 8,
     "CREATE READ UPDATE CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE CREATE_BATCH_OPERATION_DELETE_PROCESS_INSTANCE "
     "CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE "
     "CREATE_BATCH_OPERATION_RESOLVE_INCIDENT CREATE_BATCH_OPERATION_DELETE_DECISION_INSTANCE "
     "CREATE_BATCH_OPERATION_DELETE_DECISION_DEFINITION CREATE_BATCH_OPERATION_DELETE_PROCESS_DEFINITION",
     ""},
    {M_resource_type_component, 8, "ACCESS", ""},
    {M_resource_type_decision_definition, 8,
     "CREATE_DECISION_INSTANCE READ_DECISION_DEFINITION READ_DECISION_INSTANCE DELETE_DECISION_INSTANCE", ""},
    {M_resource_type_decision_requirements_definition, 8, "READ", ""},
    {M_resource_type_document, 8, "CREATE READ DELETE", ""},
    {M_resource_type_group, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_mapping_rule, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_message, 8, "CREATE READ", ""},
    {M_resource_type_process_definition, 8,
     "CREATE_PROCESS_INSTANCE READ_PROCESS_DEFINITION READ_PROCESS_INSTANCE READ_USER_TASK UPDATE_PROCESS_INSTANCE "
     "UPDATE_USER_TASK MODIFY_PROCESS_INSTANCE CANCEL_PROCESS_INSTANCE DELETE_PROCESS_INSTANCE",
     "CLAIM_USER_TASK COMPLETE_USER_TASK"},
    {M_resource_type_resource, 8, "CREATE READ DELETE_DRD DELETE_FORM DELETE_PROCESS DELETE_RESOURCE", ""},
    {M_resource_type_role, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_system, 8, "READ READ_USAGE_METRIC UPDATE", "READ_JOB_METRIC"},
    {M_resource_type_tenant, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_user, 8, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_audit_log, 9, "READ", ""},
    {M_resource_type_cluster_variable, 9, "CREATE READ UPDATE DELETE", ""},
    {M_resource_type_expression, 9, "EVALUATE", ""},
    {M_resource_type_global_listener, 9,
     "CREATE_TASK_LISTENER READ_TASK_LISTENER UPDATE_TASK_LISTENER DELETE_TASK_LISTENER", ""},
    {M_resource_type_user_task, 9, "READ UPDATE CLAIM COMPLETE", ""},
};

static int type_index(int rt) {
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (types[i].rt == rt)
      return (int)i;
  return -1;
}

bool access_resource_type_in(int minor, int rt) {
  int i = type_index(rt);
  return i >= 0 && minor >= types[i].since;
}

/* Whether `word` is one of the space-separated words of `list`. */
static bool in_words(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; *p;) {
    const char *end = strchr(p, ' ');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && strncmp(p, word, n) == 0)
      return true;
    p += len + (end != NULL);
  }
  return false;
}

bool access_permission_valid(int minor, int rt, const char *perm) {
  int i = type_index(rt);
  if (i < 0 || minor < types[i].since || !*perm)
    return false;
  return in_words(types[i].perms, perm) || (minor >= 9 && in_words(types[i].more89, perm));
}

const char *access_permissions(struct arena *a, int minor, int rt) {
  int i = type_index(rt);
  if (i < 0)
    return "";
  char *s = arena_printf(a, "%s%s%s", types[i].perms, minor >= 9 && *types[i].more89 ? " " : "",
                         minor >= 9 ? types[i].more89 : "");
  struct buf b = {0};
  for (const char *p = s; *p; p++)
    buf_puts(&b, *p == ' ' ? ", " : (char[2]){*p, 0});
  char *out = arena_strdup(a, b.data ? b.data : "");
  buf_free(&b);
  return out;
}

/* --- from the estate's memberships to Camunda's lists -------------------------- */

bool access_given(const struct model *m) {
  const struct m_identity *id = &m->e.identity;
  if (id->group.v.len || id->role.v.len || id->tenant.v.len || id->mapping_rule.v.len || id->authorization.v.len ||
      id->tenants.v.len)
    return true;
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (u->groups.v.len || u->tenants.v.len)
      return true;
    for (size_t r = 0; r < u->roles.v.len; r++)
      if (!with_users(u->roles.v.items[r]))
        return true;
  }
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (c->roles.v.len || c->groups.v.len || c->tenants.v.len)
      return true;
  }
  return false;
}

bool access_names_client(const struct m_identity *id, const struct m_client *c) {
  if (c->roles.v.len || c->groups.v.len || c->tenants.v.len)
    return true;
  for (size_t i = 0; i < id->authorization.v.len; i++) {
    const struct m_authorization *z = id->authorization.v.items[i];
    if (z->owner_type.v == M_owner_type_client && z->owner.set && strcmp(z->owner.v, c->meta.label) == 0)
      return true;
  }
  return false;
}

static bool has(const struct m_strlist *l, const char *s) {
  for (size_t i = 0; i < l->v.len; i++)
    if (strcmp(l->v.items[i], s) == 0)
      return true;
  return false;
}

/* The members of one container (a group, role or tenant), by kind. */
struct members {
  struct ynode *users, *clients, *groups, *mapping_rules;
};

/* Which membership list of a member names its containers. */
enum field { F_ROLES, F_GROUPS, F_TENANTS };

static const struct m_strlist *user_list(const struct m_user *u, enum field f) {
  return f == F_ROLES ? &u->roles : f == F_GROUPS ? &u->groups : &u->tenants;
}
static const struct m_strlist *client_list(const struct m_client *c, enum field f) {
  return f == F_ROLES ? &c->roles : f == F_GROUPS ? &c->groups : &c->tenants;
}
static const struct m_strlist *rule_list(const struct m_mapping_rule *r, enum field f) {
  return f == F_ROLES ? &r->roles : f == F_GROUPS ? &r->groups : &r->tenants;
}
static const struct m_strlist *group_list(const struct m_group *g, enum field f) {
  static const struct m_strlist none;
  return f == F_ROLES ? &g->roles : f == F_TENANTS ? &g->tenants : &none;
}

/* Every user, client, group and mapping rule whose list `f` names `name`. */
static struct members members_of(struct arena *a, const struct m_identity *id, const char *name, enum field f) {
  struct members s = {y_seq(a), y_seq(a), y_seq(a), y_seq(a)};
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    if (has(user_list(u, f), name))
      y_push(a, s.users, y_str(a, u->meta.label));
  }
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (has(client_list(c, f), name))
      y_push(a, s.clients, y_str(a, c->id.v));
  }
  for (size_t i = 0; i < id->group.v.len; i++) {
    const struct m_group *g = id->group.v.items[i];
    if (has(group_list(g, f), name))
      y_push(a, s.groups, y_str(a, g->meta.label));
  }
  for (size_t i = 0; i < id->mapping_rule.v.len; i++) {
    const struct m_mapping_rule *r = id->mapping_rule.v.items[i];
    if (has(rule_list(r, f), name))
      y_push(a, s.mapping_rules, y_str(a, r->meta.label));
  }
  return s;
}

/* Sets the non-empty member lists of an entry. */
static void put_members(struct arena *a, struct ynode *entry, const struct members *s, bool groups) {
  if (s->users->items.len)
    y_set(a, entry, "users", s->users);
  if (s->clients->items.len)
    y_set(a, entry, "clients", s->clients);
  if (groups && s->groups->items.len)
    y_set(a, entry, "groups", s->groups);
  if (s->mapping_rules->items.len)
    y_set(a, entry, "mapping-rules", s->mapping_rules);
}

static struct ynode *entry(struct arena *a, const char *id_key, const char *id, const struct m_str *name,
                           const struct m_str *description) {
  struct ynode *e = y_map(a);
  y_set(a, e, id_key, y_str(a, id));
  y_set(a, e, "name", y_str(a, name->set ? name->v : id));
  if (description->set)
    y_set(a, e, "description", y_str(a, description->v));
  return e;
}

static const char *owner_type_name(int t) {
  switch (t) {
  case M_owner_type_user: return "USER";
  case M_owner_type_client: return "CLIENT";
  case M_owner_type_group: return "GROUP";
  case M_owner_type_role: return "ROLE";
  default: return "MAPPING_RULE";
  }
}

/* The resource type as Camunda spells it: the enum's name in capitals. */
static const char *upper(struct arena *a, const char *s) {
  char *u = arena_strdup(a, s);
  for (char *p = u; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  return u;
}

static struct ynode *authorizations(struct arena *a, const struct m_identity *id) {
  struct ynode *seq = y_seq(a);
  for (size_t i = 0; i < id->authorization.v.len; i++) {
    const struct m_authorization *z = id->authorization.v.items[i];
    struct ynode *e = y_map(a);
    const char *owner = z->owner.v ? z->owner.v : "";
    if (z->owner_type.v == M_owner_type_client) {
      const struct m_client *c = model_client(id, owner);
      owner = c ? c->id.v : owner;
    }
    y_set(a, e, "owner-type", y_str(a, owner_type_name(z->owner_type.v)));
    y_set(a, e, "owner-id", y_str(a, owner));
    y_set(a, e, "resource-type", y_str(a, upper(a, model_enum_name(z->resource_type.v))));
    y_set(a, e, "resource-id", y_str(a, z->resource.v));
    struct ynode *perms = y_seq(a);
    for (size_t k = 0; k < z->permissions.v.len; k++)
      y_push(a, perms, y_str(a, z->permissions.v.items[k]));
    y_set(a, e, "permissions", perms);
    y_push(a, seq, e);
  }
  return seq;
}

struct ynode *access_lists(struct arena *a, const struct model *m) {
  const struct m_identity *id = &m->e.identity;
  struct ynode *root = y_map(a), *rules = y_seq(a), *groups = y_seq(a), *roles = y_seq(a), *tenants = y_seq(a);
  for (size_t i = 0; i < id->mapping_rule.v.len; i++) {
    const struct m_mapping_rule *r = id->mapping_rule.v.items[i];
    struct ynode *e = y_map(a);
    y_set(a, e, "mapping-rule-id", y_str(a, r->meta.label));
    y_set(a, e, "claim-name", y_str(a, r->claim.v ? r->claim.v : ""));
    y_set(a, e, "claim-value", y_str(a, r->value.v ? r->value.v : ""));
    y_push(a, rules, e);
  }
  for (size_t i = 0; i < id->group.v.len; i++) {
    const struct m_group *g = id->group.v.items[i];
    struct ynode *e = entry(a, "group-id", g->meta.label, &g->name, &g->description);
    struct members s = members_of(a, id, g->meta.label, F_GROUPS);
    put_members(a, e, &s, false);
    y_push(a, groups, e);
  }
  for (size_t i = 0; i < id->role.v.len; i++) {
    const struct m_role *r = id->role.v.items[i];
    struct ynode *e = entry(a, "role-id", r->meta.label, &r->name, &r->description);
    struct members s = members_of(a, id, r->meta.label, F_ROLES);
    put_members(a, e, &s, true);
    y_push(a, roles, e);
  }
  /* identity.tenants names tenants by id only; a tenant block gives a name */
  for (size_t i = 0; i < id->tenants.v.len; i++) {
    const char *t = id->tenants.v.items[i];
    const struct m_str none = {0};
    bool block = false;
    for (size_t k = 0; k < id->tenant.v.len && !block; k++)
      block = strcmp(((const struct m_tenant *)id->tenant.v.items[k])->meta.label, t) == 0;
    if (block)
      continue;
    struct ynode *e = entry(a, "tenant-id", t, &none, &none);
    struct members s = members_of(a, id, t, F_TENANTS);
    put_members(a, e, &s, true);
    y_push(a, tenants, e);
  }
  for (size_t i = 0; i < id->tenant.v.len; i++) {
    const struct m_tenant *t = id->tenant.v.items[i];
    struct ynode *e = entry(a, "tenant-id", t->meta.label, &t->name, &t->description);
    struct members s = members_of(a, id, t->meta.label, F_TENANTS);
    put_members(a, e, &s, true);
    y_push(a, tenants, e);
  }
  struct ynode *auths = authorizations(a, id);
  const struct {
    const char *key;
    struct ynode *list;
  } lists[] = {{"mapping-rules", rules}, {"groups", groups}, {"roles", roles}, {"tenants", tenants},
               {"authorizations", auths}};
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
    if (lists[i].list->items.len)
      y_set(a, root, lists[i].key, lists[i].list);
  return root->items.len ? root : NULL;
}

static void add_member(struct arena *a, struct vec *out, const char *role, const char *kind, const char *id) {
  struct access_member *x = arena_alloc(a, sizeof *x);
  *x = (struct access_member){role, kind, id};
  vec_push(a, out, x);
}

void access_builtin_members(struct arena *a, const struct model *m, struct vec *out) {
  const struct m_identity *id = &m->e.identity;
  for (size_t i = 0; i < id->user.v.len; i++) {
    const struct m_user *u = id->user.v.items[i];
    for (size_t r = 0; r < u->roles.v.len; r++) {
      const char *role = u->roles.v.items[r];
      if (!with_users(role) && access_builtin_role(m->minor, role))
        add_member(a, out, role, "users", u->meta.label);
    }
  }
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    for (size_t r = 0; r < c->roles.v.len; r++)
      if (access_builtin_role(m->minor, c->roles.v.items[r]))
        add_member(a, out, c->roles.v.items[r], "clients", c->id.v);
  }
  for (size_t i = 0; i < id->group.v.len; i++) {
    const struct m_group *g = id->group.v.items[i];
    for (size_t r = 0; r < g->roles.v.len; r++)
      if (access_builtin_role(m->minor, g->roles.v.items[r]))
        add_member(a, out, g->roles.v.items[r], "groups", g->meta.label);
  }
  for (size_t i = 0; i < id->mapping_rule.v.len; i++) {
    const struct m_mapping_rule *x = id->mapping_rule.v.items[i];
    for (size_t r = 0; r < x->roles.v.len; r++)
      if (access_builtin_role(m->minor, x->roles.v.items[r]))
        add_member(a, out, x->roles.v.items[r], "mappingrules", x->meta.label);
  }
}

void access_add_default_roles(struct arena *a, struct ynode *default_roles, const struct vec *members) {
  for (size_t i = 0; i < members->len; i++) {
    const struct access_member *x = members->items[i];
    struct ynode *role = NULL, *list = NULL;
    for (size_t k = 0; k < default_roles->items.len && !role; k++)
      if (strcmp(default_roles->keys.items[k], x->role) == 0)
        role = default_roles->items.items[k];
    if (!role) {
      role = y_map(a);
      y_put(a, default_roles, x->role, role);
    }
    for (size_t k = 0; k < role->items.len && !list; k++)
      if (strcmp(role->keys.items[k], x->kind) == 0)
        list = role->items.items[k];
    if (!list) {
      list = y_seq(a);
      y_put(a, role, x->kind, list);
    }
    bool listed = false;  /* a client given admin may be the cluster's own, written already */
    for (size_t k = 0; k < list->items.len && !listed; k++)
      listed = strcmp(((const struct ynode *)list->items.items[k])->s, x->id) == 0;
    if (!listed)
      y_push(a, list, y_str(a, x->id));
  }
}

void access_into_spring(struct arena *a, const struct model *m, struct ynode *doc, const char *prefix,
                        const char *roles_key) {
  struct ynode *lists = access_lists(a, m);
  for (size_t i = 0; lists && i < lists->items.len; i++)
    y_set(a, doc, arena_printf(a, "%s.%s", prefix, (const char *)lists->keys.items[i]), lists->items.items[i]);
  struct vec members = {0};
  access_builtin_members(a, m, &members);
  if (!members.len)
    return;
  const char *key = arena_printf(a, "%s.%s", prefix, roles_key);
  if (!y_get(doc, key))
    y_set(a, doc, key, y_map(a));
  access_add_default_roles(a, y_get(doc, key), &members);
}
