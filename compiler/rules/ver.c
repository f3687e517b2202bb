/* rules/ver.c - version alignment and upgrades. */
#include <string.h>

#include "rules.h"

/* The images of Camunda's own components, and whether each is deployed. */
struct image_use {
  const char *name;
  const struct m_image *img;
  bool deployed;
};

static size_t camunda_images(const struct sema *s, struct image_use out[6]) {
  const struct m_estate *e = s->e;
  const struct m_images *i = &e->images;
  size_t n = 0;
  out[n++] = (struct image_use){"orchestration", &i->orchestration, true};
  out[n++] = (struct image_use){"connectors", &i->connectors, e->connectors.meta.present};
  out[n++] = (struct image_use){"optimize", &i->optimize, e->optimize.meta.present};
  out[n++] = (struct image_use){"identity", &i->identity, e->management_identity.meta.present};
  out[n++] = (struct image_use){"web_modeler", &i->web_modeler, e->web_modeler.meta.present};
  out[n++] = (struct image_use){"console", &i->console, e->console.meta.present};
  return n;
}

static bool is_version(const char *v) { return v && *v >= '0' && *v <= '9'; }

/* VER002: every component image is of the estate's minor version. */
void rule_VER002(struct sema *s) {
  if (on_place(s, M_place_machines) || on_place(s, M_place_laptop))
    return;  /* machines and a developer's computer run Camunda's distributions, not images */
  struct image_use imgs[6];
  size_t n = camunda_images(s, imgs);
  for (size_t i = 0; i < n; i++) {
    const struct m_image *img = imgs[i].img;
    if (!imgs[i].deployed || !img->tag.set || img->digest.set || !is_version(img->tag.v))
      continue;
    if (version_major(img->tag.v) == 8 && version_minor(img->tag.v) == s->m->minor)
      continue;
    struct diag *g = report(s, R_VER002, &img->meta, img->tag.at, "images.%s.tag = \"%s\" is not a Camunda 8.%d image",
                            imgs[i].name, img->tag.v, s->m->minor);
    note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.%d", s->m->minor);
    help(s, g, "use an 8.%d.x tag, or drop the tag to take the one the chart ships", s->m->minor);
  }
}

static bool same_span(struct span a, struct span b) { return a.file == b.file && a.start == b.start; }

/* VER004: on Helm, the chart's own image tags. */
void rule_VER004(struct sema *s) {
  if (!on_place(s, M_place_kubernetes))
    return;
  const struct m_estate *e = s->e;
  const char *chart = e->chart_version.set ? e->chart_version.v : "?";
  struct image_use imgs[6];
  size_t n = camunda_images(s, imgs);
  for (size_t i = 0; i < n; i++) {
    const struct m_image *img = imgs[i].img;
    if (!imgs[i].deployed || !img->tag.set || !m_given(img->tag.from) || img->tag.from == O_STDLIB)
      continue;
    if (same_span(img->tag.at, e->version.at)) {  /* the version's patch pins orchestration and Optimize */
      if (i != 0)
        continue;  /* said once, for orchestration */
      struct diag *g = report(s, R_VER004, &e->meta, img->tag.at,
                              "version = \"%s\" pins the orchestration%s image%s to %s, not the tag%s chart %s ships",
                              e->version.v, e->optimize.meta.present ? " and Optimize" : "",
                              e->optimize.meta.present ? "s" : "", img->tag.v, e->optimize.meta.present ? "s" : "", chart);
      help(s, g, "write version = \"8.%d\" to take the chart's tags", s->m->minor);
      continue;
    }
    struct diag *g = report(s, R_VER004, &img->meta, img->tag.at, "images.%s.tag = \"%s\" overrides the tag chart %s ships",
                            imgs[i].name, img->tag.v, chart);
    help(s, g, "drop the tag unless an upgrade guide asks for it: the chart's version matrix picks the images");
  }
}

static const struct m_upgrade *upgrade_from(const struct sema *s) {
  const struct m_upgrade *u = &s->e->upgrade;
  return u->meta.present && u->from.set && is_version(u->from.v) ? u : NULL;
}

/* VER005: one minor version at a time, never back. */
void rule_VER005(struct sema *s) {
  const struct m_upgrade *u = upgrade_from(s);
  if (!u)
    return;
  int major = version_major(u->from.v), minor = version_minor(u->from.v), to = s->m->minor;
  if (major == 8 && (minor == to || minor == to - 1))
    return;
  struct diag *g;
  if (major != 8)
    g = report(s, R_VER005, &u->meta, u->from.at, "from = \"%s\" is not a Camunda 8 version: 8.%d upgrades from 8.%d",
               u->from.v, to, to - 1);
  else if (minor > to)
    g = report(s, R_VER005, &u->meta, u->from.at, "from = \"%s\" to 8.%d goes back a minor version", u->from.v, to);
  else
    g = report(s, R_VER005, &u->meta, u->from.at, "from = \"%s\" to 8.%d skips %s", u->from.v, to,
               minor == to - 2 ? arena_printf(s->a, "8.%d", to - 1) : arena_printf(s->a, "8.%d to 8.%d", minor + 1, to - 1));
  note(s, g, at_or(s->e->version.at, &s->e->meta), "the estate runs Camunda 8.%d", to);
  if (major == 8 && minor < to)
    help(s, g, "upgrade to 8.%d first, then to 8.%d", minor + 1, to);
}

/* How many dotted numbers lead the version: "8.8" 2, "8.8.30-rc1" 3. */
static int parts(const char *v) {
  int n = 1;
  for (; (*v >= '0' && *v <= '9') || *v == '.'; v++)
    n += *v == '.';
  return n;
}

/* The version this build deploys: the orchestration image when its tag names one. */
static const char *target_version(const struct sema *s) {
  const struct m_image *img = &s->e->images.orchestration;
  if (img->tag.set && !img->digest.set && is_version(img->tag.v))
    return img->tag.v;
  return s->e->version.v;
}

/* VER007: a backup before a version upgrade. */
void rule_VER007(struct sema *s) {
  const struct m_upgrade *u = upgrade_from(s);
  if (!u || u->backup_taken.v)
    return;
  const char *from = u->from.v, *to = target_version(s);
  bool changes = version_major(from) != version_major(to) || version_minor(from) != version_minor(to);
  if (!changes && parts(from) >= 3 && parts(to) >= 3)
    changes = version_cmp(from, to) != 0;
  if (!changes)
    return;
  struct diag *g = report(s, R_VER007, &u->meta, at_or(u->backup_taken.at, &u->meta),
                          "upgrade from %s to %s without a backup taken first", from, to);
  note(s, g, u->from.at, "the installation runs %s now", from);
  help(s, g, "take a backup of the running installation, then set backup_taken = true");
}
