/* compose_int.h - the Compose backend's internal interface: one Compose
 * project being built for one environment (docker-compose.yaml, the
 * variables of .env and of the secrets file, the configuration files the
 * services mount), and the helpers its files share.
 *
 * The builder runs once per environment, with diagnostics: what the
 * project cannot hold (a host port bound twice, one secret wanted under
 * two variable names) is reported as it is found. */
#ifndef CAMARCH_COMPOSE_INT_H
#define CAMARCH_COMPOSE_INT_H

#include "backend.h"

#define COMPOSE_SECRETS_FILE "secrets.env"
#define COMPOSE_NETWORK "camunda"

/* A variable of .env: an image version or another non-secret setting. */
struct compose_var {
  const char *name, *value, *comment;
};

/* A variable of the secrets file: one per secret (name and key), or one
 * the project needs that the estate has no field for (name NULL: `what`
 * it is, and what to `fill` in).  The secret is its identity: the value
 * filled in stays with it, whatever its variable is called. */
struct compose_secret {
  const char *var, *name, *key;
  const char *what, *fill;
  bool fixed;      /* var is a name a program reads, not derived from name and key */
  struct span at;  /* the first secret() that named it */
  struct vec uses; /* const char *: what reads it, for the comment */
};

/* A configuration file the services mount, written through libyaml. */
struct compose_file {
  const char *name; /* path in the environment's directory */
  struct ynode *doc;
  const char *comment;
};

/* A port published on the host, for the clash check. */
struct compose_port {
  int64_t port;
  const char *service;
};

struct compose {
  struct arena *a;
  const struct model *m;
  struct diags *d;   /* conflicts go here */
  struct ynode *doc; /* docker-compose.yaml */
  struct ynode *services, *volumes;
  struct vec env;     /* struct compose_var * */
  struct vec secrets; /* struct compose_secret * */
  struct vec files;   /* struct compose_file * */
  struct vec ports;   /* struct compose_port * */
  struct vec links;   /* const char *: README lines, "name: URL" */
};

/* project.c: the project and its services */
void compose_init(struct compose *c, struct arena *a, const struct model *m, struct diags *d);
/* A service with its image, restart policy and the network. */
struct ynode *compose_service(struct compose *c, const char *name, const char *image);
/* "registry/repository:${VAR}" (or @digest), with VAR=tag recorded for
 * .env; the estate's image block and images.registry win over the defaults
 * (registry NULL: Docker Hub). */
const char *compose_image(struct compose *c, const struct m_image *img, const char *registry, const char *repository,
                          const char *var, const char *tag);
/* bind:host:container (docker.bind, 127.0.0.1 unless the estate says
 * otherwise); a host port bound twice is reported at `at`. */
void compose_port(struct compose *c, struct ynode *svc, const char *service, int64_t host, int64_t container,
                  struct span at);
struct ynode *compose_argv(struct arena *a, const char *const *argv);
void compose_health(struct compose *c, struct ynode *svc, struct ynode *test, const char *interval, const char *timeout,
                    int64_t retries, const char *start_period);
/* depends_on: other with a condition (service_healthy, ...). */
void compose_after(struct compose *c, struct ynode *svc, const char *other, const char *condition);
/* A named volume, declared at the top level, mounted at path. */
void compose_volume(struct compose *c, struct ynode *svc, const char *volume, const char *path);
/* A configuration file of this project, bind-mounted read-only at target. */
void compose_config(struct compose *c, struct ynode *svc, const char *file, const char *target, struct ynode *doc,
                    const char *comment);
/* An environment variable; a literal $ is escaped from interpolation. */
void compose_env(struct compose *c, struct ynode *svc, const char *name, const char *value);
/* An environment variable whose value is the .env variable `var`. */
void compose_env_ref(struct compose *c, struct ynode *svc, const char *name, const char *var);
/* A variable of .env, referenced from docker-compose.yaml as ${name}. */
void compose_setting(struct compose *c, const char *name, const char *value, const char *comment);
/* resources: deploy.resources limits and reservations. */
void compose_resources(struct compose *c, struct ynode *svc, const struct m_resources *r);
const char *compose_escape(struct arena *a, const char *s);
/* Removes the keys a service did not use, after the whole project is built. */
void compose_finish(struct compose *c);

/* secrets.c: the secrets file */
/* Reserves the variables of the secrets a program reads by a fixed name
 * (the license, connector secrets and Connectors' own variables, the
 * bundled Keycloak's passwords); first, before any service is built. */
void compose_reserve_fixed(struct compose *c);
/* Makes every Camunda service read the secrets file when the estate gives
 * a license; after the services are built. */
void compose_license(struct compose *c);
/* Adds the secrets file to a service's env_file. */
void compose_reads_secrets(struct compose *c, struct ynode *svc);
/* Reserves the variable a secret must have because a program reads it by
 * that name (CAMUNDA_LICENSE_KEY, KC_DB_PASSWORD); called before the
 * services are built.  A conflict is reported through c->d. */
void compose_reserve(struct compose *c, const struct m_secstr *s, const char *default_key, const char *var,
                     const char *use);
/* A variable of the secrets file for a value the project needs and the
 * estate cannot give (the model has no field for it): empty for the user
 * to fill in (`fill` says with what), named `var` as a program reads it;
 * svc then reads the file.  A variable already holding a secret() is
 * reported through c->d. */
void compose_own_secret(struct compose *c, struct ynode *svc, const char *var, const char *what, const char *fill,
                        const char *use);
/* The variable holding a secret (created on first use); svc then reads the
 * secrets file.  For Spring configuration: "${VAR}".  A variable another
 * secret or value already holds is reported through c->d. */
const char *compose_secret_var(struct compose *c, struct ynode *svc, const struct m_secstr *s, const char *default_key,
                               const char *use);
/* A string or secret as a Spring configuration value: the string itself,
 * or the placeholder ${VAR} that Spring resolves from the environment. */
const char *compose_spring_value(struct compose *c, struct ynode *svc, const struct m_secstr *s,
                                 const char *default_key, const char *use);
/* An estate env map: strings as they are; a secret reserved under the
 * variable's own name comes from the secrets file, any other as ${VAR},
 * which the Spring applications resolve when they read the variable. */
void compose_extra_env(struct compose *c, struct ynode *svc, const char *service, const struct m_envmap *env);
/* SECRET_<NAME>__<KEY>, the variable of a secret no program reads by a
 * fixed name; _<hash> follows when name or key is not lowercase words
 * joined by single dashes (see secrets.c). */
const char *compose_secret_derived_var(struct arena *a, const char *name, const char *key);
/* The secrets file, keeping each value filled in `previous` (the previous
 * file's bytes, or NULL) with the secret it was written for. */
void compose_secrets_text(const struct compose *c, const struct buf *previous, struct buf *out);

/* check.c: what Compose cannot express (TGT002) or leaves out (TGT003) */
void compose_check(const struct model *m, struct diags *d);

/* orchestration.c: the Orchestration Cluster and its secondary storage */
void compose_orchestration(struct compose *c);
/* The bundled store the brokers wait for, if any. */
void compose_storage(struct compose *c);
/* The service names of the brokers (orchestration, or orchestration-0..n-1). */
const char *compose_broker(const struct compose *c, int64_t i);
/* The bundled Keycloak's URLs (NULL without one): as the browser and as the
 * services reach its realm. */
const char *compose_issuer_public(const struct compose *c);
const char *compose_issuer_backend(const struct compose *c);
/* The host port of the Orchestration Cluster's REST API and web apps. */
int64_t compose_rest_host_port(const struct model *m);

/* connectors.c: the Connectors runtime */
void compose_connectors(struct compose *c);

/* identity.c: Management Identity, its Keycloak and databases */
void compose_management_identity(struct compose *c);
/* A bundled PostgreSQL service; an unset password is "camunda". */
void compose_postgres(struct compose *c, const char *service, const char *volume, const char *database,
                      const char *user, const struct m_secstr *password, const char *use);
/* The JDBC URL of a bundled PostgreSQL service. */
const char *compose_postgres_url(struct compose *c, const char *service, const char *database);
/* Makes svc wait for Management Identity (and its Keycloak) to be healthy. */
void compose_after_identity(struct compose *c, struct ynode *svc);
/* A Spring datasource (url, username, password) for a database block:
 * its url, or the bundled PostgreSQL `service`. */
void compose_datasource(struct compose *c, struct ynode *doc, const char *path, struct ynode *reader,
                        const struct m_database *db, const char *service, const char *database, const char *use);

/* apps.c: Optimize, Web Modeler, Console */
void compose_platform(struct compose *c);

#endif
