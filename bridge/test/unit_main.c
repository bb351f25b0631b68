/*
 * unit_main.c: runs every C unit test of the bridge.
 *   unit <path/to/protocol/bridge-vectors.txt> [name ...]
 * Prints one line per suite and "unit: N checks, M failed"; exits 1 on any failure.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "unit.h"

int unit_checks, unit_failures;
const char *unit_vectors_path;

static const struct {
  const char *name;
  void (*fn)(void);
} SUITES[] = {
    {"ring", test_ring},         {"notes", test_notes}, {"timing", test_timing}, {"protocol", test_protocol},
    {"crypto", test_crypto},     {"websocket", test_websocket}, {"http", test_http}, {"plugin", test_plugin},
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: unit <bridge-vectors.txt> [suite ...]\n");
    return 2;
  }
  unit_vectors_path = argv[1];
  for (size_t i = 0; i < sizeof SUITES / sizeof SUITES[0]; i++) {
    bool wanted = argc == 2;
    for (int a = 2; a < argc; a++) wanted = wanted || !strcmp(argv[a], SUITES[i].name);
    if (!wanted) continue;
    const int before = unit_failures, checks = unit_checks;
    SUITES[i].fn();
    printf("suite %s: %d checks, %d failed\n", SUITES[i].name, unit_checks - checks, unit_failures - before);
  }
  printf("unit: %d checks, %d failed\n", unit_checks, unit_failures);
  return unit_failures ? 1 : 0;
}
