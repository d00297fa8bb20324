#include "admin_index.h"

namespace tks::admin_index {
namespace {

constexpr size_t kSeqBytes = 8;
constexpr size_t kHashBytes = 16;

crypto::IndexSlot SlotOf(Field field) {
  switch (field) {
    case Field::kRefreshToken:
      return crypto::IndexSlot::kRefreshToken;
    case Field::kAccessToken:
      return crypto::IndexSlot::kAccessToken;
    case Field::kGrantToken:
      return crypto::IndexSlot::kGrantToken;
    default:
      return crypto::IndexSlot::kUserName;
  }
}

}  // namespace

const IndexInfo* IndexOf(Field field) {
  for (const IndexInfo& index : kIndexes) {
    if (index.field == field) return &index;
  }
  return nullptr;
}

std::optional<Entry> ExpectedEntry(
    const crypto::BlindIndexer& indexer, const IndexInfo& index, uint64_t seq,
    const Token& record, std::optional<std::string_view> value_override) {
  // Step 1: the value the entry is made from.
  if (!value_override && !record.has(index.field)) return std::nullopt;
  const std::string_view value =
      value_override ? *value_override : record.view(index.field);
  if (value.empty()) return std::nullopt;
  const layout::SeqKey seq_key = layout::EncodeSeq(seq);

  // Step 2: the key and value of each kind of index.
  switch (index.field) {
    case Field::kId:
      return Entry{std::string(value), std::string(layout::View(seq_key))};
    case Field::kExpiryTime: {
      const std::optional<uint64_t> expiry = ParseExpiryMs(value);
      if (!expiry) return std::nullopt;
      return Entry{layout::ExpiryKey(*expiry, seq), ""};
    }
    case Field::kUserName:
      return Entry{
          layout::UserKey(indexer.Hash(SlotOf(index.field), value), seq), ""};
    default: {
      const crypto::BlindHash hash = indexer.Hash(SlotOf(index.field), value);
      return Entry{std::string(layout::View(hash)),
                   std::string(layout::View(seq_key))};
    }
  }
}

std::optional<uint64_t> EntrySeq(const IndexInfo& index, std::string_view key,
                                 std::string_view value) {
  if (!index.seq_in_key) {
    if (value.size() != kSeqBytes) return std::nullopt;
    return layout::DecodeSeq(value);
  }
  const size_t expected_key =
      (index.field == Field::kUserName ? kHashBytes : kSeqBytes) + kSeqBytes;
  if (key.size() != expected_key) return std::nullopt;
  return layout::DecodeSeq(key.substr(key.size() - kSeqBytes));
}

}  // namespace tks::admin_index
