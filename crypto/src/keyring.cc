#include "tokenstore/crypto/keyring.h"

#include <sodium.h>

#include <cstring>

#include "tokenstore/crypto/aead.h"
#include "tokenstore/crypto/blind_index.h"

namespace tks::crypto {
namespace {

constexpr std::string_view kWrapAd = "tokenstore keyring v1";
constexpr std::string_view kCheckLabel = "tokenstore key check v1";
constexpr size_t kWrapBlock = 16;
// Bits of the optional index byte after the index key.
constexpr uint8_t kIndexSetB = 0x01;
constexpr uint8_t kHasPendingIndexKey = 0x02;

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

}  // namespace

Result<Keyring> Keyring::Generate() {
  TKS_ASSIGN_OR_RETURN(SecretKey data_key, SecretKey::Random());
  TKS_ASSIGN_OR_RETURN(SecretKey index_key, SecretKey::Random());
  std::vector<std::pair<uint32_t, SecretKey>> data_keys;
  data_keys.emplace_back(1, std::move(data_key));
  return Keyring(std::move(data_keys), 1, std::move(index_key));
}

Result<std::string> Keyring::Wrap(const SecretKey& root_key) const {
  // Plaintext: count, (id, key)*, active id, index key, and when the
  // indexes are in set B or a change is pending: an index byte and the
  // pending key. A keyring without either has the layout of format 1.
  SecretString plain;
  plain.push_back(static_cast<char>(data_keys_.size()));
  for (const auto& [id, key] : data_keys_) {
    std::string id_bytes;
    PutU32(&id_bytes, id);
    plain.append(id_bytes.data(), id_bytes.size());
    plain.append(reinterpret_cast<const char*>(key.data()), SecretKey::kSize);
  }
  std::string active;
  PutU32(&active, active_id_);
  plain.append(active.data(), active.size());
  plain.append(reinterpret_cast<const char*>(index_key_.data()),
               SecretKey::kSize);
  uint8_t index_byte = 0;
  if (index_set_ == IndexSet::kB) index_byte |= kIndexSetB;
  if (pending_index_key_) index_byte |= kHasPendingIndexKey;
  if (index_byte != 0) plain.push_back(static_cast<char>(index_byte));
  if (pending_index_key_) {
    plain.append(reinterpret_cast<const char*>(pending_index_key_->data()),
                 SecretKey::kSize);
  }

  std::string wrapped;
  TKS_RETURN_IF_ERROR(
      SealPadded(root_key, kWrapAd, plain.view(), kWrapBlock, &wrapped));
  return wrapped;
}

Result<Keyring> Keyring::Unwrap(const SecretKey& root_key,
                                std::string_view wrapped) {
  // Step 1: authenticate and decrypt.
  auto opened = OpenPadded(root_key, kWrapAd, wrapped, kWrapBlock);
  if (!opened.ok()) return Corrupt("keyring does not open: damaged");
  const SecretString& plain = opened.value();

  // Step 2: decode the data keys.
  const size_t entry = 4 + SecretKey::kSize;
  if (plain.empty()) return Corrupt("keyring is empty");
  const size_t count = static_cast<uint8_t>(plain[0]);
  const size_t base = 1 + count * entry + 4 + SecretKey::kSize;
  if (count == 0 || plain.size() < base) {
    return Corrupt("keyring has a bad length");
  }
  std::vector<std::pair<uint32_t, SecretKey>> data_keys;
  const char* p = plain.data() + 1;
  for (size_t i = 0; i < count; ++i, p += entry) {
    TKS_ASSIGN_OR_RETURN(SecretKey key,
                         SecretKey::FromBytes({p + 4, SecretKey::kSize}));
    data_keys.emplace_back(GetU32(p), std::move(key));
  }

  // Step 3: the active id must name one of them; then the index key.
  const uint32_t active = GetU32(p);
  TKS_ASSIGN_OR_RETURN(SecretKey index_key,
                       SecretKey::FromBytes({p + 4, SecretKey::kSize}));
  Keyring ring(std::move(data_keys), active, std::move(index_key));
  if (ring.DataKey(active) == nullptr) {
    return Corrupt("keyring names an unknown active key");
  }

  // Step 4: the index byte and pending index key, when present.
  if (plain.size() == base) return ring;
  const uint8_t index_byte = static_cast<uint8_t>(plain[base]);
  const bool pending = (index_byte & kHasPendingIndexKey) != 0;
  if (index_byte == 0 ||
      (index_byte & ~(kIndexSetB | kHasPendingIndexKey)) != 0 ||
      plain.size() != base + 1 + (pending ? SecretKey::kSize : 0)) {
    return Corrupt("keyring has a bad index key section");
  }
  if ((index_byte & kIndexSetB) != 0) ring.index_set_ = IndexSet::kB;
  if (pending) {
    TKS_ASSIGN_OR_RETURN(
        ring.pending_index_key_,
        SecretKey::FromBytes({plain.data() + base + 1, SecretKey::kSize}));
  }
  return ring;
}

const SecretKey* Keyring::DataKey(uint32_t id) const {
  for (const auto& [key_id, key] : data_keys_) {
    if (key_id == id) return &key;
  }
  return nullptr;
}

std::vector<uint32_t> Keyring::DataKeyIds() const {
  std::vector<uint32_t> ids;
  for (const auto& entry : data_keys_) ids.push_back(entry.first);
  return ids;
}

Result<uint32_t> Keyring::AddDataKey() {
  if (data_keys_.size() >= 255) {
    return InvalidArgument("too many data keys; finish a rotation first");
  }
  uint32_t next = 0;
  for (const auto& entry : data_keys_) next = std::max(next, entry.first);
  ++next;
  TKS_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Random());
  data_keys_.emplace_back(next, std::move(key));
  active_id_ = next;
  return next;
}

Status Keyring::RemoveDataKey(uint32_t id) {
  if (id == active_id_) {
    return InvalidArgument("cannot remove the active data key");
  }
  for (auto it = data_keys_.begin(); it != data_keys_.end(); ++it) {
    if (it->first == id) {
      data_keys_.erase(it);
      return Status::Ok();
    }
  }
  return NotFound("no data key with id " + std::to_string(id));
}

Status Keyring::BeginIndexKeyChange() {
  if (pending_index_key_) {
    return InvalidArgument("an index key change is pending already");
  }
  TKS_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Random());
  pending_index_key_ = std::move(key);
  return Status::Ok();
}

Status Keyring::FinishIndexKeyChange() {
  if (!pending_index_key_) {
    return InvalidArgument("no index key change is pending");
  }
  index_key_ = std::move(*pending_index_key_);
  pending_index_key_.reset();
  index_set_ = OtherSet(index_set_);
  return Status::Ok();
}

std::string KeyCheckValue(const SecretKey& root_key) {
  std::string out(16, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(kCheckLabel.data()),
                     kCheckLabel.size(), root_key.data(), SecretKey::kSize);
  return out;
}

bool CheckRootKey(const SecretKey& root_key, std::string_view stored) {
  return ConstantTimeEquals(KeyCheckValue(root_key), stored);
}

}  // namespace tks::crypto
