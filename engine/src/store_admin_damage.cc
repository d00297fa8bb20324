// Test hooks that damage a store (tokenstore/admin_testing.h).
#include "admin_index.h"
#include "lmdb_wrap.h"
#include "record_codec.h"
#include "store_impl.h"
#include "tokenstore/admin_testing.h"

namespace tks::testing_hooks {
namespace {

// A value no record holds, valid for every index (an expiry parses).
constexpr std::string_view kForeignValue = "4242424242424";

Status FlipByte(WriteContext& ctx, const Store::Impl& impl, uint64_t seq) {
  const layout::SeqKey key = layout::EncodeSeq(seq);
  std::string_view value;
  bool found = false;
  TKS_RETURN_IF_ERROR(lmdb::Get(ctx.txn, impl.dbs().records, layout::View(key),
                                &value, &found));
  if (!found || value.empty()) return NotFound("record value");
  std::string flipped(value);
  flipped.back() ^= 0x01;
  ctx.wrote = true;
  return lmdb::Put(ctx.txn, impl.dbs().records, layout::View(key), flipped, 0,
                   "records");
}

}  // namespace

Status DamageStore(Store& store, Damage damage, std::string_view id,
                   Field field) {
  Store::Impl& impl = store.impl();
  const admin_index::IndexInfo* index = admin_index::IndexOf(field);
  if (damage != Damage::kFlipRecordByte && index == nullptr) {
    return InvalidArgument("field " + std::string(FieldName(field)) +
                           " has no index");
  }
  const bool idle_set = damage == Damage::kAddOrphanToIdleIndexSet;
  if (idle_set && !index->keyed()) {
    return InvalidArgument("field " + std::string(FieldName(field)) +
                           " has no keyed index");
  }
  return impl.Write([&](WriteContext& ctx) -> Status {
    // Step 1: the record's sequence and fields.
    std::string_view seq_bytes;
    bool found = false;
    TKS_RETURN_IF_ERROR(
        lmdb::Get(ctx.txn, impl.dbs().idx_id, id, &seq_bytes, &found));
    if (!found || seq_bytes.size() != 8) return NotFound("record id");
    const uint64_t seq = layout::DecodeSeq(seq_bytes);
    if (damage == Damage::kFlipRecordByte) return FlipByte(ctx, impl, seq);
    const layout::SeqKey key = layout::EncodeSeq(seq);
    std::string_view value;
    TKS_RETURN_IF_ERROR(lmdb::Get(ctx.txn, impl.dbs().records,
                                  layout::View(key), &value, &found));
    Token record;
    TKS_RETURN_IF_ERROR(
        codec::OpenRecord(impl.keys().keyring, seq, value, &record));

    // Step 2: remove its entry, or add one it does not justify.
    const KeyState& keys = impl.keys();
    const std::optional<std::string_view> override =
        damage != Damage::kDeleteIndexEntry
            ? std::optional<std::string_view>(kForeignValue)
            : std::nullopt;
    const crypto::BlindIndexer& indexer =
        idle_set && keys.pending_indexer ? *keys.pending_indexer : keys.indexer;
    auto entry =
        admin_index::ExpectedEntry(indexer, *index, seq, record, override);
    if (!entry) return InvalidArgument("the record has no such entry");
    const MDB_dbi dbi = admin_index::DatabaseOf(
        *index, impl, idle_set ? keys.pending_indexes : keys.indexes);
    ctx.wrote = true;
    if (damage == Damage::kDeleteIndexEntry) {
      return lmdb::Del(ctx.txn, dbi, entry->key, &found, index->name);
    }
    return lmdb::Put(ctx.txn, dbi, entry->key, entry->value, 0, index->name);
  });
}

}  // namespace tks::testing_hooks
