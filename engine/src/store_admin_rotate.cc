// RotateDataKey and RotateIndexKey: a new data key (records re-sealed in
// batches) and a new index key (its indexes built in the other keyed index
// set in batches, then switched to), while other handles keep using the
// store (they follow the keyring generation, keyring_sync.cc).
#include <memory>
#include <vector>

#include "admin_index.h"
#include "keyring_sync.h"
#include "lmdb_wrap.h"
#include "record_codec.h"
#include "record_io.h"
#include "store_impl.h"
#include "tokenstore/admin.h"

namespace tks {
namespace {

// The keyring as stored in `txn`, opened with this handle's root key.
Result<crypto::Keyring> LoadKeyring(MDB_txn* txn, const Store::Impl& impl) {
  std::string_view check;
  std::string_view wrapped;
  bool has_check = false;
  bool has_ring = false;
  TKS_RETURN_IF_ERROR(lmdb::Get(txn, impl.dbs().meta, layout::kMetaKeyCheck,
                                &check, &has_check));
  TKS_RETURN_IF_ERROR(lmdb::Get(txn, impl.dbs().meta, layout::kMetaKeyring,
                                &wrapped, &has_ring));
  if (!has_check || !has_ring) return Corrupt("store has no keyring");
  const std::shared_ptr<const crypto::SecretKey> root = impl.root_key();
  if (!crypto::CheckRootKey(*root, check)) {
    return Status(Code::kWrongKey,
                  "the root key was rotated by another handle; reopen the "
                  "store with the new key");
  }
  return crypto::Keyring::Unwrap(*root, wrapped);
}

// Stores a changed keyring under the next generation, so every other
// handle adopts it (keyring_sync.cc).
Status StoreKeyring(WriteContext& ctx, const Store::Impl& impl,
                    const crypto::Keyring& keyring) {
  TKS_ASSIGN_OR_RETURN(std::string wrapped, keyring.Wrap(*impl.root_key()));
  TKS_ASSIGN_OR_RETURN(uint64_t generation,
                       ReadKeyringGeneration(ctx.txn, impl.dbs().meta));
  ctx.wrote = true;
  TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta, layout::kMetaKeyring,
                                wrapped, 0, "meta"));
  return WriteKeyringGeneration(ctx.txn, impl.dbs().meta, generation + 1);
}

// Makes the keyring just committed this handle's current keys. The
// change is committed whatever happens here, so a failure is only logged:
// the handle's next write or missed find adopts the keys anyway.
void AdoptCommittedKeys(Store::Impl& impl) {
  Status adopted =
      impl.Read([&](MDB_txn* txn) { return impl.KeysAt(txn).status(); });
  if (!adopted.ok()) {
    impl.Log(LogLevel::kWarning, "store " + impl.path() +
                                     ": the new keyring is committed but "
                                     "not loaded yet: " +
                                     adopted.ToString());
  }
}

// WRONG_KEY unless `root_key` opens the store.
Status CheckGivenRootKey(const Store::Impl& impl,
                         const crypto::SecretKey& root_key) {
  return impl.Read([&](MDB_txn* txn) -> Status {
    std::string_view check;
    bool found = false;
    TKS_RETURN_IF_ERROR(
        lmdb::Get(txn, impl.dbs().meta, layout::kMetaKeyCheck, &check, &found));
    if (!found || !crypto::CheckRootKey(root_key, check)) {
      return Status(Code::kWrongKey, "the root key does not open the store");
    }
    return Status::Ok();
  });
}

// Logs each record a `kind` ("data" or "index") key rotation skipped
// because it does not open; `damaged` holds the reasons, which name the
// record by id. Verify reports such records as corrupt.
void WarnSkipped(const Store::Impl& impl, std::string_view kind,
                 const std::vector<std::string>& damaged) {
  for (const std::string& why : damaged) {
    impl.Log(LogLevel::kWarning, std::string(kind) + " key rotation of " +
                                     impl.path() + " skips a record: " + why +
                                     " (see verify)");
  }
}

// Where a batch of records ended: the sequence after the last one read,
// and whether the records ran out.
struct BatchEnd {
  uint64_t next_seq = 0;
  bool at_end = false;
};

// Calls `visit(seq, value)` (a Status) for up to `batch` records from
// sequence `from` on, in sequence order. The cursor is closed when this
// returns, so the caller may then write to the records.
template <typename Visit>
Result<BatchEnd> VisitRecords(MDB_txn* txn, const Store::Impl& impl,
                              uint64_t from, size_t batch, Visit&& visit) {
  BatchEnd end{from, false};
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                       lmdb::Cursor::Open(txn, impl.dbs().records));
  const layout::SeqKey start = layout::EncodeSeq(from);
  MDB_val key = lmdb::Val(layout::View(start));
  MDB_val value{};
  MDB_cursor_op op = MDB_SET_RANGE;
  for (size_t seen = 0; seen < batch; ++seen) {
    TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &value, op));
    op = MDB_NEXT;
    if (!more) {
      end.at_end = true;
      break;
    }
    const uint64_t seq = layout::DecodeSeq(lmdb::View(key));
    end.next_seq = seq + 1;
    TKS_RETURN_IF_ERROR(visit(seq, lmdb::View(value)));
  }
  return end;
}

// Starts a data key rotation (a new active key), or picks up one that was
// interrupted (the keyring still holds older keys).
Status BeginDataRotation(Store::Impl& impl) {
  uint32_t active = 0;
  TKS_RETURN_IF_ERROR(impl.WriteAlone([&](WriteContext& ctx) -> Status {
    TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring, LoadKeyring(ctx.txn, impl));
    if (keyring.DataKeyIds().size() == 1) {
      TKS_RETURN_IF_ERROR(keyring.AddDataKey().status());
      TKS_RETURN_IF_ERROR(StoreKeyring(ctx, impl, keyring));
    }
    active = keyring.active_data_key_id();
    return Status::Ok();
  }));
  impl.Log(LogLevel::kInfo, "data key rotation of " + impl.path() +
                                " uses key " + std::to_string(active));
  AdoptCommittedKeys(impl);
  return Status::Ok();
}

// Re-seals up to `batch` records from sequence `*next_seq` on that are
// not under the active key; moves *next_seq past them. A record that does
// not open is skipped with a warning (it stays unreadable; verify names
// it), so one damaged record cannot keep the old key for ever. Returns
// how many were re-sealed; *done turns true at the end of the records.
Result<uint64_t> ResealBatch(Store::Impl& impl, size_t batch,
                             uint64_t* next_seq, bool* done) {
  uint64_t resealed = 0;
  uint64_t after = *next_seq;
  bool at_end = false;
  std::vector<std::string> damaged;
  TKS_RETURN_IF_ERROR(impl.Write([&](WriteContext& ctx) -> Status {
    // Step 1: the records of the batch not under the active key.
    resealed = 0;
    after = *next_seq;
    at_end = false;
    damaged.clear();
    const crypto::Keyring& keyring = impl.keys().keyring;
    std::vector<std::pair<uint64_t, Token>> work;
    TKS_ASSIGN_OR_RETURN(
        BatchEnd end,
        VisitRecords(ctx.txn, impl, *next_seq, batch,
                     [&](uint64_t seq, std::string_view value) -> Status {
                       auto header = codec::ParseHeader(value, seq);
                       if (header.ok() &&
                           header->key_id == keyring.active_data_key_id()) {
                         return Status::Ok();
                       }
                       Token record;
                       Status opened =
                           header.ok()
                               ? codec::OpenRecord(keyring, seq, value, &record)
                               : header.status();
                       if (opened.code() == Code::kCorrupt) {
                         damaged.push_back(opened.message());
                         return Status::Ok();
                       }
                       TKS_RETURN_IF_ERROR(opened);
                       work.emplace_back(seq, std::move(record));
                       return Status::Ok();
                     }));
    after = end.next_seq;
    at_end = end.at_end;

    // Step 2: seal each under the active key, metadata unchanged.
    for (const auto& [seq, record] : work) {
      TKS_ASSIGN_OR_RETURN(std::string sealed,
                           codec::SealRecord(keyring, seq, record));
      const layout::SeqKey key = layout::EncodeSeq(seq);
      ctx.wrote = true;
      TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().records,
                                    layout::View(key), sealed, 0, "records"));
    }
    resealed = work.size();
    return Status::Ok();
  }));
  WarnSkipped(impl, "data", damaged);
  *next_seq = after;
  *done = at_end;
  return resealed;
}

// Drops the old data keys once no record is sealed under them.
Status FinishDataRotation(Store::Impl& impl) {
  TKS_RETURN_IF_ERROR(impl.WriteAlone([&](WriteContext& ctx) -> Status {
    // Step 1: no record may still need an old key.
    TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring, LoadKeyring(ctx.txn, impl));
    TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                         lmdb::Cursor::Open(ctx.txn, impl.dbs().records));
    MDB_val key{};
    MDB_val value{};
    MDB_cursor_op op = MDB_FIRST;
    while (true) {
      TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &value, op));
      op = MDB_NEXT;
      if (!more) break;
      const uint64_t seq = layout::DecodeSeq(lmdb::View(key));
      auto header = codec::ParseHeader(lmdb::View(value), seq);
      if (header.ok() && header->key_id == keyring.active_data_key_id()) {
        continue;
      }
      Token record;
      Status opened =
          header.ok()
              ? codec::OpenRecord(keyring, seq, lmdb::View(value), &record)
              : header.status();
      if (opened.ok()) {
        return Conflict(
            "a record was written under an old data key while "
            "rotating; run the rotation again");
      }
      if (opened.code() != Code::kCorrupt) return opened;
      // Damaged (reported by ResealBatch and by verify): it opens under
      // no key, so forgetting the old ones loses nothing.
    }

    // Step 2: forget the old keys.
    for (uint32_t id : keyring.DataKeyIds()) {
      if (id != keyring.active_data_key_id()) {
        TKS_RETURN_IF_ERROR(keyring.RemoveDataKey(id));
      }
    }
    return StoreKeyring(ctx, impl, keyring);
  }));
  AdoptCommittedKeys(impl);
  return Status::Ok();
}

// The keyed indexes, for index key rotation.
std::vector<const admin_index::IndexInfo*> KeyedIndexes() {
  std::vector<const admin_index::IndexInfo*> keyed;
  for (const admin_index::IndexInfo& index : admin_index::kIndexes) {
    if (index.keyed()) keyed.push_back(&index);
  }
  return keyed;
}

// The index build counter in meta: each start of an index key rotation
// takes the next value, so a rotation that another one restarted stops.
Result<uint64_t> ReadIndexBuild(MDB_txn* txn, const Store::Impl& impl) {
  std::string_view bytes;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, impl.dbs().meta, layout::kMetaIndexBuild, &bytes, &found));
  if (!found) return uint64_t{0};
  if (bytes.size() != 8) return Corrupt("index build counter is malformed");
  return layout::GetU64(bytes.data());
}

// CONFLICT when another rotation started after the one numbered `build`.
Status CheckIndexBuild(MDB_txn* txn, const Store::Impl& impl, uint64_t build) {
  TKS_ASSIGN_OR_RETURN(uint64_t stored, ReadIndexBuild(txn, impl));
  if (stored == build) return Status::Ok();
  return Conflict(
      "another index key rotation started on this store meanwhile; it "
      "finishes the rotation");
}

// Starts an index key change (a new pending key), or picks up one that
// was interrupted (the same pending key). Either way the set not in use
// is emptied and built again from the start, so nothing an interrupted
// run left there counts. Returns the number of this build.
Result<uint64_t> BeginIndexRotation(Store::Impl& impl) {
  bool resumed = false;
  uint64_t build = 0;
  TKS_RETURN_IF_ERROR(impl.WriteAlone([&](WriteContext& ctx) -> Status {
    // Step 1: this build's number.
    TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring, LoadKeyring(ctx.txn, impl));
    TKS_ASSIGN_OR_RETURN(uint64_t previous, ReadIndexBuild(ctx.txn, impl));
    build = previous + 1;
    std::string bytes;
    layout::PutU64(&bytes, build);
    ctx.wrote = true;
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().meta,
                                  layout::kMetaIndexBuild, bytes, 0, "meta"));

    // Step 2: an empty set not in use.
    const layout::KeyedDatabases& other =
        impl.keyed_set(crypto::OtherSet(keyring.index_set()));
    for (const admin_index::IndexInfo* index : KeyedIndexes()) {
      TKS_RETURN_IF_ERROR(lmdb::ToStatus(
          mdb_drop(ctx.txn, other.*index->keyed_dbi, 0), "empty index"));
    }

    // Step 3: the pending key, new unless one is pending already.
    resumed = keyring.pending_index_key() != nullptr;
    if (resumed) return Status::Ok();
    TKS_RETURN_IF_ERROR(keyring.BeginIndexKeyChange());
    return StoreKeyring(ctx, impl, keyring);
  }));
  impl.Log(LogLevel::kInfo,
           "index key rotation of " + impl.path() +
               (resumed ? " picks up the pending index key"
                        : " builds indexes under a new index key"));
  AdoptCommittedKeys(impl);
  return build;
}

// Puts one entry of the pending key's indexes. A unique entry may be
// there already (a writer added it); it must then name the same record.
Status PutPendingEntry(WriteContext& ctx, MDB_dbi dbi,
                       const admin_index::IndexInfo& index,
                       const admin_index::Entry& entry) {
  ctx.wrote = true;
  if (index.seq_in_key) {
    return lmdb::Put(ctx.txn, dbi, entry.key, entry.value, 0, index.name);
  }
  std::string_view stored;
  bool found = false;
  TKS_RETURN_IF_ERROR(lmdb::Get(ctx.txn, dbi, entry.key, &stored, &found));
  if (!found) {
    return lmdb::Put(ctx.txn, dbi, entry.key, entry.value, MDB_NOOVERWRITE,
                     index.name);
  }
  if (stored == entry.value) return Status::Ok();
  return Corrupt(std::string(index.name) +
                 " index under the new key: two records hold one value; "
                 "run verify");
}

// Adds the pending index key's entries of up to `batch` records from
// sequence `*next_seq` on; moves *next_seq past them. A record that does
// not open is skipped with a warning in the log (its old entries could
// only lead a find to CORRUPT; verify names it), so one damaged record
// cannot keep the change pending for ever. Returns how many records were
// indexed; *done turns true at the end of the records, or when no change
// is pending any more (another handle finished it).
Result<uint64_t> IndexBatch(Store::Impl& impl, uint64_t build, size_t batch,
                            uint64_t* next_seq, bool* done) {
  uint64_t indexed = 0;
  uint64_t after = *next_seq;
  bool at_end = false;
  std::vector<std::string> damaged;
  TKS_RETURN_IF_ERROR(impl.Write([&](WriteContext& ctx) -> Status {
    // Step 1: the records of the batch (still this build's rotation).
    indexed = 0;
    after = *next_seq;
    at_end = false;
    damaged.clear();
    const KeyState& keys = impl.keys();
    if (!keys.pending_indexer) {
      at_end = true;
      return Status::Ok();
    }
    TKS_RETURN_IF_ERROR(CheckIndexBuild(ctx.txn, impl, build));
    std::vector<std::pair<uint64_t, Token>> work;
    TKS_ASSIGN_OR_RETURN(
        BatchEnd end,
        VisitRecords(ctx.txn, impl, *next_seq, batch,
                     [&](uint64_t seq, std::string_view value) -> Status {
                       Token record;
                       Status opened = records::OpenStored(ctx.txn, impl, seq,
                                                           value, &record);
                       if (opened.code() == Code::kCorrupt) {
                         damaged.push_back(opened.message());
                         return Status::Ok();
                       }
                       TKS_RETURN_IF_ERROR(opened);
                       work.emplace_back(seq, std::move(record));
                       return Status::Ok();
                     }));
    after = end.next_seq;
    at_end = end.at_end;

    // Step 2: their entries under the pending key, in the other set.
    for (const auto& [seq, record] : work) {
      for (const admin_index::IndexInfo* index : KeyedIndexes()) {
        auto entry = admin_index::ExpectedEntry(*keys.pending_indexer, *index,
                                                seq, record);
        if (!entry) continue;
        TKS_RETURN_IF_ERROR(PutPendingEntry(
            ctx, keys.pending_indexes.*index->keyed_dbi, *index, *entry));
      }
    }
    indexed = work.size();
    return Status::Ok();
  }));
  WarnSkipped(impl, "index", damaged);
  *next_seq = after;
  *done = at_end;
  return indexed;
}

// Makes the pending key the index key and empties the old set. Every
// record was indexed under the pending key by this build's batches, or by
// the writer that saved it since (writers keep both sets).
Status FinishIndexRotation(Store::Impl& impl, uint64_t build) {
  TKS_RETURN_IF_ERROR(impl.WriteAlone([&](WriteContext& ctx) -> Status {
    // Step 1: still pending (another handle may have finished it) and
    // still this build.
    TKS_ASSIGN_OR_RETURN(crypto::Keyring keyring, LoadKeyring(ctx.txn, impl));
    if (keyring.pending_index_key() == nullptr) return Status::Ok();
    TKS_RETURN_IF_ERROR(CheckIndexBuild(ctx.txn, impl, build));

    // Step 2: switch, and empty the old set: mdb_drop walks its branch
    // pages and frees the leaves unread; no record is opened.
    const layout::KeyedDatabases& old_set = impl.keyed_set(keyring.index_set());
    ctx.wrote = true;
    for (const admin_index::IndexInfo* index : KeyedIndexes()) {
      TKS_RETURN_IF_ERROR(lmdb::ToStatus(
          mdb_drop(ctx.txn, old_set.*index->keyed_dbi, 0), "empty index"));
    }
    TKS_RETURN_IF_ERROR(keyring.FinishIndexKeyChange());
    return StoreKeyring(ctx, impl, keyring);
  }));
  AdoptCommittedKeys(impl);
  return Status::Ok();
}

}  // namespace

Result<uint64_t> RotateDataKey(Store& store, size_t batch_size,
                               const VerifyProgress& progress) {
  // Step 1: a new (or pending) data key, which every writer adopts at its
  // next transaction.
  Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  if (batch_size == 0) return InvalidArgument("batch size is 0");
  TKS_RETURN_IF_ERROR(BeginDataRotation(impl));

  // Step 2: re-seal in batches, one transaction each; the number of
  // batches is bounded by the records present when each began.
  uint64_t next_seq = 0;
  uint64_t total = 0;
  bool done = false;
  while (!done) {
    TKS_ASSIGN_OR_RETURN(uint64_t resealed,
                         ResealBatch(impl, batch_size, &next_seq, &done));
    total += resealed;
    if (progress) progress(total);
  }

  // Step 3: the old keys go.
  TKS_RETURN_IF_ERROR(FinishDataRotation(impl));
  impl.Log(LogLevel::kInfo, "data key rotation of " + impl.path() +
                                " re-sealed " + std::to_string(total) +
                                " records");
  return total;
}

Result<uint64_t> RotateDataKey(Store& store, const crypto::SecretKey& root_key,
                               size_t batch_size,
                               const VerifyProgress& progress) {
  TKS_RETURN_IF_ERROR(store.impl().CheckFork());
  TKS_RETURN_IF_ERROR(CheckGivenRootKey(store.impl(), root_key));
  return RotateDataKey(store, batch_size, progress);
}

Result<uint64_t> RotateIndexKey(Store& store, size_t batch_size,
                                const VerifyProgress& progress) {
  // Step 1: a new (or pending) index key, whose indexes every writer
  // keeps in the set not in use from its next transaction on.
  Store::Impl& impl = store.impl();
  TKS_RETURN_IF_ERROR(impl.CheckFork());
  if (batch_size == 0) return InvalidArgument("batch size is 0");
  TKS_ASSIGN_OR_RETURN(uint64_t build, BeginIndexRotation(impl));

  // Step 2: index the records there in batches, one transaction each.
  uint64_t next_seq = 0;
  uint64_t total = 0;
  bool done = false;
  while (!done) {
    TKS_ASSIGN_OR_RETURN(uint64_t indexed,
                         IndexBatch(impl, build, batch_size, &next_seq, &done));
    total += indexed;
    if (progress) progress(total);
  }

  // Step 3: switch to the new key and set; the old set is emptied.
  TKS_RETURN_IF_ERROR(FinishIndexRotation(impl, build));
  impl.Log(LogLevel::kInfo, "index key rotation of " + impl.path() +
                                " indexed " + std::to_string(total) +
                                " records under the new key");
  return total;
}

Result<uint64_t> RotateIndexKey(Store& store, const crypto::SecretKey& root_key,
                                size_t batch_size,
                                const VerifyProgress& progress) {
  TKS_RETURN_IF_ERROR(store.impl().CheckFork());
  TKS_RETURN_IF_ERROR(CheckGivenRootKey(store.impl(), root_key));
  return RotateIndexKey(store, batch_size, progress);
}

}  // namespace tks
