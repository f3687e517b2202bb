/* ansible.c - ansible/inventory.yml and ansible/site.yml, as YAML trees.
 *
 * The inventory lists the hosts (address, zone, node id, service user,
 * whether they run Connectors) in the group camunda_brokers, with the
 * versions and download locations as group variables an operator may
 * override.  The playbook, in three plays:
 *   1. looks on every host for an installed Camunda (the version marker the
 *      playbook writes), so that a first installation is told from a change;
 *   2. one host at a time (serial: 1): checks the Ansible Vault variables,
 *      creates the group and user, installs Java 21 (Temurin, from
 *      Adoptium's APT repository, unless camunda_install_java is false),
 *      unpacks the distribution (again on a version change, after removing
 *      the old libraries, as camunda-install.sh does), renders the
 *      environment files from the host's templates (mode 0600, no diff, so
 *      no secret reaches a log), installs the units, reloads systemd,
 *      enables and starts the services, waits for the management port and,
 *      once the cluster exists, for the broker's health: a rolling restart
 *      never takes two brokers down at once;
 *   3. waits until every broker (and every Connectors runtime) is healthy:
 *      a new cluster becomes healthy only once a quorum has started.
 * Every task has a name and a fully qualified module; every file a mode.
 * ansible/.yamllint states the one style choice libyaml makes for us.
 */
#include <string.h>

#include "systemd_int.h"

#define ENV_SRC "{{ playbook_dir }}/../hosts/{{ inventory_hostname }}/"

static void ps(struct arena *a, struct ynode *m, const char *k, const char *v) { y_put(a, m, k, y_str(a, v)); }
static void pb(struct arena *a, struct ynode *m, const char *k, bool v) { y_put(a, m, k, y_bool(a, v)); }
static void pi(struct arena *a, struct ynode *m, const char *k, int64_t v) { y_put(a, m, k, y_int(a, v)); }

static struct ynode *task(struct arena *a, const char *name, const char *module, struct ynode *args) {
  struct ynode *t = y_map(a);
  ps(a, t, "name", name);
  y_put(a, t, module, args);
  return t;
}

/* A file, directory or link owned by the service user. */
static struct ynode *owned(struct arena *a, const char *path_key, const char *path, const char *mode) {
  struct ynode *m = y_map(a);
  ps(a, m, path_key, path);
  ps(a, m, "owner", "{{ camunda_user }}");
  ps(a, m, "group", "{{ camunda_user }}");
  if (mode)
    ps(a, m, "mode", mode);
  return m;
}

static struct ynode *directory(struct arena *a, const char *name, const char *path) {
  struct ynode *m = owned(a, "path", path, "0755");
  ps(a, m, "state", "directory");
  return task(a, name, "ansible.builtin.file", m);
}

static struct ynode *systemd_task(struct arena *a, const char *name, const char *unit, const char *state, bool enable) {
  struct ynode *m = y_map(a);
  ps(a, m, "name", unit);
  ps(a, m, "state", state);
  if (enable)
    pb(a, m, "enabled", true);
  pb(a, m, "daemon_reload", true);
  return task(a, name, "ansible.builtin.systemd", m);
}

/* The health waits run on the host itself, so they probe its loopback
 * address, as Camunda's camunda-checks.sh does: ansible_host is how the
 * controller reaches the host, which the host may not reach itself by. */
#define LOOPBACK "127.0.0.1"

/* A health endpoint polled until it answers 200. */
static struct ynode *health(struct arena *a, const char *name, const char *port_var, const char *reg, int retries) {
  struct ynode *m = y_map(a);
  ps(a, m, "url", arena_printf(a, "http://" LOOPBACK ":{{ %s }}/actuator/health", port_var));
  pi(a, m, "status_code", 200);
  struct ynode *t = task(a, name, "ansible.builtin.uri", m);
  ps(a, t, "register", reg);
  ps(a, t, "until", arena_printf(a, "%s.status == 200", reg));
  pi(a, t, "retries", retries);
  pi(a, t, "delay", 10);
  return t;
}

/* --- inventory ------------------------------------------------------------- */

static struct ynode *group_vars(struct sd *s) {
  struct arena *a = s->a;
  const struct model *m = s->m;
  struct ynode *v = y_map(a);
  ps(a, v, "camunda_version", camunda_release(m));
  ps(a, v, "camunda_distribution", systemd_distribution_url(s));
  if (m->e.connectors.meta.present) {
    ps(a, v, "camunda_connectors_version", systemd_connectors_version(m));
    ps(a, v, "camunda_connectors_jar", systemd_connectors_url(s));
    pi(a, v, "camunda_connectors_port", systemd_connectors_port(m));
  }
  pi(a, v, "camunda_management_port", m->e.orchestration.ports.management.v);
  pb(a, v, "camunda_install_java", true);
  ps(a, v, "camunda_java_package", "temurin-21-jre");
  return v;
}

struct ynode *systemd_inventory(struct sd *s) {
  struct arena *a = s->a;
  size_t n;
  struct sd_host *hosts = systemd_hosts(s, &n);
  struct ynode *hs = y_map(a);
  for (size_t i = 0; i < n; i++) {
    const struct m_host *h = hosts[i].h;
    struct ynode *v = y_map(a);
    ps(a, v, "ansible_host", h->address.set ? h->address.v : "");
    pi(a, v, "camunda_node_id", hosts[i].node_id);
    if (h->zone.set)
      ps(a, v, "camunda_zone", h->zone.v);
    ps(a, v, "camunda_user", systemd_user(h));
    pb(a, v, "camunda_connectors", systemd_runs_connectors(s->m, h));
    y_put(a, hs, h->meta.label, v);
  }
  struct ynode *group = y_map(a);
  y_put(a, group, "hosts", hs);
  y_put(a, group, "vars", group_vars(s));
  struct ynode *children = y_map(a);
  y_put(a, children, SYSTEMD_GROUP, group);
  struct ynode *all = y_map(a);
  y_put(a, all, "children", children);
  struct ynode *doc = y_map(a);
  y_put(a, doc, "all", all);
  return doc;
}

/* --- play 1: what is installed ------------------------------------------------ */

static struct ynode *play(struct arena *a, const char *name, bool become) {
  struct ynode *p = y_map(a);
  ps(a, p, "name", name);
  ps(a, p, "hosts", SYSTEMD_GROUP);
  pb(a, p, "become", become);
  return p;
}

static struct ynode *survey_play(struct sd *s) {
  struct arena *a = s->a;
  struct ynode *p = play(a, "Find the hosts that run Camunda already", true);
  pb(a, p, "gather_facts", false);
  struct ynode *st = y_map(a);
  ps(a, st, "path", SYSTEMD_CAMUNDA_DIR "/.camarch-version");
  struct ynode *t = task(a, "Read the installed Camunda version", "ansible.builtin.stat", st);
  ps(a, t, "register", "camunda_installed");
  struct ynode *tasks = y_seq(a);
  y_push(a, tasks, t);
  y_put(a, p, "tasks", tasks);
  return p;
}

/* --- play 2: install, one host at a time ---------------------------------------- */

static void vault_check(struct sd *s, struct ynode *tasks) {
  struct arena *a = s->a;
  if (s->vault.len == 0)
    return;
  struct ynode *that = y_seq(a);
  for (size_t i = 0; i < s->vault.len; i++)
    y_push(a, that, y_str(a, arena_printf(a, "%s is defined", ((const struct sd_vault *)s->vault.items[i])->var)));
  struct ynode *m = y_map(a);
  y_put(a, m, "that", that);
  ps(a, m, "fail_msg", "Put the vault_* variables in ansible/group_vars/" SYSTEMD_GROUP "/vault.yml with ansible-vault "
                       "(see README.md)");
  pb(a, m, "quiet", true);
  y_push(a, tasks, task(a, "Check that the Ansible Vault variables are defined", "ansible.builtin.assert", m));
}

static void account(struct arena *a, struct ynode *tasks) {
  struct ynode *os = y_map(a);
  struct ynode *that = y_seq(a);
  y_push(a, that, y_str(a, "ansible_facts['os_family'] == 'Debian' or not camunda_install_java | bool"));
  y_put(a, os, "that", that);
  ps(a, os, "fail_msg", "Java 21 is installed from Adoptium's APT repository on Debian and Ubuntu; elsewhere install it "
                        "and set camunda_install_java: false");
  pb(a, os, "quiet", true);
  y_push(a, tasks, task(a, "Check that Java can be installed here", "ansible.builtin.assert", os));
  struct ynode *g = y_map(a);
  ps(a, g, "name", "{{ camunda_user }}");
  pb(a, g, "system", true);
  y_push(a, tasks, task(a, "Create the service group", "ansible.builtin.group", g));
  struct ynode *u = y_map(a);
  ps(a, u, "name", "{{ camunda_user }}");
  ps(a, u, "group", "{{ camunda_user }}");
  pb(a, u, "system", true);
  ps(a, u, "shell", "/usr/sbin/nologin");
  ps(a, u, "home", SYSTEMD_BASE);
  pb(a, u, "create_home", false);
  y_push(a, tasks, task(a, "Create the service user", "ansible.builtin.user", u));
}

static void java(struct arena *a, struct ynode *tasks) {
  struct ynode *block = y_seq(a);
  struct ynode *dir = y_map(a);
  ps(a, dir, "path", "/etc/apt/keyrings");
  ps(a, dir, "state", "directory");
  ps(a, dir, "owner", "root");
  ps(a, dir, "group", "root");
  ps(a, dir, "mode", "0755");
  y_push(a, block, task(a, "Create the APT keyring directory", "ansible.builtin.file", dir));
  struct ynode *key = y_map(a);
  ps(a, key, "url", "https://packages.adoptium.net/artifactory/api/gpg/key/public");
  ps(a, key, "dest", "/etc/apt/keyrings/adoptium.asc");
  ps(a, key, "owner", "root");
  ps(a, key, "group", "root");
  ps(a, key, "mode", "0644");
  y_push(a, block, task(a, "Add Adoptium's signing key", "ansible.builtin.get_url", key));
  struct ynode *repo = y_map(a);
  ps(a, repo, "repo", "deb [signed-by=/etc/apt/keyrings/adoptium.asc] https://packages.adoptium.net/artifactory/deb "
                      "{{ ansible_facts['distribution_release'] }} main");
  ps(a, repo, "filename", "adoptium");
  ps(a, repo, "state", "present");
  y_push(a, block, task(a, "Add Adoptium's APT repository", "ansible.builtin.apt_repository", repo));
  struct ynode *pkg = y_map(a);
  ps(a, pkg, "name", "{{ camunda_java_package }}");
  ps(a, pkg, "state", "present");
  pb(a, pkg, "update_cache", true);
  y_push(a, block, task(a, "Install Java 21", "ansible.builtin.apt", pkg));
  struct ynode *t = y_map(a);
  ps(a, t, "name", "Install Java 21 from Adoptium");
  ps(a, t, "when", "camunda_install_java | bool");
  y_put(a, t, "block", block);
  y_push(a, tasks, t);
}

static void distribution(struct arena *a, struct ynode *tasks) {
  y_push(a, tasks, directory(a, "Create the installation directory", SYSTEMD_BASE));
  y_push(a, tasks, directory(a, "Create Camunda's directory", SYSTEMD_CAMUNDA_DIR));
  struct ynode *stop = systemd_task(a, "Stop Camunda before replacing its libraries", "camunda.service", "stopped", false);
  ps(a, stop, "when", "camunda_upgrade | bool");
  y_push(a, tasks, stop);
  struct ynode *lib = y_map(a);
  ps(a, lib, "path", SYSTEMD_CAMUNDA_DIR "/lib");
  ps(a, lib, "state", "absent");
  struct ynode *rm = task(a, "Remove the previous version's libraries", "ansible.builtin.file", lib);
  ps(a, rm, "when", "camunda_upgrade | bool");
  y_push(a, tasks, rm);
  struct ynode *un = owned(a, "src", "{{ camunda_distribution }}", NULL);
  ps(a, un, "remote_src", "{{ camunda_distribution is match('https?://') }}");
  ps(a, un, "dest", SYSTEMD_CAMUNDA_DIR);
  struct ynode *opts = y_seq(a);
  y_push(a, opts, y_str(a, "--strip-components=1"));
  y_put(a, un, "extra_opts", opts);
  struct ynode *t = task(a, "Unpack the Camunda distribution", "ansible.builtin.unarchive", un);
  ps(a, t, "when", "camunda_unpack | bool");
  ps(a, t, "notify", "Restart Camunda");
  y_push(a, tasks, t);
  y_push(a, tasks, directory(a, "Create the directory for heap dumps and error files", SYSTEMD_CAMUNDA_DIR "/logs"));
  struct ynode *mark = owned(a, "dest", SYSTEMD_CAMUNDA_DIR "/.camarch-version", "0644");
  ps(a, mark, "content", "{{ camunda_version }}");
  y_push(a, tasks, task(a, "Record the installed version", "ansible.builtin.copy", mark));
}

/* The environment file from the host's template: mode 0600, never diffed. */
static struct ynode *env_file(struct arena *a, const char *name, const char *file, const char *dest, const char *handler) {
  struct ynode *m = owned(a, "src", arena_printf(a, ENV_SRC "%s", file), "0600");
  ps(a, m, "dest", dest);
  struct ynode *t = task(a, name, "ansible.builtin.template", m);
  pb(a, t, "diff", false);
  ps(a, t, "notify", handler);
  return t;
}

static struct ynode *unit_file(struct arena *a, const char *name, const char *file, const char *handler) {
  struct ynode *m = y_map(a);
  ps(a, m, "src", arena_printf(a, ENV_SRC "%s", file));
  ps(a, m, "dest", arena_printf(a, "/etc/systemd/system/%s", file));
  ps(a, m, "owner", "root");
  ps(a, m, "group", "root");
  ps(a, m, "mode", "0644");
  struct ynode *t = task(a, name, "ansible.builtin.copy", m);
  ps(a, t, "notify", handler);
  return t;
}

static void connectors(struct arena *a, struct ynode *tasks) {
  struct ynode *block = y_seq(a);
  y_push(a, block, directory(a, "Create Connectors' directory", SYSTEMD_CONNECTORS_DIR));
  const char *jar = SYSTEMD_CONNECTORS_DIR "/connectors-{{ camunda_connectors_version }}.jar";
  struct ynode *get = owned(a, "url", "{{ camunda_connectors_jar }}", "0644");
  ps(a, get, "dest", jar);
  struct ynode *t = task(a, "Download the Connectors runtime", "ansible.builtin.get_url", get);
  ps(a, t, "when", "camunda_connectors_jar is match('https?://')");
  y_push(a, block, t);
  struct ynode *cp = owned(a, "src", "{{ camunda_connectors_jar }}", "0644");
  ps(a, cp, "dest", jar);
  t = task(a, "Copy the Connectors runtime", "ansible.builtin.copy", cp);
  ps(a, t, "when", "camunda_connectors_jar is not match('https?://')");
  y_push(a, block, t);
  struct ynode *ln = owned(a, "src", jar, NULL);
  ps(a, ln, "dest", SYSTEMD_CONNECTORS_DIR "/connectors.jar");
  ps(a, ln, "state", "link");
  t = task(a, "Point connectors.jar at this version", "ansible.builtin.file", ln);
  ps(a, t, "notify", "Restart Connectors");
  y_push(a, block, t);
  struct ynode *sh = owned(a, "src", "files/connectors-start.sh", "0755");
  ps(a, sh, "dest", SYSTEMD_CONNECTORS_DIR "/start.sh");
  t = task(a, "Install the Connectors launcher", "ansible.builtin.copy", sh);
  ps(a, t, "notify", "Restart Connectors");
  y_push(a, block, t);
  y_push(a, block, env_file(a, "Write Connectors' environment file", "connectors-environment", SYSTEMD_CONNECTORS_ENV,
                            "Restart Connectors"));
  y_push(a, block, unit_file(a, "Install Connectors' unit", "camunda-connectors.service", "Restart Connectors"));
  struct ynode *b = y_map(a);
  ps(a, b, "name", "Install Connectors");
  ps(a, b, "when", "camunda_connectors | bool");
  y_put(a, b, "block", block);
  y_push(a, tasks, b);
}

/* A host that no longer runs Connectors stops them, if it ever had them. */
static void connectors_off(struct arena *a, struct ynode *tasks) {
  struct ynode *block = y_seq(a);
  y_push(a, block, task(a, "Gather the services", "ansible.builtin.service_facts", y_map(a)));
  struct ynode *m = y_map(a);
  ps(a, m, "name", "camunda-connectors.service");
  ps(a, m, "state", "stopped");
  pb(a, m, "enabled", false);
  struct ynode *t = task(a, "Stop and disable Connectors", "ansible.builtin.systemd", m);
  ps(a, t, "when", "'camunda-connectors.service' in ansible_facts['services']");
  y_push(a, block, t);
  struct ynode *b = y_map(a);
  ps(a, b, "name", "Stop Connectors where this host runs none");
  ps(a, b, "when", "not camunda_connectors | bool");
  y_put(a, b, "block", block);
  y_push(a, tasks, b);
}

static void start(struct arena *a, struct ynode *tasks, bool with_connectors) {
  struct ynode *flush = y_map(a);
  ps(a, flush, "name", "Restart what changed");
  ps(a, flush, "ansible.builtin.meta", "flush_handlers");
  y_push(a, tasks, flush);
  y_push(a, tasks, systemd_task(a, "Enable and start Camunda", "camunda.service", "started", true));
  if (with_connectors) {
    struct ynode *c = systemd_task(a, "Enable and start Connectors", "camunda-connectors.service", "started", true);
    ps(a, c, "when", "camunda_connectors | bool");
    y_push(a, tasks, c);
  }
  struct ynode *w = y_map(a);
  ps(a, w, "host", LOOPBACK);
  ps(a, w, "port", "{{ camunda_management_port }}");
  pi(a, w, "timeout", 300);
  y_push(a, tasks, task(a, "Wait for the management port", "ansible.builtin.wait_for", w));
  struct ynode *h = health(a, "Wait until the broker is healthy again", "camunda_management_port", "camunda_health", 60);
  ps(a, h, "when", "camunda_cluster_exists | bool");
  y_push(a, tasks, h);
}

static struct ynode *handlers(struct arena *a, bool with_connectors) {
  struct ynode *hs = y_seq(a);
  y_push(a, hs, systemd_task(a, "Restart Camunda", "camunda.service", "restarted", false));
  if (with_connectors)
    y_push(a, hs, systemd_task(a, "Restart Connectors", "camunda-connectors.service", "restarted", false));
  return hs;
}

static struct ynode *install_play(struct sd *s) {
  struct arena *a = s->a;
  struct ynode *p = play(a, "Install Camunda, one host at a time", true);
  pi(a, p, "serial", 1);
  struct ynode *vars = y_map(a);
  ps(a, vars, "camunda_cluster_exists",
     "{{ ansible_play_hosts_all | map('extract', hostvars, ['camunda_installed', 'stat', 'exists']) | select | list "
     "| length > 0 }}");
  ps(a, vars, "camunda_unpack",
     "{{ not camunda_installed.stat.exists or camunda_installed.stat.checksum != camunda_version | hash('sha1') }}");
  ps(a, vars, "camunda_upgrade", "{{ camunda_installed.stat.exists and camunda_unpack | bool }}");
  y_put(a, p, "vars", vars);
  bool with_connectors = s->m->e.connectors.meta.present;
  y_put(a, p, "handlers", handlers(a, with_connectors));
  struct ynode *tasks = y_seq(a);
  vault_check(s, tasks);
  account(a, tasks);
  java(a, tasks);
  distribution(a, tasks);
  y_push(a, tasks, env_file(a, "Write Camunda's environment file", "camunda-environment", SYSTEMD_CAMUNDA_ENV,
                            "Restart Camunda"));
  y_push(a, tasks, unit_file(a, "Install Camunda's unit", "camunda.service", "Restart Camunda"));
  if (with_connectors)
    connectors(a, tasks);
  connectors_off(a, tasks);
  start(a, tasks, with_connectors);
  y_put(a, p, "tasks", tasks);
  return p;
}

/* --- play 3: the whole cluster healthy --------------------------------------- */

static struct ynode *health_play(struct sd *s) {
  struct arena *a = s->a;
  struct ynode *p = play(a, "Wait until the cluster is healthy", false);
  pb(a, p, "gather_facts", false);
  struct ynode *tasks = y_seq(a);
  y_push(a, tasks, health(a, "Wait until the broker is healthy", "camunda_management_port", "camunda_health", 60));
  if (s->m->e.connectors.meta.present) {
    struct ynode *t = health(a, "Wait until Connectors are healthy", "camunda_connectors_port", "connectors_health", 30);
    ps(a, t, "when", "camunda_connectors | bool");
    y_push(a, tasks, t);
  }
  y_put(a, p, "tasks", tasks);
  return p;
}

/* libyaml writes a sequence that is a mapping's value without indenting
 * it, a style yamllint accepts once told: everything else stays as
 * ansible-lint's production profile has it. */
struct ynode *systemd_yamllint(struct arena *a) {
  struct ynode *doc = y_map(a);
  struct ynode *ind = y_map(a);
  pi(a, ind, "spaces", 2);
  ps(a, ind, "indent-sequences", "consistent");
  struct ynode *rules = y_map(a);
  y_put(a, rules, "indentation", ind);
  y_put(a, doc, "rules", rules);
  return doc;
}

struct ynode *systemd_playbook(struct sd *s) {
  struct ynode *doc = y_seq(s->a);
  y_push(s->a, doc, survey_play(s));
  y_push(s->a, doc, install_play(s));
  y_push(s->a, doc, health_play(s));
  return doc;
}
