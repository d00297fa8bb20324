#include "layout.h"

namespace tks::layout {

void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

SeqKey EncodeSeq(uint64_t seq) {
  SeqKey key;
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(seq & 0xff);
    seq >>= 8;
  }
  return key;
}

uint64_t DecodeSeq(std::string_view bytes) { return GetU64(bytes.data()); }

std::string UserKey(const crypto::BlindHash& hash, uint64_t seq) {
  std::string key(View(hash));
  PutU64(&key, seq);
  return key;
}

std::string ExpiryKey(uint64_t expiry_ms, uint64_t seq) {
  std::string key;
  PutU64(&key, expiry_ms);
  PutU64(&key, seq);
  return key;
}

std::array<std::string, 4> KeyedDatabaseNames(crypto::IndexSet set) {
  const std::string suffix = set == crypto::IndexSet::kB ? "_b" : "";
  return {"idx_user" + suffix, "idx_refresh" + suffix, "idx_access" + suffix,
          "idx_grant" + suffix};
}

}  // namespace tks::layout
