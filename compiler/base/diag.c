/* diag.c - diagnostic list and its two renderers. */
#include "diag.h"

#include "jsonutil.h"
#include <stdlib.h>
#include <string.h>

const struct diag_info diag_infos[] = {
#define DIAG(id, title, expl) {#id, title, expl, false},
#define WARN(id, title, expl) {#id, title, expl, true},
#include "diag.def"
#undef DIAG
#undef WARN
};
const size_t diag_ninfos = sizeof diag_infos / sizeof diag_infos[0];

const struct diag_info *diag_info_find(const char *id) {
  for (size_t i = 0; i < diag_ninfos; i++)
    if (strcmp(diag_infos[i].id, id) == 0)
      return &diag_infos[i];
  return NULL;
}

void diags_init(struct diags *d, struct arena *a) {
  memset(d, 0, sizeof *d);
  d->arena = a;
}

struct diag *diag_add(struct diags *d, enum severity sev, const char *id, struct span at,
                      const char *fmt, ...) {
  struct diag *g = arena_alloc(d->arena, sizeof *g);
  g->severity = sev;
  g->id = id;
  g->at = at;
  va_list ap;
  va_start(ap, fmt);
  g->message = arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
  g->seq = (unsigned)d->list.len;
  vec_push(d->arena, &d->list, g);
  if (sev == SEV_ERROR)
    d->errors++;
  else if (sev == SEV_WARNING)
    d->warnings++;
  return g;
}

void diag_note(struct diags *d, struct diag *g, struct span at, const char *fmt, ...) {
  struct diag_note *n = arena_alloc(d->arena, sizeof *n);
  n->at = at;
  va_list ap;
  va_start(ap, fmt);
  n->message = arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
  vec_push(d->arena, &g->notes, n);
}

void diag_help(struct diags *d, struct diag *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g->help = arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
}

static int cmp_diag(const void *pa, const void *pb) {
  const struct diag *a = *(const struct diag *const *)pa, *b = *(const struct diag *const *)pb;
  if (a->at.file != b->at.file)
    return a->at.file < b->at.file ? -1 : 1;
  if (a->at.start != b->at.start)
    return a->at.start < b->at.start ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_diag(const struct diag *a, const struct diag *b) {
  return a->severity == b->severity && a->at.file == b->at.file && a->at.start == b->at.start &&
         a->at.end == b->at.end && strcmp(a->id ? a->id : "", b->id ? b->id : "") == 0 &&
         strcmp(a->message, b->message) == 0;
}

/* A rule finding repeated in several environments is kept once, naming them all. */
static void merge_envs(struct diags *d, struct diag *kept, const struct diag *dup) {
  if (!kept->envs || !dup->envs || strstr(kept->envs, dup->envs))
    return;
  kept->envs = arena_printf(d->arena, "%s, %s", kept->envs, dup->envs);
}

/* Sorts, and drops repeats: the estate is checked once per environment, so
 * a mistake in it would otherwise be reported once for each. */
void diags_sort(struct diags *d) {
  if (d->list.len > 1)
    qsort(d->list.items, d->list.len, sizeof d->list.items[0], cmp_diag);
  size_t out = 0;
  for (size_t i = 0; i < d->list.len; i++) {
    struct diag *g = d->list.items[i];
    bool repeat = false;
    size_t back = 0;
    for (size_t j = out; j-- > 0 && !repeat;) {
      const struct diag *p = d->list.items[j];
      if (p->at.file != g->at.file || p->at.start != g->at.start)
        break;
      repeat = same_diag(p, g);
      back = out - 1 - j;
    }
    if (repeat) {
      merge_envs(d, d->list.items[out - 1 - back], g);
      if (g->severity == SEV_ERROR)
        d->errors--;
      else if (g->severity == SEV_WARNING)
        d->warnings--;
      continue;
    }
    d->list.items[out++] = g;
  }
  d->list.len = out;
}

/* A message, note or help line: one line of text whatever it quotes, so a
 * control character of the estate (a newline in a string) is written as
 * \xNN and cannot forge a diagnostic line or reach the terminal. */
static void put_line_text(const char *s, FILE *out) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
}

static const char *sev_name(enum severity s) {
  return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* Prints the source line of `at` with a caret under its first byte and
 * tildes under the rest of the span on that line.  A very long line is
 * shown as a window around the span. */
static void render_excerpt(const struct source_file *f, struct span at, FILE *out) {
  enum { WINDOW = 60 };
  struct loc l = source_loc(f, at.start);
  size_t len;
  const char *line = source_line(f, l.line, &len);
  size_t start = at.start - f->lines[l.line - 1];
  if (start > len)
    start = len;
  size_t end = at.end > at.start ? at.end - f->lines[l.line - 1] : start + 1;
  size_t from = 0, to = len;
  if (len > 3 * WINDOW) {
    from = start > WINDOW ? start - WINDOW : 0;
    while (from > 0 && ((unsigned char)line[from] & 0xC0) == 0x80)
      from--;
    to = start + WINDOW < len ? start + WINDOW : len;
    while (to < len && ((unsigned char)line[to] & 0xC0) == 0x80)
      to++;
  }
  const char *pre = from > 0 ? "..." : "", *post = to < len ? "..." : "";
  int width = snprintf(NULL, 0, "%u", l.line);
  /* a control byte (a NUL, an escape sequence) is shown as '?', one column
   * as it is one byte, so the caret still lines up and no input writes to
   * the terminal through a diagnostic */
  fprintf(out, " %u | %s", l.line, pre);
  for (size_t i = from; i < to; i++) {
    unsigned char ch = (unsigned char)line[i];
    fputc((ch < 0x20 && ch != '\t') || ch == 0x7f ? '?' : ch, out);
  }
  fprintf(out, "%s\n", post);
  fprintf(out, " %*s | %s", width, "", from > 0 ? "   " : "");
  /* pad with the line's own tabs so the caret lines up */
  for (size_t i = from; i < start; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80)
      fputc(line[i] == '\t' ? '\t' : ' ', out);
  fputc('^', out);
  for (size_t i = start + 1; i < end && i < to; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80)
      fputc('~', out);
  fputc('\n', out);
}

static void render_head(const struct sources *src, struct span at, const char *sev, const char *id,
                        const char *msg, FILE *out) {
  const struct source_file *f = sources_get(src, at.file);
  if (f) {
    struct loc l = source_loc(f, at.start);
    put_line_text(f->path, out);
    fprintf(out, ":%u:%u: ", l.line, l.col);
  } else if (strcmp(sev, "note") != 0) {
    fputs("camarch: ", out);
  }
  if (id)
    fprintf(out, "%s[%s]: ", sev, id);
  else
    fprintf(out, "%s: ", sev);
  put_line_text(msg, out);
  fputc('\n', out);
  if (f)
    render_excerpt(f, at, out);
}

void diags_render_text(const struct diags *d, const struct sources *src, FILE *out) {
  for (size_t i = 0; i < d->list.len; i++) {
    const struct diag *g = d->list.items[i];
    render_head(src, g->at, sev_name(g->severity), g->id, g->message, out);
    for (size_t j = 0; j < g->notes.len; j++) {
      const struct diag_note *n = g->notes.items[j];
      render_head(src, n->at, "note", NULL, n->message, out);
    }
    if (g->envs)
      fprintf(out, "note: in environment%s %s\n", strchr(g->envs, ',') ? "s" : "", g->envs);
    if (g->help) {
      fputs("help: ", out);
      put_line_text(g->help, out);
      fputc('\n', out);
    }
  }
}

static json_t *span_json(const struct sources *src, struct span at) {
  const struct source_file *f = sources_get(src, at.file);
  if (!f)
    return json_null();
  struct loc b = source_loc(f, at.start), e = source_loc(f, at.end > at.start ? at.end : at.start);
  return json_pack("{s:o, s:i, s:i, s:i, s:i}", "file", json_text(f->path), "line", (json_int_t)b.line,
                   "column", (json_int_t)b.col, "endLine", (json_int_t)e.line, "endColumn",
                   (json_int_t)e.col);
}

char *diags_render_json(const struct diags *d, const struct sources *src) {
  /* jansson: json_pack's "o" and json_array_append_new steal the reference. */
  json_t *list = json_array();
  for (size_t i = 0; i < d->list.len; i++) {
    const struct diag *g = d->list.items[i];
    json_t *notes = json_array();
    for (size_t j = 0; j < g->notes.len; j++) {
      const struct diag_note *n = g->notes.items[j];
      json_array_append_new(notes, json_pack("{s:o, s:o}", "message", json_text(n->message), "location",
                                             span_json(src, n->at)));
    }
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o}", "severity", sev_name(g->severity), "code",
                          g->id ? g->id : "", "message", json_text(g->message), "location",
                          span_json(src, g->at), "notes", notes);
    if (g->help)
      json_object_set_new(o, "help", json_text(g->help));
    if (g->envs)
      json_object_set_new(o, "environments", json_text(g->envs));
    json_array_append_new(list, o);
  }
  json_t *doc = json_pack("{s:i, s:o}", "version", 1, "diagnostics", list);
  char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (!s)
    die("out of memory");
  return s;
}

bool diag_is_io(const struct diag *g) { return g->id && strncmp(g->id, "OUT", 3) == 0; }
