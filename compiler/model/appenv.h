/* appenv.h - Camunda's settings that every target passes the same way.
 *
 * Some settings have no key in any target's own format: the brokers read
 * them from their environment, whatever runs them.  This module names the
 * variables once; a backend writes each as a Helm env entry, a Compose
 * environment value or a line of an environment file.
 */
#ifndef CAMARCH_APPENV_H
#define CAMARCH_APPENV_H

#include "arena.h"
#include "diag.h"
#include "model.h"

/* The brokers' cluster settings, as every target that runs the brokers
 * from their environment names them (Camunda's unified configuration; the
 * contact points keep the name both 8.8 and 8.9 read, and 8.9's own). */
#define APPENV_CLUSTER_NODEID "CAMUNDA_CLUSTER_NODEID"
#define APPENV_CLUSTER_SIZE "CAMUNDA_CLUSTER_SIZE"
#define APPENV_CLUSTER_PARTITIONS "CAMUNDA_CLUSTER_PARTITIONCOUNT"
#define APPENV_CLUSTER_REPLICATION "CAMUNDA_CLUSTER_REPLICATIONFACTOR"
#define APPENV_CONTACT_POINTS "ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS"
#define APPENV_CONTACT_POINTS_89 "CAMUNDA_CLUSTER_INITIALCONTACTPOINTS"
#define APPENV_ADVERTISED_HOST "ZEEBE_BROKER_NETWORK_ADVERTISEDHOST"

/* One variable: a plain value (value.str) or a secret (value.secret, with
 * default_key when the estate's secret() names no key). */
struct appenv {
  const char *name;
  struct m_secstr value;
  const char *default_key;
};

/* Whether the Ingress serves TLS: with its certificate (tls), or with one
 * the platform manages (platform_tls). */
bool appenv_ingress_tls(const struct m_ingress *in);
/* The Ingress's public base URL, https://host or http://host; NULL without
 * an Ingress or its host. */
const char *appenv_ingress_url(struct arena *a, const struct m_ingress *in);

/* The backup store's variables (8.8: ZEEBE_BROKER_DATA_BACKUP_*, 8.9:
 * CAMUNDA_DATA_PRIMARYSTORAGE_BACKUP_*), in a stable order; appended to
 * `out` (struct appenv *).  Nothing when the estate has no backups. */
void appenv_backup(struct arena *a, const struct model *m, struct vec *out);
/* What those variables need that the estate left out (TGT002): a
 * file-system store names the directory the backups go to. */
void appenv_backup_check(const struct model *m, struct diags *d);

/* The provider's token endpoint, for clients that obtain tokens (Connectors):
 * identity.token_url, or derived from a Keycloak or Entra ID issuer; NULL
 * when neither gives it. */
const char *appenv_token_url(struct arena *a, const struct model *m);

/* A URL of Keycloak: its server `base`, Keycloak's context path, then
 * `path` ("/realms/camunda-platform", or "" for Keycloak's own base URL);
 * a context path of "/" adds no second slash. */
const char *appenv_keycloak_url(struct arena *a, const char *base, const struct m_keycloak *k, const char *path);
/* The realm Camunda uses, under appenv_keycloak_url. */
const char *appenv_keycloak_realm(struct arena *a, const char *base, const struct m_keycloak *k);

/* The first initial user with the connectors role: under basic
 * authentication Connectors log in as it.  NULL when there is none. */
const struct m_user *appenv_connectors_user(const struct model *m);

/* Connector secrets reach the runtime as environment variables with this
 * prefix, and the runtime is told to resolve {{secrets.NAME}} only from
 * those (before 8.9 it resolves any variable, from 8.9 those of SECRET_). */
#define APPENV_CONNECTOR_SECRET_PREFIX "CONNECTORS_SECRET_"
#define APPENV_CONNECTOR_PREFIX_VAR "CAMUNDA_CONNECTOR_SECRETPROVIDER_ENVIRONMENT_PREFIX"

/* connectors.secrets as environment variables, each name with the prefix. */
struct m_envmap appenv_connector_secrets(struct arena *a, const struct model *m);

#endif
