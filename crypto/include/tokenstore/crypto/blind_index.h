// Blind indexes: keyed BLAKE2b hashes of field values, used as LMDB index
// keys so that no plaintext token or user name is ever stored.
//
// Each indexed field has its own subkey derived from the index key, so the
// same value in two fields gives unrelated hashes. Hashes are 16 bytes:
// every index hit is confirmed against the decrypted record, so a
// collision can cost a lookup but never return a wrong record.
//
// Thread safety: a const BlindIndexer may be used from many threads.
#ifndef TOKENSTORE_CRYPTO_BLIND_INDEX_H_
#define TOKENSTORE_CRYPTO_BLIND_INDEX_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::crypto {

inline constexpr size_t kBlindHashSize = 16;
using BlindHash = std::array<uint8_t, kBlindHashSize>;

// Which subkey a hash is made with. Values are persisted: never renumber.
enum class IndexSlot : uint8_t {
  kUserName = 1,
  kRefreshToken = 2,
  kAccessToken = 3,
  kGrantToken = 4,
};

class BlindIndexer {
 public:
  // Derives one subkey per slot from `index_key`. INTERNAL on failure.
  static Result<BlindIndexer> Create(const SecretKey& index_key);

  BlindHash Hash(IndexSlot slot, std::string_view value) const;

 private:
  explicit BlindIndexer(std::vector<SecretKey> subkeys)
      : subkeys_(std::move(subkeys)) {}

  std::vector<SecretKey> subkeys_;  // Indexed by slot - 1.
};

// A short public fingerprint of a value (8 hex characters of an unkeyed
// BLAKE2b), used to tell redacted values apart in output.
std::string Fingerprint(std::string_view value);

// Constant-time equality of two byte strings of equal length; false when
// the lengths differ (lengths are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_BLIND_INDEX_H_
