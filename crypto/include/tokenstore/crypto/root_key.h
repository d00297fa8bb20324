// Where the root key comes from: a key file, hex text (for example an
// environment variable), or a passphrase stretched with Argon2id.
//
// Key files hold the key as 64 hexadecimal characters and a newline. They
// are created 0600 and refused when group or others may read them.
//
// Thread safety: all functions are reentrant.
#ifndef TOKENSTORE_CRYPTO_ROOT_KEY_H_
#define TOKENSTORE_CRYPTO_ROOT_KEY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::crypto {

// Parses 64 hex characters (surrounding whitespace ignored).
// INVALID_ARGUMENT otherwise; the message never echoes the text.
Result<SecretKey> RootKeyFromHex(std::string_view hex);

// Reads a key file. NOT_FOUND if missing; INVALID_ARGUMENT if it is
// readable by group or others, or does not hold a key.
Result<SecretKey> ReadKeyFile(const std::string& path);

// Creates `path` (0600, never overwriting) holding a new random key and
// returns that key. INVALID_ARGUMENT if the file exists; INTERNAL on I/O.
Result<SecretKey> CreateKeyFile(const std::string& path);

// Argon2id cost parameters; stored in the store beside a random salt.
struct PassphraseParams {
  static constexpr size_t kSaltSize = 16;
  std::string salt;                 // kSaltSize bytes.
  uint64_t ops_limit = 3;           // libsodium's "moderate" time cost.
  uint64_t mem_limit = 1ull << 28;  // 256 MiB.

  // Fresh random salt and default costs.
  static PassphraseParams Generate();
};

// Stretches a passphrase into a root key. INVALID_ARGUMENT for an empty
// passphrase or bad parameters; INTERNAL if memory runs out.
Result<SecretKey> RootKeyFromPassphrase(std::string_view passphrase,
                                        const PassphraseParams& params);

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_ROOT_KEY_H_
