// The keyring: the data keys that seal records and the index key that
// makes blind indexes, stored in the store wrapped (sealed) by the root
// key. A key check value lets a wrong root key fail at open, before any
// record is read.
//
// Thread safety: a const Keyring may be read from many threads.
#ifndef TOKENSTORE_CRYPTO_KEYRING_H_
#define TOKENSTORE_CRYPTO_KEYRING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::crypto {

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

  // Adds a new random data key and makes it the active one; returns its id.
  Result<uint32_t> AddDataKey();
  // Forgets an inactive data key (after every record was re-sealed).
  // INVALID_ARGUMENT for the active key, NOT_FOUND for an unknown id.
  Status RemoveDataKey(uint32_t id);
  // Replaces the index key with a fresh random one.
  Status ReplaceIndexKey();

 private:
  Keyring(std::vector<std::pair<uint32_t, SecretKey>> data_keys,
          uint32_t active_id, SecretKey index_key)
      : data_keys_(std::move(data_keys)),
        active_id_(active_id),
        index_key_(std::move(index_key)) {}

  std::vector<std::pair<uint32_t, SecretKey>> data_keys_;
  uint32_t active_id_;
  SecretKey index_key_;
};

// A 16-byte value derived from the root key and stored beside the wrapped
// keyring: equal values mean the same root key.
std::string KeyCheckValue(const SecretKey& root_key);

// True when `stored` equals KeyCheckValue(root_key), in constant time.
bool CheckRootKey(const SecretKey& root_key, std::string_view stored);

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_KEYRING_H_
