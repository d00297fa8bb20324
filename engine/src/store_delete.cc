// The delete calls: DeleteToken, DeleteTokens, DeleteUserTokens and
// PurgeExpired.
#include <vector>

#include "record_io.h"
#include "store_impl.h"

namespace tks {
namespace {

// Erases the records at `seqs` (read first, so their index entries go too).
Status EraseAll(WriteContext& ctx, const Store::Impl& impl,
                const std::vector<uint64_t>& seqs) {
  for (uint64_t seq : seqs) {
    Token stored;
    TKS_RETURN_IF_ERROR(records::ReadRecord(ctx.txn, impl, seq, &stored));
    TKS_RETURN_IF_ERROR(records::EraseRecord(ctx, impl, seq, stored));
  }
  return Status::Ok();
}

}  // namespace

Status Store::DeleteToken(std::string_view id) {
  return impl_->Write([&](WriteContext& ctx) {
    std::optional<records::Located> found;
    TKS_RETURN_IF_ERROR(records::FindById(ctx.txn, *impl_, id, &found));
    if (!found) {
      return NotFound("no record with id '" + std::string(id) + "'");
    }
    return records::EraseRecord(ctx, *impl_, found->seq, found->stored);
  });
}

Status Store::DeleteTokens() {
  const layout::Databases& dbs = impl_->dbs();
  return impl_->Write([&](WriteContext& ctx) {
    // Every database but meta, with both keyed index sets (the one not in
    // use is empty, or being built by an index key change).
    std::vector<MDB_dbi> all = {dbs.records, dbs.idx_id, dbs.idx_expiry,
                                dbs.leases};
    for (crypto::IndexSet set : {crypto::IndexSet::kA, crypto::IndexSet::kB}) {
      const layout::KeyedDatabases& keyed = impl_->keyed_set(set);
      all.insert(all.end(), {keyed.idx_user, keyed.idx_refresh,
                             keyed.idx_access, keyed.idx_grant});
    }
    for (MDB_dbi dbi : all) {
      ctx.wrote = true;
      TKS_RETURN_IF_ERROR(
          lmdb::ToStatus(mdb_drop(ctx.txn, dbi, 0), "empty database"));
    }
    return Status::Ok();
  });
}

Result<size_t> Store::DeleteUserTokens(std::string_view user_name) {
  size_t deleted = 0;
  TKS_RETURN_IF_ERROR(impl_->Write([&](WriteContext& ctx) {
    // Step 1: every record of the user, through the user index.
    deleted = 0;
    Token query;
    query.set(Field::kUserName, user_name);
    for (;;) {
      std::optional<records::Located> found;
      TKS_RETURN_IF_ERROR(
          records::FindByRule(ctx.txn, *impl_, impl_->keys(), query, &found));
      if (!found) break;

      // Step 2: erase it; the next probe finds the user's next record.
      TKS_RETURN_IF_ERROR(
          records::EraseRecord(ctx, *impl_, found->seq, found->stored));
      ++deleted;
    }
    return Status::Ok();
  }));
  return deleted;
}

Result<size_t> Store::PurgeExpired(uint64_t before_ms, size_t limit) {
  size_t purged = 0;
  TKS_RETURN_IF_ERROR(impl_->Write([&](WriteContext& ctx) {
    // Step 1: the oldest expiry entries before the time, up to the limit.
    std::vector<uint64_t> seqs;
    {
      TKS_ASSIGN_OR_RETURN(
          lmdb::Cursor cursor,
          lmdb::Cursor::Open(ctx.txn, impl_->dbs().idx_expiry));
      MDB_val key{};
      MDB_val data{};
      MDB_cursor_op op = MDB_FIRST;
      while (seqs.size() < limit) {
        TKS_ASSIGN_OR_RETURN(bool more, cursor.Get(&key, &data, op));
        op = MDB_NEXT;
        const std::string_view k = lmdb::View(key);
        if (!more || k.size() != 16) break;
        if (layout::GetU64(k.data()) >= before_ms) break;
        seqs.push_back(layout::GetU64(k.data() + 8));
      }
    }

    // Step 2: erase them with their index entries.
    purged = seqs.size();
    return EraseAll(ctx, *impl_, seqs);
  }));
  return purged;
}

}  // namespace tks
