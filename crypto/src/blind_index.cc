#include "tokenstore/crypto/blind_index.h"

#include <sodium.h>

#include <cstring>

namespace tks::crypto {
namespace {

constexpr char kIndexContext[crypto_kdf_CONTEXTBYTES + 1] = "tksindex";
constexpr uint8_t kSlotCount = 4;

}  // namespace

Result<BlindIndexer> BlindIndexer::Create(const SecretKey& index_key) {
  // One subkey per slot, derived with the slot number as subkey id.
  std::vector<SecretKey> subkeys;
  for (uint8_t slot = 1; slot <= kSlotCount; ++slot) {
    TKS_ASSIGN_OR_RETURN(SecretKey subkey, SecretKey::Random());
    if (crypto_kdf_derive_from_key(const_cast<uint8_t*>(subkey.data()),
                                   SecretKey::kSize, slot, kIndexContext,
                                   index_key.data()) != 0) {
      return Internal("index subkey derivation failed");
    }
    subkeys.push_back(std::move(subkey));
  }
  return BlindIndexer(std::move(subkeys));
}

BlindHash BlindIndexer::Hash(IndexSlot slot, std::string_view value) const {
  BlindHash out{};
  const SecretKey& subkey = subkeys_[static_cast<uint8_t>(slot) - 1];
  crypto_generichash(out.data(), out.size(),
                     reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), subkey.data(), SecretKey::kSize);
  return out;
}

std::string Fingerprint(std::string_view value) {
  uint8_t digest[4];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte is read whatever the differences: the XORs of 8-byte words
  // (then of the tail bytes) are OR-ed into one accumulator, which the
  // empty asm makes opaque so the compiler cannot stop at the first
  // difference. Eight times fewer steps than sodium_memcmp, which goes a
  // byte at a time; a find compares at least once.
  if (a.size() != b.size()) return false;
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x = 0;
    uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
    __asm__ volatile("" : "+r"(diff));
  }
  for (; i < a.size(); ++i) {
    diff |= static_cast<uint8_t>(a[i] ^ b[i]);
    __asm__ volatile("" : "+r"(diff));
  }
  return diff == 0;
}

}  // namespace tks::crypto
