#include "lmdb_wrap.h"

#include <cerrno>
#include <cstring>

namespace tks::lmdb {

Status ToStatus(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return Status::Ok();
  std::string message = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND:
      return {Code::kNotFound, std::move(message)};
    case MDB_KEYEXIST:
      return {Code::kConflict, std::move(message)};
    case MDB_MAP_FULL:
      return {Code::kMapFull, std::move(message)};
    case MDB_READERS_FULL:
      return {Code::kReadersFull, std::move(message)};
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_BAD_TXN:
      return {Code::kCorrupt, std::move(message)};
    case MDB_VERSION_MISMATCH:
    case MDB_INVALID:
      return {Code::kVersion, std::move(message)};
    case EIO:
    case ENOSPC:
    case EDQUOT:
    case EROFS:
      return {Code::kIoFatal, std::move(message)};
    default:
      return {Code::kInternal, std::move(message)};
  }
}

Result<Cursor> Cursor::Open(MDB_txn* txn, MDB_dbi dbi) {
  MDB_cursor* cursor = nullptr;
  TKS_RETURN_IF_ERROR(
      ToStatus(mdb_cursor_open(txn, dbi, &cursor), "open cursor"));
  return Cursor(cursor);
}

Result<bool> Cursor::Get(MDB_val* key, MDB_val* data, MDB_cursor_op op) {
  const int rc = mdb_cursor_get(cursor_, key, data, op);
  if (rc == MDB_NOTFOUND) return false;
  TKS_RETURN_IF_ERROR(ToStatus(rc, "cursor read"));
  return true;
}

Status Get(MDB_txn* txn, MDB_dbi dbi, std::string_view key,
           std::string_view* value, bool* found) {
  MDB_val k = Val(key);
  MDB_val v{};
  const int rc = mdb_get(txn, dbi, &k, &v);
  *found = rc == MDB_SUCCESS;
  if (rc == MDB_NOTFOUND) return Status::Ok();
  TKS_RETURN_IF_ERROR(ToStatus(rc, "read"));
  *value = View(v);
  return Status::Ok();
}

Status Put(MDB_txn* txn, MDB_dbi dbi, std::string_view key,
           std::string_view value, unsigned flags, std::string_view what) {
  MDB_val k = Val(key);
  MDB_val v = Val(value);
  return ToStatus(mdb_put(txn, dbi, &k, &v, flags), what);
}

Status Del(MDB_txn* txn, MDB_dbi dbi, std::string_view key, bool* found,
           std::string_view what) {
  MDB_val k = Val(key);
  const int rc = mdb_del(txn, dbi, &k, nullptr);
  *found = rc == MDB_SUCCESS;
  if (rc == MDB_NOTFOUND) return Status::Ok();
  return ToStatus(rc, what);
}

Result<uint64_t> Count(MDB_txn* txn, MDB_dbi dbi) {
  MDB_stat stat{};
  TKS_RETURN_IF_ERROR(ToStatus(mdb_stat(txn, dbi, &stat), "stat"));
  return static_cast<uint64_t>(stat.ms_entries);
}

size_t SnapshotId(MDB_txn* txn) {
  // A write transaction's id is one past the last commit, which
  // mdb_env_info reports; a read transaction's is at most that.
  const size_t id = mdb_txn_id(txn);
  MDB_envinfo info{};
  mdb_env_info(mdb_txn_env(txn), &info);
  return id > info.me_last_txnid ? id - 1 : id;
}

}  // namespace tks::lmdb
