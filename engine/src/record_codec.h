// How one record is stored in the `records` database.
//
// Value:  version (1) || data key id (4) || id length (1) || id ||
//         sealed plaintext (crypto/aead.h)
// Plaintext (zero-padded to 128-byte buckets before sealing):
//         codec (1) || generation (8) || updated_at ms (8) ||
//         presence bits (2) || for each present field 1..9:
//         varint length || bytes
// The associated data binds format version, key id, sequence and id, so a
// value copied onto another record fails to open.
#ifndef TOKENSTORE_ENGINE_RECORD_CODEC_H_
#define TOKENSTORE_ENGINE_RECORD_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tokenstore/crypto/keyring.h"
#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"
#include "tokenstore/token.h"

namespace tks::codec {

inline constexpr size_t kPadBlock = 128;

// The plaintext fields of a stored value.
struct RecordHeader {
  uint32_t key_id = 0;
  std::string_view id;
  std::string_view sealed;
};

// Splits a stored value. CORRUPT (naming `seq`) when it is malformed.
Result<RecordHeader> ParseHeader(std::string_view value, uint64_t seq);

// Seals `token` (its id, fields, generation and time) as the value of
// record `seq` under the keyring's active data key.
Result<std::string> SealRecord(const crypto::Keyring& keyring, uint64_t seq,
                               const Token& token);

// Opens the value of record `seq` into `out` (all fields replaced).
// CORRUPT naming the record id when it does not open or decode, or names
// a data key the keyring lacks (a damaged header).
Status OpenRecord(const crypto::Keyring& keyring, uint64_t seq,
                  std::string_view value, Token* out);

// The serialised plaintext of a token's fields 1..9 and metadata.
Status EncodePlaintext(const Token& token, crypto::SecretString* out);
// Inverse of EncodePlaintext; leaves the id untouched. CORRUPT if bad.
Status DecodePlaintext(std::string_view plain, Token* out);

}  // namespace tks::codec

#endif  // TOKENSTORE_ENGINE_RECORD_CODEC_H_
