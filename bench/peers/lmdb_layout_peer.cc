#include "peers/lmdb_layout_peer.h"

#include <lmdb.h>

#include <array>
#include <cstring>
#include <vector>

namespace tks::bench {
namespace {

// --- Small helpers over the LMDB C API. ---

Status Check(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return Status::Ok();
  if (rc == MDB_KEYEXIST) return Conflict(std::string(what) + ": exists");
  return Internal(std::string(what) + ": " + mdb_strerror(rc));
}

MDB_val Val(std::string_view bytes) {
  return {bytes.size(), const_cast<char*>(bytes.data())};
}

std::string_view View(const MDB_val& val) {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

int PutRaw(MDB_txn* txn, MDB_dbi dbi, MDB_val key, MDB_val value,
           unsigned flags) {
  return mdb_put(txn, dbi, &key, &value, flags);
}

std::string BigEndian(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

uint64_t FromBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes.substr(0, 8)) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// A transaction that aborts unless committed.
class Txn {
 public:
  ~Txn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }
  Status Begin(MDB_env* env, unsigned flags) {
    return Check(mdb_txn_begin(env, nullptr, flags, &txn_), "txn begin");
  }
  Status Commit() {
    MDB_txn* txn = txn_;
    txn_ = nullptr;
    return Check(mdb_txn_commit(txn), "commit");
  }
  MDB_txn* get() const { return txn_; }

 private:
  MDB_txn* txn_ = nullptr;
};

// The indexed fields and their kinds, as in the engine.
struct UniqueField {
  Field field;
  IndexKind kind;
};
constexpr std::array<UniqueField, 3> kUnique = {{
    {Field::kRefreshToken, IndexKind::kRefresh},
    {Field::kAccessToken, IndexKind::kAccess},
    {Field::kGrantToken, IndexKind::kGrant},
}};

struct Dbs {
  MDB_dbi meta, records, idx_id, idx_user, idx_expiry;
  std::array<MDB_dbi, 3> unique;  // In kUnique order.
};

class LmdbLayoutPeer;

class LmdbLayoutSession : public Session {
 public:
  explicit LmdbLayoutSession(LmdbLayoutPeer& peer) : peer_(peer) {}
  ~LmdbLayoutSession() override {
    if (read_ != nullptr) mdb_txn_abort(read_);
  }

  Result<bool> Find(FindPath path, const Record& probe, Record* out) override;
  Result<bool> FindById(std::string_view id, Record* out) override;
  Status Save(Record& record) override;
  Status SaveIf(Record& record, uint64_t expected) override;
  Status Delete(std::string_view id) override;
  Result<size_t> Scan() override;
  Result<size_t> PurgeExpired(uint64_t before_ms) override;

 private:
  // This session's read transaction, renewed (reset when the call ends).
  Result<MDB_txn*> Reader();
  void DoneReading() { mdb_txn_reset(read_); }

  Status ReadRecord(MDB_txn* txn, uint64_t seq, Record* out);
  Result<bool> ProbeUnique(MDB_txn* txn, size_t which, std::string_view value,
                           Record* out);
  Result<bool> FirstOfUser(MDB_txn* txn, std::string_view user, Record* out);
  Result<bool> SeqOfId(MDB_txn* txn, std::string_view id, uint64_t* seq);
  Status WriteRecord(MDB_txn* txn, uint64_t seq, const Record* old,
                     const Record& record);
  Status EraseRecord(MDB_txn* txn, uint64_t seq, const Record& stored);
  Status SaveChecked(Record& record, const uint64_t* expected);

 public:
  // Inserts `record` (with its id) as record `seq` inside `txn`.
  Status InsertAt(MDB_txn* txn, uint64_t seq, const Record& record);

 private:
  LmdbLayoutPeer& peer_;
  MDB_txn* read_ = nullptr;
};

class LmdbLayoutPeer : public Peer {
 public:
  LmdbLayoutPeer(std::string name, std::unique_ptr<LayoutCodec> codec)
      : name_(std::move(name)), codec_(std::move(codec)), dir_(name_) {}
  ~LmdbLayoutPeer() override {
    if (env_ != nullptr) mdb_env_close(env_);
  }

  std::string_view name() const override { return name_; }
  PeerTraits traits() const override {
    PeerTraits traits;
    traits.concurrent_writes = true;
    traits.durable_writes = true;
    return traits;
  }

  Status Load(std::span<const Record> records) override;
  Result<std::unique_ptr<Session>> NewSession() override {
    std::unique_ptr<Session> session =
        std::make_unique<LmdbLayoutSession>(*this);
    return session;
  }

  Footprint footprint() const override {
    Footprint footprint;
    MDB_envinfo info{};
    MDB_stat stat{};
    if (records_ > 0 && mdb_env_info(env_, &info) == MDB_SUCCESS &&
        mdb_env_stat(env_, &stat) == MDB_SUCCESS) {
      footprint.bytes_per_record =
          static_cast<double>((info.me_last_pgno + 1) * stat.ms_psize) /
          static_cast<double>(records_);
      footprint.value_bytes =
          static_cast<double>(value_bytes_) / static_cast<double>(records_);
    }
    return footprint;
  }
  void CountValue(size_t bytes) {
    ++records_;
    value_bytes_ += bytes;
  }

  MDB_env* env() const { return env_; }
  const Dbs& dbs() const { return dbs_; }
  const LayoutCodec& codec() const { return *codec_; }

 private:
  Status OpenEnv();

  std::string name_;
  std::unique_ptr<LayoutCodec> codec_;
  ScratchDir dir_;
  MDB_env* env_ = nullptr;
  Dbs dbs_{};
  // Records loaded and the bytes of their values.
  size_t records_ = 0;
  size_t value_bytes_ = 0;
};

Status LmdbLayoutPeer::OpenEnv() {
  // Step 1: the environment, big enough for a million records.
  TKS_RETURN_IF_ERROR(Check(mdb_env_create(&env_), "env create"));
  TKS_RETURN_IF_ERROR(Check(mdb_env_set_maxdbs(env_, 16), "maxdbs"));
  TKS_RETURN_IF_ERROR(
      Check(mdb_env_set_mapsize(env_, size_t{32} << 30), "mapsize"));
  TKS_RETURN_IF_ERROR(Check(mdb_env_set_maxreaders(env_, 256), "readers"));
  TKS_RETURN_IF_ERROR(Check(
      mdb_env_open(env_, dir_.path().c_str(), MDB_NOTLS, 0600), "env open"));

  // Step 2: the named databases.
  Txn txn;
  TKS_RETURN_IF_ERROR(txn.Begin(env_, 0));
  auto open = [&](const char* name, MDB_dbi* dbi) {
    return Check(mdb_dbi_open(txn.get(), name, MDB_CREATE, dbi), name);
  };
  TKS_RETURN_IF_ERROR(open("meta", &dbs_.meta));
  TKS_RETURN_IF_ERROR(open("records", &dbs_.records));
  TKS_RETURN_IF_ERROR(open("idx_id", &dbs_.idx_id));
  TKS_RETURN_IF_ERROR(open("idx_user", &dbs_.idx_user));
  TKS_RETURN_IF_ERROR(open("idx_expiry", &dbs_.idx_expiry));
  TKS_RETURN_IF_ERROR(open("idx_refresh", &dbs_.unique[0]));
  TKS_RETURN_IF_ERROR(open("idx_access", &dbs_.unique[1]));
  TKS_RETURN_IF_ERROR(open("idx_grant", &dbs_.unique[2]));
  return txn.Commit();
}

Status LmdbLayoutPeer::Load(std::span<const Record> records) {
  // Step 1: open, without syncs while loading.
  TKS_RETURN_IF_ERROR(OpenEnv());
  TKS_RETURN_IF_ERROR(Check(mdb_env_set_flags(env_, MDB_NOSYNC, 1), "nosync"));

  // Step 2: insert through the same write path as a save, in batches.
  LmdbLayoutSession session(*this);
  constexpr size_t kBatch = 10000;
  for (size_t at = 0; at < records.size(); at += kBatch) {
    Txn txn;
    TKS_RETURN_IF_ERROR(txn.Begin(env_, 0));
    const size_t end = std::min(records.size(), at + kBatch);
    for (size_t i = at; i < end; ++i) {
      Record record = records[i];
      record.generation = 1;
      TKS_RETURN_IF_ERROR(session.InsertAt(txn.get(), i + 1, record));
      std::string value;
      TKS_RETURN_IF_ERROR(codec_->Encode(i + 1, record, &value));
      CountValue(value.size());
    }
    const std::string next = BigEndian(records.size() + 1);
    TKS_RETURN_IF_ERROR(
        Check(PutRaw(txn.get(), dbs_.meta, Val("next"), Val(next), 0), "meta"));
    TKS_RETURN_IF_ERROR(txn.Commit());
  }

  // Step 3: flush, then run every later commit with full sync.
  TKS_RETURN_IF_ERROR(Check(mdb_env_sync(env_, 1), "sync"));
  return Check(mdb_env_set_flags(env_, MDB_NOSYNC, 0), "sync on");
}

// --- Reads. ---

Result<MDB_txn*> LmdbLayoutSession::Reader() {
  if (read_ == nullptr) {
    TKS_RETURN_IF_ERROR(Check(
        mdb_txn_begin(peer_.env(), nullptr, MDB_RDONLY, &read_), "reader"));
    return read_;
  }
  TKS_RETURN_IF_ERROR(Check(mdb_txn_renew(read_), "renew"));
  return read_;
}

Status LmdbLayoutSession::ReadRecord(MDB_txn* txn, uint64_t seq, Record* out) {
  const std::string key = BigEndian(seq);
  MDB_val k = Val(key);
  MDB_val v{};
  TKS_RETURN_IF_ERROR(
      Check(mdb_get(txn, peer_.dbs().records, &k, &v), "record get"));
  return peer_.codec().Decode(seq, View(v), out);
}

Result<bool> LmdbLayoutSession::ProbeUnique(MDB_txn* txn, size_t which,
                                            std::string_view value,
                                            Record* out) {
  // Step 1: one index probe.
  const std::string key = peer_.codec().IndexKey(kUnique[which].kind, value);
  MDB_val k = Val(key);
  MDB_val v{};
  const int rc = mdb_get(txn, peer_.dbs().unique[which], &k, &v);
  if (rc == MDB_NOTFOUND) return false;
  TKS_RETURN_IF_ERROR(Check(rc, "index get"));

  // Step 2: one record read, confirmed by the field.
  TKS_RETURN_IF_ERROR(ReadRecord(txn, FromBigEndian(View(v)), out));
  return out->at(kUnique[which].field) == value;
}

Result<bool> LmdbLayoutSession::FirstOfUser(MDB_txn* txn, std::string_view user,
                                            Record* out) {
  // Step 1: position at the first entry of the user's key.
  const std::string prefix = peer_.codec().IndexKey(IndexKind::kUser, user);
  const std::string start = prefix + BigEndian(0);
  MDB_cursor* cursor = nullptr;
  TKS_RETURN_IF_ERROR(
      Check(mdb_cursor_open(txn, peer_.dbs().idx_user, &cursor), "cursor"));
  MDB_val k = Val(start);
  MDB_val v{};
  const int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
  mdb_cursor_close(cursor);

  // Step 2: the entry must carry the key; then read and confirm.
  if (rc == MDB_NOTFOUND) return false;
  TKS_RETURN_IF_ERROR(Check(rc, "cursor get"));
  const std::string_view found = View(k);
  if (found.size() != prefix.size() + 8 ||
      found.substr(0, prefix.size()) != prefix) {
    return false;
  }
  TKS_RETURN_IF_ERROR(
      ReadRecord(txn, FromBigEndian(found.substr(prefix.size())), out));
  return out->at(Field::kUserName) == user;
}

Result<bool> LmdbLayoutSession::Find(FindPath path, const Record& probe,
                                     Record* out) {
  TKS_ASSIGN_OR_RETURN(MDB_txn * txn, Reader());
  Result<bool> found = false;
  switch (path) {
    case FindPath::kUser:
      found = FirstOfUser(txn, probe.at(Field::kUserName), out);
      break;
    case FindPath::kAccess:
      found = ProbeUnique(txn, 1, probe.at(Field::kAccessToken), out);
      break;
    case FindPath::kRefresh:
      found = ProbeUnique(txn, 0, probe.at(Field::kRefreshToken), out);
      break;
    case FindPath::kGrant:
      found = ProbeUnique(txn, 2, probe.at(Field::kGrantToken), out);
      break;
  }
  DoneReading();
  return found;
}

Result<bool> LmdbLayoutSession::SeqOfId(MDB_txn* txn, std::string_view id,
                                        uint64_t* seq) {
  MDB_val k = Val(id);
  MDB_val v{};
  const int rc = mdb_get(txn, peer_.dbs().idx_id, &k, &v);
  if (rc == MDB_NOTFOUND) return false;
  TKS_RETURN_IF_ERROR(Check(rc, "id get"));
  *seq = FromBigEndian(View(v));
  return true;
}

Result<bool> LmdbLayoutSession::FindById(std::string_view id, Record* out) {
  TKS_ASSIGN_OR_RETURN(MDB_txn * txn, Reader());
  uint64_t seq = 0;
  Result<bool> found = SeqOfId(txn, id, &seq);
  if (found.ok() && *found) {
    const Status read = ReadRecord(txn, seq, out);
    if (!read.ok()) found = read;
  }
  DoneReading();
  return found;
}

Result<size_t> LmdbLayoutSession::Scan() {
  TKS_ASSIGN_OR_RETURN(MDB_txn * txn, Reader());
  MDB_cursor* cursor = nullptr;
  TKS_RETURN_IF_ERROR(
      Check(mdb_cursor_open(txn, peer_.dbs().records, &cursor), "cursor"));
  size_t count = 0;
  MDB_val k{};
  MDB_val v{};
  Record record;
  Status status = Status::Ok();
  for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
    status = peer_.codec().Decode(FromBigEndian(View(k)), View(v), &record);
    if (!status.ok()) break;
    ++count;
  }
  mdb_cursor_close(cursor);
  DoneReading();
  TKS_RETURN_IF_ERROR(status);
  return count;
}

// --- Writes. ---

Status LmdbLayoutSession::WriteRecord(MDB_txn* txn, uint64_t seq,
                                      const Record* old, const Record& record) {
  // Step 1: move each unique index entry whose value changed.
  const LayoutCodec& codec = peer_.codec();
  const std::string seq_key = BigEndian(seq);
  for (size_t u = 0; u < kUnique.size(); ++u) {
    const Field field = kUnique[u].field;
    if (old != nullptr && old->at(field) == record.at(field)) continue;
    if (old != nullptr) {
      const std::string key = codec.IndexKey(kUnique[u].kind, old->at(field));
      MDB_val k = Val(key);
      TKS_RETURN_IF_ERROR(
          Check(mdb_del(txn, peer_.dbs().unique[u], &k, nullptr), "del"));
    }
    const std::string key = codec.IndexKey(kUnique[u].kind, record.at(field));
    TKS_RETURN_IF_ERROR(Check(PutRaw(txn, peer_.dbs().unique[u], Val(key),
                                     Val(seq_key), MDB_NOOVERWRITE),
                              "unique index"));
  }

  // Step 2: user and expiry entries.
  const std::string& user = record.at(Field::kUserName);
  if (old == nullptr || old->at(Field::kUserName) != user) {
    if (old != nullptr) {
      const std::string key =
          codec.IndexKey(IndexKind::kUser, old->at(Field::kUserName)) + seq_key;
      MDB_val k = Val(key);
      TKS_RETURN_IF_ERROR(
          Check(mdb_del(txn, peer_.dbs().idx_user, &k, nullptr), "del"));
    }
    const std::string key = codec.IndexKey(IndexKind::kUser, user) + seq_key;
    TKS_RETURN_IF_ERROR(
        Check(PutRaw(txn, peer_.dbs().idx_user, Val(key), Val(""), 0), "user"));
  }
  const std::string& expiry = record.at(Field::kExpiryTime);
  if (old == nullptr || old->at(Field::kExpiryTime) != expiry) {
    if (old != nullptr) {
      const std::string key =
          BigEndian(std::stoull(old->at(Field::kExpiryTime))) + seq_key;
      MDB_val k = Val(key);
      TKS_RETURN_IF_ERROR(
          Check(mdb_del(txn, peer_.dbs().idx_expiry, &k, nullptr), "del"));
    }
    const std::string key = BigEndian(std::stoull(expiry)) + seq_key;
    TKS_RETURN_IF_ERROR(Check(
        PutRaw(txn, peer_.dbs().idx_expiry, Val(key), Val(""), 0), "exp"));
  }

  // Step 3: the record itself.
  std::string value;
  TKS_RETURN_IF_ERROR(codec.Encode(seq, record, &value));
  return Check(PutRaw(txn, peer_.dbs().records, Val(seq_key), Val(value), 0),
               "record");
}

Status LmdbLayoutSession::EraseRecord(MDB_txn* txn, uint64_t seq,
                                      const Record& stored) {
  // Every index entry, then the record.
  const LayoutCodec& codec = peer_.codec();
  const std::string seq_key = BigEndian(seq);
  std::vector<std::pair<MDB_dbi, std::string>> keys = {
      {peer_.dbs().idx_id, stored.id()},
      {peer_.dbs().idx_user,
       codec.IndexKey(IndexKind::kUser, stored.at(Field::kUserName)) + seq_key},
      {peer_.dbs().idx_expiry,
       BigEndian(std::stoull(stored.at(Field::kExpiryTime))) + seq_key},
      {peer_.dbs().records, seq_key}};
  for (size_t u = 0; u < kUnique.size(); ++u) {
    keys.emplace_back(
        peer_.dbs().unique[u],
        codec.IndexKey(kUnique[u].kind, stored.at(kUnique[u].field)));
  }
  for (const auto& [dbi, key] : keys) {
    MDB_val k = Val(key);
    TKS_RETURN_IF_ERROR(Check(mdb_del(txn, dbi, &k, nullptr), "erase"));
  }
  return Status::Ok();
}

Status LmdbLayoutSession::SaveChecked(Record& record,
                                      const uint64_t* expected) {
  Txn txn;
  TKS_RETURN_IF_ERROR(txn.Begin(peer_.env(), 0));

  // Step 1: an update replaces the record with that id.
  if (!record.id().empty()) {
    uint64_t seq = 0;
    TKS_ASSIGN_OR_RETURN(bool found, SeqOfId(txn.get(), record.id(), &seq));
    if (!found) return NotFound("no such id");
    Record old;
    TKS_RETURN_IF_ERROR(ReadRecord(txn.get(), seq, &old));
    if (expected != nullptr && old.generation != *expected) {
      return Conflict("generation changed");
    }
    record.generation = old.generation + 1;
    TKS_RETURN_IF_ERROR(WriteRecord(txn.get(), seq, &old, record));
    return txn.Commit();
  }

  // Step 2: an insert takes the next sequence, used as the id too.
  MDB_val k = Val("next");
  MDB_val v{};
  TKS_RETURN_IF_ERROR(
      Check(mdb_get(txn.get(), peer_.dbs().meta, &k, &v), "meta"));
  const uint64_t seq = FromBigEndian(View(v));
  const std::string next = BigEndian(seq + 1);
  TKS_RETURN_IF_ERROR(Check(
      PutRaw(txn.get(), peer_.dbs().meta, Val("next"), Val(next), 0), "m"));
  record.at(Field::kId) = std::to_string(seq);
  record.generation = 1;
  TKS_RETURN_IF_ERROR(InsertAt(txn.get(), seq, record));
  return txn.Commit();
}

Status LmdbLayoutSession::InsertAt(MDB_txn* txn, uint64_t seq,
                                   const Record& record) {
  TKS_RETURN_IF_ERROR(Check(PutRaw(txn, peer_.dbs().idx_id, Val(record.id()),
                                   Val(BigEndian(seq)), MDB_NOOVERWRITE),
                            "id index"));
  return WriteRecord(txn, seq, nullptr, record);
}

Status LmdbLayoutSession::Save(Record& record) {
  return SaveChecked(record, nullptr);
}

Status LmdbLayoutSession::SaveIf(Record& record, uint64_t expected) {
  return SaveChecked(record, &expected);
}

Status LmdbLayoutSession::Delete(std::string_view id) {
  Txn txn;
  TKS_RETURN_IF_ERROR(txn.Begin(peer_.env(), 0));
  uint64_t seq = 0;
  TKS_ASSIGN_OR_RETURN(bool found, SeqOfId(txn.get(), id, &seq));
  if (!found) return NotFound("no such id");
  Record stored;
  TKS_RETURN_IF_ERROR(ReadRecord(txn.get(), seq, &stored));
  TKS_RETURN_IF_ERROR(EraseRecord(txn.get(), seq, stored));
  return txn.Commit();
}

Result<size_t> LmdbLayoutSession::PurgeExpired(uint64_t before_ms) {
  // Batches of 1000 per commit, oldest expiry first (as the engine does).
  constexpr size_t kBatch = 1000;
  size_t total = 0;
  for (;;) {
    // Step 1: the next batch of expired sequences.
    Txn txn;
    TKS_RETURN_IF_ERROR(txn.Begin(peer_.env(), 0));
    std::vector<uint64_t> seqs;
    MDB_cursor* cursor = nullptr;
    TKS_RETURN_IF_ERROR(Check(
        mdb_cursor_open(txn.get(), peer_.dbs().idx_expiry, &cursor), "c"));
    MDB_val k{};
    MDB_val v{};
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
         rc == MDB_SUCCESS && seqs.size() < kBatch;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      const std::string_view key = View(k);
      if (FromBigEndian(key) >= before_ms) break;
      seqs.push_back(FromBigEndian(key.substr(8)));
    }
    mdb_cursor_close(cursor);

    // Step 2: erase them and commit.
    for (uint64_t seq : seqs) {
      Record stored;
      TKS_RETURN_IF_ERROR(ReadRecord(txn.get(), seq, &stored));
      TKS_RETURN_IF_ERROR(EraseRecord(txn.get(), seq, stored));
    }
    TKS_RETURN_IF_ERROR(txn.Commit());
    total += seqs.size();
    if (seqs.size() < kBatch) return total;
  }
}

}  // namespace

void EncodeFields(const Record& record, std::string* out) {
  for (const std::string& field : record.fields) {
    const uint16_t size = static_cast<uint16_t>(field.size());
    out->push_back(static_cast<char>(size >> 8));
    out->push_back(static_cast<char>(size & 0xff));
    out->append(field);
  }
  out->append(BigEndian(record.generation));
}

Status DecodeFields(std::string_view bytes, Record* out, bool padded) {
  for (std::string& field : out->fields) {
    if (bytes.size() < 2) return Corrupt("truncated record");
    const size_t size =
        (static_cast<uint8_t>(bytes[0]) << 8) | static_cast<uint8_t>(bytes[1]);
    if (bytes.size() < 2 + size) return Corrupt("truncated field");
    field.assign(bytes.substr(2, size));
    bytes.remove_prefix(2 + size);
  }
  if (bytes.size() < 8 || (!padded && bytes.size() != 8)) {
    return Corrupt("bad record tail");
  }
  out->generation = FromBigEndian(bytes);
  return Status::Ok();
}

std::unique_ptr<Peer> NewLmdbLayoutPeer(std::string name,
                                        std::unique_ptr<LayoutCodec> codec) {
  return std::make_unique<LmdbLayoutPeer>(std::move(name), std::move(codec));
}

}  // namespace tks::bench
