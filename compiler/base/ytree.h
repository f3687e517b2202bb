/* ytree.h - YAML documents as trees, written out by libyaml's emitter.
 *
 * Backends build a tree (ordered mappings, sequences, scalars) in the
 * compilation's arena and hand it to ytree_emit; no YAML text is ever put
 * together by hand.  Strings that YAML would read as something else (3,
 * true, null, 1e3, "") are quoted, so `clusterSize: "3"` stays a string.
 */
#ifndef CAMARCH_YTREE_H
#define CAMARCH_YTREE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

enum ynode_kind { Y_MAP, Y_SEQ, Y_STR, Y_INT, Y_BOOL, Y_NULL };

struct ynode {
  enum ynode_kind kind;
  const char *s;          /* Y_STR; Y_INT and Y_BOOL keep their text here too */
  bool literal;           /* Y_STR: prefer a literal block (|) for multi-line text */
  struct vec keys;        /* Y_MAP: const char * */
  struct vec items;       /* Y_MAP values / Y_SEQ items: struct ynode * */
};

struct ynode *y_map(struct arena *a);
struct ynode *y_seq(struct arena *a);
struct ynode *y_str(struct arena *a, const char *s);
struct ynode *y_int(struct arena *a, int64_t v);
struct ynode *y_bool(struct arena *a, bool v);
/* null: Helm deletes the key from the chart's defaults. */
struct ynode *y_null(struct arena *a);
/* Sets a dotted path ("orchestration.resources.requests.cpu") in a map,
 * creating the maps on the way; an existing key is replaced in place. */
void y_set(struct arena *a, struct ynode *map, const char *path, struct ynode *value);
struct ynode *y_get(const struct ynode *map, const char *path);
/* Sets one key of a map as it is, dots and all (annotation names). */
void y_put(struct arena *a, struct ynode *map, const char *key, struct ynode *value);
void y_push(struct arena *a, struct ynode *seq, struct ynode *item);
/* Removes the key at a dotted path, if it is there. */
void y_remove(struct ynode *map, const char *path);
/* Removes empty mappings, recursively (keys created only to fix an order). */
void y_prune(struct ynode *map);

/* Emits `doc` as one YAML document (with "---") after the given comment
 * lines (each written as "# line"); returns false if libyaml fails. */
bool ytree_emit(const struct ynode *doc, const char *const *comments, struct buf *out);

#endif
