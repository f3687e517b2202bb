/* c8run_int.h - the Camunda 8 Run backend's internal interface.
 *
 * One struct c8 carries an environment being written: the model, the
 * arena, the diagnostics problems are reported to, and the variables of
 * the environment file (camarch.env) that the configuration refers to.
 * The configuration (application.yaml, for `c8run start --config`) names a
 * secret only as the placeholder ${VAR}, which Spring resolves from the
 * environment c8run starts with; the values stay in camarch.env, for the
 * user to fill in.
 */
#ifndef CAMARCH_C8RUN_INT_H
#define CAMARCH_C8RUN_INT_H

#include "backend.h"

#define C8RUN_CONFIG "application.yaml"
#define C8RUN_ENV "camarch.env"
/* The ports Camunda 8 Run fixes: its health checks and its Connectors ask
 * these, whatever the configuration says. */
#define C8RUN_CONNECTORS_PORT 8086
#define C8RUN_MANAGEMENT_PORT 9600
#define C8RUN_GRPC_PORT 26500
#define C8RUN_COMMAND_PORT 26501
#define C8RUN_INTERNAL_PORT 26502
#define C8RUN_REST_PORT 8080
/* The H2 database Camunda 8 Run 8.9 uses by default, in its directory. */
#define C8RUN_H2_URL "jdbc:h2:file:./camunda-data/h2db"

/* A variable of camarch.env: a secret for the user to fill in (secret and
 * key set, value NULL), or a setting camarch writes itself (value set). */
struct c8_var {
  const char *var;
  const char *secret, *key;
  const char *value;   /* a setting's value, as the processes read it */
  const char *comment; /* a setting's comment */
  struct span at;
  struct vec uses;     /* const char *: what reads it, for the comment */
};

struct c8 {
  struct arena *a;
  const struct model *m;
  struct diags *d;
  struct vec vars;     /* struct c8_var *, in the order they are met */
};

/* --- env.c: camarch.env ------------------------------------------------ */

/* The variable a secret must have because a process reads it by that name
 * (CAMUNDA_LICENSE_KEY, CONNECTORS_SECRET_<NAME>); a plain string becomes
 * a setting of that name.  A variable holding something else is refused. */
void c8run_fixed(struct c8 *c, const char *var, const struct m_secstr *v, const char *default_key, const char *use);
/* A setting camarch writes itself. */
void c8run_setting(struct c8 *c, const char *var, const char *value, const char *comment);
/* A string or secret as a Spring value: the string, or ${VAR} of the
 * secret's variable (SECRET_<NAME>__<KEY>, unless a fixed one holds it). */
const char *c8run_spring_value(struct c8 *c, const struct m_secstr *v, const char *default_key, const char *use);
/* Whether the file holds a secret for the user to fill in. */
bool c8run_has_secrets(const struct c8 *c);
/* camarch.env, keeping the values `previous` (the last build's file, or
 * empty) holds for the secrets it names. */
void c8run_env_text(const struct c8 *c, const struct buf *previous, struct buf *out);

/* --- config.c: application.yaml ---------------------------------------- */

struct ynode *c8run_config(struct c8 *c);
/* Whether Camunda 8 Run starts its bundled Elasticsearch (8.8 without a
 * store of the estate's own). */
bool c8run_bundled_elasticsearch(const struct model *m);
/* The first user with the connectors role, when Connectors log in. */
const struct m_user *c8run_connectors_login(const struct model *m);

/* --- readme.c ------------------------------------------------------------ */

void c8run_readme(const struct c8 *c, struct buf *out);

/* --- check.c ------------------------------------------------------------- */

void c8run_check(const struct model *m, struct diags *d);

#endif
