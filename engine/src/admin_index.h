// The six indexes seen uniformly, for the operator calls: which entry a
// record needs in each, and which record an entry points to.
#ifndef TOKENSTORE_ENGINE_ADMIN_INDEX_H_
#define TOKENSTORE_ENGINE_ADMIN_INDEX_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "layout.h"
#include "store_impl.h"
#include "tokenstore/token.h"

namespace tks::admin_index {

struct IndexInfo {
  std::string_view name;
  // Where the entries are: a database of layout::Databases (id, expiry)
  // or of a keyed index set (the others); the other member is null.
  MDB_dbi layout::Databases::*dbi;
  MDB_dbi layout::KeyedDatabases::*keyed_dbi;
  Field field;
  // True when the record's sequence ends the key (user, expiry); false
  // when it is the value (id, tokens).
  bool seq_in_key;

  bool keyed() const { return keyed_dbi != nullptr; }
};

inline constexpr std::array<IndexInfo, 6> kIndexes = {{
    {"id", &layout::Databases::idx_id, nullptr, Field::kId, false},
    {"user_name", nullptr, &layout::KeyedDatabases::idx_user, Field::kUserName,
     true},
    {"refresh_token", nullptr, &layout::KeyedDatabases::idx_refresh,
     Field::kRefreshToken, false},
    {"access_token", nullptr, &layout::KeyedDatabases::idx_access,
     Field::kAccessToken, false},
    {"grant_token", nullptr, &layout::KeyedDatabases::idx_grant,
     Field::kGrantToken, false},
    {"expiry_time", &layout::Databases::idx_expiry, nullptr, Field::kExpiryTime,
     true},
}};

// The index of `field`; nullptr for a field without one.
const IndexInfo* IndexOf(Field field);

// The database of `index`, taking a keyed one from `keyed_set`.
inline MDB_dbi DatabaseOf(const IndexInfo& index, const Store::Impl& impl,
                          const layout::KeyedDatabases& keyed_set) {
  return index.keyed() ? keyed_set.*index.keyed_dbi : impl.dbs().*index.dbi;
}

struct Entry {
  std::string key;
  std::string value;
};

// The entry record `seq` holding `record` needs in `index`; nullopt when
// the field calls for none (null, empty, or an expiry that does not
// parse). `value_override` replaces the field's value (test hooks).
std::optional<Entry> ExpectedEntry(
    const crypto::BlindIndexer& indexer, const IndexInfo& index, uint64_t seq,
    const Token& record,
    std::optional<std::string_view> value_override = std::nullopt);

// The same with the store's current index key.
inline std::optional<Entry> ExpectedEntry(
    const Store::Impl& impl, const IndexInfo& index, uint64_t seq,
    const Token& record,
    std::optional<std::string_view> value_override = std::nullopt) {
  return ExpectedEntry(impl.keys().indexer, index, seq, record, value_override);
}

// The sequence an entry points to; nullopt when it is malformed.
std::optional<uint64_t> EntrySeq(const IndexInfo& index, std::string_view key,
                                 std::string_view value);

}  // namespace tks::admin_index

#endif  // TOKENSTORE_ENGINE_ADMIN_INDEX_H_
