/* access.c - identity as code in the Helm values: the groups, roles,
 * tenants, mapping rules and authorizations of the estate (access.h), and
 * the members of Camunda's built-in roles.
 *
 * Both charts have keys for mapping rules, authorizations and the default
 * roles under orchestration.security.initialization, which their
 * application.yaml copies verbatim (toYaml) under
 * camunda.security.initialization.  Neither has keys for groups, roles or
 * tenants: chart 14.x imports the files of orchestration.extraConfiguration
 * (a list) into the cluster's configuration (spring.config.import); chart
 * 13.x mounts them but imports nothing, so there they go through the
 * environment, which Spring Boot binds the same way.  The members of
 * built-in roles go to defaultRoles where the chart's values declare the
 * key, and with the groups, roles and tenants otherwise. */
#include <string.h>

#include "access.h"
#include "helm_int.h"

#define INIT "orchestration.security.initialization"
#define EXTRA_FILE "identity-as-code.yaml"

/* Whether the chart's values have the key defaultRoles.<role>.<kind>
 * (its defaults: admin and connectors users, the connectors client, and on
 * chart 13.x their mapping rules).  Another key the chart would render too
 * (it copies the map with toYaml), but its values do not declare it. */
bool helm_default_role_key(const struct model *m, const char *role, const char *kind) {
  bool admin = strcmp(role, "admin") == 0, conn = strcmp(role, "connectors") == 0;
  if (strcmp(kind, "users") == 0)
    return admin || conn;
  if (strcmp(kind, "clients") == 0)
    return conn;
  return strcmp(kind, "mappingRules") == 0 && (admin || conn) && m->minor == 8;
}

/* The members of built-in roles beyond users' admin and connectors (which
 * orchestration.c writes).  Those of a key the chart's values declare go
 * after them in defaultRoles; a mapping rule's kind is written
 * mappingRules, the key chart 13.x's defaults give (Camunda compares the
 * kinds in lower case).  The others go to `rest` (a default-roles map of
 * Camunda's own keys), for the extra configuration or the environment. */
static void builtin_members(struct hv *h, struct ynode *rest) {
  struct arena *a = h->a;
  struct vec all = {0};
  access_builtin_members(a, h->m, &all);
  if (!all.len)
    return;
  struct ynode *roles = y_get(h->root, INIT ".defaultRoles");
  if (!roles) {
    roles = y_map(a);
    helm_set(h, INIT ".defaultRoles", roles);
  }
  for (size_t i = 0; i < all.len; i++) {
    const struct access_member *x = all.items[i];
    struct access_member one = *x;
    if (strcmp(one.kind, "mappingrules") == 0)
      one.kind = "mappingRules";
    bool chart = helm_default_role_key(h->m, one.role, one.kind);
    struct access_member *keep = arena_alloc(a, sizeof *keep);
    *keep = chart ? one : *x;
    struct vec v = {0};
    vec_push(a, &v, keep);
    access_add_default_roles(a, chart ? roles : rest, &v);
  }
}

/* Groups, roles and tenants of chart 14.x: one file of
 * orchestration.extraConfiguration, its YAML written by libyaml and passed
 * as a literal block. */
static void extra_configuration(struct hv *h, struct ynode *lists) {
  struct arena *a = h->a;
  struct ynode *doc = y_map(a);
  y_set(a, doc, "camunda.security.initialization", lists);
  static const char *const comments[] = {
      "Identity as code: the groups, roles and tenants of the estate, which the chart has no keys for.", NULL};
  struct buf b = {0};
  if (!ytree_emit(doc, comments, &b))
    die("cannot write the identity-as-code configuration");
  struct ynode *text = y_str(a, arena_strndup(a, b.data, b.len));
  buf_free(&b);
  text->literal = true;
  struct ynode *file = y_map(a);
  y_set(a, file, "file", y_str(a, EXTRA_FILE));
  y_set(a, file, "content", text);
  struct ynode *extra = y_seq(a);
  y_push(a, extra, file);
  helm_set(h, "orchestration.extraConfiguration", extra);
}

/* Groups, roles and tenants of chart 13.x: Spring's environment form,
 * after the cluster's other variables. */
static void environment(struct hv *h, const struct ynode *lists) {
  struct arena *a = h->a;
  struct vec vars = {0};
  camunda_env_form(a, "camunda.security.initialization", lists, &vars);
  struct ynode *env = helm_env_list(h, "orchestration.env");
  for (size_t i = 0; i < vars.len; i++) {
    const struct camunda_env *v = vars.items[i];
    y_push(a, env, helm_env_entry(h, v->name, &(struct m_secstr){.str = v->value, .set = true}, "value"));
  }
}

void helm_access(struct hv *h) {
  struct arena *a = h->a;
  struct ynode *rest = y_map(a);
  builtin_members(h, rest);
  struct ynode *all = access_lists(a, h->m);
  if (!all && !rest->items.len)
    return;
  if (!all)
    all = y_map(a);
  struct ynode *rules = y_get(all, "mapping-rules"), *auths = y_get(all, "authorizations");
  if (rules)
    helm_set(h, INIT ".mappingRules", rules);
  if (auths)
    helm_set(h, INIT ".authorizations", auths);
  /* only these lists: an imported file or the environment would replace
   * the chart's mapping-rules and authorizations, not add to them */
  struct ynode *lists = y_map(a);
  static const char *const keys[] = {"groups", "roles", "tenants"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    struct ynode *l = y_get(all, keys[i]);
    if (l)
      y_set(a, lists, keys[i], l);
  }
  /* default-roles is a map: Spring merges its keys from every source */
  if (rest->items.len)
    y_set(a, lists, "default-roles", rest);
  if (!lists->items.len)
    return;
  if (h->m->minor == 8)
    environment(h, lists);
  else
    extra_configuration(h, lists);
}
