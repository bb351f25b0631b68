/* test_ring.c: the SPSC ring: order, full/empty edges, wrap-around, and a two-thread stress run. */
#include <stdint.h>

#include "../native/platform.h"
#include "../native/ring.h"
#include "unit.h"

typedef struct stress {
  ring *r;
  uint32_t n;
} stress;

static void producer(void *arg) {
  stress *s = arg;
  for (uint32_t i = 0; i < s->n;) {
    if (ring_push(s->r, &i)) i++;
  }
}

void test_ring(void) {
  ring r;
  CHECK(ring_init(&r, sizeof(uint32_t), 5));
  CHECK(ring_capacity(&r) == 8);
  uint32_t v = 0;
  CHECK(!ring_pop(&r, &v));
  for (uint32_t i = 0; i < 8; i++) CHECK(ring_push(&r, &i));
  uint32_t extra = 99;
  CHECK(!ring_push(&r, &extra)); /* full: nothing written */
  CHECK(ring_count(&r) == 8);
  for (uint32_t i = 0; i < 8; i++) {
    CHECK(ring_pop(&r, &v));
    CHECK(v == i);
  }
  CHECK(!ring_pop(&r, &v));
  /* wrap-around many times with a changing fill level */
  uint32_t next_in = 0, next_out = 0;
  bool order_ok = true;
  for (int round = 0; round < 1000; round++) {
    const int pushes = round % 7 + 1;
    for (int k = 0; k < pushes; k++)
      if (ring_push(&r, &next_in)) next_in++;
    const int pops = round % 5 + 1;
    for (int k = 0; k < pops; k++)
      if (ring_pop(&r, &v)) order_ok = order_ok && v == next_out++;
  }
  CHECK(order_ok);
  CHECK(ring_count(&r) == next_in - next_out);
  ring_free(&r);

  /* one producer thread, this thread consumes: every value once, in order */
  ring s;
  CHECK(ring_init(&s, sizeof(uint32_t), 64));
  stress st = {&s, 200000};
  plat_thread *t = plat_thread_start(producer, &st);
  CHECK(t != NULL);
  uint32_t expect = 0;
  bool ok = true;
  while (expect < st.n) {
    if (ring_pop(&s, &v)) {
      ok = ok && v == expect;
      expect++;
    }
  }
  plat_thread_join(t);
  CHECK(ok);
  CHECK(!ring_pop(&s, &v));
  ring_free(&s);
}
