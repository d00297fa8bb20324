// The on-disk layout (DESIGN §4): named databases and how their keys are
// built. Integers in keys are big-endian so LMDB's byte order is numeric.
//
//   meta      name                      -> format, counters, keyring, kcv
//   records   seq (8)                   -> record value (record_codec.h)
//   idx_id    id bytes                  -> seq (8)
//   idx_user  H_user (16) || seq (8)    -> empty
//   idx_refresh / idx_access / idx_grant
//             H_field (16)              -> seq (8), unique
//   idx_expiry expiry ms (8) || seq (8) -> empty
//   leases    seq (8)                   -> deadline ms (8) || holder
//
// The four keyed indexes (user and tokens, whose keys are blind hashes)
// exist twice: set A (the names above) and set B (the same names ending
// in "_b"). The keyring says which set its index key fills; an index key
// change builds the other set, then switches (store_admin_rotate.cc).
#ifndef TOKENSTORE_ENGINE_LAYOUT_H_
#define TOKENSTORE_ENGINE_LAYOUT_H_

#include <lmdb.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "tokenstore/crypto/blind_index.h"
#include "tokenstore/crypto/keyring.h"
#include "tokenstore/token.h"

namespace tks::layout {

// Meta keys.
inline constexpr std::string_view kMetaFormat = "format";
inline constexpr std::string_view kMetaCounters = "counters";
inline constexpr std::string_view kMetaKeyCheck = "key_check";
inline constexpr std::string_view kMetaKeyring = "keyring";
inline constexpr std::string_view kMetaKdf = "kdf";
// The keyring generation (8 bytes); absent means 0.
inline constexpr std::string_view kMetaKeyringGeneration = "keyring_gen";
// The number of the last index key rotation started (8 bytes).
inline constexpr std::string_view kMetaIndexBuild = "index_build";

// The databases whose keys need no index key.
struct Databases {
  MDB_dbi meta = 0;
  MDB_dbi records = 0;
  MDB_dbi idx_id = 0;
  MDB_dbi idx_expiry = 0;
  MDB_dbi leases = 0;
};

// One set of keyed indexes (A or B).
struct KeyedDatabases {
  MDB_dbi idx_user = 0;
  MDB_dbi idx_refresh = 0;
  MDB_dbi idx_access = 0;
  MDB_dbi idx_grant = 0;
};

// The names of the keyed databases of `set`, in KeyedDatabases order.
std::array<std::string, 4> KeyedDatabaseNames(crypto::IndexSet set);

// Big-endian integers.
void PutU64(std::string* out, uint64_t v);
uint64_t GetU64(const char* p);
void PutU32(std::string* out, uint32_t v);
uint32_t GetU32(const char* p);

using SeqKey = std::array<char, 8>;
SeqKey EncodeSeq(uint64_t seq);
// REQUIRES: bytes.size() == 8.
uint64_t DecodeSeq(std::string_view bytes);
inline std::string_view View(const SeqKey& key) {
  return {key.data(), key.size()};
}

// idx_user keys: hash || seq.
std::string UserKey(const crypto::BlindHash& hash, uint64_t seq);
// idx_expiry keys: expiry || seq.
std::string ExpiryKey(uint64_t expiry_ms, uint64_t seq);

inline std::string_view View(const crypto::BlindHash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

// The unique token indexes: which field, which subkey, which database.
struct UniqueIndex {
  Field field;
  crypto::IndexSlot slot;
  MDB_dbi KeyedDatabases::*dbi;
  std::string_view name;
};
inline constexpr std::array<UniqueIndex, 3> kUniqueIndexes = {{
    {Field::kRefreshToken, crypto::IndexSlot::kRefreshToken,
     &KeyedDatabases::idx_refresh, "refresh_token"},
    {Field::kAccessToken, crypto::IndexSlot::kAccessToken,
     &KeyedDatabases::idx_access, "access_token"},
    {Field::kGrantToken, crypto::IndexSlot::kGrantToken,
     &KeyedDatabases::idx_grant, "grant_token"},
}};

}  // namespace tks::layout

#endif  // TOKENSTORE_ENGINE_LAYOUT_H_
