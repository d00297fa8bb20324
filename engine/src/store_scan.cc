// The scanning calls: the record cursor, GetTokens and GetStats.
#include <sys/stat.h>

#include <deque>
#include <variant>

#include "record_codec.h"
#include "record_io.h"
#include "store_impl.h"

namespace tks {
namespace {

constexpr size_t kCursorChunk = 256;

// Reads records a chunk at a time, each chunk in its own short snapshot,
// so a long scan never pins old pages.
class ChunkedCursor final : public TokenCursor {
 public:
  explicit ChunkedCursor(const Store::Impl& impl) : impl_(impl) {}

  Result<std::optional<Token>> Next() override {
    // Step 1: refill the buffer from after the last sequence seen.
    if (buffer_.empty() && !at_end_) TKS_RETURN_IF_ERROR(Refill());
    if (buffer_.empty()) return std::optional<Token>();

    // Step 2: hand out the next record, or the error of a damaged one.
    Entry entry = std::move(buffer_.front());
    buffer_.pop_front();
    if (auto* status = std::get_if<Status>(&entry)) return *status;
    return std::optional<Token>(std::move(std::get<Token>(entry)));
  }

 private:
  using Entry = std::variant<Token, Status>;

  Status Refill() {
    return impl_.Read([this](MDB_txn* txn) {
      TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                           lmdb::Cursor::Open(txn, impl_.dbs().records));
      const layout::SeqKey start = layout::EncodeSeq(next_seq_);
      MDB_val key = lmdb::Val(layout::View(start));
      MDB_val data{};
      MDB_cursor_op op = MDB_SET_RANGE;
      while (buffer_.size() < kCursorChunk) {
        TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &data, op));
        op = MDB_NEXT;
        if (!more) {
          at_end_ = true;
          break;
        }
        const uint64_t seq = layout::DecodeSeq(lmdb::View(key));
        next_seq_ = seq + 1;
        Token token;
        Status opened =
            records::OpenStored(txn, impl_, seq, lmdb::View(data), &token);
        if (opened.ok()) {
          buffer_.emplace_back(std::move(token));
        } else {
          buffer_.emplace_back(std::move(opened));
        }
      }
      return Status::Ok();
    });
  }

  const Store::Impl& impl_;
  uint64_t next_seq_ = 0;
  bool at_end_ = false;
  std::deque<Entry> buffer_;
};

}  // namespace

std::unique_ptr<TokenCursor> Store::NewCursor() const {
  return std::make_unique<ChunkedCursor>(*impl_);
}

Result<std::vector<Token>> Store::GetTokens() const {
  // One snapshot for the whole list, so it is a consistent picture.
  std::vector<Token> tokens;
  TKS_RETURN_IF_ERROR(impl_->Read([&](MDB_txn* txn) {
    TKS_ASSIGN_OR_RETURN(lmdb::Cursor cursor,
                         lmdb::Cursor::Open(txn, impl_->dbs().records));
    MDB_val key{};
    MDB_val data{};
    MDB_cursor_op op = MDB_FIRST;
    for (;;) {
      TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &data, op));
      op = MDB_NEXT;
      if (!more) return Status::Ok();
      Token token;
      TKS_RETURN_IF_ERROR(
          records::OpenStored(txn, *impl_, layout::DecodeSeq(lmdb::View(key)),
                              lmdb::View(data), &token));
      tokens.push_back(std::move(token));
    }
  }));
  return tokens;
}

Result<Stats> Store::GetStats() const {
  Stats stats;
  TKS_RETURN_IF_ERROR(impl_->Read([&](MDB_txn* txn) {
    // Step 1: entries per database, the keyed indexes of the set in use
    // by this snapshot's keyring (another handle may have rotated it).
    TKS_ASSIGN_OR_RETURN(const KeyState* keys, impl_->KeysAt(txn));
    const layout::Databases& dbs = impl_->dbs();
    const layout::KeyedDatabases& keyed = keys->indexes;
    const std::pair<MDB_dbi, uint64_t*> counts[] = {
        {dbs.records, &stats.record_count},
        {dbs.idx_id, &stats.id_index_entries},
        {keyed.idx_user, &stats.user_index_entries},
        {keyed.idx_refresh, &stats.refresh_index_entries},
        {keyed.idx_access, &stats.access_index_entries},
        {keyed.idx_grant, &stats.grant_index_entries},
        {dbs.idx_expiry, &stats.expiry_index_entries},
        {dbs.leases, &stats.lease_count}};
    for (const auto& [dbi, out] : counts) {
      TKS_ASSIGN_OR_RETURN(*out, lmdb::Count(txn, dbi));
    }

    // Step 2: counters and map use.
    records::Counters counters;
    TKS_RETURN_IF_ERROR(records::ReadCounters(txn, *impl_, &counters));
    stats.next_id = counters.next_id;
    MDB_envinfo info{};
    MDB_stat env_stat{};
    mdb_env_info(impl_->env(), &info);
    mdb_env_stat(impl_->env(), &env_stat);
    stats.page_size = env_stat.ms_psize;
    stats.map_size_bytes = info.me_mapsize;
    stats.map_used_bytes = (info.me_last_pgno + 1) * env_stat.ms_psize;

    // Step 3: the data key of this snapshot's keyring.
    stats.active_data_key_id = keys->keyring.active_data_key_id();
    stats.data_key_count =
        static_cast<uint32_t>(keys->keyring.DataKeyIds().size());
    stats.index_key_change_pending = keys->pending_indexer.has_value();
    return Status::Ok();
  }));

  // Step 4: file size and format.
  struct stat file {};
  if (::stat((impl_->path() + "/data.mdb").c_str(), &file) == 0) {
    stats.file_size_bytes = static_cast<uint64_t>(file.st_size);
  }
  stats.format_version = kFormatVersion;
  return stats;
}

}  // namespace tks
