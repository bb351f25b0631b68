/*
 * ring.h: a wait-free single-producer/single-consumer queue of fixed-size
 * records (C11 atomics), the only channel between process() and the other
 * threads. Storage is allocated once by ring_init; push and pop never block,
 * lock or allocate.
 */
#ifndef DEEP_IMPROV_RING_H
#define DEEP_IMPROV_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ring {
  unsigned char *data;
  size_t elem_size;
  size_t mask;          /* capacity - 1 (capacity is a power of two) */
  atomic_size_t head;   /* next slot to write; written by the producer only */
  atomic_size_t tail;   /* next slot to read; written by the consumer only */
} ring;

/**
 * Allocates room for `capacity` records of `elem_size` bytes (capacity is
 * rounded up to a power of two, at least 2). False when out of memory.
 * [main-thread]
 */
bool ring_init(ring *r, size_t elem_size, size_t capacity);
/** Frees the storage. [main-thread] */
void ring_free(ring *r);
/** Copies one record in; false (nothing written) when full. [producer thread] */
bool ring_push(ring *r, const void *elem);
/** Copies the oldest record out; false when empty. [consumer thread] */
bool ring_pop(ring *r, void *elem);
/** Records currently queued (a snapshot). [either thread] */
size_t ring_count(ring *r);
/** The capacity in records. */
size_t ring_capacity(const ring *r);

#endif
