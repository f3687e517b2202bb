/* map.c - string-keyed hash map (seeded FNV-1a with a final mix, linear
 * probing).  The seed is drawn once per process, so no estate can be
 * written to make its names collide: lookups stay constant time on any
 * input.  Nothing iterates a map, so the seed never shows in the output. */
#define _DEFAULT_SOURCE  /* getentropy */
#include "map.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static uint64_t seed(void) {
  static uint64_t s;
  static bool drawn;
  if (!drawn) {
    if (getentropy(&s, sizeof s) != 0)
      s = (uint64_t)(uintptr_t)&s;  /* address-space randomisation, at least */
    drawn = true;
  }
  return s;
}

void map_init(struct map *m, struct arena *a) {
  memset(m, 0, sizeof *m);
  m->arena = a;
}

/* FNV-1a over the key, a separator that no C string holds, and the sub
 * key (a missing sub key hashes differently from an empty one), then the
 * splitmix64 finaliser so the low bits that pick a slot depend on all. */
static uint64_t hash(const char *key, const char *sub) {
  uint64_t h = UINT64_C(14695981039346656037) ^ seed();
  for (const unsigned char *p = (const unsigned char *)key; *p; p++)
    h = (h ^ *p) * UINT64_C(1099511628211);
  h = (h ^ (sub ? 0x100u : 0x200u)) * UINT64_C(1099511628211);
  for (const unsigned char *p = (const unsigned char *)(sub ? sub : ""); *p; p++)
    h = (h ^ *p) * UINT64_C(1099511628211);
  h = (h ^ (h >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  h = (h ^ (h >> 27)) * UINT64_C(0x94d049bb133111eb);
  return h ^ (h >> 31);
}

static bool same(const struct map_slot *s, uint64_t h, const char *key, const char *sub) {
  return s->hash == h && strcmp(s->key, key) == 0 &&
         ((!s->sub && !sub) || (s->sub && sub && strcmp(s->sub, sub) == 0));
}

/* The slot holding (key, sub), or the empty slot where it would go. */
static struct map_slot *probe(struct map_slot *slots, size_t cap, uint64_t h, const char *key, const char *sub) {
  for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
    if (!slots[i].key || same(&slots[i], h, key, sub))
      return &slots[i];
}

void *map_get(const struct map *m, const char *key, const char *sub) {
  if (!m->slots)
    return NULL;
  struct map_slot *s = probe(m->slots, m->cap, hash(key, sub), key, sub);
  return s->key ? s->value : NULL;
}

static void grow(struct map *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  struct map_slot *slots = arena_alloc(m->arena, cap * sizeof *slots);
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key)
      *probe(slots, cap, m->slots[i].hash, m->slots[i].key, m->slots[i].sub) = m->slots[i];
  m->slots = slots;
  m->cap = cap;
}

void map_put(struct map *m, const char *key, const char *sub, void *value) {
  if ((m->len + 1) * 2 > m->cap)
    grow(m);
  uint64_t h = hash(key, sub);
  struct map_slot *s = probe(m->slots, m->cap, h, key, sub);
  if (!s->key) {
    *s = (struct map_slot){key, sub, h, NULL};
    m->len++;
  }
  s->value = value;
}
