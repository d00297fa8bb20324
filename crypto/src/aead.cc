#include "tokenstore/crypto/aead.h"

#include <pthread.h>
#include <sodium.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace tks::crypto {
namespace {

// Bumped in every child after fork(), so a child never reuses nonces
// left in its parent's pool.
std::atomic<uint64_t> g_forks{0};

uint64_t ForkCount() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    pthread_atfork(nullptr, nullptr, [] { g_forks.fetch_add(1); });
  });
  return g_forks.load(std::memory_order_relaxed);
}

// Fills `nonce` with random bytes from a per-thread pool that is refilled
// from the OS generator a few kilobytes at a time, so sealing many values
// does not cost one getrandom() system call each. Random 24-byte nonces
// never repeat in practice (XChaCha20 is designed for this); the pool is
// dropped after fork() and each nonce is wiped from it once handed out.
void RandomNonce(unsigned char* nonce) {
  thread_local unsigned char pool[kNonceSize * 170];
  thread_local size_t used = sizeof pool;
  thread_local uint64_t pool_forks = 0;
  const uint64_t forks = ForkCount();
  if (used + kNonceSize > sizeof pool || pool_forks != forks) {
    randombytes_buf(pool, sizeof pool);
    used = 0;
    pool_forks = forks;
  }
  std::memcpy(nonce, pool + used, kNonceSize);
  sodium_memzero(pool + used, kNonceSize);
  used += kNonceSize;
}

}  // namespace

Status Seal(const SecretKey& key, std::string_view ad,
            std::string_view plaintext, std::string* out) {
  // Step 1: room for nonce, ciphertext and tag after what `out` holds.
  const size_t start = out->size();
  out->resize(start + kNonceSize + plaintext.size() + kTagSize);
  auto* nonce = reinterpret_cast<unsigned char*>(out->data() + start);

  // Step 2: a fresh random nonce, then encrypt behind it.
  RandomNonce(nonce);
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
