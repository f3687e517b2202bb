/* rules/sec.c - security of what the estate exposes. */
#include <string.h>

#include "appenv.h"
#include "rules.h"
#include "url.h"

/* SEC001: an Ingress in production has a TLS certificate. */
void rule_SEC001(struct sema *s) {
  const struct m_ingress *in = &s->e->ingress;
  if (!in->meta.present || appenv_ingress_tls(in))
    return;
  struct diag *g = report(s, R_SEC001, &in->meta, in->meta.at, "the Ingress%s%s serves plain HTTP",
                          in->host.set ? " for " : "", in->host.set ? in->host.v : "");
  help(s, g, "name its certificate: tls = secret(\"camunda-tls\")");
}

/* The host of an http(s) URL, lower-cased (url.h); NULL when there is none. */
static const char *url_host(struct arena *a, const char *url) {
  struct url u;
  return url_parse(a, URL_FORM_HTTP, url, &u) == URL_OK ? u.host : NULL;
}

/* SEC002: each OIDC client's redirect_url is on the Ingress host. */
void rule_SEC002(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  const struct m_ingress *in = &s->e->ingress;
  if (id->method.v != M_auth_method_oidc || !in->meta.present || !in->host.set || !*in->host.v)
    return;
  const char *want = in->host.v;  /* an Ingress host: lower-case already (its format) */
  for (size_t i = 0; i < id->client.v.len; i++) {
    const struct m_client *c = id->client.v.items[i];
    if (!c->redirect_url.set)
      continue;
    const char *got = url_host(s->a, c->redirect_url.v);
    if (!got || strcmp(got, want) == 0)
      continue; /* not a URL: ID010 says so */
    struct diag *g = report(s, R_SEC002, &c->meta, c->redirect_url.at,
                            "client \"%s\" returns from login to %s, but the Ingress serves %s", c->meta.label, got,
                            want);
    help(s, g, "leave redirect_url unset to derive it from the Ingress host, or set it in this environment");
  }
}

/* A host name only a cluster resolves: one label, or a Kubernetes service name. */
static bool cluster_internal(const char *host) {
  static const char *const tails[] = {".svc", ".svc.cluster.local", ".cluster.local"};
  if (!strchr(host, '.'))
    return strcmp(host, "localhost") != 0;  /* localhost: a port-forward on the user's machine */
  size_t n = strlen(host);
  for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
    size_t t = strlen(tails[i]);
    if (n > t && strcmp(host + n - t, tails[i]) == 0)
      return true;
  }
  return false;
}

/* SEC003: the issuer browsers log in at is not a cluster-internal address. */
void rule_SEC003(struct sema *s) {
  const struct m_identity *id = &s->e->identity;
  const struct m_management_identity *mi = &s->e->management_identity;
  const struct m_str *url = NULL;  /* where the public issuer comes from */
  if (id->issuer.set)
    url = &id->issuer;
  else if (mi->meta.present && mi->provider.v == M_mi_provider_keycloak && mi->keycloak.url.set)
    url = &mi->keycloak.url;
  if (!url)
    return;
  const char *host = url_host(s->a, url->v);
  if (!host || !cluster_internal(host))
    return;
  struct diag *g = report(s, R_SEC003, url == &id->issuer ? &id->meta : &mi->keycloak.meta, url->at,
                          "browsers are sent to %s to log in, a name only the cluster resolves", host);
  help(s, g, "give the public URL as identity.issuer, and the in-cluster one as identity.issuer_backend");
}
