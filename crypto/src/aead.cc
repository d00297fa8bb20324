#include "tokenstore/crypto/aead.h"

#include <sodium.h>

namespace tks::crypto {

Status Seal(const SecretKey& key, std::string_view ad,
            std::string_view plaintext, std::string* out) {
  // Step 1: room for nonce, ciphertext and tag after what `out` holds.
  const size_t start = out->size();
  out->resize(start + kNonceSize + plaintext.size() + kTagSize);
  auto* nonce = reinterpret_cast<unsigned char*>(out->data() + start);

  // Step 2: a fresh random nonce, then encrypt behind it.
  randombytes_buf(nonce, kNonceSize);
  unsigned long long sealed_size = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceSize, &sealed_size,
      reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(ad.data()),
      ad.size(), nullptr, nonce, key.data());
  if (rc != 0 || sealed_size != plaintext.size() + kTagSize) {
    out->resize(start);
    return Internal("encryption failed");
  }
  return Status::Ok();
}

Status Open(const SecretKey& key, std::string_view ad, std::string_view sealed,
            SecretString* plain) {
  // Step 1: the value must hold at least a nonce and a tag.
  if (sealed.size() < kSealOverhead) {
    return Corrupt("sealed value is truncated");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t cipher_size = sealed.size() - kNonceSize;

  // Step 2: authenticate and decrypt into wiping memory.
  plain->resize(cipher_size - kTagSize);
  unsigned long long plain_size = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain->data()), &plain_size, nullptr,
          nonce + kNonceSize, cipher_size,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce,
          key.data()) != 0) {
    plain->clear();
    return Corrupt("authentication failed");
  }
  return Status::Ok();
}

Status SealPadded(const SecretKey& key, std::string_view ad,
                  std::string_view plaintext, size_t block, std::string* out) {
  // Step 1: copy the plaintext into wiping memory and pad it to the bucket.
  SecretString padded(plaintext);
  padded.resize(plaintext.size() + block);
  size_t padded_size = 0;
  if (sodium_pad(&padded_size, reinterpret_cast<unsigned char*>(padded.data()),
                 plaintext.size(), block, padded.size()) != 0) {
    return Internal("padding failed");
  }
  padded.resize(padded_size);

  // Step 2: seal the padded bytes.
  return Seal(key, ad, padded.view(), out);
}

Result<SecretString> OpenPadded(const SecretKey& key, std::string_view ad,
                                std::string_view sealed, size_t block) {
  // Step 1: open.
  if (sealed.size() < kSealOverhead + block) {
    return Corrupt("sealed value is truncated");
  }
  SecretString plain;
  TKS_RETURN_IF_ERROR(Open(key, ad, sealed, &plain));

  // Step 2: strip the padding.
  size_t unpadded = 0;
  if (sodium_unpad(&unpadded, reinterpret_cast<unsigned char*>(plain.data()),
                   plain.size(), block) != 0) {
    return Corrupt("bad padding");
  }
  plain.resize(unpadded);
  return plain;
}

}  // namespace tks::crypto
