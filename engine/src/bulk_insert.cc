#include "bulk_insert.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "parallel_for.h"
#include "record_codec.h"
#include "record_io.h"

namespace tks::bulk {
namespace {

// One index entry to put: key bytes, the record it points to, and the
// batch item it came from (for error messages). `size` 0 means none.
struct Entry {
  std::array<char, 24> key{};
  uint8_t size = 0;
  // The first 8 key bytes, big-endian (every key has at least 16), so
  // most comparisons are one integer compare.
  uint64_t prefix = 0;
  uint64_t seq = 0;
  uint32_t item = 0;

  std::string_view view() const { return {key.data(), size}; }
  bool operator<(const Entry& other) const {
    if (prefix != other.prefix) return prefix < other.prefix;
    return view() < other.view();
  }
};

Entry MakeEntry(std::string_view key, uint64_t seq, size_t item) {
  Entry entry;
  std::memcpy(entry.key.data(), key.data(), key.size());
  entry.size = static_cast<uint8_t>(key.size());
  entry.prefix = layout::GetU64(entry.key.data());
  entry.seq = seq;
  entry.item = static_cast<uint32_t>(item);
  return entry;
}

// Records are sealed and hashed this many at a time (on every core), then
// put by the writer thread.
constexpr size_t kChunk = 8192;
// Fewer items than this per thread are not worth a thread.
constexpr size_t kMinShare = 512;

// The entries of one item in one keyed index set.
struct KeyedEntries {
  std::array<Entry, 3> unique;
  Entry user;
};

// One batch item sealed and hashed, ready to be put; `pending` only while
// an index key change is pending.
struct Prepared {
  Status status;
  std::string value;
  KeyedEntries keyed;
  KeyedEntries pending;
  Entry expiry;
};

// The entries of `record` (item `i`, sequence `seq`) made with `indexer`.
void HashKeyed(const crypto::BlindIndexer& indexer, const Token& record,
               uint64_t seq, size_t i, KeyedEntries* out) {
  for (size_t u = 0; u < layout::kUniqueIndexes.size(); ++u) {
    const layout::UniqueIndex& index = layout::kUniqueIndexes[u];
    const std::string_view token = record.view(index.field);
    out->unique[u] = Entry();
    if (token.empty()) continue;
    out->unique[u] =
        MakeEntry(layout::View(indexer.Hash(index.slot, token)), seq, i);
  }
  const std::string_view user = record.view(Field::kUserName);
  out->user = Entry();
  if (!user.empty()) {
    out->user = MakeEntry(
        layout::UserKey(indexer.Hash(crypto::IndexSlot::kUserName, user), seq),
        seq, i);
  }
}

// Seals item `i` as record `seq` with id `id` and computes its index
// entries. Touches no LMDB state, so items are prepared in parallel.
void Prepare(const Store::Impl& impl, const Token& item, std::string_view id,
             uint64_t seq, uint64_t now, size_t i, Prepared* out) {
  // Step 1: the sealed record.
  Token record = item;
  record.set(Field::kId, id);
  record.set_generation(1);
  record.set_updated_at_ms(now);
  Result<std::string> value =
      codec::SealRecord(impl.keys().keyring, seq, record);
  if (!value.ok()) {
    out->status = value.status();
    return;
  }
  out->value = std::move(*value);

  // Step 2: its index entries.
  const KeyState& keys = impl.keys();
  HashKeyed(keys.indexer, record, seq, i, &out->keyed);
  if (keys.pending_indexer) {
    HashKeyed(*keys.pending_indexer, record, seq, i, &out->pending);
  }
  out->expiry = Entry();
  if (auto expiry = ParseExpiryMs(record.view(Field::kExpiryTime))) {
    out->expiry = MakeEntry(layout::ExpiryKey(*expiry, seq), seq, i);
  }
  out->status = Status::Ok();
}

std::string Item(size_t item) {
  return "batch item " + std::to_string(item) + ": ";
}

// True when every key of `sorted` sorts after the last key in `dbi`, so
// the entries may be appended.
Result<bool> AllAfterLast(MDB_txn* txn, MDB_dbi dbi, std::string_view first) {
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor, lmdb::Cursor::Open(txn, dbi));
  MDB_val key{};
  MDB_val data{};
  TKS_ASSIGN_OR_RETURN(bool any, cursor.Get(&key, &data, MDB_LAST));
  return !any || lmdb::View(key) < first;
}

// Sorts and puts the entries of one index. `unique` entries carry the
// sequence as value and must not exist yet.
Status PutSorted(WriteContext& ctx, MDB_dbi dbi, std::vector<Entry>& entries,
                 bool unique, std::string_view name) {
  // Step 1: key order, and append mode when the index ends before them.
  if (entries.empty()) return Status::Ok();
  std::sort(entries.begin(), entries.end());
  TKS_ASSIGN_OR_RETURN(bool append,
                       AllAfterLast(ctx.txn, dbi, entries.front().view()));
  unsigned flags = unique ? MDB_NOOVERWRITE : 0;
  if (append) flags |= MDB_APPEND;

  // Step 2: put in order; an existing key is a clash.
  ctx.wrote = true;
  for (const Entry& entry : entries) {
    const layout::SeqKey seq = layout::EncodeSeq(entry.seq);
    MDB_val key = lmdb::Val(entry.view());
    MDB_val value = lmdb::Val(unique ? layout::View(seq) : std::string_view());
    const int rc = mdb_put(ctx.txn, dbi, &key, &value, flags);
    if (rc == MDB_KEYEXIST) {
      return Conflict(Item(entry.item) + std::string(name) +
                      " already belongs to another record");
    }
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(rc, name));
  }
  return Status::Ok();
}

// The id index holds ids of up to 128 bytes: its own sorted pass.
Status PutIds(WriteContext& ctx, const Store::Impl& impl,
              std::vector<std::pair<std::string, size_t>>& ids,
              const std::vector<uint64_t>& seqs) {
  std::sort(ids.begin(), ids.end());
  ctx.wrote = true;
  for (const auto& [id, item] : ids) {
    const layout::SeqKey seq = layout::EncodeSeq(seqs[item]);
    MDB_val key = lmdb::Val(id);
    MDB_val value = lmdb::Val(layout::View(seq));
    const int rc =
        mdb_put(ctx.txn, impl.dbs().idx_id, &key, &value, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) {
      return Conflict(Item(item) + "record id '" + id + "' already exists");
    }
    TKS_RETURN_IF_ERROR(lmdb::ToStatus(rc, "id index"));
  }
  return Status::Ok();
}

// Gathered entries of one keyed index set.
struct KeyedBatch {
  std::array<std::vector<Entry>, 3> unique;
  std::vector<Entry> users;

  void Add(const KeyedEntries& entries) {
    for (size_t u = 0; u < unique.size(); ++u) {
      if (entries.unique[u].size != 0) unique[u].push_back(entries.unique[u]);
    }
    if (entries.user.size != 0) users.push_back(entries.user);
  }

  Status Put(WriteContext& ctx, const layout::KeyedDatabases& indexes) {
    for (size_t u = 0; u < layout::kUniqueIndexes.size(); ++u) {
      const layout::UniqueIndex& index = layout::kUniqueIndexes[u];
      TKS_RETURN_IF_ERROR(
          PutSorted(ctx, indexes.*index.dbi, unique[u], true, index.name));
    }
    return PutSorted(ctx, indexes.idx_user, users, false, "user index");
  }
};

}  // namespace

Status InsertAll(WriteContext& ctx, const Store::Impl& impl,
                 std::span<const Token> batch,
                 std::vector<save::Outcome>* outcomes) {
  // Step 1: every item must carry a token; counters of this transaction.
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!save::HasAnyToken(batch[i])) {
      return InvalidArgument(Item(i) +
                             "no token to store: an insert needs a refresh, "
                             "access or grant token");
    }
  }
  records::Counters counters;
  TKS_RETURN_IF_ERROR(records::ReadCounters(ctx.txn, impl, &counters));

  // Step 2: ids and sequences; numeric ids move the id counter past them.
  std::vector<std::pair<std::string, size_t>> ids;
  std::vector<uint64_t> seqs(batch.size());
  ids.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].has_id()) {
      records::MoveIdCounterPast(batch[i].id(), &counters);
      ids.emplace_back(std::string(batch[i].id()), i);
    }
    seqs[i] = counters.next_seq++;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].has_id()) continue;
    for (;;) {
      std::string id = std::to_string(counters.next_id++);
      std::optional<records::Located> taken;
      TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, impl, id, &taken));
      if (!taken) {
        ids.emplace_back(std::move(id), i);
        break;
      }
    }
  }

  // Step 3: seal and hash the records a chunk at a time on every core,
  // append them here, and gather their index entries.
  const KeyState& keys = impl.keys();
  KeyedBatch keyed;
  KeyedBatch pending;
  std::vector<Entry> expiries;
  const uint64_t now = NowMs();
  std::vector<std::string_view> id_of(batch.size());
  for (const auto& [id, item] : ids) id_of[item] = id;
  std::vector<Prepared> prepared(std::min(batch.size(), kChunk));
  ctx.wrote = true;
  for (size_t first = 0; first < batch.size(); first += kChunk) {
    const size_t count = std::min(kChunk, batch.size() - first);
    ParallelFor(count, kMinShare, [&](size_t begin, size_t end) {
      for (size_t k = begin; k < end; ++k) {
        const size_t i = first + k;
        Prepare(impl, batch[i], id_of[i], seqs[i], now, i, &prepared[k]);
      }
    });
    for (size_t k = 0; k < count; ++k) {
      const size_t i = first + k;
      Prepared& item = prepared[k];
      TKS_RETURN_IF_ERROR(item.status);
      const layout::SeqKey key = layout::EncodeSeq(seqs[i]);
      TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().records,
                                    layout::View(key), item.value, MDB_APPEND,
                                    "records"));
      keyed.Add(item.keyed);
      if (keys.pending_indexer) pending.Add(item.pending);
      if (item.expiry.size != 0) expiries.push_back(item.expiry);
      (*outcomes)[i] = {std::string(id_of[i]), 1, now};
    }
  }

  // Step 4: each index in key order, then the counters.
  TKS_RETURN_IF_ERROR(PutIds(ctx, impl, ids, seqs));
  TKS_RETURN_IF_ERROR(keyed.Put(ctx, keys.indexes));
  if (keys.pending_indexer) {
    TKS_RETURN_IF_ERROR(pending.Put(ctx, keys.pending_indexes));
  }
  TKS_RETURN_IF_ERROR(
      PutSorted(ctx, impl.dbs().idx_expiry, expiries, false, "expiry index"));
  return records::WriteCounters(ctx, impl, counters);
}

}  // namespace tks::bulk
