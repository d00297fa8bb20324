#include "record_codec.h"

#include <array>
#include <cstring>

#include "layout.h"
#include "tokenstore/crypto/aead.h"
#include "tokenstore/store.h"

namespace tks::codec {
namespace {

constexpr uint8_t kValueVersion = 1;
constexpr uint8_t kPlainCodec = 1;
constexpr size_t kHeaderFixed = 1 + 4 + 1;

// The associated data of a record: label, format version, key id,
// sequence and id, built on the stack (every find opens a record).
class AssociatedData {
 public:
  AssociatedData(uint32_t key_id, uint64_t seq, std::string_view id) {
    Append(kLabel);
    AppendBigEndian(kFormatVersion, 4);
    AppendBigEndian(key_id, 4);
    AppendBigEndian(seq, 8);
    bytes_[size_++] = static_cast<char>(id.size());
    Append(id.substr(0, kMaxId));
  }

  std::string_view view() const { return {bytes_.data(), size_}; }

 private:
  static constexpr std::string_view kLabel = "tks-record";
  static constexpr size_t kMaxId = 255;  // The header stores one byte.

  void Append(std::string_view bytes) {
    std::memcpy(bytes_.data() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  void AppendBigEndian(uint64_t v, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
      bytes_[size_++] = static_cast<char>((v >> shift) & 0xff);
    }
  }

  std::array<char, kLabel.size() + 4 + 4 + 8 + 1 + kMaxId> bytes_;
  size_t size_ = 0;
};

void PutVarint(crypto::SecretString* out, uint32_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint32_t* v) {
  *v = 0;
  for (int shift = 0; shift <= 28 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

Status Damaged(std::string_view id, std::string_view why) {
  return Corrupt("record id '" + std::string(id) +
                 "' is damaged: " + std::string(why));
}

}  // namespace

Result<RecordHeader> ParseHeader(std::string_view value, uint64_t seq) {
  auto bad = [seq] {
    return Corrupt("record at sequence " + std::to_string(seq) +
                   " has a malformed header");
  };
  if (value.size() < kHeaderFixed || value[0] != kValueVersion) return bad();
  RecordHeader header;
  header.key_id = layout::GetU32(value.data() + 1);
  const size_t id_size = static_cast<uint8_t>(value[5]);
  if (value.size() < kHeaderFixed + id_size) return bad();
  header.id = value.substr(kHeaderFixed, id_size);
  header.sealed = value.substr(kHeaderFixed + id_size);
  return header;
}

Status EncodePlaintext(const Token& token, crypto::SecretString* out) {
  // Step 1: fixed part: codec, generation, time.
  std::string fixed;
  fixed.push_back(static_cast<char>(kPlainCodec));
  layout::PutU64(&fixed, token.generation());
  layout::PutU64(&fixed, token.updated_at_ms());

  // Step 2: which fields are present.
  uint16_t present = 0;
  for (Field f : kAllFields) {
    if (f != Field::kId && token.has(f)) {
      present |= static_cast<uint16_t>(1u << static_cast<int>(f));
    }
  }
  fixed.push_back(static_cast<char>(present >> 8));
  fixed.push_back(static_cast<char>(present & 0xff));
  out->assign(fixed.data(), fixed.size());

  // Step 3: the present fields, length-prefixed.
  for (Field f : kAllFields) {
    if (f == Field::kId || !token.has(f)) continue;
    const std::string_view value = token.view(f);
    PutVarint(out, static_cast<uint32_t>(value.size()));
    out->append(value.data(), value.size());
  }
  return Status::Ok();
}

Status DecodePlaintext(std::string_view plain, Token* out) {
  // Step 1: fixed part.
  if (plain.size() < 19 || static_cast<uint8_t>(plain[0]) != kPlainCodec) {
    return Corrupt("bad plaintext header");
  }
  out->set_generation(layout::GetU64(plain.data() + 1));
  out->set_updated_at_ms(layout::GetU64(plain.data() + 9));
  const uint16_t present = static_cast<uint16_t>(
      (static_cast<uint8_t>(plain[17]) << 8) | static_cast<uint8_t>(plain[18]));
  if ((present & 0xfc01) != 0) return Corrupt("bad field bits");
  plain.remove_prefix(19);
  out->Reserve(plain.size());

  // Step 2: each field, null when its bit is clear.
  for (Field f : kAllFields) {
    if (f == Field::kId) continue;
    if ((present & (1u << static_cast<int>(f))) == 0) {
      out->clear(f);
      continue;
    }
    uint32_t size = 0;
    if (!GetVarint(&plain, &size) || size > plain.size()) {
      return Corrupt("bad field length");
    }
    out->set(f, plain.substr(0, size));
    plain.remove_prefix(size);
  }
  // Step 3: what follows is zero padding up to the bucket.
  for (char c : plain) {
    if (c != '\0') return Corrupt("bad padding");
  }
  return Status::Ok();
}

Result<std::string> SealRecord(const crypto::Keyring& keyring, uint64_t seq,
                               const Token& token) {
  // Step 1: plaintext, zero-padded to the bucket (the decoder knows
  // where the fields end, so no padding marker is needed).
  crypto::SecretString plain;
  TKS_RETURN_IF_ERROR(EncodePlaintext(token, &plain));
  plain.resize((plain.size() + kPadBlock - 1) / kPadBlock * kPadBlock, '\0');

  // Step 2: header in the clear, then the sealed plaintext.
  const uint32_t key_id = keyring.active_data_key_id();
  const std::string_view id = token.id();
  std::string value;
  value.reserve(kHeaderFixed + id.size() + plain.size() +
                crypto::kSealOverhead);
  value.push_back(static_cast<char>(kValueVersion));
  layout::PutU32(&value, key_id);
  value.push_back(static_cast<char>(id.size()));
  value.append(id);
  TKS_RETURN_IF_ERROR(crypto::Seal(keyring.ActiveDataKey(),
                                   AssociatedData(key_id, seq, id).view(),
                                   plain.view(), &value));
  return value;
}

Status OpenRecord(const crypto::Keyring& keyring, uint64_t seq,
                  std::string_view value, Token* out) {
  // Step 1: header and data key.
  TKS_ASSIGN_OR_RETURN(RecordHeader header, ParseHeader(value, seq));
  const crypto::SecretKey* key = keyring.DataKey(header.key_id);
  if (key == nullptr) {
    return Damaged(header.id, "sealed with data key " +
                                  std::to_string(header.key_id) +
                                  ", not in the keyring");
  }

  // Step 2: open and decode.
  crypto::SecretString plain;
  Status opened =
      crypto::Open(*key, AssociatedData(header.key_id, seq, header.id).view(),
                   header.sealed, &plain);
  if (!opened.ok()) return Damaged(header.id, opened.message());
  Status decoded = DecodePlaintext(plain.view(), out);
  if (!decoded.ok()) return Damaged(header.id, decoded.message());
  out->set(Field::kId, header.id);
  return Status::Ok();
}

}  // namespace tks::codec
