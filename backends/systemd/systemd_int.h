/* systemd_int.h - the systemd backend's internal interface.
 *
 * One struct sd carries an environment being rendered: the model, the
 * arena, the Ansible Vault variables the files refer to, and the
 * diagnostics.  The build pass (systemd.c) runs the check (check.c), then
 * renders every file once: a value the file syntaxes cannot carry is
 * refused (TGT002) by the writers as they meet it, so what is written is
 * exactly what was checked.
 *
 * Two small writers produce the files that are not YAML: environment files
 * (systemd EnvironmentFile syntax, rendered on the hosts by Ansible's
 * template module, so also Jinja text) and unit files (systemd's INI
 * syntax).  YAML goes through ytree.
 */
#ifndef CAMARCH_SYSTEMD_INT_H
#define CAMARCH_SYSTEMD_INT_H

#include "backend.h"

/* Where Camunda's manual installation puts things (MAN010). */
#define SYSTEMD_BASE "/opt/camunda"
#define SYSTEMD_CAMUNDA_DIR SYSTEMD_BASE "/camunda"
#define SYSTEMD_CONNECTORS_DIR SYSTEMD_BASE "/connectors"
#define SYSTEMD_CAMUNDA_ENV SYSTEMD_CAMUNDA_DIR "/config/camunda-environment"
#define SYSTEMD_CONNECTORS_ENV SYSTEMD_CONNECTORS_DIR "/connectors-environment"
#define SYSTEMD_GROUP "camunda_brokers"

/* An Ansible Vault variable standing for one secret(name, key). */
struct sd_vault {
  const char *var;             /* vault_camunda_admin_password */
  const char *secret, *key;    /* the estate's secret("camunda-admin", key = "password") */
  const char *use;             /* the first variable that reads it */
};

struct sd {
  struct arena *a;
  const struct model *m;
  struct diags *d;             /* where the writers report what they cannot write */
  struct vec vault;            /* struct sd_vault *, in order of first use */
};

/* A host with its broker node id (explicit, or its position). */
struct sd_host {
  const struct m_host *h;
  int64_t node_id;
};

/* --- writer.c: environment files and unit files ------------------------ */

struct sd_env {
  struct sd *s;
  struct buf b;
};

void systemd_env_comment(struct sd_env *e, const char *text);
void systemd_env_blank(struct sd_env *e);
/* NAME="value", escaped for systemd and protected from Jinja. */
void systemd_env_str(struct sd_env *e, const char *name, const char *value, struct span at);
void systemd_env_int(struct sd_env *e, const char *name, int64_t v);
void systemd_env_bool(struct sd_env *e, const char *name, bool v);
/* A plain string as it is; a secret() as its Ansible Vault variable. */
void systemd_env_secstr(struct sd_env *e, const char *name, const struct m_secstr *v, const char *default_key);
/* Extra variables from an estate's env map. */
void systemd_env_map(struct sd_env *e, const struct m_envmap *env);

struct sd_ini {
  struct sd *s;
  struct buf b;
};

void systemd_ini_comment(struct sd_ini *u, const char *text);
void systemd_ini_section(struct sd_ini *u, const char *name);
/* Key=value, with % doubled, for settings that expand systemd specifiers. */
void systemd_ini_set(struct sd_ini *u, const char *key, const char *value, struct span at);
/* Key=value as it is, for settings that expand none (MemoryMax=, CPUQuota=). */
void systemd_ini_set_literal(struct sd_ini *u, const char *key, const char *value);

/* The Vault variable for a secret; records it in s->vault. */
const char *systemd_vault_var(struct sd *s, const struct m_secstr *v, const char *default_key, const char *use);
/* True when a string may stand in Ansible's YAML without being templated. */
bool systemd_plain_text(const char *s);

/* --- hosts.c: hosts, node ids, versions and the distribution ----------- */

/* The hosts ordered by node id. */
struct sd_host *systemd_hosts(struct sd *s, size_t *n);
bool systemd_runs_connectors(const struct model *m, const struct m_host *h);
/* Whether Connectors run on some host. */
bool systemd_connectors_anywhere(const struct model *m);
const char *systemd_user(const struct m_host *h);
/* "10.0.1.10:26502,10.0.1.11:26502,..." in node id order. */
const char *systemd_contact_points(struct sd *s);
/* The Connectors version installed (camunda_release() gives Camunda's), and
 * where both come from. */
const char *systemd_connectors_version(const struct model *m);
const char *systemd_distribution_url(struct sd *s);
const char *systemd_connectors_url(struct sd *s);
/* The memory limit of a service: memory_limit, or memory; NULL if neither. */
const struct m_int *systemd_memory_max(const struct m_resources *r);
/* -Xmx for a memory limit: a quarter of it, the JVM's own default share. */
const char *systemd_heap(struct sd *s, const struct m_resources *r);

/* --- environment.c: the two environment files of a host ---------------- */

void systemd_camunda_env(struct sd *s, const struct sd_host *host, struct buf *out);
void systemd_connectors_env(struct sd *s, const struct sd_host *host, struct buf *out);
/* Connectors' port: the estate's, or 9090 as in Camunda's reference. */
int64_t systemd_connectors_port(const struct model *m);

/* --- units.c: the two unit files of a host ----------------------------- */

void systemd_camunda_unit(struct sd *s, const struct sd_host *host, struct buf *out);
void systemd_connectors_unit(struct sd *s, const struct sd_host *host, struct buf *out);
/* The Connectors launcher the Connectors unit starts. */
void systemd_connectors_launcher(struct buf *out);

/* --- ansible.c: inventory and playbook --------------------------------- */

struct ynode *systemd_inventory(struct sd *s);
struct ynode *systemd_playbook(struct sd *s);
/* ansible/.yamllint: sequences in mappings are not indented (libyaml). */
struct ynode *systemd_yamllint(struct arena *a);

/* --- check.c ------------------------------------------------------------ */

void systemd_check(const struct model *m, struct diags *d);

#endif
