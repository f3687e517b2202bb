/* access.h - identity as code: the groups, roles, tenants, mapping rules
 * and authorizations an Orchestration Cluster creates at start-up, as
 * Camunda's configuration (camunda.security.initialization) names them.
 *
 * The estate says memberships on the member: a user, a client, a mapping
 * rule or a group lists the roles, groups and tenants it belongs to.
 * Camunda's configuration lists members on the container: each groups[],
 * roles[] and tenants[] entry names its users, clients, groups, roles and
 * mapping rules, and default-roles.<role>.<kind> gives members to a
 * built-in role.  This module turns one into the other once; backends
 * write the result their way (YAML, environment variables, chart keys).
 */
#ifndef CAMARCH_ACCESS_H
#define CAMARCH_ACCESS_H

#include "model.h"
#include "ytree.h"

/* Whether role `id` is one Camunda creates itself in Camunda 8.<minor>
 * (admin, readonly-admin, connectors, rpa, app-integrations; 8.9 also
 * task-worker). */
bool access_builtin_role(int minor, const char *id);
/* The built-in roles of 8.<minor>, "admin, readonly-admin, ...", for messages. */
const char *access_builtin_roles(int minor);

/* Whether resource type `rt` (M_resource_type_*) exists in 8.<minor>, and
 * whether `perm` is one of its permissions there. */
bool access_resource_type_in(int minor, int rt);
bool access_permission_valid(int minor, int rt, const char *perm);
/* Its permissions in 8.<minor>, "CREATE, READ, ...", for messages. */
const char *access_permissions(struct arena *a, int minor, int rt);

/* Whether the estate gives identity as code beyond Camunda's users and the
 * admin and connectors roles: groups, role blocks, tenant blocks, mapping
 * rules, authorizations, or memberships in them. */
bool access_given(const struct model *m);

/* Whether identity as code names client `c` (it has roles, groups or
 * tenants, or owns an authorization): its id is then written, though no
 * application of the estate is that client. */
bool access_names_client(const struct m_identity *id, const struct m_client *c);

/* One member of a built-in role: default-roles.<role>.<kind>[] gets `id`. */
struct access_member {
  const char *role;  /* "readonly-admin" */
  const char *kind;  /* users, clients, groups or mappingrules */
  const char *id;
};

/* Camunda's lists for the estate, keys as Camunda reads them (kebab-case):
 * mapping-rules, groups, roles (the estate's own roles, with their
 * members), tenants (tenant blocks and identity.tenants, with their
 * members) and authorizations; NULL for none.  Empty lists are left out. */
struct ynode *access_lists(struct arena *a, const struct model *m);
/* The members of built-in roles the lists do not carry, in the estate's
 * order: groups', clients' and mapping rules' roles, and users' roles other
 * than admin and connectors (which every backend writes with the users);
 * appended to `out` (struct access_member *). */
void access_builtin_members(struct arena *a, const struct model *m, struct vec *out);
/* Adds those members to a YAML map of default roles (role -> kind -> list),
 * after what the map holds already, each id once in its list. */
void access_add_default_roles(struct arena *a, struct ynode *default_roles, const struct vec *members);

/* All of it into a Spring configuration tree: each list of access_lists
 * under `prefix` (camunda.security.initialization), and the members of
 * built-in roles into the default-roles map at `prefix`.`roles_key`
 * ("default-roles" or "defaultRoles", whichever the tree holds already:
 * Spring binds both to one map, and two keys would be two sources of it). */
void access_into_spring(struct arena *a, const struct model *m, struct ynode *doc, const char *prefix,
                        const char *roles_key);

#endif
