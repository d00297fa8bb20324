// The keyring: the data keys that seal records and the index key that
// makes blind indexes, stored in the store wrapped (sealed) by the root
// key. A key check value lets a wrong root key fail at open, before any
// record is read.
//
// The keyed indexes live in one of two sets of databases (A or B). An
// index key change adds a pending key whose indexes are built in the
// other set while the current ones stay in use; finishing the change
// makes the pending key the index key and its set the one in use.
//
// Thread safety: a const Keyring may be read from many threads.
#ifndef TOKENSTORE_CRYPTO_KEYRING_H_
#define TOKENSTORE_CRYPTO_KEYRING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::crypto {

// Which of the two sets of keyed index databases a key's indexes fill.
// Values are persisted: never renumber.
enum class IndexSet : uint8_t { kA = 0, kB = 1 };

inline IndexSet OtherSet(IndexSet set) {
  return set == IndexSet::kA ? IndexSet::kB : IndexSet::kA;
}

class Keyring {
 public:
  // A new keyring with one random data key (id 1) and a random index key.
  static Result<Keyring> Generate();

  // Seals the keyring under `root_key` for storage.
  Result<std::string> Wrap(const SecretKey& root_key) const;

  // Opens a wrapped keyring. CORRUPT if it does not authenticate or
  // decode (call CheckRootKey first to tell a wrong key from damage).
  static Result<Keyring> Unwrap(const SecretKey& root_key,
                                std::string_view wrapped);

  // The data key with `id`, or nullptr if this keyring has none.
  const SecretKey* DataKey(uint32_t id) const;
  const SecretKey& ActiveDataKey() const { return *DataKey(active_id_); }
  uint32_t active_data_key_id() const { return active_id_; }
  const SecretKey& index_key() const { return index_key_; }
  std::vector<uint32_t> DataKeyIds() const;
  // The set the index key's indexes are in.
  IndexSet index_set() const { return index_set_; }
  // The key of an index key change in progress (its indexes go into the
  // other set), or nullptr.
  const SecretKey* pending_index_key() const {
    return pending_index_key_.has_value() ? &*pending_index_key_ : nullptr;
  }

  // Adds a new random data key and makes it the active one; returns its id.
  Result<uint32_t> AddDataKey();
  // Forgets an inactive data key (after every record was re-sealed).
  // INVALID_ARGUMENT for the active key, NOT_FOUND for an unknown id.
  Status RemoveDataKey(uint32_t id);
  // Starts an index key change: a fresh random pending key.
  // INVALID_ARGUMENT if one is pending already.
  Status BeginIndexKeyChange();
  // Makes the pending key the index key and the other set the one in use;
  // the old index key is forgotten. INVALID_ARGUMENT if none is pending.
  Status FinishIndexKeyChange();

 private:
  Keyring(std::vector<std::pair<uint32_t, SecretKey>> data_keys,
          uint32_t active_id, SecretKey index_key)
      : data_keys_(std::move(data_keys)),
        active_id_(active_id),
        index_key_(std::move(index_key)) {}

  std::vector<std::pair<uint32_t, SecretKey>> data_keys_;
  uint32_t active_id_;
  SecretKey index_key_;
  IndexSet index_set_ = IndexSet::kA;
  std::optional<SecretKey> pending_index_key_;
};

// A 16-byte value derived from the root key and stored beside the wrapped
// keyring: equal values mean the same root key.
std::string KeyCheckValue(const SecretKey& root_key);

// True when `stored` equals KeyCheckValue(root_key), in constant time.
bool CheckRootKey(const SecretKey& root_key, std::string_view stored);

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_KEYRING_H_
