/* What the C API test programs share: a check counter and a way to open
 * a store with fixed key bytes. Each program includes this once. */
#ifndef TOKENSTORE_TESTS_API_C_CHECK_H_
#define TOKENSTORE_TESTS_API_C_CHECK_H_

#include <stdio.h>

#include "tks/tks.h"

static int g_passed = 0;
static int g_failed = 0;

/* Counts one check; prints where it failed. */
static inline void check(int ok, const char* what, int line) {
  if (ok) {
    g_passed++;
  } else {
    g_failed++;
    fprintf(stderr, "FAIL line %d: %s\n", line, what);
  }
}

#define CHECK(cond) check((cond) != 0, #cond, __LINE__)

/* Prints the totals; the program's exit code (0 when nothing failed). */
static inline int report_checks(void) {
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}

/* Opens the store at `path` with the 32 bytes of `key` as its root key
 * and the given durability; returns the code. */
static inline int open_store_with_key(const char* path,
                                      const unsigned char key[32],
                                      int durability, tks_store** store,
                                      tks_error** err) {
  tks_options* options = NULL;
  int code = tks_options_create(&options);
  if (code != TKS_OK) return code;
  tks_options_set_path(options, path);
  tks_options_set_key_bytes(options, key, 32);
  tks_options_set_durability(options, durability);
  code = tks_store_open(options, store, err);
  tks_options_free(options);
  return code;
}

#endif /* TOKENSTORE_TESTS_API_C_CHECK_H_ */
