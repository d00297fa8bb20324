#include "tokenstore/crypto/secret.h"

#include <sodium.h>

#include <cstring>

namespace tks::crypto {

Status InitSodium() {
  // sodium_init returns 0 on first success, 1 when already initialised.
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  return Status::Ok();
}

void Wipe(void* data, size_t size) {
  if (data != nullptr && size > 0) sodium_memzero(data, size);
}

Result<SecretKey> SecretKey::Allocate() {
  TKS_RETURN_IF_ERROR(InitSodium());
  auto* bytes = static_cast<uint8_t*>(sodium_malloc(kSize));
  if (bytes == nullptr) return Internal("cannot allocate guarded key memory");
  return SecretKey(bytes);
}

Result<SecretKey> SecretKey::Random() {
  TKS_ASSIGN_OR_RETURN(SecretKey key, Allocate());
  randombytes_buf(key.bytes_, kSize);
  return key;
}

Result<SecretKey> SecretKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) {
    return InvalidArgument("a key must be exactly 32 bytes");
  }
  TKS_ASSIGN_OR_RETURN(SecretKey key, Allocate());
  std::memcpy(key.bytes_, bytes.data(), kSize);
  return key;
}

Result<SecretKey> SecretKey::Clone() const {
  if (bytes_ == nullptr) return Internal("clone of an empty key");
  TKS_ASSIGN_OR_RETURN(SecretKey key, Allocate());
  std::memcpy(key.bytes_, bytes_, kSize);
  return key;
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = other.bytes_;
    other.bytes_ = nullptr;
  }
  return *this;
}

SecretKey::~SecretKey() {
  // sodium_free wipes the memory before releasing it.
  if (bytes_ != nullptr) sodium_free(bytes_);
}

}  // namespace tks::crypto
