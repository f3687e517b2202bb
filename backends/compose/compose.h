/* compose.h - the Docker Compose backend: a local Camunda project
 * (docker-compose.yaml, .env, secrets.env, mounted configuration). */
#ifndef CAMARCH_COMPOSE_H
#define CAMARCH_COMPOSE_H

#include "backend.h"

extern const struct backend compose_backend;

#endif
