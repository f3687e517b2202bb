/* helm_int.h - the Helm backend's internal interface: one values tree
 * being built for one environment, and the helpers its files share.
 *   helm.c          the backend and its one pass; the values' assembly
 *   values.c        setting keys, secrets, images, env lists, the chart's defaults
 *   orchestration.c the cluster, storage, authentication, backups
 *   access.c        identity as code: groups, roles, tenants, mapping rules, authorizations
 *   platform.c      Connectors, Optimize, Identity, Web Modeler, Console
 *   check.c         what the chart cannot take (TGT002) or camarch does not write (TGT003)
 *   readme.c        README.md: the Secrets to create and the install command */
#ifndef CAMARCH_HELM_INT_H
#define CAMARCH_HELM_INT_H

#include "backend.h"

/* A Kubernetes Secret the values refer to: name, key, and what reads it. */
struct secret_use {
  const char *name, *key, *path;
};

struct hv {
  struct arena *a;
  struct ynode *root;
  const struct model *m;
  struct vec secrets;   /* struct secret_use *, for the README */
};

/* Records a Secret the release needs before it is installed. */
void helm_needs_secret(struct hv *h, const char *name, const char *key, const char *path);

void helm_set(struct hv *h, const char *path, struct ynode *v);
void helm_str(struct hv *h, const char *path, const char *s);
/* path.requests / path.limits from a resources block. */
void helm_resources(struct hv *h, const char *path, const struct m_resources *r);
/* A string or secret at paths of the chart's choosing: a secret() as its
 * Secret's name and key (name_path, key_path), recorded for the README; a
 * plain string at literal_path, or nowhere when the chart has no key for
 * one (NULL: helm_check refuses the literal first).  Nothing when unset. */
void helm_secret_keys(struct hv *h, const char *name_path, const char *key_path, const char *literal_path,
                      const struct m_secstr *s, const char *default_key);
/* The chart's common form, path.{existingSecret, existingSecretKey} or
 * path.inlineSecret for a plain string. */
void helm_secret(struct hv *h, const char *path, const struct m_secstr *s, const char *default_key);
void helm_image(struct hv *h, const char *path, const struct m_image *img);
/* path = the chart's default JVM options followed by the estate's. */
void helm_java_opts(struct hv *h, const char *path, const struct m_str *opts);
/* An env list entry: a value, or a valueFrom secretKeyRef. */
struct ynode *helm_env_entry(struct hv *h, const char *name, const struct m_secstr *v, const char *default_key);
struct ynode *helm_env_list(struct hv *h, const char *path);
void helm_extra_env(struct hv *h, const char *path, const struct m_envmap *env);
/* path.protocol, path.host and path.port of a URL the estate gives (a
 * well-formed one: lowering checked it). */
void helm_url(struct hv *h, const char *path, const char *url);

/* Leaves out every value equal to the chart's default. */
void helm_drop_defaults(struct hv *h);
/* The chart's default at path, as text, if camarch's table of the chart's
 * defaults (the keys camarch writes) has it; NULL otherwise. */
const char *helm_chart_default(const struct hv *h, const char *path);

/* orchestration.c */
void helm_zones(struct hv *h, const struct m_strlist *zs);
void helm_storage_88(struct hv *h, const struct m_storage *s, int kind);
void helm_storage_89(struct hv *h, const struct m_storage *s, int kind);
void helm_authentication(struct hv *h);
void helm_backup(struct hv *h);
/* Connectors' user under basic authentication, in connectors.env. */
void helm_connectors_login(struct hv *h);
/* Basic authentication with user blocks, none of them with the connectors role. */
bool helm_connectors_login_missing(const struct model *m);

/* access.c: identity as code and the built-in roles' other members, after
 * helm_authentication's users and default roles. */
/* Whether the chart's values declare defaultRoles.<role>.<kind> (kind as
 * the chart spells it: users, clients, mappingRules). */
bool helm_default_role_key(const struct model *m, const char *role, const char *kind);
void helm_access(struct hv *h);

/* platform.c */
void helm_platform(struct hv *h);

/* helm.c */
void helm_build_values(struct hv *h);
/* The namespace region r's installation runs in. */
const char *helm_region_namespace(const struct model *m, const struct m_region *r);
/* OIDC on chart 13.x with Connectors: they need the provider's token URL. */
bool helm_oidc_token_url_88(const struct model *m);

/* check.c */
void helm_check(const struct model *m, struct diags *d);

/* readme.c */
void helm_readme(const struct model *m, struct hv *h, struct emit_ctx *ctx);

#endif
