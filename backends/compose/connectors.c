/* connectors.c - the Connectors runtime in Compose: one service talking to
 * the first broker's gateway, with its own mounted application.yaml that
 * authenticates it the way the cluster asks (nothing for an unprotected
 * API, the first user with the connectors role under basic
 * authentication, client "connectors" under OIDC). */
#include <inttypes.h>
#include <string.h>

#include "appenv.h"
#include "compose_int.h"

#define CONN_CONFIG "config/connectors/application.yaml"

static void client_auth(struct compose *c, struct ynode *doc, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_identity *id = &c->m->e.identity;
  const char *p = "camunda.client.auth";
  if (id->method.v == M_auth_method_basic) {
    const struct m_user *u = appenv_connectors_user(c->m);
    if (!u)
      return; /* refused by compose_check */
    y_set(a, doc, arena_printf(a, "%s.method", p), y_str(a, "basic"));
    y_set(a, doc, arena_printf(a, "%s.username", p), y_str(a, u->meta.label));
    if (u->password.set)
      y_set(a, doc, arena_printf(a, "%s.password", p),
            y_str(a, compose_spring_value(c, svc, &u->password, "password",
                                          arena_printf(a, "connectors: password of user \"%s\"", u->meta.label))));
  } else if (id->method.v == M_auth_method_oidc) {
    const struct m_client *cl = model_client(&c->m->e.identity, "connectors");
    if (!cl)
      return; /* refused by compose_check */
    const char *back = compose_issuer_backend(c);
    y_set(a, doc, arena_printf(a, "%s.method", p), y_str(a, "oidc"));
    /* 8.8's client takes a token URL only; 8.9's also an issuer */
    const char *token = c->m->minor == 8 ? appenv_token_url(a, c->m) : id->token_url.set ? id->token_url.v : NULL;
    if (token)
      y_set(a, doc, arena_printf(a, "%s.token-url", p), y_str(a, token));
    else if (id->issuer.set && c->m->minor != 8)
      y_set(a, doc, arena_printf(a, "%s.issuer-url", p), y_str(a, id->issuer.v));
    else if (back)
      y_set(a, doc, arena_printf(a, "%s.token-url", p),
            y_str(a, arena_printf(a, "%s/protocol/openid-connect/token", back)));
    y_set(a, doc, arena_printf(a, "%s.client-id", p), y_str(a, cl->id.v));
    if (cl->secret.set)
      y_set(a, doc, arena_printf(a, "%s.client-secret", p),
            y_str(a, compose_spring_value(c, svc, &cl->secret, "client-secret",
                                          "connectors: secret of OIDC client \"connectors\"")));
    y_set(a, doc, arena_printf(a, "%s.audience", p), y_str(a, id->audience.v));
  }
}

static struct ynode *config(struct compose *c, struct ynode *svc) {
  struct arena *a = c->a;
  const struct m_ports *p = &c->m->e.orchestration.ports;
  const char *gw = compose_broker(c, 0);
  struct ynode *doc = y_map(a);
  y_set(a, doc, "camunda.client.mode", y_str(a, "self-managed"));
  y_set(a, doc, "camunda.client.grpc-address", y_str(a, arena_printf(a, "http://%s:%" PRId64, gw, p->grpc.v)));
  y_set(a, doc, "camunda.client.rest-address", y_str(a, arena_printf(a, "http://%s:%" PRId64, gw, p->rest.v)));
  client_auth(c, doc, svc);
  if (!c->m->e.connectors.inbound.v) {
    y_set(a, doc, "camunda.connector.polling.enabled", y_bool(a, false));
    y_set(a, doc, "camunda.connector.webhook.enabled", y_bool(a, false));
  }
  /* {{secrets.NAME}} resolves CONNECTORS_SECRET_NAME only */
  y_set(a, doc, "camunda.connector.secretprovider.environment.prefix", y_str(a, APPENV_CONNECTOR_SECRET_PREFIX));
  y_set(a, doc, "management.endpoints.web.exposure.include", y_str(a, "health,configprops"));
  y_set(a, doc, "management.endpoint.health.probes.enabled", y_bool(a, true));
  return doc;
}

/* Camunda's projects publish Connectors on 8086 unless the estate chose a port. */
void compose_connectors(struct compose *c) {
  const struct model *m = c->m;
  const struct m_connectors *cn = &m->e.connectors;
  if (!cn->meta.present)
    return;
  struct arena *a = c->a;
  struct ynode *svc = compose_service(c, "connectors",
                                      compose_image(c, &m->e.images.connectors, NULL, "camunda/connectors-bundle",
                                                    "CAMUNDA_CONNECTORS_VERSION", m->e.images.connectors.tag.v));
  bool chosen = m_given(cn->port.from);
  compose_port(c, svc, "connectors", chosen ? cn->port.v : 8086, cn->port.v, cn->port.at);
  if (cn->port.v != 8080)
    compose_env(c, svc, "SERVER_PORT", arena_printf(a, "%" PRId64, cn->port.v));
  struct m_envmap secrets = appenv_connector_secrets(a, m);
  compose_extra_env(c, svc, "connectors", &secrets);
  compose_extra_env(c, svc, "connectors", &cn->env);
  const char *probe =
      arena_printf(a, "wget -q --spider http://localhost:%" PRId64 "/actuator/health/readiness", cn->port.v);
  const char *test[] = {"CMD-SHELL", probe, NULL};
  compose_health(c, svc, compose_argv(a, test), "30s", "5s", 5, "30s");
  compose_resources(c, svc, &cn->resources);
  compose_config(c, svc, CONN_CONFIG, "/application.yaml", config(c, svc), "The Connectors runtime's configuration.");
  for (int64_t i = 0; i < m->e.orchestration.brokers.v; i++)
    compose_after(c, svc, compose_broker(c, i), "service_healthy");
  const struct m_management_identity *mi = &m->e.management_identity;
  if (m->e.identity.method.v == M_auth_method_oidc && mi->meta.present && mi->provider.v == M_mi_provider_keycloak)
    compose_after(c, svc, "identity", "service_healthy"); /* Identity creates its client in Keycloak */
  vec_push(a, &c->links,
           arena_printf(a, "Connectors: http://localhost:%" PRId64 "/actuator/health", chosen ? cn->port.v : 8086));
}
