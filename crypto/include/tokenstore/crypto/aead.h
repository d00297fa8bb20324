// Authenticated encryption of record values: XChaCha20-Poly1305-IETF with
// a fresh random 24-byte nonce per seal, plaintext padded to a size bucket.
//
// Sealed layout: nonce (24 bytes) || ciphertext || tag (16 bytes).
//
// Thread safety: all functions are reentrant; a const SecretKey may be
// shared by threads.
#ifndef TOKENSTORE_CRYPTO_AEAD_H_
#define TOKENSTORE_CRYPTO_AEAD_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "tokenstore/crypto/secret.h"
#include "tokenstore/status.h"

namespace tks::crypto {

inline constexpr size_t kNonceSize = 24;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kSealOverhead = kNonceSize + kTagSize;

// Seals `plaintext` as it is (the caller pads it) under `key` bound to
// `ad`, appending nonce, ciphertext and tag to `out`. INTERNAL on failure.
Status Seal(const SecretKey& key, std::string_view ad,
            std::string_view plaintext, std::string* out);

// Opens a value made by Seal into `plain` (replacing its contents).
// CORRUPT when it does not authenticate.
Status Open(const SecretKey& key, std::string_view ad, std::string_view sealed,
            SecretString* plain);

// Pads `plaintext` to a multiple of `block` bytes (ISO/IEC 7816-4, as
// sodium_pad does), seals it under `key` bound to `ad`, and appends the
// result to `out`. REQUIRES: block > 0. INTERNAL on a libsodium failure.
Status SealPadded(const SecretKey& key, std::string_view ad,
                  std::string_view plaintext, size_t block, std::string* out);

// Opens a value made by SealPadded with the same key, ad and block, and
// removes the padding. CORRUPT when authentication fails or the padding is
// malformed; the message says which, never what the bytes were.
Result<SecretString> OpenPadded(const SecretKey& key, std::string_view ad,
                                std::string_view sealed, size_t block);

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_AEAD_H_
