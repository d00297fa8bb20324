// Thin RAII layer over LMDB: every LMDB return code becomes a tks::Status
// in one function, and every handle is a move-only owner.
#ifndef TOKENSTORE_ENGINE_LMDB_WRAP_H_
#define TOKENSTORE_ENGINE_LMDB_WRAP_H_

#include <lmdb.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "tokenstore/status.h"

namespace tks::lmdb {

// Maps an LMDB or errno return code to a Status whose message names
// `what` (the operation and object, never a value).
Status ToStatus(int rc, std::string_view what);

inline MDB_val Val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}
inline std::string_view View(const MDB_val& val) {
  return {static_cast<const char*>(val.mv_data), val.mv_size};
}

// Owns an MDB_txn: aborts it on destruction unless committed or released.
class Txn {
 public:
  Txn() = default;
  explicit Txn(MDB_txn* txn) : txn_(txn) {}
  Txn(Txn&& other) noexcept : txn_(other.txn_) { other.txn_ = nullptr; }
  Txn& operator=(Txn&& other) noexcept {
    if (this != &other) {
      Abort();
      txn_ = other.txn_;
      other.txn_ = nullptr;
    }
    return *this;
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn() { Abort(); }

  MDB_txn* get() const { return txn_; }

  // Commits; the handle is empty afterwards whatever the outcome.
  Status Commit() {
    MDB_txn* txn = txn_;
    txn_ = nullptr;
    return ToStatus(mdb_txn_commit(txn), "commit");
  }
  void Abort() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
    txn_ = nullptr;
  }

 private:
  MDB_txn* txn_ = nullptr;
};

// Owns an MDB_cursor; closes it on destruction.
class Cursor {
 public:
  static Result<Cursor> Open(MDB_txn* txn, MDB_dbi dbi);
  Cursor(Cursor&& other) noexcept : cursor_(other.cursor_) {
    other.cursor_ = nullptr;
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  }

  MDB_cursor* get() const { return cursor_; }

  // Positions with `op`; false at the end (MDB_NOTFOUND), error otherwise.
  Result<bool> Get(MDB_val* key, MDB_val* data, MDB_cursor_op op);

 private:
  explicit Cursor(MDB_cursor* cursor) : cursor_(cursor) {}
  MDB_cursor* cursor_ = nullptr;
};

// mdb_get: the value, or nullopt-like empty result via `found`.
// Returns OK with *found=false on MDB_NOTFOUND.
Status Get(MDB_txn* txn, MDB_dbi dbi, std::string_view key,
           std::string_view* value, bool* found);

// mdb_put with `flags`; `what` names the database for errors.
Status Put(MDB_txn* txn, MDB_dbi dbi, std::string_view key,
           std::string_view value, unsigned flags, std::string_view what);

// mdb_del of a key; OK with *found=false when it was not there.
Status Del(MDB_txn* txn, MDB_dbi dbi, std::string_view key, bool* found,
           std::string_view what);

// Entries in a database.
Result<uint64_t> Count(MDB_txn* txn, MDB_dbi dbi);

// The id of the last commit `txn` sees: its own id for a read
// transaction, the one before for a write transaction (which gets the
// next id).
size_t SnapshotId(MDB_txn* txn);

}  // namespace tks::lmdb

#endif  // TOKENSTORE_ENGINE_LMDB_WRAP_H_
