// Fake token records in the shapes the Zoho SDK stores write (DESIGN §2),
// generated deterministically from an index so every peer gets the same
// data and a benchmark can rebuild any record without keeping it.
#ifndef TOKENSTORE_BENCH_FAKE_TOKENS_H_
#define TOKENSTORE_BENCH_FAKE_TOKENS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenstore/token.h"

namespace tks::bench {

// One record as the peers exchange it: ten fields (empty means null; the
// generated records fill every field) and the stored generation.
struct Record {
  std::array<std::string, kFieldCount> fields;
  uint64_t generation = 0;

  std::string& at(Field field) { return fields[static_cast<size_t>(field)]; }
  const std::string& at(Field field) const {
    return fields[static_cast<size_t>(field)];
  }
  const std::string& id() const { return at(Field::kId); }
};

// A point in time all generated expiry times are relative to: records
// with index % 10 == 0 expire before it, the others an hour after it.
inline constexpr uint64_t kBenchNowMs = 1'800'000'000'000;

// Record number `index` (0-based). Its id is the decimal index + 1 when
// `with_id`, else empty (an insert). `variant` changes every token value
// while keeping the user, as a refresh does; 0 is the loaded state.
Record MakeRecord(uint64_t index, bool with_id, uint64_t variant = 0);

// A token value of the same shape that no generated record holds.
std::string MissingToken(uint64_t index);

// Gives `record` fresh refresh, access and grant tokens (and a fresh
// expiry) that no other stamp and no generated record holds, cheaply:
// 16 hex digits of `stamp` overwrite the start of each token.
void Restamp(Record* record, uint64_t stamp);

// Records 0..count-1 with ids.
std::vector<Record> MakeDataset(size_t count);

}  // namespace tks::bench

#endif  // TOKENSTORE_BENCH_FAKE_TOKENS_H_
