// Memory types for secrets: keys in guarded memory, strings that are wiped
// when released.
//
// SecretKey holds 32 bytes in sodium_malloc'd memory (guard pages, locked
// against swapping, wiped on free). SecretString is a std::string whose
// allocator wipes every buffer it gives back, so a decrypted token does not
// linger in freed heap memory.
//
// Thread safety: distinct objects may be used from distinct threads; a
// const SecretKey may be read from many threads at once.
#ifndef TOKENSTORE_CRYPTO_SECRET_H_
#define TOKENSTORE_CRYPTO_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "tokenstore/status.h"

namespace tks::crypto {

// Must succeed before any other call of this library; safe to call often
// and from many threads. INTERNAL if libsodium cannot initialise.
Status InitSodium();

// Overwrites `size` bytes at `data` in a way the compiler cannot elide.
void Wipe(void* data, size_t size);

// A std::allocator that wipes memory before returning it.
template <typename T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() = default;
  template <typename U>
  WipingAllocator(const WipingAllocator<U>&) {}  // NOLINT: rebind

  T* allocate(size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, size_t n) {
    Wipe(p, n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const WipingAllocator<U>&) const {
    return true;
  }
};

// Bytes that may hold a secret. The destructor wipes the inline buffer of
// short strings too.
class SecretString : public std::basic_string<char, std::char_traits<char>,
                                              WipingAllocator<char>> {
 public:
  using Base =
      std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;
  using Base::Base;
  SecretString() = default;
  explicit SecretString(std::string_view text)
      : Base(text.data(), text.size()) {}
  SecretString(const SecretString&) = default;
  SecretString(SecretString&&) = default;
  SecretString& operator=(const SecretString&) = default;
  SecretString& operator=(SecretString&&) = default;
  // A heap buffer is wiped by the allocator as it is released; a short
  // value kept inside the object itself is wiped here.
  ~SecretString() {
    const char* self = reinterpret_cast<const char*>(this);
    if (std::less_equal<const char*>()(self, data()) &&
        std::less<const char*>()(data(), self + sizeof(*this))) {
      Wipe(data(), capacity());
    }
  }

  std::string_view view() const { return {data(), size()}; }
};

// A 32-byte key in guarded memory. Move-only; wiped and freed on
// destruction. An empty (moved-from) key has no bytes.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  // A fresh random key. INTERNAL if guarded memory is unavailable.
  static Result<SecretKey> Random();
  // A key holding a copy of `bytes`. INVALID_ARGUMENT unless 32 bytes.
  static Result<SecretKey> FromBytes(std::string_view bytes);

  SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
    other.bytes_ = nullptr;
  }
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  // REQUIRES: not moved-from.
  const uint8_t* data() const { return bytes_; }
  bool empty() const { return bytes_ == nullptr; }

  // An independent copy in its own guarded memory.
  Result<SecretKey> Clone() const;

 private:
  explicit SecretKey(uint8_t* bytes) : bytes_(bytes) {}
  static Result<SecretKey> Allocate();

  uint8_t* bytes_ = nullptr;
};

}  // namespace tks::crypto

#endif  // TOKENSTORE_CRYPTO_SECRET_H_
