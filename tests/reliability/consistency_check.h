// A structural check of a store, written for the reliability tests: every
// record opens, every index entry points to a record whose field matches,
// every record's fields are indexed, and the record count equals the id
// index count. It reads the store's databases directly (engine internals)
// inside one read snapshot.
#ifndef TOKENSTORE_TESTS_RELIABILITY_CONSISTENCY_CHECK_H_
#define TOKENSTORE_TESTS_RELIABILITY_CONSISTENCY_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tokenstore/store.h"

namespace tks::reliability {

struct ConsistencyReport {
  uint64_t records = 0;
  uint64_t index_entries = 0;
  // One line per problem; empty when the store is consistent.
  std::vector<std::string> problems;

  bool clean() const { return problems.empty(); }
  std::string Summary() const;
};

// Checks `store`. A failure to read at all is reported as a problem.
ConsistencyReport CheckConsistency(const Store& store);

}  // namespace tks::reliability

#endif  // TOKENSTORE_TESTS_RELIABILITY_CONSISTENCY_CHECK_H_
