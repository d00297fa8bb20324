#include "raw_lmdb.h"

namespace tks::reliability {

RawLmdb::RawLmdb(const std::string& dir) {
  if (mdb_env_create(&env_) != 0) return;
  mdb_env_set_maxdbs(env_, 16);
  if (mdb_env_open(env_, dir.c_str(), 0, 0600) != 0 ||
      mdb_txn_begin(env_, nullptr, 0, &txn_) != 0) {
    txn_ = nullptr;
  }
}

RawLmdb::~RawLmdb() {
  Commit();
  if (env_ != nullptr) mdb_env_close(env_);
}

MDB_dbi RawLmdb::Dbi(const std::string& db) {
  MDB_dbi dbi = 0;
  mdb_dbi_open(txn_, db.c_str(), 0, &dbi);
  return dbi;
}

std::map<std::string, std::string> RawLmdb::ReadAll(const std::string& db) {
  std::map<std::string, std::string> all;
  MDB_cursor* cursor = nullptr;
  if (mdb_cursor_open(txn_, Dbi(db), &cursor) != 0) return all;
  MDB_val key{};
  MDB_val value{};
  for (MDB_cursor_op op = MDB_FIRST;
       mdb_cursor_get(cursor, &key, &value, op) == 0; op = MDB_NEXT) {
    all.emplace(std::string(static_cast<char*>(key.mv_data), key.mv_size),
                std::string(static_cast<char*>(value.mv_data), value.mv_size));
  }
  mdb_cursor_close(cursor);
  return all;
}

bool RawLmdb::Put(const std::string& db, const std::string& key,
                  const std::string& value) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{value.size(), const_cast<char*>(value.data())};
  return mdb_put(txn_, Dbi(db), &k, &v, 0) == 0;
}

bool RawLmdb::Commit() {
  if (txn_ == nullptr) return true;
  const int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;
  return rc == 0;
}

}  // namespace tks::reliability
