/* ring.c: the SPSC queue of ring.h. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

/** [main-thread] */
bool ring_init(ring *r, size_t elem_size, size_t capacity) {
  size_t cap = 2;
  while (cap < capacity) cap <<= 1;
  r->data = calloc(cap, elem_size);
  if (!r->data) return false;
  r->elem_size = elem_size;
  r->mask = cap - 1;
  atomic_init(&r->head, 0);
  atomic_init(&r->tail, 0);
  return true;
}

/** [main-thread] */
void ring_free(ring *r) {
  free(r->data);
  r->data = NULL;
}

/** [producer thread] The release store publishes the record before the new head. */
bool ring_push(ring *r, const void *elem) {
  size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
  size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
  if (head - tail > r->mask) return false;
  memcpy(r->data + (head & r->mask) * r->elem_size, elem, r->elem_size);
  atomic_store_explicit(&r->head, head + 1, memory_order_release);
  return true;
}

/** [consumer thread] The acquire load sees the record the producer published. */
bool ring_pop(ring *r, void *elem) {
  size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
  if (head == tail) return false;
  memcpy(elem, r->data + (tail & r->mask) * r->elem_size, r->elem_size);
  atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
  return true;
}

/** [either thread] */
size_t ring_count(ring *r) {
  size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
  size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
  return head - tail;
}

size_t ring_capacity(const ring *r) { return r->mask + 1; }
