#include "record_io.h"

#include "record_codec.h"
#include "tokenstore/crypto/blind_index.h"

namespace tks::records {
namespace {

using layout::Databases;
using layout::UniqueIndex;

// A value worth an index entry: present and not empty.
bool Indexable(const Token& token, Field field) {
  return token.has(field) && !token.view(field).empty();
}

// Runs `fn(indexer, indexes)` for each keyed index set a write keeps up to
// date: the index key's, and while an index key change is pending, the
// pending key's (store_admin_rotate.cc).
template <typename Fn>
Status ForEachKeyedSet(const KeyState& keys, Fn&& fn) {
  TKS_RETURN_IF_ERROR(fn(keys.indexer, keys.indexes));
  if (!keys.pending_indexer) return Status::Ok();
  return fn(*keys.pending_indexer, keys.pending_indexes);
}

// The record a unique index entry points to, confirmed by its field.
Status ProbeUnique(MDB_txn* txn, const Store::Impl& impl, const KeyState& keys,
                   const UniqueIndex& index, std::string_view value,
                   std::optional<Located>* out) {
  // Step 1: one index probe.
  out->reset();
  if (value.empty()) return Status::Ok();
  const crypto::BlindHash hash = keys.indexer.Hash(index.slot, value);
  std::string_view seq_bytes;
  bool found = false;
  TKS_RETURN_IF_ERROR(lmdb::Get(txn, keys.indexes.*index.dbi,
                                layout::View(hash), &seq_bytes, &found));
  if (!found) return Status::Ok();
  if (seq_bytes.size() != 8) {
    return Corrupt(std::string(index.name) + " index entry is malformed");
  }

  // Step 2: one record read, confirmed in constant time.
  Located located;
  located.seq = layout::DecodeSeq(seq_bytes);
  TKS_RETURN_IF_ERROR(ReadRecord(txn, impl, located.seq, &located.stored));
  if (!crypto::ConstantTimeEquals(located.stored.view(index.field), value)) {
    return Status::Ok();  // A hash collision: not this value.
  }
  *out = std::move(located);
  return Status::Ok();
}

// The first-inserted record of a user name.
Status FirstOfUser(MDB_txn* txn, const Store::Impl& impl, const KeyState& keys,
                   std::string_view user, std::optional<Located>* out) {
  // Step 1: position at the first entry with this name's hash.
  out->reset();
  if (user.empty()) return Status::Ok();
  const crypto::BlindHash hash =
      keys.indexer.Hash(crypto::IndexSlot::kUserName, user);
  const std::string start = layout::UserKey(hash, 0);
  TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                       lmdb::Cursor::Open(txn, keys.indexes.idx_user));
  MDB_val key = lmdb::Val(start);
  MDB_val data{};
  MDB_cursor_op op = MDB_SET_RANGE;

  // Step 2: entries of the hash in sequence order; the first confirmed
  // one wins (a later one only after a hash collision).
  for (;;) {
    TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &data, op));
    op = MDB_NEXT;
    const std::string_view k = lmdb::View(key);
    if (!more || k.size() != 24 || k.substr(0, 16) != layout::View(hash)) {
      return Status::Ok();
    }
    Located located;
    located.seq = layout::DecodeSeq(k.substr(16));
    TKS_RETURN_IF_ERROR(ReadRecord(txn, impl, located.seq, &located.stored));
    if (crypto::ConstantTimeEquals(located.stored.view(Field::kUserName),
                                   user)) {
      *out = std::move(located);
      return Status::Ok();
    }
  }
}

const UniqueIndex& IndexOf(Field field) {
  for (const UniqueIndex& index : layout::kUniqueIndexes) {
    if (index.field == field) return index;
  }
  return layout::kUniqueIndexes[0];
}

// Moves one unique index entry from old to new value, in every keyed set
// a write keeps.
Status MoveUnique(WriteContext& ctx, const Store::Impl& impl,
                  const UniqueIndex& index, uint64_t seq, const Token* old,
                  const Token& record) {
  const bool had = old != nullptr && Indexable(*old, index.field);
  const bool has = Indexable(record, index.field);
  if (!had && !has) return Status::Ok();
  if (had && has && old->view(index.field) == record.view(index.field)) {
    return Status::Ok();
  }
  const layout::SeqKey seq_key = layout::EncodeSeq(seq);
  return ForEachKeyedSet(
      impl.keys(),
      [&](const crypto::BlindIndexer& indexer,
          const layout::KeyedDatabases& indexes) -> Status {
        const MDB_dbi dbi = indexes.*index.dbi;
        ctx.wrote = true;
        if (had) {
          bool found = false;
          const crypto::BlindHash hash =
              indexer.Hash(index.slot, old->view(index.field));
          TKS_RETURN_IF_ERROR(
              lmdb::Del(ctx.txn, dbi, layout::View(hash), &found, index.name));
        }
        if (!has) return Status::Ok();
        const crypto::BlindHash hash =
            indexer.Hash(index.slot, record.view(index.field));
        return lmdb::Put(ctx.txn, dbi, layout::View(hash),
                         layout::View(seq_key), MDB_NOOVERWRITE, index.name);
      });
}

// The same for the user name entry.
Status MoveUser(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                const Token* old, const Token& record) {
  const bool had = old != nullptr && Indexable(*old, Field::kUserName);
  const bool has = Indexable(record, Field::kUserName);
  if (!had && !has) return Status::Ok();
  if (had && has &&
      old->view(Field::kUserName) == record.view(Field::kUserName)) {
    return Status::Ok();
  }
  const auto slot = crypto::IndexSlot::kUserName;
  return ForEachKeyedSet(
      impl.keys(),
      [&](const crypto::BlindIndexer& indexer,
          const layout::KeyedDatabases& indexes) -> Status {
        ctx.wrote = true;
        if (had) {
          bool found = false;
          const std::string key = layout::UserKey(
              indexer.Hash(slot, old->view(Field::kUserName)), seq);
          TKS_RETURN_IF_ERROR(
              lmdb::Del(ctx.txn, indexes.idx_user, key, &found, "user index"));
        }
        if (!has) return Status::Ok();
        const std::string key = layout::UserKey(
            indexer.Hash(slot, record.view(Field::kUserName)), seq);
        return lmdb::Put(ctx.txn, indexes.idx_user, key, {}, 0, "user index");
      });
}

Status MoveExpiry(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                  const Token* old, const Token& record) {
  const std::optional<uint64_t> before =
      old != nullptr ? ParseExpiryMs(old->view(Field::kExpiryTime))
                     : std::nullopt;
  const std::optional<uint64_t> after =
      ParseExpiryMs(record.view(Field::kExpiryTime));
  if (before == after) return Status::Ok();
  if (before) {
    bool found = false;
    ctx.wrote = true;
    TKS_RETURN_IF_ERROR(lmdb::Del(ctx.txn, impl.dbs().idx_expiry,
                                  layout::ExpiryKey(*before, seq), &found,
                                  "expiry index"));
  }
  if (after) {
    ctx.wrote = true;
    return lmdb::Put(ctx.txn, impl.dbs().idx_expiry,
                     layout::ExpiryKey(*after, seq), {}, 0, "expiry index");
  }
  return Status::Ok();
}

}  // namespace

void MoveIdCounterPast(std::string_view id, Counters* counters) {
  // Ids are decimal strings like expiry times; reuse that parser.
  const std::optional<uint64_t> numeric = ParseExpiryMs(id);
  if (numeric && *numeric >= counters->next_id && *numeric < UINT64_MAX) {
    counters->next_id = *numeric + 1;
  }
}

Status ReadCounters(MDB_txn* txn, const Store::Impl& impl, Counters* out) {
  std::string_view bytes;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, impl.dbs().meta, layout::kMetaCounters, &bytes, &found));
  if (!found || bytes.size() != 16) return Corrupt("store counters missing");
  out->next_id = layout::GetU64(bytes.data());
  out->next_seq = layout::GetU64(bytes.data() + 8);
  return Status::Ok();
}

Status WriteCounters(WriteContext& ctx, const Store::Impl& impl,
                     const Counters& counters) {
  std::string bytes;
  layout::PutU64(&bytes, counters.next_id);
  layout::PutU64(&bytes, counters.next_seq);
  ctx.wrote = true;
  return lmdb::Put(ctx.txn, impl.dbs().meta, layout::kMetaCounters, bytes, 0,
                   "counters");
}

Status ReadRecord(MDB_txn* txn, const Store::Impl& impl, uint64_t seq,
                  Token* out) {
  const layout::SeqKey key = layout::EncodeSeq(seq);
  std::string_view value;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, impl.dbs().records, layout::View(key), &value, &found));
  if (!found) {
    return Corrupt("an index entry points to missing record sequence " +
                   std::to_string(seq));
  }
  return OpenStored(txn, impl, seq, value, out);
}

Status OpenStored(MDB_txn* txn, const Store::Impl& impl, uint64_t seq,
                  std::string_view value, Token* out) {
  // Step 1: the current keys open almost every record.
  const crypto::Keyring& current = impl.keys().keyring;
  Status opened = codec::OpenRecord(current, seq, value, out);
  if (opened.ok() || opened.code() != Code::kCorrupt) return opened;

  // Step 2: a key id this handle does not know: the snapshot's keys.
  auto header = codec::ParseHeader(value, seq);
  if (!header.ok() || current.DataKey(header->key_id) != nullptr) {
    return opened;
  }
  TKS_ASSIGN_OR_RETURN(const KeyState* keys, impl.KeysAt(txn));
  return codec::OpenRecord(keys->keyring, seq, value, out);
}

Status FindById(MDB_txn* txn, const Store::Impl& impl, std::string_view id,
                std::optional<Located>* out) {
  out->reset();
  if (id.empty() || id.size() > kMaxIdBytes) return Status::Ok();
  std::string_view seq_bytes;
  bool found = false;
  TKS_RETURN_IF_ERROR(
      lmdb::Get(txn, impl.dbs().idx_id, id, &seq_bytes, &found));
  if (!found) return Status::Ok();
  if (seq_bytes.size() != 8) return Corrupt("id index entry is malformed");
  Located located;
  located.seq = layout::DecodeSeq(seq_bytes);

  // A damaged value or index entry is reported under the id asked for:
  // the id in a damaged value's header cannot be trusted.
  const Status read = ReadRecord(txn, impl, located.seq, &located.stored);
  if (read.code() == Code::kCorrupt) {
    return Corrupt("record id '" + std::string(id) +
                   "' does not open: " + read.message());
  }
  TKS_RETURN_IF_ERROR(read);
  if (located.stored.id() != id) {
    return Corrupt("the id index entry of record id '" + std::string(id) +
                   "' points to another record");
  }
  *out = std::move(located);
  return Status::Ok();
}

Status FindByRule(MDB_txn* txn, const Store::Impl& impl, const KeyState& keys,
                  const Token& query, std::optional<Located>* out) {
  out->reset();

  // Rule 1: a user name, even an empty one, decides alone.
  if (query.has(Field::kUserName)) {
    return FirstOfUser(txn, impl, keys, query.view(Field::kUserName), out);
  }

  // Rule 2: an access token without client credentials.
  const bool has_client_id = query.has(Field::kClientId);
  const bool has_secret = query.has(Field::kClientSecret);
  if (query.has(Field::kAccessToken) && !has_client_id && !has_secret) {
    return ProbeUnique(txn, impl, keys, IndexOf(Field::kAccessToken),
                       query.view(Field::kAccessToken), out);
  }

  // Rule 3: grant, then refresh token, gated by both client credentials.
  const bool has_grant = query.has(Field::kGrantToken);
  const bool has_refresh = query.has(Field::kRefreshToken);
  if ((has_grant || has_refresh) && has_client_id && has_secret) {
    if (has_grant) {
      TKS_RETURN_IF_ERROR(ProbeUnique(txn, impl, keys,
                                      IndexOf(Field::kGrantToken),
                                      query.view(Field::kGrantToken), out));
      if (out->has_value()) return Status::Ok();
    }
    if (has_refresh) {
      return ProbeUnique(txn, impl, keys, IndexOf(Field::kRefreshToken),
                         query.view(Field::kRefreshToken), out);
    }
  }

  // Rule 4: nothing usable: no match, never "the first record".
  return Status::Ok();
}

Status CheckUniqueTokens(MDB_txn* txn, const Store::Impl& impl,
                         const Token& record, uint64_t seq) {
  const KeyState& keys = impl.keys();
  for (const UniqueIndex& index : layout::kUniqueIndexes) {
    if (!Indexable(record, index.field)) continue;
    const crypto::BlindHash hash =
        keys.indexer.Hash(index.slot, record.view(index.field));
    std::string_view seq_bytes;
    bool found = false;
    TKS_RETURN_IF_ERROR(lmdb::Get(txn, keys.indexes.*index.dbi,
                                  layout::View(hash), &seq_bytes, &found));
    if (found &&
        (seq_bytes.size() != 8 || layout::DecodeSeq(seq_bytes) != seq)) {
      return Conflict(std::string(index.name) +
                      " already belongs to another record");
    }
  }
  return Status::Ok();
}

Status WriteRecord(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                   const Token* old, const Token& record) {
  // Step 1: seal and put the record; inserts append at the end.
  TKS_ASSIGN_OR_RETURN(std::string value,
                       codec::SealRecord(impl.keys().keyring, seq, record));
  const layout::SeqKey key = layout::EncodeSeq(seq);
  ctx.wrote = true;
  TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().records, layout::View(key),
                                value, old == nullptr ? MDB_APPEND : 0,
                                "records"));

  // Step 2: the id index (ids never change once assigned).
  if (old == nullptr) {
    TKS_RETURN_IF_ERROR(lmdb::Put(ctx.txn, impl.dbs().idx_id, record.id(),
                                  layout::View(key), MDB_NOOVERWRITE,
                                  "id index"));
  }

  // Step 3: the field indexes whose value changed.
  TKS_RETURN_IF_ERROR(MoveUser(ctx, impl, seq, old, record));
  for (const UniqueIndex& index : layout::kUniqueIndexes) {
    TKS_RETURN_IF_ERROR(MoveUnique(ctx, impl, index, seq, old, record));
  }
  return MoveExpiry(ctx, impl, seq, old, record);
}

Status EraseRecord(WriteContext& ctx, const Store::Impl& impl, uint64_t seq,
                   const Token& stored) {
  // Step 1: index entries, by moving them to an empty record.
  Token empty;
  TKS_RETURN_IF_ERROR(MoveUser(ctx, impl, seq, &stored, empty));
  for (const UniqueIndex& index : layout::kUniqueIndexes) {
    TKS_RETURN_IF_ERROR(MoveUnique(ctx, impl, index, seq, &stored, empty));
  }
  TKS_RETURN_IF_ERROR(MoveExpiry(ctx, impl, seq, &stored, empty));

  // Step 2: id entry, lease and the record itself.
  const layout::SeqKey key = layout::EncodeSeq(seq);
  bool found = false;
  ctx.wrote = true;
  TKS_RETURN_IF_ERROR(
      lmdb::Del(ctx.txn, impl.dbs().idx_id, stored.id(), &found, "id index"));
  TKS_RETURN_IF_ERROR(lmdb::Del(ctx.txn, impl.dbs().leases, layout::View(key),
                                &found, "leases"));
  return lmdb::Del(ctx.txn, impl.dbs().records, layout::View(key), &found,
                   "records");
}

}  // namespace tks::records
