/* systemd.h - the systemd backend: units, environment files and an Ansible
 * playbook for Camunda's manual installation on machines. */
#ifndef CAMARCH_SYSTEMD_H
#define CAMARCH_SYSTEMD_H

#include "backend.h"

extern const struct backend systemd_backend;

#endif
