/* map.h - a small hash map from strings to pointers, in an arena.
 *
 * The front end looks names up by the thousand (lets, import aliases, the
 * modules loaded by real path, environments, the entries of an object
 * being built or merged), so each lookup must cost the same whatever the
 * size of the estate.  A key is a string and an optional second string
 * (an entry's name and its block label); a NULL second string is a key of
 * its own, distinct from "".  Keys and values are not copied: they must
 * live as long as the map (in practice, in the same arena).  Open
 * addressing with linear probing; the table doubles at half full and its
 * old slots stay in the arena.  Nothing is ever removed.
 */
#ifndef CAMARCH_MAP_H
#define CAMARCH_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct map_slot {
  const char *key, *sub;
  uint64_t hash;
  void *value;
};

struct map {
  struct arena *arena;
  struct map_slot *slots;  /* NULL until the first map_put */
  size_t cap, len;
};

void map_init(struct map *m, struct arena *a);
/* The value under (key, sub), or NULL. */
void *map_get(const struct map *m, const char *key, const char *sub);
/* Sets the value under (key, sub), replacing any value it had. */
void map_put(struct map *m, const char *key, const char *sub, void *value);

#endif
