/* unit.h: the few macros the C unit tests share (no framework needed). */
#ifndef DEEP_IMPROV_UNIT_H
#define DEEP_IMPROV_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_checks, unit_failures;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    unit_checks++;                                                                    \
    if (!(cond)) {                                                                    \
      unit_failures++;                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
    }                                                                                 \
  } while (0)

#define CHECK_STR(a, b)                                                               \
  do {                                                                                \
    unit_checks++;                                                                    \
    if (strcmp((a), (b)) != 0) {                                                      \
      unit_failures++;                                                                \
      fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, (a), (b));    \
    }                                                                                 \
  } while (0)

/** Path of protocol/bridge-vectors.txt (argv[1] of the unit binary). */
extern const char *unit_vectors_path;

void test_ring(void);
void test_notes(void);
void test_timing(void);
void test_protocol(void);
void test_crypto(void);
void test_websocket(void);
void test_http(void);
void test_plugin(void);

#endif
